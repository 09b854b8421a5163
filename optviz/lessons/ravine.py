r"""Heavy ball on the ravine 0.5 (x² + κ y²): the numbers behind the ``rate-map`` and
``momentum-ravine`` figures.

The rate of heavy ball at (α, β) is the spectral radius of its iteration matrix
(:mod:`optviz.ratemap`); tuned together, α and β cut the steps a tolerance needs by
about √κ against SGD's best α, as the rates (√κ − 1)/(√κ + 1) and (κ − 1)/(κ + 1)
predict. :func:`rate_map` holds the map and real runs measured over it;
:func:`momentum_ravine` holds tuned SGD and tuned momentum, their predicted and
measured rates.
"""

from __future__ import annotations

import numpy as np

from .. import ratemap
from ..optimizers import SGD, Momentum
from ..records import Lesson, Panel
from ..run import run_surface
from ..tuning import describe, tune
from .claims import Claim, claims_of, trajectory_panel

__all__ = [
    "rate_map",
    "rate_theory",
    "measured_rates",
    "momentum_ravine",
    "RAVINE_KAPPA",
    "RAVINE_START",
    "RAVINE_TOL",
    "ALPHAS",
    "BETAS",
]

#: The ravine of the momentum figures: 0.5 (x² + κ y²).
RAVINE_KAPPA = 20.0
RAVINE_START = (-4.5, 2.5)
RAVINE_TOL = 1e-4
#: The α grid every tuned figure searches (log-spaced), and the β grid.
ALPHAS = np.geomspace(1e-3, 1.0, 61)
BETAS = np.round(np.linspace(0.0, 0.95, 20), 4)
#: The error the rate map's step counts shrink by.
SHRINK = 1e-6


def _ravine(kappa: float = RAVINE_KAPPA):
    from optviz.surfaces.quadratic import quadratic

    return quadratic(kappa=kappa)


# -- rate-map ------------------------------------------------------------------------
def measured_rates(kappa: float, alphas, betas, steps: int = 400) -> dict:
    """Run heavy ball at every (α, β) pair (one batched run) on the quadratic with
    curvatures 1 and κ and measure each rate from the distance to the minimum."""
    surface = _ravine(kappa)
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
    n_sgd, n_mom = ratemap.steps_for([r_sgd, r_mom], SHRINK)
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


def _split(values: dict) -> tuple[dict, dict]:
    """(arrays, facts) of a dict of arrays and numbers."""
    arrays = {k: v for k, v in values.items() if np.ndim(v) > 0}
    facts = {k: v for k, v in values.items() if np.ndim(v) == 0}
    return arrays, facts


def rate_map(kappa: float = RAVINE_KAPPA, *, grid: int = 7, steps: int = 400,
             n: int = 301) -> Lesson:  # fmt: skip
    """The convergence-rate map over (α, β) for κ (``n x n``, :func:`rate_theory`:
    panel ``theory``) and real runs measured over it (panel ``measured``: a ``grid x
    grid`` lattice, the two cuts, both optima; ``steps`` each)."""
    a_sgd, _ = ratemap.sgd_optimum(1.0, kappa)
    a_mom, b_mom, _ = ratemap.momentum_optimum(1.0, kappa)
    grid_a, grid_b = np.meshgrid(
        np.linspace(0.4, 3.6, grid) / kappa, np.linspace(0.1, 0.9, grid)
    )
    cut = np.linspace(0.2, 3.6, 2 * grid) / kappa
    alphas = np.concatenate([grid_a.ravel(), cut, cut, [a_sgd, a_mom]])
    betas = np.concatenate(
        [grid_b.ravel(), np.zeros_like(cut), np.full_like(cut, b_mom), [0.0, b_mom]]
    )
    measured = measured_rates(kappa, alphas, betas, steps=steps)
    arrays, facts = _split(rate_theory(kappa, n=n))
    facts["speedup"] = float(ratemap.speedup(1.0, kappa))
    panels = [Panel("theory", arrays, facts), Panel("measured", measured)]
    return Lesson("rate-map", panels, {"kappa": kappa, "grid": grid, "steps": steps})


