"""The receptive field: stacked convolutions, traced back by back-propagation."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from .._figure import Figure
from ..convolution import bare, text_color
from ..style import GREY_99, GREY_DD, style
from .common import HIGHLIGHT, set_caption

__all__ = ["receptive_field_figure"]


def receptive_field_figure(lesson) -> Figure:
    r"""Stacked convolutions and the receptive field growing, drawn from ``lesson``
    (:func:`optviz.nn.cnn_lessons.receptive_field_lesson`).

    Top: the input and the output of each of the lesson's stacked ``kernel`` x
    ``kernel`` convolutions; the centre unit of the last layer is traced back by
    back-propagation, and the square it depends on is outlined in every layer; the
    numbers on the input count the paths from each pixel to the unit. Bottom: the
    measured side for 1 .. ``deepest`` layers against :math:`1 + L(F - 1)`.
    """
    maps, sides, layers, kernel = lesson.maps, lesson.sides, lesson.layers, lesson.kernel
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
            r0 = lesson.starts[depth]
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
        depth, measured = lesson.depths, lesson.measured
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
