r"""The grids of the tuning protocol: which keys each optimizer searches, the default
values, ``KEY=MIN:MAX:N`` from the command line, widening and zooming, and the cap on
the work.

α is spaced evenly in log α; β, ρ, ρ1, ρ2 evenly in log(1 - β), so that 0.5, 0.9 and
0.99 are about as far apart as their effect on the memory 1/(1 - β) (2, 10, 100 steps).

>>> np.round(default_axes("momentum", 0.02)["momentum"], 3)
array([0.   , 0.602, 0.842, 0.937, 0.975, 0.99 ])

An optimizer that refuses a value (Schedule-Free's β must be in (0, 1): its average
divides by β) searches the default grid without it, by its own check:

>>> from optviz.optimizers import ScheduleFreeSGD
>>> np.round(default_axes(ScheduleFreeSGD(), 1.0)["momentum"], 3)
array([0.602, 0.842, 0.937, 0.975, 0.99 ])
>>> parse_grid("rho=0.5:0.99:3")[0], np.round(parse_grid("rho=0.5:0.99:3")[1], 4)
('rho', array([0.5   , 0.9293, 0.99  ]))
"""

from __future__ import annotations

import math

import numpy as np

from ..records.tuned import BETA_LIMIT, KEYS
from .teaching import with_values

__all__ = [
    "FAMILY_KEYS",
    "ALPHA_POINTS",
    "ALPHA_DECADES",
    "BETA_RANGE",
    "BETA_POINTS",
    "RHO2_RANGE",
    "RHO2_POINTS",
    "WIDEN",
    "WIDEN_POINTS",
    "ZOOMS",
    "MAX_WORK",
    "MAX_AXIS_POINTS",
    "keys_of",
    "accepts",
    "default_axes",
    "parse_grid",
    "axis_values",
    "widened",
    "zoom_values",
    "to_u",
    "from_u",
    "check_work",
    "DEFAULT_GRIDS_TEXT",
]

#: What each optimizer family searches jointly.
FAMILY_KEYS = {
    "sgd": ("lr",),
    "momentum": ("lr", "momentum"),
    "adagrad": ("lr",),
    "rmsprop": ("lr", "rho"),
    "adam": ("lr", "rho1", "rho2"),
}
#: α: this many values, log-spaced over these decades below and above the surface's
#: default α for the optimizer.
ALPHA_POINTS = 20
ALPHA_DECADES = (2.0, 2.0)
#: β, ρ, ρ1: from 0 to 0.99, evenly in log(1 - β).
BETA_RANGE, BETA_POINTS = (0.0, 0.99), 6
#: Adam's ρ2: 0.9, 0.99, 0.999.
RHO2_RANGE, RHO2_POINTS = (0.9, 0.999), 3
#: An optimum at an end of its range widens the range this many times ...
WIDEN = 3
#: ... by this many more values at the same spacing each time (α; β and ρ: 2).
WIDEN_POINTS = {"lr": 5, "beta": 2}
#: Then this many zooms, each adding the midpoints around each budget's best.
ZOOMS = 2
#: A search may need at most this many gradient evaluations (configurations x starts
#: x steps, over every surface and optimizer, before widening).
MAX_WORK = 2_000_000_000
#: One axis may have at most this many values.
MAX_AXIS_POINTS = 1000

DEFAULT_GRIDS_TEXT = (
    f"α: {ALPHA_POINTS} values log-spaced from 10^-{ALPHA_DECADES[0]:g} to "
    f"10^{ALPHA_DECADES[1]:g} × the surface's default α for the optimizer; "
    f"β (momentum, Nesterov), ρ (RMSprop), ρ1 (Adam): {BETA_POINTS} values from "
    f"{BETA_RANGE[0]:g} to {BETA_RANGE[1]:g} evenly in log(1 - β); ρ2 (Adam): "
    f"{RHO2_POINTS} values from {RHO2_RANGE[0]:g} to {RHO2_RANGE[1]:g}; a best at an "
    f"end of its range widened up to {WIDEN} times, then {ZOOMS} zooms each halving the "
    "spacing around each budget's best"
)


def keys_of(optimizer) -> tuple[str, ...]:
    """The keys ``optimizer`` searches (by its family; α alone for an unknown one)."""
    return FAMILY_KEYS.get(getattr(optimizer, "family", None), ("lr",))


def accepts(optimizer, key: str, value: float) -> bool:
    """Whether ``optimizer``'s own checks take ``value`` for ``key`` (``optimizer`` may
    be a family name, which takes every value)."""
    if isinstance(optimizer, str) or optimizer is None:
        return True
    try:
        with_values(optimizer, {key: value})
    except ValueError:
        return False
    return True


def _allowed(optimizer, key: str, values: np.ndarray) -> np.ndarray:
    """``values`` without those ``optimizer`` refuses for ``key`` (α is never cut)."""
    if key == "lr" or isinstance(optimizer, str) or optimizer is None:
        return values
    keep = [accepts(optimizer, key, float(v)) for v in values]
    return values[np.asarray(keep, dtype=bool)]


def to_u(key: str, values) -> np.ndarray:
    """The coordinate a grid is even in: log α, or log(1 - β)."""
    values = np.asarray(values, dtype=np.float64)
    return np.log(values) if key == "lr" else np.log1p(-values)


def from_u(key: str, u) -> np.ndarray:
    u = np.asarray(u, dtype=np.float64)
    return np.exp(u) if key == "lr" else -np.expm1(u)


def axis_values(key: str, low: float, high: float, n: int) -> np.ndarray:
    """``n`` values from ``low`` to ``high``, even in :func:`to_u`."""
    if n == 1:
        return np.array([float(low)])
    u = np.linspace(*to_u(key, [low, high]), n)
    out = from_u(key, u)
    out[0], out[-1] = low, high  # exact ends
    return out


