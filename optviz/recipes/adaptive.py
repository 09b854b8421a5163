"""Adagrad, RMSprop and Adam: sum against average, the effective rate, Adam's bias
correction."""

from __future__ import annotations

import numpy as np

from ..optimizers import Adagrad, Adam, RMSprop
from ..run import run_surface
from .result import Result, lesson
from .sizes import pick


# -- sum-vs-average ------------------------------------------------------------------
def _adaptive_run(steps: int):
    """Adagrad, RMSprop, Adam on the notes' L(w, b) with mini-batches of 2, all with
    the same first step α (per coordinate)."""
    from optviz.surfaces.linear_regression import linear_regression

    surface = linear_regression()
    alpha, rho = 0.1, 0.99
    optimizers = {
        "adagrad": Adagrad(lr=alpha),
        "rmsprop": RMSprop(lr=alpha * np.sqrt(1 - rho), rho=rho),
        "adam": Adam(lr=alpha),
    }
    run = run_surface(surface, optimizers, steps=steps, batch_size=2, seed=0)
    rule = (
        f"same first step for all: α = {alpha:g} per coordinate (RMSprop's α = "
        f"α√(1-ρ) = {alpha * np.sqrt(1 - rho):g}, ρ = {rho:g}; Adam ρ1 = 0.9, ρ2 = 0.999, "
        f"the defaults); mini-batches of 2 on L(w, b), the same batches for all"
    )
    return surface, run, rule


def sum_vs_average():
    """Weights of past g² and the resulting rate (α-normalised) on a log-step axis."""
    from ..plot.adaptive import sum_vs_average_figure
    from ..second_moment import past_weights

    _, run, _ = _adaptive_run(pick(2000, 200))
    weights = {}
    for traj in run:  # the weight of each past g² in r at step 50
        hyper = traj.hyperparameters
        rho = hyper.get("rho", (hyper.get("betas") or [0, 0.9])[1])
        weights[traj.label] = (rho, past_weights(traj.optimizer, 50, rho))
    fig = sum_vs_average_figure(run, weights)
    return lesson(fig, "sum-vs-average", {"run": run, "weights": weights})


# -- adaptive-lr ---------------------------------------------------------------------
def adaptive_lr():
    """Adagrad, RMSprop and Adam from the same first step: the rate and the loss."""
    from ..plot.adaptive import adaptive_lr_figure

    surface, run, rule = _adaptive_run(pick(2000, 200))
    fig = adaptive_lr_figure(surface, run, rule=rule)
    return lesson(fig, "adaptive-lr", {"run": run})


# -- bias-correction -----------------------------------------------------------------
#: The constant gradient of the moments panel: not 1, so that ŝ = g and r̂ = g² differ.
BIAS_G = 0.5


def bias_correction():
    """Adam with and without bias correction: moments under a constant g, step lengths,
    paths on a quadratic."""
    from optviz.surfaces.quadratic import quadratic

    from ..plot.adaptive import bias_correction_figure

    surface = quadratic(kappa=10)
    steps = pick(60, 20)
    on = run_surface(surface, [Adam(lr=0.3)], steps=steps)
    off = run_surface(surface, [Adam(lr=0.3, bias_correction=False)], steps=steps)
    constant = Adam(lr=0.3)  # the moments under a constant gradient
    w, s, r = np.zeros(1), [], []
    for _ in range(pick(3000, 300)):
        constant.step(w, np.full(1, BIAS_G))
        s.append(constant.state[0].s[0])
        r.append(constant.state[0].r[0])
    fig = bias_correction_figure(surface, on, off, (s, r), g=BIAS_G)
    data = {"s": np.array(s), "r": np.array(r), "on": on, "off": off}
    return Result(fig, on, {"figure": "bias-correction"}, extra=data)
