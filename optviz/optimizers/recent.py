r"""Recent optimizers with reference implementations on the package index: Lion
(``lion-pytorch``), AdaBelief (``adabelief-pytorch``) and the Schedule-Free pair
(``schedulefree``: SGD and AdamW).

Each is one class in the notes' notation, equal step for step to its reference package
(``tests/test_against_zoo.py``; the packages made the golden data and are never imported
by optviz or its tests). New symbols (named once, here and in :mod:`optviz.optimizers`):
:math:`c` Lion's interpolation of momentum and gradient; AdaBelief's :math:`r` is the
moving average of :math:`(g - s)^2`, the "belief"; the Schedule-Free pair's :math:`y`
(the parameters, where the gradient is evaluated), :math:`z` (the sequence that takes
the SGD or Adam steps), :math:`x` (the weighted average of the :math:`z`, the iterate
to evaluate) and :math:`c_t` the averaging weight.
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
    learning_rate,
    non_negative,
    positive,
)
from .adam_variants import sma_lengths
from .rules import check_betas

__all__ = ["Lion", "AdaBelief", "ScheduleFreeSGD", "ScheduleFreeAdamW"]


def _betas(default, check=check_betas) -> Hyper:
    return Hyper(
        default, check, symbol=("ρ₁", "ρ₂"), slider="fraction", parts=("rho1", "rho2")
    )


def _open_fraction(name, value):
    """In (0, 1): Schedule-Free's momentum (its average divides by it)."""
    return check_range(name, value, low=0, high=1, low_open=True, high_open=True)


def _check_sf_betas(name, betas):
    rho1, rho2 = check_betas(name, betas)
    return _open_fraction(f"{name}[0] (rho1)", rho1), rho2


def _lerp(a, b, weight):
    """``a + weight (b - a)``, rounded as torch's ``lerp`` rounds it (from ``b``'s side
    when ``|weight| >= 0.5``); one formula when every weight is on one side."""
    if np.all(np.abs(weight) < 0.5):
        return a + weight * (b - a)
    if np.all(np.abs(weight) >= 0.5):
        return b - (b - a) * (1 - weight)
    return np.where(np.abs(weight) < 0.5, a + weight * (b - a), b - (b - a) * (1 - weight))


def _lerp_to(a, b, weight):
    """``a ← a + weight (b − a)`` in place, rounded as :func:`_lerp` (torch's
    ``lerp_``); without temporaries the size of ``a`` where every weight is below 0.5."""
    if np.all(np.abs(weight) < 0.5):
        d = b - a
        d *= weight
        a += d
    else:
        a[...] = _lerp(a, b, weight)


@dataclass
class LionState:
    shape: tuple
    s: Array  # moving average of g (rate ρ2)
    t: int = 0


class Lion(Optimizer):
    r"""Lion: the sign of a momentum-gradient mix, so every coordinate moves by exactly
    α (plus decoupled weight decay).

    .. math::
        w &\leftarrow (1 - \alpha\lambda)\, w \\
        c &= \rho_1 s + (1-\rho_1)\, g, \qquad
        w \leftarrow w - \alpha\, \mathrm{sign}(c) \\
        s &\leftarrow \rho_2 s + (1-\rho_2)\, g

    Two rates: :math:`\rho_1` mixes the step's direction, :math:`\rho_2` (slower)
    keeps the memory. Because the step is a sign, α is 3-10x smaller than Adam's.
    Same as ``lion_pytorch.Lion`` (``decoupled_weight_decay=True`` divides λ by the
    first α, as that package does).

    References
    ----------
    Chen et al., "Symbolic Discovery of Optimization Algorithms", NeurIPS 2023.
    """

    name, title, color, cnn_lr, family = "lion", "Lion", "#0643F9", 2e-4, "adam"
    rule = (
        r"w \leftarrow (1 - \alpha\lambda)\, w",
        r"c = \rho_1 s + (1-\rho_1)\, g, \quad w \leftarrow w - \alpha\, \mathrm{sign}(c)",
        r"s \leftarrow \rho_2 s + (1-\rho_2)\, g",
    )
    meaning = {"s": "moving average of g", "c": "direction before its sign"}
    idea = "the sign of a momentum-gradient mix: every coordinate moves by α"
    remark = "defaults α = {lr:g}, ρ1 = {betas[0]:g}, ρ2 = {betas[1]:g}"
    first_step = "s = 0, so c = (1 − ρ₁) g: the first step is α sign(g)"
    ideas = ("momentum", "sign", "decoupled decay")
    hyper = {
        "lr": learning_rate(1e-4),
        "betas": _betas((0.9, 0.99)),
        "weight_decay": non_negative(0.0, "λ"),
        "decoupled_weight_decay": flag(False),
    }
    State = LionState

    def _update(self, w, g, st, alpha):
        rho1, rho2 = self.betas
        lam = self.weight_decay
        if self.decoupled_weight_decay:
            lam = lam / self._lr(1)
        w *= 1.0 - alpha * lam
        c = st.s * rho1 + (1.0 - rho1) * g
        w -= alpha * np.sign(c)
        st.s[...] = st.s * rho2 + (1.0 - rho2) * g

    def _effective_lr(self, st):
        return self._lr(st.t)


