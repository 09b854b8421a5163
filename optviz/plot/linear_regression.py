"""Gradient descent on the notes' L(w, b), full batch and mini-batch (drawn from a
Lesson, :func:`optviz.lessons.linear_regression`)."""

from __future__ import annotations

import numpy as np

from ._figure import Figure
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from .lesson_runs import trajectory_of
from .style import BLACK, BLUE, GREEN, GREY_33, VERMILION, style

__all__ = ["linear_regression_figure", "VARIANT_COLORS"]

#: Colours for several runs of the same optimizer in one figure (full batch, ...).
VARIANT_COLORS = (BLUE, BLACK, VERMILION, GREEN)


def linear_regression_figure(surface, lesson):
    """The notes' L(w, b): the data with the least-squares line and the fitted lines
    (top left), the paths over L (bottom left), and L - L* against the epochs (each
    run in one line style throughout; the mini-batch gap faint per step and bold per
    epoch, its noise floor dotted)."""
    runs = [p for p in lesson.panels if p.label != "data"]
    with style():
        fig = Figure(figsize=(17.8, 10), layout="constrained")
        grid = fig.add_gridspec(2, 2, width_ratios=[1, 1.25])
        ax_data, ax_map = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[1, 0])
        ax_loss = fig.add_subplot(grid[:, 1])
        _data_panel(ax_data, lesson["data"], runs)
        _map_panel(ax_map, surface, runs)
        _loss_panel(ax_loss, runs, lesson.settings)
    return fig


def _data_panel(ax, data, runs):
    x, y = data.arrays["x"], data.arrays["y"]
    ax.scatter(x, y, s=22, color=GREY_33, zorder=3, label="data")
    xs = np.linspace(x.min(), x.max(), 2)
    for p, c in zip(runs, VARIANT_COLORS):
        w, b = p.facts["end"]
        ax.plot(xs, w * xs + b, color=c, ls=p.facts["linestyle"], lw=2,
                label=f"{p.facts['label']} (end): w={w:.2f}, b={b:.2f}")  # fmt: skip
    fw, fb = data.facts["fit"]
    ax.plot(xs, fw * xs + fb, color=BLACK, lw=4, alpha=0.35, zorder=2,
            label=f"least squares: w={fw:.2f}, b={fb:.2f}")  # fmt: skip
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("the data and the fitted lines", loc="left")
    # below the axes, off the points
    ax.legend(fontsize=12, loc="upper center", bbox_to_anchor=(0.5, -0.14))


def _map_panel(ax, surface, runs):
    draw_surface(ax, surface)
    draw_landmarks(ax, surface)
    for p, c in zip(runs, VARIANT_COLORS):
        traj = trajectory_of(p)
        line, head, _ = draw_trajectory(ax, traj, label=p.facts["label"])
        line.set_linestyle(p.facts["linestyle"])
        line.set_color(c)
        head.set_markerfacecolor(c)
    draw_start(ax, runs[0].arrays["xy"][0])
    ax.set_aspect("equal")
    ax.set_title(r"$L(w, b)$: full batch bends with the tilted bowl", loc="left")
    ax.legend(loc="lower left", fontsize=12, framealpha=0.95)


def _loss_panel(ax, runs, s):
    """L - L* against the epochs: each run's per-step gap (faint for mini-batches)
    and its per-epoch geometric mean (bold), the mini-batch noise floor dotted."""
    n = s["n"]
    handles = []
    for p, c in zip(runs, VARIANT_COLORS):
        gap = np.maximum(p.arrays["loss"] - s["min_value"], 1e-16)
        epochs = np.arange(len(gap)) * p.facts["samples_per_step"] / n
        ls = p.facts["linestyle"]
        if p.facts["samples_per_step"] < n:
            ax.plot(epochs, gap, color=c, lw=0.6, alpha=0.25)
            mean = p.arrays["epoch_gap"]
            (line,) = ax.plot(np.arange(1, len(mean) + 1), mean, color=c, ls=ls, lw=2.6)
            ax.axhline(p.facts["floor"], color=c, lw=1.5, ls=":")
            label = f"{p.facts['label']}: mean per epoch; floor ≈ {p.facts['floor']:.2g}"
        else:
            (line,) = ax.plot(epochs, gap, color=c, ls=ls, lw=2.6)
            label = p.facts["label"]
        handles.append((line, label))
    ax.set_yscale("log")
    ax.set_xlim(0, s["epochs"])
    ax.set_xlabel(f"epochs (passes over the {n} samples)")
    ax.set_ylabel(r"$L - L^*$ (log)")
    ax.grid(True, which="major", alpha=0.3)
    ax.set_title(
        r"$L - L^*$ per sample read; dotted: the mini-batch noise floor" + "\n"
        "(each mini-batch gradient points a little off, so at a constant α the path "
        "keeps jittering)",
        loc="left",
        fontsize=13,
    )
    ax.legend(*zip(*handles), loc="upper right", fontsize=12, framealpha=0.95)
