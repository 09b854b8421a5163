"""The comparison figure: paths over the contour map, loss curves beside it."""

from __future__ import annotations

import numpy as np

from ._figure import Figure
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from .curves import draw_loss, loss_axis
from .style import style, title

__all__ = ["compare_figure", "legend_label"]


def _fmt(value) -> str:
    if isinstance(value, (list, tuple)):
        return "/".join(_fmt(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def legend_label(traj) -> str:
    """``Adam  α=0.05`` (and any key the label itself names)."""
    lr = traj.hyperparameters.get("lr")
    lr_text = f"  α={_fmt(lr)}" if isinstance(lr, (int, float)) else ""
    extra = traj.label.partition(" ")[2]
    return f"{title(traj.optimizer)}{lr_text}" + (f" {extra}" if extra else "")


def compare_figure(surface, run, *, figsize=(14, 6)) -> Figure:
    """Trajectories of a single-start :class:`~optviz.records.Run` over the contour
    map of ``surface``, with f - f* per step on a log axis beside it."""
    if np.asarray(run.start).ndim != 1:
        raise ValueError("compare_figure draws a single-start run; got a batch of starts")
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax_map, ax_loss = fig.subplots(1, 2, width_ratios=[1.1, 1])
        draw_surface(ax_map, surface)
        draw_landmarks(ax_map, surface)
        for traj in run:
            draw_trajectory(ax_map, traj)
        draw_start(ax_map, run.start)
        ax_map.set_title("paths", loc="left")
        ax_map.legend(loc="lower right", fontsize=11, framealpha=0.9)
        loss_axis(ax_loss, surface)
        for traj in run:
            draw_loss(ax_loss, surface, traj, label=legend_label(traj))
        ax_loss.set_title(
            f"{run.steps} steps from ({run.start[0]:g}, {run.start[1]:g})", loc="left"
        )
        ax_loss.legend(loc="best", frameon=True, framealpha=0.9)
        fig.suptitle(f"{surface.title}:  ${surface.latex}$", fontsize=17)
    return fig


def show(fig: Figure):  # pragma: no cover - interactive convenience
    """Attach a Figure made here to pyplot so ``plt.show()`` shows it."""
    import matplotlib.pyplot as plt  # only here: pyplot is slow to import

    manager = plt.figure().canvas.manager
    manager.canvas.figure = fig
    fig.set_canvas(manager.canvas)
    return fig
