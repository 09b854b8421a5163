"""Adagrad, RMSprop and Adam: the rate each coordinate gets, Adam's bias correction."""

from __future__ import annotations

import numpy as np

from ..optimizers import Adam
from ..run import run_surface
from .result import Result, lesson_result
from .sizes import pick


# -- adaptive-lr ---------------------------------------------------------------------
def adaptive_lr(*, record=None, animate: bool = False, frames: int = 90, lang: str = "en"):
    """Adagrad, RMSprop and Adam from the same first step on L(w, b)
    (:func:`optviz.teach.adaptive_lr`): a sum or an average of the past g², the loss,
    the rate of w and of b. ``record``: draw that saved lesson instead.
    ``animate=True``: the three paths and rates growing (``result.animation``,
    ``frames`` frames in ``lang``)."""
    from ..plot.adaptive import adaptive_lr_figure
    from ..plot.lesson_runs import run_of
    from ..teach import adaptive as lesson_of

    if record is None:
        record = lesson_of.adaptive_lr(steps=pick(2000, 200))
    surface = _surface(record)
    if animate:
        from .compare import animate as animation

        run = run_of(record.panels, surface.name, record.panels[0].arrays["xy"][0])
        return animation(
            surface, record=run, panels=("trajectory", "lr"), frames=frames, lang=lang
        )
    fig = adaptive_lr_figure(surface, record)
    return lesson_result(fig, record, "adaptive:adaptive_lr")


def _surface(record):
    from optviz.surfaces.linear_regression import linear_regression

    return linear_regression()


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
