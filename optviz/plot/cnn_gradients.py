r"""The CNN's gradient lessons as figures: why a nonlinearity, what cross-entropy
measures, why it beats MSE at a sigmoid or softmax output, why gradients vanish
through sigmoids.

Every number drawn comes from :mod:`optviz.nn.gradient_lessons`, computed there by
:mod:`optviz.nn`'s own layers and losses; each figure takes that lesson's numbers and
only draws them, e.g. ``nonlinearity_figure(gradient_lessons.nonlinearity())``. Each
title is the figure's caption in the one caption table
(``optviz/plot/locale/<lang>/captions.json``).
"""

from __future__ import annotations

import numpy as np

from ._figure import Figure
from ._moved import moved
from .cnn_lessons.common import set_caption
from .style import BLUE, GREEN, GREY_55, GREY_99, GREY_DD, GREY_EE, ORANGE, VERMILION, style

__all__ = [
    "nonlinearity_figure",
    "cross_entropy_figure",
    "ce_vs_mse_figure",
    "vanishing_gradients_figure",
]

#: The largest slope of the sigmoid, at 0 (the bound drawn: 0.25ⁿ).
SIGMOID_SLOPE_MAX = 0.25
MSE_COLOR = BLUE  # blue
CE_COLOR = VERMILION  # vermilion
RELU_COLOR = GREEN  # green
TANH_COLOR = ORANGE  # orange
GREY = GREY_99


def _title(fig: Figure, name: str) -> None:
    set_caption(fig, name)


# -- why a nonlinearity --------------------------------------------------------------
def nonlinearity_figure(lesson) -> Figure:
    r"""Two Dense layers without an activation collapse into one; with ReLU they bend.

    (a) :math:`x \mapsto W_2(W_1 x + b_1) + b_2` for a Dense(1, ``hidden``) and a
    Dense(``hidden``, 1), and the single Dense(1, 1) they collapse into: the same
    line. (b) The same two layers with a ReLU between them: a bent line that no
    straight line fits (the least-squares line dashed), with a kink where each hidden
    unit switches on. ``lesson``: :func:`optviz.nn.gradient_lessons.nonlinearity`.
    """
    hidden, x, stacked, single = (
        lesson.hidden,
        lesson.x[:, None],
        lesson.stacked,
        lesson.single,
    )
    bent, slope, icpt, gap, kinks = (
        lesson.bent,
        lesson.slope,
        lesson.intercept,
        lesson.gap,
        lesson.kinks,
    )
    with style():
        fig = Figure(figsize=(16, 9), layout="constrained")  # 16:9
        ax_a, ax_b = fig.subplots(1, 2)
        ax_a.plot(x, stacked, color=MSE_COLOR, lw=5, alpha=0.45, label="Dense → Dense")
        ax_a.plot(
            x,
            single,
            color="black",
            ls="--",
            lw=2,
            label="one Dense: W = W₂W₁, b = W₂b₁ + b₂",
        )
        w, b, diff = lesson.weight, lesson.bias, lesson.difference
        t = ax_a.text(
            0.97,
            0.05,
            f"W = W₂W₁ = {w:.3f}\nb = W₂b₁ + b₂ = {b:.3f}\nlargest difference: {diff:.0e}",
            transform=ax_a.transAxes,
            fontsize=13,
            va="bottom",
            ha="right",
        )
        t.set_gid("product")
        ax_a.set_title(
            f"(a) no activation function: Dense(1, {hidden}) → Dense({hidden}, 1)",
            loc="left",
        )
        ax_b.plot(x, bent, color=CE_COLOR, label="Dense → ReLU → Dense")
        ax_b.plot(
            x,
            slope * x[:, 0] + icpt,
            color=GREY,
            ls="--",
            lw=1.8,
            label="best straight line",
        )
        for k in kinks:
            ax_b.axvline(k, color=GREY_DD, lw=1, zorder=0)
        ax_b.text(
            0.5,
            0.05,
            f"{len(kinks)} kinks, one per hidden unit that switches on\n"
            f"largest gap to the best straight line: {gap:.2f}",
            transform=ax_b.transAxes,
            fontsize=13,
            va="bottom",
            ha="center",
        )
        ax_b.set_title("(b) with ReLU between them", loc="left")
        for ax in (ax_a, ax_b):
            ax.set_xlabel("input x")
            ax.set_ylabel("output")
            ax.legend(loc="upper left")
        _title(fig, "nonlinearity")
    return fig


