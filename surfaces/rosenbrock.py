"""Rosenbrock's banana: a valley easy to find, slow to follow."""

import numpy as np

from ._surface import Point, Surface

A, B = 1.0, 100.0  # Rosenbrock (1960); scipy.optimize.rosen uses the same


def value(xy):
    x, y = xy[..., 0], xy[..., 1]
    return (A - x) ** 2 + B * (y - x**2) ** 2


def grad(xy):
    x, y = xy[..., 0], xy[..., 1]
    return np.stack([-2 * (A - x) - 4 * B * x * (y - x**2), 2 * B * (y - x**2)], axis=-1)


ROSENBROCK = Surface(
    name="rosenbrock",
    title="Rosenbrock",
    value=value,
    grad=grad,
    domain=((-2.0, 2.0), (-1.0, 3.0)),
    minima=(Point(1.0, 1.0, 0.0),),
    latex=r"(1-x)^2 + 100\,(y-x^2)^2",
    reference="Rosenbrock (1960); SFU Virtual Library of Simulation Experiments; "
    "scipy.optimize.rosen",
    start=(-1.5, 2.0),
    lr={"sgd": 1e-3, "momentum": 1e-4, "adagrad": 0.5, "rmsprop": 0.01, "adam": 0.05},
    steps=500,
    log_levels=True,
)
