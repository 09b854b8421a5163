"""Himmelblau: four equal minima, and the start decides which one you reach."""

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["HIMMELBLAU", "value", "grad"]


def value(xy):
    x, y = split(xy)
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def grad(xy):
    x, y = split(xy)
    u, v = x**2 + y - 11, x + y**2 - 7
    return stack(4 * x * u + 2 * v, 2 * u + 4 * y * v)


HIMMELBLAU = Surface(
    name="himmelblau",
    title="Himmelblau",
    value=value,
    grad=grad,
    domain=((-5.0, 5.0), (-5.0, 5.0)),
    minima=(
        Point(3.0, 2.0, 0.0),
        Point(-2.805118086953, 3.131312518251, 0.0),
        Point(-3.779310253378, -3.283185991286, 0.0),
        Point(3.584428340330, -1.848126526964, 0.0),
    ),
    latex=r"(x^2+y-11)^2 + (x+y^2-7)^2",
    reference="Himmelblau (1972), Applied Nonlinear Programming; SFU Virtual Library "
    "of Simulation Experiments (Surjanovic & Bingham)",
    start=(1.0, -1.0),
    lr={"sgd": 0.01, "momentum": 2e-3, "adagrad": 0.5, "rmsprop": 0.03, "adam": 0.1},
    steps=200,
    landmarks=(
        Point(0.086677504555, 2.884254701175, 67.719150087526, "saddle"),
        Point(-3.073025750764, -0.081353044288, 104.015162917558, "saddle"),
        Point(3.385154183607, 0.073851879838, 13.311926270406, "saddle"),
        Point(-0.127961346731, -1.953714980245, 178.337239201927, "saddle"),
    ),
    log_levels=True,
)
