r"""The update rules, written the way the notes write them.

Every optimizer updates its parameters in place through ``opt.step(params, grads)``;
``params`` is one float ndarray of any shape or a list of them. The state the notes name
(``v``, ``r``, ``s``, ``t``) is kept per parameter in ``opt.state[i]``, a dataclass, so a
figure can read ``opt.state[0].r``. ``opt.effective_lr()`` gives the learning rate each
coordinate received in the last step.

Notation (``../shared/notes``): ``g`` gradient, ``alpha`` = ``lr``, ``beta`` = ``momentum``,
``rho`` (RMSprop) and ``rho1, rho2`` = ``betas`` (Adam), ``delta`` = ``eps``, ``t`` the
step count from 1. Keyword names follow ``torch.optim``, and so do the iterates: the tests
hold every class against stored ``torch.optim`` trajectories to rounding error.

Hyper-parameters may be arrays that broadcast against the parameters, so one call
advances a whole batch of start points or learning rates: with ``w`` of shape ``(N, 2)``,
``lr`` of shape ``(N, 1)`` gives each row its own learning rate. ``lr`` may also be a
schedule, a callable ``t -> lr`` (see :mod:`optviz.schedules`).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable, ClassVar, Sequence, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import check_broadcast, check_range

__all__ = [
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "Adagrad",
    "RMSprop",
    "Adam",
    "AdamW",
    "OPTIMIZERS",
    "MOMENTUM_FORMS",
    "DEFAULT_OPTIMIZERS",
]

Array = NDArray[np.floating]
Params = Union[Array, Sequence[Array]]
LearningRate = Union[float, ArrayLike, Callable[[int], ArrayLike]]

MOMENTUM_FORMS = ("notes", "pytorch")


def _check_lr(lr):
    if callable(lr):
        return lr
    return check_range("lr", lr, low=0, low_open=True)


def _check_flag(name, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be true or false, got {value!r}")
    return bool(value)


def _check_choice(name, value, choices) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def _check_betas(betas):
    try:
        rho1, rho2 = betas
    except (TypeError, ValueError):
        raise ValueError(f"betas must be a pair (rho1, rho2), got {betas!r}") from None
    rho1 = check_range("betas[0] (rho1)", rho1, low=0, high=1, high_open=True)
    rho2 = check_range("betas[1] (rho2)", rho2, low=0, high=1, high_open=True)
    return rho1, rho2


class Optimizer:
    """Base class: ``step`` once, ``_update`` per parameter in each subclass.

    Subclasses set ``_hyper`` (the hyper-parameters that may be arrays), create their
    state in ``_init_state`` and write the notes' equations in ``_update``.
    """

    name: ClassVar[str] = "optimizer"
    _hyper: ClassVar[tuple[str, ...]] = ("lr",)

    def __init__(self) -> None:
        self.state: list = []
        self._single = True

    # -- the public contract -------------------------------------------------------
    def step(self, params: Params, grads: Params) -> Params:
        """Update ``params`` in place by one step against ``grads``; return ``params``."""
        single = isinstance(params, np.ndarray)
        ws = [params] if single else list(params)
        gs = [grads] if single else list(grads)
        if len(ws) != len(gs):
            raise ValueError(f"got {len(ws)} parameters but {len(gs)} gradients")
        if self.state and len(self.state) != len(ws):
            raise ValueError(
                f"this optimizer holds state for {len(self.state)} parameters, got "
                f"{len(ws)}; call reset() to start over"
            )
        # Check every parameter and gradient before updating any: a bad gradient for
        # parameter 2 must not leave parameter 1 updated and its step count advanced.
        self._check_params(ws)
        gs = [np.asarray(g) for g in gs]
        for i, (w, g) in enumerate(zip(ws, gs)):
            if g.shape != w.shape:
                raise ValueError(
                    f"gradient {i} has shape {g.shape}, parameter has shape {w.shape}"
                )
            if self.state and self.state[i].shape != w.shape:
                raise ValueError(
                    f"parameter {i} has shape {w.shape}, this optimizer's state has "
                    f"shape {self.state[i].shape}; call reset() to start over"
                )
        if not self.state:
            self._start(ws)
            self._single = single
        for w, g, state in zip(ws, gs, self.state):
            state.t += 1
            self._update(w, g, state)
        return params

    def reset(self) -> None:
        """Forget all state, as if no step had been taken."""
        self.state = []

    def effective_lr(self) -> Params:
        """The learning rate each coordinate received in the last step.

        Same structure as the ``params`` last passed to :meth:`step`. See each class
        for what it multiplies (``g`` for SGD, Adagrad and RMSprop, ``s_hat`` for Adam).
        """
        if not self.state:
            raise ValueError("effective_lr() needs at least one step first")
        lrs = [
            np.broadcast_to(self._effective_lr(st), st.shape).copy() for st in self.state
        ]
        return lrs[0] if self._single else lrs

    def hyperparameters(self) -> dict:
        """Every constructor keyword with its value (schedules by their repr)."""
        out = {}
        for key in inspect.signature(type(self).__init__).parameters:
            if key == "self":
                continue
            value = getattr(self, key)
            if isinstance(value, np.ndarray):
                value = value.tolist()
            elif callable(value):
                value = repr(value)
            elif isinstance(value, tuple):
                value = [v.tolist() if isinstance(v, np.ndarray) else v for v in value]
            out[key] = value
        return out

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({args})"

    # -- helpers for subclasses ----------------------------------------------------
    def _lr(self, t: int):
        """alpha at step ``t`` (evaluates a schedule)."""
        if callable(self.lr):
            return check_range(f"lr at step {t}", self.lr(t), low=0)
        return self.lr

    @staticmethod
    def _check_params(ws: list) -> None:
        for i, w in enumerate(ws):
            if not isinstance(w, np.ndarray) or not np.issubdtype(w.dtype, np.floating):
                raise ValueError(
                    f"parameter {i} must be a float ndarray (it is updated in place), "
                    f"got {type(w).__name__}"
                    + (f" of dtype {w.dtype}" if isinstance(w, np.ndarray) else "")
                )

    def _start(self, ws: list[Array]) -> None:
        for w in ws:
            for key in self._hyper:
                value = getattr(self, key)
                values = value if isinstance(value, tuple) else (value,)
                for v in values:
                    if not callable(v):
                        check_broadcast(key, v, w.shape)
        self.state = [self._init_state(w) for w in ws]

    def _init_state(self, w: Array):
        raise NotImplementedError

    def _update(self, w: Array, g: Array, state) -> None:
        raise NotImplementedError

    def _effective_lr(self, state):
        return self._lr(state.t)


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

    name = "sgd"

    def __init__(self, lr: LearningRate = 1e-2) -> None:
        super().__init__()
        self.lr = _check_lr(lr)

    def _init_state(self, w):
        return SGDState(w.shape)

    def _update(self, w, g, state):
        alpha = self._lr(state.t)
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

    name = "momentum"
    _hyper = ("lr", "momentum")

    def __init__(
        self,
        lr: LearningRate = 1e-2,
        momentum: ArrayLike = 0.9,
        nesterov: bool = False,
        form: str = "notes",
    ) -> None:
        super().__init__()
        self.lr = _check_lr(lr)
        self.momentum = check_range("momentum", momentum, low=0, high=1, high_open=True)
        self.nesterov = _check_flag("nesterov", nesterov)
        self.form = _check_choice("form", form, MOMENTUM_FORMS)

    def _init_state(self, w):
        b = np.zeros_like(w) if self.form == "pytorch" else None
        return MomentumState(w.shape, v=np.zeros_like(w), b=b)

    def _update(self, w, g, state):
        alpha, beta = self._lr(state.t), self.momentum
        if self.form == "notes":
            state.v = beta * state.v - alpha * g
            if self.nesterov:
                w += beta * state.v - alpha * g
            else:
                w += state.v
        else:
            # torch.optim.SGD: the first buffer is g itself (beta * 0 + g).
            state.b = beta * state.b + g if state.t > 1 else g.copy()
            d = g + beta * state.b if self.nesterov else state.b
            state.v = -(alpha * d)
            w -= alpha * d


class Nesterov(Momentum):
    r"""Momentum with Nesterov's look-ahead step.

    .. math:: v \leftarrow \beta v - \alpha g, \qquad w \leftarrow w + \beta v - \alpha g

    The same as ``Momentum(nesterov=True)``; registered as ``"nesterov"``.
    """

    name = "nesterov"

    def __init__(
        self,
        lr: LearningRate = 1e-2,
        momentum: ArrayLike = 0.9,
        nesterov: bool = True,
        form: str = "notes",
    ) -> None:
        super().__init__(lr=lr, momentum=momentum, nesterov=nesterov, form=form)


@dataclass
class AdagradState:
    shape: tuple
    r: Array  # running SUM of g^2 (not an average: the notes are wrong here)
    t: int = 0


class Adagrad(Optimizer):
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

    name = "adagrad"
    _hyper = ("lr", "eps", "initial_accumulator_value")

    def __init__(
        self,
        lr: LearningRate = 1e-2,
        eps: ArrayLike = 1e-10,
        initial_accumulator_value: ArrayLike = 0.0,
        eps_inside_sqrt: bool = False,
    ) -> None:
        super().__init__()
        self.lr = _check_lr(lr)
        self.eps = check_range("eps", eps, low=0, low_open=True)
        self.initial_accumulator_value = check_range(
            "initial_accumulator_value", initial_accumulator_value, low=0
        )
        self.eps_inside_sqrt = _check_flag("eps_inside_sqrt", eps_inside_sqrt)

    def _init_state(self, w):
        r = np.zeros_like(w) + self.initial_accumulator_value
        return AdagradState(w.shape, r=r)

    def _denominator(self, r):
        delta = self.eps
        return np.sqrt(r + delta) if self.eps_inside_sqrt else np.sqrt(r) + delta

    def _update(self, w, g, state):
        alpha = self._lr(state.t)
        state.r = state.r + g * g
        w -= alpha * g / self._denominator(state.r)

    def _effective_lr(self, state):
        return self._lr(state.t) / self._denominator(state.r)


@dataclass
class RMSpropState:
    shape: tuple
    r: Array  # moving average of g^2
    s: Array | None = None  # centered only: moving average of g
    b: Array | None = None  # momentum > 0 only: buffer of scaled gradients
    t: int = 0


class RMSprop(Optimizer):
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

    name = "rmsprop"
    _hyper = ("lr", "rho", "eps", "momentum")

    def __init__(
        self,
        lr: LearningRate = 1e-2,
        rho: ArrayLike = 0.99,
        eps: ArrayLike = 1e-8,
        momentum: ArrayLike = 0.0,
        centered: bool = False,
        eps_inside_sqrt: bool = False,
    ) -> None:
        super().__init__()
        self.lr = _check_lr(lr)
        self.rho = check_range("rho", rho, low=0, high=1, high_open=True)
        self.eps = check_range("eps", eps, low=0, low_open=True)
        self.momentum = check_range("momentum", momentum, low=0, high=1, high_open=True)
        self.centered = _check_flag("centered", centered)
        self.eps_inside_sqrt = _check_flag("eps_inside_sqrt", eps_inside_sqrt)

    def _init_state(self, w):
        s = np.zeros_like(w) if self.centered else None
        b = np.zeros_like(w) if np.any(self.momentum > 0) else None
        return RMSpropState(w.shape, r=np.zeros_like(w), s=s, b=b)

    def _denominator(self, state):
        delta = self.eps
        r = state.r - state.s * state.s if self.centered else state.r
        return np.sqrt(r + delta) if self.eps_inside_sqrt else np.sqrt(r) + delta

    def _update(self, w, g, state):
        alpha, rho = self._lr(state.t), self.rho
        state.r = rho * state.r + (1 - rho) * g * g
        if self.centered:
            state.s = rho * state.s + (1 - rho) * g
        if state.b is None:
            w -= alpha * g / self._denominator(state)
        else:
            state.b = self.momentum * state.b + g / self._denominator(state)
            w -= alpha * state.b

    def _effective_lr(self, state):
        return self._lr(state.t) / self._denominator(state)


@dataclass
class AdamState:
    shape: tuple
    s: Array  # first moment: moving average of g
    r: Array  # second moment: moving average of g^2
    r_max: Array | None = None  # amsgrad only: the largest r seen
    t: int = 0


class Adam(Optimizer):
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
    ``torch.optim.Adam``); ``amsgrad`` divides by the largest :math:`\hat r` so far.

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

    name = "adam"
    _hyper = ("lr", "betas", "eps", "weight_decay")
    _decoupled = False

    def __init__(
        self,
        lr: LearningRate = 1e-3,
        betas: tuple = (0.9, 0.999),
        eps: ArrayLike = 1e-8,
        weight_decay: ArrayLike = 0.0,
        amsgrad: bool = False,
        bias_correction: bool = True,
        eps_inside_sqrt: bool = False,
    ) -> None:
        super().__init__()
        self.lr = _check_lr(lr)
        self.betas = _check_betas(betas)
        self.eps = check_range("eps", eps, low=0, low_open=True)
        self.weight_decay = check_range("weight_decay", weight_decay, low=0)
        self.amsgrad = _check_flag("amsgrad", amsgrad)
        self.bias_correction = _check_flag("bias_correction", bias_correction)
        self.eps_inside_sqrt = _check_flag("eps_inside_sqrt", eps_inside_sqrt)

    def _init_state(self, w):
        r_max = np.zeros_like(w) if self.amsgrad else None
        return AdamState(w.shape, s=np.zeros_like(w), r=np.zeros_like(w), r_max=r_max)

    def _corrections(self, t):
        """The bias-correction divisors (1 - rho1^t, 1 - rho2^t), or (1, 1)."""
        rho1, rho2 = self.betas
        if not self.bias_correction:
            return 1.0, 1.0
        return 1 - rho1**t, 1 - rho2**t

    def _denominator(self, state):
        delta = self.eps
        r = state.r_max if self.amsgrad else state.r
        r_hat = r / self._corrections(state.t)[1]
        return np.sqrt(r_hat + delta) if self.eps_inside_sqrt else np.sqrt(r_hat) + delta

    def _update(self, w, g, state):
        alpha, (rho1, rho2), lam = self._lr(state.t), self.betas, self.weight_decay
        if self._decoupled:
            w *= 1 - alpha * lam  # AdamW: decay the weights, not the gradient
        elif np.any(lam != 0):
            g = g + lam * w  # Adam: L2 penalty added to the gradient
        state.s = rho1 * state.s + (1 - rho1) * g
        state.r = rho2 * state.r + (1 - rho2) * g * g
        if self.amsgrad:
            state.r_max = np.maximum(state.r_max, state.r)
        s_hat = state.s / self._corrections(state.t)[0]
        w -= alpha * s_hat / self._denominator(state)

    def _effective_lr(self, state):
        return self._lr(state.t) / self._denominator(state)


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    .. math:: w \leftarrow (1 - \alpha\lambda)\, w, \quad \text{then Adam's step}

    Unlike ``Adam(weight_decay=...)`` the decay never passes through ``s`` and ``r``.
    Same as ``torch.optim.AdamW``.
    """

    name = "adamw"
    _decoupled = True

    def __init__(
        self,
        lr: LearningRate = 1e-3,
        betas: tuple = (0.9, 0.999),
        eps: ArrayLike = 1e-8,
        weight_decay: ArrayLike = 1e-2,
        amsgrad: bool = False,
        bias_correction: bool = True,
        eps_inside_sqrt: bool = False,
    ) -> None:
        super().__init__(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            bias_correction=bias_correction,
            eps_inside_sqrt=eps_inside_sqrt,
        )


#: Every optimizer by its lower-case name (the names the CLI and figures use).
OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": Adagrad,
    "rmsprop": RMSprop,
    "adam": Adam,
    "adamw": AdamW,
}

#: The five the notes teach, in the notes' order: the default of every comparison.
DEFAULT_OPTIMIZERS = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
