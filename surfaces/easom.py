"""Easom: a needle in a flat plain; far from it the gradient is all but zero."""

import numpy as np

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["EASOM", "value", "grad"]


def _parts(xy):
    x, y = split(xy)
    bump = np.exp(-((x - np.pi) ** 2) - (y - np.pi) ** 2)
    return x, y, bump


def value(xy):
    x, y, bump = _parts(xy)
    return -np.cos(x) * np.cos(y) * bump


def grad(xy):
    x, y, bump = _parts(xy)
    return stack(
        bump * np.cos(y) * (np.sin(x) + 2 * (x - np.pi) * np.cos(x)),
        bump * np.cos(x) * (np.sin(y) + 2 * (y - np.pi) * np.cos(y)),
    )


EASOM = Surface(
    name="easom",
    title="Easom",
    value=value,
    grad=grad,
    domain=((-1.0, 7.0), (-1.0, 7.0)),
    minima=(Point(np.pi, np.pi, -1.0),),
    latex=r"-\cos x\,\cos y\;e^{-(x-\pi)^2-(y-\pi)^2}",
    reference="Easom (1990); SFU Virtual Library of Simulation Experiments "
    "(Surjanovic & Bingham), whose search domain is [-100, 100]^2",
    start=(4.8, 4.6),
    lr={"sgd": 0.5, "momentum": 0.1, "adagrad": 0.3, "rmsprop": 0.03, "adam": 0.1},
    steps=200,
    landmarks=(Point(4.978189856742, 4.978189856742, -8.1102238916e-05, "local minimum"),),
)
