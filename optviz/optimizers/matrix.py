r"""Two rules of ``torch.optim`` whose step depends on a whole parameter, not on each
coordinate alone: Adafactor (a second moment factored into row and column averages,
a step relative to the parameter's size) and Muon (momentum orthogonalised by a
Newton-Schulz iteration).

Each is one class in the notes' notation, equal step for step to ``torch.optim`` 2.13
(``tests/test_against_zoo.py``). New symbols (named once, here and in
:mod:`optviz.optimizers`): Adafactor's :math:`R` and :math:`C`, the row and column
averages of :math:`g^2` (its factored second moment), :math:`\hat r` the second
moment they stand for, :math:`\hat\rho_2 = 1 - t^{c}` its decay with :math:`c` the
``beta2_decay``, :math:`\rho_t` the relative step, :math:`\alpha_t` the step after
scaling by the parameter's root mean square, :math:`u` the normalised step and
:math:`d_c` its clipping threshold (the reference's ``d``), :math:`\delta_1, \delta_2`
its two small constants; Muon's :math:`O` the orthogonalised direction and
:math:`(a, b, c)` the coefficients of its Newton-Schulz iteration,
:math:`\mathrm{NS}_k`.

On a surface (``step(..., points=True)``) each point's two coordinates are one
problem: Adafactor's second moment of a vector is not factored, and Muon sees a
1 x 2 matrix, whose orthogonalised direction is :math:`g/\lVert g\rVert` scaled by
what the quintic iteration leaves (near 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._checks import check_int, check_range
from ._base import Array, Hyper, Optimizer, any_nonzero, flag, learning_rate, non_negative

__all__ = ["Adafactor", "Muon", "newton_schulz", "rms"]

#: Muon's Newton-Schulz coefficients (Keller Jordan's, as torch.optim.Muon's default).
NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)
#: Muon's iteration count limit (torch's: fewer than 100 steps).
MAX_NS_STEPS = 99
#: Muon's learning-rate adjustments by name (None is "original").
ADJUST_LR = (None, "original", "match_rms_adamw")


def rms(x, axes):
    """Root mean square of ``x`` over ``axes`` (kept, so it broadcasts against ``x``)."""
    n = math.prod(x.shape[a] for a in axes)
    return np.sqrt(np.sum(x * x, axis=axes, keepdims=True)) / math.sqrt(n)


def lerp(a, b, weight):
    """``a + weight (b - a)``, rounded as torch's ``lerp`` rounds it (from ``b``'s side
    when ``|weight| >= 0.5``); one formula when every weight is on one side."""
    if np.all(np.abs(weight) < 0.5):
        return a + weight * (b - a)
    if np.all(np.abs(weight) >= 0.5):
        return b - (b - a) * (1 - weight)
    return np.where(np.abs(weight) < 0.5, a + weight * (b - a), b - (b - a) * (1 - weight))


def lerp_to(a, b, weight):
    """``a ← lerp(a, b, weight)`` in place; ``b`` is a temporary it may overwrite."""
    if np.all(np.abs(weight) < 0.5):
        b -= a
        b *= weight
        a += b
    else:
        a[...] = lerp(a, b, weight)


# -- Adafactor ------------------------------------------------------------------------
def _check_adafactor_eps(name, eps):
    try:
        eps1, eps2 = eps
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a pair (delta1 or None, delta2), got {eps!r}"
        ) from None
    if eps1 is not None:
        eps1 = check_range(f"{name}[0] (delta1)", eps1, low=0)
    return eps1, check_range(f"{name}[1] (delta2)", eps2, low=0)


def _check_beta2_decay(name, value):
    return check_range(name, value, high=0)


def _check_clip(name, value):
    return check_range(name, value, low=1)


@dataclass
class AdafactorState:
    shape: tuple
    r: Array | None = None  # a vector's second moment: moving average of g^2
    R: Array | None = None  # a matrix's row averages of g^2, shape (..., m, 1)
    C: Array | None = None  # a matrix's column averages of g^2, shape (..., 1, n)
    alpha_t: Array | None = None  # the last step's size, per coordinate's problem
    t: int = 0


class Adafactor(Optimizer):
    r"""Adafactor: RMSprop with a factored second moment and steps relative to RMS(w).

    A matrix's second moment is the outer product of its row and column averages, and
    the step is relative to the parameter's own size.

    .. math::
        \hat\rho_2 &= 1 - t^{c}, \qquad
        \rho_t = \min(\alpha, 1/\sqrt t), \qquad
        \alpha_t = \max(\delta_2, \mathrm{RMS}(w))\, \rho_t \\
        w &\leftarrow (1 - \alpha\lambda)\, w \\
        R &\leftarrow \hat\rho_2 R + (1-\hat\rho_2)\, \mathrm{mean}_{row}(g^2), \qquad
        C \leftarrow \hat\rho_2 C + (1-\hat\rho_2)\, \mathrm{mean}_{col}(g^2) \\
        \hat r &= R\, C / \mathrm{mean}(R) \qquad
        (\text{a vector: } \hat r = r \leftarrow \hat\rho_2 r + (1-\hat\rho_2)\, g^2) \\
        u &= g / \max(\sqrt{\hat r}, \delta_1), \qquad
        w \leftarrow w - \frac{\alpha_t}{\max(1, \mathrm{RMS}(u)/d_c)}\, u

    A matrix keeps m + n numbers of second moment instead of m n; the decay
    :math:`\hat\rho_2` rises towards 1, so early gradients are forgotten fast. Same as
    ``torch.optim.Adafactor`` 2.13 (its keywords and defaults; ``eps=(None, 1e-3)``:
    :math:`\delta_1` None is the dtype's machine epsilon). Where it differs from the
    paper: no first moment (the paper's optional :math:`\beta_1`), the weight decay is
    decoupled and scaled by α (not :math:`\alpha_t`), :math:`\mathrm{mean}(R)` is
    clamped below by :math:`\delta_1` and :math:`\hat r` by :math:`\delta_1^2` (the
    paper adds :math:`\delta_1` to :math:`g^2`), and a tensor of more than two
    dimensions is factored over its last two.

    References
    ----------
    Shazeer & Stern, "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost",
    ICML 2018.
    """

    name, title, color, cnn_lr, family = (
        "adafactor",
        "Adafactor",
        "#44AA00",
        1e-2,
        "adagrad",  # its surface rates; α alone is tuned (it has no ρ)
    )
    whole = True
    rule = (
        r"\alpha_t = \max(\delta_2, \mathrm{RMS}(w)) \min(\alpha, 1/\sqrt{t})",
        r"r \leftarrow \hat\rho_2 r + (1-\hat\rho_2)\, g^2 \quad "
        r"(\mathrm{matrix: } \hat r = R C / \mathrm{mean}(R))",
        r"u = g / \max(\sqrt{r}, \delta_1), \quad "
        r"w \leftarrow w - \alpha_t u / \max(1, \mathrm{RMS}(u)/d_c)",
    )
    meaning = {
        "r": "second moment",
        "R": "row averages of g²",
        "C": "column averages of g²",
        "alpha_t": "step relative to RMS(w)",
    }
    idea = "a factored second moment and a step relative to the parameter's size"
    remark = "defaults α = {lr:g}, c = {beta2_decay:g}, δ2 = {eps[1]:g}, d = {d:g}"
    first_step = "ρ̂₂ = 0 at t = 1, so r = g²: u = sign(g), clipped to RMS 1"
    ideas = ("per-coordinate scaling", "factored second moment", "decoupled decay")
    hyper = {
        "lr": learning_rate(1e-2),
        "beta2_decay": Hyper(-0.8, _check_beta2_decay, array=False, symbol="c"),
        "eps": Hyper((None, 1e-3), _check_adafactor_eps, array=False),
        "d": Hyper(1.0, _check_clip, array=False, symbol="d_c"),
        "weight_decay": non_negative(0.0, "λ"),
        "maximize": flag(False),
    }
    State = AdafactorState

    def _factored(self, shape) -> bool:
        return not self._points and len(shape) > 1

    def _init_state(self, w):
        return self._state_of(w.shape, w.dtype, self._factored(w.shape))

    @staticmethod
    def _fields_of(shape, factored) -> dict:
        """Each array of the state -> its shape: a matrix's row factor ``(..., m, 1)``
        and column factor ``(..., 1, n)``, or a vector's (or a point's) ``r``."""
        if not factored:
            return {"r": shape, "alpha_t": shape}
        return {"R": (*shape[:-1], 1), "C": (*shape[:-2], 1, shape[-1]), "alpha_t": shape}

    def _state_of(self, shape, dtype, factored):
        arrays = self._fields_of(shape, factored)
        return AdafactorState(
            shape=shape, **{k: np.zeros(s, dtype=dtype) for k, s in arrays.items()}
        )

    def _checkpoint_fields(self, shape, given):
        """A checkpoint says its form: a matrix's factors ``R`` and ``C`` (a run on
        parameters), or ``r`` (a vector, or a matrix of points)."""
        return self._fields_of(shape, len(shape) > 1 and "R" in given)

    def _checkpoint_state(self, shape, dtype, given):
        return self._state_of(shape, dtype, len(shape) > 1 and "R" in given)

    def _update(self, w, g, st, alpha):
        g = -g if self.maximize else g
        axes = self._axes(w)
        delta1, delta2 = self._deltas(w.dtype)
        decay = st.t**self.beta2_decay  # 1 - ρ̂2
        rho_t = np.minimum(alpha, 1 / st.t**0.5)
        alpha_t = np.maximum(delta2, rms(w, axes)) * rho_t
        if any_nonzero(self.weight_decay):
            w *= 1 - alpha * self.weight_decay
        if st.R is not None:
            st.R[...] = lerp(st.R, np.mean(g * g, axis=-1, keepdims=True), decay)
            st.C[...] = lerp(st.C, np.mean(g * g, axis=-2, keepdims=True), decay)
        else:
            lerp_to(st.r, g * g, decay)
        u = self._root(st, delta1)
        np.divide(1, u, out=u)  # torch: rsqrt, then times g
        u *= g
        alpha_t = self._like(st.alpha_t, alpha_t / np.maximum(1.0, rms(u, axes) / self.d))
        st.alpha_t[...] = alpha_t
        u *= alpha_t
        w -= u

    def _deltas(self, dtype):
        """(δ1, δ2), δ1 None being ``dtype``'s machine epsilon."""
        delta1, delta2 = self.eps
        return (np.finfo(dtype).eps if delta1 is None else delta1), delta2

    def _root(self, st, delta1):
        r""":math:`\max(\sqrt{\hat r}, \delta_1)`, :math:`\hat r` from the factors of
        a matrix."""
        if st.R is None:
            r_hat = st.r
        else:
            mean_R = np.mean(st.R, axis=-2, keepdims=True)  # noqa: N806
            r_hat = st.R @ st.C / np.maximum(mean_R, delta1)
        root = np.empty_like(r_hat)  # an array even for one coordinate
        np.maximum(r_hat, delta1 * delta1, out=root)
        return np.sqrt(root, out=root)

    def _effective_lr(self, st):
        dtype = st.alpha_t.dtype
        return st.alpha_t / self._root(st, self._deltas(dtype)[0])


