"""Bukin N.6: a razor-sharp curved ridge; no step size follows a crease.

Not differentiable on the crease y = x^2/100 (the gradient grows like 1/sqrt(distance))
nor on the line x = -10; there :func:`grad` returns 0 for the undefined part.
"""

import numpy as np

from ._math import d_sqrt_abs, split, stack
from ._surface import Point, Surface

__all__ = ["BUKIN6", "value", "grad"]


def value(xy):
    x, y = split(xy)
    return 100 * np.sqrt(np.abs(y - 0.01 * x**2)) + 0.01 * np.abs(x + 10)


def grad(xy):
    x, y = split(xy)
    d_crease = 100 * d_sqrt_abs(y - 0.01 * x**2)
    return stack(d_crease * (-0.02 * x) + 0.01 * np.sign(x + 10), d_crease)


BUKIN6 = Surface(
    name="bukin6",
    title="Bukin N.6",
    value=value,
    grad=grad,
    domain=((-15.0, -5.0), (-3.0, 3.0)),
    minima=(Point(-10.0, 1.0, 0.0),),
    latex=r"100\sqrt{|y - 0.01x^2|} + 0.01\,|x+10|",
    reference="Bukin (1997); SFU Virtual Library of Simulation Experiments "
    "(Surjanovic & Bingham)",
    start=(-13.0, 0.0),
    lr={"sgd": 1e-4, "momentum": 3e-5, "adagrad": 0.1, "rmsprop": 0.01, "adam": 0.01},
    steps=300,
)
