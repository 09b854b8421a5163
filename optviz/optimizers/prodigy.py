r"""Prodigy: Adam whose learning rate is estimated while it runs (``prodigyopt``).

One class in the notes' notation, equal step for step to ``prodigyopt.Prodigy`` 1.1.2
(``tests/test_against_zoo.py``; the package made the golden data and is never imported
by optviz or its tests). New symbols (named once, here and in
:mod:`optviz.optimizers`): :math:`d` the estimate of the distance from the start to a
solution (the step's scale), :math:`d_0` its first value, :math:`d_{max}` the largest
estimate so far, :math:`w_0` the start, :math:`a` the weighted sum of gradients and
:math:`n` the weighted sum of :math:`\langle g, w_0 - w\rangle` (the paper's
:math:`s` and :math:`r`, renamed because the notes' :math:`s` and :math:`r` are the
moments), :math:`\rho_3` their decay, :math:`\gamma` the growth limit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._checks import check_int, check_range
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

__all__ = ["Prodigy"]

#: The estimate's fields, equal in every parameter's state (one estimate per problem).
SHARED = ("d", "d_max", "n", "k", "dlr")


def _check_beta3(name, value):
    if value is None:
        return None
    return check_range(name, value, low=0, high=1, high_open=True)


def _check_growth(name, value):
    if value == math.inf:
        return math.inf
    return check_range(name, value, low=0, low_open=True)


def _check_scalar(name, value):
    return check_range(name, value, low=0, low_open=True)


def _check_slice(name, value):
    return check_int(name, value, low=1)


def _any_array(value) -> bool:
    """Whether a hyper-parameter (or a member of a tuple of them) is an array."""
    return any(np.ndim(v) for v in (value if isinstance(value, tuple) else (value,)))


@dataclass
class ProdigyState:
    shape: tuple
    r: Array  # second moment: moving average of d^2 g^2
    w0: Array  # the start
    a: Array  # weighted sum of gradients (the paper's s; every slice_p-th entry)
    d: Array  # the distance estimate (one per problem, repeated)
    d_max: Array  # the largest estimate so far
    n: Array  # weighted sum of <g, w0 - w> (the paper's r)
    k: Array  # steps that moved (the reference skips a step while a = 0)
    dlr: Array  # the last step's scale d α (bias-corrected)
    s: Array | None = None  # first moment: moving average of d g (when ρ1 > 0)
    t: int = 0


class Prodigy(Optimizer):
    r"""Prodigy: Adam whose learning rate d·α is estimated while it runs.

    :math:`d` grows from how far the iterate has come until it matches the distance to
    a solution.

    .. math::
        \eta &= d\alpha, \qquad
        n \leftarrow \rho_3 n + \tfrac{d}{d_0}\,\eta\, \langle g, w_0 - w \rangle,
        \qquad a \leftarrow \rho_3 a + \tfrac{d}{d_0}\,\eta\, g \\
        s &\leftarrow \rho_1 s + (1-\rho_1)\, d\, g, \qquad
        r \leftarrow \rho_2 r + (1-\rho_2)\, d^2 g^2 \\
        d_{max} &\leftarrow \max(d_{max}, n/\lVert a \rVert_1), \qquad
        d \leftarrow \min(d_{max}, \gamma d) \\
        w &\leftarrow w - \eta\, \frac{s}{\sqrt r + d\,\delta}

    :math:`d` starts at :math:`d_0` (tiny) and only grows; leave α = 1. The estimate
    is shared by all parameters (one per point on a surface). Same as
    ``prodigyopt.Prodigy`` 1.1.2 (its keywords and defaults; ``fsdp_in_use``, for
    sharded training, is not offered), where it differs from the paper: the sums
    :math:`n, a` omit the paper's factor :math:`1-\rho_3` (it cancels in the ratio),
    the moments carry :math:`d` and :math:`d^2` but the step uses :math:`\eta` of the
    estimate before the update and δ after it, :math:`\rho_3 = \sqrt{\rho_2}` by
    default (``beta3``), the first estimate takes :math:`\max(d_0, \hat d)` without
    the growth limit, no bias correction unless ``use_bias_correction``
    (:math:`\eta = d\alpha \sqrt{1-\rho_2^{k+1}}/(1-\rho_1^{k+1})`), weight decay
    decoupled (``decouple``, by :math:`\lambda\eta`) or added to g, ``safeguard_warmup``
    drops α from :math:`a`'s weight, ``slice_p`` sums only every p-th entry, and a
    step whose :math:`\lVert a\rVert_1 = 0` moves nothing (the moments still update).
    ρ1 = 0 steps along g: :math:`w \leftarrow w - \eta d\, g/(\sqrt r + d\delta)`.

    References
    ----------
    Mishchenko & Defazio, "Prodigy: An Expeditiously Adaptive Parameter-Free
    Learner", ICML 2024.
    """

    name, title, color, cnn_lr, family = "prodigy", "Prodigy", "#DD22BB", 1.0, "adam"
    whole = True
    rule = (
        r"n \leftarrow \rho_3 n + \frac{d}{d_0} d\alpha \langle g, w_0 - w \rangle, \quad "
        r"a \leftarrow \rho_3 a + \frac{d}{d_0} d\alpha\, g",
        r"s \leftarrow \rho_1 s + (1-\rho_1) d g, \quad "
        r"r \leftarrow \rho_2 r + (1-\rho_2) d^2 g^2",
        r"d \leftarrow \min(\max(d_{max}, n/\lVert a\rVert_1), \gamma d), \quad "
        r"w \leftarrow w - d\alpha\, s/(\sqrt{r} + d\delta)",
    )
    meaning = {
        "s": "first moment",
        "r": "second moment",
        "w0": "the start",
        "a": "weighted sum of gradients",
        "d": "distance estimate d",
        "d_max": "largest estimate",
        "n": "weighted sum of ⟨g, w₀ − w⟩",
        "k": "steps taken",
        "dlr": "step scale dα",
    }
    idea = "Adam whose learning rate dα grows to the distance it estimates"
    remark = "defaults α = {lr:g}, ρ1 = {betas[0]:g}, ρ2 = {betas[1]:g}, d0 = {d0:g}"
    first_step = "d = d₀ = 10⁻⁶: the first step is tiny, then d grows"
    ideas = ("momentum", "per-coordinate scaling", "distance estimate", "decoupled decay")
    hyper = {
        "lr": learning_rate(1.0),
        "betas": Hyper(
            (0.9, 0.999),
            check_betas,
            symbol=("ρ₁", "ρ₂"),
            slider="fraction",
            parts=("rho1", "rho2"),
        ),
        "beta3": Hyper(None, _check_beta3, array=False, symbol="ρ₃"),
        "eps": positive(1e-8, "δ"),
        "weight_decay": non_negative(0.0, "λ"),
        "decouple": flag(True),
        "use_bias_correction": flag(False, "bias correction"),
        "safeguard_warmup": flag(False),
        "d0": Hyper(1e-6, _check_scalar, array=False, symbol="d₀"),
        "d_coef": Hyper(1.0, _check_scalar, array=False),
        "growth_rate": Hyper(math.inf, _check_growth, array=False, symbol="γ"),
        "slice_p": Hyper(1, _check_slice, array=False),
    }
    State = ProdigyState

    def _check_shape(self, i, shape, points):
        arrays = [
            k for k, h in self.hyper.items() if h.array and _any_array(getattr(self, k))
        ]
        if arrays and not points:
            raise ValueError(
                f"prodigy shares one estimate d across all parameters, so {arrays[0]} "
                "must be a number (an array of them needs step(..., points=True))"
            )

    def _layout(self):
        return (any_nonzero(self.betas[0]),)

    def _holds(self, field):
        return field != "s" or any_nonzero(self.betas[0])

    def _init_state(self, w):
        st = super()._init_state(w)
        st.w0[...] = w
        st.d[...] = st.d_max[...] = self.d0
        return st

    def _shared(self, x):
        """One problem's value of a shared field (``(..., 1)`` for points)."""
        return x[..., :1] if self._points else x.reshape(-1)[0]

    def _sliced(self, x):
        """Every ``slice_p``-th entry of each problem (a view)."""
        p = self.slice_p
        return x[..., ::p] if self._points else x.reshape(-1)[::p]

    def _sum(self, x):
        return np.sum(x, axis=-1, keepdims=True) if self._points else np.sum(x)

    def _update_all(self, ws, gs, states, alphas):
        rho1, rho2 = self.betas
        rho3 = np.sqrt(rho2) if self.beta3 is None else self.beta3
        d, d_max, n, k = (self._shared(getattr(states[0], f)) for f in SHARED[:4])
        bc = 1.0
        if self.use_bias_correction:
            bc = (1 - rho2 ** (k + 1)) ** 0.5 / (1 - rho1 ** (k + 1))
        dlr = d * alphas[0] * bc
        lam, d0 = self.weight_decay, self.d0
        gs = [g if self.decouple else g + lam * w for w, g in zip(ws, gs)]
        delta_n, norm_a = 0.0, 0.0
        pieces = [
            (wb, gb, sb)  # in cache-sized blocks where that sums the same entries
            for w, g, st in zip(ws, gs, states)
            for wb, gb, sb in self._pieces(w, g, st, alphas[0])
        ]
        for w, g, st in pieces:
            g_cut = self._sliced(g)
            delta_n = delta_n + d / d0 * dlr * self._sum(
                g_cut * (self._sliced(st.w0) - self._sliced(w))
            )
            if st.s is not None:
                st.s *= rho1  # s ← ρ1 s + d(1 − ρ1) g, in place
                st.s += d * (1 - rho1) * g
            st.r *= rho2  # r ← ρ2 r + d²(1 − ρ2) g², in place
            st.r += d * d * (1 - rho2) * g * g
            weight = d / d0 * (d if self.safeguard_warmup else dlr)
            a = self._sliced(st.a)
            a *= rho3  # a ← ρ3 a + weight g, in place
            a += weight * g_cut
            norm_a = norm_a + self._sum(np.abs(a))
        moved = norm_a != 0  # the reference skips the rest while a = 0
        n_new = n * rho3 + delta_n
        d_hat = self.d_coef * n_new / np.where(moved, norm_a, 1.0)
        d_new = np.where(d == d0, np.maximum(d, d_hat), d)
        d_max_new = np.maximum(d_max, d_hat)
        d_new = np.minimum(d_max_new, d_new * self.growth_rate)
        old = (d, d_max, n, k, self._shared(states[0].dlr))
        new = (d_new, d_max_new, n_new, k + 1, dlr)
        values = [np.where(moved, a, b) for a, b in zip(new, old)]
        for st in states:
            for field, value in zip(SHARED, values):
                getattr(st, field)[...] = value
        for w, g, st in pieces:
            self._move(w, g, st, dlr, moved)

    def _pieces(self, w, g, st, alpha):
        """One parameter in blocks (:meth:`_blocks`) unless its problems are points or
        its sums take every ``slice_p``-th entry; else whole."""
        if self._points or self.slice_p != 1:
            return [(w, g, st)]
        return self._blocks(w, g, st, alpha)

    def _move(self, w, g, st, dlr, moved):
        """The step of one parameter (none where the estimate did not move)."""
        d = self._shared(st.d)
        denom = np.sqrt(st.r) + d * self.eps
        step = w if np.all(moved) else w.copy()  # in place unless some did not move
        if self.decouple and any_nonzero(self.weight_decay):
            step += step * (-self.weight_decay * dlr)
        if st.s is not None:
            step += -dlr * (st.s / denom)
        else:
            step += -dlr * d * (g / denom)
        if step is not w:
            w[...] = np.where(moved, step, w)

    def _effective_lr(self, st):
        return st.dlr / (np.sqrt(st.r) + self._shared(st.d) * self.eps)
