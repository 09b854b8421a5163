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

import numpy as np

from .._io import atomic_path, check_writable
from ._base import (
    RECORD_SUFFIXES,
    Parts,
    Record,
    any_of,
    check_input,
    count,
    item_list,
    item_repr,
    jsonable,
    read_csv,
    read_npz,
    read_sidecar,
    step_or_never,
    whole,
)
from ._valid import in_range, increasing, ints, text, whole_or_none

__all__ = [
    "History",
    "TrainingRun",
    "EPOCH_COLUMNS",
    "STEP_COLUMNS",
    "companion",
    "estimate_bytes",
]

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

#: Bytes of a row of ``history-steps.csv`` and of ``history.csv``, generously (long
#: labels, numbers written with 17 digits), and of a sidecar per optimizer.
STEP_ROW_BYTES, EPOCH_ROW_BYTES, SIDECAR_BYTES = 120, 300, 2_000


def estimate_bytes(
    optimizers: int,
    steps: int,
    epochs: int,
    snapshots: int = 0,
    parameters: int = 0,
    itemsize: int = 8,
) -> int:
    """About the most bytes :meth:`TrainingRun.save` writes as CSV (with its steps CSV,
    snapshots and sidecar) for ``optimizers`` histories of ``steps`` steps, ``epochs``
    epochs and ``snapshots`` snapshots of ``parameters`` numbers of ``itemsize`` bytes
    (uncompressed). For checking the free space before the work."""
    one = steps * STEP_ROW_BYTES + epochs * EPOCH_ROW_BYTES + SIDECAR_BYTES
    return optimizers * (one + snapshots * parameters * itemsize) + SIDECAR_BYTES


def companion(path: Path, suffix: str) -> Path:
    """``history.csv`` -> ``history-steps.csv`` and the like."""
    return path.with_name(f"{path.stem}-{suffix}")


@dataclass
class History:
    """One optimizer's training run (shapes: module docstring)."""

    __repr__ = item_repr

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

    def val_errors(self, n_val: int) -> np.ndarray:
        """``(E,)``: the validation images misclassified after each epoch, of
        ``n_val`` (NaN for epochs not run): the accuracy times ``n_val``, rounded."""
        wrong = (1.0 - np.asarray(self.val_accuracy, dtype=float)) * int(n_val)
        return np.where(np.isfinite(wrong), np.rint(wrong), np.nan)

    def epoch_end_steps(self) -> np.ndarray:
        """``(E,)``: the step count at the end of each epoch (-1 for epochs not run)."""
        out = np.full(self.epochs, -1, dtype=np.int64)
        if self.steps:
            epochs, last = np.unique(self.step_epoch[::-1], return_index=True)
            out[epochs - 1] = self.steps - last
        return out

    def to_frame(self):
        """One row per epoch: :data:`EPOCH_COLUMNS`."""
        import pandas as pd

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

    def steps_frame(self):
        """One row per mini-batch step: :data:`STEP_COLUMNS`."""
        import pandas as pd

        return pd.DataFrame(
            {
                "optimizer": self.optimizer,
                "label": self.label,
                "step": np.arange(1, self.steps + 1),
                "epoch": np.asarray(self.step_epoch, dtype=np.int64),
                "loss": np.asarray(self.step_loss, dtype=np.float64),
            }
        )[list(STEP_COLUMNS)]


