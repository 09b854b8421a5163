r"""The learning rate α of gradient descent: the numbers behind the ``learning-rate``
figure.

On a parabola f = λw²/2 the best rate is 1/λ and every α beyond 2/λ diverges. On a
2-D quadratic bowl such as the notes' L(w, b), with curvatures λmin < λmax (the
Hessian's eigenvalues), one α serves both directions: the best is
α* = 2/(λmax + λmin), which balances the two, and the largest stable rate is
2/λmax. When κ = λmax/λmin is large the two are close, so "too large" lives in the
narrow gap between them, where the steep direction zig-zags while the shallow one
crawls.
"""

from __future__ import annotations

import numpy as np

from .. import ratemap
from ..optimizers import SGD
from ..records import Lesson, Panel
from ..run import run_surface
from .claims import Claim, claims_of, trajectory_panel

__all__ = ["learning_rate", "two_d_rates", "REGIMES", "PARABOLA_FRACTIONS"]

REGIMES = ("too small", "about right", "too large", "diverging")
#: The parabola's rates as multiples of its limit 2/λ.
PARABOLA_FRACTIONS = (0.04, 0.4, 0.9, 1.1)
#: On L(w, b): too small is this fraction of α*; too large this far from α* towards
#: 2/λmax; diverging this multiple of 2/λmax.
SMALL, LARGE_WAY, BEYOND = 0.1, 0.8, 1.2
#: The sweep over α: from 2/λmax / 100 to 1.5 x 2/λmax.
SWEEP = (0.01, 1.5)


def two_d_rates(lam_min: float, lam_max: float) -> dict:
    """α* = 2/(λmax + λmin), the limit 2/λmax, and the four regimes' rates.

    >>> r = two_d_rates(1.0, 3.0)
    >>> r["alpha_star"], r["stable"], r["rates"]["about right"]
    (0.5, 0.6666666666666666, 0.5)
    """
    alpha_star, stable = 2 / (lam_max + lam_min), 2 / lam_max
    rates = {
        "too small": SMALL * alpha_star,
        "about right": alpha_star,
        "too large": alpha_star + LARGE_WAY * (stable - alpha_star),
        "diverging": BEYOND * stable,
    }
    return {"alpha_star": alpha_star, "stable": stable, "rates": rates}


def _leaves(xy, domain) -> int:
    """The first step whose iterate is off ``domain`` or not finite (-1: none)."""
    (x0, x1), (y0, y1) = domain
    x, y = xy[:, 0], xy[:, 1]
    off = ~np.isfinite(x) | ~np.isfinite(y)
    with np.errstate(invalid="ignore"):
        off |= (x < x0) | (x > x1) | (y < y0) | (y > y1)
    idx = np.flatnonzero(off)
    return int(idx[0]) if len(idx) else -1


def learning_rate(steps: int = 40, sweep_points: int = 41) -> Lesson:
    """The four regimes on a parabola (λ = 1) and on L(w, b), and SGD's final gap over
    a sweep of α on L(w, b); the curvatures, α* and 2/λmax in the settings."""
    from optviz.surfaces.linear_regression import linear_regression
    from optviz.surfaces.quadratic import quadratic

    from ..sweep import lr_sweep

    parabola = quadratic(kappa=1.0)  # along x: f = w²/2, λ = 1
    lam = float(ratemap.hessian(parabola, (0.0, 0.0))[0, 0])
    p_run = run_surface(
        parabola,
        {n: SGD(lr=f * 2 / lam) for n, f in zip(REGIMES, PARABOLA_FRACTIONS)},
        start=(-4.0, 0.0),
        steps=8,
    )
    surface = linear_regression()
    hessian = ratemap.hessian(surface, surface.minima[0].xy)
    lam_min, lam_max = (float(v) for v in np.linalg.eigvalsh(hessian))
    two_d = two_d_rates(lam_min, lam_max)
    run = run_surface(surface, {n: SGD(lr=two_d["rates"][n]) for n in REGIMES}, steps=steps)
    lrs = np.geomspace(two_d["stable"] * SWEEP[0], two_d["stable"] * SWEEP[1], sweep_points)
    curve = lr_sweep(surface, [SGD()], lrs, steps=steps).curves[0]
    panels = [
        trajectory_panel(t, f"parabola: {t.label}", regime=t.label, fraction=f)
        for t, f in zip(p_run, PARABOLA_FRACTIONS)
    ]
    for traj in run:
        gap = traj.loss - surface.min_value
        panels.append(
            trajectory_panel(
                traj,
                f"L(w, b): {traj.label}",
                regime=traj.label,
                fraction_of_best=traj.hyperparameters["lr"] / two_d["alpha_star"],
                final_gap=float(gap[-1]) if np.isfinite(gap[-1]) else None,
                leaves_at=_leaves(traj.xy, surface.domain),
                zigzags=_zigzags(traj.xy, surface.minima[0].xy, hessian),
            )
        )
    gx, gy, u = descent_arrows(surface)
    panels.append(Panel("arrows", {"x": gx, "y": gy, "u": u}))
    panels.append(
        Panel(
            "sweep",
            {"lr": curve.lr, "final_gap": curve.final_gap, "diverged": curve.diverged},
            {"steps": steps},
        )
    )
    settings = {
        "surface": "linear_regression",
        "min_value": float(surface.min_value),
        "steps": steps,
        "lam": lam,
        "lam_min": lam_min,
        "lam_max": lam_max,
        "alpha_star": two_d["alpha_star"],
        "stable": two_d["stable"],
    }
    return Lesson("learning-rate", panels, settings)