@claims_of("rate-map")
def _rate_map_claims(lesson) -> list[Claim]:
    t, m = lesson["theory"].facts, lesson["measured"].arrays
    kappa = t["kappa"]
    fewer = t["n_sgd"] / t["n_mom"]
    theory = ratemap.rate(m["alpha"], m["beta"], [1.0, kappa])
    ok = np.isfinite(m["rate"]) & (theory < 0.99)
    worst = float(np.max(np.abs(m["rate"][ok] - theory[ok]))) if ok.any() else np.inf
    return [
        Claim(
            "tuning β with α cuts the steps by about √κ",
            bool(abs(fewer / np.sqrt(kappa) - 1) < 0.15),
            {"fewer": float(fewer), "sqrt_kappa": float(np.sqrt(kappa))},
        ),
        Claim(
            "the real runs' rates are the map's (within 0.02)",
            bool(ok.sum() >= 10 and worst < 0.02),
            {"runs": int(ok.sum()), "worst": worst},
        ),
    ]


def rate_map_data(lesson) -> tuple[dict, dict]:
    """(theory, measured) as the rate map's drawing takes them, from its lesson."""
    theory = {**lesson["theory"].facts, **lesson["theory"].arrays}
    return theory, dict(lesson["measured"].arrays)


# -- momentum-ravine -----------------------------------------------------------------
def momentum_ravine(steps: int = 60) -> Lesson:
    """Tuned SGD against tuned heavy ball (α and β) on the κ = 20 ravine: a panel per
    run (:func:`~optviz.lessons.claims.trajectory_panel`) with its ``predicted`` and
    ``measured`` rate per step; settings: the tuning ``rule`` as the figure states it,
    ``tol``, ``kappa``, ``start``, ``steps`` and the steps the two need relatively
    (``fewer``: measured and predicted)."""
    surface = _ravine()
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
    panels = [
        trajectory_panel(
            t,
            predicted=predicted[t.label],
            measured=float(ratemap.measured_rate(t.xy, surface.minima[0].xy)),
            steps_to_tol=int(tuned.steps_to_tol[t.label]),
        )
        for t in run
    ]
    rates = {p.label: (p.facts["measured"], p.facts["predicted"]) for p in panels}
    (m_a, p_a), (m_b, p_b) = rates["sgd"], rates["momentum"]
    settings = {
        "kappa": RAVINE_KAPPA,
        "start": list(RAVINE_START),
        "tol": RAVINE_TOL,
        "steps": steps,
        "rule": rule,
        "fewer": {
            "measured": float(np.log(m_b) / np.log(m_a)),
            "predicted": float(np.log(p_b) / np.log(p_a)),
        },
    }
    return Lesson("momentum-ravine", panels, settings)


@claims_of("momentum-ravine")
def _ravine_claims(lesson) -> list[Claim]:
    fewer = lesson.settings["fewer"]
    sgd, mom = lesson["sgd"].facts, lesson["momentum"].facts
    return [
        Claim(
            "tuned momentum needs far fewer steps than tuned SGD (over 3×)",
            bool(fewer["measured"] > 3),
            {"fewer": fewer["measured"]},
        ),
        Claim(
            "by the factor the rates predict (within 15%)",
            bool(abs(fewer["measured"] / fewer["predicted"] - 1) < 0.15),
            dict(fewer),
        ),
        Claim(
            "momentum reaches the tolerance, SGD later or not at all",
            bool(
                0 < mom["steps_to_tol"]
                and not 0 < sgd["steps_to_tol"] <= mom["steps_to_tol"]
            ),
            {"momentum": mom["steps_to_tol"], "sgd": sgd["steps_to_tol"]},
        ),
    ]
