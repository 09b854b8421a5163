"""The receptive field: stacked convolutions, traced back by back-propagation."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from ...nn.layers import Conv2D
from .._figure import Figure
from ..convolution import bare, text_color
from ..style import GREY_99, GREY_DD, style
from .common import HIGHLIGHT, set_caption

__all__ = ["receptive_field", "receptive_field_figure"]


def receptive_field(layers: int, *, kernel: int = 3, side: int | None = None):
    """Measure, by back-propagation, which input pixels one output unit of
    ``layers`` stacked ``kernel`` x ``kernel`` convolutions (stride 1, no padding,
    all weights 1) depends on.

    Returns ``(maps, sides)``: ``maps[0]`` is the input's gradient of the centre unit
    of the last layer, ``maps[l]`` the gradient at layer ``l``'s output (the last is
    one-hot); ``sides[l]`` the side of the non-zero square of ``maps[l]``.

    Examples
    --------
    >>> receptive_field(3)[1]
    [7, 5, 3, 1]
    """
    side = side or (kernel - 1) * layers + 5
    convs = [Conv2D(1, 1, kernel, dtype=np.float64) for _ in range(layers)]
    for conv in convs:
        conv.weight[...] = 1.0
        conv.bias[...] = 0.0
    x = np.zeros((1, 1, side, side))
    outs = [x]
    for conv in convs:
        outs.append(np.array(conv.forward(outs[-1])))
    last = outs[-1]
    grad = np.zeros_like(last)
    c = last.shape[-1] // 2
    grad[0, 0, c, c] = 1.0
    maps = [grad[0, 0]]
    for conv in reversed(convs):
        grad = conv.backward(grad)
        maps.append(np.array(grad[0, 0]))
    maps = maps[::-1]
    sides = []
    for m in maps:
        rows = np.flatnonzero(np.abs(m).sum(axis=1) > 0)
        sides.append(int(rows[-1] - rows[0] + 1))
    return maps, sides


def receptive_field_figure(layers: int = 3, *, kernel: int = 3, deepest: int = 8) -> Figure:
    r"""Stacked convolutions and the receptive field growing.

    Top: the input and the output of each of ``layers`` stacked ``kernel`` x
    ``kernel`` convolutions; the centre unit of the last layer is traced back by
    back-propagation (:func:`receptive_field`), and the square it depends on is
    outlined in every layer; the numbers on the input count the paths from each
    pixel to the unit. Bottom: the measured side for 1 .. ``deepest`` layers against
    :math:`1 + L(F - 1)`.
    """
    maps, sides = receptive_field(layers, kernel=kernel)
    with style():
        fig = Figure(figsize=(17, 9.5), layout="constrained")
        grid = fig.add_gridspec(2, layers + 1, height_ratios=[1.25, 1])
        for depth, (m, side) in enumerate(zip(maps, sides)):
            ax = fig.add_subplot(grid[0, depth])
            n = m.shape[0]
            top = float(m.max())
            im = ax.imshow(m, cmap="Oranges", vmin=0, vmax=top * 1.15)
            im.set_label(f"layer {depth}")
            if depth == 0 and n <= 13:
                nz = np.where(m > 0, m, np.nan)
                for (r, c), v in np.ndenumerate(nz):
                    if np.isfinite(v):
                        ax.text(
                            c,
                            r,
                            f"{v:g}",
                            ha="center",
                            va="center",
                            fontsize=9,
                            color=text_color(im, v),
                        )
            rows = np.flatnonzero(m.sum(axis=1) > 0)
            r0 = rows[0]
            ax.add_patch(
                Rectangle((r0 - 0.5, r0 - 0.5), side, side, fill=False, ec=HIGHLIGHT, lw=3)
            )
            for g in range(n + 1):
                ax.axhline(g - 0.5, color=GREY_DD, lw=0.6)
                ax.axvline(g - 0.5, color=GREY_DD, lw=0.6)
            bare(ax)
            name = "input" if depth == 0 else f"after convolution {depth}"
            ax.set_title(f"{name}: {n}×{n}", fontsize=14)
            if depth == layers:
                ax.set_xlabel("the unit traced back")
            elif depth == 0:
                ax.set_xlabel(f"it sees {side}×{side} here (numbers: paths to the unit)")
            else:
                ax.set_xlabel(f"it sees {side}×{side} here")
        ax = fig.add_subplot(grid[1, :])
        depth = np.arange(1, deepest + 1)
        measured = [receptive_field(int(d), kernel=kernel)[1][0] for d in depth]
        ax.plot(
            depth,
            1 + depth * (kernel - 1),
            color=GREY_99,
            lw=1.5,
            ls="--",
            label=f"$1 + L\\,(F - 1)$ with $F$ = {kernel}",
        )
        ax.plot(
            depth,
            measured,
            "o",
            color=HIGHLIGHT,
            ms=10,
            label="measured by back-propagation",
        )
        for d, v in zip(depth, measured):
            ax.text(d, v + 0.8, f"{v}×{v}", ha="center", fontsize=12)
        ax.set_xlabel(f"stacked {kernel}×{kernel} convolutions L")
        ax.set_ylabel("receptive field side (pixels)")
        ax.set_xticks(depth)
        ax.set_ylim(0, measured[-1] + 3)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="upper left")
        set_caption(fig, "receptive-field")
    return fig
