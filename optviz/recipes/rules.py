"""The update rules side by side, and one step of each optimizer taken apart."""

from __future__ import annotations

from typing import Mapping, Sequence

from .common import build, get_surface
from .result import Result

__all__ = ["update_rules", "explain_step"]


def update_rules() -> Result:
    """The five update rules in the notes' notation, each with what it adds."""
    from ..plot.rules import update_rules_figure

    return Result(update_rules_figure(), None, {"figure": "update-rules"})


def explain_step(
    surface="quadratic",
    specs: Sequence[str] | Mapping = (),
    *,
    start=(-3.0, 0.2),
    steps: int = 1,
) -> Result:
    """One step of each optimizer of ``specs`` (default: the five at the surface's
    rates) from ``start`` on ``surface``, drawn as vectors and written out with the
    numbers the optimizer classes computed. ``steps`` sizes schedules only. The record
    is the list of :class:`~optviz.explain.StepRecord` the figure draws."""
    from ..explain import explain_steps
    from ..plot.rules import explain_step_figure

    surface = get_surface(surface)
    optimizers = None
    if specs:
        optimizers = list(build(specs, surface, steps)[0].values())
    records = explain_steps(surface, start, optimizers)  # the numbers: one step each
    fig = explain_step_figure(surface, records)  # drawn from the records
    settings = {"figure": "explain-step", "surface": surface.name, "start": list(start)}
    return Result(fig, records, settings)
