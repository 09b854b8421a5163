"""Training histories: moved to :mod:`optviz.records` (kept so old imports work)."""

from .records.training import EPOCH_COLUMNS, STEP_COLUMNS, History, TrainingRun

__all__ = ["History", "TrainingRun", "EPOCH_COLUMNS", "STEP_COLUMNS"]
