"""Gradient descent on the notes' L(w, b): full batch against mini-batches, the
numbers behind the ``linear-regression`` figure.

Full-batch gradient descent reads all n samples per step; mini-batch SGD (batches of
8, drawn without repetition within an epoch) takes n/8 cheaper steps per epoch. Per
sample read it gets close sooner, then jitters at a noise floor: each mini-batch
gradient points a little off, so at a constant α the path keeps moving around the
least-squares fit instead of settling on it.
"""

from __future__ import annotations

import numpy as np

from ..optimizers import SGD
from ..records import Lesson, Panel
from ..run import run_surface
from .claims import Claim, claims_of, trajectory_panel

__all__ = ["linear_regression", "per_epoch", "LR"]

#: α, the batch size, the epochs.
LR = {"alpha": 0.25, "batch": 8, "epochs": 100}
#: The noise floor: the median of L - L* over the last this share of the steps.
FLOOR_SHARE = 0.2


def per_epoch(gap, steps_per_epoch: int) -> np.ndarray:
    """The geometric mean of ``gap[1:]`` over each epoch's steps (one value per
    epoch).

    >>> per_epoch(np.array([9.0, 1.0, 100.0, 10.0, 1000.0]), 2).round(9).tolist()
    [10.0, 100.0]
    """
    logs = np.log(np.maximum(np.asarray(gap[1:], dtype=float), 1e-300))
    whole = len(logs) // steps_per_epoch * steps_per_epoch
    return np.exp(logs[:whole].reshape(-1, steps_per_epoch).mean(axis=1))


def linear_regression(epochs: int = 100, same_steps: bool = False) -> Lesson:
    """Full-batch gradient descent and mini-batch SGD on L(w, b) for ``epochs``
    epochs (``same_steps``: the same number of steps, for the animation, whose axis
    counts steps); the data, the least-squares fit, each run's gap per epoch and the
    mini-batch noise floor."""
    from optviz.surfaces.linear_regression import linear_regression as surface_of
    from optviz.surfaces.linear_regression import make_data

    surface = surface_of()
    x, y = make_data(**surface.params)
    n, batch, alpha = len(x), LR["batch"], LR["alpha"]
    full = run_surface(surface, {"full batch": SGD(lr=alpha)}, steps=epochs)
    noisy = run_surface(
        surface,
        {f"mini-batch ({batch})": SGD(lr=alpha)},
        steps=epochs if same_steps else epochs * n // batch,
        batch_size=batch,
        seed=0,
    )
    panels = []
    for traj, per_step, style in ((full.trajectories[0], n, "-"),
                                  (noisy.trajectories[0], batch, "--")):  # fmt: skip
        gap = traj.loss - surface.min_value
        tail = gap[-max(5, int(traj.steps * FLOOR_SHARE)) :]
        panel = trajectory_panel(
            traj,
            samples_per_step=per_step,
            linestyle=style,
            final_gap=float(gap[-1]),
            floor=float(np.median(tail)),
            end=[float(v) for v in traj.xy[-1]],
        )
        panel.arrays["epoch_gap"] = per_epoch(gap, max(1, n // per_step))
        panels.append(panel)
    fit = surface.minima[0].xy
    panels.append(Panel("data", {"x": x, "y": y}, {"fit": [float(v) for v in fit]}))
    settings = {
        "surface": "linear_regression",
        "latex": surface.latex,
        "min_value": float(surface.min_value),
        "n": n,
        "steps_per_epoch": n // batch,
        "same_steps": same_steps,
        **LR,
        "epochs": epochs,
    }
    return Lesson("linear-regression", panels, settings)


@claims_of("linear-regression")
def _linear_regression_claims(lesson) -> list[Claim]:
    s = lesson.settings
    full, mini = lesson.panels[0], lesson.panels[1]
    early = 3  # epochs
    return [
        Claim(
            "mini-batches of 8 take n/8 steps per epoch",
            s["steps_per_epoch"] * s["batch"] == s["n"],
            {"batch": s["batch"], "steps": s["steps_per_epoch"], "n": s["n"]},
        ),
        Claim(
            "per sample read, mini-batches get close sooner",
            mini.arrays["epoch_gap"][early - 1] < full.arrays["epoch_gap"][early - 1],
            {"epoch": early},
        ),
        Claim(
            "then they jitter at a noise floor, near but not at the fit",
            mini.facts["floor"] > 100 * full.facts["final_gap"],
            {"floor": mini.facts["floor"], "full": full.facts["final_gap"]},
        ),
    ]
