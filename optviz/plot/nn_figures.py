r"""Teaching figures for the CNN part of the notes: activations, convolution and
pooling, softmax and the losses.

Every curve and image comes from :mod:`optviz.nn`'s own layers: a function is the
layer's ``forward``, its derivative the layer's ``backward`` with ``grad = 1``, a
feature map a :class:`~optviz.nn.layers.Conv2D` with the kernels set as its weights, a
loss the loss class itself. The figures therefore show what the code computes (the
layers are pure; nothing here trains or steps an optimizer).

Each function returns a :class:`matplotlib.figure.Figure` sized for a slide; the
gallery decides where it goes (and :func:`optviz.plot.i18n.localize` can switch its
labels to Chinese).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from numpy.typing import ArrayLike

from ..nn.activations import LeakyReLU, PReLU, ReLU, Sigmoid, Softmax, Tanh
from ..nn.im2col import conv_output_size
from ..nn.layers import AvgPool2D, Conv2D, MaxPool2D
from ..nn.losses import BCELoss, CrossEntropyLoss, MSELoss
from ._figure import Figure
from .style import (
    BLUE,
    GREEN,
    GREY_33,
    GREY_44,
    GREY_55,
    GREY_88,
    GREY_99,
    GREY_BB,
    ORANGE,
    PURPLE,
    VERMILION,
    style,
)

__all__ = [
    "activations_figure",
    "convolution_figure",
    "losses_figure",
    "KERNELS",
    "SATURATION",
    "LEAKY_A",
    "PRELU_A",
]

#: A derivative below this counts as saturating (the gradient all but vanishes).
SATURATION = 0.05
#: LeakyReLU's fixed slope, larger than the usual 0.01 so that it shows.
LEAKY_A = 0.1
#: An example of a learned PReLU slope (PReLU's initial value).
PRELU_A = 0.25
#: The inputs x of the activation curves.
X_RANGE = (-6.0, 6.0)
N_POINTS = 1201  # includes x = 0

#: 3x3 kernels for :func:`convolution_figure`: Prewitt edge detectors and a box blur.
KERNELS: dict[str, np.ndarray] = {
    "vertical edge": np.array([[-1.0, 0.0, 1.0]] * 3),
    "horizontal edge": np.array([[-1.0, 0.0, 1.0]] * 3).T.copy(),
    "blur": np.full((3, 3), 1.0 / 9.0),
}

#: The phrases of these figures that :data:`optviz.plot.i18n.PHRASES` lacks, in the
#: notes' terms (滑动步长, 边缘填充, 零均值 ...), for merging into that table; the
#: words it has ("derivative", "saturating", "dead zone", "feature map", ...) are
#: used as they are.

# Okabe-Ito colours, as in style.py.
FUNCTION_COLOR = BLUE  # blue
DERIVATIVE_COLOR = VERMILION  # vermilion
SATURATING_COLOR = GREY_BB
DEAD_COLOR = PURPLE
ZERO_CENTRED_COLOR = GREEN
OTHER_COLOR = GREY_99
CLASS_COLORS = (BLUE, ORANGE)


# -- activations ------------------------------------------------------------------
def _function_and_derivative(layer, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``f(x)`` by ``forward`` and ``f'(x)`` by ``backward`` with ``grad = 1``."""
    f = np.asarray(layer.forward(x), dtype=float)
    d = np.asarray(layer.backward(np.ones_like(x)), dtype=float)
    return f, d


