r"""Momentum's β on a ravine: the numbers behind the ``momentum-beta`` figure.

Heavy ball converges fastest on a quadratic of condition number κ at
:math:`\beta^* = ((\sqrt\kappa - 1)/(\sqrt\kappa + 1))^2` (Polyak); a β well above it
makes the velocity overshoot, so the path swings past the minimum and converges slower
than no momentum at all. :func:`momentum_beta` tunes α for each β shown and keeps
every run, the steps its velocity arrows are drawn at, and β*.
"""

from __future__ import annotations

import numpy as np

from ..optimizers import Momentum
from ..records import Lesson, Panel
from ..run import run_surface
from ..tuning import tune
from .claims import Claim, claims_of, trajectory_panel

__all__ = ["momentum_beta", "best_beta", "arrow_steps", "RAVINE", "MOMENTUM_BETAS"]

#: The ravine 0.5 (x² + κ y²), its start and the tolerance a run must reach.
RAVINE = {"kappa": 20.0, "start": (-4.5, 2.5), "tol": 1e-4}
#: The β shown, and the α grid each is tuned over (log-spaced).
MOMENTUM_BETAS = (0.0, 0.5, 0.9, 0.99)
ALPHA_GRID = (1e-3, 1.0, 61)
#: Velocity arrows: at most this many per panel, among the first ARROW_WINDOW steps,
#: each at least ARROW_MIN of the map's width long.
ARROWS, ARROW_WINDOW, ARROW_MIN = 3, 25, 0.04


def best_beta(kappa: float) -> float:
    r"""Polyak's optimal momentum on a quadratic of condition number κ,
    :math:`((\sqrt\kappa - 1)/(\sqrt\kappa + 1))^2`.

    >>> round(best_beta(20.0), 4)
    0.4026
    """
    root = np.sqrt(kappa)
    return float(((root - 1) / (root + 1)) ** 2)


def arrow_steps(xy, grad, alpha, beta, domain) -> list[int]:
    """The steps ``k`` whose vector sum β v + (−α g) = new v is drawn: every end of
    the three arrows inside ``domain``, the new v at least :data:`ARROW_MIN` of the
    width long; among the first :data:`ARROW_WINDOW` steps the :data:`ARROWS` with the
    longest push −α g (so it can be seen beside β v), two steps apart at least, in
    step order."""
    (x0, x1), (y0, y1) = domain
    found = []
    for k in range(1, min(ARROW_WINDOW, len(xy) - 1)):
        old_v = xy[k] - xy[k - 1]
        ends = np.array([xy[k] + beta * old_v, xy[k] + beta * old_v - alpha * grad[k]])
        ends = np.vstack([ends, xy[k + 1]])
        if not np.all(np.isfinite(ends)):
            continue
        inside = (ends[:, 0] >= x0) & (ends[:, 0] <= x1) & (ends[:, 1] >= y0)
        inside &= ends[:, 1] <= y1
        length = float(np.hypot(*(xy[k + 1] - xy[k])))
        if inside.all() and length >= ARROW_MIN * (x1 - x0):
            found.append((float(np.hypot(*(alpha * grad[k]))), k))
    chosen: list[int] = []
    for _, k in sorted(found, reverse=True):
        if len(chosen) < ARROWS and all(abs(k - j) >= 2 for j in chosen):
            chosen.append(k)
    return sorted(chosen)


def _steps_to(gap, tol) -> int:
    below = np.flatnonzero(gap < tol)
    return int(below[0]) if len(below) else -1


def momentum_beta(steps: int = 60) -> Lesson:
    """β = 0, 0.5, 0.9, 0.99 on the κ = 20 ravine, each at its best α (fewest steps to
    f - f* < tol within ``steps``): one panel per β, and β* in the settings."""
    from optviz.surfaces.quadratic import quadratic

    surface = quadratic(kappa=RAVINE["kappa"])
    start, tol = RAVINE["start"], RAVINE["tol"]
    alphas = np.geomspace(*ALPHA_GRID)
    protos = {f"β={b:g}": Momentum(momentum=b) for b in MOMENTUM_BETAS}
    tuned = tune(
        surface,
        protos,
        {k: {"lr": alphas} for k in protos},
        steps=steps,
        start=start,
        tol=tol,
    )
    run = run_surface(surface, tuned.optimizers, start=start, steps=steps)
    panels = []
    for traj, beta in zip(run, MOMENTUM_BETAS):
        alpha = traj.hyperparameters["lr"]
        gap = traj.loss - surface.min_value
        facts = {
            "beta": beta,
            "alpha": alpha,
            "steps_to_tol": _steps_to(gap, tol),
            "final_gap": float(gap[-1]),
            "arrows_at": arrow_steps(traj.xy, traj.grad, alpha, beta, surface.domain),
        }
        panels.append(trajectory_panel(traj, **facts))
    settings = {
        "surface": {"name": "quadratic", "kappa": RAVINE["kappa"]},
        "start": list(start),
        "steps": steps,
        "tol": tol,
        "alpha_grid": list(ALPHA_GRID),
        "beta_star": best_beta(RAVINE["kappa"]),
        "rule": (
            f"α per β: the best of {ALPHA_GRID[2]} log-spaced rates in "
            f"[{ALPHA_GRID[0]:g}, {ALPHA_GRID[1]:g}], fewest steps to f - f* < "
            f"{tol:g} within {steps} steps"
        ),
    }
    return Lesson("momentum-beta", panels, settings)


def _by_beta(lesson) -> dict[float, Panel]:
    return {p.facts["beta"]: p for p in lesson.panels}


@claims_of("momentum-beta")
def _momentum_beta_claims(lesson) -> list[Claim]:
    s = lesson.settings
    by = _by_beta(lesson)
    reached = {b: p.facts["steps_to_tol"] for b, p in by.items()}
    reached = {b: n for b, n in reached.items() if n >= 0}
    first = min(reached, key=reached.get) if reached else None
    nearest = min(by, key=lambda b: abs(b - s["beta_star"]))
    gap = {b: p.facts["final_gap"] for b, p in by.items()}
    return [
        Claim(
            "the best β for κ is β* = ((√κ-1)/(√κ+1))²",
            abs(s["beta_star"] - best_beta(s["surface"]["kappa"])) < 1e-12,
            {"kappa": s["surface"]["kappa"], "beta_star": s["beta_star"]},
        ),
        Claim(
            "the β nearest β* is the only one to reach the tolerance",
            first is not None and first == nearest and len(reached) == 1,
            {"beta": first, "steps": reached.get(first), "tol": s["tol"]},
        ),
        Claim(
            "β = 0.9 ends further from the minimum than no momentum",
            gap[0.9] > gap[0.0],
            {"beta": 0.9, "gap": gap[0.9], "gap_sgd": gap[0.0]},
        ),
        Claim(
            "β = 0.99 has not converged within the steps",
            by[0.99].facts["steps_to_tol"] < 0 and gap[0.99] > 100 * s["tol"],
            {"beta": 0.99, "gap": gap[0.99], "steps": s["steps"]},
        ),
    ]
