"""Work budgets: what a command will cost, estimated before it starts.

Every command estimates its work from its options (steps x optimizers x starts x the
surface's cost; images x epochs x networks; workers x memory; a page's optimizers x
steps) and, before any work, refuses above a stated limit with a one-line error that
gives the estimate and the option that raises the limit. One mechanism for every
command: an :class:`Estimate` and :func:`check`. Numerics-free (stdlib only), so the
command line can check a budget before it imports NumPy.

The constants are measured, not guessed: each says how (``/usr/bin/time -v`` on a
2-core x86-64 Linux machine, mostly while other jobs loaded it 3-5x, so most times
are on the slow side: a budget refuses a little early rather than late). An estimate
is an estimate: the limits are generous multiples of what the defaults need.

>>> est = Estimate("5 optimizers x 1,000 steps", seconds=30.0, bytes=2e8)
>>> check(est, max_minutes=10, max_memory_gb=1)
>>> check(est, max_minutes=0.1, max_memory_gb=1)
Traceback (most recent call last):
...
optviz.budget.BudgetError: 5 optimizers x 1,000 steps: about 30 s and 200 MB, \
above the limit of 6 s; raise it with --max-minutes 1
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

__all__ = [
    "Estimate",
    "BudgetError",
    "check",
    "check_page",
    "cap_workers",
    "available_memory",
    "surface_runs",
    "start_map",
    "lr_sweep",
    "training",
    "landscape",
    "DEFAULT_MINUTES",
    "CNN_MINUTES",
    "PAGE_MAX_STEPS",
    "PAGE_MAX_OPTIMIZER_STEPS",
    "WORKER_BYTES",
    "GALLERY_WORKER_BYTES",
    "MINUTES_HELP",
    "MEMORY_HELP",
]

#: The time limit when ``--max-minutes`` is not given: a figure of analytic surfaces
#: (whose defaults take seconds), and a CNN's training (whose defaults take minutes).
DEFAULT_MINUTES = 3.0
CNN_MINUTES = 30.0
#: The memory limit when ``--max-memory`` is not given: the memory available now (this
#: share of it, as the process's own footprint and the OS need the rest).
AVAILABLE_SHARE = 0.9
#: Without a way to read the memory available, this many bytes.
FALLBACK_MEMORY = 4 << 30

MINUTES_HELP = (
    "Refuse, before any work, what is estimated to take longer than this "
    "[default: {minutes:g}]."
)
MEMORY_HELP = (
    "Refuse, before any work, what is estimated to need more memory than this many GB "
    f"[default: {AVAILABLE_SHARE:.0%} of the memory available]."
)

# -- measured costs --------------------------------------------------------------------
# Surface runs (compare, lr, animate): per optimizer-step, the stepping loop's own cost
# and the figure's. Memory: `/usr/bin/time -v optviz compare --steps 200000` (5
# optimizers, rosenbrock) used 300 MB, `--steps 1000` 112 MB: 190 B per optimizer-step
# (the issue's `--steps 1000000`: 1.08 GB, 216 B); `optviz lr --steps 200000`, which
# records the state too, 533 MB: 420 B. Time: `compare --steps 1000000` took 4.6 min on
# an idle 2-core machine (55 us per optimizer-step); here, loaded 3-5x by other jobs,
# `--steps 200000` took 4.7 min and `lr --steps 200000` 7.3 min (1.55x as much).
STEP_SECONDS, STATE_STEP_SECONDS = 55e-6, 85e-6
STEP_BYTES, STATE_STEP_BYTES = 220, 450
#: A command's fixed cost (Python, NumPy, matplotlib, one figure): `compare --steps
#: 1000` took 4.8 s and 112 MB.
BASE_SECONDS, BASE_BYTES = 5.0, 120e6
# Vectorised runs (map, sweep): each optimizer-step costs the loop's own overhead
# (STEP_SECONDS) plus, per point, the surface's value and gradient, which the caller
# measures for its surface (rosenbrock: 80 ns idle, 330 ns here loaded) and a little
# arithmetic. Memory: `optviz map --grid 200 --steps 100` used 139 MB, `--grid 600`
# 307 MB: 105 B per optimizer-start (the issue's `--grid 2000`: 2.3 GB, 115 B);
# `optviz sweep --steps 2000` 113 MB, `--steps 20000` 127 MB: 3.5 B per rate-step.
POINT_STEP_SECONDS = 20e-9
MAP_POINT_BYTES = 120
SWEEP_POINT_STEP_BYTES = 4
# The explorer page steps every optimizer in the browser on each change: its bound.
#: Steps per run on the page (``optviz.explore.MAX_STEPS`` is this one).
PAGE_MAX_STEPS = 20_000
#: Optimizers x steps on one page: the five default optimizers at the page's most
#: steps. The page runs them all when it opens and on every change; headless Chromium
#: (here, loaded by other jobs) opened 5 x 200 steps in 0.8 s, 5 x 20,000 in 5.9 s,
#: 10 x 20,000 in 8.9 s, 2,000 x 200 in 11 s.
PAGE_MAX_OPTIMIZER_STEPS = 100_000
# The CNN (train, cnn-sweep, landscape): one forward and backward pass of one image.
# The default network has fewer channels for larger images (optviz.nn.model
# .auto_channels), so an image costs about the same whatever its size: `optviz train
# --epochs 3` minus `--epochs 1` (digits, 8x8: 5 optimizers x 2 epochs x 1,437 images)
# took 13 s more, 0.9 ms per image; shapes of 28x28 (1 optimizer x 2 epochs x 1,600
# images) 2.2 s more, 0.7 ms.
IMAGE_SECONDS = 0.9e-3
#: A forward pass only, per image: `optviz landscape --grid 61` took 143 s more than
#: `--grid 31` (2,760 more loss evaluations x 512 images): 0.1 ms.
FORWARD_SECONDS = 0.1e-3
#: A local worker process (Python, NumPy, optviz and a network), besides its copy of
#: the data set: `--jobs 150` on the digits ran 154 processes in 6 GB, 40 MB each;
#: 60 MB with a margin.
WORKER_BYTES = 60 << 20
#: A gallery worker (matplotlib, a figure or an animation): `ps` showed 170-230 MB
#: resident per worker of `optviz gallery`.
GALLERY_WORKER_BYTES = 250e6


@dataclass(frozen=True)
class Estimate:
    """What a piece of work will cost: ``what`` it is in words (the estimate's
    reason, shown in the error), ``seconds`` and ``bytes`` (peak memory)."""

    what: str
    seconds: float
    bytes: float


class BudgetError(ValueError):
    """Work above its budget: a one-line message with the estimate and the option
    that raises the limit."""


def check(
    estimate: Estimate,
    *,
    max_minutes: float | None = None,
    max_memory_gb: float | None = None,
    default_minutes: float = DEFAULT_MINUTES,
) -> None:
    """Raise :class:`BudgetError` if ``estimate`` is above the time limit
    (``max_minutes``, else ``default_minutes``) or the memory limit
    (``max_memory_gb``, default the memory available)."""
    minutes = default_minutes if max_minutes is None else float(max_minutes)
    if max_memory_gb is None:
        memory, named = AVAILABLE_SHARE * available_memory(), "the memory available"
    else:
        memory, named = float(max_memory_gb) * 1e9, "the limit"
    cost = (
        f"{estimate.what}: about {_duration(estimate.seconds)} and {_size(estimate.bytes)}"
    )
    if estimate.seconds > 60 * minutes:
        need = _round_up(estimate.seconds / 60)
        raise BudgetError(
            f"{cost}, above the limit of {_duration(60 * minutes)}; raise it with "
            f"--max-minutes {need:.10g}"
        )
    if estimate.bytes > memory:
        need = _round_up(estimate.bytes / 1e9)
        raise BudgetError(
            f"{cost}, more memory than {named} ({_size(memory)}); raise it with "
            f"--max-memory {need:.10g} if the machine has it"
        )


def check_page(optimizers: int, steps: int) -> None:
    """Refuse an explorer page above :data:`PAGE_MAX_OPTIMIZER_STEPS` (a bound of the
    browser, which no option raises)."""
    total = optimizers * steps
    if total > PAGE_MAX_OPTIMIZER_STEPS:
        raise BudgetError(
            f"{optimizers:,} optimizers x {steps:,} steps = {total:,} steps on the page, "
            f"above its limit of {PAGE_MAX_OPTIMIZER_STEPS:,} (the browser runs them "
            "all on every change): give fewer optimizers or --steps"
        )


def cap_workers(requested: int, runs: int, cores: int, per_worker: float | None = None):
    """``(workers, why)``: the local processes to start for ``runs`` runs when
    ``requested`` were asked for (-1: ``cores``), capped by the runs and by the memory
    available at ``per_worker`` bytes each (:data:`WORKER_BYTES`); ``why`` says which
    cap applied, or is None."""
    per_worker = WORKER_BYTES if per_worker is None else per_worker
    want = cores if requested == -1 else requested
    fit = max(1, int(AVAILABLE_SHARE * available_memory() // per_worker))
    workers = max(1, min(want, runs, fit))
    if workers == want:
        return workers, None
    if workers == runs and runs < fit:
        return workers, f"{workers} worker{'s' if workers > 1 else ''}: one per run"
    return workers, (
        f"{workers} workers: what the memory available holds at {_size(per_worker)} each"
    )


def available_memory() -> float:
    """Bytes of memory available now (Linux: ``MemAvailable``; else the free pages;
    else :data:`FALLBACK_MEMORY`)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return float(FALLBACK_MEMORY)