def _runs(x: np.ndarray, mask: np.ndarray) -> list[tuple[float, float]]:
    """The intervals of ``x`` where ``mask`` holds, as ``(start, end)`` pairs."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return [(float(x[i]), float(x[j])) for i, j in zip(starts, ends)]


def _shade(ax, x, mask, color, text, *, alpha=0.35, at=0.97):
    """Shade every interval where ``mask`` holds and write ``text`` in it, its top at
    ``at`` (a fraction of the axes' height)."""
    for x0, x1 in _runs(x, mask):
        ax.axvspan(x0, x1, color=color, alpha=alpha, lw=0, zorder=0)
        ax.text(
            (x0 + x1) / 2,
            at,
            text,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=12,
            color=GREY_33,
        )


def _mean_output(layer) -> float:
    """:math:`E[f(x)]` for :math:`x \\sim N(0, 1)`, by quadrature on a fine grid."""
    x = np.linspace(-10.0, 10.0, 4001)
    weight = np.exp(-0.5 * x * x)
    return float(np.sum(np.asarray(layer.forward(x), dtype=float) * weight) / weight.sum())


def activations_figure(*, a_leaky: float = LEAKY_A, a_prelu: float = PRELU_A) -> Figure:
    r"""ReLU, LeakyReLU, PReLU, sigmoid and tanh with their derivatives.

    One panel per activation: the function solid, its derivative dashed, computed by
    the layer's ``forward`` and ``backward`` (with ``grad = 1``). Shaded: ReLU's dead
    zone (x < 0, where :math:`f' = 0`) and the saturating regions of sigmoid and tanh
    (:math:`f' <` :data:`SATURATION`). The last panel shows the mean output for inputs
    :math:`x \sim N(0, 1)`: only tanh's is 0 (zero-centred).

    Parameters
    ----------
    a_leaky : float
        LeakyReLU's fixed slope for x <= 0.
    a_prelu : float
        An example value of PReLU's learned slope.

    Returns
    -------
    Figure

    Examples
    --------
    >>> fig = activations_figure()
    >>> [ax.get_title(loc="left").split(":")[0] for ax in fig.axes[:5]]
    ['ReLU', 'LeakyReLU', 'PReLU', 'sigmoid', 'tanh']
    """
    x = np.linspace(*X_RANGE, N_POINTS)
    prelu = PReLU(init=a_prelu, dtype=np.float64)
    panels = [
        ("ReLU", ReLU(), r"ReLU: $\max(0,\, x)$", "dead"),
        ("LeakyReLU", LeakyReLU(a_leaky), f"LeakyReLU: a = {a_leaky:g} (fixed)", "leaky"),
        ("PReLU", prelu, f"PReLU: learned a (example: a = {a_prelu:g})", "leaky"),
        ("sigmoid", Sigmoid(), r"sigmoid: $1/(1+e^{-x})$", "saturating"),
        ("tanh", Tanh(), r"tanh: $\tanh(x)$", "saturating"),
    ]
    with style():
        fig = Figure(figsize=(16, 8.6), layout="constrained")
        axes = fig.subplots(2, 3).ravel()
        for ax, (name, layer, title, kind) in zip(axes, panels):
            f, d = _function_and_derivative(layer, x)
            ax.axhline(0, color=GREY_44, lw=0.8, zorder=1)
            ax.axvline(0, color=GREY_44, lw=0.8, zorder=1)
            ax.plot(x, f, color=FUNCTION_COLOR, label=f"{name} activation", zorder=3)
            ax.plot(
                x,
                d,
                color=DERIVATIVE_COLOR,
                ls="--",
                lw=2.4,
                label=f"{name} derivative",
                zorder=4,
            )
            if kind == "dead":
                _shade(ax, x, x < 0, DEAD_COLOR, "dead zone\n$f'(x) = 0$", alpha=0.2)
            elif kind == "leaky":
                slope = a_leaky if name == "LeakyReLU" else a_prelu
                ax.text(
                    X_RANGE[0] / 2,
                    0.97,
                    f"$f'(x) = a = {slope:g}$\nno dead zone",
                    transform=ax.get_xaxis_transform(),
                    ha="center",
                    va="top",
                    fontsize=12,
                    color=GREY_33,
                )
            else:
                text = f"saturating\n$f' < {SATURATION:g}$"
                _shade(ax, x, d < SATURATION, SATURATING_COLOR, text, at=0.4)
                top = float(d.max())
                ax.annotate(
                    f"largest $f'$ = {top:.2g}",
                    xy=(0, top),
                    # in the empty upper left, away from both curves
                    xytext=(-5.6, 0.6) if top < 0.5 else (-0.5, top + 0.05),
                    ha="left" if top < 0.5 else "right",
                    fontsize=12,
                    color=DERIVATIVE_COLOR,
                    arrowprops={"arrowstyle": "->", "color": DERIVATIVE_COLOR},
                )
            if kind == "saturating":
                ax.set_ylim(-1.15, 1.25)
            else:
                ax.set_ylim(-1.0, 3.2)
            ax.set_xlim(*X_RANGE)
            ax.set_title(title, loc="left")
            ax.set_xlabel("input x")
        # The last panel: the mean output for standard normal inputs (zero-centred?).
        ax = axes[-1]
        names = [p[0] for p in panels]
        means = [_mean_output(p[1]) for p in panels]
        rows = np.arange(len(names))[::-1]
        colors = [ZERO_CENTRED_COLOR if abs(m) < 1e-6 else OTHER_COLOR for m in means]
        ax.barh(rows, means, color=colors, height=0.6)
        for row, m, c in zip(rows, means, colors):
            zero = c == ZERO_CENTRED_COLOR
            text = f"{m:.2f}: zero-centred" if zero else f"{m:.2f}"
            ax.text(
                m + 0.03, row, text, va="center", fontsize=12, color=c if zero else "black"
            )
            if zero:
                ax.plot(0, row, "o", color=c, ms=9)
        ax.axvline(0, color=GREY_44, lw=1)
        ax.set_yticks(rows, names)
        ax.set_xlim(-0.05, 0.68)
        ax.set_xlabel(r"mean output $E[f(x)]$, $x \sim N(0, 1)$")
        ax.set_title("zero-centred output: only tanh", loc="left")
        handles = [
            Line2D([], [], color=FUNCTION_COLOR, label="activation f(x)"),
            Line2D(
                [],
                [],
                color=DERIVATIVE_COLOR,
                ls="--",
                lw=2.4,
                label="derivative f'(x) = df/dx, with respect to the input x",
            ),
            Patch(color=DEAD_COLOR, alpha=0.2, label="dead zone: f'(x) = 0"),
            Patch(
                color=SATURATING_COLOR,
                alpha=0.35,
                label=f"saturating: f'(x) < {SATURATION:g}, the gradient vanishes",
            ),
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
        fig.suptitle(
            "Activation functions f(x) and their derivatives df/dx: "
            "where df/dx is 0, no gradient flows back",
            fontsize=17,
        )
    return fig


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
    n_k, fh, fw = kernels.shape
    h1, w1 = img.shape

    conv = Conv2D(1, n_k, (fh, fw), stride=1, padding=padding, dtype=np.float64)
    conv.weight[...] = kernels[:, None]  # (F, FH, FW) -> (F, 1, FH, FW)
    conv.bias[...] = 0
    x = img[None, None]  # (H, W) -> (1, 1, H, W)
    fmaps = np.array(ReLU().forward(conv.forward(x)))  # (1, F, H2, W2)
    maxed = np.array(MaxPool2D(pool).forward(fmaps))[0]  # (F, H3, W3)
    averaged = np.array(AvgPool2D(pool).forward(fmaps))[0]
    fmaps = fmaps[0]
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
        ax_in = fig.add_subplot(grid[1 : n_k + 1, 0])
        ax_in.imshow(img, cmap="gray_r", vmin=0, vmax=max(float(img.max()), 1e-12))
        ax_in.set_xlabel(f"input {h1}×{w1}", fontsize=15)
        bare(ax_in)
        limit = max(float(np.abs(kernels).max()), 1e-12)
        for k, name in enumerate(names):
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
        fig.suptitle(
            "Each kernel makes its own feature map (convolution, then ReLU); "
            "pooling keeps the max or the average of each window",
            fontsize=16,
        )
        _settle(fig)
    return fig


# -- softmax and the losses -------------------------------------------------------
def _per_point(loss, predictions: np.ndarray, target) -> np.ndarray:
    """``loss`` at each prediction on its own (the losses average over a batch)."""
    return np.array([loss.forward(np.array([p]), np.array([target])) for p in predictions])


def losses_figure() -> Figure:
    r"""Softmax, and the three losses as functions of the prediction.

    (a) the squared error :math:`(y - \hat y)^2` for :math:`y = 1`, at most 1 while
    :math:`\hat y` and :math:`y` are in [0, 1]; beside it (b) binary cross-entropy
    :math:`-[y \ln\hat y + (1-y)\ln(1-\hat y)]` for :math:`y = 1` and :math:`y = 0`;
    (c) the softmax of the logits :math:`(z, 0, 0)` as :math:`z` varies;
    (d) multi-class cross-entropy of the logits :math:`(z, 0, 0)` for true class 1,
    :math:`\ln(e^z + 2) - z`. Computed by :class:`~optviz.nn.activations.Softmax`,
    :class:`~optviz.nn.losses.MSELoss`, :class:`~optviz.nn.losses.BCELoss` and
    :class:`~optviz.nn.losses.CrossEntropyLoss`. (a) and (b) share the loss axis, so
    that cross-entropy's unbounded cost of a confident wrong answer shows against
    MSE's at most 1.

    Returns
    -------
    Figure

    Examples
    --------
    >>> fig = losses_figure()
    >>> len(fig.axes)
    4
    """
    z = np.linspace(-6.0, 6.0, 481)
    y_hat = np.linspace(0.001, 0.999, 999)
    logits = np.stack([z, np.zeros_like(z), np.zeros_like(z)], axis=1)  # (N, 3)
    probs = np.asarray(Softmax().forward(logits), dtype=float)
    mse = _per_point(MSELoss(), y_hat, 1.0)
    bce1 = _per_point(BCELoss(), y_hat, 1.0)
    bce0 = _per_point(BCELoss(), y_hat, 0.0)
    ce = CrossEntropyLoss()
    multi = np.array([ce.forward(row[None], np.array([0])) for row in logits])
    loss_top = 5.0
    with style():
        fig = Figure(figsize=(15, 9.6), layout="constrained")
        # the two losses of a probability side by side, on one loss axis
        (ax_mse, ax_bce), (ax_p, ax_ce) = fig.subplots(2, 2)

        ax_p.plot(z, probs[:, 0], color=CLASS_COLORS[0], label="probability of class 1")
        ax_p.plot(
            z,
            probs[:, 1],
            color=CLASS_COLORS[1],
            ls="--",
            label="probability of class 2 and of class 3",
        )
        ax_p.axhline(1 / 3, color=GREY_88, lw=1, ls=":")
        ax_p.text(z[0], 1 / 3 + 0.02, "1/3", color=GREY_55, fontsize=12)
        ax_p.set_ylim(0, 1.02)
        ax_p.set_xlabel("logit z of class 1, the other logits 0")
        ax_p.set_ylabel("probability")
        ax_p.set_title("(c) softmax: scores become probabilities that sum to 1", loc="left")
        ax_p.legend(loc="upper left", fontsize=12)

        ax_mse.plot(y_hat, mse, color=FUNCTION_COLOR, label="MSE, label y = 1")
        ax_mse.annotate(
            "confident and wrong:\nloss is at most 1\n(for ŷ and y in [0, 1])",
            xy=(0.0, 1.0),
            xytext=(0.22, 3.0),
            fontsize=12,
            arrowprops={"arrowstyle": "->", "color": GREY_55},
        )
        ax_mse.set_title(
            r"(a) MSE $(y - \hat y)^2$: at most 1 when $\hat y$ and $y$ are in [0, 1]",
            loc="left",
        )
        ax_mse.set_ylabel("loss")
        ax_mse.set_xlabel(r"prediction $\hat y$")

        ax_bce.plot(y_hat, bce1, color=FUNCTION_COLOR, label="cross-entropy, label y = 1")
        ax_bce.plot(
            y_hat, bce0, color=DERIVATIVE_COLOR, ls="--", label="cross-entropy, label y = 0"
        )
        ax_bce.annotate(
            "confident and wrong:\nloss → ∞",
            xy=(0.01, 4.6),
            xytext=(0.2, 3.6),
            fontsize=12,
            arrowprops={"arrowstyle": "->", "color": GREY_55},
        )
        ax_bce.set_title(
            r"(b) binary cross-entropy: $-[y \ln \hat y + (1-y) \ln(1 - \hat y)]$",
            loc="left",
        )
        ax_bce.set_ylabel("loss")
        ax_bce.set_xlabel(r"prediction $\hat y$ (probability of class 1)")
        for ax in (ax_mse, ax_bce):
            ax.set_xlim(0, 1)
            ax.set_ylim(0, loss_top)
            ax.legend(loc="upper right", fontsize=12)

        ax_ce.plot(z, multi, color=FUNCTION_COLOR, label="cross-entropy, true class 1")
        ax_ce.plot(z, np.log(2) - z, color=GREY_88, lw=1, ls=":")
        ax_ce.text(-3.3, 5.4, "≈ ln 2 − z: grows without bound", color=GREY_55, fontsize=12)
        ax_ce.set_ylim(0, 7.0)
        ax_ce.set_xlabel("logit z of class 1, the other logits 0")
        ax_ce.set_ylabel("loss")
        ax_ce.set_title(
            r"(d) cross-entropy from logits: $-\ln \mathrm{softmax}(z)_1$", loc="left"
        )
        ax_ce.legend(loc="upper right", fontsize=12)
        fig.suptitle(
            "Cross-entropy punishes a confident wrong answer without bound; "
            "MSE on probabilities stays at most 1",
            fontsize=17,
        )
    return fig