def _zigzags(xy, minimum, hessian) -> bool:
    """Whether the steep direction's coordinate (the Hessian's top eigenvector) of
    w - w* flips sign at most steps (the first 10 steps)."""
    _, vecs = np.linalg.eigh(hessian)
    along = (np.asarray(xy[:11]) - np.asarray(minimum)) @ vecs[:, -1]
    along = along[np.isfinite(along)]
    flips = np.sign(along[1:]) != np.sign(along[:-1])
    return bool(len(flips) >= 5 and flips.mean() > 0.7)


def descent_arrows(surface, n: int = 11):
    """``(x, y, u)``: the inner points of an ``n x n`` grid over the domain and the
    unit vectors -g/|g| there (perpendicular to the contours)."""
    (x0, x1), (y0, y1) = surface.domain
    gx, gy = np.meshgrid(np.linspace(x0, x1, n)[1:-1], np.linspace(y0, y1, n)[1:-1])
    g = surface.grad(np.stack([gx, gy], axis=-1))
    norm = np.linalg.norm(g, axis=-1, keepdims=True)
    return gx, gy, -g / np.maximum(norm, 1e-12)


@claims_of("learning-rate")
def _learning_rate_claims(lesson) -> list[Claim]:
    s = lesson.settings
    two = {p.facts["regime"]: p for p in lesson.panels if p.label.startswith("L(w, b)")}
    one = {p.facts["regime"]: p for p in lesson.panels if p.label.startswith("parabola")}
    gaps = {k: p.facts["final_gap"] for k, p in two.items()}
    finite = {k: v for k, v in gaps.items() if v is not None}
    alphas = {k: p.facts["hyperparameters"]["lr"] for k, p in two.items()}
    p_x = {k: p.arrays["xy"][:, 0] for k, p in one.items()}
    return [
        Claim(
            "on L(w, b) the best rate is α* = 2/(λmax + λmin), below 2/λmax",
            abs(s["alpha_star"] - 2 / (s["lam_max"] + s["lam_min"])) < 1e-12
            and s["alpha_star"] < s["stable"],
            {
                "alpha_star": s["alpha_star"],
                "stable": s["stable"],
                "lam_min": s["lam_min"],
                "lam_max": s["lam_max"],
            },
        ),
        Claim(
            "about right (α*) ends closest to the minimum",
            min(finite, key=finite.get) == "about right",
            {"alpha": alphas["about right"], "gap": gaps["about right"]},
        ),
        Claim(
            "too small crawls: it ends furthest of the three that converge",
            max(finite, key=finite.get) == "too small",
            {
                "alpha": alphas["too small"],
                "of_best": alphas["too small"] / s["alpha_star"],
                "gap": gaps["too small"],
            },
        ),
        Claim(
            "too large zig-zags across the steep direction, yet converges",
            two["too large"].facts["zigzags"]
            and gaps["too large"] is not None
            and alphas["too large"] < s["stable"],
            {"alpha": alphas["too large"], "gap": gaps["too large"]},
        ),
        Claim(
            "beyond 2/λmax it leaves the map",
            alphas["diverging"] > s["stable"] and two["diverging"].facts["leaves_at"] > 0,
            {"alpha": alphas["diverging"], "step": two["diverging"].facts["leaves_at"]},
        ),
        Claim(
            "on the parabola beyond 2/λ every step lands further out",
            bool(np.all(np.abs(p_x["diverging"][1:]) > np.abs(p_x["diverging"][:-1]))),
            {"lam": s["lam"], "limit": 2 / s["lam"]},
        ),
    ]
