"""Run optimizers on a surface, from one start or a whole batch of starts at once.

There is ONE stepping loop, :func:`step_loop`; what it keeps is up to a recorder:
:class:`HistoryRecorder` (every iterate, for figures: :func:`run_one`,
:func:`run_surface`) or :class:`FinalRecorder` (final points and steps to tolerance,
for sweeps and start maps: :func:`track`). The loss gap :math:`f - f^*` is made in one
place, :func:`loss_gap`.

A recorder is any object with ``begin(surface, xy, loss, steps)`` (the start),
``gradient(k, g, alive)`` (the gradient at iterate ``k``; ``None`` to skip gradients),
``record(k, xy, loss, alive, optimizer)`` (after step ``k``) and
``result(optimizer, xy, loss, alive, diverged_at)`` (what the loop returns).

>>> from optviz.surfaces import get
>>> from optviz.optimizers import Adam, SGD
>>> run = run_surface(get("rosenbrock"), {"sgd": SGD(lr=1e-3), "adam": Adam(lr=0.05)},
...                   steps=100)
>>> run["adam"].xy.shape
(101, 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import check_int, check_range
from ._shared import MAX_STEPS
from .classical import ClassicalMethod
from .optimizers import Optimizer
from .records import Run, Trajectory

__all__ = [
    "run_surface",
    "run_one",
    "track",
    "step_loop",
    "HistoryRecorder",
    "FinalRecorder",
    "Tracked",
    "loss_gap",
    "outside",
    "mark_diverged",
    "scaled_progress",
    "DIVERGENCE_SPANS",
    "MAX_STEPS",
    "DEFAULT_TOL",
]

#: A point further outside the domain than this many domain widths has diverged.
DIVERGENCE_SPANS = 10.0

#: f - f* below this counts as converged (the default of sweeps and maps).
DEFAULT_TOL = 1e-6
#: The loop reports its progress about this many times per run.
PROGRESS_REPORTS = 100

GradFn = Callable[[np.ndarray], np.ndarray]
#: ``progress(done, total)``: steps done so far of ``total``.
Progress = Callable[[int, int], None]


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


def loss_gap(surface, loss: np.ndarray) -> np.ndarray:
    """:math:`f - f^*`: ``loss`` minus the surface's global minimum value (``loss``
    itself on a surface without a known minimum): :meth:`Surface.gap`."""
    return surface.gap(loss)


def _gradient_fn(surface) -> GradFn:
    """What the optimizers see: the surface's (noisy, freshly seeded) gradient."""
    fn = getattr(surface, "gradient_fn", None)
    return fn() if fn is not None else surface.grad


def _state_arrays(optimizer: Optimizer) -> dict[str, np.ndarray]:
    state = optimizer.state[0]
    return {  # a per-step number (NAdam's Π) at the parameter's shape, as in a checkpoint
        k: np.broadcast_to(v, state.shape).copy() if k in optimizer.per_step else v.copy()
        for k, v in vars(state).items()
        if isinstance(v, np.ndarray) and k != "shape"
    }


# -- recorders: what the loop keeps ------------------------------------------------------
class HistoryRecorder:
    """Keeps everything, for figures: every iterate, loss, gradient, effective learning
    rate (and, with ``state``, the optimizer's state) -> a :class:`Trajectory`."""

    def __init__(self, *, state: bool = False, label: str | None = None) -> None:
        self.state, self.label = state, label

    def begin(self, surface, xy, loss, steps: int) -> None:
        batch = xy.shape[:-1]
        self.xy = np.full((steps + 1, *batch, 2), np.nan)
        self.loss = np.full((steps + 1, *batch), np.nan)
        self.grad = np.full((steps + 1, *batch, 2), np.nan)
        self.lr = np.full((steps + 1, *batch, 2), np.nan)
        self.states: dict[str, np.ndarray] = {}
        self.xy[0] = xy
        self.loss[0] = loss

    def gradient(self, k: int, g, alive) -> None:
        """``g`` at iterate ``k`` (it drives step k+1)."""
        self.grad[k] = np.where(alive[..., None], g, np.nan)

    def record(self, k: int, xy, loss, alive, optimizer) -> None:
        self.lr[k] = optimizer.effective_lr()
        if self.state:
            for key, value in _state_arrays(optimizer).items():
                if key not in self.states:
                    self.states[key] = np.full((len(self.xy), *value.shape), np.nan)
                self.states[key][k] = value
        self.xy[k] = xy
        self.loss[k] = np.where(alive, loss, np.nan)

    def result(self, optimizer, xy, loss, alive, diverged_at) -> Trajectory:
        # A run that stopped early keeps its full length: NaN after the stop.
        name = getattr(optimizer, "name", type(optimizer).__name__.lower())
        return Trajectory(
            optimizer=name,
            label=self.label or name,
            hyperparameters=optimizer.hyperparameters(),
            xy=self.xy,
            loss=self.loss,
            grad=self.grad,
            lr=self.lr,
            diverged_at=diverged_at,
            state=self.states,
        )


