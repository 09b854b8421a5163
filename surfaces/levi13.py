"""Levi N.13: ripples in both directions on a bowl; gradients point every which way."""

import numpy as np

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["LEVI13", "value", "grad"]

PI = np.pi


def value(xy):
    x, y = split(xy)
    return (
        np.sin(3 * PI * x) ** 2
        + (x - 1) ** 2 * (1 + np.sin(3 * PI * y) ** 2)
        + (y - 1) ** 2 * (1 + np.sin(2 * PI * y) ** 2)
    )


def grad(xy):
    x, y = split(xy)  # d/du sin^2(k u) = k sin(2 k u)
    return stack(
        3 * PI * np.sin(6 * PI * x) + 2 * (x - 1) * (1 + np.sin(3 * PI * y) ** 2),
        (x - 1) ** 2 * 3 * PI * np.sin(6 * PI * y)
        + 2 * (y - 1) * (1 + np.sin(2 * PI * y) ** 2)
        + (y - 1) ** 2 * 2 * PI * np.sin(4 * PI * y),
    )


LEVI13 = Surface(
    name="levi13",
    title="Levi N.13",
    value=value,
    grad=grad,
    domain=((-4.0, 6.0), (-4.0, 6.0)),
    minima=(Point(1.0, 1.0, 0.0),),
    latex=r"\sin^2 3\pi x + (x-1)^2(1+\sin^2 3\pi y) + (y-1)^2(1+\sin^2 2\pi y)",
    reference="SFU Virtual Library of Simulation Experiments (Surjanovic & Bingham)",
    start=(-3.0, 4.5),
    lr={"sgd": 3e-3, "momentum": 1e-3, "adagrad": 1.0, "rmsprop": 0.1, "adam": 0.1},
    steps=200,
)
