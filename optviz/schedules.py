r"""Learning-rate schedules: plain callables ``t -> lr``, with ``t`` the step from 1.

Every optimizer accepts one as ``lr`` (``SGD(lr=cosine(0.1, total_steps=500))``), on a
surface and in CNN training alike. A schedule is a small frozen object with a readable
``repr`` (sidecars record it) that is also called with an array of steps, so a figure can
draw it. Its base learning rate ``lr`` may itself be an array (``(N, 1)`` in a sweep):
:meth:`Schedule.with_lr` swaps it.

=================  ==============================================================
``constant``       :math:`\alpha_t = \alpha`
``step``           :math:`\alpha_t = \alpha\,\gamma^{\lfloor (t-1)/k \rfloor}`
                   (``torch.optim.lr_scheduler.StepLR``, ``k`` = ``step_size``)
``exponential``    :math:`\alpha_t = \alpha\,\gamma^{t-1}` (``ExponentialLR``)
``cosine``         :math:`\alpha_t = \alpha_{min} + (\alpha - \alpha_{min})
                   \tfrac12 (1 + \cos(\pi\,(t-1)/T))`, then :math:`\alpha_{min}` after
                   ``T`` = ``total_steps`` (``CosineAnnealingLR``, not restarted)
``warmup``         linear warm-up over ``W`` steps, then any schedule:
                   :math:`\alpha_t = \tfrac{t}{W}\,\mathrm{inner}(1)` for
                   :math:`t \le W`, :math:`\mathrm{inner}(t - W)` after
=================  ==============================================================

The inner schedule of a warm-up starts its own clock when the warm-up ends (as
``torch.optim.lr_scheduler.SequentialLR`` does), so ``warmup(cosine(0.1, 480), 20)``
runs 500 steps and reaches the cosine's floor at the end.

Under a changing learning rate momentum's two forms differ: the notes' velocity
``v <- beta v - alpha_t g`` keeps each old step's learning rate inside it, PyTorch's buffer
``b <- beta b + g; w <- w - alpha_t b`` applies the current one to the whole history
(see :class:`optviz.optimizers.Momentum`, ``form=``).

>>> cosine(0.1, total_steps=4)(np.arange(1, 6))
array([0.1       , 0.08535534, 0.05      , 0.01464466, 0.        ])
>>> warmup(constant(0.1), warmup_steps=4)(np.arange(1, 7))
array([0.025, 0.05 , 0.075, 0.1  , 0.1  , 0.1  ])
>>> warmup(cosine(0.1, total_steps=480), warmup_steps=20)
warmup(cosine(lr=0.1, total_steps=480, min_lr=0), warmup_steps=20)
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import UnknownName, check_int, check_range, did_you_mean

__all__ = [
    "Schedule",
    "Constant",
    "Step",
    "Exponential",
    "Cosine",
    "Warmup",
    "constant",
    "step",
    "exponential",
    "cosine",
    "warmup",
    "SCHEDULES",
    "make_schedule",
    "describe",
    "from_params",
    "MAX_STEPS",
]

LR = Union[float, NDArray[np.float64]]
#: The largest step count a schedule takes (``warmup``, ``step_size``, ``total_steps``):
#: a billion steps is far beyond any run optviz makes.
MAX_STEPS = 10**9


def _steps(t) -> NDArray:
    """``t`` as an array of steps, checked to be whole numbers >= 1."""
    arr = np.asarray(t)
    if arr.ndim == 0:
        return np.asarray(check_int("t", t.item() if hasattr(t, "item") else t, low=1))
    if not np.all((arr >= 1) & (arr == np.floor(arr))):
        raise ValueError("t must be whole numbers >= 1 (steps count from 1)")
    return arr


def _out(value, t):
    """A Python float for a scalar step and scalar lr, an array otherwise."""
    value = np.asarray(value, dtype=np.float64)
    return float(value) if value.ndim == 0 else value


def _shown(value) -> str:
    if isinstance(value, np.ndarray):
        if value.size == 1:
            return f"{value.item():g}"
        return f"<{value.size} values {value.min():g}..{value.max():g}>"
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value)


@dataclass(frozen=True, repr=False)
class Schedule:
    """Base class: ``schedule(t)`` is the learning rate of step ``t`` (from 1)."""

    lr: Any  # alpha: float, or an array broadcasting against the parameters

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", check_range("lr", self.lr, low=0, low_open=True))

    def __call__(self, t: int | ArrayLike) -> LR:
        return _out(self._at(_steps(t)), t)

    def _at(self, t: NDArray) -> NDArray:
        raise NotImplementedError

    def with_lr(self, lr: ArrayLike) -> Schedule:
        """The same schedule around another base learning rate (e.g. an ``(N, 1)``
        array for a sweep)."""
        return dataclasses.replace(self, lr=lr)

    def params(self) -> dict:
        """The schedule's arguments, JSON-ready (arrays as lists)."""
        out = {"schedule": self.name}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, Schedule):
                v = v.params()
            elif isinstance(v, np.ndarray):
                v = v.tolist()
            out[f.name] = v
        return out

    @property
    def name(self) -> str:
        return type(self).__name__.lower()

    def __repr__(self) -> str:
        args = ", ".join(
            f"{f.name}={_shown(getattr(self, f.name))}" for f in dataclasses.fields(self)
        )
        return f"{self.name}({args})"