# -- the estimates ---------------------------------------------------------------------
def surface_runs(
    optimizers: int,
    steps: int,
    *,
    state: bool = False,
    frames: int = 0,
    frame_size: tuple[int, int] | None = None,
) -> Estimate:
    """One run of each optimizer from one start (compare, lr, animate), recording
    every step (``state``: the optimizer's state too, or an animation's), and
    ``frames`` to draw of ``frame_size`` pixels (default :data:`FRAME_SIZE`)."""
    n = optimizers * steps
    seconds, size = (
        (STATE_STEP_SECONDS, STATE_STEP_BYTES) if state else (STEP_SECONDS, STEP_BYTES)
    )
    what = f"{optimizers:,} optimizers x {steps:,} steps"
    w, h = frame_size or FRAME_SIZE
    if frames:
        what += f", {frames:,} frames of {w}x{h}"
    drawn = frames * w * h / (FRAME_SIZE[0] * FRAME_SIZE[1])
    return Estimate(
        what,
        BASE_SECONDS + n * seconds + drawn * FRAME_SECONDS,
        BASE_BYTES + n * size + (w * h * FRAME_PIXEL_BYTES if frames else 0),
    )


#: An animation frame of FRAME_SIZE pixels (2-D, written to a GIF), and a larger one in
#: proportion to its pixels: `optviz animate --steps 2000 --frames 2000` took 47 s
#: (20 ms a frame); `--frames 200 --size 4096x4096` 95 s (0.45 s a frame, 55 times the
#: pixels) and 976 MB (51 B per pixel of the frame: canvas, background, palette).
FRAME_SECONDS, FRAME_SIZE, FRAME_PIXEL_BYTES = 0.02, (640, 480), 51


