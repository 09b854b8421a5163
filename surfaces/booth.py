"""Booth: a tilted bowl, the simplest non-round quadratic."""

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["BOOTH", "value", "grad"]


def value(xy):
    x, y = split(xy)
    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2


def grad(xy):
    x, y = split(xy)
    u, v = x + 2 * y - 7, 2 * x + y - 5
    return stack(2 * u + 4 * v, 4 * u + 2 * v)


BOOTH = Surface(
    name="booth",
    title="Booth",
    value=value,
    grad=grad,
    domain=((-10.0, 10.0), (-10.0, 10.0)),
    minima=(Point(1.0, 3.0, 0.0),),
    latex=r"(x+2y-7)^2 + (2x+y-5)^2",
    reference="SFU Virtual Library of Simulation Experiments (Surjanovic & Bingham)",
    start=(-8.0, -8.0),
    lr={"sgd": 0.01, "momentum": 2e-3, "adagrad": 3.0, "rmsprop": 0.3, "adam": 0.5},
    steps=200,
)
