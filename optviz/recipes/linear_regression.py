"""Gradient descent on the notes' L(w, b): full batch against mini-batches."""

from __future__ import annotations

from .result import lesson_result
from .sizes import pick

__all__ = ["linear_regression"]


def linear_regression(
    *, record=None, animate: bool = False, frames: int = 90, lang: str = "en"
):
    """Full batch against mini-batches on L(w, b)
    (:func:`optviz.lessons.linear_regression`): the data and fitted lines, the paths,
    the loss per sample read. ``record``: draw that saved lesson instead.
    ``animate=True``: the paths and losses growing
    (``result.animation``, ``frames`` frames in ``lang``), both runs taking the same
    number of steps, since the animation's axis counts steps."""
    from optviz.surfaces.linear_regression import linear_regression as surface_of

    from ..lessons import linear_regression as lesson_of
    from ..plot.lesson_runs import run_of
    from ..plot.linear_regression import VARIANT_COLORS, linear_regression_figure

    surface = surface_of()
    if animate:
        from .compare import animate as animation

        if record is None:
            record = lesson_of.linear_regression(pick(100, 10), same_steps=True)
        run = run_of(record.panels[:2], surface.name, record.panels[0].arrays["xy"][0])
        for traj, c in zip(run, VARIANT_COLORS):
            traj.color = c
        return animation(
            surface, record=run, panels=("trajectory", "loss"), frames=frames, lang=lang
        )
    if record is None:
        record = lesson_of.linear_regression(pick(100, 10))
    fig = linear_regression_figure(surface, record)
    return lesson_result(fig, record, "linear_regression:linear_regression")
