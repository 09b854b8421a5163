r"""Teaching figures for the CNN part of the notes: activations, convolution and
pooling (drawn in :mod:`optviz.plot.convolution`, named here too), softmax and the
losses.

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

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ._figure import Figure
from ._moved import moved
from .convolution import (
    annotate_cells,
    bare,
    convolution_figure,
    text_color,
    worked_size,
)
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
    "annotate_cells",
    "bare",
    "text_color",
    "worked_size",
    "convolution_figure",
    "losses_figure",
]

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


def _activation_panel(ax, lesson, curve, title: str) -> None:
    """One activation: the function, its derivative dashed, where it is dead,
    leaky or saturating."""
    x, x_range, saturation = lesson.x, lesson.x_range, lesson.saturation
    name, kind, f, d = curve.name, curve.kind, curve.f, curve.d
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
        slope = curve.slope
        ax.text(
            x_range[0] / 2,
            0.97,
            f"$f'(x) = a = {slope:g}$\nno dead zone",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=12,
            color=GREY_33,
        )
    else:
        text = f"saturating\n$f' < {saturation:g}$"
        _shade(ax, x, curve.saturating, SATURATING_COLOR, text, at=0.4)
        top = curve.top
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
    ax.set_xlim(*x_range)
    ax.set_title(title, loc="left")
    ax.set_xlabel("input x")


def _mean_output_panel(ax, curves) -> None:
    """The mean output for inputs x ~ N(0, 1): only tanh's is 0."""
    names = [c.name for c in curves]
    means = [c.mean for c in curves]
    rows = np.arange(len(names))[::-1]
    colors = [ZERO_CENTRED_COLOR if c.zero_centred else OTHER_COLOR for c in curves]
    ax.barh(rows, means, color=colors, height=0.6)
    for row, m, c in zip(rows, means, colors):
        zero = c == ZERO_CENTRED_COLOR
        text = f"{m:.2f}: zero-centred" if zero else f"{m:.2f}"
        ax.text(m + 0.03, row, text, va="center", fontsize=12, color=c if zero else "black")
        if zero:
            ax.plot(0, row, "o", color=c, ms=9)
    ax.axvline(0, color=GREY_44, lw=1)
    ax.set_yticks(rows, names)
    ax.set_xlim(-0.05, 0.68)
    ax.set_xlabel(r"mean output $E[f(x)]$, $x \sim N(0, 1)$")
    ax.set_title("zero-centred output: only tanh", loc="left")


def _activations_legend(fig, saturation: float) -> None:
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
            label=f"saturating: f'(x) < {saturation:g}, the gradient vanishes",
        ),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)


def activations_figure(lesson) -> Figure:
    r"""ReLU, LeakyReLU, PReLU, sigmoid and tanh with their derivatives, drawn from
    ``lesson`` (:func:`optviz.nn.cnn_lessons.activations`).

    One panel per activation: the function solid, its derivative dashed, computed by
    the layer's ``forward`` and ``backward`` (with ``grad = 1``). Shaded: ReLU's dead
    zone (x < 0, where :math:`f' = 0`) and the saturating regions of sigmoid and tanh
    (:math:`f' <` the lesson's saturation). The last panel shows the mean output for
    inputs :math:`x \sim N(0, 1)`: only tanh's is 0 (zero-centred).

    Examples
    --------
    >>> from optviz.nn.cnn_lessons import activations
    >>> fig = activations_figure(activations())
    >>> [ax.get_title(loc="left").split(":")[0] for ax in fig.axes[:5]]
    ['ReLU', 'LeakyReLU', 'PReLU', 'sigmoid', 'tanh']
    """
    titles = {
        "ReLU": r"ReLU: $\max(0,\, x)$",
        "LeakyReLU": f"LeakyReLU: a = {lesson.a_leaky:g} (fixed)",
        "PReLU": f"PReLU: learned a (example: a = {lesson.a_prelu:g})",
        "sigmoid": r"sigmoid: $1/(1+e^{-x})$",
        "tanh": r"tanh: $\tanh(x)$",
    }
    with style():
        fig = Figure(figsize=(16, 9), layout="constrained")  # 16:9
        axes = fig.subplots(2, 3).ravel()
        for ax, curve in zip(axes, lesson.curves):
            _activation_panel(ax, lesson, curve, titles[curve.name])
        _mean_output_panel(axes[-1], lesson.curves)
        _activations_legend(fig, lesson.saturation)
        fig.suptitle(
            "Activation functions f(x) and their derivatives df/dx: "
            "where df/dx is 0, no gradient flows back",
            fontsize=17,
        )
    return fig


# -- softmax and the losses -------------------------------------------------------
def _softmax_panel(ax_p, z, probs) -> None:
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


def _mse_panel(ax_mse, y_hat, mse) -> None:
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


def _bce_panel(ax_bce, y_hat, bce1, bce0) -> None:
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


def _ce_panel(ax_ce, z, multi) -> None:
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


def losses_figure(lesson) -> Figure:
    r"""Softmax, and the three losses as functions of the prediction, drawn from
    ``lesson`` (:func:`optviz.nn.cnn_lessons.losses`).

    (a) the squared error :math:`(y - \hat y)^2` for :math:`y = 1`, at most 1 while
    :math:`\hat y` and :math:`y` are in [0, 1]; beside it (b) binary cross-entropy
    :math:`-[y \ln\hat y + (1-y)\ln(1-\hat y)]` for :math:`y = 1` and :math:`y = 0`;
    (c) the softmax of the logits :math:`(z, 0, 0)` as :math:`z` varies;
    (d) multi-class cross-entropy of the logits :math:`(z, 0, 0)` for true class 1,
    :math:`\ln(e^z + 2) - z`. (a) and (b) share the loss axis, so that
    cross-entropy's unbounded cost of a confident wrong answer shows against MSE's at
    most 1.

    Examples
    --------
    >>> from optviz.nn.cnn_lessons import losses
    >>> len(losses_figure(losses()).axes)
    4
    """
    z, y_hat, probs, multi = lesson.z, lesson.y_hat, lesson.probs, lesson.multi
    mse, bce1, bce0 = lesson.mse, lesson.bce1, lesson.bce0
    loss_top = 5.0
    with style():
        fig = Figure(figsize=(16, 9), layout="constrained")  # 16:9
        # the two losses of a probability side by side, on one loss axis
        (ax_mse, ax_bce), (ax_p, ax_ce) = fig.subplots(2, 2)

        _softmax_panel(ax_p, z, probs)
        _mse_panel(ax_mse, y_hat, mse)
        _bce_panel(ax_bce, y_hat, bce1, bce0)
        for ax in (ax_mse, ax_bce):
            ax.set_xlim(0, 1)
            ax.set_ylim(0, loss_top)
            ax.legend(loc="upper right", fontsize=12)

        _ce_panel(ax_ce, z, multi)
        fig.suptitle(
            "Cross-entropy punishes a confident wrong answer without bound; "
            "MSE on probabilities stays at most 1",
            fontsize=17,
        )
    return fig


#: Names this module exported before the lessons' numbers moved (deprecated).
__getattr__ = moved(
    "optviz.plot.nn_figures",
    {
        "KERNELS": "optviz.nn.cnn_lessons",
        "LEAKY_A": "optviz.nn.cnn_lessons",
        "PRELU_A": "optviz.nn.cnn_lessons",
        "SATURATION": "optviz.nn.cnn_lessons",
    },
)
