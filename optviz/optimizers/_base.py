"""The machinery every optimizer shares: hyper-parameters declared with their checks,
``step`` (validation, lazy state, cache-sized blocks), checkpoints, the registry.

The update rules themselves are in :mod:`optviz.optimizers.rules`.
"""

from __future__ import annotations

import copy
import inspect
import os
import sys
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import Any, Callable, ClassVar, Mapping, Sequence, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import (
    check_broadcast,
    check_range,
    check_state_dict,
    fresh_from,
    state_from,
)
from ._inputs import as_list, check_grads, check_no_overlap, check_params

__all__ = [
    "Optimizer",
    "Hyper",
    "OPTIMIZERS",
    "register",
    "family_of",
    "learning_rate",
    "positive",
    "non_negative",
    "fraction",
    "flag",
    "BLOCK",
    "check_fraction",
    "any_nonzero",
]

Array = NDArray[np.floating]
Params = Union[Array, Sequence[Array]]
LearningRate = Union[float, ArrayLike, Callable[[int], ArrayLike]]

#: Elements per block of a large parameter (128 KiB of float64): the temporaries of one
#: equation stay in cache instead of streaming through memory. Below 256 KiB on purpose:
#: from there NumPy checks whether it may reuse a temporary in place, and with a NumPy
#: scalar on the left (``c * (z - y)``) that check cost 5x the multiplication itself.
BLOCK = 16_384


# -- hyper-parameters: a default and a check, declared once per class --------------------
def _check_lr(name, lr):
    if callable(lr):
        return lr
    return check_range(name, lr, low=0, low_open=True)


def _positive(name, value):
    return check_range(name, value, low=0, low_open=True)


def _non_negative(name, value):
    return check_range(name, value, low=0)


def check_fraction(name, value):
    """``value`` checked to lie in [0, 1) (a decay rate), named ``name`` in the error."""
    return check_range(name, value, low=0, high=1, high_open=True)


