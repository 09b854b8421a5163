"""Styblinski-Tang: four pockets of different depth; the deepest is not the nearest."""

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


X_GLOBAL = -2.903534  # 1-D minima of (u^4 - 16u^2 + 5u) / 2
X_LOCAL = 2.746803

STYBLINSKI_TANG = Surface(
    name="styblinski_tang",
    title="Styblinski-Tang",
    value=value,
    grad=grad,
    domain=((-5.0, 5.0), (-5.0, 5.0)),
    minima=(Point(X_GLOBAL, X_GLOBAL, -78.33233),),
    latex=r"\frac{1}{2}\sum_{i}\,(x_i^4 - 16x_i^2 + 5x_i)",
    reference="Styblinski & Tang (1990); SFU Virtual Library of Simulation Experiments "
    "(Surjanovic & Bingham)",
    start=(0.5, 4.5),
    lr={"sgd": 0.01, "momentum": 0.005, "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.1},
    steps=200,
    landmarks=(
        Point(X_LOCAL, X_GLOBAL, -64.19, "local minimum"),
        Point(X_GLOBAL, X_LOCAL, -64.19, "local minimum"),
        Point(X_LOCAL, X_LOCAL, -50.05, "local minimum"),
    ),
)
