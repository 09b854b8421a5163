r"""Convolution and pooling as a figure, and the helpers that draw an image as a grid
of numbered cells (used by the CNN lessons too).

The figure draws :func:`optviz.nn.cnn_lessons.convolution`'s numbers: a feature map is
a real :class:`~optviz.nn.layers.Conv2D`'s output with the kernels set as its weights,
pooled by :class:`~optviz.nn.layers.MaxPool2D` and :class:`~optviz.nn.layers.AvgPool2D`;
output sizes come from :func:`~optviz.nn.im2col.conv_output_size`.
"""

from __future__ import annotations

import numpy as np

from ._figure import Figure
from ._moved import moved
from .style import GREY_88, style

__all__ = [
    "convolution_figure",
    "text_color",
    "annotate_cells",
    "bare",
    "worked_size",
]


# -- convolution and pooling ------------------------------------------------------
def text_color(im, value: float) -> str:
    """Black or white, whichever reads better on ``value``'s colour in ``im``."""
    r, g, b, _ = im.cmap(im.norm(value))
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def annotate_cells(ax, im, values: np.ndarray, fmt: str, fontsize: float) -> None:
    """Write each value of ``values`` in its cell of image ``im``, black or white."""
    for (i, j), v in np.ndenumerate(values):
        ax.text(
            j,
            i,
            format(v, fmt),
            ha="center",
            va="center",
            fontsize=fontsize,
            color=text_color(im, v),
        )


