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
