"""The effective learning rate per coordinate, the step length and the state of
each optimizer along its path."""

from __future__ import annotations

from typing import Mapping, Sequence

from ..inner_state import record_inner_state
from .common import build, get_surface, run_on
from .result import SEPARATOR, Progress, Result, footnote

__all__ = ["lr"]


def lr(
    surface="rosenbrock",
    specs: Sequence[str] | Mapping = (),
    *,
    steps: int | None = None,
    start=None,
    tuned=None,
    progress: Progress | None = None,
) -> Result:
    """Effective learning rate per coordinate, step length and state of each optimizer;
    ``tuned``: a :class:`~optviz.records.Tuned` record whose settings for this surface
    and budget they run at (said in the footnote)."""
    from ..plot.lr import lr_figure

    surface = get_surface(surface)
    steps = surface.steps if steps is None else steps
    notes: list[str] = []
    if tuned is None:
        optimizers, lr_how = build(specs, surface, steps)
    else:
        from .tune import tuned_choose

        optimizers, lr_how = tuned_choose(tuned, notes)(specs, surface, steps)
    run = run_on(
        surface, optimizers, start=start, steps=steps, progress=progress, record_state=True
    )
    record_inner_state(run)  # divisors, sign, q, distance, c: the figure draws them
    run.meta["learning_rates"] = dict(lr_how)  # what the footnote says, in the record
    note = (
        footnote(lr_how, steps)
        if not notes
        else SEPARATOR.join([f"{steps} steps", notes[0]])
    )
    fig = lr_figure(surface, run, footnote=note)
    info = run.sidecar()
    info["learning_rates"] = lr_how
    info["kind"] = "learning-rate figure"
    return Result(fig, run, info)