# -- Muon -------------------------------------------------------------------------------
def newton_schulz(G, coefficients=NS_COEFFICIENTS, steps=5, eps=1e-7):
    r"""Muon's orthogonalisation of the matrices ``G`` (shape ``(..., m, n)``):
    :math:`X = G/\max(\lVert G\rVert_F, \delta)`, then ``steps`` times
    :math:`A = X X^T,\ X \leftarrow a X + (b A + c A^2) X`, on the transpose when
    m > n. In float64 (torch runs it in bfloat16)."""
    a, b, c = coefficients
    tall = G.shape[-2] > G.shape[-1]
    X = np.swapaxes(G, -1, -2) if tall else G
    X = X / np.maximum(np.sqrt(np.sum(X * X, axis=(-2, -1), keepdims=True)), eps)
    for _ in range(steps):
        A = X @ np.swapaxes(X, -1, -2)
        B = b * A + c * (A @ A)
        X = a * X + B @ X
    return np.swapaxes(X, -1, -2) if tall else X


def _check_adjust(name, value):
    if value not in ADJUST_LR:
        allowed = ", ".join(repr(v) for v in ADJUST_LR)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return value


def _check_coefficients(name, value):
    try:
        a, b, c = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be three numbers (a, b, c), got {value!r}") from None
    return tuple(check_range(f"{name}[{i}]", v) for i, v in enumerate((a, b, c)))


