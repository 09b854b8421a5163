r"""Adam's three relatives in ``torch.optim``: Adamax (an infinity norm for the second
moment), NAdam (Nesterov's look-ahead on the first moment) and RAdam (a rectified
warm-up of the adaptive rate).

Each is one class in the notes' notation, equal step for step to ``torch.optim`` 2.13
(``tests/test_against_torch_more.py``). New symbols (named once, here and in
:mod:`optviz.optimizers`): :math:`u` Adamax's weighted infinity norm, :math:`\mu_t` and
:math:`\Pi_t = \prod_{k \le t} \mu_k` NAdam's momentum schedule and its product,
:math:`\psi` NAdam's momentum decay, :math:`\ell_t` and :math:`\ell_\infty` RAdam's
length of the approximated simple moving average (the paper's :math:`\rho_t`, renamed
because :math:`\rho` is a decay rate in the notes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._base import (
    Array,
    Hyper,
    Optimizer,
    any_nonzero,
    flag,
    learning_rate,
    non_negative,
    positive,
)
from .rules import check_betas

__all__ = ["Adamax", "NAdam", "RAdam", "sma_lengths"]


def _betas(default=(0.9, 0.999)) -> Hyper:
    return Hyper(
        default,
        check_betas,
        symbol=("ρ₁", "ρ₂"),
        slider="fraction",
        parts=("rho1", "rho2"),
    )


class _Ascent:
    """``maximize`` and ``weight_decay`` as ``torch.optim`` applies them: an L2 term
    added to ``g``, or (``decoupled_weight_decay``) a decay of the weights."""

    def _gradient(self, w, g, alpha):
        if self.maximize:
            g = -g
        lam = self.weight_decay
        return g + lam * w if any_nonzero(lam) else g

    def _decayed(self, w, g, alpha):
        """The gradient after ``maximize``, and ``weight_decay`` either added to it
        (L2) or, decoupled, applied to the weights:
        :math:`w \\leftarrow (1-\\alpha\\lambda) w`."""
        if not self.decoupled_weight_decay:
            return self._gradient(w, g, alpha)
        if self.maximize:
            g = -g
        lam = self.weight_decay
        if any_nonzero(lam):
            w *= 1 - alpha * lam
        return g


def sma_lengths(rho2, t):
    """RAdam's :math:`(\\ell_t, \\ell_\\infty)`: the length of the simple moving
    average that the exponential one of rate :math:`\\rho_2` approximates at step t,
    and its limit (RAdam and AdaBelief's rectification)."""
    ell_inf = 2 / (1 - rho2) - 1
    return ell_inf - 2 * t * rho2**t / (1 - rho2**t), ell_inf


@dataclass
class AdamaxState:
    shape: tuple
    s: Array  # first moment: moving average of g
    u: Array  # weighted infinity norm of past gradients
    t: int = 0


class Adamax(_Ascent, Optimizer):
    r"""Adamax: Adam with the infinity norm in place of the root mean square.

    .. math::
        s &\leftarrow \rho_1 s + (1-\rho_1)\, g \\
        u &\leftarrow \max(\rho_2 u,\ |g| + \delta) \\
        w &\leftarrow w - \frac{\alpha}{1-\rho_1^t}\, \frac{s}{u}

    ``u`` needs no bias correction: it is a maximum, not an average that starts at 0.
    Same as ``torch.optim.Adamax``, which adds δ to :math:`|g|` inside the maximum (the
    paper adds nothing). ``weight_decay`` adds :math:`\lambda w` to ``g``; ``maximize``
    climbs.

    References
    ----------
    Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, section 7.1.
    """

    name, title, color, cnn_lr, family = "adamax", "Adamax", "#324D67", 0.002, "adam"
    rule = (
        r"s \leftarrow \rho_1 s + (1-\rho_1)\, g",
        r"u \leftarrow \max(\rho_2 u,\ |g| + \delta)",
        r"w \leftarrow w - \dfrac{\alpha}{1-\rho_1^t}\, \dfrac{s}{u}",
    )
    meaning = {"s": "first moment", "u": "weighted infinity norm of g"}
    idea = "Adam with the largest recent |g| in place of the root mean square"
    remark = "defaults α = {lr:g}, ρ1 = {betas[0]:g}, ρ2 = {betas[1]:g}, δ = {eps:g}"
    first_step = "u = |g| + δ, so the first step is about α in each coordinate"
    ideas = ("momentum", "per-coordinate scaling", "bias correction")
    hyper = {
        "lr": learning_rate(2e-3),
        "betas": _betas(),
        "eps": positive(1e-8, "δ"),
        "weight_decay": non_negative(0.0, "λ"),
        "maximize": flag(False),
    }
    State = AdamaxState

    def _update(self, w, g, st, alpha):
        rho1, rho2 = self.betas
        g = self._gradient(w, g, alpha)
        st.s += (1 - rho1) * (g - st.s)  # = ρ1 s + (1 − ρ1) g, as torch's lerp
        st.u *= rho2  # u ← max(ρ2 u, |g| + δ), in place
        np.maximum(st.u, np.abs(g) + self.eps, out=st.u)
        w -= alpha / (1 - rho1**st.t) * st.s / st.u

    def _effective_lr(self, st):
        rho1 = self.betas[0]
        return self._lr(st.t) / (1 - rho1**st.t) / st.u


@dataclass
class NAdamState:
    shape: tuple
    s: Array  # first moment: moving average of g
    r: Array  # second moment: moving average of g^2
    mu_product: Array  # Π_t: the product of the momentum schedule μ_1 ... μ_t
    t: int = 0


class NAdam(_Ascent, Optimizer):
    r"""NAdam: Adam whose first moment looks one step ahead, as Nesterov's momentum.

    .. math::
        \mu_t &= \rho_1 \left(1 - \tfrac12\, 0.96^{t\psi}\right), \qquad
        \Pi_t = \Pi_{t-1}\, \mu_t \\
        s &\leftarrow \rho_1 s + (1-\rho_1)\, g, \qquad
        r \leftarrow \rho_2 r + (1-\rho_2)\, g^2 \\
        w &\leftarrow w - \frac{\alpha}{\sqrt{r/(1-\rho_2^t)} + \delta}
        \left(\frac{1-\mu_t}{1-\Pi_t}\, g + \frac{\mu_{t+1}}{1-\Pi_t\mu_{t+1}}\, s\right)

    The momentum schedule :math:`\mu_t` (Dozat's warming) rises from :math:`\rho_1/2`
    towards :math:`\rho_1`; ``momentum_decay`` is :math:`\psi`. Same as
    ``torch.optim.NAdam`` (δ after the root; ``decoupled_weight_decay=True`` decays the
    weights as AdamW, otherwise ``weight_decay`` adds :math:`\lambda w` to ``g``).

    References
    ----------
    Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016 workshop.
    """

    name, title, color, cnn_lr, family = "nadam", "NAdam", "#0657F9", 0.002, "adam"
    rule = (
        r"\mu_t = \rho_1 (1 - \frac{1}{2} 0.96^{t\psi}), \quad \Pi_t = \Pi_{t-1} \mu_t",
        r"s \leftarrow \rho_1 s + (1-\rho_1)\, g, \quad "
        r"r \leftarrow \rho_2 r + (1-\rho_2)\, g^2",
        r"w \leftarrow w - \dfrac{\alpha}{\sqrt{r/(1-\rho_2^t)} + \delta}"
        r"\left(\dfrac{1-\mu_t}{1-\Pi_t} g + \dfrac{\mu_{t+1}}{1-\Pi_t \mu_{t+1}} s\right)",
    )
    meaning = {
        "s": "first moment",
        "r": "second moment",
        "mu_product": "product of the momentum schedule Π",
    }
    idea = "Adam with Nesterov's look-ahead: the step uses the next step's momentum"
    remark = (
        "defaults α = {lr:g}, ρ1 = {betas[0]:g}, ρ2 = {betas[1]:g}, ψ = {momentum_decay:g}"
    )
    first_step = "the first step mixes g and s with the warming momentum μ₁ ≈ ρ₁/2"
    ideas = ("momentum", "look-ahead", "per-coordinate scaling", "bias correction")
    hyper = {
        "lr": learning_rate(2e-3),
        "betas": _betas(),
        "eps": positive(1e-8, "δ"),
        "weight_decay": non_negative(0.0, "λ"),
        "momentum_decay": non_negative(4e-3, "ψ"),
        "decoupled_weight_decay": flag(False),
        "maximize": flag(False),
    }
    State = NAdamState
    per_step = ("mu_product",)

    def _init_state(self, w):
        st = super()._init_state(w)
        st.mu_product[...] = 1.0
        return st

    def _mu(self, t):
        """The momentum schedule :math:`\\mu_t`."""
        return self.betas[0] * (1.0 - 0.5 * 0.96 ** (t * self.momentum_decay))

    def _update(self, w, g, st, alpha):
        rho1, rho2 = self.betas
        g = self._decayed(w, g, alpha)
        mu, mu_next = self._mu(st.t), self._mu(st.t + 1)
        # Π_t (the state holds Π_{t-1} until _advance moves it on)
        mu_product = self._like(st.mu_product, st.mu_product * mu)
        st.s += (1 - rho1) * (g - st.s)  # = ρ1 s + (1 − ρ1) g, as torch's lerp
        st.r *= rho2  # r ← ρ2 r + (1 − ρ2) g², in place
        st.r += (1 - rho2) * g * g
        d = np.sqrt(st.r / (1 - rho2**st.t)) + self.eps
        c_g = alpha * (1.0 - mu) / (1.0 - mu_product)
        c_s = alpha * mu_next / (1.0 - mu_product * mu_next)
        w -= (c_g * g + c_s * st.s) / d

    def _advance(self, st, alpha):
        st.mu_product[...] = st.mu_product * self._mu(st.t)

    def _effective_lr(self, st):
        rho2 = self.betas[1]
        return self._lr(st.t) / (np.sqrt(st.r / (1 - rho2**st.t)) + self.eps)


@dataclass
class RAdamState:
    shape: tuple
    s: Array  # first moment: moving average of g
    r: Array  # second moment: moving average of g^2
    t: int = 0


class RAdam(_Ascent, Optimizer):
    r"""RAdam: Adam that steps as momentum SGD until the variance of its adaptive rate
    can be trusted, then rectifies it.

    .. math::
        s &\leftarrow \rho_1 s + (1-\rho_1)\, g, \qquad
        r \leftarrow \rho_2 r + (1-\rho_2)\, g^2, \qquad \hat s = s/(1-\rho_1^t) \\
        \ell_\infty &= \frac{2}{1-\rho_2} - 1, \qquad
        \ell_t = \ell_\infty - \frac{2 t \rho_2^t}{1-\rho_2^t} \\
        w &\leftarrow w - \alpha\, \hat s \cdot
        \begin{cases}
        q_t\, \dfrac{\sqrt{1-\rho_2^t}}{\sqrt{r} + \delta} & \ell_t > 5 \\
        1 & \text{otherwise}
        \end{cases}, \qquad
        q_t = \sqrt{\frac{(\ell_t-4)(\ell_t-2)\,\ell_\infty}
        {(\ell_\infty-4)(\ell_\infty-2)\,\ell_t}}

    With the default :math:`\rho_2 = 0.999` the first five steps are plain momentum
    steps (:math:`\ell_t \le 5`); the rectification :math:`q_t` then grows towards 1.
    Same as ``torch.optim.RAdam``: δ is added to :math:`\sqrt r` before the bias
    correction :math:`\sqrt{1-\rho_2^t}` multiplies (the paper writes
    :math:`\sqrt{\hat r}` and no δ); ``decoupled_weight_decay`` as in AdamW.

    References
    ----------
    Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond", ICLR 2020.
    """

    name, title, color, cnn_lr, family = "radam", "RAdam", "#06A8F9", 0.002, "adam"
    rule = (
        r"s \leftarrow \rho_1 s + (1-\rho_1)\, g, \quad "
        r"r \leftarrow \rho_2 r + (1-\rho_2)\, g^2",
        r"\ell_t = \ell_\infty - 2t\rho_2^t/(1-\rho_2^t), \quad "
        r"\ell_\infty = 2/(1-\rho_2) - 1",
        r"w \leftarrow w - \alpha\, \hat s\, q_t \sqrt{1-\rho_2^t}/(\sqrt{r}+\delta)"
        r"\ \ (\ell_t > 5;\ \mathrm{else}\ w \leftarrow w - \alpha \hat s)",
    )
    meaning = {
        "s": "first moment",
        "r": "second moment",
        "s_hat": "bias-corrected first moment",
        "ell": "length of the approximated moving average ℓ",
        "q": "rectification q",
    }
    idea = "Adam that waits: momentum steps until r has seen enough, then a rectified rate"
    remark = "ℓ_t ≤ 5 for the first steps: plain momentum, no division by √r"
    first_step = "the first steps are momentum steps of α ŝ: no division by √r yet"
    ideas = ("momentum", "per-coordinate scaling", "bias correction", "rectification")
    hyper = {
        "lr": learning_rate(1e-3),
        "betas": _betas(),
        "eps": positive(1e-8, "δ"),
        "weight_decay": non_negative(0.0, "λ"),
        "decoupled_weight_decay": flag(False),
        "maximize": flag(False),
    }
    State = RAdamState

    def _update(self, w, g, st, alpha):
        rho1, rho2 = self.betas
        g = self._decayed(w, g, alpha)
        st.s += (1 - rho1) * (g - st.s)  # = ρ1 s + (1 − ρ1) g, as torch's lerp
        st.r *= rho2  # r ← ρ2 r + (1 − ρ2) g², in place
        st.r += (1 - rho2) * g * g
        s_hat = st.s / (1 - rho1**st.t)
        ell = sma_lengths(self.betas[1], st.t)[0]
        rectified = s_hat * alpha * self._adaptive(st) * self.rectification(st.t)
        w -= np.where(ell > 5.0, rectified, s_hat * alpha)

    def rectification(self, t):
        """:math:`q_t`, or 0 where :math:`\\ell_t \\le 5` (no adaptive step yet)."""
        ell, ell_inf = sma_lengths(self.betas[1], t)
        safe = np.where(ell > 5.0, ell, 6.0)
        q = (
            (safe - 4) * (safe - 2) * ell_inf / ((ell_inf - 4) * (ell_inf - 2) * safe)
        ) ** 0.5
        return np.where(ell > 5.0, q, 0.0)

    def _adaptive(self, st):
        """:math:`\\sqrt{1-\\rho_2^t} / (\\sqrt{r} + \\delta)`."""
        return (1 - self.betas[1] ** st.t) ** 0.5 / (np.sqrt(st.r) + self.eps)

    def _factor(self, st):
        """What multiplies :math:`\\alpha \\hat s`: the rectified adaptive rate, or 1."""
        ell = sma_lengths(self.betas[1], st.t)[0]
        return np.where(ell > 5.0, self._adaptive(st) * self.rectification(st.t), 1.0)

    def _effective_lr(self, st):
        return self._lr(st.t) * self._factor(st)
