"""Each optimizer over a grid of learning rates, then each at its own best rate."""

from __future__ import annotations

from typing import Mapping, Sequence

from .common import build, get_surface, run_on
from .result import SEPARATOR, Progress, Result
from .sizes import pick, pick_steps

__all__ = ["sweep", "measure", "TOL_LADDER", "SWEEP_FIGURES"]

#: When no tolerance is given and nothing reaches the first, a sweep tries the next.
TOL_LADDER = (1e-6, 1e-4, 1e-3, 1e-2)


#: ``sweep(figure=...)``: steps to tolerance, losses and paths; or the lecture's two
#: panels (the final loss per rate, each optimizer's loss at its best rate).
SWEEP_FIGURES = ("detailed", "lecture")


def _grid(surface, optimizers, lrs, lr_how):
    """(low, high, n, how) of the learning-rate grid."""
    from ..sweep import DEFAULT_GRID_POINTS, default_lr_range

    if lrs is None:
        low, high = default_lr_range(surface, [o.name for o in optimizers.values()])
        how = (
            "default: whole decades from 100x below the smallest to 10x above the "
            f"largest of {surface.name}'s default rates"
        )
        return low, high, DEFAULT_GRID_POINTS, how
    low, high, n = lrs
    return low, high, pick(n, 9), lr_how


def measure(
    surface,
    optimizers,
    grid,
    *,
    steps,
    start=None,
    tol=None,
    criterion="steps",
    lr_how="given",
    progress=None,
):
    """The :class:`~optviz.records.Sweep` of ``optimizers`` over the rates ``grid``.
    Without ``tol``, the first of :data:`TOL_LADDER` that at least half of the
    optimizers reach (else the first any reaches); its choice is in
    ``meta["tol_how"]``."""
    from ..run import scaled_progress
    from ..sweep import lr_sweep

    ladder = TOL_LADDER if tol is None else (tol,)
    whole: dict = {}  # the job's total, for a ladder that stops early

    def report(done, total):
        whole["total"] = total
        progress(done, total)

    need = -(-len(optimizers) // 2)  # at least half of the optimizers
    fallback = None
    for k, t in enumerate(ladder):
        # the stepping loop's own progress; rung k of the ladder is part k of the job
        # (a ladder that stops early jumps to the end)
        record = lr_sweep(
            surface,
            optimizers,
            grid,
            steps=steps,
            start=start,
            tol=t,
            criterion=criterion,
            lr_how=lr_how,
            progress=scaled_progress(progress and report, k, len(ladder)),
        )
        reached = sum(bool((c.steps_to_tol >= 0).any()) for c in record)
        if reached and fallback is None:
            fallback = (t, record)
        if reached >= need:
            break
    else:
        if fallback is not None:
            t, record = fallback
    if tol is None and t != ladder[0]:
        record.meta["tol_how"] = (
            f"tol {t:g} chosen automatically (the first of "
            f"{', '.join(f'{x:g}' for x in ladder)} that at least half of the optimizers "
            f"reach in {steps} steps)"
        )
    if whole:
        progress(whole["total"], whole["total"])
    return record


def sweep(
    surface="rosenbrock",
    specs: Sequence[str] | Mapping = (),
    *,
    lrs: tuple[float, float, int] | None = None,
    steps: int | None = None,
    start=None,
    tol: float | None = None,
    criterion: str = "steps",
    lr_how: str = "given",
    figure: str = "detailed",
    footnote: str | None = None,
    record=None,
    progress: Progress | None = None,
) -> Result:
    """Each optimizer over a log-spaced grid of learning rates ``lrs = (low, high, n)``
    (default: whole decades around the surface's default rates), then each at its own
    best rate. Without ``tol``, the first of :data:`TOL_LADDER` that at least half of
    the optimizers reach is used (else the first any reaches), and the figure says so.
    ``figure``: one of :data:`SWEEP_FIGURES`; ``footnote`` replaces the one that says
    how the grid was chosen; ``record``: draw this :class:`~optviz.records.Sweep`
    (e.g. a loaded one) instead of sweeping anew (each optimizer's run at its best
    rate is run again: the sweep keeps its numbers, not its paths). What the figure
    states is kept in ``record.meta["figure"]``.
    """
    from ..plot.sweep import sweep_figure, sweep_lecture_figure
    from ..sweep import best_optimizers, lr_grid

    if figure not in SWEEP_FIGURES:
        raise ValueError(
            f"figure must be one of {', '.join(SWEEP_FIGURES)}; got {figure!r}"
        )
    surface = get_surface(surface)
    steps = pick_steps(surface.steps) if steps is None else steps
    optimizers, _ = build(specs, surface, steps)
    low, high, n, how = _grid(surface, optimizers, lrs, lr_how)
    if record is None:
        record = measure(
            surface,
            optimizers,
            lr_grid(low, high, n),
            steps=steps,
            start=start,
            tol=tol,
            criterion=criterion,
            lr_how=how,
            progress=progress,
        )
    record.meta["figure"] = {
        "recipe": "sweep",
        "figure": figure,
        "specs": [str(s) for s in specs] if not isinstance(specs, Mapping) else None,
        "lrs": [low, high, n],
        "lr_how": how,
        "footnote": footnote,
    }
    best = best_optimizers(record, optimizers)
    best_run = None
    if best:
        best_run = run_on(surface, best, start=record.start, steps=steps, progress=None)
    if figure == "lecture":
        note = footnote or (
            f"{n} log-spaced learning rates in [{low:g}, {high:g}]; "
            f"best α = {record.criterion_text()}"
        )
        from ..claims import surface_notes

        notes = surface_notes(surface, best_run) if best_run is not None else ()
        fig = sweep_lecture_figure(surface, record, best_run, note=note, notes=notes)
    else:
        if footnote is None:
            parts = [
                f"α grid: {n} log-spaced values in [{low:g}, {high:g}] ({how})",
                "no randomness (full-batch gradients)",
            ]
            if "tol_how" in record.meta:
                parts.insert(1, record.meta["tol_how"])
            footnote = SEPARATOR.join(parts)
        fig = sweep_figure(surface, record, best_run, footnote=footnote)
    return Result(fig, record, record.sidecar(), extra={"best_run": best_run})
