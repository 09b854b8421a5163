"""Records of runs: plain numpy arrays, a tidy DataFrame, CSV/NPZ with a JSON sidecar.

A :class:`Trajectory` is what one optimizer did from one start (or a batch of starts);
a :class:`Run` is several trajectories on one surface from the same start. Figures are
drawn from records, so a record saved today can be redrawn tomorrow.

Shapes, with ``T`` steps and ``B`` the batch shape of the start (``()`` for one start):

- ``xy``: ``(T+1, *B, 2)``, the iterates, ``xy[0]`` the start;
- ``loss``: ``(T+1, *B)``, f at each iterate;
- ``grad``: ``(T+1, *B, 2)``, the gradient at each iterate (``grad[k]`` drives step k+1);
- ``lr``: ``(T+1, *B, 2)``, the effective learning rate of the step that produced
  ``xy[k]`` (``lr[0]`` is NaN: no step made the start);
- ``diverged_at``: ``B``-shaped int, the first step whose iterate was non-finite or far
  outside the domain, or -1. From that step on ``xy`` and ``loss`` are NaN.
- ``state``: optional, each array-valued field of the optimizer's state (``v``, ``r``,
  ``s``, ...) after every step, shaped like ``lr``.
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from ._io import atomic_path, check_writable

__all__ = ["Trajectory", "Run", "versions"]

RECORD_SUFFIXES = (".csv", ".npz")
_ARRAYS = ("xy", "loss", "grad", "lr")


def versions() -> dict:
    """Versions of optviz and what it computes with, for sidecars."""
    import matplotlib

    from ._version import __version__

    return {
        "optviz": __version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "matplotlib": matplotlib.__version__,
        "python": platform.python_version(),
    }


def _sidecar(path: Path) -> Path:
    return path.with_suffix(".json")


@dataclass
class Trajectory:
    """One optimizer's path from one start or a batch of starts (shapes: module doc)."""

    optimizer: str  # registry name ("adam")
    label: str  # legend label, unique within a Run ("adam" or "adam (lr=0.1)")
    hyperparameters: dict
    xy: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    lr: np.ndarray
    diverged_at: np.ndarray
    state: dict[str, np.ndarray] = field(default_factory=dict)
    color: str | None = None  # display colour; None: the optimizer's (plot.style)

    @property
    def steps(self) -> int:
        return self.xy.shape[0] - 1

    @property
    def batch_shape(self) -> tuple:
        return self.loss.shape[1:]

    @property
    def diverged(self) -> np.ndarray | bool:
        """True where the run diverged (a bool for a single start)."""
        d = self.diverged_at >= 0
        return bool(d) if d.ndim == 0 else d

    def last_finite(self) -> np.ndarray:
        """The last finite iterate of each start, shape ``(*B, 2)``."""
        d = np.asarray(self.diverged_at)
        idx = np.where(d >= 0, np.maximum(d - 1, 0), self.steps)
        xy = self.xy.reshape(self.steps + 1, -1, 2)
        flat = xy[idx.reshape(-1), np.arange(xy.shape[1])]
        return flat.reshape(*self.batch_shape, 2)

    def step_length(self) -> np.ndarray:
        """|Δw| per coordinate of every step, shape ``(T, *B, 2)``."""
        return np.abs(np.diff(self.xy, axis=0))