@dataclass(frozen=True, repr=False)
class Constant(Schedule):
    r""":math:`\alpha_t = \alpha`: the same as passing a number, but with a name."""

    def _at(self, t):
        return self.lr * np.ones_like(t, dtype=np.float64)


@dataclass(frozen=True, repr=False)
class Step(Schedule):
    r""":math:`\alpha_t = \alpha\,\gamma^{\lfloor (t-1)/k \rfloor}`: multiply by
    ``gamma`` every ``step_size`` steps."""

    step_size: int = 100
    gamma: float = 0.1

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(
            self, "step_size", check_int("step_size", self.step_size, low=1, high=MAX_STEPS)
        )
        object.__setattr__(
            self, "gamma", check_range("gamma", self.gamma, low=0, high=1, low_open=True)
        )

    def _at(self, t):
        return self.lr * self.gamma ** ((t - 1) // self.step_size)


@dataclass(frozen=True, repr=False)
class Exponential(Schedule):
    r""":math:`\alpha_t = \alpha\,\gamma^{t-1}`: multiply by ``gamma`` every step."""

    gamma: float = 0.99

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(
            self, "gamma", check_range("gamma", self.gamma, low=0, high=1, low_open=True)
        )

    def _at(self, t):
        return self.lr * self.gamma ** (t - 1.0)


@dataclass(frozen=True, repr=False)
class Cosine(Schedule):
    r""":math:`\alpha_{min} + (\alpha-\alpha_{min})\,\tfrac12(1+\cos(\pi (t-1)/T))`,
    from :math:`\alpha` at ``t = 1`` down to ``min_lr`` at ``t = T + 1``, then flat."""

    total_steps: int = 1000
    min_lr: float = 0.0

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(
            self,
            "total_steps",
            check_int("total_steps", self.total_steps, low=1, high=MAX_STEPS),
        )
        min_lr = check_range("min_lr", self.min_lr, low=0)
        if np.any(min_lr > self.lr):
            raise ValueError(f"min_lr must be in [0, lr={_shown(self.lr)}], got {min_lr:g}")
        object.__setattr__(self, "min_lr", min_lr)

    def _at(self, t):
        progress = np.minimum(t - 1.0, self.total_steps) / self.total_steps
        return self.min_lr + (self.lr - self.min_lr) * 0.5 * (
            1 + np.cos(math.pi * progress)
        )


@dataclass(frozen=True, repr=False)
class Warmup(Schedule):
    r"""Linear warm-up over ``warmup_steps``, then ``inner`` on its own clock:
    :math:`\tfrac{t}{W}\,\mathrm{inner}(1)` for :math:`t \le W`,
    :math:`\mathrm{inner}(t - W)` after."""

    lr: Any = None  # the inner schedule's: set from it, never given
    inner: Schedule = None
    warmup_steps: int = 10

    def __post_init__(self) -> None:
        if not isinstance(self.inner, Schedule):
            raise ValueError(
                f"inner must be a schedule (constant, step, ...), got {self.inner!r}"
            )
        object.__setattr__(self, "lr", self.inner.lr)
        object.__setattr__(
            self,
            "warmup_steps",
            check_int("warmup_steps", self.warmup_steps, low=1, high=MAX_STEPS),
        )

    def _at(self, t):
        w = self.warmup_steps
        ramp = self.inner._at(np.ones_like(t)) * (np.minimum(t, w) / w)
        after = self.inner._at(np.maximum(t - w, 1))
        return np.where(t <= w, ramp, after)

    def with_lr(self, lr):
        inner = self.inner.with_lr(lr)
        return dataclasses.replace(self, inner=inner, lr=inner.lr)

    def params(self) -> dict:
        return {
            "schedule": "warmup",
            "warmup_steps": self.warmup_steps,
            "inner": self.inner.params(),
        }

    def __repr__(self) -> str:
        return f"warmup({self.inner!r}, warmup_steps={self.warmup_steps})"


def constant(lr: ArrayLike) -> Constant:
    """:math:`\\alpha_t = \\alpha`."""
    return Constant(lr)


def step(lr: ArrayLike, step_size: int, gamma: float = 0.1) -> Step:
    """:math:`\\alpha\\,\\gamma^{\\lfloor (t-1)/\\mathrm{step\\_size} \\rfloor}`,
    ``gamma`` in (0, 1].

    >>> step(1.0, step_size=2, gamma=0.5)(np.arange(1, 6))
    array([1.  , 1.  , 0.5 , 0.5 , 0.25])
    """
    return Step(lr, step_size=step_size, gamma=gamma)


def exponential(lr: ArrayLike, gamma: float) -> Exponential:
    """:math:`\\alpha\\,\\gamma^{t-1}`, ``gamma`` in (0, 1].

    >>> exponential(1.0, gamma=0.5)(3)
    0.25
    """
    return Exponential(lr, gamma=gamma)


def cosine(lr: ArrayLike, total_steps: int, min_lr: float = 0.0) -> Cosine:
    """Half a cosine from ``lr`` (step 1) to ``min_lr`` (step ``total_steps + 1``)."""
    return Cosine(lr, total_steps=total_steps, min_lr=min_lr)


def warmup(schedule: Schedule | float, warmup_steps: int) -> Warmup:
    """Linear warm-up over ``warmup_steps`` steps, then ``schedule`` (a number means
    a constant learning rate)."""
    if not isinstance(schedule, Schedule):
        if callable(schedule):
            raise ValueError(
                "warmup wraps an optviz schedule (constant, step, exponential, cosine) "
                f"or a number, got {schedule!r}"
            )
        schedule = Constant(schedule)
    return Warmup(inner=schedule, warmup_steps=warmup_steps)


#: The schedules by name (the SPEC's ``schedule=`` values).
SCHEDULES: dict[str, type[Schedule]] = {
    "constant": Constant,
    "step": Step,
    "exponential": Exponential,
    "cosine": Cosine,
}


def make_schedule(
    name: str, lr: ArrayLike, *, warmup_steps: int | None = None, **kwargs
) -> Schedule:
    """A schedule by name with its keyword arguments, optionally behind a warm-up.

    >>> make_schedule("step", 0.1, step_size=50, gamma=0.5, warmup_steps=10)
    warmup(step(lr=0.1, step_size=50, gamma=0.5), warmup_steps=10)
    """
    if name not in SCHEDULES:
        close = did_you_mean(str(name), SCHEDULES)
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        raise UnknownName(
            f"schedule must be one of {', '.join(SCHEDULES)}; got {name!r}{hint}"
        )
    cls = SCHEDULES[name]
    known = [f.name for f in dataclasses.fields(cls) if f.name != "lr"]
    for key in kwargs:
        if key not in known:
            allowed = ", ".join(known) or "none but warmup"
            raise ValueError(
                f"{key} does not apply to schedule={name} (its keys: {allowed})"
            )
    sched = cls(lr, **kwargs)
    return sched if warmup_steps is None else warmup(sched, warmup_steps)


def from_params(params) -> Schedule:
    """The schedule :meth:`Schedule.params` describes (checkpoints store schedules so).

    >>> from_params(warmup(cosine(0.1, total_steps=480), 20).params())
    warmup(cosine(lr=0.1, total_steps=480, min_lr=0), warmup_steps=20)
    """
    if not isinstance(params, dict) or not isinstance(params.get("schedule"), str):
        shown = repr(params)[:80]
        raise ValueError(
            f"a schedule's params are a dict with a 'schedule' name, got {shown}"
        )
    keys = dict(params)
    name = keys.pop("schedule")
    if name == "warmup":
        if set(keys) != {"warmup_steps", "inner"}:
            got = sorted(keys)
            raise ValueError(f"warmup's params are warmup_steps and inner, got {got}")
        return warmup(from_params(keys["inner"]), keys["warmup_steps"])
    if name not in SCHEDULES or "lr" not in keys:
        raise ValueError(f"unknown schedule params {params!r}"[:200])
    lr = keys.pop("lr")
    return make_schedule(name, np.asarray(lr) if isinstance(lr, list) else lr, **keys)


def describe(lr) -> str:
    """A short readable text for a learning rate or a schedule (figure footnotes)."""
    if isinstance(lr, Schedule):
        return repr(lr)
    if callable(lr):
        return getattr(lr, "__name__", repr(lr))
    return _shown(lr if not isinstance(lr, (list, tuple)) else np.asarray(lr))