# -- cross-entropy with one-hot targets ------------------------------------------------
def _probabilities(ax, ce, title: str) -> list:
    r"""One image's softmax p as bars, the one-hot target y outlined, the loss worked
    out in the title: only the true class's term :math:`-y_j \ln p_j` is not 0.
    Returns the two bar containers (for a legend)."""
    label, p, loss = ce.label, ce.p, ce.loss
    k = len(p)
    classes = np.arange(k)
    colors = [GREY] * k
    colors[label] = CE_COLOR
    bars = ax.bar(classes, p, color=colors, label="p = softmax(z)")
    hot = ax.bar(classes, ce.y, fill=False, ec="black", lw=1.5, ls="--", label="one-hot y")
    for c in classes:
        ax.text(c, p[c] + 0.02, f"{p[c]:.2f}", ha="center", fontsize=13)
    sum_ = rf"$-\sum_j y_j \ln p_j = -\ln p_{{{label}}} = -\ln {p[label]:.3f} = {loss:.3f}$"
    t = ax.set_title(f"{title}\n{sum_}", loc="left")
    t.set_gid("sum")
    ax.set_ylim(0, 1.15)
    ax.set_yticks([0, 0.5, 1])
    ax.set_xticks(classes)
    ax.set_ylabel("probability p")
    return [bars, hot]


def _digit(ax, image) -> None:
    ax.imshow(image, cmap="gray_r")
    ax.set_axis_off()


def cross_entropy_figure(lesson) -> Figure:
    r"""One-hot targets and cross-entropy as :math:`-\ln p` of the true class, for an
    image the network gets confidently right and one it gets confidently wrong.

    ``lesson``: :func:`optviz.nn.gradient_lessons.right_and_wrong` (both images), or
    one image's :func:`optviz.nn.gradient_lessons.cross_entropy` (that one alone).
    Per image: its softmax :math:`p` as bars with the one-hot target :math:`y`
    outlined, and the loss worked out (only the true class's term is not 0); on the
    right :math:`-\ln p` against :math:`p` with each image's point on it. The loss is
    :class:`~optviz.nn.losses.CrossEntropyLoss` of the logits and the one-hot row.
    """
    pair = hasattr(lesson, "wrong")
    rows = [lesson.right, lesson.wrong] if pair else [lesson]
    with style():
        fig = Figure(figsize=(17, 9.5625), layout="constrained")  # 16:9
        grid = fig.add_gridspec(
            len(rows), 3, width_ratios=[0.32 if pair else 0.001, 1.4, 1]
        )
        ax_l = fig.add_subplot(grid[:, 2])
        top = max(5.4, 1.15 * max(ce.loss for ce in rows))
        pp = np.linspace(np.exp(-top), 1, 1000)  # -ln p stays below the top
        (curve,) = ax_l.plot(pp, -np.log(pp), color=CE_COLOR, label=r"$-\ln p$")
        handles = []
        for i, ce in enumerate(rows):
            ax = fig.add_subplot(grid[i, 1])
            right = i == 0
            title = (
                f"(a) confidently right: class {ce.label}, p = {ce.p[ce.label]:.2f}"
                if right
                else f"(b) confidently wrong: a {ce.label} taken for a {lesson.guess}"
            )
            handles = _probabilities(ax, ce, title)
            if pair:
                _digit(fig.add_subplot(grid[i, 0]), lesson.images[i])
            if i == len(rows) - 1:
                ax.set_xlabel("class j")
            x, y = ce.p[ce.label], ce.terms[ce.label]
            ax_l.plot([x], [y], "o", color="black", ms=10)
            t = ax_l.annotate(
                f"{'right' if right else 'wrong'}: p = {x:.3f}\n−ln p = {ce.loss:.3f}",
                xy=(x, y),
                xytext=(0.45, (0.3 if right else 0.62) * top),
                fontsize=14,
                arrowprops={"arrowstyle": "->", "color": GREY_55},
            )
            t.set_gid("loss")
        ax_l.set_xlim(0, 1.02)
        ax_l.set_ylim(0, top)
        ax_l.set_xlabel("p of the true class")
        ax_l.set_ylabel("cross-entropy")
        ax_l.set_title("(c) the loss −ln p: 0 at p = 1, unbounded as p → 0", loc="left")
        ax_l.legend(handles=[*handles, curve], loc="upper right")
        _title(fig, "cross-entropy")
    return fig


