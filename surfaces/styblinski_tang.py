"""Styblinski-Tang: four pockets of different depth; the deepest is not the nearest.

The SFU library gives f* = -39.16599 d; refining the root of 4u^3 - 32u + 5 gives
-39.166166 d (as Wikipedia's -39.16617 d), which is what this module lists.
"""

import numpy as np

from ._math import as_xy
from ._surface import Point, Surface

__all__ = ["STYBLINSKI_TANG", "value", "grad"]


def value(xy):
    xy = as_xy(xy)
    return 0.5 * np.sum(xy**4 - 16 * xy**2 + 5 * xy, axis=-1)


def grad(xy):
    xy = as_xy(xy)
    return 0.5 * (4 * xy**3 - 32 * xy + 5)


# The 1-D minima of h(u) = (u^4 - 16u^2 + 5u) / 2 (roots of 4u^3 - 32u + 5, refined):
X_GLOBAL, H_GLOBAL = -2.903534027771, -39.166165703771
X_LOCAL, H_LOCAL = 2.746802770991, -25.029446655284

STYBLINSKI_TANG = Surface(
    name="styblinski_tang",
    title="Styblinski-Tang",
    value=value,
    grad=grad,
    domain=((-5.0, 5.0), (-5.0, 5.0)),
    minima=(Point(X_GLOBAL, X_GLOBAL, 2 * H_GLOBAL),),
    latex=r"\frac{1}{2}\sum_{i}\,(x_i^4 - 16x_i^2 + 5x_i)",
    reference="Styblinski & Tang (1990); SFU Virtual Library of Simulation Experiments "
    "(Surjanovic & Bingham)",
    start=(-0.2, 4.8),
    lr={"sgd": 0.01, "momentum": 3e-3, "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.1},
    steps=200,
    landmarks=(
        Point(X_LOCAL, X_GLOBAL, H_LOCAL + H_GLOBAL, "local minimum"),
        Point(X_GLOBAL, X_LOCAL, H_LOCAL + H_GLOBAL, "local minimum"),
        Point(X_LOCAL, X_LOCAL, 2 * H_LOCAL, "local minimum"),
    ),
)
