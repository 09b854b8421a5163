"""Six-hump camel: two mirror-image global minima and four decoy pockets."""

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["SIX_HUMP_CAMEL", "value", "grad"]


def value(xy):
    x, y = split(xy)
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


def grad(xy):
    x, y = split(xy)
    return stack(8 * x - 8.4 * x**3 + 2 * x**5 + y, x - 8 * y + 16 * y**3)


SIX_HUMP_CAMEL = Surface(
    name="six_hump_camel",
    title="Six-hump camel",
    value=value,
    grad=grad,
    domain=((-2.2, 2.2), (-1.2, 1.2)),
    minima=(Point(0.0898, -0.7126, -1.0316), Point(-0.0898, 0.7126, -1.0316)),
    latex=r"(4 - 2.1x^2 + \frac{x^4}{3})\,x^2 + xy + (4y^2 - 4)\,y^2",
    reference="Dixon & Szego (1978); SFU Virtual Library of Simulation Experiments "
    "(Surjanovic & Bingham)",
    start=(-1.5, -1.0),
    lr={"sgd": 0.01, "momentum": 0.005, "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.1},
    steps=200,
)