def start_map(optimizers: int, grid: int, steps: int, point_seconds: float) -> Estimate:
    """Each optimizer from ``grid x grid`` starts at once; ``point_seconds`` is the
    surface's value and gradient at one point."""
    points = optimizers * grid * grid
    per_point = POINT_STEP_SECONDS + point_seconds
    return Estimate(
        f"{optimizers:,} optimizers x {grid:,}x{grid:,} starts x {steps:,} steps",
        BASE_SECONDS + optimizers * steps * (STEP_SECONDS + grid * grid * per_point),
        BASE_BYTES + points * MAP_POINT_BYTES,
    )


def lr_sweep(
    optimizers: int, rates: int, steps: int, point_seconds: float, rounds: int = 1
) -> Estimate:
    """Each optimizer at ``rates`` learning rates at once, up to ``rounds`` times (a
    sweep that looks for its tolerance), then each at its best rate."""
    points = optimizers * rates
    per_point = POINT_STEP_SECONDS + point_seconds
    return Estimate(
        f"{optimizers:,} optimizers x {rates:,} learning rates x {steps:,} steps",
        BASE_SECONDS
        + rounds * optimizers * steps * (STEP_SECONDS + rates * per_point)
        + optimizers * steps * STEP_SECONDS,
        BASE_BYTES
        + points * steps * SWEEP_POINT_STEP_BYTES
        + optimizers * steps * STEP_BYTES,
    )


def training(
    networks: int,
    epochs: int,
    images: int,
    *,
    workers: int = 1,
    local: bool = True,
    data_bytes: float = 0.0,
    snapshot_bytes: float = 0.0,
) -> Estimate:
    """``networks`` trainings of ``epochs`` over ``images`` images, shared by
    ``workers`` processes (``local``: on this machine, each with its own copy of the
    ``data_bytes``); ``snapshot_bytes`` of parameter snapshots kept besides."""
    passes = networks * epochs * images
    each = WORKER_BYTES + data_bytes
    return Estimate(
        f"{networks:,} networks x {epochs:,} epochs x {images:,} images",
        BASE_SECONDS + passes * IMAGE_SECONDS / max(1, workers),
        BASE_BYTES + data_bytes + (workers * each if local else 0) + snapshot_bytes,
    )


def landscape(points: int, images: int) -> Estimate:
    """The loss at ``points`` parameter vectors, each over ``images`` images."""
    return Estimate(
        f"{points:,} loss evaluations x {images:,} images",
        BASE_SECONDS + points * images * FORWARD_SECONDS,
        BASE_BYTES,
    )


# -- words -----------------------------------------------------------------------------
def _duration(seconds: float) -> str:
    for unit, size in (("weeks", 604_800), ("days", 86_400), ("h", 3_600), ("min", 60)):
        if seconds >= (2 * size if unit in ("weeks", "days") else size):
            return f"{_num(seconds / size)} {unit}"
    return f"{_num(seconds)} s"


def _size(n: float) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if n >= size:
            return f"{_num(n / size)} {unit}"
    return f"{_num(n / 1e3)} kB"


def _num(x: float) -> str:
    """Two significant digits, never an exponent: 0.52, 3.1, 45, 31,000."""
    return f"{x:.2g}" if x < 100 else f"{float(f'{x:.2g}'):,.0f}"


def _round_up(x: float) -> float:
    """``x`` rounded up to two significant digits (a limit to offer)."""
    if x <= 0:
        return 1.0
    scale = 10 ** (math.floor(math.log10(x)) - 1)
    return max(1.0, math.ceil(x / scale) * scale)
