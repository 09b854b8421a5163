"""Records: every result optviz computes, with one contract (see :mod:`._base`).

=================  =====================================================  ============
record             one item per optimizer                                 made by
=================  =====================================================  ============
:class:`Run`       :class:`Trajectory` (iterates, loss, gradients, lr)    ``run_surface``
:class:`TrainingRun`  :class:`History` (CNN training curves, snapshots)   ``train``
:class:`Sweep`     :class:`SweepCurve` (final results per learning rate)  ``lr_sweep``
:class:`StartMap`  :class:`MapPanel` (final results per start)            ``start_map``
:class:`Landscape` a path in the plane (the loss on a grid in it)         ``landscape``
:class:`CnnSweep`  the runs of one SPEC (per lr and seed)                 ``cnn_sweep``
=================  =====================================================  ============

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
from .run import Run, Trajectory
from .startmap import DIVERGED, METRICS, NONE, MapPanel, StartMap
from .sweep import CRITERIA, Sweep, SweepCurve
from .training import EPOCH_COLUMNS, STEP_COLUMNS, History, TrainingRun

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
    "CnnSweep",
    "CnnJob",
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
