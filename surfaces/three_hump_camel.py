"""Three-hump camel: one global minimum between two shallow side pockets."""

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["THREE_HUMP_CAMEL", "value", "grad"]


def value(xy):
    x, y = split(xy)
    return 2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2


def grad(xy):
    x, y = split(xy)
    return stack(4 * x - 4.2 * x**3 + x**5 + y, x + 2 * y)


THREE_HUMP_CAMEL = Surface(
    name="three_hump_camel",
    title="Three-hump camel",
    value=value,
    grad=grad,
    domain=((-2.5, 2.5), (-2.5, 2.5)),
    minima=(Point(0.0, 0.0, 0.0),),
    latex=r"2x^2 - 1.05x^4 + \frac{x^6}{6} + xy + y^2",
    reference="SFU Virtual Library of Simulation Experiments (Surjanovic & Bingham)",
    start=(-2.2, 2.0),
    lr={"sgd": 0.01, "momentum": 0.005, "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.1},
    steps=200,
    landmarks=(
        Point(1.7476, -0.8738, 0.2986, "local minimum"),
        Point(-1.7476, 0.8738, 0.2986, "local minimum"),
    ),
)