@dataclass
class Tracked:
    """What a batch of runs ended with (``B`` the batch shape of the start): the stepping
    loop's return value under a :class:`FinalRecorder`, not a figure's data. The
    computations over many runs put it into their records (a :class:`~optviz.records.
    Sweep`'s curves, a :class:`~optviz.records.StartMap`'s panels, a
    :class:`~optviz.records.Tuned`'s searches), which figures draw and which save and
    load; nothing draws a Tracked."""

    final_xy: NDArray  # (*B, 2), NaN where diverged
    final_loss: NDArray  # (*B,), NaN where diverged
    steps_to_tol: NDArray  # (*B,) int: from this step on f - f* < tol; -1: not at the end
    diverged_at: NDArray  # (*B,) int: step where it diverged, -1 if never


class FinalRecorder:
    """Keeps no history, for sweeps and maps: the final point and loss, and the step
    from which :math:`f - f^* <` ``tol`` holds to the end -> a :class:`Tracked`."""

    gradient = None  # the gradients are not kept

    def __init__(self, tol: float) -> None:
        self.tol = check_range("tol", tol, low=0, low_open=True)

    def begin(self, surface, xy, loss, steps: int) -> None:
        self.surface = surface
        self.known = surface.min_value is not None
        self.hit = np.full(xy.shape[:-1], -1, dtype=np.int64)
        if self.known:
            self.hit[loss_gap(surface, loss) < self.tol] = 0

    def record(self, k: int, xy, loss, alive, optimizer) -> None:
        if self.known:
            below = alive & (loss_gap(self.surface, loss) < self.tol)
            self.hit[~below] = -1  # left the tolerance again: not settled
            self.hit[below & (self.hit < 0)] = k

    def result(self, optimizer, xy, loss, alive, diverged_at) -> Tracked:
        return Tracked(xy, np.where(alive, loss, np.nan), self.hit, diverged_at)


