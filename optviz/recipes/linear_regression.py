"""Gradient descent on the notes' L(w, b): full batch against mini-batches."""

from __future__ import annotations

from ..optimizers import SGD
from ..run import run_surface
from .result import Result
from .sizes import pick

# -- linear-regression ---------------------------------------------------------------
LR_ALPHA, LR_BATCH, LR_EPOCHS = 0.25, 8, 100


def linear_regression_run(same_steps: bool = False):
    """Full-batch gradient descent and mini-batch SGD (batches of 8, drawn without
    repetition within an epoch) on the notes' L(w, b), for the same number of epochs
    (``same_steps=True``: the same number of steps, for the animation, whose x axis
    counts steps). Returns ``(surface, run, x, y, samples_per_step)``."""
    from optviz.surfaces.linear_regression import linear_regression, make_data

    from ..plot.linear_regression import VARIANT_COLORS

    surface = linear_regression()
    x, y = make_data(**surface.params)
    n = len(x)
    epochs = pick(LR_EPOCHS, 10)
    run = run_surface(surface, {"full batch": SGD(lr=LR_ALPHA)}, steps=epochs)
    noisy = run_surface(
        surface,
        {f"mini-batch ({LR_BATCH})": SGD(lr=LR_ALPHA)},
        steps=epochs if same_steps else epochs * n // LR_BATCH,
        batch_size=LR_BATCH,
        seed=0,
    )
    run.trajectories += noisy.trajectories
    for traj, c in zip(run, VARIANT_COLORS):
        traj.color = c
    per_step = {"full batch": n, f"mini-batch ({LR_BATCH})": LR_BATCH}
    return surface, run, x, y, per_step


def linear_regression(*, animate: bool = False, frames: int = 90, lang: str = "en"):
    """Full batch against mini-batches on L(w, b): the data and fitted lines, the paths,
    the loss per sample read. ``animate=True``: the paths and losses growing
    (``result.animation``, ``frames`` frames in ``lang``), both runs taking the same
    number of steps, since the animation's axis counts steps."""
    from ..plot.linear_regression import linear_regression_figure

    if animate:
        from .compare import animate as animation

        surface, run, *_ = linear_regression_run(same_steps=True)
        return animation(
            surface, record=run, panels=("trajectory", "loss"), frames=frames, lang=lang
        )
    surface, run, x, y, per_step = linear_regression_run()
    fig = linear_regression_figure(surface, run, x, y, samples_per_step=per_step)
    data = {"run": run, "surface": surface, "samples_per_step": per_step}
    return Result(fig, run, {"figure": "linear-regression"}, extra=data)
