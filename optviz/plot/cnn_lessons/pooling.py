"""Pooling: whether a feature is in a window, not where."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from .._figure import Figure
from ..convolution import bare, text_color
from ..style import GREEN, GREY_77, GREY_88, style
from .common import HIGHLIGHT, LINK, set_caption

__all__ = ["pooling_shift_figure", "FOOT_POOL"]


#: The footer of :func:`pooling_shift_figure`: no winner, each keeps something else.
FOOT_POOL = (
    "Inside a window neither pooling cares where a feature is:\nmax keeps the strongest "
    "response ({mx:.1f}), average its mean over the window ({avg:.2f})"
)


def _sparse_annotate(ax, im, values: np.ndarray, fmt: str, fontsize: float) -> None:
    """Write each non-zero value in its cell; zeros stay blank (0 in grey when the
    array is small)."""
    for (i, j), v in np.ndenumerate(values):
        if v != 0:
            text, color = format(v, fmt), text_color(im, v)
        elif values.size <= 16:
            text, color = "0", GREY_77
        else:
            continue
        ax.text(j, i, text, ha="center", va="center", fontsize=fontsize, color=color)


def _verdict(ax, diff: np.ndarray) -> None:
    """Outline the cells that differ from the unshifted panel's and say how many."""
    n = int(diff.sum())
    for r, c in zip(*np.nonzero(diff)):
        ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, ec=LINK, lw=4))
    text = "same as unshifted" if n == 0 else f"{n} of {diff.size} cells differ"
    t = ax.set_xlabel(text, fontsize=14, color=GREEN if n == 0 else HIGHLIGHT)
    t.set_gid("verdict")


def pooling_shift_figure(lesson) -> Figure:
    r"""Max pooling's "whether, not where", and where it stops, drawn from ``lesson``
    (:func:`optviz.nn.cnn_lessons.pooling_shift`).

    Columns: a feature map, the same map shifted one pixel right (every detection
    stays inside its ``pool`` x ``pool`` window) and one pixel left (they cross the
    windows' edges). Rows: the map, its max pooling, its average pooling
    (:class:`~optviz.nn.layers.MaxPool2D`, :class:`~optviz.nn.layers.AvgPool2D`).
    Each pooled panel says how many cells differ from the unshifted one. Both poolings
    are shown without a winner: inside a window neither cares where; max keeps the
    strongest response, average its mean over the window.
    """
    pool, top = lesson.pool, lesson.top
    with style():
        fig = Figure(figsize=(16, 14), layout="constrained")
        axes = fig.subplots(3, 3)
        for col, name in enumerate(lesson.names):
            rows = [
                (lesson.maps[col], None),
                (lesson.maxed[col], lesson.max_differs[col]),
                (lesson.averaged[col], lesson.average_differs[col]),
            ]
            for row, (values, diff) in enumerate(rows):
                ax = axes[row, col]
                im = ax.imshow(values, cmap="YlOrBr", vmin=0, vmax=top)
                label = ("feature map", "max pooling", "average pooling")[row]
                im.set_label(f"{label}: {name}")
                _sparse_annotate(ax, im, values, ".2f" if row == 2 else ".1f", 13)
                if row == 0:
                    for g in range(pool, values.shape[0], pool):
                        ax.axhline(g - 0.5, color=GREY_88, lw=1.5)
                        ax.axvline(g - 0.5, color=GREY_88, lw=1.5)
                    ax.set_title(name, fontsize=15)
                bare(ax)
                if diff is not None and col > 0:
                    _verdict(ax, diff)
                if col == 0:
                    ylabel = (
                        "feature map",
                        f"max pooling {pool}×{pool}",
                        f"average pooling {pool}×{pool}",
                    )[row]
                    ax.set_ylabel(ylabel, fontsize=15)
        t = fig.text(
            0.5,
            0.0,
            FOOT_POOL.format(mx=lesson.strongest, avg=lesson.mean_there),
            ha="center",
            va="bottom",
            fontsize=15,
        )
        t.set_gid("foot")
        fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
        set_caption(fig, "pooling-shift")
    return fig
