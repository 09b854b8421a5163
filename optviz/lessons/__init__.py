"""The numbers behind the teaching figures: each lesson computes one
:class:`~optviz.records.Lesson` (the arrays a figure draws, the facts it states), and
:func:`claims` lists what that figure claims, each a predicate over the record with the
numbers it rests on (every lesson registers its claims with
:func:`~optviz.lessons.claims.claims_of`; one registry).

Numerics only (floor 2): the figures are drawn by :mod:`optviz.plot` from the records
alone, and made by :mod:`optviz.recipes` (``optviz lesson NAME``; the names:
:mod:`.names`).

The optimizer lessons, one module each:

============================  ===========================================================
:mod:`.linear_regression`     gradient descent on L(w, b): full batch against mini-batches
:mod:`.learning_rate`         α on a parabola and on L(w, b): 2/λ, 2/(λmax + λmin)
:mod:`.rules`                 the five update rules, from their classes
:mod:`.momentum`              momentum's β on a ravine, each at its best α
:mod:`.ravine`                the (α, β) rate map; tuned momentum against tuned SGD
:mod:`.adaptive`              Adagrad sums, RMSprop averages: the rate each coordinate gets
:mod:`.bias`                  Adam's bias correction
:mod:`.families`              which optimizer adds which idea to which, from the classes
============================  ===========================================================

(the step taken apart, ``explain-step``, is :mod:`optviz.explain`; the CNN's lessons
are :mod:`optviz.nn`'s). The notes' last twelve ideas, one function each:

============================  ===========================================================
``lr_decay``                  a constant α leaves mini-batch SGD on a noise floor
``decay_rates``               how long r remembers: ρ 0.9 vs 0.99, Adam's ρ2 0.99 vs 0.999
``delta_role``                δ near a minimum: the step α·g/(√r + δ) as g → 0
``momentum_sum``              heavy ball's sum of gradients vs Adam's average
``padding_coverage``          how often a kernel reads each pixel, with and without P
``stride_kernel``             H2 for each S and FH, and the refusal of a non-whole H2
``initialisation``            equal weights stay equal; random ones break the symmetry
``zero_mean_zigzag``          inputs all > 0: every update moves all weights one way
``leaky_prelu``               LeakyReLU's fixed a against PReLU's learned a
``dying_relu``                ReLU units that die with a large α, and stay dead
``relu_explosion``            ReLU gradients through depth; He's Var w = 2/n as remedy
``batch_size``                gradient noise and cost against B; with, without replacement
============================  ===========================================================
"""

from __future__ import annotations

from . import (
    adaptive,
    bias,
    families,
    learning_rate,
    linear_regression,
    momentum,
    ravine,
    rules,
)
from .batches import batch_size
from .claims import Claim, check_claims, claims, trajectory_panel
from .conv import padding_coverage, stride_kernel
from .depth import dying_relu, relu_explosion
from .names import NAMES
from .steps import decay_rates, delta_role, lr_decay, momentum_sum
from .units import initialisation, leaky_prelu, zero_mean_zigzag

__all__ = [
    "NAMES",
    "Claim",
    "claims",
    "check_claims",
    "trajectory_panel",
    "adaptive",
    "bias",
    "families",
    "learning_rate",
    "linear_regression",
    "momentum",
    "ravine",
    "rules",
    "lr_decay",
    "decay_rates",
    "delta_role",
    "momentum_sum",
    "padding_coverage",
    "stride_kernel",
    "initialisation",
    "zero_mean_zigzag",
    "leaky_prelu",
    "dying_relu",
    "relu_explosion",
    "batch_size",
]
