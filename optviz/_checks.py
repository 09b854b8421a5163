"""Validation of user-supplied values: one place, one message format.

Every check raises ``ValueError`` with the parameter's name, the allowed range and the
value given, e.g. ``rho must be in [0, 1), got 1.2``.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["check_range", "check_broadcast", "check_int"]


def _interval(low, high, low_open, high_open) -> str:
    left = "(" if low_open else "["
    right = ")" if high_open else "]"
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    if high is None and low is not None:
        return f"> {lo}" if low_open else f">= {lo}"
    return f"in {left}{lo}, {hi}{right}"


def _shown(value) -> str:
    arr = np.asarray(value)
    if arr.ndim == 0:
        return repr(arr.item())
    return np.array2string(arr, threshold=6, precision=4)


def check_range(name, value, *, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as a float (or float array) after checking it lies in the range.

    Arrays are checked element-wise; NaN is always rejected.

    >>> check_range("rho", 0.9, low=0, high=1, high_open=True)
    0.9
    >>> check_range("rho", 1.2, low=0, high=1, high_open=True)
    Traceback (most recent call last):
    ...
    ValueError: rho must be in [0, 1), got 1.2
    """
    allowed = _interval(low, high, low_open, high_open)
    try:
        arr = np.asarray(value)
        # Real numbers only: np.asarray(..., dtype=float) would turn "0.1" into 0.1 and
        # True into 1.0 (e.g. a flag passed in a number's position).
        if arr.dtype.kind not in "iufO":
            raise TypeError(arr.dtype)
        arr = arr.astype(np.float64)  # a copy: later edits of the caller's array stay out
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number {allowed}, got {value!r}") from None
    ok = np.isfinite(arr)  # NaN and infinity are never a hyper-parameter
    if low is not None:
        ok &= arr > low if low_open else arr >= low
    if high is not None:
        ok &= arr < high if high_open else arr <= high
    if not np.all(ok):
        raise ValueError(f"{name} must be {allowed}, got {_shown(value)}")
    return float(arr) if arr.ndim == 0 else arr


def check_int(name, value, *, low=None, high=None) -> int:
    """Return ``value`` as an int after checking ``low <= value <= high``."""
    given = value
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if isinstance(value, float) and value.is_integer() and math.isfinite(value):
            value = int(value)
        else:
            raise ValueError(f"{name} must be a whole number, got {_cut(repr(value))}")
    if (low is not None and value < low) or (high is not None and value > high):
        shown = f"{given:g}" if isinstance(given, float) else _cut(str(value))
        raise ValueError(
            f"{name} must be {_interval(low, high, False, False)}, got {shown}"
        )
    return int(value)


