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
        fig = Figure(figsize=(16, 7), layout="constrained")
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
def cross_entropy_figure(lesson) -> Figure:
    r"""One-hot targets and cross-entropy as :math:`-\ln p` of the true class.

    ``logits`` are one image's class scores (e.g. a trained :func:`teaching_cnn`'s
    output); (a) their softmax :math:`p`, (b) the one-hot target :math:`y` of
    ``label`` and the terms :math:`-y_j \ln p_j` (only the true class's is not 0),
    (c) :math:`-\ln p` against :math:`p` with this image's point on it. The loss is
    :class:`~optviz.nn.losses.CrossEntropyLoss` of the logits and the one-hot row.
    ``lesson``: :func:`optviz.nn.gradient_lessons.cross_entropy`.
    """
    label, p, y, loss, terms = lesson.label, lesson.p, lesson.y, lesson.loss, lesson.terms
    k = len(p)
    classes = np.arange(k)
    with style():
        fig = Figure(figsize=(17, 7.5), layout="constrained")
        grid = fig.add_gridspec(2, 2, width_ratios=[1.4, 1], height_ratios=[1, 1])
        ax_p = fig.add_subplot(grid[0, 0])
        ax_y = fig.add_subplot(grid[1, 0], sharex=ax_p)
        ax_l = fig.add_subplot(grid[:, 1])
        colors = [GREY] * k
        colors[label] = CE_COLOR
        ax_p.bar(classes, p, color=colors, label="p = softmax(z)")
        for c in classes:
            ax_p.text(c, p[c] + 0.02, f"{p[c]:.2f}", ha="center", fontsize=11)
        ax_p.set_ylim(0, 1.15)
        ax_p.set_ylabel("probability p")
        ax_p.set_title("(a) the network's probabilities p = softmax(z)", loc="left")
        ax_y.bar(classes, y, color=colors, width=0.35, label="one-hot y")
        for c in classes:
            ax_y.text(c, y[c] + 0.03, f"{y[c]:g}", ha="center", fontsize=12)
        ax_y.set_ylim(0, 1.3)
        t = ax_y.text(
            0.98,
            0.9,
            rf"$-\sum_j y_j \ln p_j = -1\cdot\ln {p[label]:.3f} = {loss:.3f}$",
            transform=ax_y.transAxes,
            ha="right",
            va="top",
            fontsize=16,
        )
        t.set_gid("sum")
        ax_y.set_ylabel("one-hot target y")
        ax_y.set_xticks(classes)
        ax_y.set_xlabel("class j")
        ax_y.set_title(
            rf"(b) one-hot target: only $-y_j \ln p_j$ of class {label} is not 0",
            loc="left",
        )
        pp = np.linspace(0.005, 1, 400)
        ax_l.plot(pp, -np.log(pp), color=CE_COLOR, label=r"$-\ln p$")
        ax_l.plot([p[label]], [terms[label]], "o", color="black", ms=10)
        t = ax_l.annotate(
            f"this image: p = {p[label]:.3f}\ncross-entropy = −ln p = {loss:.3f}",
            xy=(p[label], terms[label]),
            xytext=(0.3, 3.0),
            fontsize=14,
            arrowprops={"arrowstyle": "->", "color": GREY_55},
        )
        t.set_gid("loss")
        ax_l.set_xlim(0, 1.02)
        ax_l.set_ylim(0, 5.4)
        ax_l.set_xlabel(f"p of the true class ({label})")
        ax_l.set_ylabel("cross-entropy")
        ax_l.set_title(
            "(c) the loss: 0 when p = 1, grows without bound as p → 0", loc="left"
        )
        ax_l.legend(loc="upper right")
        _title(fig, "cross-entropy")
    return fig


# -- cross-entropy against MSE: the gradient at the logit ----------------------------
def ce_vs_mse_figure(lesson) -> Figure:
    r"""Why cross-entropy beats MSE with a sigmoid or softmax output.

    (a) :math:`|\partial L/\partial z|` for a sigmoid output with label 1 as the
    logit :math:`z` varies, on a log axis (:func:`logit_gradients`): MSE's
    vanishes when the answer is confidently wrong (:math:`z \ll 0`), cross-entropy's
    is :math:`|p - y| \to 1`. (b) The same for a softmax over 3 classes, the wrong
    class's logit :math:`s` growing (:func:`softmax_logit_gradients`). ``lesson``:
    :func:`optviz.nn.gradient_lessons.ce_vs_mse`.
    """
    wrong, z, d_mse, d_ce = lesson.wrong, lesson.z, lesson.d_mse, lesson.d_ce
    s, s_mse, s_ce = lesson.s, lesson.s_mse, lesson.s_ce
    w_mse, w_ce = ([v] for v in lesson.at_wrong)
    with style():
        fig = Figure(figsize=(17, 7.2), layout="constrained")
        ax_a, ax_b = fig.subplots(1, 2)
        ax_a.semilogy(z, np.abs(d_ce), color=CE_COLOR, label="cross-entropy: |p − y|")
        ax_a.semilogy(z, np.abs(d_mse), color=MSE_COLOR, label="MSE: |2(p − y) p (1 − p)|")
        ax_a.axvspan(z[0], -4, color=GREY_EE, zorder=0)
        ax_a.text(
            -8, 3e-6, "confidently wrong\n(label 1, p < 0.02)", ha="center", fontsize=13
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
        ax_b.semilogy(s, np.abs(s_mse), color=MSE_COLOR, label="MSE of softmax and one-hot")
        ax_b.axvspan(4, s[-1], color=GREY_EE, zorder=0)
        ax_b.text(
            9, 3e-6, "confidently wrong\n(class 1 gets p > 0.96)", ha="center", fontsize=13
        )
        ax_b.set_ylim(1e-6, 10)
        ax_b.set_xlabel("logit s of a wrong class (logits (0, s, 0), true class 0)")
        ax_b.set_ylabel("|∂L/∂z₀|, the gradient of the true class's logit")
        ax_b.set_title("(b) softmax output, 3 classes", loc="left")
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
        fig = Figure(figsize=(17, 7.2), layout="constrained")
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
