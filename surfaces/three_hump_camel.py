"""Three-hump camel: one global minimum between two shallow side pockets."""

import numpy as np

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["THREE_HUMP_CAMEL", "value", "grad"]


def value(xy):
    x, y = split(xy)
    return 2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2


def grad(xy):
    x, y = split(xy)
    return stack(4 * x - 4.2 * x**3 + x**5 + y, x + 2 * y)


def _stationary(sign, kind):
    """grad = 0 means y = -x/2 and x^4 - 4.2x^2 + 3.5 = 0, so x^2 = 2.1 +- sqrt(0.91)."""
    x = np.sqrt(2.1 + sign * np.sqrt(0.91))
    return [Point(s * x, -s * x / 2, float(value([x, -x / 2])), kind) for s in (1, -1)]


THREE_HUMP_CAMEL = Surface(
    name="three_hump_camel",
    title="Three-hump camel",
    value=value,
    grad=grad,
    domain=((-2.5, 2.5), (-2.5, 2.5)),
    minima=(Point(0.0, 0.0, 0.0),),
    latex=r"2x^2 - 1.05x^4 + \frac{x^6}{6} + xy + y^2",
    reference="SFU Virtual Library of Simulation Experiments (Surjanovic & Bingham)",
    start=(2.2, 1.5),
    lr={"sgd": 0.01, "momentum": 3e-3, "adagrad": 0.3, "rmsprop": 0.03, "adam": 0.1},
    steps=200,
    landmarks=(*_stationary(+1, "local minimum"), *_stationary(-1, "saddle")),
)