# -- cross-entropy against MSE: the gradient at the logit ----------------------------
def ce_vs_mse_figure(lesson) -> Figure:
    r"""Why cross-entropy beats MSE with a sigmoid or softmax output.

    (a) :math:`|\partial L/\partial z|` for a sigmoid output with label 1 as the
    logit :math:`z` varies, on a log axis (:func:`logit_gradients`): MSE's
    vanishes when the answer is confidently wrong (:math:`z \ll 0`), cross-entropy's
    is :math:`|p - y| \to 1`. (b) The same for a softmax over 3 classes, the wrong
    class's logit :math:`s` growing (:func:`softmax_logit_gradients`); the MSE is
    averaged over the K outputs, as the label says. ``lesson``:
    :func:`optviz.nn.gradient_lessons.ce_vs_mse`.
    """
    wrong, z, d_mse, d_ce = lesson.wrong, lesson.z, lesson.d_mse, lesson.d_ce
    s, s_mse, s_ce = lesson.s, lesson.s_mse, lesson.s_ce
    w_mse, w_ce = ([v] for v in lesson.at_wrong)
    with style():
        fig = Figure(figsize=(16, 9), layout="constrained")  # 16:9
        ax_a, ax_b = fig.subplots(1, 2)
        ax_a.semilogy(z, np.abs(d_ce), color=CE_COLOR, label="cross-entropy: |p − y|")
        ax_a.semilogy(z, np.abs(d_mse), color=MSE_COLOR, label="MSE: |2(p − y) p (1 − p)|")
        edge = lesson.edge
        ax_a.axvspan(z[0], -edge, color=GREY_EE, zorder=0)
        ax_a.text(
            (z[0] - edge) / 2,
            3e-6,
            f"confidently wrong\n(label 1, p < {lesson.edge_p:.2f})",
            ha="center",
            fontsize=13,
        )
        for val, color in ((w_ce[0], CE_COLOR), (w_mse[0], MSE_COLOR)):
            ax_a.plot([wrong], [abs(val)], "o", color=color, ms=10)
            t = ax_a.annotate(
                f"z = {wrong:g}: {abs(val):.4f}"
                if color == CE_COLOR
                else f"z = {wrong:g}: {abs(val):.1e}",
                xy=(wrong, abs(val)),
                xytext=(wrong + 1.2, abs(val) * (2.5 if color == CE_COLOR else 0.12)),
                fontsize=13,
                color=color,
            )
            t.set_gid("at wrong")
        ax_a.set_ylim(1e-6, 10)
        ax_a.set_xlabel("logit z (sigmoid output p = σ(z), label y = 1)")
        ax_a.set_ylabel("|∂L/∂z|, the gradient the logit gets")
        ax_a.set_title("(a) sigmoid output", loc="left")
        ax_a.legend(loc="upper right")
        ax_b.semilogy(s, np.abs(s_ce), color=CE_COLOR, label="cross-entropy: |p₀ − 1|")
        k = lesson.classes
        ax_b.semilogy(
            s,
            np.abs(s_mse),
            color=MSE_COLOR,
            label=rf"MSE averaged over K = {k}: $(1/K)\,\sum_k (p_k - y_k)^2$",
        )
        ax_b.axvspan(edge, s[-1], color=GREY_EE, zorder=0)
        ax_b.text(
            (edge + s[-1]) / 2,
            3e-6,
            f"confidently wrong\n(class 1 gets p > {lesson.edge_q:.2f})",
            ha="center",
            fontsize=13,
        )
        ax_b.set_ylim(1e-6, 10)
        ax_b.set_xlabel(
            "logit s of a wrong class (logits (0, s, 0"
            + ", 0" * (k - 3)
            + "), true class 0)"
        )
        ax_b.set_ylabel("|∂L/∂z₀|, the gradient of the true class's logit")
        ax_b.set_title(f"(b) softmax output, {k} classes", loc="left")
        ax_b.legend(loc="upper left")
        _title(fig, "ce-vs-mse")
    return fig


