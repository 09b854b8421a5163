"""optviz: see how optimizers work.

SGD, momentum, Adagrad, RMSprop and Adam implemented from scratch in NumPy, run on
analytic 2-D loss surfaces and on a small NumPy CNN, drawn as figures and animations.
"""

from . import explore, schedules  # noqa: E402
from ._version import __version__
from .optimizers import (  # noqa: E402
    DEFAULT_OPTIMIZERS,
    OPTIMIZERS,
    SGD,
    Adagrad,
    Adam,
    AdamW,
    Momentum,
    Nesterov,
    Optimizer,
    RMSprop,
)
from .records import Run, Trajectory  # noqa: E402
from .run import run_one, run_surface  # noqa: E402
from .startmap import start_map  # noqa: E402
from .sweep import lr_sweep  # noqa: E402

__all__ = [
    "__version__",
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "Adagrad",
    "RMSprop",
    "Adam",
    "AdamW",
    "OPTIMIZERS",
    "DEFAULT_OPTIMIZERS",
    "Run",
    "Trajectory",
    "run_one",
    "run_surface",
    "lr_sweep",
    "start_map",
    "explore",
    "schedules",
]
