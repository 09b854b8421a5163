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

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ._checks import check_int, check_range
from ._io import atomic_path, check_writable
from .optimizers import Optimizer
from .run import MAX_STEPS, _labelled, mark_diverged
from .schedules import Schedule, describe

__all__ = [
    "Tracked",
    "track",
    "with_lr",
    "lr_grid",
    "parse_lr_range",
    "default_lr_range",
    "lr_sweep",
    "Sweep",
    "SweepCurve",
    "CRITERIA",
    "DEFAULT_TOL",
    "best_optimizers",
    "write_sidecar",
    "figure_sidecar_path",
]

#: f - f* below this counts as converged (the default of sweeps and maps).
DEFAULT_TOL = 1e-6
#: How the best learning rate is chosen.
CRITERIA = {
    "steps": "fewest steps to reach f - f* < tol and stay there (ties, or none "
    "reaching tol: lowest final f - f*)",
    "loss": "lowest final f - f*",
}
#: The default grid spans the surface's default learning rates widened by these decades.
GRID_DECADES_BELOW, GRID_DECADES_ABOVE = 2, 1
DEFAULT_GRID_POINTS = 41
#: Learning rates of a sweep: at most this many per optimizer.
MAX_GRID_POINTS = 100_000

GradFn = Callable[[np.ndarray], np.ndarray]


# -- the stepping loop without histories -----------------------------------------------
@dataclass
class Tracked:
    """What a batch of runs ended with (``B`` the batch shape of the start)."""

    final_xy: NDArray  # (*B, 2), NaN where diverged
    final_loss: NDArray  # (*B,), NaN where diverged
    steps_to_tol: NDArray  # (*B,) int: from this step on f - f* < tol; -1: not at the end
    diverged_at: NDArray  # (*B,) int: step where it diverged, -1 if never


def track(
    surface,
    optimizer: Optimizer,
    start: ArrayLike,
    steps: int,
    *,
    tol: float = DEFAULT_TOL,
    grad_fn: GradFn | None = None,
) -> Tracked:
    """Run ``optimizer`` from every start in ``start`` (``(..., 2)``) for ``steps`` steps,
    keeping no history.

    The optimizer is reset first. Divergence follows :func:`optviz.run.run_one`: a start
    whose iterate is non-finite or :data:`~optviz.run.DIVERGENCE_SPANS` domain widths
    outside the domain is frozen (NaN) from that step on. ``steps_to_tol`` is the step
    ``k`` (0 = the start) from which ``f(w_k) - f* < tol`` holds to the end of the run;
    -1 if it does not hold at the end, and always -1 on a surface without a known
    minimum. (A run that passes near the minimum and leaves it again has not converged.)
    """
    steps = check_int("steps", steps, low=1, high=MAX_STEPS)
    tol = check_range("tol", tol, low=0, low_open=True)
    grad_fn = grad_fn or surface.grad
    xy = np.array(start, dtype=np.float64)
    if xy.shape[-1:] != (2,):
        raise ValueError(f"start must have shape (..., 2), got {xy.shape}")
    if not np.all(np.isfinite(xy)):
        raise ValueError("start must be finite")
    batch = xy.shape[:-1]
    fmin = surface.min_value
    optimizer.reset()
    diverged_at = np.full(batch, -1, dtype=np.int64)
    hit = np.full(batch, -1, dtype=np.int64)
    alive = np.ones(batch, dtype=bool)
    with np.errstate(all="ignore"):
        loss = surface.value(xy)
        if fmin is not None:
            hit[loss - fmin < tol] = 0
        for k in range(1, steps + 1):
            optimizer.step(xy, grad_fn(xy))
            loss = surface.value(xy)
            diverged_at[mark_diverged(surface, xy, loss, alive)] = k
            if fmin is not None:
                below = alive & (loss - fmin < tol)
                hit[~below] = -1  # left the tolerance again: not settled
                hit[below & (hit < 0)] = k
            if not np.any(alive):
                break
        loss = np.where(alive, loss, np.nan)
    return Tracked(xy, loss, hit, diverged_at)


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
@dataclass
class SweepCurve:
    """One optimizer over the learning-rate grid."""

    optimizer: str
    label: str
    hyperparameters: dict  # every key but lr; the lr schedule's form under "schedule"
    lr: NDArray  # (N,)
    final_loss: NDArray  # (N,), NaN where diverged
    final_gap: NDArray  # (N,): f - f* (f where there is no known minimum)
    steps_to_tol: NDArray  # (N,) int, -1 if never
    diverged_at: NDArray  # (N,) int, -1 if never
    final_xy: NDArray  # (N, 2)

    @property
    def diverged(self) -> NDArray:
        return self.diverged_at >= 0

    def best_index(self, criterion: str = "steps") -> int | None:
        """Index of the best learning rate by ``criterion`` (:data:`CRITERIA`), or None
        when every learning rate diverged."""
        _check_criterion(criterion)
        ok = ~self.diverged & np.isfinite(self.final_gap)
        if not np.any(ok):
            return None
        idx = np.flatnonzero(ok)
        reached = idx[self.steps_to_tol[idx] >= 0]
        if criterion == "steps" and len(reached):
            order = np.lexsort((self.final_gap[reached], self.steps_to_tol[reached]))
            return int(reached[order[0]])
        return int(idx[np.argmin(self.final_gap[idx])])

    def reached_tol(self, criterion: str = "steps") -> bool:
        i = self.best_index(criterion)
        return i is not None and self.steps_to_tol[i] >= 0


