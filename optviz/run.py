"""Run optimizers on a surface, from one start or a whole batch of starts at once.

>>> from optviz.surfaces import get
>>> from optviz.optimizers import Adam, SGD
>>> run = run_surface(get("rosenbrock"), {"sgd": SGD(lr=1e-3), "adam": Adam(lr=0.05)},
...                   steps=100)
>>> run["adam"].xy.shape
(101, 2)
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from ._checks import check_int
from .optimizers import Optimizer
from .records import Run, Trajectory

__all__ = [
    "run_surface",
    "run_one",
    "outside",
    "mark_diverged",
    "DIVERGENCE_SPANS",
    "MAX_STEPS",
]

#: A point further outside the domain than this many domain widths has diverged.
DIVERGENCE_SPANS = 10.0
#: More steps than this is a mistake, not a teaching figure.
MAX_STEPS = 1_000_000

GradFn = Callable[[np.ndarray], np.ndarray]


def outside(surface, xy: np.ndarray, spans: float = DIVERGENCE_SPANS) -> np.ndarray:
    """True where ``xy`` (``(..., 2)``) is non-finite or more than ``spans`` domain
    widths outside the surface's domain."""
    (x0, x1), (y0, y1) = surface.domain
    margin = spans * max(x1 - x0, y1 - y0)
    with np.errstate(invalid="ignore"):
        x, y = xy[..., 0], xy[..., 1]
        inside = (x >= x0 - margin) & (x <= x1 + margin)
        inside &= (y >= y0 - margin) & (y <= y1 + margin)
    return ~inside  # NaN compares False, so it counts as outside


def mark_diverged(surface, xy: np.ndarray, loss: np.ndarray, alive: np.ndarray):
    """The starts that diverged in this step: alive, and now outside (see
    :func:`outside`) or with a non-finite loss. Freezes them in place: their rows of
    ``xy`` become NaN (NaN stays NaN through every update) and ``alive`` is cleared
    there. Returns that mask (shape of ``alive``)."""
    bad = alive & (outside(surface, xy) | ~np.isfinite(loss))
    if np.any(bad):
        alive &= ~bad
        xy[bad] = np.nan
    return bad


def _state_arrays(optimizer: Optimizer) -> dict[str, np.ndarray]:
    state = optimizer.state[0]
    return {
        k: v.copy()
        for k, v in vars(state).items()
        if isinstance(v, np.ndarray) and k != "shape"
    }


def run_one(
    surface,
    optimizer: Optimizer,
    start: ArrayLike,
    steps: int,
    *,
    grad_fn: GradFn | None = None,
    label: str | None = None,
    record_state: bool = False,
) -> Trajectory:
    """Run one optimizer for ``steps`` steps from ``start`` (shape ``(..., 2)``).

    The optimizer is reset first. Every start advances in the same vectorised step;
    a start that diverges (non-finite, or :data:`DIVERGENCE_SPANS` domain widths
    outside the domain) is frozen there and recorded as NaN from that step on. The run
    stops early once every start has diverged.
    """
    steps = check_int("steps", steps, low=1, high=MAX_STEPS)
    grad_fn = grad_fn or surface.grad
    xy = np.array(start, dtype=np.float64)
    if xy.shape[-1:] != (2,):
        raise ValueError(f"start must have shape (..., 2), got {xy.shape}")
    if not np.all(np.isfinite(xy)):
        raise ValueError("start must be finite")
    batch = xy.shape[:-1]
    optimizer.reset()

    rec_xy = np.full((steps + 1, *batch, 2), np.nan)
    rec_loss = np.full((steps + 1, *batch), np.nan)
    rec_grad = np.full((steps + 1, *batch, 2), np.nan)
    rec_lr = np.full((steps + 1, *batch, 2), np.nan)
    rec_state: dict[str, np.ndarray] = {}
    diverged_at = np.full(batch, -1, dtype=np.int64)
    alive = np.ones(batch, dtype=bool)

    with np.errstate(all="ignore"):
        rec_xy[0] = xy
        rec_loss[0] = surface.value(xy)
        last = steps
        for k in range(1, steps + 1):
            g = grad_fn(xy)
            rec_grad[k - 1] = np.where(alive[..., None], g, np.nan)
            optimizer.step(xy, g)
            rec_lr[k] = optimizer.effective_lr()
            if record_state:
                for key, value in _state_arrays(optimizer).items():
                    if key not in rec_state:
                        rec_state[key] = np.full((steps + 1, *value.shape), np.nan)
                    rec_state[key][k] = value
            loss = surface.value(xy)
            diverged_at[mark_diverged(surface, xy, loss, alive)] = k
            rec_xy[k] = xy
            rec_loss[k] = np.where(alive, loss, np.nan)
            if not np.any(alive):
                last = k
                break
        if last == steps:
            rec_grad[steps] = np.where(alive[..., None], grad_fn(xy), np.nan)

    # A run that stopped early keeps its full length: NaN after the stop.
    name = getattr(optimizer, "name", type(optimizer).__name__.lower())
    return Trajectory(
        optimizer=name,
        label=label or name,
        hyperparameters=optimizer.hyperparameters(),
        xy=rec_xy,
        loss=rec_loss,
        grad=rec_grad,
        lr=rec_lr,
        diverged_at=diverged_at,
        state=rec_state,
    )


