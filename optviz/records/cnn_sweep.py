"""The record of a CNN sweep: every (optimizer, learning rate, seed) training run's
job and summary, as made by :func:`optviz.cnn_sweep.cnn_sweep` or read from its cache.

Saved and loaded back like every record (``.csv`` or ``.npz`` holding the tidy table of
:data:`RESULT_COLUMNS`, and a JSON sidecar that also holds each run's job and per-epoch
curves), so a sweep figure can be redrawn without retraining.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

import numpy as np

from ._base import Record, any_of, item_list, whole
from ._valid import MAX_INT, in_range, ints

__all__ = [
    "CnnJob",
    "CnnSweep",
    "CnnSweepPart",
    "CNN_CRITERIA",
    "RESULT_COLUMNS",
    "CACHE_FORMAT",
    "check_result",
    "MAX_EPOCHS",
]

#: How the best learning rate is chosen.
CNN_CRITERIA = {
    "val_accuracy": "highest mean final validation accuracy over the seeds",
    "val_loss": "lowest mean final validation loss over the seeds",
}
#: Columns of :attr:`CnnSweep.frame` (one row per optimizer, learning rate and seed).
RESULT_COLUMNS = (
    "optimizer",
    "label",
    "lr",
    "seed",
    "final_val_accuracy",
    "final_val_loss",
    "final_train_loss",
    "best_val_accuracy",
    "diverged",
    "diverged_at",
    "epochs",
    "steps",
    "seconds",
    "cached",
)
#: Bump when a change makes old cached results wrong.
CACHE_FORMAT = 1
#: More epochs than this in a job or a result is refused (as in make_jobs).
MAX_EPOCHS = 10_000
_NUMERIC = ("lr", "seed", "final_val_accuracy", "final_val_loss", "final_train_loss")


@dataclass(frozen=True)
class CnnJob:
    """One training run: everything that determines its result."""

    spec: str  # optimizer SPEC without lr (schedule keys allowed)
    label: str  # legend label of the SPEC within the sweep
    lr: float  # base learning rate alpha
    seed: int  # initial weights and mini-batch order
    dataset: str = "digits"  # a load_dataset spec
    epochs: int = 10
    batch_size: int = 64
    limit: int | None = None  # at most this many images (a seeded subset)
    split_seed: int = 0  # the train/validation split, the same for every run
    channels: tuple[int, int] | None = None  # default: the trainer's auto_channels
    dtype: str = "float32"

    def key(self) -> str:
        """A hash of the job and the optviz version: the cache file's name."""
        import joblib

        from .._version import __version__

        return joblib.hash((CACHE_FORMAT, __version__, asdict(self)))

    @classmethod
    def from_dict(cls, d) -> CnnJob:
        """A job from :func:`dataclasses.asdict` output (a sidecar or cache entry),
        checked field by field."""
        if not isinstance(d, dict) or set(d) != {f for f in cls.__dataclass_fields__}:
            raise TypeError("a job must have exactly the fields of CnnJob")
        if not all(isinstance(d[k], str) for k in ("spec", "label", "dataset", "dtype")):
            raise TypeError("a job's spec, label, dataset and dtype must be text")
        lr = d["lr"]
        number = isinstance(lr, (int, float)) and not isinstance(lr, bool)
        if not (number and 0 < lr < 1e308 and math.isfinite(lr)):
            raise TypeError("a job's lr must be a finite number > 0")
        for key in ("seed", "split_seed", "batch_size", "limit"):
            if isinstance(d[key], int) and d[key] > MAX_INT:
                raise TypeError(f"a job's {key} must be below 2**63")
        for key in ("seed", "split_seed"):
            whole(d[key], key)
        whole(d["epochs"], "epochs", 1)
        if d["epochs"] > MAX_EPOCHS:
            raise TypeError(f"a job's epochs must be <= {MAX_EPOCHS}")
        whole(d["batch_size"], "batch_size", 1)
        if d["limit"] is not None:
            whole(d["limit"], "limit", 1)
        channels = d["channels"]
        if channels is not None:
            channels = tuple(whole(c, "channels", 1) for c in channels)
            if len(channels) != 2:
                raise TypeError("a job's channels must be two whole numbers")
        return cls(**{**d, "lr": float(lr), "channels": channels})


