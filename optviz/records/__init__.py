"""Records: every result optviz computes, with one contract (see :mod:`._base`).

- :class:`Run` of :class:`Trajectory` (iterates, loss, gradients, effective learning
  rates): made by :func:`optviz.run.run_surface`;
- :class:`TrainingRun` of :class:`History` (CNN training curves, parameter
  snapshots): :func:`optviz.nn.trainer.train_optimizers`;
- :class:`Sweep` of :class:`SweepCurve` (final results per learning rate):
  :func:`optviz.sweep.lr_sweep`;
- :class:`StartMap` of :class:`MapPanel` (final results per start):
  :func:`optviz.startmap.start_map`;
- :class:`Landscape` of paths in one plane, with the loss on a grid in it:
  :func:`optviz.landscape.landscape`;
- :class:`LineLoss` of :class:`Line` (the loss on the straight line from each path's
  start to its end): :func:`optviz.landscape.interpolate_to_ends`;
- :class:`Lesson` of :class:`Panel` (the arrays and facts of one teaching figure):
  the teaching recipes of :mod:`optviz.recipes`;
- :class:`CnnSweep` of the runs of each SPEC (per learning rate and seed):
  :func:`optviz.cnn_sweep.cnn_sweep`;
- :class:`Tuned` of :class:`TunedSearch` (a tuning protocol's joint searches over
  surfaces, starts and budgets): :func:`optviz.tuning.tune_suite`.

Every one of them: ``save(path)`` (``.csv`` or ``.npz`` + a JSON sidecar of one
layout), ``Type.load(path)`` (bounded, one-line ``ValueError`` on bad files),
``to_frame()``, ``rec[label]``, ``iter``, ``len``, ``labels``, a short ``repr`` and an
HTML table in notebooks. Nothing here imports matplotlib; pandas is imported when a
frame is made or read.
"""

from ._base import (
    FILE_FORMAT,
    MAX_LOAD_BYTES,
    MAX_SIDECAR_BYTES,
    RECORD_SUFFIXES,
    Record,
    npz_headers,
    read_npz,
    versions,
)
from .cnn_sweep import CNN_CRITERIA, RESULT_COLUMNS, CnnJob, CnnSweep
from .landscape import Landscape, Plane
from .lesson import Lesson, Panel
from .line import Line, LineLoss
from .run import Run, Trajectory
from .startmap import DIVERGED, METRICS, NONE, MapPanel, StartMap
from .sweep import CRITERIA, Sweep, SweepCurve
from .training import EPOCH_COLUMNS, STEP_COLUMNS, History, TrainingRun
from .tuned import OBJECTIVES, Tuned, TunedSearch

__all__ = [
    "Record",
    "Run",
    "Trajectory",
    "TrainingRun",
    "History",
    "Sweep",
    "SweepCurve",
    "StartMap",
    "MapPanel",
    "Landscape",
    "Plane",
    "LineLoss",
    "Line",
    "Lesson",
    "Panel",
    "CnnSweep",
    "CnnJob",
    "Tuned",
    "TunedSearch",
    "OBJECTIVES",
    "versions",
    "npz_headers",
    "read_npz",
    "RECORD_SUFFIXES",
    "FILE_FORMAT",
    "MAX_LOAD_BYTES",
    "MAX_SIDECAR_BYTES",
    "EPOCH_COLUMNS",
    "STEP_COLUMNS",
    "CRITERIA",
    "CNN_CRITERIA",
    "RESULT_COLUMNS",
    "NONE",
    "DIVERGED",
    "METRICS",
]
