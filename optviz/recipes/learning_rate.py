"""The learning rate α: too small, right, too large, diverging."""

from __future__ import annotations

from .result import lesson_result
from .sizes import pick

__all__ = ["learning_rate"]


def learning_rate(*, record=None):
    """α on a parabola (as multiples of 2/λ) and on L(w, b) (around α* = 2/(λmax +
    λmin) and 2/λmax), with SGD's final gap over α (:func:`optviz.lessons.learning_rate`);
    ``record``: draw that saved lesson instead."""
    from optviz.surfaces.linear_regression import linear_regression

    from ..lessons import learning_rate as lesson_of
    from ..plot.learning_rate import learning_rate_figure

    if record is None:
        record = lesson_of.learning_rate(steps=pick(40, 15), sweep_points=pick(41, 9))
    fig = learning_rate_figure(linear_regression(), record)
    return lesson_result(fig, record, "learning_rate:learning_rate")
