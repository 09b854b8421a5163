r"""Adagrad, RMSprop and Adam on the notes' L(w, b): how much each past g² counts in
``r`` (a sum or an average) and the rate α/(√r + δ) each coordinate gets, the numbers
behind the ``adaptive-lr`` figure.

Adagrad's ``r`` only grows, so no coordinate's rate ever rises (the notes, item 9,
say that a small-gradient coordinate's rate "rises"; it only falls more slowly).
RMSprop's ``r`` starts at 0 and fills up over about 1/(1-ρ) steps, so its rate falls
too at first (up to 1/√(1-ρ) = 10x for ρ = 0.99) before it follows the gradients'
size; Adam's r̂ is corrected for that start.
"""

from __future__ import annotations

import numpy as np

from ..optimizers import Adagrad, Adam, RMSprop
from ..records import Lesson
from ..run import run_surface
from ..second_moment import past_weights
from .claims import Claim, claims_of, trajectory_panel

__all__ = ["adaptive_lr", "rate_facts", "ADAPTIVE", "COORDINATES"]

#: The first step α of all three (per coordinate), RMSprop's ρ, the batch, the step
#: at which the weights of the past g² are shown.
ADAPTIVE = {"alpha": 0.1, "rho": 0.99, "batch": 2, "seed": 0, "weights_at": 50}
#: The coordinates of L(w, b).
COORDINATES = ("w", "b")


#: Adagrad's 1/√t guide passes through its rate at this step.
GUIDE_AT = 10
#: L - L* is also drawn as its geometric mean over this many steps (mini-batch noise
#: spreads each step's value over decades).
SMOOTH = 25


def _running_geomean(gap) -> np.ndarray:
    """The geometric mean of ``gap`` over the last :data:`SMOOTH` steps (fewer at the
    start), each step's value floored at 1e-300."""
    logs = np.log(np.maximum(np.asarray(gap, dtype=float), 1e-300))
    total = np.concatenate([[0.0], np.cumsum(logs)])
    n = np.arange(1, len(logs) + 1)
    lo = np.maximum(n - SMOOTH, 0)
    return np.exp((total[n] - total[lo]) / (n - lo))


def _r0(traj, rho: float) -> float:
    """RMSprop's r before its first step, read back from its first rate:
    α/(√r_1 + δ) gives r_1, and r_1 = ρ r_0 + (1 - ρ) g_1² gives r_0 (largest over
    the coordinates; 0 for the others)."""
    if traj.optimizer != "rmsprop":
        return 0.0
    h = traj.hyperparameters
    r1 = (h["lr"] / traj.lr[1] - h["eps"]) ** 2
    return float(np.max(np.abs(r1 - (1 - rho) * traj.grad[0] ** 2) / rho))


def rate_facts(rate) -> dict:
    """Of one coordinate's rate over steps 1..T (``rate[0]`` is step 1): its first
    value, its lowest and the step of it, its last, the fall (first/lowest) and the
    rise after it (last/lowest), and whether it never rose."""
    rate = np.asarray(rate, dtype=float)
    k = int(np.argmin(rate))
    return {
        "first": float(rate[0]),
        "lowest": float(rate[k]),
        "lowest_at": k + 1,
        "last": float(rate[-1]),
        "fall": float(rate[0] / rate[k]),
        "rise": float(rate[-1] / rate[k]),
        "never_rises": bool(np.all(np.diff(rate) <= 0)),
    }


def adaptive_lr(steps: int = 2000) -> Lesson:
    """Adagrad, RMSprop and Adam on L(w, b) with mini-batches of 2 (the same batches
    for all), all with the same first step α per coordinate (RMSprop's α is
    α√(1-ρ)): one panel per optimizer, with the weights of the past g² in r at step
    ``weights_at`` and the facts of each coordinate's rate."""
    from optviz.surfaces.linear_regression import linear_regression

    a = ADAPTIVE
    alpha, rho = a["alpha"], a["rho"]
    optimizers = {
        "adagrad": Adagrad(lr=alpha),
        "rmsprop": RMSprop(lr=alpha * np.sqrt(1 - rho), rho=rho),
        "adam": Adam(lr=alpha),
    }
    surface = linear_regression()
    run = run_surface(
        surface, optimizers, steps=steps, batch_size=a["batch"], seed=a["seed"]
    )
    panels = []
    for traj in run:
        hyper = traj.hyperparameters
        decay = hyper.get("rho", (hyper.get("betas") or [0, 0])[1])
        facts = {c: rate_facts(traj.lr[1:, i]) for i, c in enumerate(COORDINATES)}
        panel = trajectory_panel(traj, decay=decay, rate=facts, r0=_r0(traj, decay))
        panel.arrays["weights"] = past_weights(traj.optimizer, a["weights_at"], decay)
        panel.arrays["gap_smooth"] = _running_geomean(traj.loss - surface.min_value)
        if traj.optimizer == "adagrad":  # the 1/√t guide, through step GUIDE_AT
            t = np.arange(1, steps + 1)
            rate = traj.lr[GUIDE_AT]
            panel.arrays["guide"] = rate[None, :] * np.sqrt(GUIDE_AT / t)[:, None]
        panels.append(panel)
    settings = {
        "surface": "linear_regression",
        "min_value": float(surface.min_value),
        "steps": steps,
        **a,
        "rule": (
            f"same first step for all: α = {alpha:g} per coordinate (RMSprop's α = "
            f"α√(1-ρ) = {alpha * np.sqrt(1 - rho):g}, ρ = {rho:g}; Adam ρ1 = 0.9, "
            f"ρ2 = 0.999, the defaults); mini-batches of {a['batch']} on L(w, b), the "
            "same batches for all"
        ),
    }
    return Lesson("adaptive-lr", panels, settings)


@claims_of("adaptive-lr")
def _adaptive_claims(lesson) -> list[Claim]:
    by = {p.facts["optimizer"]: p for p in lesson.panels}
    ada, rms = by["adagrad"].facts["rate"], by["rmsprop"].facts["rate"]
    weights = {k: p.arrays["weights"] for k, p in by.items()}
    rho = by["rmsprop"].facts["decay"]
    return [
        Claim(
            "Adagrad's r is a sum: every past g² counts 1",
            bool(np.all(weights["adagrad"] == 1.0)),
            {"total": float(weights["adagrad"].sum())},
        ),
        Claim(
            "Adagrad's rate never rises, in w or in b",
            ada["w"]["never_rises"] and ada["b"]["never_rises"],
            {"fall_w": ada["w"]["fall"], "fall_b": ada["b"]["fall"]},
        ),
        Claim(
            "RMSprop's rate falls while r fills from 0, then rises",
            all(rms[c]["fall"] > 2 and rms[c]["rise"] > 2 for c in COORDINATES),
            {
                "fall_w": rms["w"]["fall"],
                "fall_b": rms["b"]["fall"],
                "lowest_w": rms["w"]["lowest_at"],
                "lowest_b": rms["b"]["lowest_at"],
                "rise_w": rms["w"]["rise"],
                "rise_b": rms["b"]["rise"],
            },
        ),
        Claim(
            "r fills from 0 over about 1/(1-ρ) steps; alone it divides the rate by up "
            "to 1/√(1-ρ)",
            0 < rho < 1,
            {
                "rho": rho,
                "start": float(by["rmsprop"].facts["r0"]),
                "fill": 1 / (1 - rho),
                "most": 1 / np.sqrt(1 - rho),
            },
        ),
    ]
