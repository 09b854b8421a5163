"""The budget options every command shares, and the checks that use them.

``@budget_options`` adds ``--max-minutes`` and ``--max-memory`` to a command and keeps
their values on the click context; :func:`check_budget` compares an estimate from
:mod:`optviz.budget` with them before any work (a one-line error otherwise).
"""

from __future__ import annotations

import functools
import time

import click

from ..budget import DEFAULT_MINUTES, MEMORY_HELP, MINUTES_HELP, check

__all__ = [
    "budget_options",
    "check_budget",
    "point_seconds",
    "n_optimizers",
    "tune_cost",
    "lesson_cost",
    "TUNE_MINUTES",
]

_KEY = "optviz.budget"
#: Points of the surface probe (see :func:`point_seconds`) and how often it is repeated.
_PROBE_POINTS, _PROBE_REPEATS = 4096, 3


def budget_options(f=None, *, minutes: float = DEFAULT_MINUTES):
    """``--max-minutes`` (default ``minutes``) and ``--max-memory``, stored for
    :func:`check_budget`."""
    if f is None:
        return functools.partial(budget_options, minutes=minutes)

    @functools.wraps(f)
    def wrapper(*args, max_minutes, max_memory, **kwargs):
        limits = (minutes if max_minutes is None else max_minutes, max_memory)
        click.get_current_context().meta[_KEY] = limits
        return f(*args, **kwargs)

    wrapper = click.option(
        "--max-memory",
        type=click.FloatRange(0, min_open=True),
        default=None,
        metavar="GB",
        help=MEMORY_HELP,
    )(wrapper)
    return click.option(
        "--max-minutes",
        type=click.FloatRange(0, min_open=True),
        default=None,
        metavar="MINUTES",
        help=MINUTES_HELP.format(minutes=minutes),
    )(wrapper)


def check_budget(estimate) -> None:
    """Refuse ``estimate`` above the command's ``--max-minutes`` / ``--max-memory``."""
    ctx = click.get_current_context(silent=True)
    max_minutes, max_memory = (ctx.meta.get(_KEY) if ctx else None) or (None, None)
    check(estimate, max_minutes=max_minutes, max_memory_gb=max_memory)


def n_optimizers(specs) -> int:
    """How many optimizers ``specs`` run (the five defaults when none is given)."""
    from ..optimizers import DEFAULT_OPTIMIZERS

    return len(specs) or len(DEFAULT_OPTIMIZERS)


def point_seconds(surface) -> float:
    """Seconds of the surface's value and gradient at one point, measured on a small
    batch (the fastest of a few tries): surfaces differ a hundredfold (a data-built
    one evaluates every data point)."""
    import numpy as np

    (x0, x1), (y0, y1) = surface.domain
    rng = np.random.default_rng(0)
    xy = np.stack(
        [rng.uniform(x0, x1, _PROBE_POINTS), rng.uniform(y0, y1, _PROBE_POINTS)], axis=-1
    )
    best = float("inf")
    with np.errstate(all="ignore"):
        for _ in range(_PROBE_REPEATS):
            t = time.perf_counter()
            surface.value(xy)
            surface.grad(xy)
            best = min(best, time.perf_counter() - t)
    return best / _PROBE_POINTS


