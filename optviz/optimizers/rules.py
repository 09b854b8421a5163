r"""The update rules, one class each, written the way the notes write them.

Each class carries its facts (``name``, ``title``, ``color``, ``cnn_lr``, ``family``), its
hyper-parameters with defaults and checks (``hyper``), its state dataclass in the notes'
symbols, and ``_update``: the notes' equations, one line each, updating ``w`` and the
state in place. :mod:`optviz.optimizers` registers them; the shared machinery (checks,
``step``, checkpoints) is in ``_base.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._base import (
    Array,
    Hyper,
    Optimizer,
    any_nonzero,
    check_fraction,
    flag,
    fraction,
    learning_rate,
    non_negative,
    positive,
)

__all__ = [
    "SGD",
    "Momentum",
    "Nesterov",
    "Adagrad",
    "RMSprop",
    "Adam",
    "AdamW",
    "MOMENTUM_FORMS",
    "check_betas",
]

MOMENTUM_FORMS = ("notes", "pytorch")


def _check_form(name, value) -> str:
    if value not in MOMENTUM_FORMS:
        allowed = ", ".join(MOMENTUM_FORMS)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return value


def check_betas(name, betas):
    """A pair (ρ1, ρ2) of decay rates, each in [0, 1) (a number or an array)."""
    try:
        rho1, rho2 = betas
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (rho1, rho2), got {betas!r}") from None
    return check_fraction(f"{name}[0] (rho1)", rho1), check_fraction(
        f"{name}[1] (rho2)", rho2
    )


@dataclass
class SGDState:
    shape: tuple
    t: int = 0  # steps taken


class SGD(Optimizer):
    r"""Plain (stochastic) gradient descent.

    .. math:: w \leftarrow w - \alpha\, g

    Parameters
    ----------
    lr : float, array or schedule
        Learning rate :math:`\alpha > 0`.

    Examples
    --------
    >>> w = np.array([1.0, -2.0])
    >>> SGD(lr=0.1).step(w, np.array([0.5, 1.0]))
    array([ 0.95, -2.1 ])
    """

    name, title, color, cnn_lr, family = "sgd", "SGD", "#0072B2", 0.2, "sgd"
    rule = (r"w \leftarrow w - \alpha\, g",)
    idea = "the plain step: the learning rate times the gradient, downhill"
    first_step = "the step is −α times the gradient"
    ideas = ()
    hyper = {"lr": learning_rate(1e-2)}
    State = SGDState

    def _update(self, w, g, st, alpha):
        w -= alpha * g


@dataclass
class MomentumState:
    shape: tuple
    v: Array  # velocity: the displacement of the last step (both forms)
    b: Array | None = None  # PyTorch form only: the buffer of summed gradients
    t: int = 0


class Momentum(Optimizer):
    r"""Gradient descent with (heavy-ball) momentum.

    The notes' form (default):

    .. math::
        v \leftarrow \beta v - \alpha g, \qquad w \leftarrow w + v

    PyTorch's form (``form="pytorch"``, as ``torch.optim.SGD``):

    .. math::
        b \leftarrow \beta b + g, \qquad w \leftarrow w - \alpha b

    With a constant :math:`\alpha` the two give the same iterates (:math:`v = -\alpha b`);
    under a learning-rate schedule they differ: the notes' velocity keeps the old
    learning rates inside it, PyTorch's buffer applies the new one to the whole history.
    ``v`` is always the displacement of the last step, in both forms.

    With ``nesterov=True`` the step looks ahead along the velocity:
    :math:`w \leftarrow w + \beta v - \alpha g` (PyTorch: :math:`w \leftarrow w -
    \alpha (g + \beta b)`).

    Heavy-ball momentum is an unnormalised sum of past gradients; Adam's ``s`` is the
    normalised (moving-average) version of the same idea.

    Parameters
    ----------
    lr : float, array or schedule
        :math:`\alpha > 0`.
    momentum : float or array
        :math:`\beta \in [0, 1)`. ``momentum=0`` is plain SGD.
    nesterov : bool
        Nesterov's look-ahead step.
    form : {"notes", "pytorch"}
        Which of the two equivalent-under-constant-lr forms to use.
    """

    name, title, color, cnn_lr, family = "momentum", "Momentum", "#E69F00", 0.02, "momentum"
    rule = (r"v \leftarrow \beta\, v - \alpha\, g", r"w \leftarrow w + v")
    meaning = {"v": "velocity", "b": "buffer of summed gradients"}
    idea = (
        "a velocity v: past steps keep pushing, so a ravine's zig-zag cancels "
        "and the way along it adds up"
    )
    remark = "default β = {momentum:g}"
    first_step = "from rest, v is the SGD step; later steps add β times the last one"
    ideas = ("momentum",)
    hyper = {
        "lr": learning_rate(1e-2),
        "momentum": fraction(0.9, "β"),
        "nesterov": flag(False, "Nesterov"),
        "form": Hyper(
            "notes", _check_form, array=False, label="PyTorch form", choices=MOMENTUM_FORMS
        ),
    }
    State = MomentumState

    def _layout(self):
        return (self.form,)

    def _holds(self, field):
        return field != "b" or self.form == "pytorch"

    def _update(self, w, g, st, alpha):
        beta = self.momentum
        if self.form == "pytorch":
            return self._pytorch_form(w, g, st, alpha, beta)
        st.v *= beta  # v ← βv − αg, in place
        st.v -= alpha * g
        w += beta * st.v - alpha * g if self.nesterov else st.v

    def _pytorch_form(self, w, g, st, alpha, beta):
        r"""torch.optim.SGD sums raw gradients, :math:`b \leftarrow \beta b + g`, and
        applies alpha afterwards: :math:`v = -\alpha b` (looking ahead:
        :math:`-\alpha (g + \beta b)`), :math:`w \leftarrow w + v`."""
        st.b *= beta  # b ← βb + g, in place
        st.b += g
        st.v[...] = -alpha * (g + beta * st.b if self.nesterov else st.b)
        w += st.v


class Nesterov(Momentum):
    r"""Momentum with Nesterov's look-ahead step.

    .. math:: v \leftarrow \beta v - \alpha g, \qquad w \leftarrow w + \beta v - \alpha g

    The same as ``Momentum(nesterov=True)``; registered as ``"nesterov"``.
    """

    name, title, color = "nesterov", "Nesterov", "#DDCC77"
    rule = (
        r"v \leftarrow \beta\, v - \alpha\, g",
        r"w \leftarrow w + \beta\, v - \alpha\, g",
    )
    ideas = ("momentum", "look-ahead")
    hyper = {**Momentum.hyper, "nesterov": flag(True, "Nesterov")}


@dataclass
class AdagradState:
    shape: tuple
    r: Array  # running SUM of g^2 (not an average: the notes are wrong here)
    t: int = 0


class _EpsPlacement:
    """The denominator :math:`\\sqrt{r} + \\delta` (torch), or :math:`\\sqrt{r +
    \\delta}` with ``eps_inside_sqrt=True`` (some textbooks)."""

    def _root(self, r):
        delta = self.eps
        return np.sqrt(r + delta) if self.eps_inside_sqrt else np.sqrt(r) + delta


class Adagrad(_EpsPlacement, Optimizer):
    r"""Adagrad: every coordinate's step shrinks with its accumulated gradient.

    .. math::
        r \leftarrow r + g^2, \qquad
        w \leftarrow w - \frac{\alpha}{\sqrt{r} + \delta}\, g

    ``r`` is a plain running sum of squared gradients, not an exponential moving average
    as the notes say; that sum only grows, which is why Adagrad's effective learning rate
    :math:`\alpha/(\sqrt{r}+\delta)` decays towards zero. RMSprop's moving average is the
    fix. Same as ``torch.optim.Adagrad`` (δ added after the root, ``lr_decay=0``).

    Parameters
    ----------
    lr : float, array or schedule
        :math:`\alpha > 0`.
    eps : float or array
        :math:`\delta > 0`.
    initial_accumulator_value : float or array
        Starting value of ``r`` (>= 0).
    eps_inside_sqrt : bool
        Use :math:`\alpha/\sqrt{r + \delta}` instead (some textbooks' convention).
    """

    name, title, color, cnn_lr, family = "adagrad", "Adagrad", "#009E73", 0.02, "adagrad"
    rule = (
        r"r \leftarrow r + g^2",
        r"w \leftarrow w - \dfrac{\alpha}{\sqrt{r} + \delta}\, g",
    )
    meaning = {"r": "accumulated squared gradient"}
    idea = (
        "a learning rate per coordinate: g ÷ √r, r the sum of every past g²; at t = 1 "
        "g/√r = ±1, so every coordinate moves α; later a coordinate with larger "
        "past gradients gets the smaller rate (no rate ever rises)"
    )
    remark = (
        "r is a running sum, not the moving average the notes say: it only grows, "
        "so the step keeps shrinking"
    )
    first_step = "dividing by √r leaves the sign of g: both coordinates move about α"
    ideas = ("per-coordinate scaling",)
    hyper = {
        "lr": learning_rate(1e-2),
        "eps": positive(1e-10, "δ"),
        "initial_accumulator_value": non_negative(0.0),
        "eps_inside_sqrt": flag(False),
    }
    State = AdagradState

    def _init_state(self, w):
        st = super()._init_state(w)
        st.r[...] = self.initial_accumulator_value
        return st

    def _update(self, w, g, st, alpha):
        st.r += g * g
        w -= alpha * g / self._root(st.r)

    def _effective_lr(self, st):
        return self._lr(st.t) / self._root(st.r)


@dataclass
class RMSpropState:
    shape: tuple
    r: Array  # moving average of g^2
    s: Array | None = None  # centered only: moving average of g
    b: Array | None = None  # momentum > 0 only: buffer of scaled gradients
    t: int = 0


class RMSprop(_EpsPlacement, Optimizer):
    r"""RMSprop: Adagrad whose memory fades.

    .. math::
        r \leftarrow \rho r + (1-\rho)\, g^2, \qquad
        w \leftarrow w - \frac{\alpha}{\sqrt{r} + \delta}\, g

    Same as ``torch.optim.RMSprop`` (δ added after the root; torch calls ρ ``alpha``,
    which optviz never does). ``centered=True`` divides by the root of the variance
    estimate :math:`r - s^2` with :math:`s \leftarrow \rho s + (1-\rho) g`;
    ``momentum > 0`` accumulates :math:`b \leftarrow \mu b + g/(\sqrt{r}+\delta)` and
    steps :math:`w \leftarrow w - \alpha b`, as torch does.

    Parameters
    ----------
    lr : float, array or schedule
        :math:`\alpha > 0`.
    rho : float or array
        Decay rate :math:`\rho \in [0, 1)`.
    eps : float or array
        :math:`\delta > 0`.
    momentum : float or array
        :math:`\mu \in [0, 1)`.
    centered : bool
        Normalise by the estimated variance instead of the raw second moment.
    eps_inside_sqrt : bool
        Use :math:`\sqrt{r + \delta}` in the denominator.
    """

    name, title, color, cnn_lr, family = "rmsprop", "RMSprop", "#882255", 0.001, "rmsprop"
    rule = (
        r"r \leftarrow \rho\, r + (1-\rho)\, g^2",
        r"w \leftarrow w - \dfrac{\alpha}{\sqrt{r} + \delta}\, g",
    )
    meaning = {
        "r": "moving average of g²",
        "s": "moving average of g",
        "b": "buffer of scaled gradients",
    }
    idea = (
        "forgetting: r becomes a moving average of g², so the step no longer "
        "shrinks for ever"
    )
    remark = "default ρ = {rho:g}"
    first_step = (
        "r holds only (1 − ρ) g², so the first step is about α/√(1 − ρ) per coordinate"
    )
    ideas = ("per-coordinate scaling",)
    hyper = {
        "lr": learning_rate(1e-2),
        "rho": fraction(0.99, "ρ"),
        "eps": positive(1e-8, "δ"),
        "momentum": fraction(0.0, "μ", slider=False),
        "centered": flag(False, "centered"),
        "eps_inside_sqrt": flag(False),
    }
    State = RMSpropState

    def _layout(self):
        return (self.centered, bool(np.any(self.momentum > 0)))

    def _holds(self, field):
        return {"s": self.centered, "b": bool(np.any(self.momentum > 0))}.get(field, True)

    def _update(self, w, g, st, alpha):
        rho = self.rho
        st.r *= rho  # r ← ρr + (1 − ρ)g², in place
        st.r += (1 - rho) * g * g
        self._track_mean(st, g, rho)
        if st.b is not None:
            return self._with_momentum(w, g, st, alpha)
        w -= alpha * g / self._denominator(st)

    def _track_mean(self, st, g, rho):
        """Centered only: :math:`s \\leftarrow \\rho s + (1-\\rho) g`."""
        if self.centered:
            st.s += (1 - rho) * (g - st.s)  # = ρs + (1 − ρ)g, as torch's lerp

    def _with_momentum(self, w, g, st, alpha):
        """torch's momentum: :math:`b \\leftarrow \\mu b + g / (\\sqrt{r}+\\delta)`,
        :math:`w \\leftarrow w - \\alpha b`."""
        st.b *= self.momentum
        st.b += g / self._denominator(st)
        w -= alpha * st.b

    def _denominator(self, st):
        """:math:`\\sqrt{r} + \\delta`, of the variance :math:`r - s^2` if centered."""
        return self._root(st.r - st.s * st.s if self.centered else st.r)

    def _effective_lr(self, st):
        return self._lr(st.t) / self._denominator(st)


@dataclass
class AdamState:
    shape: tuple
    s: Array  # first moment: moving average of g
    r: Array  # second moment: moving average of g^2
    r_max: Array | None = None  # amsgrad only: the largest r seen
    t: int = 0


class Adam(_EpsPlacement, Optimizer):
    r"""Adam: momentum's first moment over RMSprop's second, both bias-corrected.

    .. math::
        s &\leftarrow \rho_1 s + (1-\rho_1)\, g \\
        r &\leftarrow \rho_2 r + (1-\rho_2)\, g^2 \\
        \hat s &= s / (1-\rho_1^t), \qquad \hat r = r / (1-\rho_2^t) \\
        w &\leftarrow w - \frac{\alpha\, \hat s}{\sqrt{\hat r} + \delta}

    ``s`` and ``r`` start at 0, so in the first steps they are biased towards 0;
    dividing by :math:`1-\rho^t` removes that bias (``bias_correction=False`` shows
    what happens without it). Published defaults: :math:`\rho_1 = 0.9`,
    :math:`\rho_2 = 0.999`, :math:`\delta = 10^{-8}` (the notes' "0.9 or 0.99" is not
    the default). ``weight_decay`` adds :math:`\lambda w` to ``g`` (L2, as
    ``torch.optim.Adam``); ``amsgrad`` divides by the largest :math:`\hat r` so far
    (``-o amsgrad`` is ``adam:amsgrad=true``).

    The effective learning rate is :math:`\alpha/(\sqrt{\hat r}+\delta)`, the factor
    that multiplies :math:`\hat s`.

    Parameters
    ----------
    lr : float, array or schedule
        :math:`\alpha > 0`.
    betas : (float, float)
        :math:`(\rho_1, \rho_2)`, each in [0, 1); each may be an array.
    eps : float or array
        :math:`\delta > 0`.
    weight_decay : float or array
        :math:`\lambda \ge 0`.
    amsgrad : bool
        Use the running maximum of ``r``.
    bias_correction : bool
        Divide by :math:`1-\rho^t` (default) or not.
    eps_inside_sqrt : bool
        Use :math:`\sqrt{\hat r + \delta}` in the denominator.

    References
    ----------
    Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
    """

    name, title, color, cnn_lr, family = "adam", "Adam", "#2A1A7A", 0.002, "adam"
    rule = (
        r"s \leftarrow \rho_1 s + (1-\rho_1)\, g",
        r"r \leftarrow \rho_2 r + (1-\rho_2)\, g^2",
        r"\hat s = s/(1-\rho_1^t), \quad \hat r = r/(1-\rho_2^t)",
        r"w \leftarrow w - \dfrac{\alpha\, \hat s}{\sqrt{\hat r} + \delta}",
    )
    meaning = {
        "s": "first moment",
        "r": "second moment",
        "r_max": "largest second moment",
        "s_hat": "bias-corrected first moment",
        "r_hat": "bias-corrected second moment",
    }
    idea = (
        "momentum's memory as a moving average s of g, ÷ √r̂ (RMSprop's r); both "
        "start at 0, so ŝ and r̂ are corrected for it"
    )
    remark = "ρ2 = {betas[1]:g} is the published default (the notes say 0.9 or 0.99)"
    first_step = "the first ŝ/√r̂ is ±1: Adam's first step moves α in each coordinate"
    ideas = ("momentum", "per-coordinate scaling", "bias correction")
    hyper = {
        "lr": learning_rate(1e-3),
        "betas": Hyper(
            (0.9, 0.999),
            check_betas,
            symbol=("ρ₁", "ρ₂"),
            slider="fraction",
            parts=("rho1", "rho2"),
        ),  # fmt: skip
        "eps": positive(1e-8, "δ"),
        "weight_decay": non_negative(0.0, "λ"),
        "amsgrad": flag(False, "AMSGrad"),
        "bias_correction": flag(True, "bias correction"),
        "eps_inside_sqrt": flag(False),
    }
    State = AdamState

    def _layout(self):
        return (self.amsgrad,)

    def _holds(self, field):
        return field != "r_max" or self.amsgrad

    def _update(self, w, g, st, alpha):
        rho1, rho2 = self.betas
        g = self._decay(w, g, alpha)
        st.s += (1 - rho1) * (g - st.s)  # = ρ1 s + (1 − ρ1) g, as torch's lerp
        st.r *= rho2  # r ← ρ2 r + (1 − ρ2) g², in place
        st.r += (1 - rho2) * g * g
        self._track_max(st)
        s_hat = st.s / self.bias_corrections(st.t)[0]
        w -= alpha * s_hat / self._denominator(st)

    def _decay(self, w, g, alpha):
        """Adam's weight decay: an L2 penalty added to the gradient, :math:`g + \\lambda
        w`."""
        lam = self.weight_decay
        return g + lam * w if any_nonzero(lam) else g

    def _track_max(self, st):
        """AMSGrad: :math:`r_{max} \\leftarrow \\max(r_{max}, r)`."""
        if self.amsgrad:
            np.maximum(st.r_max, st.r, out=st.r_max)

    def bias_corrections(self, t):
        """The bias-correction divisors :math:`(1 - \\rho_1^t, 1 - \\rho_2^t)` at step
        ``t``, or (1, 1) with ``bias_correction=False``."""
        rho1, rho2 = self.betas
        if not self.bias_correction:
            return 1.0, 1.0
        return 1 - rho1**t, 1 - rho2**t

    def _denominator(self, st):
        """:math:`\\sqrt{\\hat r} + \\delta` (of the largest r so far if amsgrad)."""
        r_hat = (st.r_max if self.amsgrad else st.r) / self.bias_corrections(st.t)[1]
        return self._root(r_hat)

    def _effective_lr(self, st):
        return self._lr(st.t) / self._denominator(st)


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    .. math:: w \leftarrow (1 - \alpha\lambda)\, w, \quad \text{then Adam's step}

    Unlike ``Adam(weight_decay=...)`` the decay never passes through ``s`` and ``r``.
    Same as ``torch.optim.AdamW``.
    """

    name, title, color = "adamw", "AdamW", "#000000"
    rule = (r"w \leftarrow (1 - \alpha\lambda)\, w", *Adam.rule)
    ideas = ("momentum", "per-coordinate scaling", "bias correction", "decoupled decay")
    hyper = {**Adam.hyper, "weight_decay": non_negative(1e-2, "λ")}

    def _decay(self, w, g, alpha):
        """AdamW: decay the weights, :math:`w \\leftarrow (1 - \\alpha\\lambda) w`,
        and leave the gradient alone."""
        w *= 1 - alpha * self.weight_decay
        return g