@dataclass
class Run:
    """Trajectories of several optimizers on one surface from the same start(s)."""

    surface: str
    start: np.ndarray  # (*B, 2)
    trajectories: list[Trajectory]
    seed: int | None = None
    meta: dict = field(default_factory=dict)

    def __iter__(self) -> Iterator[Trajectory]:
        return iter(self.trajectories)

    def __len__(self) -> int:
        return len(self.trajectories)

    def __getitem__(self, label: str) -> Trajectory:
        for traj in self.trajectories:
            if traj.label == label:
                return traj
        labels = ", ".join(t.label for t in self.trajectories)
        raise KeyError(f"no trajectory {label!r} in this run; it has: {labels}")

    @property
    def steps(self) -> int:
        return max(t.steps for t in self.trajectories)

    # -- pandas ------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """A tidy DataFrame: one row per optimizer, start and step.

        Columns: ``optimizer, label, start, step, x, y, loss, grad_x, grad_y, lr_x,
        lr_y, diverged`` (``start`` numbers the flattened batch of starts).
        """
        frames = []
        for traj in self.trajectories:
            n = traj.steps + 1
            b = int(np.prod(traj.batch_shape, dtype=int))
            xy = traj.xy.reshape(n, b, 2)
            grad = traj.grad.reshape(n, b, 2)
            lr = traj.lr.reshape(n, b, 2)
            frames.append(
                pd.DataFrame(
                    {
                        "optimizer": traj.optimizer,
                        "label": traj.label,
                        "start": np.tile(np.arange(b), n),
                        "step": np.repeat(np.arange(n), b),
                        "x": xy[..., 0].ravel(),
                        "y": xy[..., 1].ravel(),
                        "loss": traj.loss.reshape(n, b).ravel(),
                        "grad_x": grad[..., 0].ravel(),
                        "grad_y": grad[..., 1].ravel(),
                        "lr_x": lr[..., 0].ravel(),
                        "lr_y": lr[..., 1].ravel(),
                        "diverged": np.tile(
                            np.asarray(traj.diverged_at).reshape(b) >= 0, n
                        ),
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)

    # -- files -------------------------------------------------------------------
    def sidecar(self) -> dict:
        """Everything but the arrays: surface, start, seed, hyper-parameters, versions."""
        return {
            "surface": self.surface,
            "start": np.asarray(self.start).tolist(),
            "seed": self.seed,
            "steps": self.steps,
            "optimizers": [
                {
                    "optimizer": t.optimizer,
                    "label": t.label,
                    "hyperparameters": t.hyperparameters,
                    "diverged_at": np.asarray(t.diverged_at).tolist(),
                    "steps": t.steps,
                    "state": sorted(t.state),
                    "color": t.color,
                }
                for t in self.trajectories
            ],
            "meta": self.meta,
            "versions": versions(),
        }

    def save(self, path) -> Path:
        """Write ``path`` (.csv or .npz) and its JSON sidecar (``path`` with .json),
        each atomically. Returns ``path``."""
        path = check_writable(path, RECORD_SUFFIXES)
        side = check_writable(_sidecar(path))
        with atomic_path(path) as tmp:
            if path.suffix.lower() == ".npz":
                arrays = {"start": np.asarray(self.start)}
                for i, t in enumerate(self.trajectories):
                    for key in _ARRAYS + ("diverged_at",):
                        arrays[f"{i}/{key}"] = np.asarray(getattr(t, key))
                    for key, value in t.state.items():
                        arrays[f"{i}/state/{key}"] = value
                with open(tmp, "wb") as fh:
                    np.savez_compressed(fh, **arrays)
            else:
                self.to_frame().to_csv(tmp, index=False, float_format="%.17g")
        with atomic_path(side) as tmp:
            tmp.write_text(json.dumps(self.sidecar(), indent=2) + "\n")
        return path

    @classmethod
    def load(cls, path) -> Run:
        """Read a Run written by :meth:`save` (the sidecar must sit beside it)."""
        path = Path(path)
        if path.suffix.lower() not in RECORD_SUFFIXES:
            raise ValueError(
                f"cannot read {path}: expected one of {', '.join(RECORD_SUFFIXES)}"
            )
        side = _sidecar(path)
        for p in (path, side):
            if not p.is_file():
                raise ValueError(f"cannot read {path}: {p} does not exist")
        info = json.loads(side.read_text())
        start = np.asarray(info["start"], dtype=np.float64)
        batch = start.shape[:-1]
        trajectories = []
        if path.suffix.lower() == ".npz":
            with np.load(path) as npz:
                for i, o in enumerate(info["optimizers"]):
                    arrays = {k: npz[f"{i}/{k}"] for k in _ARRAYS + ("diverged_at",)}
                    state = {
                        k.rsplit("/", 1)[1]: npz[k]
                        for k in npz.files
                        if k.startswith(f"{i}/state/")
                    }
                    trajectories.append(
                        Trajectory(
                            o["optimizer"],
                            o["label"],
                            o["hyperparameters"],
                            state=state,
                            color=o.get("color"),
                            **arrays,
                        )
                    )
        else:
            frame = pd.read_csv(path)
            for o in info["optimizers"]:
                part = frame[frame["label"] == o["label"]].sort_values(["step", "start"])
                n = o["steps"] + 1

                def col(*names, part=part, n=n):
                    cols = [part[c].to_numpy(np.float64).reshape(n, *batch) for c in names]
                    return np.stack(cols, axis=-1) if len(cols) > 1 else cols[0]

                trajectories.append(
                    Trajectory(
                        o["optimizer"],
                        o["label"],
                        o["hyperparameters"],
                        xy=col("x", "y"),
                        loss=col("loss"),
                        grad=col("grad_x", "grad_y"),
                        lr=col("lr_x", "lr_y"),
                        diverged_at=np.asarray(o["diverged_at"], dtype=np.int64),
                        color=o.get("color"),
                    )
                )
        return cls(info["surface"], start, trajectories, info.get("seed"), info["meta"])
