"""Momentum: the effect of β, the (α, β) rate map, tuned momentum in a ravine."""

from __future__ import annotations

import numpy as np

from .. import ratemap
from ..optimizers import SGD, Momentum
from ..run import run_surface
from ..tuning import describe, tune
from .result import lesson, lesson_result
from .sizes import pick

#: The ravine of the momentum figures: 0.5 (x² + κ y²).
RAVINE_KAPPA = 20.0
RAVINE_START = (-4.5, 2.5)
RAVINE_TOL = 1e-4
#: The α grid every tuned figure searches (log-spaced), and the β grid.
ALPHAS = np.geomspace(1e-3, 1.0, 61)
BETAS = np.round(np.linspace(0.0, 0.95, 20), 4)


def _ravine(kappa: float = RAVINE_KAPPA):
    from optviz.surfaces.quadratic import quadratic

    return quadratic(kappa=kappa)


# -- momentum-beta -------------------------------------------------------------------
def momentum_beta(*, record=None):
    """β = 0, 0.5, 0.9, 0.99, each at its own best α, on the ravine
    (:func:`optviz.teach.momentum_beta`); ``record``: draw that saved lesson instead."""
    from ..plot.momentum import momentum_beta_figure
    from ..teach import momentum as lesson_of

    if record is None:
        record = lesson_of.momentum_beta(steps=pick(60, 20))
    surface = _ravine(record.settings["surface"]["kappa"])
    fig = momentum_beta_figure(surface, record)
    return lesson_result(fig, record, "momentum:momentum_beta")


# -- rate-map ------------------------------------------------------------------------
def measured_rates(kappa: float, alphas, betas, steps: int = 400) -> dict:
    """Run heavy ball at every (α, β) pair (one batched run) on the quadratic with
    curvatures 1 and κ and measure each rate from the distance to the minimum."""
    from optviz.surfaces.quadratic import quadratic

    surface = quadratic(kappa=kappa)
    a, b = (np.asarray(v, dtype=float).ravel() for v in np.broadcast_arrays(alphas, betas))
    start = np.broadcast_to(np.array([1.0, 1.0]), (len(a), 2))
    # a start on both eigen-directions; the domain is the bowl's, runs rarely leave it
    run = run_surface(
        surface, [Momentum(lr=a[:, None], momentum=b[:, None])], start=start, steps=steps
    )
    xy = run.trajectories[0].xy  # (T+1, N, 2)
    rate = ratemap.measured_rate(xy, (0.0, 0.0), skip=steps // 10)
    return {"alpha": a, "beta": b, "rate": rate}


def rate_theory(kappa: float, n: int = 301) -> dict:
    """What the rate map draws, from the iteration matrix: the rate of heavy ball over
    an ``n x n`` grid of (α, β) on the quadratic with curvatures 1 and κ, SGD's and
    momentum's optima, the steps each needs to shrink the error 10⁶×, and the rate
    along α at β = 0 and β = β*."""
    mu, big_l = 1.0, float(kappa)
    alphas = np.linspace(1e-4, 4.0 / big_l, n)
    betas = np.linspace(0.0, 0.995, n)
    a_sgd, r_sgd = ratemap.sgd_optimum(mu, big_l)
    a_mom, b_mom, r_mom = ratemap.momentum_optimum(mu, big_l)
    n_sgd, n_mom = ratemap.steps_for([r_sgd, r_mom], 1e-6)
    a_line = np.linspace(1e-4, 4.0 / big_l, 400)
    return {
        "kappa": kappa,
        "alphas": alphas,
        "betas": betas,
        "rates": ratemap.rate_map(alphas, betas, mu, big_l),
        "a_sgd": a_sgd,
        "r_sgd": r_sgd,
        "a_mom": a_mom,
        "b_mom": b_mom,
        "r_mom": r_mom,
        "n_sgd": n_sgd,
        "n_mom": n_mom,
        "a_line": a_line,
        "cut_sgd": ratemap.rate(a_line, 0.0, [mu, big_l]),
        "cut_mom": ratemap.rate(a_line, b_mom, [mu, big_l]),
    }


def rate_map(kappa: float = RAVINE_KAPPA):
    """The convergence-rate map over (α, β) for κ, with measured rates over it."""
    from ..plot.momentum import rate_map_figure

    a_sgd, _ = ratemap.sgd_optimum(1.0, kappa)
    a_mom, b_mom, _ = ratemap.momentum_optimum(1.0, kappa)
    n = pick(7, 4)
    grid_a, grid_b = np.meshgrid(np.linspace(0.4, 3.6, n) / kappa, np.linspace(0.1, 0.9, n))
    cut = np.linspace(0.2, 3.6, 2 * n) / kappa
    alphas = np.concatenate([grid_a.ravel(), cut, cut, [a_sgd, a_mom]])
    betas = np.concatenate(
        [grid_b.ravel(), np.zeros_like(cut), np.full_like(cut, b_mom), [0.0, b_mom]]
    )
    measured = measured_rates(kappa, alphas, betas, steps=pick(400, 200))
    fig = rate_map_figure(rate_theory(kappa, n=pick(301, 101)), measured)
    data = {"measured": measured, "speedup": ratemap.speedup(1.0, kappa), "kappa": kappa}
    return lesson(fig, "rate-map", data)


# -- momentum-ravine -----------------------------------------------------------------
def momentum_ravine():
    """Tuned SGD against tuned heavy ball (α and β) on the κ = 20 ravine."""
    from ..plot.momentum import ravine_figure

    surface = _ravine()
    steps = 60
    protos = {"sgd": SGD(), "momentum": Momentum()}
    grids = {"sgd": {"lr": ALPHAS}, "momentum": {"lr": ALPHAS, "momentum": BETAS}}
    tuned = tune(surface, protos, grids, steps=steps, start=RAVINE_START, tol=RAVINE_TOL)
    run = run_surface(surface, tuned.optimizers, start=RAVINE_START, steps=steps)
    lams = [1.0, RAVINE_KAPPA]
    s_sgd, s_mom = tuned.settings["sgd"], tuned.settings["momentum"]
    predicted = {
        "sgd": float(ratemap.rate(s_sgd["lr"], 0.0, lams)),
        "momentum": float(ratemap.rate(s_mom["lr"], s_mom["momentum"], lams)),
    }
    rule = (
        f"Fair by construction: {tuned.rule}; grids {len(ALPHAS)} α × {len(BETAS)} β. "
        f"Chosen: SGD {describe(s_sgd)}, momentum {describe(s_mom)}."
    )
    measured = {
        t.label: float(ratemap.measured_rate(t.xy, surface.minima[0].xy)) for t in run
    }
    fig = ravine_figure(
        surface, run, rule=rule, predicted=predicted, measured=measured, tol=RAVINE_TOL
    )
    data = {"run": run, "tuned": tuned, "predicted": predicted, "measured": measured}
    return lesson(fig, "momentum-ravine", data)
