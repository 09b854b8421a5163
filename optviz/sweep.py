r"""Learning-rate sweeps: every optimizer over a grid of learning rates, as one batch.

A fair comparison runs each optimizer at *its own* best learning rate, not at one
hand-picked value. :func:`lr_sweep` runs, per optimizer, all ``N`` learning rates of a
grid at once: the parameters are an ``(N, 2)`` batch (every row the same start) and the
learning rate an ``(N, 1)`` column that broadcasts against it. No history is kept; per
learning rate it tracks the final point and loss, the step from which
:math:`f - f^* <` ``tol`` holds to the end of the budget ("steps to tol"), and the step
where it diverged (the rules of :func:`optviz.run.run_one`).

The best learning rate of each optimizer is chosen by a stated criterion within the
stated budget of steps (:data:`CRITERIA`): ``"steps"`` (default) takes the fewest steps
to reach ``tol``, ties and the case where no learning rate reaches it going to the lowest
final :math:`f - f^*`; ``"loss"`` takes the lowest final :math:`f - f^*`. Diverged runs
are never best.

>>> from optviz.surfaces import get
>>> from optviz.optimizers import SGD, Adam
>>> sw = lr_sweep(get("rosenbrock"), {"sgd": SGD(), "adam": Adam()},
...               np.geomspace(1e-4, 1, 9), steps=200)
>>> sw["adam"].lr.shape, sw["adam"].final_loss.shape
((9,), (9,))
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import check_int, check_range
from .optimizers import Optimizer
from .records.sweep import CRITERIA, Sweep, SweepCurve, check_criterion
from .run import (
    DEFAULT_TOL,
    Optimizers,
    Progress,
    Tracked,
    labelled_optimizers,
    loss_gap,
    scaled_progress,
    track,
)
from .schedules import Schedule

__all__ = [
    "Tracked",
    "track",
    "DEFAULT_TOL",
    "with_lr",
    "lr_grid",
    "parse_lr_range",
    "default_lr_range",
    "lr_sweep",
    "Sweep",
    "SweepCurve",
    "CRITERIA",
    "best_optimizers",
]

#: The default grid spans the surface's default learning rates widened by these decades.
GRID_DECADES_BELOW, GRID_DECADES_ABOVE = 2, 1
DEFAULT_GRID_POINTS = 41
#: Learning rates of a sweep: at most this many per optimizer.
MAX_GRID_POINTS = 100_000


# -- learning rates ----------------------------------------------------------------------
def with_lr(optimizer: Optimizer, lr: ArrayLike) -> Optimizer:
    """A fresh optimizer like ``optimizer`` (same class and keys) with base learning
    rate ``lr``; a schedule keeps its shape around the new ``lr``."""
    kwargs = {k: getattr(optimizer, k) for k in type(optimizer).defaults}
    old = kwargs.get("lr")
    if isinstance(old, Schedule):
        kwargs["lr"] = old.with_lr(lr)
    elif callable(old):
        raise ValueError(
            f"cannot sweep the learning rate of {optimizer.name}: its lr is a plain "
            "callable; use an optviz schedule (optviz.schedules) or a number"
        )
    else:
        kwargs["lr"] = lr
    return type(optimizer)(**kwargs)


def lr_grid(low: float, high: float, n: int) -> NDArray:
    """``n`` log-spaced learning rates from ``low`` to ``high`` (both included)."""
    low = check_range("lowest lr", low, low=0, low_open=True)
    high = check_range("highest lr", high, low=low)
    n = check_int("number of learning rates", n, low=1, high=MAX_GRID_POINTS)
    if n == 1:
        if high != low:
            raise ValueError(f"one learning rate needs MIN = MAX, got {low:g}:{high:g}")
        return np.array([low])
    return np.geomspace(low, high, n)


def parse_lr_range(text: str) -> tuple[float, float, int]:
    """``"MIN:MAX:N"`` -> (MIN, MAX, N), checked (``1e-4:1:50``)."""
    parts = text.split(":")
    if len(parts) != 3:
        raise ValueError(f"learning rates must be MIN:MAX:N (e.g. 1e-4:1:50), got {text!r}")
    try:
        low, high = float(parts[0]), float(parts[1])
        n = int(parts[2])
    except ValueError:
        raise ValueError(
            f"learning rates must be MIN:MAX:N with numbers (e.g. 1e-4:1:50), got {text!r}"
        ) from None
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"learning rates must be finite, got {text!r}")
    if not low < high and not (n == 1 and low == high):
        raise ValueError(f"learning rates MIN:MAX:N need 0 < MIN < MAX, got {text!r}")
    lr_grid(low, high, n)  # range checks with named messages
    return low, high, n


def default_lr_range(surface, names: Sequence[str]) -> tuple[float, float]:
    """Whole decades around the surface's default learning rates of ``names``:
    from :data:`GRID_DECADES_BELOW` decades under the smallest to
    :data:`GRID_DECADES_ABOVE` above the largest (1e-5 to 1 without defaults)."""
    defaults = []
    for name in names:
        try:
            defaults.append(surface.default_lr(name))
        except KeyError:
            pass
    if not defaults:
        return 1e-5, 1.0
    low = math.floor(math.log10(min(defaults))) - GRID_DECADES_BELOW
    high = math.ceil(math.log10(max(defaults))) + GRID_DECADES_ABOVE
    return 10.0**low, 10.0**high


# -- the sweep -------------------------------------------------------------------------
def hyper_without_lr(opt: Optimizer) -> dict:
    """``opt``'s hyper-parameters but its learning rate (a schedule's shape kept)."""
    hyper = opt.hyperparameters()
    hyper.pop("lr", None)
    if isinstance(opt.lr, Schedule):
        hyper["schedule"] = repr(opt.lr.with_lr(1.0)).replace("lr=1", "lr=α")
    return hyper


def lr_sweep(
    surface,
    optimizers: Optimizers,
    lrs: ArrayLike | Mapping[str, ArrayLike],
    *,
    steps: int | None = None,
    start: ArrayLike | None = None,
    tol: float = DEFAULT_TOL,
    criterion: str = "steps",
    lr_how: str = "given",
    progress: Progress | None = None,
) -> Sweep:
    """Sweep each optimizer over learning rates ``lrs`` on ``surface``, all rates at once.

    Parameters
    ----------
    surface : surfaces.Surface
    optimizers : mapping label -> Optimizer, or a sequence of Optimizers
        Prototypes: every key but ``lr`` is kept (a schedule keeps its shape).
    lrs : 1-D array, or mapping label -> 1-D array
        The base learning rates (the same grid for all, or one per label).
    steps : int, optional
        The budget (default: the surface's steps).
    start : (2,), optional
        One start for all (default: the surface's).
    tol : float
        f - f* below this counts as reached.
    criterion : {"steps", "loss"}
        How the best learning rate is picked (:data:`CRITERIA`).
    lr_how : str
        How the grid was chosen, in words, for the sidecar.
    progress : callable, optional
        ``progress(done, total)`` over the steps of all optimizers together.
    """
    check_criterion(criterion)
    steps = surface.steps if steps is None else steps
    pairs = labelled_optimizers(optimizers, surface, steps)
    if not pairs:
        raise ValueError("no optimizers given")
    start = np.asarray(surface.start if start is None else start, dtype=np.float64)
    if start.shape != (2,):
        raise ValueError(f"a sweep runs from one start of shape (2,), got {start.shape}")
    curves = []
    for i, (label, proto) in enumerate(pairs):
        grid = lrs[label] if isinstance(lrs, Mapping) else lrs
        grid = np.asarray(grid, dtype=np.float64)
        if grid.ndim != 1 or len(grid) == 0:
            raise ValueError(
                f"learning rates must be a non-empty 1-D array, got {grid.shape}"
            )
        check_range("lr", grid, low=0, low_open=True)
        opt = with_lr(proto, grid[:, None])  # (N, 1) against params (N, 2)
        res = track(
            surface,
            opt,
            np.broadcast_to(start, (len(grid), 2)),
            steps,
            tol=tol,
            progress=scaled_progress(progress, i, len(pairs)),
        )
        curves.append(
            SweepCurve(
                optimizer=proto.name,
                label=label,
                hyperparameters=hyper_without_lr(proto),
                lr=grid,
                final_loss=res.final_loss,
                final_gap=loss_gap(surface, res.final_loss),
                steps_to_tol=res.steps_to_tol,
                diverged_at=res.diverged_at,
                final_xy=res.final_xy,
            )
        )
    meta = {"lr_how": lr_how}
    return Sweep(surface.name, start, int(steps), float(tol), criterion, curves, meta)


def best_optimizers(
    sweep: Sweep, optimizers: Mapping[str, Optimizer]
) -> dict[str, Optimizer]:
    """Each prototype at its own best learning rate from ``sweep`` (labels whose every
    learning rate diverged are left out)."""
    out = {}
    for label, lr in sweep.best().items():
        if lr is not None:
            out[label] = with_lr(optimizers[label], lr)
    return out