def progress_every(steps: int) -> int:
    """How often the loop reports progress: at most :data:`PROGRESS_REPORTS` times."""
    return max(1, -(-steps // PROGRESS_REPORTS))


# -- the loop ------------------------------------------------------------------------------
def step_loop(
    surface,
    optimizer: Optimizer,
    start: ArrayLike,
    steps: int,
    recorder,
    *,
    grad_fn: GradFn | None = None,
    progress: Progress | None = None,
):
    """THE stepping loop: run ``optimizer`` from every start in ``start`` (``(..., 2)``)
    for ``steps`` steps, all starts in one vectorised step, and hand each step to
    ``recorder`` (:class:`HistoryRecorder` for figures, :class:`FinalRecorder` for
    sweeps and maps). Returns ``recorder.result(...)``.

    The optimizer is reset first. A start whose iterate is non-finite or
    :data:`DIVERGENCE_SPANS` domain widths outside the domain, or whose loss is not
    finite, diverged: it is frozen (NaN) from that step on. The run stops early once
    every start has diverged. ``progress(done, total)`` is called every
    :func:`progress_every` steps and once at the end.
    """
    steps = check_int("steps", steps, low=1, high=MAX_STEPS)
    grad_fn = grad_fn or _gradient_fn(surface)
    xy = np.array(start, dtype=np.float64)
    if xy.shape[-1:] != (2,):
        raise ValueError(f"start must have shape (..., 2), got {xy.shape}")
    if not np.all(np.isfinite(xy)):
        raise ValueError("start must be finite")
    batch = xy.shape[:-1]
    optimizer.reset()
    diverged_at = np.full(batch, -1, dtype=np.int64)
    alive = np.ones(batch, dtype=bool)
    every = progress_every(steps)
    with np.errstate(all="ignore"):
        loss = surface.value(xy)
        recorder.begin(surface, xy, loss, steps)
        last = steps
        for k in range(1, steps + 1):
            g = grad_fn(xy)
            if recorder.gradient is not None:
                recorder.gradient(k - 1, g, alive)
            optimizer.step(xy, g, points=True)
            loss = surface.value(xy)
            diverged_at[mark_diverged(surface, xy, loss, alive)] = k
            recorder.record(k, xy, loss, alive, optimizer)
            if progress is not None and k % every == 0 and k < steps:
                progress(k, steps)
            if not np.any(alive):
                last = k
                break
        if last == steps and recorder.gradient is not None:
            recorder.gradient(steps, grad_fn(xy), alive)
    if progress is not None:
        progress(steps, steps)
    return recorder.result(optimizer, xy, loss, alive, diverged_at)


def run_one(
    surface,
    optimizer: Optimizer,
    start: ArrayLike,
    steps: int,
    *,
    grad_fn: GradFn | None = None,
    label: str | None = None,
    record_state: bool = False,
    progress: Progress | None = None,
) -> Trajectory:
    """Run one optimizer for ``steps`` steps from ``start`` (shape ``(..., 2)``),
    keeping every iterate: :func:`step_loop` with a :class:`HistoryRecorder`."""
    recorder = HistoryRecorder(state=record_state, label=label)
    return step_loop(
        surface, optimizer, start, steps, recorder, grad_fn=grad_fn, progress=progress
    )


def track(
    surface,
    optimizer: Optimizer,
    start: ArrayLike,
    steps: int,
    *,
    tol: float = DEFAULT_TOL,
    grad_fn: GradFn | None = None,
    progress: Progress | None = None,
) -> Tracked:
    """Run ``optimizer`` from every start in ``start`` (``(..., 2)``) for ``steps``
    steps, keeping no history: :func:`step_loop` with a :class:`FinalRecorder`.

    ``steps_to_tol`` is the step ``k`` (0 = the start) from which ``f(w_k) - f* < tol``
    holds to the end of the run; -1 if it does not hold at the end, and always -1 on a
    surface without a known minimum. (A run that passes near the minimum and leaves it
    again has not converged.)
    """
    recorder = FinalRecorder(tol)
    return step_loop(
        surface, optimizer, start, steps, recorder, grad_fn=grad_fn, progress=progress
    )


def scaled_progress(progress: Progress | None, index: int, count: int):
    """A ``progress`` callback for part ``index`` of ``count`` equal parts of a job
    (one optimizer of several): it reports the progress of the whole job."""
    if progress is None:
        return None

    def report(done: int, total: int) -> None:
        progress(index * total + done, count * total)

    return report


Optimizers = Mapping[str, "Optimizer | str"] | Sequence["Optimizer | str"] | Optimizer | str


def _built(item, surface, steps) -> Optimizer:
    """An Optimizer (or ClassicalMethod) as given, or built from a registry name or
    SPEC (``"adam"``, ``"adam:lr=0.1"``) with the surface's default learning rate."""
    if isinstance(item, (Optimizer, ClassicalMethod)):
        return item
    if isinstance(item, str):
        from .spec import build_optimizer

        return build_optimizer(item, surface, steps=steps)[1]
    raise ValueError(
        "optimizers must be Optimizer instances or names/SPECs such as 'adam' or "
        f"'adam:lr=0.1', got {type(item).__name__}"
    )


def labelled_optimizers(
    optimizers: Optimizers, surface=None, steps=None, *, classical: bool = False
) -> list[tuple[str, Optimizer]]:
    """(label, optimizer) pairs from a mapping, a sequence or one optimizer; names and
    SPECs are built (labels as :func:`optviz.spec.build_optimizers` gives them).
    Classical methods (``bfgs``, ...) only with ``classical`` (else a one-line error:
    they cannot step one gradient at a time)."""
    pairs = _labelled(optimizers, surface, steps)
    for label, opt in pairs:
        if isinstance(opt, ClassicalMethod) and not classical:
            raise ValueError(
                f"{label} is a classical method (scipy.optimize, run to the end): it "
                "is drawn in compare and animate runs, not stepped here; use a step "
                "optimizer (sgd, momentum, nesterov, adagrad, rmsprop, adam, ...)"
            )
    return pairs


def _labelled(optimizers: Optimizers, surface, steps) -> list[tuple[str, Optimizer]]:
    if isinstance(optimizers, (Optimizer, ClassicalMethod, str)):
        optimizers = [optimizers]
    if isinstance(optimizers, Mapping):
        return [(str(k), _built(v, surface, steps)) for k, v in optimizers.items()]
    optimizers = list(optimizers)
    if optimizers and all(isinstance(o, str) for o in optimizers):
        from .spec import build_optimizers

        return list(build_optimizers(optimizers, surface, steps=steps).items())
    built = [_built(o, surface, steps) for o in optimizers]
    names = [o.name for o in built]
    return [
        (
            o.name
            if names.count(o.name) == 1
            else f"{o.name} #{names[: i + 1].count(o.name)}",
            o,
        )
        for i, o in enumerate(built)
    ]


def run_surface(
    surface,
    optimizers: Optimizers,
    *,
    start: ArrayLike | None = None,
    steps: int | None = None,
    batch_size: int | None = None,
    seed: int | None = 0,
    record_state: bool = False,
    progress: Progress | None = None,
) -> Run:
    """Run each optimizer on ``surface`` from the same start(s); return a :class:`Run`.

    Parameters
    ----------
    surface : surfaces.Surface
    optimizers : mapping label -> Optimizer, a sequence of Optimizers, or names
        Each is reset before it runs. A registry name or SPEC (``"adam"``,
        ``["sgd", "adam:lr=0.1"]``) is built with the surface's default learning rate.
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
        Also record the optimizer's state (``v``, ``r``, ``s``, ...) after every step
        (classical methods, which have none, are then refused).
    progress : callable, optional
        ``progress(done, total)`` over the steps of all optimizers together.
    """
    start = np.asarray(surface.start if start is None else start, dtype=np.float64)
    steps = surface.steps if steps is None else steps
    pairs = labelled_optimizers(optimizers, surface, steps, classical=not record_state)
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
    for i, (label, opt) in enumerate(pairs):
        if isinstance(opt, ClassicalMethod):
            trajectories.append(opt.run(surface, start, steps, label=label))
            continue
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
                progress=scaled_progress(progress, i, len(pairs)),
            )
        )
    meta = {"batch_size": batch_size, "surface_params": dict(surface.params)}
    return Run(surface.name, start, trajectories, seed=seed, meta=meta)
