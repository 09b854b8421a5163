"""The CNN's training paths, each on a plane of its own (small multiples), beside the
true loss at the recorded parameters and the loss on the straight line from the start
to each end point. Drawn from the :class:`~optviz.records.Lesson` of
:func:`optviz.own_planes.own_planes_lesson`; nothing is computed here."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LogNorm

from ..records import Lesson
from ._figure import Figure
from .contours import SURFACE_CMAP
from .style import GREY_88, INK_SLATE, color, style, title

__all__ = ["own_planes_figure", "draw_own_plane", "LEVELS"]

#: Contour levels of the small planes, log-spaced over all five (one colour scale).
LEVELS = 16
LINE_PANEL = "straight lines"  # the lesson's panel of straight lines


def _planes(lesson: Lesson) -> list:
    return [p for p in lesson.panels if p.label != LINE_PANEL]


def _norm(planes) -> tuple[LogNorm, np.ndarray]:
    """One log colour scale over every plane's loss."""
    low = min(float(np.min(p.arrays["loss"])) for p in planes)
    high = max(float(np.max(p.arrays["loss"])) for p in planes)
    levels = np.geomspace(max(low, high * 1e-6), high, LEVELS)
    return LogNorm(levels[0], levels[-1]), levels


def draw_own_plane(ax, panel, norm, levels):
    """One path on its own plane over the loss there; returns the filled contours."""
    a, b, loss = panel.arrays["a"], panel.arrays["b"], panel.arrays["loss"]
    filled = ax.contourf(
        a, b, loss, levels=levels, cmap=SURFACE_CMAP, norm=norm, extend="both"
    )
    ax.contour(a, b, loss, levels=levels, colors=INK_SLATE, linewidths=0.5, alpha=0.4)
    xy = panel.arrays["path"]
    c = color(panel.facts["optimizer"])
    ax.plot(xy[:, 0], xy[:, 1], "-", color=c, lw=2.4)
    ax.plot(*xy[-1], "o", ms=9, mfc=c, mec="white", mew=1.5, zorder=8)
    ax.plot(*xy[0], "o", ms=10, mfc="black", mec="white", mew=1.5, zorder=9)
    e1, e2 = (100 * v for v in panel.facts["explained"])
    ax.set_xlabel(f"direction 1 ({e1:.0f}%)", fontsize=12)
    ax.set_ylabel(f"direction 2 ({e2:.0f}%)", fontsize=12)
    ax.tick_params(labelsize=10)
    ax.set_xlim(a[0], a[-1])
    ax.set_ylim(b[0], b[-1])
    share = 100 * panel.facts["captured"]
    t = ax.set_title(
        f"{title(panel.label)}\n{share:.0f}% of its path in its plane", fontsize=13
    )
    t.set_gid("captured")
    return filled


def _true_loss(ax, planes) -> None:
    for p in planes:
        c = color(p.facts["optimizer"])
        ax.plot(
            p.arrays["steps"], p.arrays["path_loss"], color=c, lw=2.2, label=title(p.label)
        )
    ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("training loss (log)")
    ax.grid(True, alpha=0.3)
    ax.set_title("true loss at the recorded parameters", loc="left")
    ax.legend(loc="upper right", fontsize=12, framealpha=0.9)


def _lines(ax, lesson: Lesson, planes) -> None:
    line = lesson[LINE_PANEL]
    t = line.arrays["t"]
    by_label = {p.label: p for p in planes}
    for k, label in enumerate(line.facts["labels"]):
        loss = line.arrays[f"loss.{k}"]
        c = color(by_label[label].facts["optimizer"])
        ax.plot(t, loss, color=c, lw=2.4)
        end = int(np.argmin(np.abs(t - 1.0)))
        ax.plot(1.0, loss[end], "o", ms=8, mfc=c, mec="white")
    start = line.arrays["loss.0"][int(np.argmin(np.abs(t)))]
    ax.plot(0.0, start, "o", ms=10, mfc="black", mec="white")
    for x in (0.0, 1.0):
        ax.axvline(x, color=GREY_88, lw=0.8, ls=":")
    ax.set_yscale("log")
    ax.set_xlabel("t: start (0) -> the optimizer's end point (1)")
    ax.set_ylabel("loss at start + t (end - start) (log)")
    ax.grid(True, alpha=0.3)
    ax.set_title("no plane: the straight line start -> end", loc="left")


def own_planes_figure(lesson: Lesson) -> Figure:
    """Top: each path on the plane of its own top two principal directions over the
    loss there (one log colour scale for all; the black dot is the shared start),
    titled with the share of the path the plane holds. Bottom: the true loss at the
    recorded parameters by training step, and the loss on the straight line from the
    start to each end point."""
    planes = _planes(lesson)
    norm, levels = _norm(planes)
    with style():
        fig = Figure(figsize=(16, 9), layout="constrained")
        grid = fig.add_gridspec(2, len(planes), height_ratios=[1, 1.15])
        filled = None
        maps = []
        for k, panel in enumerate(planes):
            ax = fig.add_subplot(grid[0, k])
            filled = draw_own_plane(ax, panel, norm, levels)
            maps.append(ax)
        bar = fig.colorbar(filled, ax=maps, shrink=0.9, pad=0.01)
        bar.set_label("loss (log)")
        bar.set_ticks(levels[::5])
        bar.ax.set_yticklabels([f"{v:.2g}" for v in levels[::5]])
        bar.ax.minorticks_off()
        bottom = grid[1, :].subgridspec(1, 2)
        _true_loss(fig.add_subplot(bottom[0]), planes)
        _lines(fig.add_subplot(bottom[1]), lesson, planes)
        n = lesson.settings.get("evaluated_on")
        on = f"; loss on {n} training images" if n else ""
        fig.suptitle(
            "The CNN's training paths, each on the plane of its own top two principal "
            f"directions{on}",
            fontsize=16,
        )
    return fig
