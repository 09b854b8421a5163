r"""Three older rules of ``torch.optim``: Adadelta (a rate from the ratio of two moving
averages), Rprop (signs only, a step size per coordinate) and ASGD (SGD with a decaying
rate and an averaged iterate).

Each is one class in the notes' notation, equal step for step to ``torch.optim`` 2.13
(``tests/test_against_torch_more.py``). New symbols (named once, here and in
:mod:`optviz.optimizers`): :math:`u` Adadelta's moving average of squared steps;
:math:`d` Rprop's step size per coordinate, :math:`\eta^-, \eta^+` its shrink and grow
factors, :math:`d_{min}, d_{max}` its bounds, :math:`p` the last gradient it kept;
:math:`\eta_t` ASGD's rate, :math:`\lambda` its decay, :math:`c` its power,
:math:`t_0` when averaging starts, :math:`\bar w` the averaged iterate and :math:`m`
its averaging weight.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import check_range
from ._base import (
    Array,
    Hyper,
    Optimizer,
    any_nonzero,
    flag,
    fraction,
    learning_rate,
    non_negative,
    positive,
)

__all__ = ["Adadelta", "Rprop", "ASGD"]


def _ascent(g, maximize):
    """``-g`` when maximizing, else ``g``."""
    return -g if maximize else g


@dataclass
class AdadeltaState:
    shape: tuple
    r: Array  # moving average of g^2
    u: Array  # moving average of the squared steps
    d: Array  # the last step's factor sqrt(u + delta) / sqrt(r + delta)
    t: int = 0


class Adadelta(Optimizer):
    r"""Adadelta: RMSprop whose numerator is the root mean square of past steps, so the
    step has the units of :math:`w`.

    .. math::
        r &\leftarrow \rho r + (1-\rho)\, g^2 \\
        \Delta w &= \frac{\sqrt{u + \delta}}{\sqrt{r + \delta}}\, g \\
        u &\leftarrow \rho u + (1-\rho)\, \Delta w^2 \\
        w &\leftarrow w - \alpha\, \Delta w

    Zeiler's rule has no learning rate; ``torch.optim.Adadelta`` keeps one
    (:math:`\alpha = 1` by default) and so does optviz. δ sits inside both roots, as in
    the paper and torch. ``weight_decay`` adds :math:`\lambda w` to ``g``; ``maximize``
    climbs. The effective learning rate is :math:`\alpha\sqrt{u+\delta}/\sqrt{r+\delta}`
    of the last step (``d`` in the state).

    References
    ----------
    Zeiler, "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701, 2012.
    """

    name, title, color, cnn_lr, family = "adadelta", "Adadelta", "#9C1616", 1.0, "rmsprop"
    rule = (
        r"r \leftarrow \rho\, r + (1-\rho)\, g^2",
        r"\Delta w = \dfrac{\sqrt{u + \delta}}{\sqrt{r + \delta}}\, g, \quad "
        r"u \leftarrow \rho\, u + (1-\rho)\, \Delta w^2",
        r"w \leftarrow w - \alpha\, \Delta w",
    )
    meaning = {
        "r": "moving average of g²",
        "u": "moving average of squared steps",
        "d": "the step's factor √(u+δ)/√(r+δ)",
    }
    idea = "RMSprop whose rate is the root mean square of its own past steps"
    remark = "defaults α = {lr:g}, ρ = {rho:g}, δ = {eps:g}"
    first_step = "u = 0, so the first step is about α√δ/√((1 − ρ) g²): tiny"
    ideas = ("per-coordinate scaling",)
    hyper = {
        "lr": learning_rate(1.0),
        "rho": fraction(0.9, "ρ"),
        "eps": positive(1e-6, "δ"),
        "weight_decay": non_negative(0.0, "λ"),
        "maximize": flag(False),
    }
    State = AdadeltaState

    def _update(self, w, g, st, alpha):
        rho, delta = self.rho, self.eps
        g = _ascent(g, self.maximize)
        if any_nonzero(self.weight_decay):
            g = g + self.weight_decay * w
        st.r *= rho  # r ← ρr + (1 − ρ)g², in place
        st.r += (1 - rho) * g * g
        st.d[...] = np.sqrt(st.u + delta) / np.sqrt(st.r + delta)
        step = st.d * g
        st.u *= rho  # u ← ρu + (1 − ρ)Δw², in place
        st.u += (1 - rho) * step * step
        w -= alpha * step

    def _effective_lr(self, st):
        return self._lr(st.t) * st.d


def _check_pair(name, value, low_open=False):
    try:
        a, b = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high), got {value!r}") from None
    a = check_range(f"{name}[0]", a, low=0, low_open=low_open)
    b = check_range(f"{name}[1]", b, low=0, low_open=low_open)
    return a, b


def _check_etas(name, value):
    minus, plus = _check_pair(name, value, low_open=True)
    if not (np.all(minus < 1) and np.all(plus > 1)):
        raise ValueError(f"{name} must be (eta_minus < 1, eta_plus > 1), got {value!r}")
    return minus, plus


def _check_sizes(name, value):
    low, high = _check_pair(name, value)
    if not np.all(low <= high):
        raise ValueError(f"{name} must be (smallest, largest) with smallest <= largest")
    return low, high


@dataclass
class RpropState:
    shape: tuple
    p: Array  # the last gradient kept (0 where its sign flipped)
    d: Array  # step size per coordinate
    t: int = 0


class Rprop(Optimizer):
    r"""Rprop: only the sign of :math:`g` is used; each coordinate's step size grows
    while the sign holds and shrinks when it flips.

    .. math::
        f &= \eta^+ \text{ if } g\,p > 0,\quad \eta^- \text{ if } g\,p < 0,
        \quad 1 \text{ otherwise} \\
        d &\leftarrow \mathrm{clip}(f\, d,\ d_{min},\ d_{max}), \qquad
        g \leftarrow 0 \text{ where } f = \eta^- \\
        w &\leftarrow w - \mathrm{sign}(g)\, d, \qquad p \leftarrow g

    ``lr`` is the first step size (:math:`d` starts at α). Same as
    ``torch.optim.Rprop`` (Rprop without weight backtracking, "Rprop−"): after a sign
    flip the coordinate does not move and its gradient is forgotten. Full-batch only in
    spirit: with noisy gradients the signs flip at random. The effective learning rate
    is the step size :math:`d` (the step is :math:`d` per coordinate, whatever
    :math:`|g|`).

    References
    ----------
    Riedmiller & Braun, "A direct adaptive method for faster backpropagation learning:
    the RPROP algorithm", ICNN 1993.
    """

    name, title, color, cnn_lr, family = "rprop", "Rprop", "#192D34", 1e-3, "sgd"
    rule = (
        r"f = \eta^+ (g p > 0),\ \eta^- (g p < 0),\ 1\ \mathrm{else}",
        r"d \leftarrow \mathrm{clip}(f d, d_{min}, d_{max}),"
        r" \quad g \leftarrow 0\ (f = \eta^-)",
        r"w \leftarrow w - \mathrm{sign}(g)\, d, \quad p \leftarrow g",
    )
    meaning = {"p": "last gradient kept", "d": "step size", "f": "step-size factor"}
    idea = "signs only: a step size per coordinate that grows while g keeps its sign"
    remark = "defaults d₀ = α = {lr:g}, η−, η+ = {etas[0]:g}, {etas[1]:g}"
    first_step = "p = 0, so f = 1: every coordinate moves by α, whatever |g|"
    ideas = ("per-coordinate scaling", "sign")
    hyper = {
        "lr": learning_rate(1e-2, "α"),
        "etas": Hyper(
            (0.5, 1.2), _check_etas, symbol=("η⁻", "η⁺"), parts=("eta_minus", "eta_plus")
        ),
        "step_sizes": Hyper(
            (1e-6, 50.0), _check_sizes, symbol=("d_min", "d_max"), parts=("d_min", "d_max")
        ),
        "maximize": flag(False),
    }  # fmt: skip
    State = RpropState

    def _init_state(self, w):
        st = super()._init_state(w)
        st.d[...] = self._lr(1)
        return st

    def _update(self, w, g, st, alpha):
        eta_minus, eta_plus = self.etas
        d_min, d_max = self.step_sizes
        g = _ascent(g, self.maximize)
        same = np.sign(g * st.p)
        f = np.where(same > 0, eta_plus, np.where(same < 0, eta_minus, 1.0))
        st.d[...] = np.minimum(np.maximum(st.d * f, d_min), d_max)
        g = np.where(f == eta_minus, 0.0, g)
        w -= np.sign(g) * st.d
        st.p[...] = g

    def _effective_lr(self, st):
        return st.d


@dataclass
class ASGDState:
    shape: tuple
    eta: Array  # the rate of the next step
    m: Array  # the averaging weight of the next step
    w_bar: Array  # the averaged iterate
    t: int = 0


class ASGD(Optimizer):
    r"""ASGD: SGD with a slowly decaying rate that also keeps the running average
    :math:`\bar w` of its iterates (Polyak-Ruppert averaging), which is what it returns
    in theory; the iterate itself keeps stepping.

    .. math::
        w &\leftarrow (1 - \lambda\eta_t)\, w - \eta_t\, g \\
        \bar w &\leftarrow \bar w + m_t\, (w - \bar w) \quad (\bar w \leftarrow w
        \text{ while } m_t = 1) \\
        \eta_{t+1} &= \frac{\alpha}{(1 + \lambda\alpha t)^{c}}, \qquad
        m_{t+1} = \frac{1}{\max(1,\ t - t_0)}

    :math:`\eta_1 = \alpha`, :math:`m_1 = 1`; averaging starts after :math:`t_0` steps
    (:math:`10^6` by default, so in a short run :math:`\bar w = w`). Same as
    ``torch.optim.ASGD`` (its ``lambd`` is λ, its ``alpha`` the power :math:`c`: optviz
    keeps torch's keyword names; ``weight_decay`` adds :math:`\lambda_{wd} w` to ``g``).
    ``w_bar`` is readable from the state, like torch's ``ax``.

    References
    ----------
    Polyak & Juditsky, "Acceleration of Stochastic Approximation by Averaging", SIAM J.
    Control Optim. 30(4), 1992; Xu, "Towards Optimal One Pass Large Scale Learning with
    Averaged Stochastic Gradient Descent", arXiv:1107.2490, 2011 (the rate schedule).
    """

    name, title, color, cnn_lr, family = "asgd", "ASGD", "#98C0CD", 0.2, "sgd"
    rule = (
        r"w \leftarrow (1 - \lambda\eta_t)\, w - \eta_t\, g",
        r"\bar w \leftarrow \bar w + m_t\, (w - \bar w)",
        r"\eta_{t+1} = \alpha/(1 + \lambda\alpha t)^{c},"
        r" \quad m_{t+1} = 1/\max(1, t - t_0)",
    )
    meaning = {"eta": "rate η", "m": "averaging weight", "w_bar": "averaged iterate"}
    idea = "SGD with a decaying rate that also averages its iterates"
    remark = "defaults λ = {lambd:g}, c = {alpha:g}, t₀ = {t0:g}"
    first_step = "the first step is SGD's, shrunk by (1 − λα) on w"
    ideas = ("averaging",)
    hyper = {
        "lr": learning_rate(1e-2),
        "lambd": non_negative(1e-4, "λ"),
        "alpha": non_negative(0.75, "c"),
        "t0": non_negative(1e6, "t₀"),
        "weight_decay": non_negative(0.0, "λ_wd"),
        "maximize": flag(False),
    }
    State = ASGDState
    per_step = ("eta", "m")

    def _init_state(self, w):
        st = super()._init_state(w)
        st.eta[...] = self._lr(1)
        st.m[...] = 1.0
        return st

    def _update(self, w, g, st, alpha):
        lam = self.lambd
        g = _ascent(g, self.maximize)
        if any_nonzero(self.weight_decay):
            g = g + self.weight_decay * w
        w -= st.eta * (lam * w + g)  # = (1 − λη) w − η g
        if np.all(st.m == 1):  # not averaging yet: w̄ is w
            st.w_bar[...] = w
        else:
            st.w_bar[...] = np.where(st.m != 1, st.w_bar + (w - st.w_bar) * st.m, w)

    def _advance(self, st, alpha):
        st.eta[...] = alpha / (1 + self.lambd * alpha * st.t) ** self.alpha
        st.m[...] = 1 / np.maximum(st.t - self.t0, 1.0)

    def _effective_lr(self, st):
        # the rate the last step used: η_t, set by the step before from its α
        if st.t == 1:
            return self._lr(1)
        alpha = self._lr(st.t - 1)
        return alpha / (1 + self.lambd * alpha * (st.t - 1)) ** self.alpha