def default_axes(optimizer_or_family, default_lr: float) -> dict[str, np.ndarray]:
    """The default grid of an optimizer (or a family name) around ``default_lr``,
    without the values the optimizer's own checks refuse."""
    family = (
        optimizer_or_family
        if isinstance(optimizer_or_family, str)
        else getattr(optimizer_or_family, "family", None)
    )
    keys = FAMILY_KEYS.get(family, ("lr",))
    low, high = ALPHA_DECADES
    axes = {
        "lr": axis_values("lr", default_lr / 10**low, default_lr * 10**high, ALPHA_POINTS)
    }
    for key in keys[1:]:
        lo, hi, n = (
            (*RHO2_RANGE, RHO2_POINTS) if key == "rho2" else (*BETA_RANGE, BETA_POINTS)
        )
        axes[key] = _allowed(optimizer_or_family, key, axis_values(key, lo, hi, n))
    return axes


def parse_grid(text: str) -> tuple[str, np.ndarray]:
    """``"KEY=MIN:MAX:N"`` -> (key, values), checked: a known key, numbers, ``N >= 1``,
    ``MIN <= MAX`` (``MIN = MAX`` with ``N = 1`` fixes the key), α > 0, β and ρ in
    [0, 0.9999]. Errors are one line naming what was wrong and what is allowed."""
    form = "KEY=MIN:MAX:N (e.g. lr=1e-3:1:20 or momentum=0:0.99:6)"
    key, sep, rest = str(text).partition("=")
    key = key.strip()
    if not sep:
        raise ValueError(f"a grid must be {form}, got {text!r}")
    if key not in KEYS:
        raise ValueError(f"grid key must be one of {', '.join(KEYS)}; got {key!r}")
    parts = rest.split(":")
    if len(parts) != 3:
        raise ValueError(f"a grid must be {form}, got {text!r}")
    try:
        low, high = float(parts[0]), float(parts[1])
        n = int(parts[2])
    except ValueError:
        raise ValueError(f"a grid must be {form} with numbers, got {text!r}") from None
    if n < 1:
        raise ValueError(f"grid {key} is empty (N = {n}); N must be at least 1")
    if n > MAX_AXIS_POINTS:
        raise ValueError(f"grid {key} has {n} values; at most {MAX_AXIS_POINTS}")
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"grid {key} must have finite ends, got {text!r}")
    if key == "lr" and low <= 0:
        raise ValueError(f"grid lr must have MIN > 0 (α is positive), got {low:g}")
    if key != "lr" and not (0 <= low and high <= BETA_LIMIT):
        raise ValueError(
            f"grid {key} must lie in [0, {BETA_LIMIT:g}], got {low:g}:{high:g}"
        )
    if low > high:
        raise ValueError(f"grid {key} is reversed ({low:g} > {high:g}); give MIN:MAX")
    if low == high and n > 1:
        raise ValueError(f"grid {key}: MIN = MAX = {low:g} takes N = 1, got {n}")
    if low < high and n == 1:
        raise ValueError(f"grid {key}: one value needs MIN = MAX, got {low:g}:{high:g}")
    return key, axis_values(key, low, high, n)


def _spacing(key: str, axis: np.ndarray) -> float:
    u = to_u(key, axis)
    return float((u[-1] - u[0]) / (len(u) - 1))


def widened(key: str, axis: np.ndarray, end: str, optimizer=None) -> np.ndarray:
    """``axis`` with :data:`WIDEN_POINTS` more values beyond its low (``"<"``) or high
    (``">"``) end at the same spacing; β and ρ stop at 0 and :data:`BETA_LIMIT`, and
    leave out what ``optimizer`` refuses (Schedule-Free's β = 0)."""
    n = WIDEN_POINTS["lr" if key == "lr" else "beta"]
    du = abs(_spacing(key, axis))
    edge = float(to_u(key, axis[-1] if end == ">" else axis[0]))
    # α grows with u = log α; β grows as u = log(1 - β) falls
    sign = (1.0 if end == ">" else -1.0) * (1.0 if key == "lr" else -1.0)
    more = edge + sign * du * np.arange(1, n + 1)
    if key != "lr":
        lo_u, hi_u = float(to_u(key, BETA_LIMIT)), 0.0
        more = np.clip(more, lo_u, hi_u)
        more[np.abs(more - hi_u) < 1e-9] = hi_u  # β = 0 exactly
        more[np.abs(more - lo_u) < 1e-9] = lo_u
        more = np.unique(more)
        more = more[np.abs(more - edge) > 1e-9]
    new = _allowed(optimizer, key, from_u(key, more))
    return np.unique(np.concatenate([axis, new]))


def zoom_values(key: str, axis: np.ndarray, value: float) -> np.ndarray:
    """``value``, its neighbours on ``axis`` and the midpoints (in :func:`to_u`)
    between them: the box around a best at half the spacing."""
    axis = np.sort(axis)
    p = int(np.argmin(np.abs(axis - value)))
    u = to_u(key, axis)
    out = [axis[p]]
    for q in (p - 1, p + 1):
        if 0 <= q < len(axis):
            out += [axis[q], float(from_u(key, (u[q] + u[p]) / 2))]
    return np.array(sorted(out))


def check_work(total: float) -> None:
    """Refuse a search of more than :data:`MAX_WORK` gradient evaluations, saying by
    how much it is over."""
    if total > MAX_WORK:
        raise ValueError(
            f"the search needs {total:.3g} gradient evaluations (settings x starts x "
            f"steps), {total / MAX_WORK:.3g}x the cap of {MAX_WORK:.0e}; use fewer grid "
            "values, starts, steps or surfaces"
        )