@dataclass
class AdaBeliefState:
    shape: tuple
    s: Array  # first moment: moving average of g
    r: Array  # the belief: moving average of (g - s)^2 (plus δ each step)
    r_max: Array | None = None  # amsgrad only
    t: int = 0


class AdaBelief(Optimizer):
    r"""AdaBelief: Adam whose denominator is how far g strays from its moving average
    (the "belief" in s), not how large g is.

    .. math::
        s &\leftarrow \rho_1 s + (1-\rho_1)\, g \\
        r &\leftarrow \rho_2 r + (1-\rho_2)\, (g - s)^2 + \delta \\
        w &\leftarrow w - \frac{\alpha}{1-\rho_1^t}\,
        \frac{s}{\sqrt{r/(1-\rho_2^t)} + \delta}

    A steady gradient (g ≈ s) gets a large step, a noisy one a small step. Same as
    ``adabelief_pytorch.AdaBelief`` 0.2, whose defaults differ from the paper's: the
    weight decay is decoupled (``weight_decouple=True``; ``fixed_decay`` decays by λ, not
    αλ), δ = 1e-16 is added to r in place every step, and ``rectify=True`` uses RAdam's
    rectification (momentum steps while :math:`\ell_t < 5`, or none with
    ``degenerated_to_sgd=False``), then divides by :math:`\sqrt r + \delta` without the
    bias correction of r.

    References
    ----------
    Zhuang et al., "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed
    Gradients", NeurIPS 2020.
    """

    name, title, color, cnn_lr, family = "adabelief", "AdaBelief", "#D6A9BC", 1e-3, "adam"
    rule = (
        r"s \leftarrow \rho_1 s + (1-\rho_1)\, g",
        r"r \leftarrow \rho_2 r + (1-\rho_2)\, (g - s)^2 + \delta",
        r"w \leftarrow w - \dfrac{\alpha}{1-\rho_1^t}\, "
        r"\dfrac{s}{\sqrt{r/(1-\rho_2^t)} + \delta}",
    )
    meaning = {
        "s": "first moment",
        "r": "belief: moving average of (g − s)²",
        "r_max": "largest belief",
    }
    idea = "Adam dividing by how far g strays from s, not by how large g is"
    remark = "defaults ρ1 = {betas[0]:g}, ρ2 = {betas[1]:g}, δ = {eps:g}, rectified"
    first_step = "s = (1 − ρ₁) g, so r holds (1 − ρ₂) ρ₁² g²: a momentum step while ℓ_t < 5"
    ideas = (
        "momentum",
        "per-coordinate scaling",
        "bias correction",
        "belief",
        "rectification",
        "decoupled decay",
    )
    hyper = {
        "lr": learning_rate(1e-3),
        "betas": _betas((0.9, 0.999)),
        "eps": positive(1e-16, "δ"),
        "weight_decay": non_negative(0.0, "λ"),
        "amsgrad": flag(False, "AMSGrad"),
        "weight_decouple": flag(True),
        "fixed_decay": flag(False),
        "rectify": flag(True, "rectify"),
        "degenerated_to_sgd": flag(True),
    }
    State = AdaBeliefState

    def _layout(self):
        return (self.amsgrad,)

    def _holds(self, field):
        return field != "r_max" or self.amsgrad

    def _update(self, w, g, st, alpha):
        rho1, rho2 = self.betas
        g = self._decayed(w, g, alpha)
        bc1, bc2 = 1 - rho1**st.t, 1 - rho2**st.t
        st.s[...] = st.s * rho1 + (1 - rho1) * g
        residual = g - st.s
        st.r[...] = st.r * rho2 + (1 - rho2) * residual * residual
        st.r[...] = st.r + self.eps
        if self.amsgrad:
            np.maximum(st.r_max, st.r, out=st.r_max)
        if not self.rectify:
            r = st.r_max if self.amsgrad else st.r
            w -= alpha / bc1 * (st.s / (np.sqrt(r) / np.sqrt(bc2) + self.eps))
            return
        w -= self._rectified(st, alpha)

    def _decayed(self, w, g, alpha):
        """Decoupled decay of the weights (by αλ, or by λ with ``fixed_decay``), or an
        L2 term :math:`\\lambda w` added to g."""
        lam = self.weight_decay
        if self.weight_decouple:
            w *= 1.0 - (lam if self.fixed_decay else alpha * lam)
            return g
        return g + lam * w

    def _rectified(self, st, alpha):
        """The rectified step (the reference's RAdam branch)."""
        rho1, rho2 = self.betas
        ell, ell_inf = sma_lengths(self.betas[1], st.t)
        safe = np.where(ell >= 5, ell, 6.0)
        size = np.sqrt(
            (1 - rho2**st.t)
            * (safe - 4)
            / (ell_inf - 4)
            * (safe - 2)
            / safe
            * ell_inf
            / (ell_inf - 2)
        ) / (1 - rho1**st.t)
        adaptive = size * alpha * (st.s / (np.sqrt(st.r) + self.eps))
        momentum = 1.0 / (1 - rho1**st.t) * alpha if self.degenerated_to_sgd else 0.0
        return np.where(ell >= 5, adaptive, momentum * st.s)

    def _effective_lr(self, st):
        rho1 = self.betas[0]
        return self._lr(st.t) / (1 - rho1**st.t) / (np.sqrt(st.r) + self.eps)


