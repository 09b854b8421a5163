"""Eggholder: a crumpled sheet whose lowest point sits on the edge of its domain.

The minimum is the lowest point of [-512, 512]^2 (SFU: f(512, 404.2319) = -959.6407,
refined here along the edge x = 512); the surface goes lower just outside the domain
(-976.91 near (522.16, 413.32)), where an unconstrained optimizer may wander.

Not differentiable on the lines x/2 + y + 47 = 0 and x - y - 47 = 0 (sqrt of |.|);
there :func:`grad` returns 0 for the undefined part.
"""

import numpy as np

from ._math import d_sqrt_abs, split, stack
from ._surface import Point, Surface

__all__ = ["EGGHOLDER", "value", "grad"]


def _parts(xy):
    x, y = split(xy)
    z = y + 47
    p, q = x / 2 + z, x - z
    return x, z, p, q


def value(xy):
    x, z, p, q = _parts(xy)
    return -z * np.sin(np.sqrt(np.abs(p))) - x * np.sin(np.sqrt(np.abs(q)))


def grad(xy):
    x, z, p, q = _parts(xy)
    dp = -z * np.cos(np.sqrt(np.abs(p))) * d_sqrt_abs(p)  # d value / dp
    dq = -x * np.cos(np.sqrt(np.abs(q))) * d_sqrt_abs(q)  # d value / dq
    return stack(
        0.5 * dp + dq - np.sin(np.sqrt(np.abs(q))),
        dp - dq - np.sin(np.sqrt(np.abs(p))),
    )


EGGHOLDER = Surface(
    name="eggholder",
    title="Eggholder",
    value=value,
    grad=grad,
    domain=((-512.0, 512.0), (-512.0, 512.0)),
    minima=(Point(512.0, 404.231805050225, -959.640662720851),),
    latex=r"-(y+47)\sin\sqrt{|x/2+y+47|} - x\,\sin\sqrt{|x-y-47|}",
    reference="Whitley et al. (1996); SFU Virtual Library of Simulation Experiments "
    "(Surjanovic & Bingham)",
    start=(350.0, 350.0),
    lr={"sgd": 0.1, "momentum": 0.03, "adagrad": 5.0, "rmsprop": 0.3, "adam": 1.0},
    steps=300,
    landmarks=(
        Point(439.480997269453, 453.977434754003, -935.337951560580, "local minimum"),
    ),
)
