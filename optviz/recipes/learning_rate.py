"""The learning rate α: too small, right, too large, diverging."""

from __future__ import annotations

import numpy as np

from .. import ratemap
from ..optimizers import SGD
from ..run import run_surface
from .result import lesson
from .sizes import pick

# -- learning-rate -------------------------------------------------------------------
REGIMES = ("too small", "about right", "too large", "diverging")
#: Each regime's rate as a multiple of 2/λmax.
REGIME_FRACTIONS = (0.04, 0.4, 0.9, 1.1)


def learning_rate():
    """α at 4%, 40%, 93% and 104% of 2/λmax on a parabola and on L(w, b)."""
    from optviz.surfaces.linear_regression import linear_regression
    from optviz.surfaces.quadratic import quadratic

    from ..plot.learning_rate import learning_rate_figure
    from ..sweep import lr_sweep

    parabola = quadratic(kappa=1.0)  # along x: f = w²/2, λ = 1
    limit = ratemap.largest_stable_lr(parabola)
    p_run = run_surface(
        parabola,
        {n: SGD(lr=f * limit) for n, f in zip(REGIMES, REGIME_FRACTIONS)},
        start=(-4.0, 0.0),
        steps=8,
    )
    surface = linear_regression()
    stable = ratemap.largest_stable_lr(surface)
    steps = pick(40, 15)
    run = run_surface(
        surface,
        {n: SGD(lr=f * stable) for n, f in zip(REGIMES, REGIME_FRACTIONS)},
        steps=steps,
    )
    sweep = lr_sweep(
        surface,
        [SGD()],
        np.geomspace(stable / 100, stable * 1.5, pick(41, 9)),
        steps=steps,
    )
    lam = ratemap.hessian(parabola, (0.0, 0.0))[0, 0]  # along x: f = λw²/2
    fig = learning_rate_figure(
        p_run,
        surface,
        run,
        sweep,
        names=REGIMES,
        lam=lam,
        stable=stable,
        arrows=descent_arrows(surface),
    )
    return lesson(
        fig,
        "learning-rate",
        {"stable_lr": stable, "run": run, "sweep": sweep, "parabola_run": p_run},
    )


def descent_arrows(surface, n: int = 11):
    """``(x, y, u)``: the inner points of an ``n x n`` grid over the domain and the unit
    vectors -g/|g| there (perpendicular to the contours)."""
    (x0, x1), (y0, y1) = surface.domain
    gx, gy = np.meshgrid(np.linspace(x0, x1, n)[1:-1], np.linspace(y0, y1, n)[1:-1])
    g = surface.grad(np.stack([gx, gy], axis=-1))
    norm = np.linalg.norm(g, axis=-1, keepdims=True)
    return gx, gy, -g / np.maximum(norm, 1e-12)