@dataclass
class ScheduleFreeState:
    shape: tuple
    z: Array  # the sequence that takes the SGD (or Adam) steps
    x: Array  # the weighted average of z: the iterate to evaluate
    lr_max: Array  # the largest (warmed-up) rate so far
    weight_sum: Array  # the sum of the averaging weights so far
    r: Array | None = None  # AdamW only: moving average of g^2
    t: int = 0


class ScheduleFreeSGD(Optimizer):
    r"""Schedule-Free SGD: no learning-rate schedule; an online average of the SGD
    sequence takes its place. The parameters :math:`y`, where the gradient is evaluated,
    interpolate between the stepped sequence :math:`z` and its average :math:`x`.

    .. math::
        c_t &= \frac{t^{r}\, \alpha_{max}^{p}}{\sum_{k \le t} k^{r}\, \alpha_{max}^{p}},
        \qquad g \leftarrow g + \lambda y \\
        y &\leftarrow y + c_t (z - y), \qquad
        y \leftarrow y + \alpha (\beta (1 - c_t) - 1)\, g, \qquad
        z \leftarrow z - \alpha\, g \\
        x &= y + (1 - 1/\beta)(z - y)

    ``step`` leaves :math:`y` in the parameters (the reference's train mode); the state
    holds :math:`z` and :math:`x` (what the reference's ``eval()`` puts in the
    parameters). α warms up linearly over ``warmup_steps``; ``r`` and
    ``weight_lr_power`` (:math:`p`) shape the weights. Same as
    ``schedulefree.SGDScheduleFree``.

    References
    ----------
    Defazio et al., "The Road Less Scheduled", NeurIPS 2024.
    """

    name, title, color, cnn_lr, family = (
        "sfsgd",
        "Schedule-Free SGD",
        "#7C4003",
        1.0,
        "momentum",
    )
    rule = (
        r"y \leftarrow y + c_t (z - y), \quad "
        r"y \leftarrow y + \alpha (\beta (1 - c_t) - 1)\, g",
        r"z \leftarrow z - \alpha\, g, \quad x = y + (1 - 1/\beta)(z - y)",
    )
    meaning = {
        "z": "the stepped sequence z",
        "x": "the average x (evaluate here)",
        "lr_max": "largest rate so far",
        "weight_sum": "sum of the averaging weights",
        "c": "averaging weight c",
    }
    idea = "no schedule: the average of the SGD sequence is the iterate to keep"
    remark = "defaults α = {lr:g}, β = {momentum:g}"
    first_step = "c₁ = 1: y jumps to z, then takes (β − 1) of the SGD step"
    ideas = ("momentum", "averaging")
    hyper = {
        "lr": learning_rate(1.0),
        "momentum": Hyper(0.9, _open_fraction, symbol="β", slider="fraction"),
        "weight_decay": non_negative(0.0, "λ"),
        "warmup_steps": non_negative(0, "T_w"),
        "r": non_negative(0.0, "r"),
        "weight_lr_power": non_negative(2.0, "p"),
    }
    State = ScheduleFreeState
    per_step = ("lr_max", "weight_sum")

    def _holds(self, field):
        return field != "r"

    def _init_state(self, w):
        st = super()._init_state(w)
        st.z[...] = w
        st.x[...] = w
        st.lr_max[...] = -1.0
        return st

    def _weight(self, st, alpha):
        """This step's warmed-up rate, largest rate, sum of weights and averaging
        weight :math:`c_t`, from the state of the step before."""
        warm = self.warmup_steps
        lr = alpha * np.where(st.t <= warm, st.t / np.maximum(warm, 1), 1.0)
        lr_max = self._like(st.lr_max, np.maximum(st.lr_max, lr))
        weight = st.t**self.r * lr_max**self.weight_lr_power
        weight_sum = self._like(st.weight_sum, st.weight_sum + weight)
        if np.all(weight_sum != 0):
            return lr, lr_max, weight_sum, weight / weight_sum
        c = weight / np.where(weight_sum != 0, weight_sum, np.inf)  # 0 / ∞
        return lr, lr_max, weight_sum, c

    def _advance(self, st, alpha):
        _, lr_max, weight_sum, _ = self._weight(st, alpha)
        st.lr_max[...] = lr_max
        st.weight_sum[...] = weight_sum

    def _update(self, w, g, st, alpha):
        beta = self.momentum
        lr, _, _, c = self._weight(st, alpha)
        if any_nonzero(self.weight_decay):
            g = g + self.weight_decay * w
        _lerp_to(w, st.z, c)  # y ← y + c (z − y)
        w += lr * (beta * (1 - c) - 1) * g
        st.z -= lr * g
        st.x[...] = w  # x = y + (1 − 1/β)(z − y)
        _lerp_to(st.x, st.z, 1 - 1 / beta)

    def _effective_lr(self, st):
        return st.lr_max


