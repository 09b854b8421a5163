"""The learning rate α: too small, right, too large, diverging (drawn from records)."""

from __future__ import annotations

import numpy as np

from ._figure import Figure
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from .curves import (
    gap_floor,
)
from .style import GREEN, GREY_33, GREY_88, ORANGE, SKY_BLUE, VERMILION, color, style

__all__ = ["learning_rate_figure", "REGIME_COLORS"]

#: too small / right / too large / diverging: a sequential palette read in order.
REGIME_COLORS = (SKY_BLUE, GREEN, ORANGE, VERMILION)
REGIME_STYLES = ("-", "-", "--", ":")


# -- learning-rate -------------------------------------------------------------------
def learning_rate_figure(parabola_run, surface, run, sweep, *, names, lam, stable, arrows):
    """α too small, right, too large and diverging, on a parabola and on L(w, b).

    ``parabola_run`` holds four trajectories on a quadratic from a start on its x axis
    (so each path stays on the parabola f = λx²/2 along x, ``lam`` = λ its x
    curvature), at rates below, near, above and beyond 2/λ. ``run`` holds four on
    ``surface`` (L(w, b)), ``sweep`` an :func:`optviz.sweep.lr_sweep` of SGD on it,
    ``stable`` its largest stable rate 2/λmax; ``names`` the four regime names;
    ``arrows`` ``(x, y, u)``: grid points and the unit vectors -g/|g| there.
    """
    with style():
        fig = Figure(figsize=(18, 10.5), layout="constrained")
        grid = fig.add_gridspec(2, 4, height_ratios=[1, 1.25])
        tops = [fig.add_subplot(grid[0, i]) for i in range(4)]
        for ax, traj, name, c in zip(tops, parabola_run, names, REGIME_COLORS):
            _parabola_panel(ax, traj, name, c, lam)
        tops[0].set_ylabel(r"$f(w) = \lambda w^2/2$")
        _map_panel(fig.add_subplot(grid[1, :2]), surface, run, names, arrows)
        _sweep_panel(fig.add_subplot(grid[1, 2:]), surface, run, sweep, names, stable)
    return fig


def _parabola_panel(ax, traj, name, c, lam):
    """One rate's path on the parabola f = λw²/2, marked when it diverges."""
    x = traj.xy[:, 0]
    finite = x[np.isfinite(x)]
    reach = max(float(np.abs(finite).max()), abs(float(x[0]))) * 1.15
    xs = np.linspace(-reach, reach, 300)
    ax.plot(xs, 0.5 * lam * xs**2, color=GREY_88, lw=1.8)
    ax.plot(finite, 0.5 * lam * finite**2, "-", color=c, lw=1.6, alpha=0.7)
    ax.plot(finite, 0.5 * lam * finite**2, "o", color=c, ms=7, mec="black")
    ax.plot(finite[0], 0.5 * lam * finite[0] ** 2, "o", ms=11, mfc="black", mec="white")
    alpha = traj.hyperparameters["lr"]
    ax.set_title(f"{name}\nα = {alpha:g} = {alpha * lam / 2:.2f} × 2/λ", loc="left")
    ax.set_xlabel("w")
    ax.set_yticks([])
    if traj.diverged_at >= 0 or abs(finite[-1]) > abs(finite[0]):
        ax.text(
            0.5,
            0.9,
            "diverges: each step lands further out",
            transform=ax.transAxes,
            ha="center",
            color=c,
            fontsize=12,
            weight="bold",
        )


def _map_panel(ax_map, surface, run, names, arrows):
    """The four paths on L(w, b) over the field of -g; a path that leaves the map is
    drawn until it leaves."""
    draw_surface(ax_map, surface)
    draw_landmarks(ax_map, surface)
    # -g at a coarse grid: perpendicular to the contours (equal axes make it visible)
    (x0, x1), (y0, y1) = surface.domain
    gx, gy, u = arrows
    ax_map.quiver(
        gx,
        gy,
        u[..., 0],
        u[..., 1],
        color=GREY_33,
        alpha=0.55,
        scale=14,
        width=0.004,
        zorder=3,
    )
    lines = []
    for traj, c, ls in zip(run, REGIME_COLORS, REGIME_STYLES):
        traj.color = c
        # a path that leaves the map is drawn until it leaves (then it only grows)
        out = np.flatnonzero(
            (traj.xy[:, 0] < x0)
            | (traj.xy[:, 0] > x1)
            | (traj.xy[:, 1] < y0)
            | (traj.xy[:, 1] > y1)
            | ~np.all(np.isfinite(traj.xy), axis=-1)
        )
        upto = int(out[0]) if len(out) else None
        line, head, _ = draw_trajectory(ax_map, traj, upto=upto)
        line.set_linestyle(ls)
        lines.append(line)
        if upto is not None:
            head.set_visible(False)
            ax_map.text(
                0.03,
                0.03,
                f"diverging: leaves the map at step {upto}",
                transform=ax_map.transAxes,
                color=c,
                fontsize=12,
                weight="bold",
                bbox=dict(fc="white", ec="none", alpha=0.85),
            )
    draw_start(ax_map, run.start)
    ax_map.set_aspect("equal")
    ax_map.set_xlabel("w")
    ax_map.set_ylabel("b")
    ax_map.set_title("L(w, b): arrows are −g, perpendicular to the contours", loc="left")
    ax_map.legend(
        lines,
        [f"{n}: α = {t.hyperparameters['lr']:.3g}" for n, t in zip(names, run)],
        loc="center right",  # left of the map, off the paths and the note
        bbox_to_anchor=(-0.16, 0.5),
        fontsize=12,
    )


def _sweep_panel(ax_sw, surface, run, sweep, names, stable):
    """SGD's final gap over α, the largest stable rate and the four rates marked."""
    curve = sweep.curves[0]
    ok = ~curve.diverged
    floor = gap_floor(surface)
    ax_sw.plot(
        curve.lr[ok], np.maximum(curve.final_gap[ok], floor), "o-", color=color("sgd")
    )
    if np.any(~ok):
        top = np.nanmax(curve.final_gap[ok]) * 3 if ok.any() else 1.0
        ax_sw.plot(
            curve.lr[~ok],
            np.full((~ok).sum(), top),
            "X",
            ms=12,
            color=REGIME_COLORS[3],
            mec="black",
            label="diverged",
        )
        ax_sw.legend(loc="upper left", fontsize=12)
    ax_sw.axvline(stable, color="black", ls="--", lw=1.5)
    ax_sw.text(
        stable,
        0.5,
        f"largest stable rate\n2/λmax = {stable:.3f} ",
        transform=ax_sw.get_xaxis_transform(),
        fontsize=13,
        va="center",
        ha="right",
        bbox=dict(fc="white", ec="none", alpha=0.85),
    )
    for traj, c, name in zip(run, REGIME_COLORS, names):
        ax_sw.axvline(traj.hyperparameters["lr"], color=c, lw=2, alpha=0.5, zorder=0)
        ax_sw.text(
            traj.hyperparameters["lr"],
            0.02,
            f" {name}",
            rotation=90,
            color=c,
            transform=ax_sw.get_xaxis_transform(),
            fontsize=12,
            va="bottom",
            weight="bold",
        )
    ax_sw.set_xscale("log")
    ax_sw.set_yscale("log")
    ax_sw.set_xlabel("learning rate α (log)")
    ax_sw.set_ylabel(f"L - L* after {sweep.steps} steps (log)")
    ax_sw.set_title("SGD on L(w, b) over α", loc="left")
    ax_sw.grid(True, alpha=0.3)


# -- momentum-beta -------------------------------------------------------------------
