"""Rastrigin: a bowl under egg-crate dimples, a local minimum near each integer point."""

import numpy as np

from ._math import as_xy
from ._surface import Point, Surface

__all__ = ["RASTRIGIN", "value", "grad"]

A = 10.0  # Rastrigin (1974); the usual choice


def value(xy):
    xy = as_xy(xy)
    return 2 * A + np.sum(xy**2 - A * np.cos(2 * np.pi * xy), axis=-1)


def grad(xy):
    xy = as_xy(xy)
    return 2 * xy + 2 * np.pi * A * np.sin(2 * np.pi * xy)


RASTRIGIN = Surface(
    name="rastrigin",
    title="Rastrigin",
    value=value,
    grad=grad,
    domain=((-5.12, 5.12), (-5.12, 5.12)),
    minima=(Point(0.0, 0.0, 0.0),),
    latex=r"20 + \sum_{i}\,(x_i^2 - 10\cos 2\pi x_i)",
    reference="Rastrigin (1974); SFU Virtual Library of Simulation Experiments "
    "(Surjanovic & Bingham)",
    start=(3.5, 4.2),
    lr={"sgd": 2e-3, "momentum": 1e-3, "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.1},
    steps=150,
)