def _check_ns_steps(name, value):
    return check_int(name, value, low=0, high=MAX_NS_STEPS)


def _check_momentum(name, value):
    return check_range(name, value, low=0)


@dataclass
class MuonState:
    shape: tuple
    s: Array  # momentum: moving average of g (rate β)
    O: Array  # the last orthogonalised direction  # noqa: E741
    t: int = 0


class Muon(Optimizer):
    r"""Muon: momentum orthogonalised by Newton-Schulz (matrices; CNN biases: AdamW).

    A matrix moves equally in every direction it has (all the step's singular values
    near 1).

    .. math::
        s &\leftarrow \beta s + (1-\beta)\, g, \qquad
        \tilde s = (1-\beta)\, g + \beta s \ \ (\text{nesterov; else } \tilde s = s) \\
        O &= \mathrm{NS}_k(\tilde s), \qquad
        w \leftarrow (1 - \alpha\lambda)\, w - \alpha \sqrt{\max(1, m/n)}\, O

    :math:`\mathrm{NS}_k` is :func:`newton_schulz`, :math:`w` an m x n matrix. Only
    for matrices: ``step`` refuses any other parameter, except that on a surface
    (``points=True``) each point is a 1 x 2 matrix (its direction is g's,
    normalised). The CNN trainer gives it every weight as a matrix (a conv kernel
    flattened to ``(F, C·FH·FW)``, stepped in place) and the biases to AdamW with its
    defaults, as Muon's reference practice (:mod:`optviz.nn.stepping`). Same as
    ``torch.optim.Muon`` 2.13 (keywords and defaults;
    ``adjust_lr_fn="match_rms_adamw"`` scales α by :math:`0.2\sqrt{\max(m, n)}`) with
    the iteration in float64: torch runs it in bfloat16, whose 8-bit significand moves
    the first step of a 3 x 4 and a 5 x 2 matrix by 2.1 % and their 50-step paths by
    0.25 % (norm-wise, relative to float64; measured by
    ``tests/reference/make_zoo_reference.py``, stored in its output). Where the reference
    differs from the paper and from its own documentation: the momentum is a moving
    average (``lerp``), not the sum :math:`B \leftarrow \beta B + g`, so the step's
    scale does not grow by :math:`1/(1-\beta)` (the orthogonalisation removes the
    scale anyway).

    References
    ----------
    Jordan et al., "Muon: An optimizer for hidden layers in neural networks", 2024
    (kellerjordan.github.io/posts/muon).
    """

    name, title, color, cnn_lr, family = "muon", "Muon", "#AA7766", 2e-2, "momentum"
    whole = True
    rule = (
        r"s \leftarrow \beta s + (1-\beta)\, g, \quad \tilde s = (1-\beta)\, g + \beta s",
        r"O = \mathrm{NS}_k(\tilde s) \approx U V^T \quad (\tilde s = U \Sigma V^T)",
        r"w \leftarrow (1 - \alpha\lambda)\, w - \alpha \sqrt{\max(1, m/n)}\, O",
    )
    meaning = {"s": "momentum", "O": "orthogonalised direction"}
    idea = "momentum orthogonalised: every direction of the matrix moves alike"
    remark = "defaults α = {lr:g}, β = {momentum:g}, λ = {weight_decay:g}, k = {ns_steps}"
    first_step = "s = (1 − β) g, and O ≈ the nearest orthogonal matrix to g"
    ideas = ("momentum", "orthogonalisation", "decoupled decay")
    hyper = {
        "lr": learning_rate(1e-3),
        "weight_decay": non_negative(0.1, "λ"),
        "momentum": Hyper(0.95, _check_momentum, symbol="β", slider="fraction"),
        "nesterov": flag(True, "Nesterov"),
        "ns_coefficients": Hyper(NS_COEFFICIENTS, _check_coefficients, array=False),
        "eps": non_negative(1e-7, "δ"),
        "ns_steps": Hyper(5, _check_ns_steps, array=False, symbol="k"),
        "adjust_lr_fn": Hyper(None, _check_adjust, array=False),
    }
    State = MuonState

    def _check_shape(self, i, shape, points):
        if not points and len(shape) != 2:
            raise ValueError(
                f"muon takes matrices only: parameter {i} has shape {shape} (as "
                "torch.optim.Muon; a surface's point is a 1 x 2 matrix: points=True)"
            )

    def _matrix(self, x):
        """``x`` as matrices: a point ``(..., n)`` is the 1 x n matrix ``(..., 1, n)``."""
        return x[..., None, :] if self._points else x

    def _update(self, w, g, st, alpha):
        beta = self.momentum
        st.s[...] = lerp(st.s, g, 1 - beta)
        s_tilde = lerp(g, st.s, beta) if self.nesterov else st.s
        eps = self._matrix(self.eps) if np.ndim(self.eps) else self.eps
        ortho = newton_schulz(
            self._matrix(s_tilde), self.ns_coefficients, self.ns_steps, eps
        )
        st.O[...] = ortho.reshape(w.shape)
        w *= 1 - alpha * self.weight_decay
        w -= alpha * self._scale(w.shape) * st.O

    def _scale(self, shape):
        """torch's learning-rate adjustment for an m x n matrix."""
        m, n = (1, shape[-1]) if self._points else shape[:2]
        if self.adjust_lr_fn == "match_rms_adamw":
            return 0.2 * math.sqrt(max(m, n))
        return math.sqrt(max(1, m / n))

    def _effective_lr(self, st):
        return self._lr(st.t) * self._scale(st.shape)
