"""Pooling: whether a feature is in a window, not where."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from .._figure import Figure
from ..convolution import bare, text_color
from ..style import GREEN, GREY_55, GREY_77, GREY_88, style
from .common import HIGHLIGHT, LINK, set_caption

__all__ = ["pooling_shift_figure", "FOOT_POOL", "FOOT_MAX", "FOOT_STRONGEST"]


#: The footer of :func:`pooling_shift_figure`: both poolings ignore where a feature is
#: inside its window; what max pooling adds.
FOOT_POOL = (
    "Neither pooling cares where a feature is inside its window: shifted right, nothing "
    "changes;\nshifted left, features cross the windows' edges and both change"
)
#: The footer's second line, when the map has two windows of the same mean.
FOOT_MAX = (
    "What max pooling adds: the strongest response, whatever else is in the window "
    "(dashed):\nmax gives {mx:.1f} and {twin:.1f}, average {avg:.2f} and {avg:.2f}"
)
#: The footer's second line otherwise.
FOOT_STRONGEST = (
    "What max pooling adds: the strongest response ({mx:.1f}), whatever else is in "
    "the window;\naverage gives its mean over the window ({avg:.2f})"
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


def _lost(ax, lost: int) -> None:
    """Say under a shifted map how many values the shift pushed off it."""
    text = f"{lost} values pushed off the map" if lost else "nothing pushed off the map"
    t = ax.set_xlabel(text, fontsize=14, color=GREY_55 if lost == 0 else HIGHLIGHT)
    t.set_gid("lost")


def _pair(ax, cells) -> None:
    """Outline the windows the footer compares (dashed: not a difference)."""
    for r, c in cells:
        ax.add_patch(
            Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, ec=HIGHLIGHT, lw=4, ls="--")
        )


def _footer(lesson) -> str:
    if lesson.twin is None:
        second = FOOT_STRONGEST.format(mx=lesson.strongest, avg=lesson.mean_there)
    else:
        second = FOOT_MAX.format(
            mx=lesson.strongest, twin=lesson.twin_max, avg=lesson.mean_there
        )
    return FOOT_POOL + "\n" + second


def _panel(ax, lesson, row: int, col: int, name: str) -> None:
    pool, top = lesson.pool, lesson.top
    values, diff = (
        (lesson.maps[col], None),
        (lesson.maxed[col], lesson.max_differs[col]),
        (lesson.averaged[col], lesson.average_differs[col]),
    )[row]
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
    if row == 0 and col > 0:
        _lost(ax, lesson.lost[col])
    if diff is not None and col > 0:
        _verdict(ax, diff)
    if diff is not None and col == 0:
        _pair(ax, [lesson.cell] + ([lesson.twin] if lesson.twin is not None else []))
    if col == 0:
        ylabel = ("feature map", "max pooling", "average pooling")[row]
        ax.set_ylabel(ylabel if row == 0 else f"{ylabel} {pool}×{pool}", fontsize=15)


def pooling_shift_figure(lesson) -> Figure:
    r"""Pooling's "whether, not where", and what max pooling adds, drawn from
    ``lesson`` (:func:`optviz.nn.cnn_lessons.pooling_shift`).

    Columns: a feature map, the same map shifted one pixel right (every detection
    stays inside its ``pool`` x ``pool`` window) and one pixel left (they cross the
    windows' edges); under each shifted map, how many values the shift pushed off it.
    Rows: the map, its max pooling, its average pooling
    (:class:`~optviz.nn.layers.MaxPool2D`, :class:`~optviz.nn.layers.AvgPool2D`).
    Each pooled panel says how many cells differ from the unshifted one: both poolings
    ignore a shift inside the windows. What max pooling adds is outlined: two windows
    with the same mean and different strongest responses.
    """
    with style():
        fig = Figure(figsize=(16, 12), layout="constrained")  # 4:3
        axes = fig.subplots(3, 3)
        for col, name in enumerate(lesson.names):
            for row in range(3):
                _panel(axes[row, col], lesson, row, col, name)
        t = fig.text(0.5, 0.0, _footer(lesson), ha="center", va="bottom", fontsize=15)
        t.set_gid("foot")
        fig.get_layout_engine().set(rect=(0, 0.1, 1, 0.9))
        set_caption(fig, "pooling-shift")
    return fig