def bare(ax) -> None:
    """No ticks; a thin grey frame."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color(GREY_88)


def _settle(fig: Figure, tries: int = 4) -> None:
    """Let constrained layout converge (a colour bar beside fixed-aspect images moves
    on the first draws), then pin every axes where it settled: every save, at any
    dpi, draws the same picture."""
    before = None
    for _ in range(tries):
        fig.draw_without_rendering()
        now = [tuple(ax.get_position().bounds) for ax in fig.axes]
        if now == before:
            break
        before = now
    fig.set_layout_engine("none")
    for ax, bounds in zip(fig.axes, before or []):
        ax.set_position(bounds)


def worked_size(size: tuple, *, symbols: bool = False) -> str:
    r"""The notes' output size ``size = (H1, FH, P, S, H2)``, worked out: ``$H_2 =
    \dfrac{8 - 3 + 2\cdot 1}{1} + 1 = 8$`` (``H2`` from
    :func:`optviz.nn.im2col.conv_output_size`, by the caller); ``symbols`` puts the
    formula in letters first."""
    h1, fh, p, s, h2 = size
    letters = r"\dfrac{H_1 - F_H + 2P}{S} + 1 = " if symbols else ""
    return rf"$H_2 = {letters}\dfrac{{{h1} - {fh} + 2\cdot {p}}}{{{s}}} + 1 = {h2}$"


def _headers(fig, grid, kernel: tuple, fmap: tuple, pooled: tuple) -> None:
    """The column titles, in a row of plain text axes (titles of fixed-aspect image
    axes make constrained layout shift between draws)."""
    (fh, fw), (h2, w2), (h3, w3) = kernel, fmap, pooled
    headers = [
        f"kernel {fh}×{fw}",
        f"feature map {h2}×{w2}",
        f"max pooling → {h3}×{w3}",
        f"average pooling → {h3}×{w3}",
    ]
    for col, header in enumerate(headers, start=1):
        ax = fig.add_subplot(grid[0, col])
        ax.set_axis_off()
        ax.text(0.5, 0.0, header, ha="center", va="bottom", fontsize=15)


def _input_panel(ax_in, img) -> None:
    h1, w1 = img.shape
    ax_in.imshow(img, cmap="gray_r", vmin=0, vmax=max(float(img.max()), 1e-12))
    ax_in.set_xlabel(f"input {h1}×{w1}", fontsize=15)
    bare(ax_in)


def _kernel_row(fig, grid, k: int, name: str, kernels, maps: tuple, limit: float) -> None:
    """Kernel ``k``, its feature map, and the map max- and average-pooled."""
    fmaps, maxed, averaged = maps
    fh, fw = kernels.shape[1:]
    ax_k = fig.add_subplot(grid[k + 1, 1])
    im = ax_k.imshow(kernels[k], cmap="RdBu_r", vmin=-limit, vmax=limit)
    annotate_cells(ax_k, im, kernels[k], ".2g", 13 if fh * fw <= 9 else 10)
    ax_k.set_ylabel(name, fontsize=15)
    bare(ax_k)
    top = max(float(fmaps[k].max()), 1e-12)
    shown = [
        (2, fmaps[k], "feature map", None),
        (3, maxed[k], "max pooling", ".1f"),
        (4, averaged[k], "average pooling", ".1f"),
    ]
    row = []
    for col, values, label, fmt in shown:
        ax = fig.add_subplot(grid[k + 1, col])
        row.append(ax)
        im = ax.imshow(values, cmap="magma", vmin=0, vmax=top)
        im.set_label(f"{label}: {name}")
        if fmt is not None and values.size <= 36:
            annotate_cells(ax, im, values, fmt, 12)
        bare(ax)
    bar = fig.colorbar(im, ax=row, location="right", shrink=0.9, pad=0.01)
    bar.ax.set_title("value", fontsize=12)


def _size_formulas(fig, grid, n_k: int, lesson) -> None:
    """Under the panels: the output sizes worked out for the convolution and pooling."""
    padding, pool = lesson.padding, lesson.pool
    ax_conv = fig.add_subplot(grid[n_k + 1, 1:3])
    ax_pool = fig.add_subplot(grid[n_k + 1, 3:5])
    for ax in (ax_conv, ax_pool):
        ax.set_axis_off()
    formulas = (
        (
            ax_conv,
            f"convolution: padding $P$ = {padding}, stride $S$ = 1\n"
            "a cross-correlation, as in every deep-learning library: "
            "the kernel is not flipped",
            worked_size(lesson.conv_size, symbols=True),
        ),
        (
            ax_pool,
            f"max pooling and average pooling: {pool}×{pool}, stride {pool}",
            worked_size(lesson.pool_size),
        ),
    )
    for ax, words, worked in formulas:
        for y, text, size in ((0.98, words, 14), (0.5, worked, 16)):
            t = ax.text(
                0.5,
                y,
                text,
                ha="center",
                va="top",
                fontsize=size,
                transform=ax.transAxes,
            )
            t.set_in_layout(False)  # may be wider than its columns


def convolution_figure(lesson) -> Figure:
    r"""A digit, a few kernels, their feature maps, and both poolings of each, drawn
    from ``lesson`` (:func:`optviz.nn.cnn_lessons.convolution`).

    Each kernel is one filter of a :class:`~optviz.nn.layers.Conv2D` (stride 1, zero
    padding, bias 0); its feature map is the convolution followed by ReLU, which is
    then pooled by :class:`~optviz.nn.layers.MaxPool2D` and
    :class:`~optviz.nn.layers.AvgPool2D`. A row per kernel; the feature map and its
    two poolings share one colour scale. The output sizes are worked out with the
    notes' formula :math:`H_2 = (H_1 - F_H + 2P)/S + 1`.

    Like every CNN library, ``Conv2D`` slides the kernel without flipping it (a
    cross-correlation), so the vertical-edge kernel lights up where the ink starts
    from left to right.

    Examples
    --------
    >>> from optviz.nn.cnn_lessons import convolution
    >>> from optviz.nn.data import digits
    >>> fig = convolution_figure(convolution(digits()[0][0, 0]))
    >>> fig.axes[4].get_xlabel()
    'input 8×8'
    """
    img, kernels, names = lesson.image, lesson.kernels, lesson.names
    fmaps, maxed, averaged = lesson.fmaps, lesson.maxed, lesson.averaged
    n_k, fh, fw = kernels.shape
    h2, w2 = fmaps.shape[-2:]
    h3, w3 = maxed.shape[-2:]

    with style():
        fig = Figure(figsize=(15, 3.0 * n_k + 2.2), layout="constrained")
        # A header row of plain text axes holds the column titles: titles of
        # fixed-aspect image axes make constrained layout shift between draws.
        grid = fig.add_gridspec(
            n_k + 2,
            5,
            height_ratios=[0.12] + [1] * n_k + [0.6],
        )
        _headers(fig, grid, (fh, fw), (h2, w2), (h3, w3))
        _input_panel(fig.add_subplot(grid[1 : n_k + 1, 0]), img)
        limit = max(float(np.abs(kernels).max()), 1e-12)
        for k, name in enumerate(names):
            maps = (fmaps, maxed, averaged)
            _kernel_row(fig, grid, k, name, kernels, maps, limit)
        _size_formulas(fig, grid, n_k, lesson)
        fig.suptitle(
            "Each kernel makes its own feature map (convolution, then ReLU); "
            "pooling keeps the max or the average of each window",
            fontsize=16,
        )
        _settle(fig)
    return fig


#: Names this module exported before the lessons' numbers moved (deprecated).
__getattr__ = moved(
    "optviz.plot.convolution",
    {
        "KERNELS": "optviz.nn.cnn_lessons",
    },
)