# -- vanishing gradients ----------------------------------------------------------------
def vanishing_gradients_figure(lesson) -> Figure:
    r"""Vanishing gradients: :math:`0.25^n` through ``n`` sigmoid layers.

    (a) :func:`sigmoid_chain_gradient` at :math:`x = 0` (the sigmoid's steepest
    point) for :math:`n = 1 ..` ``deepest``, against the bound :math:`0.25^n`, on a
    log axis; ReLU's (1 for a positive input) for contrast. (b) In a real
    ``deepest``-layer MLP on the digits (:func:`layer_gradient_norms`), the gradient
    norm of each layer's weights, from the input side to the output side. ``lesson``:
    :func:`optviz.nn.gradient_lessons.vanishing`.
    """
    n, chain, norms = lesson.n, lesson.chain, lesson.norms
    deepest = int(n[-1])
    with style():
        fig = Figure(figsize=(16, 9), layout="constrained")  # 16:9
        ax_a, ax_b = fig.subplots(1, 2)
        ax_a.semilogy(n, SIGMOID_SLOPE_MAX**n, color=GREY, ls="--", label="bound 0.25ⁿ")
        ax_a.semilogy(
            n, chain, "o-", color=MSE_COLOR, label="measured through n sigmoid layers"
        )
        ax_a.semilogy(
            n, np.ones_like(chain), "s-", color=RELU_COLOR, label="n ReLU layers, input > 0"
        )
        t = ax_a.annotate(
            f"n = {deepest}: {chain[-1]:.1e} ≤ {SIGMOID_SLOPE_MAX**deepest:.1e}",
            xy=(deepest, chain[-1]),
            xytext=(deepest - 4.5, chain[-1] * 0.05),
            fontsize=13,
            color=MSE_COLOR,
            arrowprops={"arrowstyle": "->", "color": MSE_COLOR},
        )
        t.set_gid("deepest")
        ax_a.set_ylim(chain[-1] * 0.01, 5)
        ax_a.set_xticks(n)
        ax_a.set_xlabel("layers n")
        ax_a.set_ylabel("gradient ∂fₙ/∂x at x = 0")
        ax_a.set_title(
            "(a) a chain of sigmoids: each one multiplies by σ′ ≤ 0.25", loc="left"
        )
        ax_a.legend(loc="center left")
        colors = {"sigmoid": MSE_COLOR, "tanh": TANH_COLOR, "ReLU": RELU_COLOR}
        for name, g in norms.items():
            ax_b.semilogy(
                np.arange(1, deepest + 1), g, "o-", color=colors[name], label=name
            )
        ax_b.set_xticks(n)
        ax_b.set_xlabel("hidden layer (1 = next to the input)")
        ax_b.set_ylabel("‖∂L/∂W‖ of the layer's weights")
        ax_b.set_title(
            f"(b) a {deepest}-layer network on the digits, before training", loc="left"
        )
        ax_b.legend(loc="lower right")
        _title(fig, "vanishing-gradients")
    return fig


#: Names this module exported before the lessons' numbers moved (deprecated).
__getattr__ = moved(
    "optviz.plot.cnn_gradients",
    {
        "CAPTIONS": "captions",
    },
)
