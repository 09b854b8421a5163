"""Saddle x^2 - y^2: downhill one way, uphill the other; gradient descent slows near it."""

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["SADDLE", "value", "grad"]


def value(xy):
    x, y = split(xy)
    return x**2 - y**2


def grad(xy):
    x, y = split(xy)
    return stack(2 * x, -2 * y)


SADDLE = Surface(
    name="saddle",
    title="Saddle",
    value=value,
    grad=grad,
    domain=((-2.0, 2.0), (-2.0, 2.0)),
    minima=(),  # unbounded below
    latex=r"x^2 - y^2",
    reference="the textbook saddle; Dauphin et al. (2014), saddle points in "
    "high-dimensional non-convex optimization",
    start=(-1.8, 0.01),
    lr={"sgd": 0.02, "momentum": 3e-3, "adagrad": 0.1, "rmsprop": 5e-3, "adam": 0.02},
    steps=100,
    landmarks=(Point(0.0, 0.0, 0.0, "saddle"),),
)