def _labelled(optimizers) -> list[tuple[str, Optimizer]]:
    if isinstance(optimizers, Optimizer):
        optimizers = [optimizers]
    if isinstance(optimizers, Mapping):
        return list(optimizers.items())
    names = [o.name for o in optimizers]
    return [
        (
            o.name
            if names.count(o.name) == 1
            else f"{o.name} #{names[: i + 1].count(o.name)}",
            o,
        )
        for i, o in enumerate(optimizers)
    ]


def run_surface(
    surface,
    optimizers: Mapping[str, Optimizer] | Sequence[Optimizer] | Optimizer,
    *,
    start: ArrayLike | None = None,
    steps: int | None = None,
    batch_size: int | None = None,
    seed: int | None = 0,
    record_state: bool = False,
) -> Run:
    """Run each optimizer on ``surface`` from the same start(s); return a :class:`Run`.

    Parameters
    ----------
    surface : surfaces.Surface
    optimizers : mapping label -> Optimizer, or a sequence of Optimizers
        Each is reset before it runs.
    start : (..., 2), optional
        One start or a batch of starts; the surface's default start if omitted.
    steps : int, optional
        The surface's default number of steps if omitted.
    batch_size : int, optional
        For data-built surfaces (``linear_regression``): mini-batch gradients of this
        size, drawn without repetition within an epoch. Every optimizer sees the same
        sequence of mini-batches (same ``seed``).
    seed : int
        Seeds the mini-batch draws.
    record_state : bool
        Also record the optimizer's state (``v``, ``r``, ``s``, ...) after every step.
    """
    start = np.asarray(surface.start if start is None else start, dtype=np.float64)
    steps = surface.steps if steps is None else steps
    pairs = _labelled(optimizers)
    if not pairs:
        raise ValueError("no optimizers given")
    if batch_size is not None:
        if surface.minibatch is None:
            raise ValueError(
                f"surface {surface.name!r} has no data, so no mini-batches; "
                "batch_size only applies to data-built surfaces (linear_regression)"
            )
        check_int("batch_size", batch_size, low=1)
    trajectories = []
    for label, opt in pairs:
        grad_fn = None
        if batch_size is not None:
            grad_fn = surface.minibatch(batch_size, np.random.default_rng(seed))
        trajectories.append(
            run_one(
                surface,
                opt,
                start,
                steps,
                grad_fn=grad_fn,
                label=label,
                record_state=record_state,
            )
        )
    meta = {"batch_size": batch_size, "surface_params": dict(surface.params)}
    return Run(surface.name, start, trajectories, seed=seed, meta=meta)
