r"""The update rules, written the way the notes write them.

Every optimizer updates its parameters in place through ``opt.step(params, grads)``;
``params`` is one float ndarray of any shape or a list of them. The state the notes name
(``v``, ``r``, ``s``, ``t``) is kept per parameter in ``opt.state[i]``, a dataclass, so a
figure can read ``opt.state[0].r``. ``opt.effective_lr()`` gives the learning rate each
coordinate received in the last step; ``opt.state_dict()`` and ``opt.load_state_dict()``
save and resume a run (as in ``torch.optim``).

Notation (``../shared/notes``): ``g`` gradient, ``alpha`` = ``lr``, ``beta`` = ``momentum``,
``rho`` (RMSprop) and ``rho1, rho2`` = ``betas`` (Adam), ``delta`` = ``eps``, ``t`` the
step count from 1. Keyword names follow ``torch.optim``, and so do the iterates: the tests
hold every class against stored ``torch.optim`` trajectories to rounding error.

Hyper-parameters may be arrays that broadcast against the parameters, so one call
advances a whole batch of start points or learning rates: with ``w`` of shape ``(N, 2)``,
``lr`` of shape ``(N, 1)`` gives each row its own learning rate. ``lr`` may also be a
schedule, a callable ``t -> lr`` (see :mod:`optviz.schedules`).

An optimizer is one class in :mod:`optviz.optimizers.rules`: its facts (registry
``name``, ``title``, ``color``, ``cnn_lr``, the ``family`` whose surface learning rates it
borrows, its ``rule`` in the notes' LaTeX and the ``meaning`` of its symbols), its
hyper-parameters with their defaults, checks and notes' symbols (``hyper``; ``defaults``
is derived from it), its state dataclass and its ``_update``. That class is the single
source of its formula: :func:`register` adds it to :data:`OPTIMIZERS`, and from there to
the SPECs, ``optviz list``, the figures' colours and rule lines, the tests, and the
explorer page, whose JavaScript rule is translated from ``_update``
(:mod:`optviz.explore.rules_js`). A user's own class registers the same way (see
:mod:`optviz.plugins`).

Speed: ``_update`` is written as the notes' equations on whole arrays, and ``step`` hands
it a large parameter in blocks of :data:`BLOCK` elements, so every temporary an equation
makes stays in the CPU cache. Element-wise updates give the same bits either way.
"""

from __future__ import annotations

from ._base import (
    BLOCK,
    OPTIMIZERS,
    Hyper,
    Optimizer,
    family_of,
    flag,
    fraction,
    learning_rate,
    non_negative,
    positive,
    register,
)
from .adam_variants import Adamax, NAdam, RAdam
from .classic_more import ASGD, Adadelta, Rprop
from .matrix import Adafactor, Muon
from .prodigy import Prodigy
from .recent import AdaBelief, Lion, ScheduleFreeAdamW, ScheduleFreeSGD
from .rules import (
    MOMENTUM_FORMS,
    SGD,
    Adagrad,
    Adam,
    AdamW,
    Momentum,
    Nesterov,
    RMSprop,
)

__all__ = [
    "Optimizer",
    "Hyper",
    "SGD",
    "Momentum",
    "Nesterov",
    "Adagrad",
    "RMSprop",
    "Adam",
    "AdamW",
    "Adadelta",
    "Adamax",
    "NAdam",
    "RAdam",
    "Rprop",
    "ASGD",
    "Lion",
    "AdaBelief",
    "ScheduleFreeSGD",
    "ScheduleFreeAdamW",
    "Adafactor",
    "Muon",
    "Prodigy",
    "OPTIMIZERS",
    "MOMENTUM_FORMS",
    "DEFAULT_OPTIMIZERS",
    "register",
    "family_of",
    "learning_rate",
    "positive",
    "non_negative",
    "fraction",
    "flag",
    "BLOCK",
]

for _cls in (SGD, Momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW):
    register(_cls)
# the rest of torch.optim (LBFGS aside: scipy's, with the classical methods)
for _cls in (Adadelta, Adamax, NAdam, RAdam, Rprop, ASGD, Adafactor, Muon):
    register(_cls)
# recent ones, each held to its authors' reference package
for _cls in (Lion, AdaBelief, ScheduleFreeSGD, ScheduleFreeAdamW, Prodigy):
    register(_cls)

#: The five the notes teach, in the notes' order: the default of every comparison.
DEFAULT_OPTIMIZERS = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
