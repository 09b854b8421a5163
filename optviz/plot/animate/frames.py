"""Which steps the frames show, and the checks of an animation's settings."""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = [
    "frame_steps",
    "check_panels",
    "check_int",
    "PANELS",
    "MAX_FRAMES",
    "FPS_RANGE",
    "DEFAULT_FRAMES",
    "DEFAULT_FPS",
    "HOLD_SECONDS",
    "SPACINGS",
    "holds",
]

PANELS = ("trajectory", "loss", "lr")
#: More frames than this is a film, not a lecture animation.
MAX_FRAMES = 2000
#: GIF delays are whole centiseconds and browsers slow down delays under 2 cs, so
#: 50 frames per second is as fast as a GIF reliably plays.
FPS_RANGE = (1, 50)
DEFAULT_FRAMES = 200
DEFAULT_FPS = 20
#: The first and the last frame stay this long (the loop restarts after the last).
HOLD_SECONDS = 1.5
SPACINGS = ("geometric", "linear")
#: Longest hold of a first or last frame, in seconds.
MAX_HOLD = 60


def holds(hold) -> tuple[float, float]:
    """``hold`` as (first, last) seconds: a number holds the last frame only (as
    always), a pair (first, last) both.

    >>> holds(1.5), holds((2, 3))
    ((0.0, 1.5), (2.0, 3.0))
    """
    first, last = (0.0, hold) if isinstance(hold, (int, float)) else hold
    for which, value in (("first", first), ("last", last)):
        if not 0 <= value <= MAX_HOLD:
            raise ValueError(
                f"hold of the {which} frame must be in [0, {MAX_HOLD}] seconds, "
                f"got {value!r}"
            )
    return float(first), float(last)


def _offset(steps: int, frames: int) -> float:
    """c such that c * log(1 + steps / c) = frames - 1: geometric spacing of step + c
    whose first gap is one step."""
    lo, hi = 1e-9, 1e12
    for _ in range(200):  # bisection in log c; c * log(1 + s/c) grows with c
        mid = np.sqrt(lo * hi)
        if mid * np.log1p(steps / mid) < frames - 1:
            lo = mid
        else:
            hi = mid
    return hi


def frame_steps(steps: int, frames: int, spacing: str = "geometric") -> np.ndarray:
    """The step each frame shows: ``min(frames, steps + 1)`` distinct steps, ascending,
    from 0 to ``steps`` (a single frame shows the last step).

    ``"geometric"`` spaces ``step + c`` geometrically, with ``c`` chosen so the first
    frames are one step apart: the fast early motion gets a frame per step and the
    slow end is sampled more sparsely. ``"linear"`` spaces steps evenly.

    >>> frame_steps(10, 5, "linear").tolist()
    [0, 2, 5, 8, 10]
    >>> frame_steps(500, 8).tolist()
    [0, 2, 5, 14, 36, 87, 209, 500]
    >>> frame_steps(3, 100).tolist()
    [0, 1, 2, 3]
    """
    if spacing not in SPACINGS:
        raise ValueError(f"unknown spacing {spacing!r}; allowed: {', '.join(SPACINGS)}")
    n = min(int(frames), int(steps) + 1)
    if n < 1:
        raise ValueError(f"frames must be >= 1, got {frames}")
    if n == 1:
        return np.array([steps])
    if n == steps + 1:
        return np.arange(steps + 1)
    if spacing == "linear":
        target = np.linspace(0, steps, n)
    else:
        c = _offset(steps, n)
        target = c * np.expm1(np.linspace(0, 1, n) * np.log1p(steps / c))
    out = np.empty(n, dtype=np.int64)
    previous = -1
    for i, t in enumerate(np.rint(target).astype(np.int64)):
        # distinct and ascending, leaving room for the frames still to come
        previous = out[i] = min(max(t, previous + 1), steps - (n - 1 - i))
    return out


def check_panels(panels: str | Sequence[str]) -> tuple[str, ...]:
    """Panels as a tuple (from ``"trajectory,loss"`` or a sequence), checked."""
    if isinstance(panels, str):
        panels = panels.split(",")
    chosen = tuple(dict.fromkeys(p.strip().lower() for p in panels if p.strip()))
    for p in chosen:
        if p not in PANELS:
            raise ValueError(f"unknown panel {p!r}; allowed: {', '.join(PANELS)}")
    if not chosen:
        raise ValueError(f"no panels given; allowed: {', '.join(PANELS)}")
    return chosen


def check_int(name: str, value, low: int, high: int) -> int:
    """``value`` as an int in ``[low, high]``, or a ValueError naming ``name``."""
    if isinstance(value, bool) or not float(value).is_integer() or not low <= value <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value!r}")
    return int(value)
