r"""Convolution and pooling as a figure, and the helpers that draw an image as a grid
of numbered cells (used by the CNN lessons too).

A feature map is a real :class:`~optviz.nn.layers.Conv2D`'s output with the kernels set
as its weights, pooled by :class:`~optviz.nn.layers.MaxPool2D` and
:class:`~optviz.nn.layers.AvgPool2D`; output sizes come from
:func:`~optviz.nn.im2col.conv_output_size`.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike

from ..nn.activations import ReLU
from ..nn.im2col import conv_output_size
from ..nn.layers import AvgPool2D, Conv2D, MaxPool2D
from ._figure import Figure
from .style import GREY_88, style

__all__ = [
    "convolution_figure",
    "KERNELS",
    "text_color",
    "annotate_cells",
    "bare",
    "worked_size",
]

#: 3x3 kernels for :func:`convolution_figure`: Prewitt edge detectors and a box blur.
KERNELS: dict[str, np.ndarray] = {
    "vertical edge": np.array([[-1.0, 0.0, 1.0]] * 3),
    "horizontal edge": np.array([[-1.0, 0.0, 1.0]] * 3).T.copy(),
    "blur": np.full((3, 3), 1.0 / 9.0),
}


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


def worked_size(h1: int, fh: int, p: int, s: int, *, symbols: bool = False) -> str:
    r"""The notes' output size, worked out: ``$H_2 = \dfrac{8 - 3 + 2\cdot 1}{1} + 1 =
    8$``, the result from :func:`conv_output_size`; ``symbols`` puts the formula in
    letters first."""
    h2 = conv_output_size(h1, fh, p, s)
    letters = r"\dfrac{H_1 - F_H + 2P}{S} + 1 = " if symbols else ""
    return rf"$H_2 = {letters}\dfrac{{{h1} - {fh} + 2\cdot {p}}}{{{s}}} + 1 = {h2}$"


def _conv_inputs(image, kernels, names) -> tuple[np.ndarray, np.ndarray, list]:
    """(image (H, W), kernels (F, FH, FW), names), checked; the default kernels
    when none are given."""
    if kernels is None:
        kernels, names = np.stack(list(KERNELS.values())), list(KERNELS)
    kernels = np.asarray(kernels, dtype=np.float64)
    if kernels.ndim == 2:
        kernels = kernels[None]
    if kernels.ndim != 3:
        raise ValueError(f"kernels must have shape (F, FH, FW), got {kernels.shape}")
    names = [f"kernel {i + 1}" for i in range(len(kernels))] if names is None else names
    names = list(names)
    if len(names) != len(kernels):
        raise ValueError(f"{len(kernels)} kernels but {len(names)} names")
    img = np.asarray(image, dtype=np.float64)
    img = img.reshape(img.shape[-2:]) if img.ndim == 4 and img.shape[:2] == (1, 1) else img
    if img.ndim != 2:
        raise ValueError(f"image must have shape (H, W) or (1, 1, H, W), got {img.shape}")
    return img, kernels, names


def _conv_maps(img, kernels, padding: int, pool: int) -> tuple:
    """(feature maps after ReLU, max-pooled, average-pooled), each ``(F, H, W)``."""
    n_k, fh, fw = kernels.shape
    conv = Conv2D(1, n_k, (fh, fw), stride=1, padding=padding, dtype=np.float64)
    conv.weight[...] = kernels[:, None]  # (F, FH, FW) -> (F, 1, FH, FW)
    conv.bias[...] = 0
    x = img[None, None]  # (H, W) -> (1, 1, H, W)
    fmaps = np.array(ReLU().forward(conv.forward(x)))  # (1, F, H2, W2)
    maxed = np.array(MaxPool2D(pool).forward(fmaps))[0]  # (F, H3, W3)
    averaged = np.array(AvgPool2D(pool).forward(fmaps))[0]
    return fmaps[0], maxed, averaged


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


def _size_formulas(fig, grid, n_k: int, sizes: tuple, padding: int, pool: int) -> None:
    """Under the panels: the output sizes worked out for the convolution and pooling."""
    h1, fh, h2 = sizes
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
            worked_size(h1, fh, padding, 1, symbols=True),
        ),
        (
            ax_pool,
            f"max pooling and average pooling: {pool}×{pool}, stride {pool}",
            worked_size(h2, pool, 0, pool),
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


def convolution_figure(
    image: ArrayLike,
    kernels: ArrayLike | None = None,
    names: Sequence[str] | None = None,
    *,
    padding: int = 1,
    pool: int = 2,
) -> Figure:
    r"""A digit, a few kernels, their feature maps, and both poolings of each.

    Each kernel becomes one filter of a :class:`~optviz.nn.layers.Conv2D` (stride 1,
    zero padding ``padding``, bias 0); its feature map is the convolution followed by
    ReLU, which is then pooled by :class:`~optviz.nn.layers.MaxPool2D` and
    :class:`~optviz.nn.layers.AvgPool2D` (``pool`` x ``pool`` windows, stride
    ``pool``). A row per kernel; the feature map and its two poolings share one colour
    scale. The output sizes are worked out with the notes' formula
    :math:`H_2 = (H_1 - F_H + 2P)/S + 1` (:func:`~optviz.nn.im2col.conv_output_size`).

    Like every CNN library, ``Conv2D`` slides the kernel without flipping it (a
    cross-correlation), so the vertical-edge kernel lights up where the ink starts
    from left to right.

    Parameters
    ----------
    image : array_like, shape (H, W) or (1, 1, H, W)
        A grey image, e.g. one of :func:`optviz.nn.data.digits`.
    kernels : array_like, shape (F, FH, FW), optional
        The kernels; default the three of :data:`KERNELS`.
    names : sequence of F str, optional
        A name for each kernel (default the keys of :data:`KERNELS`).
    padding : int
        Zero padding :math:`P` of the convolution.
    pool : int
        Window size and stride of both poolings.

    Returns
    -------
    Figure

    Examples
    --------
    >>> from optviz.nn.data import digits
    >>> fig = convolution_figure(digits()[0][0, 0])
    >>> fig.axes[4].get_xlabel()
    'input 8×8'
    """
    img, kernels, names = _conv_inputs(image, kernels, names)
    n_k, fh, fw = kernels.shape
    h1, w1 = img.shape

    fmaps, maxed, averaged = _conv_maps(img, kernels, padding, pool)
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
        _size_formulas(fig, grid, n_k, (h1, fh, h2), padding, pool)
        fig.suptitle(
            "Each kernel makes its own feature map (convolution, then ReLU); "
            "pooling keeps the max or the average of each window",
            fontsize=16,
        )
        _settle(fig)
    return fig