def _number_or_none(v) -> bool:
    return v is None or (not isinstance(v, bool) and isinstance(v, (int, float)))


def check_result(result, epochs: int) -> dict:
    """``result`` (a training run's summary from a cache or sidecar) checked to have
    the keys and types :class:`CnnSweep` reads and curves of ``epochs`` values; raises
    ``TypeError`` naming what is wrong."""
    if not isinstance(result, dict):
        raise TypeError("a result must be an object")
    for key in ("train_loss", "val_loss", "val_accuracy"):
        curve = result.get(key)
        if not isinstance(curve, list) or len(curve) != epochs:
            raise TypeError(f"a result's {key} must be a list of {epochs} values")
        if not all(_number_or_none(v) for v in curve):
            raise TypeError(f"a result's {key} must hold numbers")
    if not isinstance(result.get("optimizer"), str):
        raise TypeError("a result's optimizer must be text")
    if not isinstance(result.get("hyperparameters"), dict):
        raise TypeError("a result's hyperparameters must be an object")
    d = result.get("diverged_at")
    if isinstance(d, bool) or not isinstance(d, int) or d < -1:
        raise TypeError("a result's diverged_at must be a whole number >= -1")
    whole(result.get("steps"), "steps")
    for key in ("best_val_accuracy", "seconds"):
        if not _number_or_none(result.get(key)):
            raise TypeError(f"a result's {key} must be a number")
    _check_ranges(result)
    if not isinstance(result.get("data"), dict) or not isinstance(
        result.get("network"), list
    ):
        raise TypeError("a result must describe its data (object) and network (list)")
    return result


def _check_ranges(result: dict) -> None:
    """The values of a checked ``result`` in their ranges (``ValueError``): accuracies
    in [0, 1], losses and seconds >= 0 (None or NaN where the run diverged), steps
    whole numbers, ``diverged_at`` within them."""

    def numbers(values):
        return [np.nan if v is None else v for v in values]

    in_range("a result's val_accuracy", numbers(result["val_accuracy"]), 0, 1)
    in_range("a result's best_val_accuracy", numbers([result["best_val_accuracy"]]), 0, 1)
    for key in ("train_loss", "val_loss"):
        in_range(f"a result's {key}", numbers(result[key]), 0)
    in_range("a result's seconds", numbers([result["seconds"]]), 0)
    steps = int(ints("a result's steps", result["steps"], 0))
    ints("a result's diverged_at", result["diverged_at"], -1, steps)


class CnnSweepPart(NamedTuple):
    """One SPEC of a sweep: its label and its runs (jobs and results)."""

    label: str
    spec: str
    jobs: list
    results: list


