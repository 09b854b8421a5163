"""Momentum: the effect of β, the (α, β) rate map, tuned momentum in a ravine."""

from __future__ import annotations

from ..lessons.ravine import RAVINE_KAPPA
from .result import lesson_result
from .sizes import pick


def _ravine(kappa: float = RAVINE_KAPPA):
    from optviz.surfaces.quadratic import quadratic

    return quadratic(kappa=kappa)


# -- momentum-beta -------------------------------------------------------------------
def momentum_beta(*, record=None):
    """β = 0, 0.5, 0.9, 0.99, each at its own best α, on the ravine
    (:func:`optviz.lessons.momentum_beta`); ``record``: draw that saved lesson instead."""
    from ..lessons import momentum as lesson_of
    from ..plot.momentum import momentum_beta_figure

    if record is None:
        record = lesson_of.momentum_beta(steps=pick(60, 20))
    surface = _ravine(record.settings["surface"]["kappa"])
    fig = momentum_beta_figure(surface, record)
    return lesson_result(fig, record, "momentum:momentum_beta")


# -- rate-map ------------------------------------------------------------------------
def rate_map(kappa: float = RAVINE_KAPPA, *, record=None):
    """The convergence-rate map over (α, β) for κ, with measured rates over it
    (:func:`optviz.lessons.ravine.rate_map`); ``record``: draw that saved lesson
    instead."""
    from ..lessons import ravine
    from ..plot.momentum import rate_map_figure

    if record is None:
        record = ravine.rate_map(
            kappa, grid=pick(7, 4), steps=pick(400, 200), n=pick(301, 101)
        )
    fig = rate_map_figure(*ravine.rate_map_data(record))
    return lesson_result(fig, record, "momentum:rate_map")


# -- momentum-ravine -----------------------------------------------------------------
def momentum_ravine(*, record=None):
    """Tuned SGD against tuned heavy ball (α and β) on the κ = 20 ravine
    (:func:`optviz.lessons.ravine.momentum_ravine`); ``record``: draw that saved lesson
    instead."""
    from ..lessons import ravine
    from ..plot.lesson_runs import run_of
    from ..plot.momentum import ravine_figure

    if record is None:
        record = ravine.momentum_ravine()
    surface = _ravine(record.settings["kappa"])
    run = run_of(record.panels, surface.name, record.settings["start"])
    said = record.settings
    fig = ravine_figure(
        surface,
        run,
        rule=said["rule"],
        predicted={p.label: p.facts["predicted"] for p in record.panels},
        measured={p.label: p.facts["measured"] for p in record.panels},
        tol=said["tol"],
        fewer=said["fewer"],
    )
    return lesson_result(fig, record, "momentum:momentum_ravine")
