"""Matyas: a long, nearly flat diagonal trough, a quadratic with condition number 25."""

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["MATYAS", "value", "grad"]


def value(xy):
    x, y = split(xy)
    return 0.26 * (x**2 + y**2) - 0.48 * x * y


def grad(xy):
    x, y = split(xy)
    return stack(0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x)


MATYAS = Surface(
    name="matyas",
    title="Matyas",
    value=value,
    grad=grad,
    domain=((-10.0, 10.0), (-10.0, 10.0)),
    minima=(Point(0.0, 0.0, 0.0),),
    latex=r"0.26\,(x^2+y^2) - 0.48\,xy",
    reference="SFU Virtual Library of Simulation Experiments (Surjanovic & Bingham)",
    start=(-8.0, -4.0),
    lr={"sgd": 1.0, "momentum": 0.1, "adagrad": 2.0, "rmsprop": 0.1, "adam": 0.3},
    steps=200,
)
