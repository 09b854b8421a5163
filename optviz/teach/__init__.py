"""The numbers behind the optimizer lessons of the gallery (momentum's β, the
adaptive methods' rates, the learning rate, bias correction, gradient descent on
L(w, b)): each module computes one :class:`~optviz.records.Lesson` that its figure is
drawn from, and registers what that figure claims (:mod:`.claims`), each claim a
predicate over the record with the numbers it rests on.

Numerics only (floor 2): the figures are drawn by :mod:`optviz.plot` from the records
alone and made by :mod:`optviz.recipes`.
"""

from __future__ import annotations

from . import adaptive, bias, learning_rate, linear_regression, momentum, ravine, rules
from .claims import Claim, check_claims, claims

__all__ = [
    "Claim",
    "claims",
    "check_claims",
    "adaptive",
    "bias",
    "learning_rate",
    "linear_regression",
    "momentum",
    "ravine",
    "rules",
]
