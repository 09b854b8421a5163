"""optviz: see how optimizers work.

SGD, momentum, Adagrad, RMSprop and Adam implemented from scratch in NumPy, run on
analytic 2-D loss surfaces and on a small NumPy CNN, drawn as figures and animations.

The public names are imported on first use (PEP 562), so that ``optviz --help`` and
``import optviz.optimizers`` load neither pandas nor matplotlib.
"""

from __future__ import annotations

import importlib

from ._version import __version__

#: Public name -> the module that defines it.
_WHERE = {
    "Optimizer": "optimizers",
    "SGD": "optimizers",
    "Momentum": "optimizers",
    "Nesterov": "optimizers",
    "Adagrad": "optimizers",
    "RMSprop": "optimizers",
    "Adam": "optimizers",
    "AdamW": "optimizers",
    "OPTIMIZERS": "optimizers",
    "DEFAULT_OPTIMIZERS": "optimizers",
    "Run": "records",
    "Trajectory": "records",
    "TrainingRun": "records",
    "History": "records",
    "Sweep": "records",
    "SweepCurve": "records",
    "StartMap": "records",
    "MapPanel": "records",
    "Landscape": "records",
    "CnnSweep": "records",
    "Tuned": "records",
    "run_one": "run",
    "run_surface": "run",
    "lr_sweep": "sweep",
    "start_map": "startmap",
    "tune_suite": "tuning",
}

__all__ = ["__version__", *_WHERE, "schedules", "explore"]


def __getattr__(name: str):
    if name in ("schedules", "explore"):
        return importlib.import_module(f".{name}", __name__)
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'optviz' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
