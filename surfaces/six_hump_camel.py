"""Six-hump camel: two mirror-image global minima and four decoy pockets.

References round the minima to (+-0.0898, -+0.7126), f* = -1.0316; the numbers here are
those refined with scipy.optimize (grad = 0 to 1e-15).
"""

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
    minima=(
        Point(0.089842013100, -0.712656403021, -1.031628453490),
        Point(-0.089842013100, 0.712656403021, -1.031628453490),
    ),
    latex=r"(4 - 2.1x^2 + \frac{x^4}{3})\,x^2 + xy + (4y^2 - 4)\,y^2",
    reference="Dixon & Szego (1978); SFU Virtual Library of Simulation Experiments "
    "(Surjanovic & Bingham)",
    start=(2.0, 1.0),
    lr={"sgd": 0.01, "momentum": 3e-3, "adagrad": 0.3, "rmsprop": 0.03, "adam": 0.1},
    steps=200,
    landmarks=(
        Point(1.703606714970, -0.796083568673, -0.215463824384, "local minimum"),
        Point(-1.703606714970, 0.796083568673, -0.215463824384, "local minimum"),
        Point(1.607104752920, 0.568651454884, 2.104250310311, "local minimum"),
        Point(-1.607104752920, -0.568651454884, 2.104250310311, "local minimum"),
        Point(0.0, 0.0, 0.0, "saddle"),
        Point(1.109205336805, -0.768268092510, 0.543718600978, "saddle"),
        Point(-1.109205336805, 0.768268092510, 0.543718600978, "saddle"),
    ),
)
