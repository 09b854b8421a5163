"""Monkey saddle x^3 - 3xy^2: three valleys down, a flat point where the gradient dies."""

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["MONKEY_SADDLE", "value", "grad"]


def value(xy):
    x, y = split(xy)
    return x**3 - 3 * x * y**2


def grad(xy):
    x, y = split(xy)
    return stack(3 * x**2 - 3 * y**2, -6 * x * y)


MONKEY_SADDLE = Surface(
    name="monkey_saddle",
    title="Monkey saddle",
    value=value,
    grad=grad,
    domain=((-2.0, 2.0), (-2.0, 2.0)),
    minima=(),  # unbounded below
    latex=r"x^3 - 3xy^2",
    reference="the textbook degenerate saddle (Re z^3); a second-order method is no "
    "help there, the Hessian vanishes",
    start=(1.5, 0.1),
    lr={"sgd": 3e-3, "momentum": 5e-4, "adagrad": 0.05, "rmsprop": 5e-3, "adam": 0.01},
    steps=100,
    landmarks=(Point(0.0, 0.0, 0.0, "saddle"),),
)
