"""An elongated bowl 0.5 (x^2 + kappa y^2): the condition number kappa makes SGD zigzag."""

from __future__ import annotations

from ._math import split, stack
from ._surface import Point, Surface

__all__ = ["quadratic", "QUADRATIC", "KAPPA"]

KAPPA = 10.0  # the registry's condition number


def quadratic(kappa: float = KAPPA) -> Surface:
    """The bowl ``0.5 (x^2 + kappa y^2)``, curvatures 1 and ``kappa``.

    Gradient descent is stable for ``lr < 2 / max(1, kappa)``; the default SGD and
    momentum rates scale with ``1 / max(1, kappa)`` so any ``kappa`` gives a clear figure.

    >>> q = quadratic(kappa=4.0)
    >>> q.params, float(q([2.0, 1.0]))
    ({'kappa': 4.0}, 4.0)
    """
    kappa = float(kappa)
    if not 0 < kappa < float("inf"):
        raise ValueError(f"kappa must be in (0, inf), got {kappa}")

    def value(xy):
        x, y = split(xy)
        return 0.5 * (x**2 + kappa * y**2)

    def grad(xy):
        x, y = split(xy)
        return stack(x, kappa * y)

    stiff = max(1.0, kappa)  # the largest curvature, which limits SGD's step
    return Surface(
        name="quadratic",
        title=f"Quadratic bowl (κ = {kappa:g})",
        value=value,
        grad=grad,
        domain=((-5.0, 5.0), (-3.0, 3.0)),
        minima=(Point(0.0, 0.0, 0.0),),
        latex=rf"\frac{{1}}{{2}}\,(x^2 + {kappa:g}\,y^2)",
        reference="the model problem of every convergence analysis; e.g. Goh (2017), "
        "Why Momentum Really Works, Distill",
        start=(-4.5, 2.0),
        lr={
            "sgd": 1.8 / stiff,  # > 1/stiff: the stiff coordinate overshoots, a zigzag
            "momentum": 0.2 / stiff,
            "adagrad": 1.0,
            "rmsprop": 0.05,
            "adam": 0.2,
        },
        steps=100,
        params={"kappa": kappa},
    )


QUADRATIC = quadratic()
