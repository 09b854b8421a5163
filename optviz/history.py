"""Training histories: numpy arrays per optimizer, a tidy DataFrame, CSV with a sidecar.

A :class:`History` is what one optimizer did while training a network; a
:class:`TrainingRun` is several of them trained from the same initial weights on the
same mini-batches. As with :mod:`optviz.records` (the surface runs), figures are drawn
from these records, and a record saved today can be redrawn tomorrow.

Shapes, with ``T`` mini-batch steps, ``E`` epochs and ``P`` parameters:

- ``step_loss``: ``(T,)``, the loss of each mini-batch, measured just before the step
  it drives;
- ``step_epoch``: ``(T,)``, the epoch (from 1) each step belongs to;
- ``train_loss``, ``train_accuracy``: ``(E,)``, means over the epoch's mini-batches;
- ``val_loss``, ``val_accuracy``: ``(E,)``, on the validation set after the epoch;
- ``diverged_at``: the first step whose loss was not finite, or -1; from there on
  the epoch values are NaN and training stopped;
- ``snapshot_steps``, ``snapshots``: ``(K,)`` and ``(K, P)``, the flat parameter vector
  (``model.get_flat()``) after those steps, when snapshots were asked for.

On disk (:meth:`TrainingRun.save`): ``history.csv`` (one row per optimizer and epoch),
``history-steps.csv`` (one row per optimizer and step), ``history-snapshots.npz`` (only
with snapshots) and a JSON sidecar with every setting (``history.json`` by default).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from ._io import atomic_path, check_writable
from .records import versions

__all__ = ["History", "TrainingRun", "EPOCH_COLUMNS", "STEP_COLUMNS"]

#: Columns of :meth:`TrainingRun.to_frame` (one row per optimizer and epoch).
EPOCH_COLUMNS = (
    "optimizer",
    "label",
    "epoch",
    "step",
    "train_loss",
    "train_accuracy",
    "val_loss",
    "val_accuracy",
    "diverged",
)
#: Columns of :meth:`TrainingRun.steps_frame` (one row per optimizer and step).
STEP_COLUMNS = ("optimizer", "label", "step", "epoch", "loss")

_EPOCH_ARRAYS = ("train_loss", "train_accuracy", "val_loss", "val_accuracy")


def _companion(path: Path, suffix: str) -> Path:
    """``history.csv`` -> ``history-steps.csv`` and the like."""
    return path.with_name(f"{path.stem}-{suffix}")


@dataclass
class History:
    """One optimizer's training run (shapes: module docstring)."""

    optimizer: str  # registry name ("adam")
    label: str  # legend label, unique within a run ("adam" or "adam (lr=0.01)")
    hyperparameters: dict
    step_loss: np.ndarray
    step_epoch: np.ndarray
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    val_loss: np.ndarray
    val_accuracy: np.ndarray
    diverged_at: int = -1
    snapshot_steps: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    snapshots: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    @property
    def epochs(self) -> int:
        """Epochs asked for (rows of the epoch arrays, NaN after a divergence)."""
        return len(self.train_loss)

    @property
    def steps(self) -> int:
        """Mini-batch steps recorded."""
        return len(self.step_loss)

    @property
    def diverged(self) -> bool:
        return self.diverged_at >= 0

    def epoch_end_steps(self) -> np.ndarray:
        """``(E,)``: the step count at the end of each epoch (-1 for epochs not run)."""
        out = np.full(self.epochs, -1, dtype=np.int64)
        if self.steps:
            epochs, last = np.unique(self.step_epoch[::-1], return_index=True)
            out[epochs - 1] = self.steps - last
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per epoch: :data:`EPOCH_COLUMNS`."""
        epochs = np.arange(1, self.epochs + 1)
        diverged = np.zeros(self.epochs, dtype=bool)
        if self.diverged:
            first = int(self.step_epoch[self.diverged_at - 1]) if self.steps else 1
            diverged[first - 1 :] = True
        frame = pd.DataFrame(
            {
                "optimizer": self.optimizer,
                "label": self.label,
                "epoch": epochs,
                "step": self.epoch_end_steps(),
                **{
                    k: np.asarray(getattr(self, k), dtype=np.float64) for k in _EPOCH_ARRAYS
                },
                "diverged": diverged,
            }
        )
        return frame[list(EPOCH_COLUMNS)]

    def steps_frame(self) -> pd.DataFrame:
        """One row per mini-batch step: :data:`STEP_COLUMNS`."""
        return pd.DataFrame(
            {
                "optimizer": self.optimizer,
                "label": self.label,
                "step": np.arange(1, self.steps + 1),
                "epoch": np.asarray(self.step_epoch, dtype=np.int64),
                "loss": np.asarray(self.step_loss, dtype=np.float64),
            }
        )[list(STEP_COLUMNS)]


@dataclass
class TrainingRun:
    """Several optimizers trained from the same initial weights on the same batches."""

    dataset: str
    histories: list[History]
    seed: int | None = None
    meta: dict = field(default_factory=dict)

    def __iter__(self) -> Iterator[History]:
        return iter(self.histories)

    def __len__(self) -> int:
        return len(self.histories)

    def __getitem__(self, label: str) -> History:
        for h in self.histories:
            if h.label == label:
                return h
        labels = ", ".join(h.label for h in self.histories)
        raise KeyError(f"no history {label!r} in this run; it has: {labels}")

    @property
    def labels(self) -> list[str]:
        return [h.label for h in self.histories]

    # -- pandas ------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """One row per optimizer and epoch (:data:`EPOCH_COLUMNS`)."""
        if not self.histories:
            return pd.DataFrame(columns=list(EPOCH_COLUMNS))
        return pd.concat([h.to_frame() for h in self.histories], ignore_index=True)

    def steps_frame(self) -> pd.DataFrame:
        """One row per optimizer and mini-batch step (:data:`STEP_COLUMNS`)."""
        if not self.histories:
            return pd.DataFrame(columns=list(STEP_COLUMNS))
        return pd.concat([h.steps_frame() for h in self.histories], ignore_index=True)

    # -- files -------------------------------------------------------------------
    def sidecar(self) -> dict:
        """Everything but the arrays: data set, seed, settings, hyper-parameters."""
        return {
            "dataset": self.dataset,
            "seed": self.seed,
            "optimizers": [
                {
                    "optimizer": h.optimizer,
                    "label": h.label,
                    "hyperparameters": h.hyperparameters,
                    "epochs": h.epochs,
                    "steps": h.steps,
                    "diverged_at": int(h.diverged_at),
                    "snapshots": int(len(h.snapshot_steps)),
                }
                for h in self.histories
            ],
            "meta": self.meta,
            "versions": versions(),
        }

    def save(self, path, sidecar=None) -> Path:
        """Write the epoch CSV ``path``, ``<stem>-steps.csv``, ``<stem>-snapshots.npz``
        (only when there are snapshots) and the JSON ``sidecar`` (default: ``path``
        with ``.json``), each atomically. Returns ``path``."""
        path = check_writable(path, (".csv",))
        side = check_writable(path.with_suffix(".json") if sidecar is None else sidecar)
        steps_path = check_writable(_companion(path, "steps.csv"))
        with atomic_path(path) as tmp:
            self.to_frame().to_csv(tmp, index=False, float_format="%.17g")
        with atomic_path(steps_path) as tmp:
            self.steps_frame().to_csv(tmp, index=False, float_format="%.17g")
        if any(len(h.snapshot_steps) for h in self.histories):
            snap_path = check_writable(_companion(path, "snapshots.npz"))
            arrays = {}
            for i, h in enumerate(self.histories):
                arrays[f"{i}/steps"] = np.asarray(h.snapshot_steps, dtype=np.int64)
                arrays[f"{i}/params"] = np.asarray(h.snapshots)
            with atomic_path(snap_path) as tmp, open(tmp, "wb") as fh:
                np.savez_compressed(fh, **arrays)
        with atomic_path(side) as tmp:
            tmp.write_text(json.dumps(self.sidecar(), indent=2, default=_jsonable) + "\n")
        return path

    @classmethod
    def load(cls, path, sidecar=None) -> TrainingRun:
        """Read a run written by :meth:`save`."""
        path = Path(path)
        side = path.with_suffix(".json") if sidecar is None else Path(sidecar)
        steps_path = _companion(path, "steps.csv")
        for p in (path, side, steps_path):
            if not p.is_file():
                raise ValueError(f"cannot read {path}: {p} does not exist")
        try:
            info = json.loads(side.read_text())
            epochs = pd.read_csv(path)
            steps = pd.read_csv(steps_path)
        except (OSError, ValueError) as exc:
            raise ValueError(f"cannot read {path}: {exc}") from None
        snap_path = _companion(path, "snapshots.npz")
        snaps = np.load(snap_path) if snap_path.is_file() else None
        histories = []
        try:
            for i, o in enumerate(info["optimizers"]):
                e = epochs[epochs["label"] == o["label"]].sort_values("epoch")
                s = steps[steps["label"] == o["label"]].sort_values("step")
                kwargs = {k: e[k].to_numpy(np.float64) for k in _EPOCH_ARRAYS}
                if snaps is not None and f"{i}/steps" in snaps.files:
                    kwargs["snapshot_steps"] = snaps[f"{i}/steps"]
                    kwargs["snapshots"] = snaps[f"{i}/params"]
                histories.append(
                    History(
                        o["optimizer"],
                        o["label"],
                        o["hyperparameters"],
                        step_loss=s["loss"].to_numpy(np.float64),
                        step_epoch=s["epoch"].to_numpy(np.int64),
                        diverged_at=int(o["diverged_at"]),
                        **kwargs,
                    )
                )
        except KeyError as exc:
            raise ValueError(f"cannot read {path}: missing {exc} in {side}") from None
        finally:
            if snaps is not None:
                snaps.close()
        return cls(info["dataset"], histories, info.get("seed"), info.get("meta", {}))


def _jsonable(value):
    """numpy scalars and arrays in sidecars."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
