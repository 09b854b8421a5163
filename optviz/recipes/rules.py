"""The update rules side by side, and one step of each optimizer taken apart."""

from __future__ import annotations

from typing import Mapping, Sequence

from .common import build, get_surface
from .result import Result

__all__ = ["update_rules", "explain_step", "optimizer_families"]


def update_rules(*, record=None) -> Result:
    """The five update rules in the notes' notation, each with what it adds
    (:func:`optviz.lessons.rules.update_rules`); ``record``: draw that saved lesson
    instead."""
    from ..lessons import claims
    from ..lessons.rules import update_rules as lesson_of
    from ..plot.rules import update_rules_figure

    if record is None:
        record = lesson_of()
        record.meta["figure"] = {"recipe": "rules:update_rules"}
    fig = update_rules_figure(record)
    settings = {"figure": "update-rules", **record.settings}
    return Result(fig, record, settings, extra={"claims": claims(record)})


def optimizer_families(*, record=None) -> Result:
    """Which optimizer adds which idea to which, from every registered class's
    ``ideas`` (:func:`optviz.lessons.families.optimizer_families`); ``record``: draw
    that saved lesson instead."""
    from ..lessons import claims
    from ..lessons.families import optimizer_families as lesson_of
    from ..plot.families import optimizer_families_figure

    if record is None:
        record = lesson_of()
        record.meta["figure"] = {"recipe": "rules:optimizer_families"}
    fig = optimizer_families_figure(record)
    settings = {"figure": "optimizer-families", **record.settings}
    return Result(fig, record, settings, extra={"claims": claims(record)})


def explain_step(
    surface="quadratic",
    specs: Sequence[str] | Mapping = (),
    *,
    start=(-3.0, 0.2),
    steps: int = 5,
    at: Sequence[int] = (1, 5),
    record=None,
) -> Result:
    """Each optimizer of ``specs`` (default: the five at the surface's rates) run from
    ``start`` on ``surface``, its steps ``at`` (t = 1 and a later one) drawn as
    displacements on one scale and written out with the numbers the optimizer classes
    computed. ``steps`` sizes schedules only. The record is the
    :class:`~optviz.records.Lesson` ``"explain-step"``
    (:func:`optviz.explain.step_lesson`); ``record``: draw that saved lesson instead."""
    from ..explain import step_lesson
    from ..lessons import claims
    from ..plot.rules import explain_step_figure

    if record is None:
        surface = get_surface(surface)
        optimizers = None
        if specs:
            optimizers = list(build(specs, surface, steps)[0].values())
        record = step_lesson(surface, start, optimizers, at=at)
        record.meta["figure"] = {"recipe": "rules:explain_step"}
    surface = _surface_of(record)
    fig = explain_step_figure(surface, record)  # drawn from the record alone
    settings = {"figure": "explain-step", **record.settings}
    return Result(fig, record, settings, extra={"claims": claims(record)})


def _surface_of(record):
    """The surface an explain-step lesson was computed on."""
    from optviz import surfaces

    name, params = record.settings["surface"], record.settings.get("params") or {}
    if name == "quadratic":
        from optviz.surfaces.quadratic import quadratic

        return quadratic(**params)
    return surfaces.get(name)