@dataclass(eq=False, repr=False)
class CnnSweep(Record):
    """The results of a CNN sweep: one row per run, and the per-epoch curves."""

    jobs: list[CnnJob]
    results: list[dict]
    criterion: str = "val_accuracy"
    meta: dict = field(default_factory=dict)

    _item_word = "optimizer"

    def _list(self) -> list[CnnSweepPart]:
        runs: dict[str, tuple[list, list]] = {}  # one pass over the runs, by label
        for job, result in zip(self.jobs, self.results):
            jobs, results = runs.setdefault(job.label, ([], []))
            jobs.append(job)
            results.append(result)
        return [
            CnnSweepPart(label, jobs[0].spec, jobs, results)
            for label, (jobs, results) in runs.items()
        ]

    @property
    def frame(self):
        """One row per optimizer, learning rate and seed: :data:`RESULT_COLUMNS`."""
        import pandas as pd

        rows = []
        for job, res in zip(self.jobs, self.results):

            def last(key, res=res):
                values = res[key]
                return np.nan if not values or values[-1] is None else values[-1]

            rows.append(
                {
                    "optimizer": res["optimizer"],
                    "label": job.label,
                    "lr": job.lr,
                    "seed": job.seed,
                    "final_val_accuracy": last("val_accuracy"),
                    "final_val_loss": last("val_loss"),
                    "final_train_loss": last("train_loss"),
                    "best_val_accuracy": res["best_val_accuracy"],
                    "diverged": res["diverged_at"] >= 0,
                    "diverged_at": res["diverged_at"] if res["diverged_at"] >= 0 else pd.NA,
                    "epochs": job.epochs,
                    "steps": res["steps"],
                    "seconds": res["seconds"],
                    "cached": res.get("_cached", False),
                }
            )
        frame = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
        frame["diverged_at"] = frame["diverged_at"].astype("Int64")
        frame["best_val_accuracy"] = frame["best_val_accuracy"].astype(float)
        return frame

    def to_frame(self):
        """:attr:`frame`: one row per optimizer, learning rate and seed."""
        return self.frame

    def summary(self):
        """One row per label and learning rate: mean, min and max over the seeds of the
        final validation accuracy and loss, and how many seeds diverged."""
        f = self.frame
        g = f.groupby(["label", "optimizer", "lr"], sort=False)
        out = g.agg(
            acc_mean=("final_val_accuracy", "mean"),
            acc_min=("final_val_accuracy", "min"),
            acc_max=("final_val_accuracy", "max"),
            loss_mean=("final_val_loss", "mean"),
            loss_min=("final_val_loss", "min"),
            loss_max=("final_val_loss", "max"),
            seeds=("seed", "count"),
            diverged=("diverged", "sum"),
        ).reset_index()
        return out

    def best(self) -> dict[str, float | None]:
        """The best learning rate of each label by :attr:`criterion` (None when every
        learning rate had a diverged seed)."""
        s = self.summary()
        out = {}
        for label in self.labels:
            part = s[(s["label"] == label) & (s["diverged"] == 0)]
            column = "acc_mean" if self.criterion == "val_accuracy" else "loss_mean"
            part = part[np.isfinite(part[column])]
            if part.empty:
                out[label] = None
                continue
            i = (
                part[column].idxmax()
                if self.criterion == "val_accuracy"
                else part[column].idxmin()
            )
            out[label] = float(s.loc[i, "lr"])
        return out

    def curves(self, label: str, lr: float, key: str = "val_accuracy") -> np.ndarray:
        """``(seeds, epochs)`` per-epoch curves of one label at one learning rate."""
        rows = [
            [np.nan if v is None else v for v in res[key]]
            for job, res in zip(self.jobs, self.results)
            if job.label == label and job.lr == lr
        ]
        return np.array(rows, dtype=float)

    def criterion_text(self) -> str:
        return (
            f"{CNN_CRITERIA[self.criterion]} after {self.jobs[0].epochs} epochs; "
            "learning rates where any seed diverged excluded"
        )

    def save_csv(self, path):
        """Write :attr:`frame` alone to ``path`` (.csv) atomically (no sidecar; use
        :meth:`save` for a record that :meth:`load` reads back)."""
        from .._io import atomic_path, check_writable

        path = check_writable(path, (".csv",))
        with atomic_path(path) as tmp:
            self.frame.to_csv(tmp, index=False, float_format="%.17g")
        return path

    # -- the record contract --------------------------------------------------------
    def _title(self) -> str:
        job = self.jobs[0] if self.jobs else None
        where = f"{job.dataset}, {job.epochs} epochs, " if job else ""
        return f"{where}{len(self.jobs)} runs, best by {self.criterion}"

    def _item_line(self, part: CnnSweepPart) -> str:
        lrs = sorted({j.lr for j in part.jobs})
        best = self.best()[part.label]
        said = "no best (every rate diverged)" if best is None else f"best lr {best:.4g}"
        return f"{len(part.jobs)} runs over {len(lrs)} learning rates; {said}"

    def _meta(self) -> dict:
        return {k: v for k, v in self.meta.items() if k not in ("lr_how", "parallel")}

    def _settings(self) -> dict:
        job = self.jobs[0]
        first = self.results[0]
        lrs = sorted({j.lr for j in self.jobs})
        return {
            "kind": "cnn sweep",
            "dataset": first["data"],
            "network": first["network"],
            "epochs": job.epochs,
            "batch_size": job.batch_size,
            "seeds": sorted({j.seed for j in self.jobs}),
            "seed_means": "seed k: initial weights and mini-batch order "
            "(SeedSequence(k).spawn(2)); the same for every optimizer and learning rate",
            "split_seed": job.split_seed,
            "dtype": job.dtype,
            "learning_rates": {
                "how": self.meta.get("lr_how", "given"),
                "values": lrs,
                "spacing": "log",
            },
            "criterion": self.criterion,
            "criterion_text": self.criterion_text(),
            "runs": len(self.jobs),
            "cached_runs": int(sum(bool(r.get("_cached")) for r in self.results)),
            "parallel": self.meta.get("parallel"),
        }

    def _file_sidecar(self, path) -> dict:
        """The sidecar of a saved sweep also holds every run's job and result (the
        per-epoch curves), so :meth:`load` gives the whole sweep back."""
        info = self.sidecar()
        tail = {k: info.pop(k) for k in ("optimizers", "meta", "versions")}
        runs = [{"job": asdict(j), "result": r} for j, r in zip(self.jobs, self.results)]
        return {**info, "run_results": runs, **tail}

    def _item_info(self, part: CnnSweepPart) -> dict:
        return {
            "label": part.label,
            "spec": part.spec,
            "hyperparameters": {
                k: v for k, v in part.results[0]["hyperparameters"].items() if k != "lr"
            },
            "best_lr": self.best()[part.label],
        }

    def _arrays(self) -> dict[str, np.ndarray]:
        f = self.frame
        arrays = {k: f[k].to_numpy(np.float64) for k in _NUMERIC}
        arrays["diverged_at"] = f["diverged_at"].fillna(-1).to_numpy(np.int64)
        return arrays

    @classmethod
    def _runs(cls, info) -> tuple[list[CnnJob], list[dict]]:
        runs = item_list(info, "run_results")
        if not runs:
            raise ValueError("the sweep has no runs")
        jobs = [CnnJob.from_dict(r["job"]) for r in runs]
        results = [check_result(r["result"], j.epochs) for j, r in zip(jobs, runs)]
        return jobs, results

    @classmethod
    def _expected(cls, info) -> dict[str, tuple]:
        n = len(item_list(info, "run_results"))
        return {k: (n,) for k in (*_NUMERIC, "diverged_at")}

    @classmethod
    def _kinds(cls, info) -> dict[str, str]:
        return {"diverged_at": "iu"}

    @classmethod
    def _make(cls, info, table) -> CnnSweep:
        jobs, results = cls._runs(info)
        criterion = info["criterion"]
        if criterion not in CNN_CRITERIA:
            raise ValueError(f"criterion must be one of {', '.join(CNN_CRITERIA)}")
        meta = {"lr_how": info["learning_rates"]["how"], "parallel": info.get("parallel")}
        meta.update(any_of(info.get("meta", {}), dict, "meta"))
        sweep = cls(jobs, results, criterion, meta)
        lr, seed = sweep.frame["lr"].to_numpy(), sweep.frame["seed"].to_numpy()
        if not (
            np.array_equal(np.asarray(table["lr"], np.float64), lr)
            and np.array_equal(np.asarray(table["seed"], np.float64), seed)
        ):
            raise ValueError("its table does not match the runs in its sidecar")
        return sweep

    @classmethod
    def _from_arrays(cls, info, arrays) -> CnnSweep:
        return cls._make(info, arrays)

    @classmethod
    def _from_frame(cls, info, frame) -> CnnSweep:
        if len(frame) != len(item_list(info, "run_results")):
            raise ValueError("its table does not match the runs in its sidecar")
        return cls._make(info, frame)
