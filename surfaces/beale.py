"""Beale: a flat plateau and steep walls, so a step size that suits one breaks the other."""

import numpy as np

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["BEALE", "value", "grad"]

C = np.array([1.5, 2.25, 2.625])  # the three targets; term k uses y**(k + 1)
K = np.arange(1, 4)


def _terms(xy):
    x, y = split(xy)
    x, y = x[..., None], y[..., None]  # (...) -> (..., 1) against the 3 terms
    return x, y, C - x + x * y**K


def value(xy):
    _, _, t = _terms(xy)
    return np.sum(t**2, axis=-1)


def grad(xy):
    x, y, t = _terms(xy)
    df_dx = np.sum(2 * t * (y**K - 1), axis=-1)
    df_dy = np.sum(2 * t * x * K * y ** (K - 1), axis=-1)
    return stack(df_dx, df_dy)


BEALE = Surface(
    name="beale",
    title="Beale",
    value=value,
    grad=grad,
    domain=((-4.5, 4.5), (-4.5, 4.5)),
    minima=(Point(3.0, 0.5, 0.0),),
    latex=r"(1.5-x+xy)^2 + (2.25-x+xy^2)^2 + (2.625-x+xy^3)^2",
    reference="Beale (1958); SFU Virtual Library of Simulation Experiments "
    "(Surjanovic & Bingham)",
    start=(1.0, 1.5),
    lr={"sgd": 0.01, "momentum": 1e-3, "adagrad": 1.0, "rmsprop": 0.03, "adam": 0.1},
    steps=300,
    landmarks=(
        Point(0.0, 1.0, 14.203125, "saddle"),
        Point(0.100537937324, -2.644513585023, 9.864512284756, "saddle"),
    ),
    log_levels=True,
)
