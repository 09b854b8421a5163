"""Range checks of the values a record file holds, run by every ``load``.

A file of the right shapes can still hold an accuracy of 2.5, a step of -5 or of
2**64, a start at NaN: each check raises one ``ValueError`` naming the field, the
allowed range and the first value outside it (``load`` adds the file's name).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "MAX_INT",
    "ints",
    "in_range",
    "increasing",
    "whole_or_none",
    "text",
    "floats",
    "finite_number",
]

#: The largest whole number a record may hold (numpy's int64).
MAX_INT = 2**63 - 1


def _first(bad: np.ndarray, arr: np.ndarray) -> str:
    """``got V at [i, j]`` for the first True of ``bad``."""
    where = np.unravel_index(int(np.argmax(bad)), bad.shape) if bad.ndim else ()
    value = arr[where]
    shown = repr(value.item()) if isinstance(value, np.generic) else repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"got {shown}" + (f" at {[int(k) for k in where]}" if where else "")


def _bound(value, missing: str) -> str:
    if value is None:
        return missing
    if value == MAX_INT:
        return "2**63 - 1"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _bounds(low, high) -> str:
    return f"[{_bound(low, '-inf')}, {_bound(high, 'inf')}]"


def ints(name: str, values, low: int | None = None, high: int | None = None):
    """``values`` as an int64 array after checking every one is a whole number in
    ``[low, high]`` (never above :data:`MAX_INT`); floats that are whole are taken,
    2**64, 1.5, NaN or text are refused."""
    high = MAX_INT if high is None else min(high, MAX_INT)
    allowed = f"whole numbers in {_bounds(low, high)}"
    try:
        arr = np.asarray(values)
    except (ValueError, TypeError, OverflowError, RecursionError):
        raise ValueError(f"{name} must be {allowed}") from None
    if arr.dtype.kind == "O":  # Python ints beyond uint64, or mixed types
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in arr.flat):
            raise ValueError(f"{name} must be {allowed}")
        bad = np.array([not (_ge(v, low) and v <= high) for v in arr.flat])
        if bad.any():
            raise ValueError(f"{name} must be {allowed}, {_first(bad, arr.ravel())}")
        return arr.astype(np.int64)
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name} must be {allowed}, got {arr.dtype} values")
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            raise ValueError(f"{name} must be {allowed}, {_first(bad, arr)}")
    bad = arr > high
    if low is not None:
        bad |= arr < low
    if bad.any():
        raise ValueError(f"{name} must be {allowed}, {_first(bad, arr)}")
    return arr.astype(np.int64)


def _ge(v, low) -> bool:
    return low is None or v >= low


def floats(name: str, values) -> np.ndarray:
    """``values`` (numbers from a sidecar or a file) as a float array; text, nesting
    or a whole number too large for a float (10**400) is refused by name."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError, OverflowError, RecursionError):
        raise ValueError(f"{name} must be numbers (of magnitude below 1e308)") from None


def in_range(name: str, values, low=None, high=None, *, nan: bool = True, finite=False):
    """Check the numbers ``values`` lie in ``[low, high]``; NaN passes when ``nan``
    (a diverged run's values), infinity only when ``finite`` is false and it is inside
    the bounds."""
    arr = floats(name, values)
    with np.errstate(invalid="ignore"):
        bad = np.zeros(arr.shape, dtype=bool)
        if low is not None:
            bad |= arr < low
        if high is not None:
            bad |= arr > high
    if finite:
        bad |= np.isinf(arr)
    if not nan:
        bad |= np.isnan(arr)
    if bad.any():
        what = "finite numbers" if finite else "numbers"
        if low is not None or high is not None:
            what += f" in {_bounds(low, high)}"
        orn = " (or NaN)" if nan else ""
        raise ValueError(f"{name} must be {what}{orn}, {_first(bad, arr)}")
    return arr


def increasing(name: str, values, *, strict: bool = True) -> None:
    """Check ``values`` (1-D) increase (strictly, or never decrease)."""
    arr = np.asarray(values)
    if len(arr) < 2:
        return
    step = np.diff(arr)
    bad = step <= 0 if strict else step < 0
    if bad.any():
        i = int(np.argmax(bad))
        order = "increase" if strict else "never decrease"
        raise ValueError(
            f"{name} must {order}, got {arr[i].item()!r} then {arr[i + 1].item()!r} "
            f"at [{i}, {i + 1}]"
        )


def whole_or_none(name: str, value, low: int = 0):
    """A seed or count from a sidecar: ``None`` or a whole number in
    ``[low, 2**63)``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_INT:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        allowed = f"a whole number in [{low}, 2**63) or null"
        raise ValueError(f"{name} must be {allowed}, got {shown}")
    return value


def text(name: str, value, *, none: bool = False):
    """A label or name from a sidecar: text (or ``None`` when ``none``)."""
    if (value is None and none) or isinstance(value, str):
        return value
    raise ValueError(f"{name} must be text, got {type(value).__name__}")


def finite_number(name: str, value, low=None, *, low_open=True) -> float:
    """A setting from a sidecar (``tol``, a radius): a finite number above ``low``."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    ok = ok and abs(value) < 1e308 and math.isfinite(value)
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if not ok:
        bound = "" if low is None else f" {'>' if low_open else '>='} {low:g}"
        raise ValueError(f"{name} must be a finite number{bound}, got {value!r}"[:200])
    return float(value)
