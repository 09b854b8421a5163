"""McCormick: a tilted plane with a sine fold, where the minimum has a closed form.

Unbounded below on the plane (along x - y = 1); the global minimum is the lowest point of
the usual domain [-1.5, 4] x [-3, 4], f(0.5 - pi/3, -0.5 - pi/3) = -sqrt(3)/2 - pi/3
= -1.913223 (SFU: -1.9133 at (-0.54719, -1.54719)).
"""

import numpy as np

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["MCCORMICK", "value", "grad"]


def value(xy):
    x, y = split(xy)
    return np.sin(x + y) + (x - y) ** 2 - 1.5 * x + 2.5 * y + 1


def grad(xy):
    x, y = split(xy)
    c = np.cos(x + y)
    return stack(c + 2 * (x - y) - 1.5, c - 2 * (x - y) + 2.5)


def _stationary(s, kind):
    """grad = 0 means x - y = 1 and cos(x + y) = -1/2; on that line f = sin s + s/2."""
    return Point((s + 1) / 2, (s - 1) / 2, np.sin(s) + s / 2, kind)


MCCORMICK = Surface(
    name="mccormick",
    title="McCormick",
    value=value,
    grad=grad,
    domain=((-1.5, 4.0), (-3.0, 4.0)),
    minima=(_stationary(-2 * np.pi / 3, "global minimum"),),
    latex=r"\sin(x+y) + (x-y)^2 - 1.5x + 2.5y + 1",
    reference="McCormick (1976); SFU Virtual Library of Simulation Experiments "
    "(Surjanovic & Bingham)",
    start=(-1.4, 2.0),
    lr={"sgd": 0.05, "momentum": 0.01, "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.1},
    steps=100,
    landmarks=(
        _stationary(4 * np.pi / 3, "local minimum"),
        _stationary(2 * np.pi / 3, "saddle"),
    ),
)
