"""Rosenbrock's banana: a valley easy to find, slow to follow."""

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["ROSENBROCK", "value", "grad"]

A, B = 1.0, 100.0  # Rosenbrock (1960); scipy.optimize.rosen uses the same


def value(xy):
    x, y = split(xy)
    return (A - x) ** 2 + B * (y - x**2) ** 2


def grad(xy):
    x, y = split(xy)
    return stack(-2 * (A - x) - 4 * B * x * (y - x**2), 2 * B * (y - x**2))


ROSENBROCK = Surface(
    name="rosenbrock",
    title="Rosenbrock",
    value=value,
    grad=grad,
    domain=((-2.0, 2.0), (-1.0, 3.0)),
    minima=(Point(A, A**2, 0.0),),
    latex=r"(1-x)^2 + 100\,(y-x^2)^2",
    reference="Rosenbrock (1960), Comput. J. 3(3); SFU Virtual Library of Simulation "
    "Experiments (Surjanovic & Bingham); scipy.optimize.rosen",
    start=(-1.2, 1.0),
    lr={"sgd": 1e-3, "momentum": 1e-3, "adagrad": 1.0, "rmsprop": 0.02, "adam": 0.2},
    steps=500,
    log_levels=True,
)
