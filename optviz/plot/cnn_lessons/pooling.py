"""Pooling: whether a feature is in a window, not where."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle
from numpy.typing import ArrayLike

from ...nn.layers import AvgPool2D, MaxPool2D
from .._figure import Figure
from ..convolution import bare, text_color
from ..style import GREEN, GREY_77, GREY_88, style
from .common import HIGHLIGHT, LINK, set_caption

__all__ = ["pooling_shift_figure", "shift", "DETECTIONS", "FOOT_POOL"]

#: A feature map with three detections, each in the left column of its 2x2 window (so
#: a one-pixel shift to the right keeps it inside the window).
DETECTIONS = np.zeros((8, 8))
DETECTIONS[0, 2], DETECTIONS[1, 2] = 0.9, 0.3
DETECTIONS[4, 0], DETECTIONS[5, 0] = 0.5, 0.6
DETECTIONS[4, 4], DETECTIONS[6, 6], DETECTIONS[7, 6] = 1.0, 0.7, 0.2


def shift(x: np.ndarray, right: int) -> np.ndarray:
    """``x`` moved ``right`` pixels to the right (left when negative), zeros coming in."""
    out = np.zeros_like(x)
    if right >= 0:
        out[..., right:] = x[..., : x.shape[-1] - right]
    else:
        out[..., :right] = x[..., -right:]
    return out


def _pools(x: np.ndarray, pool: int):
    x4 = x[None, None]
    return (
        np.array(MaxPool2D(pool).forward(x4))[0, 0],
        np.array(AvgPool2D(pool).forward(x4))[0, 0],
    )


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


def pooling_shift_figure(feature_map: ArrayLike | None = None, *, pool: int = 2) -> Figure:
    r"""Max pooling's "whether, not where", and where it stops.

    Columns: a feature map, the same map shifted one pixel right (every detection
    stays inside its ``pool`` x ``pool`` window) and one pixel left (they cross the
    windows' edges). Rows: the map, its max pooling, its average pooling
    (:class:`~optviz.nn.layers.MaxPool2D`, :class:`~optviz.nn.layers.AvgPool2D`).
    Each pooled panel says how many cells differ from the unshifted one. Both poolings
    are shown without a winner: inside a window neither cares where; max keeps the
    strongest response, average its mean over the window.
    """
    x = DETECTIONS if feature_map is None else np.asarray(feature_map, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"feature_map must have shape (H, W), got {x.shape}")
    columns = [
        ("unshifted", x),
        ("shifted 1 pixel right", shift(x, 1)),
        ("shifted 1 pixel left", shift(x, -1)),
    ]
    base_max, base_avg = _pools(x, pool)
    top = float(x.max()) or 1.0
    with style():
        fig = Figure(figsize=(16, 14), layout="constrained")
        axes = fig.subplots(3, 3)
        for col, (name, m) in enumerate(columns):
            mx, av = _pools(m, pool)
            rows = [(m, None), (mx, base_max), (av, base_avg)]
            for row, (values, base) in enumerate(rows):
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
                if base is not None and col > 0:
                    diff = ~np.isclose(values, base)
                    n = int(diff.sum())
                    for r, c in zip(*np.nonzero(diff)):
                        ax.add_patch(
                            Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, ec=LINK, lw=4)
                        )
                    text = (
                        "same as unshifted"
                        if n == 0
                        else f"{n} of {values.size} cells differ"
                    )
                    t = ax.set_xlabel(
                        text, fontsize=14, color=GREEN if n == 0 else HIGHLIGHT
                    )
                    t.set_gid("verdict")
                if col == 0:
                    ylabel = (
                        "feature map",
                        f"max pooling {pool}×{pool}",
                        f"average pooling {pool}×{pool}",
                    )[row]
                    ax.set_ylabel(ylabel, fontsize=15)
        r, c = np.unravel_index(np.argmax(base_max), base_max.shape)
        t = fig.text(
            0.5,
            0.0,
            FOOT_POOL.format(mx=base_max[r, c], avg=base_avg[r, c]),
            ha="center",
            va="bottom",
            fontsize=15,
        )
        t.set_gid("foot")
        fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
        set_caption(fig, "pooling-shift")
    return fig
