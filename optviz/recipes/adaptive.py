"""Adagrad, RMSprop and Adam: the rate each coordinate gets, Adam's bias correction."""

from __future__ import annotations

from .result import lesson_result
from .sizes import pick


# -- adaptive-lr ---------------------------------------------------------------------
def adaptive_lr(*, record=None, animate: bool = False, frames: int = 90, lang: str = "en"):
    """Adagrad, RMSprop and Adam from the same first step on L(w, b)
    (:func:`optviz.lessons.adaptive_lr`): a sum or an average of the past g², the loss,
    the rate of w and of b. ``record``: draw that saved lesson instead.
    ``animate=True``: the three paths and rates growing (``result.animation``,
    ``frames`` frames in ``lang``)."""
    from ..lessons import adaptive as lesson_of
    from ..plot.adaptive import adaptive_lr_figure
    from ..plot.lesson_runs import run_of

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
def bias_correction(*, record=None):
    """Adam with and without bias correction (:func:`optviz.lessons.bias_correction`):
    moments under a constant g, step lengths, paths on a quadratic. ``record``: draw
    that saved lesson instead."""
    from optviz.surfaces.quadratic import quadratic

    from ..lessons import bias as lesson_of
    from ..plot.adaptive import bias_correction_figure

    if record is None:
        record = lesson_of.bias_correction(
            steps=pick(60, 20), constant_steps=pick(3000, 300)
        )
    surface = quadratic(kappa=record.settings["kappa"])
    fig = bias_correction_figure(surface, record)
    return lesson_result(fig, record, "adaptive:bias_correction")