def _cut(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters (a 300-digit number is not read)."""
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def check_broadcast(name, value, shape) -> None:
    """Check that a hyper-parameter broadcasts against a parameter of ``shape``."""
    vshape = np.shape(value)
    try:
        out = np.broadcast_shapes(vshape, shape)
    except ValueError:
        out = None
    if out != tuple(shape):
        raise ValueError(
            f"{name} of shape {vshape} does not broadcast against a parameter of "
            f"shape {tuple(shape)}"
        )


# -- checkpoints (Optimizer.load_state_dict): every field checked, one ValueError each ----
__all__ += [
    "check_depth",
    "check_state_dict",
    "check_state_entry",
    "check_state_array",
    "fresh_from",
    "state_from",
]

#: Largest step count or size a checkpoint may hold (numpy's int64).
MAX_INT64 = 2**63 - 1
#: Deepest nesting of lists and dicts accepted in a checkpoint's hyper-parameters (a
#: schedule inside a warmup is 2).
MAX_DEPTH = 8
#: State fields that accumulate squared gradients (the notes' r): never negative.
SQUARES = ("r", "r_max", "R", "C")


def check_depth(name, value, limit: int = MAX_DEPTH) -> None:
    """Refuse lists, tuples and dicts nested deeper than ``limit`` (walked without
    recursion, so a deep one cannot exhaust the stack)."""
    from collections.abc import Mapping

    todo = [(value, 0)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, Mapping):
            children = list(item.values())
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        if depth >= limit:
            raise ValueError(f"{name} is nested more than {limit} levels deep")
        todo.extend((child, depth + 1) for child in children)


def check_state_dict(state_dict, name: str, hyper_keys) -> tuple:
    """``(hyper, entries, single)`` of a checkpoint of optimizer ``name``, its
    structure checked (values are checked by the caller)."""
    from collections.abc import Mapping

    keys = ("name", "hyper", "state", "single")
    if not isinstance(state_dict, Mapping) or set(state_dict) != set(keys):
        raise ValueError("a state dict has the keys name, hyper, state, single")
    given = state_dict["name"]
    if not isinstance(given, str) or given != name:
        raise ValueError(f"this state dict is of {_cut(repr(given))}, not of {name!r}")
    hyper = state_dict["hyper"]
    if not isinstance(hyper, Mapping) or not all(isinstance(k, str) for k in hyper):
        raise ValueError("the state dict's hyper must be a dict of names to values")
    if set(hyper) != set(hyper_keys):
        raise ValueError(
            f"the state dict's hyper-parameters {_cut(str(sorted(hyper)), 200)} are "
            f"not {name}'s {sorted(hyper_keys)}"
        )
    entries = state_dict["state"]
    if not isinstance(entries, (list, tuple)):
        raise ValueError("the state dict's state must be a list (one dict per parameter)")
    single = state_dict["single"]
    if not isinstance(single, (bool, np.bool_)):
        shown = _cut(repr(single))
        raise ValueError(f"the state dict's single must be true or false, got {shown}")
    return dict(hyper), list(entries), bool(single)


def check_state_entry(i: int, entry) -> tuple:
    """``(t, shape, arrays)`` of the state of parameter ``i``: ``t`` a whole number
    in [0, 2**63), ``shape`` a tuple of sizes (at most 2**62 elements), ``arrays``
    the other fields as given."""
    from collections.abc import Mapping

    if not isinstance(entry, Mapping) or not all(isinstance(k, str) for k in entry):
        raise ValueError(f"state {i} must be a dict of field names to values")
    t = entry.get("t")
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 0:
        raise ValueError(f"state {i}: t must be a whole number >= 0, got {_cut(repr(t))}")
    if t > MAX_INT64:
        raise ValueError(f"state {i}: t must be below 2**63, got {_cut(str(t))}")
    shape = entry.get("shape")
    ok = isinstance(shape, (list, tuple)) and len(shape) <= 32
    ok = ok and all(
        not isinstance(n, bool) and isinstance(n, (int, np.integer)) and 0 <= n <= MAX_INT64
        for n in shape
    )
    if not ok or math.prod(int(n) for n in shape) > 2**62:
        raise ValueError(
            f"state {i}: shape must be a tuple of sizes (whole numbers >= 0, at most "
            f"32 of them, 2**62 elements in all), got {_cut(repr(shape))}"
        )
    arrays = {k: v for k, v in entry.items() if k not in ("t", "shape")}
    return int(t), tuple(int(n) for n in shape), arrays


def check_state_array(name: str, value, shape, *, square: bool = False) -> np.ndarray:
    """A state field ``value`` as a float array of ``shape``, every value finite, and
    ``>= 0`` for a ``square`` (a sum or average of g^2)."""
    try:
        arr = value if isinstance(value, np.ndarray) else np.asarray(value)
    except (TypeError, ValueError, OverflowError, RecursionError):
        raise ValueError(f"{name} must be an array of floats") from None
    if not np.issubdtype(arr.dtype, np.floating):
        raise ValueError(f"{name} must be floats, got {arr.dtype}")
    if arr.shape != tuple(shape):
        raise ValueError(f"{name} has shape {arr.shape}, the state {tuple(shape)}")
    bad = ~np.isfinite(arr)
    if square:
        bad |= arr < 0
    if np.any(bad):
        where = np.unravel_index(int(np.argmax(bad)), arr.shape) if arr.ndim else ()
        allowed = "finite and >= 0 (it accumulates g^2)" if square else "finite"
        at = [int(k) for k in where]
        raise ValueError(f"{name} must be {allowed}, got {float(arr[where])!r} at {at}")
    return arr


def fresh_from(cls, hyper: dict, from_params):
    """A new ``cls`` of a checkpoint's hyper-parameters, each checked on its own (so
    the error names it); schedules rebuilt from their params by ``from_params``."""
    from collections.abc import Mapping

    for key, value in hyper.items():
        check_depth(key, value)
        try:
            if isinstance(value, Mapping):
                value = hyper[key] = from_params(value)
            cls.hyper[key].check(key, value)
        except (TypeError, OverflowError, AttributeError) as exc:
            raise ValueError(f"{key} is not a valid value ({exc})"[:300]) from None
    return cls(**hyper)


def state_from(fresh, i: int, entry):
    """The state of parameter ``i`` from a checkpoint's entry, every field checked
    before anything the size of the state is allocated."""
    from dataclasses import fields

    t, shape, given = check_state_entry(i, entry)
    # field -> its shape; a rule whose state takes several forms (Adafactor: a matrix's
    # row and column factors, or r) reads the form from the fields given
    forms = getattr(fresh, "_checkpoint_fields", None)
    expected = (
        forms(shape, set(given))
        if forms is not None
        else {
            f.name: shape
            for f in fields(fresh.State)
            if f.name not in ("shape", "t") and fresh._holds(f.name)
        }
    )
    if set(given) != set(expected):
        raise ValueError(
            f"state {i} holds {sorted(given)}, {fresh.name} with these "
            f"hyper-parameters needs {sorted(expected)}"[:300]
        )
    arrays = {
        key: check_state_array(
            f"state {i}: {key}", value, expected[key], square=key in SQUARES
        )
        for key, value in sorted(given.items())
    }
    fresh._check_hyper_against(shape)
    dtype = next(iter(arrays.values())).dtype if arrays else np.float64
    if forms is not None:
        st = fresh._checkpoint_state(shape, dtype, set(given))
    else:  # a zero-strided stand-in: the state allocates only its own arrays
        st = fresh._init_state(np.broadcast_to(np.zeros((), dtype=dtype), shape))
    for key, arr in arrays.items():
        if key in fresh.per_step:  # one number per step, shaped as the hyper-parameters
            arr = _per_step(f"state {i}: {key}", arr, getattr(st, key).shape)
        getattr(st, key)[...] = arr
    st.t = t
    return st


def _per_step(name: str, arr, shape) -> np.ndarray:
    """A per-step number held at the parameter's shape (``arr``) cut to ``shape``,
    where the hyper-parameters broadcast: equal along every axis ``shape`` lacks."""
    full = (1,) * (arr.ndim - len(shape)) + tuple(shape)
    cut = arr[tuple(slice(None) if n != 1 else slice(0, 1) for n in full)]
    if not np.array_equal(np.broadcast_to(cut, arr.shape), arr):
        raise ValueError(
            f"{name} must be one number per configuration of the hyper-parameters "
            f"(equal wherever they are), got different values"
        )
    return cut.reshape(shape)


__all__ += ["UnknownName", "did_you_mean"]


class UnknownName(ValueError):
    """A name that is none of the known ones: an optimizer, a surface, a hyper-parameter
    key, a schedule, a data set. A ValueError for the library; the command line's usage
    error (exit 2), like a bad choice of an option."""


def did_you_mean(name: str, known, synonyms=None, n: int = 2) -> list[str]:
    """The known names closest to ``name`` (at most ``n``): its synonym alone where
    ``synonyms`` has one (a name people use for a known one, e.g. learning_rate for
    lr), else close spellings.

    >>> did_you_mean("learning_rate", ["lr", "betas"], {"learning_rate": "lr"})
    ['lr']
    >>> did_you_mean("rosenbrok", ["rosenbrock", "rastrigin"])
    ['rosenbrock']
    """
    import difflib

    known = list(known)
    key = name.strip().lower().replace("-", "_")
    meant = (synonyms or {}).get(key)
    if meant in known:
        return [meant]  # the name people use for it: no guesses beside it
    return difflib.get_close_matches(name, known, n=n, cutoff=0.5)
