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

On disk (:meth:`TrainingRun.save`, the records contract: ``save(path)``,
``TrainingRun.load(path)``):

- a folder (a path without a suffix, as ``optviz train --out`` writes it, moved into
  place whole): ``history.csv`` (one row per optimizer and epoch),
  ``history-steps.csv`` (one row per optimizer and step), ``history-snapshots.npz``
  (only with snapshots), the sidecar ``settings.json``, and one subfolder
  ``seed-K`` of the same layout per further seed (:attr:`TrainingRun.more_seeds`);
- ``.npz``: every array (every seed's) in one file, the sidecar ``.json`` beside it;
- ``.csv``: the epoch CSV, ``<stem>-steps.csv``, ``<stem>-snapshots.npz`` and the
  sidecar ``.json`` (one seed only).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._folders import atomic_folder
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
    "FOLDER_FILES",
    "FOLDER_KIND",
    "HISTORY",
    "SETTINGS",
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

#: A run saved as a folder: its epoch CSV (``history.csv``, whose companions are
#: ``history-steps.csv`` and ``history-snapshots.npz``) and its sidecar.
HISTORY, SETTINGS = "history.csv", "settings.json"
FOLDER_FILES = (HISTORY, "history-steps.csv", "history-snapshots.npz", SETTINGS)
#: What a training run's folder is, in optviz's marker (only such a folder, or an
#: empty one, is replaced by a new run).
FOLDER_KIND = "training run"

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
    """Several optimizers trained from the same initial weights on the same batches.

    ``more_seeds``: the same comparison trained again from further seeds (initial
    weights and batch order; ``optviz train --seeds N``), each a run of the same
    optimizers; :attr:`runs` is all of them, this one first."""

    dataset: str
    histories: list[History]
    seed: int | None = None
    meta: dict = field(default_factory=dict)
    more_seeds: list[TrainingRun] = field(default_factory=list)

    _items = "histories"
    _item_word = "history"

    @property
    def runs(self) -> list[TrainingRun]:
        """This run and :attr:`more_seeds`: one run per seed."""
        return [self, *self.more_seeds]

    def __eq__(self, other) -> bool:
        same = super().__eq__(other)
        if same is NotImplemented or not same:
            return same
        return all(a == b for a, b in zip(self.more_seeds, other.more_seeds))

    __hash__ = None

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
        seeds = f", {len(self.runs)} seeds" if self.more_seeds else ""
        return f"{self.dataset}, {count(len(self), 'optimizer')}, {epochs} epochs{seeds}"

    def _item_line(self, h: History) -> str:
        if h.diverged:
            return f"diverged at step {h.diverged_at}"
        acc = np.asarray(h.val_accuracy, dtype=np.float64)
        last = f"{acc[-1]:.3f}" if len(acc) else "n/a"
        return f"final validation accuracy {last} after {h.steps} steps"

    def _settings(self) -> dict:
        out = {"dataset": self.dataset, "seed": self.seed}
        if self.more_seeds:  # each further seed's sidecar, without the shared keys
            shared = ("record", "format", "versions")
            out["more_seeds"] = [
                {k: v for k, v in r.sidecar().items() if k not in shared}
                for r in self.more_seeds
            ]
        return out

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
        if not snapshots_only:
            for k, r in enumerate(self.more_seeds):
                arrays.update({f"seed{k}/{n}": a for n, a in r._arrays().items()})
        return arrays

    def _check(self) -> None:
        whole_or_none("seed", self.seed)
        text("dataset", self.dataset)
        for h in self.histories:
            _check_history(h)
        for r in self.more_seeds:
            if r.labels != self.labels:
                raise ValueError(
                    f"every seed must train the same optimizers; got {self.labels} "
                    f"and {r.labels} (seed {r.seed})"
                )
            r._check()

    @staticmethod
    def _further(info) -> list[dict]:
        """The further seeds' sidecar entries (``more_seeds``), checked."""
        return item_list(info, "more_seeds") if "more_seeds" in info else []

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
                # no snapshots: (0, 0) or, as the trainer leaves it, (0, parameters)
                out[f"{i}/steps"], out[f"{i}/params"] = (k,), (k, p if k else None)
            elif k:
                out[f"{i}/steps"], out[f"{i}/params"] = (k,), (k, p)
        if not snapshots_only:
            for k, sub in enumerate(cls._further(info)):
                out.update({f"seed{k}/{n}": v for n, v in cls._expected(sub).items()})
        return out

    @classmethod
    def _kinds(cls, info) -> dict[str, str]:
        n = len(info["optimizers"])
        kinds = {f"{i}/{key}": "iu" for i in range(n) for key in ("steps", "step_epoch")}
        kinds.update({f"{i}/params": "f" for i in range(n)})
        for k, sub in enumerate(cls._further(info)):
            kinds.update({f"seed{k}/{n}": v for n, v in cls._kinds(sub).items()})
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
        run = cls._make(info, histories)
        for k, sub in enumerate(cls._further(info)):
            head = f"seed{k}/"
            own = {n[len(head) :]: a for n, a in arrays.items() if n.startswith(head)}
            run.more_seeds.append(cls._from_arrays(sub, own))
        return run

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
    def save(self, path) -> Path:
        """Write the run (layouts: module docstring), everything checked before the
        first write: a folder (``path`` without a suffix) moved into place whole (only
        an empty folder or an earlier training run's is replaced), or ``.npz`` or
        ``.csv`` with the JSON sidecar beside it, each file atomically. Returns
        ``path``."""
        if _is_folder(path):
            with atomic_folder(path, kind=FOLDER_KIND) as tmp:
                self.write_folder(tmp)
            return Path(path)
        path = check_writable(path, RECORD_SUFFIXES)
        if path.suffix.lower() == ".csv" and self.more_seeds:
            raise ValueError(
                f"cannot write {path}: a run of {len(self.runs)} seeds is saved as "
                ".npz or as a folder"
            )
        return self._write(path, self.sidecar_path(path), self.sidecar())

    def write_folder(self, folder) -> Path:
        """Write the folder layout into the existing folder ``folder`` (e.g. the
        temporary of :func:`~optviz._folders.atomic_folder`, which a command fills
        with its figure too); :meth:`save` with a folder path uses it."""
        folder = Path(folder)
        names = _seed_folders(self.more_seeds)
        info = self.sidecar()
        info.pop("more_seeds", None)
        info["seed_folders"] = names
        self._write(folder / HISTORY, folder / SETTINGS, info)
        for name, r in zip(names, self.more_seeds):
            (folder / name).mkdir()
            r.write_folder(folder / name)
        return folder

    def _write(self, path: Path, side, info: dict) -> Path:
        """``path`` (.csv with its companions, or .npz) and the sidecar ``side``
        holding ``info``, each atomically, every path checked first."""
        side = check_writable(side)
        text = json.dumps(info, indent=2, default=jsonable) + "\n"
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
    def load(cls, path) -> TrainingRun:
        """Read a run written by :meth:`save`: a folder, or a ``.npz`` or ``.csv``
        file with its sidecar beside it (one ``ValueError`` naming the file and the
        problem for anything malformed or absurdly large). A folder written by
        ``optviz train`` before ``save`` wrote folders loads too (its further seeds
        are the subfolders its settings name)."""
        path = Path(path)
        if not path.is_dir():
            return cls._read(path, cls.sidecar_path(path))
        history, settings = path / HISTORY, path / SETTINGS
        if not history.exists() and not settings.exists():
            raise ValueError(
                f"cannot read {path}: a training run's folder holds "
                f"{history.name} and {settings.name} (written by optviz train)"
            )
        run = cls._read(history, settings)
        for name in cls._folders_of(history, run):
            if not (path / name).is_dir():
                raise ValueError(f"cannot read {path}: its seed folder {name} is missing")
            run.more_seeds.append(cls.load(path / name))
        run._check()
        return run

    @staticmethod
    def _folders_of(history: Path, run: TrainingRun) -> list[str]:
        """The further seeds' subfolders of the folder ``history`` is in: as its
        sidecar names them, or (as written before) as its settings' seeds say."""
        info = read_sidecar(history, history.with_name(SETTINGS))
        names = info.get("seed_folders")
        if names is None:  # the first seed's folder named them in its settings
            settings = any_of(run.meta.get("settings", {}), dict, "settings")
            seeds = any_of(settings.get("seeds") or [], list, "seeds")
            first = seeds and seeds[0] == settings.get("seed")
            names = [f"seed-{s}" for s in seeds[1:]] if first else []
        names = any_of(names, list, "seed_folders")
        if not all(isinstance(n, str) and _SEED_FOLDER.fullmatch(n) for n in names):
            raise ValueError(f"cannot read {history}: seed folders must be seed-N")
        return names

    @classmethod
    def _read(cls, path: Path, side: Path) -> TrainingRun:
        """One run's file ``path`` (.npz, or .csv with its companions) and sidecar."""
        if path.suffix.lower() not in RECORD_SUFFIXES:
            raise ValueError(
                f"cannot read {path}: expected a folder or one of "
                f"{', '.join(RECORD_SUFFIXES)}"
            )
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
        if cls._further(info):
            raise ValueError("a run of several seeds is read from .npz or a folder")
        return cls._from_frames(info, epochs, steps, snaps)


#: A further seed's subfolder.
_SEED_FOLDER = re.compile(r"seed-\d+")


def _is_folder(path) -> bool:
    """Whether ``save(path)`` writes a folder: a path without a suffix, or a folder."""
    path = Path(path)
    return path.is_dir() or path.suffix == ""


def _seed_folders(runs: list[TrainingRun]) -> list[str]:
    """``seed-K`` for each further seed's run (K: its seed, else its position)."""
    names = [f"seed-{r.seed if r.seed is not None else k + 1}" for k, r in enumerate(runs)]
    if len(set(names)) != len(names):
        raise ValueError(f"the further seeds must differ; got folders {names}")
    return names


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
