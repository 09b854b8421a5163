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
        Point(-2.805118, 3.131312, 0.0),
        Point(-3.779310, -3.283186, 0.0),
        Point(3.584428, -1.848126, 0.0),
    ),
    latex=r"(x^2+y-11)^2 + (x+y^2-7)^2",
    reference="Himmelblau (1972), Applied Nonlinear Programming; SFU Virtual Library "
    "of Simulation Experiments (Surjanovic & Bingham)",
    start=(-0.5, -0.5),
    lr={"sgd": 0.01, "momentum": 0.002, "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.1},
    steps=200,
    landmarks=(
        Point(0.086677, 2.884254, 67.919, "saddle"),
        Point(-3.073026, -0.081353, 104.02, "saddle"),
        Point(3.385154, 0.073852, 13.312, "saddle"),
        Point(-0.127961, -1.953715, 178.34, "saddle"),
    ),
    log_levels=True,
)
