"""Ackley: a nearly flat, rippled plain around one deep funnel."""

import numpy as np

from ._math import divide_or_zero, split, stack
from ._surface import Point, Surface

__all__ = ["ACKLEY", "value", "grad"]

A, B, C = 20.0, 0.2, 2 * np.pi  # Ackley (1987), the usual constants


def _parts(xy):
    x, y = split(xy)
    r = np.sqrt(0.5 * (x**2 + y**2))  # root mean square of the coordinates
    funnel = -A * np.exp(-B * r)
    ripples = -np.exp(0.5 * (np.cos(C * x) + np.cos(C * y)))
    return x, y, r, funnel, ripples


def value(xy):
    _, _, _, funnel, ripples = _parts(xy)
    return funnel + ripples + A + np.e


def grad(xy):
    """The gradient; at the origin (a cone's tip, not differentiable) it is 0."""
    x, y, r, funnel, ripples = _parts(xy)
    d_funnel_dr = -B * funnel  # dr/dx = x / (2 r)
    return stack(
        d_funnel_dr * divide_or_zero(x, 2 * r) - 0.5 * C * np.sin(C * x) * ripples,
        d_funnel_dr * divide_or_zero(y, 2 * r) - 0.5 * C * np.sin(C * y) * ripples,
    )


ACKLEY = Surface(
    name="ackley",
    title="Ackley",
    value=value,
    grad=grad,
    domain=((-5.0, 5.0), (-5.0, 5.0)),
    minima=(Point(0.0, 0.0, 0.0),),
    latex=r"-20\,e^{-0.2\sqrt{(x^2+y^2)/2}} - e^{(\cos 2\pi x + \cos 2\pi y)/2} + 20 + e",
    reference="Ackley (1987); SFU Virtual Library of Simulation Experiments "
    "(Surjanovic & Bingham), whose search domain is [-32.768, 32.768]^2",
    start=(-3.4, -4.4),
    lr={"sgd": 0.02, "momentum": 0.012, "adagrad": 0.5, "rmsprop": 0.03, "adam": 0.1},
    steps=200,
)