def _check_flag(name, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be true or false, got {value!r}")
    return bool(value)


@dataclass(frozen=True)
class Hyper:
    """One hyper-parameter: its default, its check, and whether it may be an array
    that broadcasts against the parameters (flags and words may not).

    Presentation (what figures and the explorer show): ``symbol``, the notes' symbol
    (``"α"``; a tuple of symbols for a tuple such as Adam's ``betas``); ``slider``,
    how the explorer offers it (``"log"``, ``"fraction"``, or ``""`` for no slider);
    ``label``, a flag's or a word's switch on the page (none without one); ``choices``,
    a word's allowed values (the switch turns the first into the second); ``parts``,
    the names of a tuple's members on the page (``("rho1", "rho2")``).
    """

    default: Any
    check: Callable[[str, Any], Any]
    array: bool = True
    symbol: Any = ""
    slider: str = ""
    label: str = ""
    choices: tuple = ()
    parts: tuple = ()


def learning_rate(default: float, symbol: str = "α") -> Hyper:
    return Hyper(default, _check_lr, symbol=symbol, slider="log")


def positive(default: float, symbol: str = "") -> Hyper:
    return Hyper(default, _positive, symbol=symbol)


def non_negative(default: float, symbol: str = "") -> Hyper:
    return Hyper(default, _non_negative, symbol=symbol)


def fraction(default: float, symbol: str = "", *, slider: bool = True) -> Hyper:
    """A decay rate or momentum factor in [0, 1) (a slider on the page when it has a
    symbol)."""
    slider_kind = "fraction" if symbol and slider else ""
    return Hyper(default, check_fraction, symbol=symbol, slider=slider_kind)


def flag(default: bool, label: str = "") -> Hyper:
    """True or false (a switch on the page when it has a label)."""
    return Hyper(default, _check_flag, array=False, label=label)


def _plain(value):
    """A hyper-parameter as plain data (lists for arrays, schedules by their repr)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if callable(value):
        return repr(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _keyword_init(cls, keywords):
    """``Optimizer.__init__`` under ``cls``'s own signature (``self, *, lr=...``)."""

    def __init__(self, **hyper) -> None:
        Optimizer.__init__(self, **hyper)

    self_ = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    __init__.__signature__ = inspect.Signature([self_, *keywords])
    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


class Optimizer:
    """Base class: ``step`` once, ``_update`` per parameter in each subclass.

    A subclass sets its facts (``name``, ``title``, ``color``, ``cnn_lr``, ``family``,
    ``rule``, ``meaning``, ``idea``, ``remark``, ``first_step``),
    ``hyper`` (name -> :class:`Hyper`, in the order of the notes), a ``State``
    dataclass (the notes' symbols plus ``shape`` and ``t``), and writes the notes'
    equations in ``_update(w, g, st, alpha)``, updating ``w`` and the state arrays in
    place (``st.r[...] = ...``). ``alpha`` is the step's learning rate.
    """

    #: Registry name, lower case: the SPEC's NAME (``-o adam``).
    name: ClassVar[str] = "optimizer"
    #: Display name in figures.
    title: ClassVar[str] = "Optimizer"
    #: Line colour in every figure (see ``optviz.plot.style``).
    color: ClassVar[str] = "#999999"
    #: Learning rate that trains the default CNN well (``optviz train``).
    cnn_lr: ClassVar[float] = 1e-2
    #: Whose per-surface learning rate it borrows (the surfaces list the notes' five).
    family: ClassVar[str] = "sgd"
    #: The rule in the notes' notation, one LaTeX equation per line (no ``$``): the
    #: update-rules figure and the explorer's step explanation show it.
    rule: ClassVar[tuple[str, ...]] = ()
    #: What the state's arrays and ``_update``'s named quantities are, in words (the
    #: explorer's step explanation): ``{"v": "velocity"}``.
    meaning: ClassVar[Mapping[str, str]] = MappingProxyType({})
    #: What it adds to the rule before it, in one sentence (the update-rules figure).
    idea: ClassVar[str] = ""
    #: A remark beside the rule: where the notes err, or its defaults
    #: (``"default β = {momentum:g}"``, filled with :attr:`defaults`).
    remark: ClassVar[str] = ""
    #: What its first step from rest teaches (the explain-step figure).
    first_step: ClassVar[str] = ""
    #: name -> Hyper: every keyword the constructor takes.
    hyper: ClassVar[Mapping[str, Hyper]] = {}
    #: name -> default, derived from ``hyper``.
    defaults: ClassVar[Mapping[str, Any]] = MappingProxyType({})
    State: ClassVar[type] = None
    #: Whether the update reduces over a whole parameter (a norm, row and column
    #: factors, an estimate shared by all parameters): then it is never cut into
    #: blocks, :meth:`_axes` names the axes of one problem, and the page cannot run it
    #: one coordinate at a time.
    whole: ClassVar[bool] = False
    #: What it adds to SGD, in the names of :data:`optviz.optimizers.ideas.IDEAS`.
    ideas: ClassVar[tuple[str, ...]] = ()
    #: State fields that are one number per step (NAdam's Π, ASGD's η): shaped as the
    #: hyper-parameters broadcast (a batch of configurations), not as the parameter,
    #: read by ``_update`` and moved on by :meth:`_advance` once per step. Checkpoints
    #: hold them at the parameter's shape, as every other field.
    per_step: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.defaults = MappingProxyType({k: h.default for k, h in cls.hyper.items()})
        # for help(), editors and inspect.signature(cls) or (cls.__init__):
        # Adam(*, lr=0.001, betas=(0.9, 0.999), ...)
        keywords = [
            inspect.Parameter(k, inspect.Parameter.KEYWORD_ONLY, default=v)
            for k, v in cls.defaults.items()
        ]
        cls.__signature__ = inspect.Signature(keywords)
        if "__init__" not in vars(cls):
            cls.__init__ = _keyword_init(cls, keywords)

    def __init__(self, **hyper) -> None:
        unknown = [k for k in hyper if k not in self.hyper]
        if unknown:
            raise TypeError(
                f"{type(self).__name__} has no hyper-parameter {unknown[0]!r}; "
                f"its keys: {', '.join(self.hyper)}"
            )
        self.state: list = []
        self._single = True
        self._points = False
        self._layout_at_start = None
        for key, spec in self.hyper.items():
            setattr(self, key, hyper.get(key, spec.default))

    def __setattr__(self, key: str, value) -> None:
        # Hyper-parameters are checked whenever they are set, not only in __init__:
        # ``opt.lr = -1`` raises and leaves the old value.
        spec = type(self).hyper.get(key)
        if spec is None:
            return object.__setattr__(self, key, value)
        value = spec.check(key, value)
        state = self.__dict__.get("state")
        old = self.__dict__.get(key, spec)
        if state:
            if spec.array:
                for st in state:
                    _check_values(key, value, st.shape)
        object.__setattr__(self, key, value)
        if state and self._layout() != self._layout_at_start:
            object.__setattr__(self, key, old)
            raise ValueError(
                f"{key} cannot change to {value!r} after the first step: it changes "
                "what the state holds; call reset() first"
            )

    # -- the public contract -------------------------------------------------------
    def step(self, params: Params, grads: Params, *, points: bool = False) -> Params:
        """Update ``params`` in place by one step against ``grads``; return ``params``.

        ``points=True``: the parameters are a batch of points ``(..., n)`` (start
        points on a surface), each row of the last axis a problem of its own; an
        update that reduces over a parameter (:attr:`whole`) then reduces over the last
        axis only. An element-wise update is the same either way.

        Everything is checked before anything changes: if ``step`` raises, no
        parameter and no state was touched.
        """
        points = _check_flag("points", points)
        known = self._points is not None  # None: a loaded state, which does not say
        if self.state and self.whole and known and points != self._points:
            raise ValueError(
                f"points={points} after steps with points={self._points}; "
                "call reset() to start over"
            )
        single = isinstance(params, np.ndarray)
        ws = [params] if single else as_list(params, "params")
        check_params(ws)
        gs = [grads] if single else as_list(grads, "grads")
        if len(ws) != len(gs):
            raise ValueError(f"got {len(ws)} parameters but {len(gs)} gradients")
        if self.state and len(self.state) != len(ws):
            raise ValueError(
                f"this optimizer holds state for {len(self.state)} parameters, got "
                f"{len(ws)}; call reset() to start over"
            )
        gs = check_grads(ws, gs)
        check_no_overlap(ws, gs)
        for i, w in enumerate(ws):
            if self.state and self.state[i].shape != w.shape:
                raise ValueError(
                    f"parameter {i} has shape {w.shape}, this optimizer's state has "
                    f"shape {self.state[i].shape}; call reset() to start over"
                )
        if not self.state:
            for i, w in enumerate(ws):
                self._check_shape(i, w.shape, points)
                self._check_hyper_against(w.shape)
        ts = [st.t + 1 for st in self.state] if self.state else [1] * len(ws)
        alphas = [self._lr(t) for t in ts]
        if callable(self.lr):  # a number or array was checked when it was set
            for t, w, alpha in zip(ts, ws, alphas):
                _check_values(f"lr at step {t}", alpha, w.shape)
        # -- from here on nothing can fail on the user's input -------------------------
        self._points = points
        if not self.state:
            self.state = [self._init_state(w) for w in ws]
            self._single = single
            self._layout_at_start = self._layout()
        for st in self.state:
            st.t += 1
        self._update_all(ws, gs, self.state, alphas)
        return params

    def reset(self) -> None:
        """Forget all state, as if no step had been taken."""
        self.state = []
        self._layout_at_start = None

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
        return {key: _plain(getattr(self, key)) for key in self.hyper}

    def state_dict(self) -> dict:
        """The optimizer as plain data: ``{"name", "hyper", "state", "single"}``.

        ``hyper`` holds the hyper-parameters (arrays copied; an optviz schedule as its
        ``params()`` dict; another callable as itself), ``state`` one dict per parameter
        of the state's fields in the notes' names (arrays copied, ``t`` an int,
        ``shape`` a tuple). Load it into a fresh
        optimizer of the same class with :meth:`load_state_dict` to resume a run: the
        iterates continue bit for bit as if never interrupted.
        """
        from ..schedules import Schedule

        hyper = {}
        for key in self.hyper:
            value = getattr(self, key)
            if isinstance(value, Schedule):
                value = value.params()
            elif isinstance(value, np.ndarray):
                value = value.copy()
            elif isinstance(value, tuple):
                value = tuple(v.copy() if isinstance(v, np.ndarray) else v for v in value)
            hyper[key] = value
        state = [
            {
                f.name: (
                    np.broadcast_to(v, st.shape).copy()
                    if f.name in self.per_step
                    else v.copy()
                    if isinstance(v, np.ndarray)
                    else v
                )
                for f in fields(st)
                if (v := getattr(st, f.name)) is not None
            }
            for st in self.state
        ]
        return {"name": self.name, "hyper": hyper, "state": state, "single": self._single}

    def load_state_dict(self, state_dict: Mapping) -> None:
        """Take hyper-parameters and state from :meth:`state_dict`'s output.

        Everything is checked first (class, keys, every value's type, shape and range:
        ``t`` and sizes whole numbers, state arrays finite floats, ``r`` never
        negative); anything else raises one ``ValueError`` naming the field, and
        nothing changes.
        """
        from ..schedules import from_params

        hyper, entries, single = check_state_dict(state_dict, self.name, self.hyper)
        fresh = fresh_from(type(self), hyper, from_params)
        states = [state_from(fresh, i, entry) for i, entry in enumerate(entries)]
        for key in self.hyper:
            object.__setattr__(self, key, getattr(fresh, key))
        self.state = states
        self._single = single
        self._points = None  # a checkpoint does not say; the next step does
        self._layout_at_start = self._layout() if states else None

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({args})"

    # -- helpers for subclasses ----------------------------------------------------
    def _update_all(self, ws, gs, states, alphas) -> None:
        """One step of every parameter: :meth:`_update` on each (in cache-sized blocks
        where it is element-wise). An update that shares an estimate across the
        parameters (Prodigy's d) overrides this."""
        for w, g, st, alpha in zip(ws, gs, states, alphas):
            if self.per_step:
                self._fit_per_step(st, alpha)
            if w.size <= BLOCK or self.whole:
                self._update(w, g, st, alpha)
            else:
                for wb, gb, sb in self._blocks(w, g, st, alpha):
                    self._update(wb, gb, sb, alpha)
            self._advance(st, alpha)

    def _advance(self, st, alpha) -> None:
        """Move the state's :attr:`per_step` numbers on to the next step, once per step
        after every block's :meth:`_update`; nothing by default."""

    def _like(self, held, value):
        """``value`` in the dtype of the state's ``held`` (a float32 state rounds its
        per-step numbers to float32, as its arrays)."""
        return np.asarray(value, dtype=held.dtype)

    def _step_shape(self, *values) -> tuple:
        """The shape of the array hyper-parameters (and ``values``) broadcast."""
        given = [getattr(self, k) for k, h in self.hyper.items() if h.array]
        shapes = [
            np.shape(v)
            for value in (*given, *values)
            for v in (value if isinstance(value, tuple) else (value,))
            if not callable(v)
        ]
        return np.broadcast_shapes(*shapes)

    def _fit_per_step(self, st, alpha) -> None:
        """The :attr:`per_step` fields widened to the hyper-parameters' shape (an
        array set after the first step, a schedule returning arrays)."""
        shape = self._step_shape(alpha)
        for key in self.per_step:
            value = getattr(st, key)
            wide = np.broadcast_shapes(value.shape, shape)
            if wide != value.shape:
                setattr(st, key, np.broadcast_to(value, wide).copy())

    def _axes(self, w) -> tuple:
        """The axes of one problem in ``w``: the last with ``points``, else all."""
        return (-1,) if self._points else tuple(range(w.ndim))

    def _check_shape(self, i: int, shape: tuple, points: bool) -> None:
        """Refuse parameter ``i`` of ``shape`` if the rule cannot take it (Muon takes
        matrices only); every shape by default."""

    def _lr(self, t: int):
        """alpha at step ``t`` (evaluates a schedule)."""
        if callable(self.lr):
            return check_range(f"lr at step {t}", self.lr(t), low=0)
        return self.lr

    def _check_hyper_against(self, shape) -> None:
        for key, spec in self.hyper.items():
            if spec.array:
                _check_values(key, getattr(self, key), shape)

    def _layout(self) -> tuple:
        """The options that decide which arrays the state holds."""
        return ()

    def _init_state(self, w: Array):
        """A fresh state for parameter ``w``: zeros of ``w``'s dtype (float32 stays
        float32)."""
        one = self._step_shape(self._lr(1)) if self.per_step else ()
        arrays = {
            f.name: np.zeros(one if f.name in self.per_step else w.shape, dtype=w.dtype)
            for f in fields(self.State)
            if f.name not in ("shape", "t") and self._holds(f.name)
        }
        return self.State(shape=w.shape, **arrays)

    def _holds(self, field: str) -> bool:
        """Whether the state holds the optional array ``field`` with these options."""
        return True

    def _blocks(self, w, g, st, alpha):
        """``(w, g, st)`` in blocks of :data:`BLOCK` elements when every value is a
        scalar and the arrays are contiguous, else whole."""
        if w.size <= BLOCK or not self._blockable(w, g, alpha):
            yield w, g, st
            return
        wf, gf = w.reshape(-1), g.reshape(-1)
        arrays = {  # not the per-step numbers: every block reads the same
            f.name: getattr(st, f.name).reshape(-1)
            for f in fields(st)
            if isinstance(getattr(st, f.name), np.ndarray)
            and getattr(st, f.name).shape == w.shape
        }
        for i in range(0, w.size, BLOCK):
            block = copy.copy(st)
            for key, arr in arrays.items():
                setattr(block, key, arr[i : i + BLOCK])
            yield wf[i : i + BLOCK], gf[i : i + BLOCK], block

    def _blockable(self, w, g, alpha) -> bool:
        """Blocks need contiguous arrays and scalar hyper-parameters (an array one
        would have to be cut along with them)."""
        values = [alpha] + [getattr(self, k) for k, h in self.hyper.items() if h.array]
        scalars = all(
            np.ndim(v) == 0
            for value in values
            for v in (value if isinstance(value, tuple) else (value,))
            if not callable(v)
        )
        return scalars and w.flags.c_contiguous and g.flags.c_contiguous

    def _update(self, w: Array, g: Array, st, alpha) -> None:
        raise NotImplementedError

    def _effective_lr(self, st):
        return self._lr(st.t)


def any_nonzero(value) -> bool:
    """Whether a hyperparameter (a float or an array of them) is anywhere non-zero."""
    return value != 0 if isinstance(value, float) else bool(np.any(value != 0))


def _check_values(name, value, shape) -> None:
    for v in value if isinstance(value, tuple) else (value,):
        if not callable(v):
            check_broadcast(name, v, shape)


#: Every optimizer by its lower-case name (the names the CLI and figures use).
OPTIMIZERS: dict[str, type[Optimizer]] = {}


def register(cls: type[Optimizer]) -> type[Optimizer]:
    """Add ``cls`` to :data:`OPTIMIZERS` under ``cls.name`` (usable as a decorator).

    The class brings every fact the rest of optviz reads: ``name``, ``title``,
    ``color``, ``cnn_lr``, ``family`` and ``hyper``.
    """
    if not (isinstance(cls, type) and issubclass(cls, Optimizer)):
        raise ValueError(f"only Optimizer subclasses can be registered, got {cls!r}")
    if not cls.name.isidentifier() or cls.name != cls.name.lower():
        raise ValueError(f"an optimizer's name is a lower-case word, got {cls.name!r}")
    if "lr" not in cls.hyper:
        raise ValueError(f"{cls.__name__} must take lr")
    held = OPTIMIZERS.get(cls.name)
    if held is not None and _where(held) != _where(cls):
        raise ValueError(
            f"an optimizer named {cls.name!r} is registered already ({_where(held)}); "
            "give yours another name"
        )
    OPTIMIZERS[cls.name] = cls
    return cls


def family_of(name: str) -> str:
    """The family of the optimizer registered as ``name`` (``"nesterov"`` ->
    ``"momentum"``); an unknown name (a record of an optimizer not registered here)
    is its own family."""
    cls = OPTIMIZERS.get(name)
    return cls.family if cls is not None else name


def _where(cls) -> str:
    """Where a class is defined, by file: the same file imported twice (as a module
    and through ``--plugin``) is the same optimizer."""
    module = sys.modules.get(cls.__module__)
    path = getattr(module, "__file__", None)
    return f"{os.path.realpath(path) if path else cls.__module__}:{cls.__qualname__}"
