"""Goldstein-Price: a product of two quartics whose values span six orders of magnitude."""

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["GOLDSTEIN_PRICE", "value", "grad"]


def _factors(xy):
    """The two factors A, B of f = A B and their partial derivatives."""
    x, y = split(xy)
    u, v = x + y + 1, 2 * x - 3 * y
    p = 19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2
    q = 18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2
    a, b = 1 + u**2 * p, 30 + v**2 * q
    dp = -14 + 6 * x + 6 * y  # dp/dx == dp/dy
    da = 2 * u * p + u**2 * dp  # da/dx == da/dy
    db_dx = 4 * v * q + v**2 * (-32 + 24 * x - 36 * y)
    db_dy = -6 * v * q + v**2 * (48 - 36 * x + 54 * y)
    return a, b, da, db_dx, db_dy


def value(xy):
    a, b, *_ = _factors(xy)
    return a * b


def grad(xy):
    a, b, da, db_dx, db_dy = _factors(xy)
    return stack(da * b + a * db_dx, da * b + a * db_dy)


GOLDSTEIN_PRICE = Surface(
    name="goldstein_price",
    title="Goldstein-Price",
    value=value,
    grad=grad,
    domain=((-2.0, 2.0), (-2.0, 2.0)),
    minima=(Point(0.0, -1.0, 3.0),),
    latex=r"[1+(x+y+1)^2(19-14x+3x^2-14y+6xy+3y^2)]"
    r"\,[30+(2x-3y)^2(18-32x+12x^2+48y-36xy+27y^2)]",
    reference="Goldstein & Price (1971), Math. Comp. 25; SFU Virtual Library of "
    "Simulation Experiments (Surjanovic & Bingham)",
    start=(-1.5, -1.5),
    lr={"sgd": 1e-5, "momentum": 2e-6, "adagrad": 0.3, "rmsprop": 0.03, "adam": 0.1},
    steps=300,
    landmarks=(
        Point(-0.6, -0.4, 30.0, "local minimum"),
        Point(1.8, 0.2, 84.0, "local minimum"),
        Point(1.2, 0.8, 840.0, "local minimum"),
        Point(-0.4, -0.6, 35.0, "saddle"),
        Point(1.2, -0.2, 99.0, "saddle"),
        Point(1.4, 0.6, 980.0, "saddle"),
        Point(0.6, 0.4, 990.0, "saddle"),
    ),
    log_levels=True,
)