def training_cost(
    dataset, specs, *, epochs, batch_size, seed, seeds, limit, snapshot_every, dtype
):
    """The :func:`optviz.budget.training` estimate of ``optviz train``: the data set
    is loaded to count its images (the digits are cached; a folder of IDX files is
    read twice), the network built to count the parameters that snapshots keep."""
    import numpy as np

    from .. import budget
    from ..nn.data import load_dataset
    from ..nn.model import default_cnn

    data = load_dataset(dataset, seed=seed, limit=limit, dtype=np.dtype(dtype))
    images = len(data.y_train)
    steps = epochs * -(-images // batch_size)
    if snapshot_every is None:
        snapshots = 0
    else:
        snapshots = 1 + (epochs if snapshot_every == "epoch" else steps // snapshot_every)
    net = default_cnn(data.image_shape, data.n_classes, dtype=np.dtype(dtype))
    weights = sum(p.nbytes for p in net.parameters())
    networks = n_optimizers(specs) * seeds
    return budget.training(
        networks,
        epochs,
        images,
        data_bytes=data.x_train.nbytes + data.x_val.nbytes,
        snapshot_bytes=networks * snapshots * weights,
    )


# -- the tuning protocol (optviz tune) ------------------------------------------------
#: The time limit of ``optviz tune`` when ``--max-minutes`` is not given: the whole
#: suite's defaults (``--all``) take a few minutes on a loaded 2-core machine.
TUNE_MINUTES = 10.0
#: The widenings and zooms add configurations and runs to the first grids: the
#: defaults over every surface ran 25,267 configurations for 12,800 in the first grids
#: (2x) in 259 runs for 100 searches (2.6 each).
TUNE_GROWTH, TUNE_RUNS = 2.0, 3
#: A run's own cost per step (the optimizer's checks, the surface's call, the
#: bookkeeping), whatever its size: one configuration of SGD on booth, 16 starts,
#: 1,000 steps took 0.49 ms a step at load average 7 (cProfile: python
#: benchmarks/../tune step); and per configuration-start and step, besides the
#: surface's value and gradient (:func:`point_seconds`), the update and the
#: bookkeeping: 120 configurations took 0.35 ms a step more, 185 ns per point with
#: booth's value and gradient.
TUNE_RUN_STEP_SECONDS, TUNE_POINT_STEP_SECONDS = 0.5e-3, 100e-9
#: Bytes per configuration-start of a run (counted, not measured): the iterate, its
#: gradient, the optimizer's state and a few temporaries (14 floats), and what is kept
#: per budget (the step, the gap, the area, diverged: 25 B).
TUNE_POINT_BYTES, TUNE_BUDGET_BYTES = 112, 25


def tune_cost(surfaces, specs, grids, starts: int, budgets, workers: int):
    """The :class:`~optviz.budget.Estimate` of ``optviz tune``: per surface and
    optimizer, its first grid's configurations x ``starts`` x the largest budget
    (:func:`optviz.tuning.protocol.plan`), grown by the widenings and zooms, each
    point-step at the loop's cost plus the surface's (:func:`point_seconds`), and
    each run's own cost per step; shared by ``workers`` processes."""
    from .. import budget
    from ..optimizers import DEFAULT_OPTIMIZERS
    from ..tuning.protocol import plan

    steps = max(budgets)
    tasks, _ = plan(surfaces, list(specs) or DEFAULT_OPTIMIZERS, grids, starts, budgets)
    cost = {s.name: point_seconds(s) for s in surfaces}
    seconds, largest, configs = 0.0, 0, 0
    for surface, _label, _proto, axes in tasks:
        n = 1
        for values in axes.values():
            n *= len(values)
        configs += n
        points = TUNE_GROWTH * n * starts
        largest = max(largest, points)
        per_point = TUNE_POINT_STEP_SECONDS + cost[surface.name]
        seconds += steps * (TUNE_RUNS * TUNE_RUN_STEP_SECONDS + points * per_point)
    workers = max(1, min(workers, len(tasks)))
    size = largest * (TUNE_POINT_BYTES + TUNE_BUDGET_BYTES * len(budgets))
    return budget.Estimate(
        f"{len(tasks):,} search{'es' if len(tasks) != 1 else ''} of {configs:,} settings "
        f"x {starts:,} starts x "
        f"{steps:,} steps",
        budget.BASE_SECONDS + seconds / workers,
        budget.BASE_BYTES + workers * (budget.WORKER_BYTES + size),
    )


#: ``optviz lesson``: its figure's own computation (a few runs or a small network),
#: whatever the name, and a figure's memory: the slowest, convolution, took 22 s and
#: the slowest animation (adaptive-lr) 17 s at load average 9 (the other 31 at most
#: 10 s).
LESSON_SECONDS = 30.0


def lesson_cost(name: str):
    """The :class:`~optviz.budget.Estimate` of ``optviz lesson NAME``: one teaching
    figure, each at most :data:`LESSON_SECONDS`."""
    from .. import budget

    return budget.Estimate(
        f"the {name} lesson (one figure)",
        budget.BASE_SECONDS + LESSON_SECONDS,
        budget.BASE_BYTES,
    )