@dataclass(eq=False, repr=False)
class TrainingRun(Record):
    """Several optimizers trained from the same initial weights on the same batches."""

    dataset: str
    histories: list[History]
    seed: int | None = None
    meta: dict = field(default_factory=dict)

    _items = "histories"
    _item_word = "history"

    # -- pandas ------------------------------------------------------------------
    def to_frame(self):
        """One row per optimizer and epoch (:data:`EPOCH_COLUMNS`)."""
        import pandas as pd

        if not self.histories:
            return pd.DataFrame(columns=list(EPOCH_COLUMNS))
        return pd.concat([h.to_frame() for h in self.histories], ignore_index=True)

    def steps_frame(self):
        """One row per optimizer and mini-batch step (:data:`STEP_COLUMNS`)."""
        import pandas as pd

        if not self.histories:
            return pd.DataFrame(columns=list(STEP_COLUMNS))
        return pd.concat([h.steps_frame() for h in self.histories], ignore_index=True)

    # -- the record contract --------------------------------------------------------
    def _title(self) -> str:
        epochs = max((h.epochs for h in self), default=0)
        return f"{self.dataset}, {count(len(self), 'optimizer')}, {epochs} epochs"

    def _item_line(self, h: History) -> str:
        if h.diverged:
            return f"diverged at step {h.diverged_at}"
        acc = np.asarray(h.val_accuracy, dtype=np.float64)
        last = f"{acc[-1]:.3f}" if len(acc) else "n/a"
        return f"final validation accuracy {last} after {h.steps} steps"

    def _settings(self) -> dict:
        return {"dataset": self.dataset, "seed": self.seed}

    def _item_info(self, h: History) -> dict:
        return {
            "optimizer": h.optimizer,
            "label": h.label,
            "hyperparameters": h.hyperparameters,
            "epochs": h.epochs,
            "steps": h.steps,
            "diverged_at": int(h.diverged_at),
            "snapshots": int(len(h.snapshot_steps)),
            "parameters": int(np.shape(h.snapshots)[1]) if len(h.snapshot_steps) else 0,
        }

    def _arrays(self, snapshots_only: bool = False) -> dict[str, np.ndarray]:
        arrays = {}
        for i, h in enumerate(self.histories):
            if not snapshots_only:
                arrays[f"{i}/step_loss"] = np.asarray(h.step_loss, dtype=np.float64)
                arrays[f"{i}/step_epoch"] = np.asarray(h.step_epoch, dtype=np.int64)
                for key in _EPOCH_ARRAYS:
                    arrays[f"{i}/{key}"] = np.asarray(getattr(h, key), dtype=np.float64)
            if len(h.snapshot_steps) or not snapshots_only:
                arrays[f"{i}/steps"] = np.asarray(h.snapshot_steps, dtype=np.int64)
                arrays[f"{i}/params"] = np.asarray(h.snapshots)
        return arrays

    def _check(self) -> None:
        whole_or_none("seed", self.seed)
        text("dataset", self.dataset)
        for h in self.histories:
            _check_history(h)

    @classmethod
    def _expected(cls, info, snapshots_only: bool = False) -> dict[str, tuple]:
        out = {}
        for i, o in enumerate(item_list(info)):
            k = whole(o.get("snapshots", 0), "snapshots")
            p = o.get("parameters")  # older sidecars do not give it
            p = None if p is None else whole(p, "parameters")
            if not snapshots_only:
                t, e = whole(o["steps"], "steps"), whole(o["epochs"], "epochs")
                out[f"{i}/step_loss"] = out[f"{i}/step_epoch"] = (t,)
                for key in _EPOCH_ARRAYS:
                    out[f"{i}/{key}"] = (e,)
                out[f"{i}/steps"], out[f"{i}/params"] = (k,), (k, p if k else 0)
            elif k:
                out[f"{i}/steps"], out[f"{i}/params"] = (k,), (k, p)
        return out

    @classmethod
    def _kinds(cls, info) -> dict[str, str]:
        n = len(info["optimizers"])
        kinds = {f"{i}/{key}": "iu" for i in range(n) for key in ("steps", "step_epoch")}
        kinds.update({f"{i}/params": "f" for i in range(n)})
        return kinds

    @classmethod
    def _history(cls, o, arrays, i, **kwargs) -> History:
        if f"{i}/steps" in arrays:
            kwargs["snapshot_steps"] = arrays[f"{i}/steps"]
            kwargs["snapshots"] = arrays[f"{i}/params"]
        return History(
            o["optimizer"],
            o["label"],
            o["hyperparameters"],
            diverged_at=step_or_never(o["diverged_at"]),
            **kwargs,
        )

    @classmethod
    def _make(cls, info, histories) -> TrainingRun:
        meta = any_of(info.get("meta", {}), dict, "meta")
        return cls(info["dataset"], histories, info.get("seed"), meta)

    @classmethod
    def _from_arrays(cls, info, arrays) -> TrainingRun:
        histories = []
        for i, o in enumerate(item_list(info)):
            kwargs = {k: arrays[f"{i}/{k}"] for k in _EPOCH_ARRAYS}
            kwargs["step_loss"] = arrays[f"{i}/step_loss"]
            kwargs["step_epoch"] = arrays[f"{i}/step_epoch"]
            histories.append(cls._history(o, arrays, i, **kwargs))
        return cls._make(info, histories)

    @classmethod
    def _from_frames(cls, info, epochs, steps, snaps) -> TrainingRun:
        histories = []
        e, s = Parts(epochs, by=("epoch",)), Parts(steps, by=("step",))
        for i, o in enumerate(item_list(info)):
            label = o["label"]
            for part, key, what in ((e, "epochs", "epoch"), (s, "steps", "step")):
                if part.rows(label) != whole(o[key], key):
                    raise ValueError(
                        f"{label!r} has {part.rows(label)} {what} rows; its sidecar "
                        f"says {o[key]}"
                    )
            kwargs = {k: e.column(k, label) for k in _EPOCH_ARRAYS}
            kwargs["step_loss"] = s.column("loss", label)
            kwargs["step_epoch"] = ints(
                f"{label!r}: epoch", s.column("epoch", label, dtype=None), 1
            )
            histories.append(cls._history(o, snaps, i, **kwargs))
        return cls._make(info, histories)

    # -- files ---------------------------------------------------------------------
    def save(self, path, sidecar=None) -> Path:
        """Write ``path`` and the JSON ``sidecar`` (default: ``path`` with ``.json``),
        each atomically, everything checked before the first write.

        ``.npz``: every array in one file. ``.csv``: the epoch CSV ``path``,
        ``<stem>-steps.csv`` and ``<stem>-snapshots.npz`` (only when there are
        snapshots; a snapshot file left there by an earlier run is removed, so it
        cannot be mistaken for this run's). Returns ``path``."""
        path = check_writable(path, RECORD_SUFFIXES)
        side = check_writable(self.sidecar_path(path) if sidecar is None else sidecar)
        text = json.dumps(self.sidecar(), indent=2, default=jsonable) + "\n"
        if path.suffix.lower() == ".npz":
            self._write_data(path)
        else:
            steps_path = check_writable(companion(path, "steps.csv"))
            snap_path = check_writable(companion(path, "snapshots.npz"))
            with atomic_path(path) as tmp:
                self.to_frame().to_csv(tmp, index=False, float_format="%.17g")
            with atomic_path(steps_path) as tmp:
                self.steps_frame().to_csv(tmp, index=False, float_format="%.17g")
            if any(len(h.snapshot_steps) for h in self.histories):
                with atomic_path(snap_path) as tmp, open(tmp, "wb") as fh:
                    np.savez_compressed(fh, **self._arrays(snapshots_only=True))
            else:
                snap_path.unlink(missing_ok=True)  # a stale one from an earlier run
        with atomic_path(side) as tmp:
            tmp.write_text(text)
        return path

    @classmethod
    def load(cls, path, sidecar=None) -> TrainingRun:
        """Read a run written by :meth:`save` (one ``ValueError`` naming the file and
        the problem for anything malformed or absurdly large)."""
        path = Path(path)
        if path.suffix.lower() not in RECORD_SUFFIXES:
            raise ValueError(
                f"cannot read {path}: expected one of {', '.join(RECORD_SUFFIXES)}"
            )
        side = cls.sidecar_path(path) if sidecar is None else Path(sidecar)
        check_input(path)
        info = read_sidecar(path, side, cls.__name__)
        try:
            if path.suffix.lower() == ".npz":
                expected = cls._expected(info)
                run = cls._from_arrays(info, read_npz(path, expected, cls._kinds(info)))
            else:
                run = cls._load_csv(path, info)
            run._check()
            return run
        except ValueError as exc:
            if str(exc).startswith("cannot read"):
                raise
            raise ValueError(f"cannot read {path}: {exc}") from None
        except (KeyError, TypeError, IndexError, AttributeError, OverflowError) as exc:
            what = f"missing {exc}" if isinstance(exc, KeyError) else exc
            raise ValueError(
                f"cannot read {path}: malformed record or sidecar ({what})"
            ) from None

    @classmethod
    def _load_csv(cls, path: Path, info: dict) -> TrainingRun:
        steps_path = companion(path, "steps.csv")
        check_input(steps_path, path)
        epochs, steps = read_csv(path), read_csv(steps_path)
        expected = cls._expected(info, snapshots_only=True)
        snaps = {}
        if expected:  # only the snapshots this run's sidecar declares
            snap_path = companion(path, "snapshots.npz")
            check_input(snap_path, path)
            snaps = read_npz(snap_path, expected, cls._kinds(info))
        return cls._from_frames(info, epochs, steps, snaps)


def _check_history(h: History) -> None:
    """Every value of one history in its range (NaN where the run diverged)."""
    name = f"{text('label', h.label)!r}"
    text(f"{name}: optimizer", h.optimizer)
    any_of(h.hyperparameters, dict, f"{name}: hyperparameters")
    for key in ("train_accuracy", "val_accuracy"):
        in_range(f"{name}: {key}", getattr(h, key), 0, 1)
    for key in ("step_loss", "train_loss", "val_loss"):
        in_range(f"{name}: {key}", getattr(h, key), 0)
    epochs = ints(f"{name}: step epochs", h.step_epoch, 1, max(h.epochs, 1))
    increasing(f"{name}: step epochs", epochs, strict=False)
    ints(f"{name}: diverged_at", h.diverged_at, -1, h.steps)
    steps = ints(f"{name}: snapshot steps", h.snapshot_steps, 0, h.steps)
    increasing(f"{name}: snapshot steps", steps)
    if not h.diverged:  # a diverging step may leave non-finite parameters behind
        in_range(f"{name}: snapshots", h.snapshots, nan=False, finite=True)
