"""Gradient descent on the notes' L(w, b), full batch and mini-batch (drawn from
records)."""

from __future__ import annotations

import numpy as np

from ._figure import Figure
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from .curves import (
    draw_loss,
    label_ends,
    loss_axis,
)
from .style import BLACK, BLUE, GREEN, GREY_22, GREY_33, GREY_99, VERMILION, style

__all__ = ["linear_regression_figure", "VARIANT_COLORS"]

#: Colours for several runs of the same optimizer in one figure (full batch, ...).
VARIANT_COLORS = (BLUE, BLACK, VERMILION, GREEN)


def linear_regression_figure(surface, run, x, y, *, samples_per_step=None):
    """The notes' L(w, b): the data with the least-squares line and the fitted lines,
    the paths over L, and L - L* against the samples seen.

    ``run`` holds trajectories over (w, b), e.g. full-batch gradient descent and
    mini-batch SGD; ``x, y`` are the data the surface was built from.
    ``samples_per_step`` (label -> samples one step reads: n for full batch, the batch
    size for mini-batches) puts the loss over epochs, so a cheaper mini-batch step
    counts for less; without it the x axis counts steps.
    """

    n = len(x)
    styles = ("-", "--", "-.", ":")
    with style():
        fig = Figure(figsize=(17, 6.2), layout="constrained")
        ax_data, ax_map, ax_loss = fig.subplots(1, 3, width_ratios=[0.9, 1.1, 1.1])
        ax_data.scatter(x, y, s=22, color=GREY_33, zorder=3, label="data")
        xs = np.linspace(x.min(), x.max(), 2)
        fit = surface.minima[0]
        for traj, ls, c in zip(run, styles, VARIANT_COLORS):
            w, b = traj.last_finite()
            ax_data.plot(
                xs, w * xs + b, color=c, ls=ls, lw=2,
                label=f"{traj.label} (end): w={w:.2f}, b={b:.2f}",
            )  # fmt: skip
        ax_data.plot(
            xs, fit.x * xs + fit.y, color=BLACK, lw=4, alpha=0.35, zorder=2,
            label=f"least squares: w={fit.x:.2f}, b={fit.y:.2f}",
        )  # fmt: skip
        ax_data.set_xlabel("x")
        ax_data.set_ylabel("y")
        ax_data.set_title("the data and the fitted lines", loc="left")
        ax_data.legend(fontsize=12, loc="upper left")
        draw_surface(ax_map, surface)
        draw_landmarks(ax_map, surface)
        for traj, ls, c in zip(run, styles, VARIANT_COLORS):
            line, head, _ = draw_trajectory(ax_map, traj, label=traj.label)
            line.set_linestyle(ls)
            line.set_color(c)
            head.set_markerfacecolor(c)
        draw_start(ax_map, run.start)
        ax_map.set_title(r"$L(w, b)$: full batch bends with the tilted bowl", loc="left")
        ax_map.legend(loc="lower right", fontsize=12, framealpha=0.9)
        loss_axis(ax_loss, surface)
        ax_loss.set_ylabel(r"$L - L^*$ (log)")
        lines, floors = [], []
        for traj, ls, c in zip(run, styles, VARIANT_COLORS):
            line, _ = draw_loss(ax_loss, surface, traj)
            line.set_color(c)
            line.set_linestyle(ls)
            if samples_per_step is not None:
                line.set_xdata(np.arange(traj.steps + 1) * samples_per_step[traj.label] / n)
            lines.append(line)
            tail = traj.loss[-max(5, traj.steps // 5) :] - surface.min_value
            floors.append(float(np.median(tail)))
        if samples_per_step is not None:
            ax_loss.set_xlabel(f"epochs (passes over the {n} samples)")
            ax_loss.set_xlim(0, max(ln.get_xdata()[-1] for ln in lines) * 1.45)
        label_ends(ax_loss, lines, [t.label for t in run])
        noisy = [i for i, t in enumerate(run) if t.label.startswith("mini")]
        for i in noisy:
            ax_loss.axhline(floors[i], color=VARIANT_COLORS[i], lw=1.5, ls=":")
            ax_loss.text(
                0.98, 0.97,
                f"dotted: {run.trajectories[i].label}'s noise floor ≈ {floors[i]:.2g}.\n"
                "Each mini-batch gradient points a little off,\nso at a constant α "
                "the path keeps jittering\naround the minimum instead of settling",
                transform=ax_loss.transAxes, fontsize=12, va="top", ha="right",
                color=GREY_22, bbox=dict(fc="white", ec=GREY_99, alpha=0.9),
            )  # fmt: skip
        ax_loss.set_title(r"$L - L^*$ per sample read", loc="left")
        fig.suptitle(f"Gradient descent on ${surface.latex}$", fontsize=16)
    return fig
