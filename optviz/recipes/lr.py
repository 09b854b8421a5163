"""The effective learning rate per coordinate, the step length and the state of
each optimizer along its path."""

from __future__ import annotations

from typing import Mapping, Sequence

from .common import build, get_surface, run_on
from .result import Progress, Result, footnote

__all__ = ["lr"]


def lr(
    surface="rosenbrock",
    specs: Sequence[str] | Mapping = (),
    *,
    steps: int | None = None,
    start=None,
    progress: Progress | None = None,
) -> Result:
    """Effective learning rate per coordinate, step length and state of each optimizer."""
    from ..plot.lr import lr_figure

    surface = get_surface(surface)
    steps = surface.steps if steps is None else steps
    optimizers, lr_how = build(specs, surface, steps)
    run = run_on(
        surface, optimizers, start=start, steps=steps, progress=progress, record_state=True
    )
    fig = lr_figure(surface, run, footnote=footnote(lr_how, steps))
    info = run.sidecar()
    info["learning_rates"] = lr_how
    info["kind"] = "learning-rate figure"
    return Result(fig, run, info)
