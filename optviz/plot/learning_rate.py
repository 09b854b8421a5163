"""The learning rate α: too small, right, too large, diverging (drawn from a Lesson,
:func:`optviz.lessons.learning_rate`)."""

from __future__ import annotations

import numpy as np

from ._figure import Figure
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from .curves import gap_floor
from .lesson_runs import trajectory_of
from .style import GREEN, GREY_33, GREY_88, ORANGE, SKY_BLUE, VERMILION, color, style

__all__ = ["learning_rate_figure", "REGIME_COLORS"]

#: too small / right / too large / diverging: a sequential palette read in order.
REGIME_COLORS = (SKY_BLUE, GREEN, ORANGE, VERMILION)
REGIME_STYLES = ("-", "-", "--", ":")


def learning_rate_figure(surface, lesson):
    """α too small, right, too large and diverging, on a parabola (top row: rates as
    multiples of 2/λ) and on ``surface`` = L(w, b) (bottom: the paths over the field
    of -g, and SGD's final gap over α with α* = 2/(λmax + λmin) and 2/λmax marked)."""
    s = lesson.settings
    tops = [p for p in lesson.panels if p.label.startswith("parabola")]
    maps = [p for p in lesson.panels if p.label.startswith("L(w, b)")]
    with style():
        fig = Figure(figsize=(17.8, 10), layout="constrained")
        grid = fig.add_gridspec(2, 4, height_ratios=[1, 1.25])
        axes = [fig.add_subplot(grid[0, i]) for i in range(4)]
        for ax, panel, c in zip(axes, tops, REGIME_COLORS):
            _parabola_panel(ax, panel, c, s["lam"])
        axes[0].set_ylabel(r"$f(w) = \lambda w^2/2$")
        _map_panel(fig.add_subplot(grid[1, :2]), surface, maps, lesson["arrows"], s)
        _sweep_panel(fig.add_subplot(grid[1, 2:]), surface, maps, lesson["sweep"], s)
    return fig


def _parabola_panel(ax, panel, c, lam):
    """One rate's path on the parabola f = λw²/2, marked when it diverges."""
    traj = trajectory_of(panel)
    x = traj.xy[:, 0]
    finite = x[np.isfinite(x)]
    reach = max(float(np.abs(finite).max()), abs(float(x[0]))) * 1.15
    xs = np.linspace(-reach, reach, 300)
    ax.plot(xs, 0.5 * lam * xs**2, color=GREY_88, lw=1.8)
    ax.plot(finite, 0.5 * lam * finite**2, "-", color=c, lw=1.6, alpha=0.7)
    ax.plot(finite, 0.5 * lam * finite**2, "o", color=c, ms=7, mec="black")
    ax.plot(finite[0], 0.5 * lam * finite[0] ** 2, "o", ms=11, mfc="black", mec="white")
    alpha, name = traj.hyperparameters["lr"], panel.facts["regime"]
    ax.set_title(f"{name}\nα = {alpha:g} = {alpha * lam / 2:.2f} × 2/λ", loc="left")
    ax.set_xlabel("w")
    ax.set_yticks([])
    if traj.diverged_at >= 0 or abs(finite[-1]) > abs(finite[0]):
        ax.text(0.5, 0.97, "diverges: each step lands further out",
                transform=ax.transAxes, ha="center", va="top", color=c, fontsize=12,
                weight="bold")  # fmt: skip


def _map_panel(ax, surface, panels, arrows, s):
    """The four paths on L(w, b) over the field of -g; a path that leaves the map is
    drawn until it leaves, its last step as an arrow to the edge."""
    draw_surface(ax, surface)
    draw_landmarks(ax, surface)
    a = arrows.arrays
    ax.quiver(a["x"], a["y"], a["u"][..., 0], a["u"][..., 1], color=GREY_33, alpha=0.55,
              scale=14, width=0.004, zorder=3)  # fmt: skip
    lines = []
    for panel, c, ls in zip(panels, REGIME_COLORS, REGIME_STYLES):
        traj = trajectory_of(panel)
        traj.color = c
        out = panel.facts["leaves_at"]
        upto = out if out >= 0 else None
        line, head, _ = draw_trajectory(ax, traj, upto=None if upto is None else upto - 1)
        line.set_linestyle(ls)
        if panel.facts["regime"] == "about right":  # over too large's zig-zag
            line.set_zorder(6)
        elif panel.facts["regime"] == "too large":
            line.set_linewidth(1.5)
        lines.append(line)
        if upto is not None:
            head.set_visible(False)
            ax.text(0.03, 0.03, f"diverging: leaves the map at step {upto}",
                    transform=ax.transAxes, color=c, fontsize=12, weight="bold",
                    bbox=dict(fc="white", ec="none", alpha=0.85))  # fmt: skip
    draw_start(ax, panels[0].arrays["xy"][0])
    ax.set_aspect("equal")
    ax.set_xlabel("w")
    ax.set_ylabel("b")
    ax.set_title("L(w, b): arrows are −g, perpendicular to the contours", loc="left")
    ax.legend(
        lines,
        [f"{p.facts['regime']}: α = {_alpha(p):.3g}" for p in panels],
        loc="center right",  # left of the map, off the paths and the note
        bbox_to_anchor=(-0.16, 0.5),
        fontsize=12,
    )


def _alpha(panel) -> float:
    return panel.facts["hyperparameters"]["lr"]


def _sweep_panel(ax, surface, panels, sweep, s):
    """SGD's final gap over α; each regime's rate as a marker on the curve; α* and
    2/λmax as dashed lines, named above the axes (off the curve)."""
    a = sweep.arrays
    ok = ~a["diverged"]
    floor = gap_floor(surface)
    ax.plot(a["lr"][ok], np.maximum(a["final_gap"][ok], floor), "-", color=color("sgd"),
            lw=2, zorder=2)  # fmt: skip
    top = np.nanmax(a["final_gap"][ok]) * 3 if ok.any() else 1.0
    if np.any(~ok):
        ax.plot(
            a["lr"][~ok],
            np.full((~ok).sum(), top),
            "X",
            ms=12,
            color=REGIME_COLORS[3],
            mec="black",
            ls="none",
            label="diverged",
        )
    for p, c in zip(panels, REGIME_COLORS):
        alpha, gap = p.facts["hyperparameters"]["lr"], p.facts["final_gap"]
        y = top if gap is None else max(gap, floor)
        ax.plot(alpha, y, "o" if gap is not None else "X", ms=14, mfc=c, mec="black",
                zorder=5, label=f"{p.facts['regime']}: α = {alpha:.3g}")  # fmt: skip
    names = (
        (s["alpha_star"], f"best α* = 2/(λmax + λmin) = {s['alpha_star']:.3f}", 1.09),
        (s["stable"], f"largest stable 2/λmax = {s['stable']:.3f}", 1.01),
    )
    for x, text, y in names:
        ax.axvline(x, color="black", ls="--", lw=1.2, zorder=1)
        ax.text(x, y, text + " ", transform=ax.get_xaxis_transform(), ha="right",
                va="bottom", fontsize=12)  # fmt: skip
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("learning rate α (log)")
    ax.set_ylabel(f"L - L* after {sweep.facts['steps']} steps (log)")
    ax.set_title("SGD on L(w, b) over α", loc="left", pad=48)
    ax.legend(loc="lower left", fontsize=12)
    ax.grid(True, alpha=0.3)
