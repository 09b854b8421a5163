"""An RGB convolution: one 3x3 kernel per channel, the three sums added, one bias."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from .._figure import Figure
from ..convolution import annotate_cells, bare
from ..style import GREY_55, style
from .common import HIGHLIGHT, set_caption

__all__ = ["rgb_convolution_figure", "CHANNELS", "CHANNEL_CMAPS"]

CHANNELS = ("R", "G", "B")
CHANNEL_CMAPS = ("Reds", "Greens", "Blues")


def _channel_row(fig, grid, c: int, x, w, patch, sums, cell) -> None:
    """Channel ``c``: its pixels (the window outlined) · its weights = the sum."""
    i, j = cell
    ax_x = fig.add_subplot(grid[c, 1])
    im = ax_x.imshow(x[c], cmap=CHANNEL_CMAPS[c], vmin=-1, vmax=6)
    im.set_label(f"channel {CHANNELS[c]}")
    annotate_cells(ax_x, im, x[c], ".0f", 13)
    ax_x.add_patch(Rectangle((j - 0.5, i - 0.5), 3, 3, fill=False, ec=HIGHLIGHT, lw=3))
    ax_x.set_ylabel(f"channel {CHANNELS[c]}", fontsize=15)
    bare(ax_x)
    ax_dot = fig.add_subplot(grid[c, 2])
    ax_dot.set_axis_off()
    ax_dot.text(0.5, 0.5, "·", ha="center", va="center", fontsize=40)
    ax_w = fig.add_subplot(grid[c, 3])
    im = ax_w.imshow(w[c], cmap="RdBu_r", vmin=-1.6, vmax=1.6)
    im.set_label(f"weights {CHANNELS[c]}")
    annotate_cells(ax_w, im, w[c], ".0f", 13)
    ax_w.set_xlabel(f"$w_{CHANNELS[c]}$", fontsize=15)
    bare(ax_w)
    ax_eq = fig.add_subplot(grid[c, 4])
    ax_eq.set_axis_off()
    ax_eq.text(0.5, 0.5, "=", ha="center", va="center", fontsize=30)
    ax_sum = fig.add_subplot(grid[c, 5])
    ax_sum.set_axis_off()
    terms = " + ".join(
        f"({int(a)})·{int(b)}" if a < 0 else f"{int(a)}·{int(b)}"
        for a, b in zip(w[c].ravel(), patch[c].ravel())
        if a != 0
    )
    ax_sum.text(0, 0.68, terms or "0", fontsize=13, va="center", color=GREY_55)
    t = ax_sum.text(
        0,
        0.3,
        rf"$w_{CHANNELS[c]}\cdot x_{CHANNELS[c]} = {sums[c]:g}$",
        fontsize=17,
        va="center",
    )
    t.set_gid(f"sum {CHANNELS[c]}")


def _total_row(fig, grid, sums, bias: float, y, cell) -> None:
    """The sums added, the bias; the output map, the worked cell outlined."""
    i, j = cell
    h2 = y.shape[0]
    ax_total = fig.add_subplot(grid[3, 0:4])
    ax_total.set_axis_off()
    added = " + ".join(f"({v:g})" if v < 0 else f"{v:g}" for v in (*sums, bias))
    total = rf"$y = {added} = {y[i, j]:g}$"
    ax_total.text(0.02, 0.75, r"$y = w_R\cdot x_R + w_G\cdot x_G + w_B\cdot x_B + b$")
    ax_total.texts[-1].set_fontsize(18)
    t = ax_total.text(0.02, 0.15, total, fontsize=18, color=HIGHLIGHT)
    t.set_gid("total")
    ax_total.text(
        0.62, 0.15, f"bias b = {bias:g}, one per kernel", fontsize=15, va="bottom"
    )
    ax_y = fig.add_subplot(grid[3, 5])
    im = ax_y.imshow(y, cmap="PuOr_r", vmin=-np.abs(y).max() - 1, vmax=np.abs(y).max() + 1)
    im.set_label("output")
    annotate_cells(ax_y, im, y, "g", 15)
    ax_y.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, ec=HIGHLIGHT, lw=3))
    ax_y.set_xlabel(f"feature map {h2}×{h2}", fontsize=15)
    bare(ax_y)


def rgb_convolution_figure(lesson) -> Figure:
    r"""One kernel on an RGB input: a 3x3 weight matrix per channel, one bias, drawn
    from ``lesson`` (:func:`optviz.nn.cnn_lessons.rgb_convolution`).

    The output at one window is
    :math:`y = w_R\cdot x_R + w_G\cdot x_G + w_B\cdot x_B + b` (the notes' ``y = wx +
    b``), worked out with the numbers of the lesson's cell and checked against the
    :class:`~optviz.nn.layers.Conv2D` whose weights they are (stride 1, no padding).
    """
    x, w, bias, y = lesson.x, lesson.w, lesson.bias, lesson.y
    patch, sums, (i, j) = lesson.patch, lesson.sums, lesson.cell
    with style():
        fig = Figure(figsize=(17, 9.5625), layout="constrained")  # 16:9
        grid = fig.add_gridspec(
            4,
            6,
            width_ratios=[1.1, 1.1, 0.25, 0.9, 0.25, 1.5],
            height_ratios=[1, 1, 1, 1.1],
        )
        ax_rgb = fig.add_subplot(grid[0:3, 0])
        ax_rgb.imshow(np.moveaxis(x, 0, -1) / x.max())
        ax_rgb.add_patch(
            Rectangle((j - 0.5, i - 0.5), 3, 3, fill=False, ec="white", lw=3.5, ls="--")
        )
        ax_rgb.set_xlabel(f"RGB input 3×{x.shape[1]}×{x.shape[2]}")
        bare(ax_rgb)
        for c in range(3):
            _channel_row(fig, grid, c, x, w, patch, sums, (i, j))
        _total_row(fig, grid, sums, bias, y, (i, j))
        set_caption(fig, "rgb-convolution")
    return fig