def _int_or_na(a: NDArray) -> pd.api.extensions.ExtensionArray:
    """Whole numbers with -1 ("never") as missing."""
    return pd.array([int(v) if v >= 0 else pd.NA for v in a], dtype="Int64")


def _check_criterion(criterion: str) -> None:
    if criterion not in CRITERIA:
        raise ValueError(
            f"criterion must be one of {', '.join(CRITERIA)}; got {criterion!r}"
        )


@dataclass
class Sweep:
    """A learning-rate sweep on one surface from one start (shapes in
    :class:`SweepCurve`)."""

    surface: str
    start: NDArray  # (2,)
    steps: int
    tol: float
    criterion: str
    curves: list[SweepCurve]
    meta: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.curves)

    def __len__(self) -> int:
        return len(self.curves)

    def __getitem__(self, label: str) -> SweepCurve:
        for c in self.curves:
            if c.label == label:
                return c
        raise KeyError(
            f"no curve {label!r} in this sweep; it has: {', '.join(c.label for c in self)}"
        )

    def best(self) -> dict[str, float | None]:
        """The best learning rate of each optimizer by label (None: all diverged)."""
        out = {}
        for c in self:
            i = c.best_index(self.criterion)
            out[c.label] = None if i is None else float(c.lr[i])
        return out

    def criterion_text(self) -> str:
        return f"{CRITERIA[self.criterion].replace('tol', f'{self.tol:g}')}, within " + (
            f"{self.steps} steps; diverged runs excluded"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per optimizer and learning rate.

        Columns: ``optimizer, label, lr, final_loss, final_gap, steps_to_tol,
        diverged, diverged_at, final_x, final_y, best`` (``steps_to_tol`` and
        ``diverged_at`` empty where never)."""
        frames = []
        for c in self:
            best = np.zeros(len(c.lr), dtype=bool)
            i = c.best_index(self.criterion)
            if i is not None:
                best[i] = True
            frames.append(
                pd.DataFrame(
                    {
                        "optimizer": c.optimizer,
                        "label": c.label,
                        "lr": c.lr,
                        "final_loss": c.final_loss,
                        "final_gap": c.final_gap,
                        "steps_to_tol": _int_or_na(c.steps_to_tol),
                        "diverged": c.diverged,
                        "diverged_at": _int_or_na(c.diverged_at),
                        "final_x": c.final_xy[:, 0],
                        "final_y": c.final_xy[:, 1],
                        "best": best,
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)

    def save_csv(self, path) -> Path:
        """Write :meth:`to_frame` to ``path`` (.csv) atomically."""
        path = check_writable(path, (".csv",))
        with atomic_path(path) as tmp:
            self.to_frame().to_csv(tmp, index=False, float_format="%.17g")
        return path

    def sidecar(self) -> dict:
        """Everything a reader needs to trust the figure: how the learning rates were
        chosen, the budget, the criterion, each optimizer's keys and best rate."""
        from .records import versions

        lrs = self.curves[0].lr if self.curves else np.array([])
        optimizers = []
        for c in self:
            i = c.best_index(self.criterion)
            entry = {
                "optimizer": c.optimizer,
                "label": c.label,
                "hyperparameters": c.hyperparameters,
                "best_lr": None if i is None else float(c.lr[i]),
                "diverged_lrs": int(c.diverged.sum()),
            }
            if i is not None:
                entry["best_final_gap"] = float(c.final_gap[i])
                entry["best_steps_to_tol"] = (
                    int(c.steps_to_tol[i]) if c.steps_to_tol[i] >= 0 else None
                )
            optimizers.append(entry)
        return {
            "kind": "lr sweep",
            "surface": self.surface,
            "start": np.asarray(self.start).tolist(),
            "steps": self.steps,
            "seed": None,
            "randomness": "none: full-batch gradients on an analytic surface",
            "learning_rates": {
                "how": self.meta.get("lr_how", "given"),
                "spacing": "log",
                "min": float(lrs.min()) if len(lrs) else None,
                "max": float(lrs.max()) if len(lrs) else None,
                "n": int(len(lrs)),
            },
            "tol": self.tol,
            "criterion": self.criterion,
            "criterion_text": self.criterion_text(),
            "optimizers": optimizers,
            "meta": {k: v for k, v in self.meta.items() if k != "lr_how"},
            "versions": versions(),
        }


def _hyper_without_lr(opt: Optimizer) -> dict:
    hyper = opt.hyperparameters()
    hyper.pop("lr", None)
    if isinstance(opt.lr, Schedule):
        hyper["schedule"] = repr(opt.lr.with_lr(1.0)).replace("lr=1", "lr=α")
    return hyper


def lr_sweep(
    surface,
    optimizers: Mapping[str, Optimizer] | Sequence[Optimizer] | Optimizer,
    lrs: ArrayLike | Mapping[str, ArrayLike],
    *,
    steps: int | None = None,
    start: ArrayLike | None = None,
    tol: float = DEFAULT_TOL,
    criterion: str = "steps",
    lr_how: str = "given",
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
    """
    _check_criterion(criterion)
    pairs = _labelled(optimizers)
    if not pairs:
        raise ValueError("no optimizers given")
    start = np.asarray(surface.start if start is None else start, dtype=np.float64)
    if start.shape != (2,):
        raise ValueError(f"a sweep runs from one start of shape (2,), got {start.shape}")
    steps = surface.steps if steps is None else steps
    curves = []
    for label, proto in pairs:
        grid = lrs[label] if isinstance(lrs, Mapping) else lrs
        grid = np.asarray(grid, dtype=np.float64)
        if grid.ndim != 1 or len(grid) == 0:
            raise ValueError(
                f"learning rates must be a non-empty 1-D array, got {grid.shape}"
            )
        check_range("lr", grid, low=0, low_open=True)
        opt = with_lr(proto, grid[:, None])  # (N, 1) against params (N, 2)
        res = track(surface, opt, np.broadcast_to(start, (len(grid), 2)), steps, tol=tol)
        fmin = surface.min_value
        gap = res.final_loss if fmin is None else res.final_loss - fmin
        curves.append(
            SweepCurve(
                optimizer=proto.name,
                label=label,
                hyperparameters=_hyper_without_lr(proto),
                lr=grid,
                final_loss=res.final_loss,
                final_gap=gap,
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


# -- figure sidecars ---------------------------------------------------------------------
def figure_sidecar_path(path) -> Path:
    """The JSON sidecar of a figure: ``sweep.png`` -> ``sweep.png.json`` (a name no
    record's sidecar, ``sweep.json`` of ``sweep.csv``, can collide with)."""
    path = Path(path)
    return path.with_name(path.name + ".json")


def write_sidecar(path, info: dict) -> Path:
    """Write ``info`` as JSON next to figure ``path`` (see :func:`figure_sidecar_path`),
    atomically. Returns the sidecar's path."""
    side = check_writable(figure_sidecar_path(path))
    info = {"figure": Path(path).name, **info}
    with atomic_path(side) as tmp:
        tmp.write_text(json.dumps(info, indent=2, default=_jsonable) + "\n")
    return side


def _jsonable(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    return repr(value)


def describe_lr(opt: Optimizer) -> str:
    """``α=0.05`` or the schedule's repr, for figure labels."""
    return f"α={describe(opt.lr)}" if not isinstance(opt.lr, Schedule) else repr(opt.lr)