class ScheduleFreeAdamW(ScheduleFreeSGD):
    r"""Schedule-Free AdamW: Schedule-Free SGD on Adam's normalised gradient.

    .. math::
        r &\leftarrow \rho_2 r + (1-\rho_2)\, g^2, \qquad
        \tilde g = \frac{g}{\sqrt{r/(1-\rho_2^t)} + \delta} + \lambda y \\
        y &\leftarrow y + c_t (z - y), \qquad
        y \leftarrow y + \alpha (\rho_1 (1 - c_t) - 1)\, \tilde g, \qquad
        z \leftarrow z - \alpha\, \tilde g

    :math:`\rho_1` plays momentum's β (there is no first moment). Same as
    ``schedulefree.AdamWScheduleFree`` (train mode; decay added after the
    normalisation).

    References
    ----------
    Defazio et al., "The Road Less Scheduled", NeurIPS 2024.
    """

    name, title, color, cnn_lr, family = (
        "sfadamw",
        "Schedule-Free AdamW",
        "#9B4B73",
        2.5e-3,
        "adam",
    )
    rule = (
        r"r \leftarrow \rho_2 r + (1-\rho_2)\, g^2, \quad "
        r"\tilde g = g/(\sqrt{r/(1-\rho_2^t)} + \delta) + \lambda y",
        r"y \leftarrow y + c_t (z - y), \quad "
        r"y \leftarrow y + \alpha (\rho_1 (1 - c_t) - 1)\, \tilde g",
        r"z \leftarrow z - \alpha\, \tilde g, \quad x = y + (1 - 1/\rho_1)(z - y)",
    )
    meaning = {**ScheduleFreeSGD.meaning, "r": "second moment"}
    idea = "Schedule-Free on Adam's normalised gradient"
    remark = "defaults α = {lr:g}, ρ1 = {betas[0]:g}, ρ2 = {betas[1]:g}"
    first_step = "c₁ = 1 and g̃ = ±1/√(1 − ρ₂)·√(1 − ρ₂): each coordinate moves (1 − ρ₁) α"
    ideas = (
        "momentum",
        "per-coordinate scaling",
        "bias correction",
        "averaging",
        "decoupled decay",
    )
    hyper = {
        "lr": learning_rate(2.5e-3),
        "betas": _betas((0.9, 0.999), _check_sf_betas),
        "eps": positive(1e-8, "δ"),
        "weight_decay": non_negative(0.0, "λ"),
        "warmup_steps": non_negative(0, "T_w"),
        "r": non_negative(0.0, "r"),
        "weight_lr_power": non_negative(2.0, "p"),
    }

    def _holds(self, field):
        return True

    def _update(self, w, g, st, alpha):
        rho1, rho2 = self.betas
        lr, _, _, c = self._weight(st, alpha)
        st.r *= rho2  # r ← ρ2 r + (1 − ρ2) g², in place
        st.r += (1 - rho2) * g * g
        d = np.sqrt(st.r / (1 - rho2**st.t))
        d += self.eps
        g = g / d  # g̃ = g/(√(r/(1 − ρ2^t)) + δ) + λ y
        if any_nonzero(self.weight_decay):
            g += self.weight_decay * w
        _lerp_to(w, st.z, c)  # y ← y + c (z − y)
        w += lr * (rho1 * (1 - c) - 1) * g
        st.z -= lr * g
        st.x[...] = w  # x = y + (1 − 1/ρ1)(z − y)
        _lerp_to(st.x, st.z, 1 - 1 / rho1)
