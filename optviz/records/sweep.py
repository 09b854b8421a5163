"""The record of a learning-rate sweep: per optimizer, the final point and loss, the
steps to tolerance and the divergence step of every learning rate of a grid.

Made by :func:`optviz.sweep.lr_sweep`; saved and loaded back (``.csv`` or ``.npz`` and
a JSON sidecar) so a sweep figure can be redrawn without recomputing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .._io import atomic_path, check_writable
from ._base import Record, any_of, count, item_list, item_repr, rows_by, rows_of, whole
from ._valid import finite_number, floats, in_range, ints, text

__all__ = ["Sweep", "SweepCurve", "CRITERIA", "check_criterion"]

#: How the best learning rate is chosen.
CRITERIA = {
    "steps": "fewest steps to reach f - f* < tol and stay there (ties, or none "
    "reaching tol: lowest final f - f*)",
    "loss": "lowest final f - f*",
}
_ARRAYS = ("lr", "final_loss", "final_gap", "steps_to_tol", "diverged_at", "final_xy")


def check_criterion(criterion: str) -> None:
    if criterion not in CRITERIA:
        raise ValueError(
            f"criterion must be one of {', '.join(CRITERIA)}; got {criterion!r}"
        )


def _int_or_na(a: NDArray):
    """Whole numbers with -1 ("never") as missing."""
    import pandas as pd

    return pd.array([int(v) if v >= 0 else pd.NA for v in a], dtype="Int64")


def _int_or_never(column) -> NDArray:
    """The inverse of :func:`_int_or_na`: missing -> -1 (checked whole numbers)."""
    return ints(str(column.name), column.fillna(-1).to_numpy(), -1)


@dataclass
class SweepCurve:
    """One optimizer over the learning-rate grid."""

    __repr__ = item_repr

    optimizer: str
    label: str
    hyperparameters: dict  # every key but lr; the lr schedule's form under "schedule"
    lr: NDArray  # (N,)
    final_loss: NDArray  # (N,), NaN where diverged
    final_gap: NDArray  # (N,): f - f* (f where there is no known minimum)
    steps_to_tol: NDArray  # (N,) int, -1 if never
    diverged_at: NDArray  # (N,) int, -1 if never
    final_xy: NDArray  # (N, 2)

    @property
    def diverged(self) -> NDArray:
        return self.diverged_at >= 0

    def best_index(self, criterion: str = "steps") -> int | None:
        """Index of the best learning rate by ``criterion`` (:data:`CRITERIA`), or None
        when every learning rate diverged."""
        check_criterion(criterion)
        ok = ~self.diverged & np.isfinite(self.final_gap)
        if not np.any(ok):
            return None
        idx = np.flatnonzero(ok)
        reached = idx[self.steps_to_tol[idx] >= 0]
        if criterion == "steps" and len(reached):
            order = np.lexsort((self.final_gap[reached], self.steps_to_tol[reached]))
            return int(reached[order[0]])
        return int(idx[np.argmin(self.final_gap[idx])])

    def reached_tol(self, criterion: str = "steps") -> bool:
        i = self.best_index(criterion)
        return i is not None and self.steps_to_tol[i] >= 0


@dataclass(eq=False, repr=False)
class Sweep(Record):
    """A learning-rate sweep on one surface from one start (shapes in
    :class:`SweepCurve`)."""

    surface: str
    start: NDArray  # (2,)
    steps: int
    tol: float
    criterion: str
    curves: list[SweepCurve]
    meta: dict = field(default_factory=dict)

    _items = "curves"
    _item_word = "curve"

    def best(self) -> dict[str, float | None]:
        """The best learning rate of each optimizer by label (None: all diverged)."""
        out = {}
        for c in self:
            i = c.best_index(self.criterion)
            out[c.label] = None if i is None else float(c.lr[i])
        return out

    def criterion_text(self) -> str:
        return f"{CRITERIA[self.criterion].replace('tol', f'{self.tol:g}')}, within " + (
            f"{self.steps} steps; diverged runs excluded"
        )

    def to_frame(self):
        """One row per optimizer and learning rate.

        Columns: ``optimizer, label, lr, final_loss, final_gap, steps_to_tol,
        diverged, diverged_at, final_x, final_y, best`` (``steps_to_tol`` and
        ``diverged_at`` empty where never)."""
        import pandas as pd

        frames = []
        for c in self:
            best = np.zeros(len(c.lr), dtype=bool)
            i = c.best_index(self.criterion)
            if i is not None:
                best[i] = True
            frames.append(
                pd.DataFrame(
                    {
                        "optimizer": c.optimizer,
                        "label": c.label,
                        "lr": c.lr,
                        "final_loss": c.final_loss,
                        "final_gap": c.final_gap,
                        "steps_to_tol": _int_or_na(c.steps_to_tol),
                        "diverged": c.diverged,
                        "diverged_at": _int_or_na(c.diverged_at),
                        "final_x": c.final_xy[:, 0],
                        "final_y": c.final_xy[:, 1],
                        "best": best,
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)

    def save_csv(self, path) -> Path:
        """Write :meth:`to_frame` alone to ``path`` (.csv) atomically (no sidecar; use
        :meth:`save` for a record that :meth:`load` reads back)."""
        path = check_writable(path, (".csv",))
        with atomic_path(path) as tmp:
            self.to_frame().to_csv(tmp, index=False, float_format="%.17g")
        return path

    # -- the record contract --------------------------------------------------------
    def _title(self) -> str:
        return (
            f"{self.surface}, {count(len(self), 'optimizer')}, {self.steps} steps, "
            f"tol {self.tol:g}, best by {self.criterion}"
        )

    def _item_line(self, c: SweepCurve) -> str:
        i = c.best_index(self.criterion)
        n = f"{len(c.lr)} learning rates, {int(c.diverged.sum())} diverged"
        if i is None:
            return f"{n}; no best"
        reach = (
            f"reaches tol in {int(c.steps_to_tol[i])} steps"
            if c.steps_to_tol[i] >= 0
            else f"final f - f* {c.final_gap[i]:.3g}"
        )
        return f"{n}; best lr {c.lr[i]:.4g} ({reach})"

    def _meta(self) -> dict:
        return {k: v for k, v in self.meta.items() if k != "lr_how"}

    def _settings(self) -> dict:
        """Everything a reader needs to trust the figure: how the learning rates were
        chosen, the budget, the criterion."""
        lrs = self.curves[0].lr if self.curves else np.array([])
        return {
            "kind": "lr sweep",
            "surface": self.surface,
            "start": np.asarray(self.start).tolist(),
            "steps": self.steps,
            "seed": None,
            "randomness": "none: full-batch gradients on an analytic surface",
            "learning_rates": {
                "how": self.meta.get("lr_how", "given"),
                "spacing": "log",
                "min": float(lrs.min()) if len(lrs) else None,
                "max": float(lrs.max()) if len(lrs) else None,
                "n": int(len(lrs)),
            },
            "tol": self.tol,
            "criterion": self.criterion,
            "criterion_text": self.criterion_text(),
        }

    def _item_info(self, c: SweepCurve) -> dict:
        i = c.best_index(self.criterion)
        entry = {
            "optimizer": c.optimizer,
            "label": c.label,
            "hyperparameters": c.hyperparameters,
            "n": int(len(c.lr)),
            "best_lr": None if i is None else float(c.lr[i]),
            "diverged_lrs": int(c.diverged.sum()),
        }
        if i is not None:
            entry["best_final_gap"] = float(c.final_gap[i])
            entry["best_steps_to_tol"] = (
                int(c.steps_to_tol[i]) if c.steps_to_tol[i] >= 0 else None
            )
        return entry

    def _arrays(self) -> dict[str, np.ndarray]:
        arrays = {"start": np.asarray(self.start, dtype=np.float64)}
        for i, c in enumerate(self.curves):
            for key in _ARRAYS:
                arrays[f"{i}/{key}"] = np.asarray(getattr(c, key))
        return arrays

    def _check(self) -> None:
        in_range("start", self.start, nan=False, finite=True)
        finite_number("tol", self.tol, 0)
        for c in self.curves:
            name = f"{text('label', c.label)!r}"
            text(f"{name}: optimizer", c.optimizer)
            any_of(c.hyperparameters, dict, f"{name}: hyperparameters")
            in_range(f"{name}: lr", c.lr, 0, nan=False, finite=True)
            if np.any(c.lr == 0):
                raise ValueError(f"{name}: lr must be > 0, got 0.0")
            for key in ("steps_to_tol", "diverged_at"):
                ints(f"{name}: {key}", getattr(c, key), -1, self.steps)

    @classmethod
    def _expected(cls, info) -> dict[str, tuple]:
        out = {"start": (2,)}
        for i, o in enumerate(item_list(info)):
            n = whole(o["n"], "n")
            for key in _ARRAYS:
                out[f"{i}/{key}"] = (n, 2) if key == "final_xy" else (n,)
        return out

    @classmethod
    def _kinds(cls, info) -> dict[str, str]:
        n = len(info["optimizers"])
        return {f"{i}/{k}": "iu" for i in range(n) for k in ("steps_to_tol", "diverged_at")}

    @classmethod
    def _make(cls, info, curves) -> Sweep:
        check_criterion(info["criterion"])
        start = floats("start", info["start"])
        if start.shape != (2,):
            raise ValueError(f"start must have shape (2,), got {start.shape}")
        meta = {"lr_how": info["learning_rates"]["how"]}
        meta.update(any_of(info.get("meta", {}), dict, "meta"))
        return cls(
            any_of(info["surface"], str, "surface"),
            start,
            whole(info["steps"], "steps", 1),
            finite_number("tol", info["tol"], 0),
            info["criterion"],
            curves,
            meta,
        )

    @classmethod
    def _curve(cls, o, **arrays) -> SweepCurve:
        return SweepCurve(o["optimizer"], o["label"], o["hyperparameters"], **arrays)

    @classmethod
    def _from_arrays(cls, info, arrays) -> Sweep:
        curves = [
            cls._curve(o, **{k: arrays[f"{i}/{k}"] for k in _ARRAYS})
            for i, o in enumerate(item_list(info))
        ]
        return cls._make(info, curves)

    @classmethod
    def _from_frame(cls, info, frame) -> Sweep:
        curves = []
        groups = rows_by(frame)
        for o in item_list(info):
            part = rows_of(frame, groups, o["label"])
            if len(part) != whole(o["n"], "n"):
                raise ValueError(
                    f"{o['label']!r} has {len(part)} rows; its sidecar says {o['n']}"
                )
            curves.append(
                cls._curve(
                    o,
                    lr=part["lr"].to_numpy(np.float64),
                    final_loss=part["final_loss"].to_numpy(np.float64),
                    final_gap=part["final_gap"].to_numpy(np.float64),
                    steps_to_tol=_int_or_never(part["steps_to_tol"]),
                    diverged_at=_int_or_never(part["diverged_at"]),
                    final_xy=part[["final_x", "final_y"]].to_numpy(np.float64),
                )
            )
        return cls._make(info, curves)
