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

from dataclasses import dataclass, field

import numpy as np

from ._base import Parts, Record, any_of, count, item_list, item_repr, whole
from ._valid import floats, in_range, ints, text, whole_or_none

__all__ = ["Trajectory", "Run"]

_ARRAYS = ("xy", "loss", "grad", "lr")
#: State fields that accumulate g^2 (the notes' r): never negative.
_SQUARES = ("r", "r_max")


@dataclass
class Trajectory:
    """One optimizer's path from one start or a batch of starts (shapes: module doc)."""

    __repr__ = item_repr

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
    #: classical methods (optviz.classical): nfev, njev, nhev and "cumulative" (the
    #: evaluations spent up to each iterate); None for step optimizers
    evaluations: dict | None = None

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


@dataclass(eq=False, repr=False)
class Run(Record):
    """Trajectories of several optimizers on one surface from the same start(s)."""

    surface: str
    start: np.ndarray  # (*B, 2)
    trajectories: list[Trajectory]
    seed: int | None = None
    meta: dict = field(default_factory=dict)

    _items = "trajectories"
    _item_word = "trajectory"

    @property
    def steps(self) -> int:
        return max(t.steps for t in self.trajectories)

    # -- pandas ------------------------------------------------------------------
    def to_frame(self):
        """A tidy DataFrame: one row per optimizer, start and step.

        Columns: ``optimizer, label, start, step, x, y, loss, grad_x, grad_y, lr_x,
        lr_y, diverged`` (``start`` numbers the flattened batch of starts), then
        ``state_v_x, state_v_y, ...`` for each recorded state field (``record_state``;
        empty for optimizers without that field).
        """
        import pandas as pd

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
                        **{
                            f"state_{key}_{axis}": value.reshape(n, b, 2)[..., i].ravel()
                            for key, value in sorted(traj.state.items())
                            for i, axis in enumerate("xy")
                        },
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)

    # -- the record contract --------------------------------------------------------
    def _title(self) -> str:
        starts = int(np.prod(np.shape(self.start)[:-1], dtype=int))
        where = "" if starts == 1 else f", {starts} starts"
        return f"{self.surface}, {count(len(self), 'optimizer')}, {self.steps} steps{where}"

    def _item_line(self, t: Trajectory) -> str:
        d = np.asarray(t.diverged_at)
        if d.ndim == 0:
            if d >= 0:
                return f"diverged at step {int(d)}"
            return f"final loss {float(t.loss[-1]):.4g} after {t.steps} steps"
        return f"{int((d >= 0).sum())} of {d.size} starts diverged, {t.steps} steps"

    def _settings(self) -> dict:
        return {
            "surface": self.surface,
            "start": np.asarray(self.start).tolist(),
            "seed": self.seed,
            "steps": self.steps,
        }

    def _item_info(self, t: Trajectory) -> dict:
        return {
            "optimizer": t.optimizer,
            "label": t.label,
            "hyperparameters": t.hyperparameters,
            "diverged_at": np.asarray(t.diverged_at).tolist(),
            "steps": t.steps,
            "state": sorted(t.state),
            "color": t.color,
            **({"evaluations": t.evaluations} if t.evaluations is not None else {}),
        }

    def _arrays(self) -> dict[str, np.ndarray]:
        arrays = {"start": np.asarray(self.start)}
        for i, t in enumerate(self.trajectories):
            for key in _ARRAYS + ("diverged_at",):
                arrays[f"{i}/{key}"] = np.asarray(getattr(t, key))
            for key, value in t.state.items():
                arrays[f"{i}/state/{key}"] = value
        return arrays

    def _check(self) -> None:
        in_range("start", self.start, nan=False, finite=True)
        whole_or_none("seed", self.seed)
        for t in self.trajectories:
            name = f"{text('label', t.label)!r}"
            text(f"{name}: optimizer", t.optimizer)
            text(f"{name}: color", t.color, none=True)
            any_of(t.hyperparameters, dict, f"{name}: hyperparameters")
            ints(f"{name}: diverged_at", t.diverged_at, -1, t.steps)
            in_range(f"{name}: effective learning rate", t.lr, 0)
            for key in _SQUARES:
                if key in t.state:  # NaN, inf: from where the run diverged
                    in_range(f"{name}: state {key}", t.state[key], 0)

    @classmethod
    def _start(cls, info) -> np.ndarray:
        start = floats("start", info["start"])
        if start.ndim < 1 or start.shape[-1] != 2:
            raise ValueError(f"start must have shape (..., 2), got {start.shape}")
        return start

    @classmethod
    def _expected(cls, info) -> dict[str, tuple]:
        batch = cls._start(info).shape[:-1]
        out = {"start": (*batch, 2)}
        for i, o in enumerate(item_list(info)):
            n = whole(o["steps"], "steps") + 1
            for key in _ARRAYS:
                out[f"{i}/{key}"] = (n, *batch) if key == "loss" else (n, *batch, 2)
            out[f"{i}/diverged_at"] = batch
            for key in any_of(o.get("state", []), list, "state"):
                out[f"{i}/state/{any_of(key, str, 'state')}"] = (n, *batch, 2)
        return out

    @classmethod
    def _kinds(cls, info) -> dict[str, str]:
        return {f"{i}/diverged_at": "iu" for i in range(len(info["optimizers"]))}

    @classmethod
    def _make(cls, info, trajectories) -> Run:
        meta = any_of(info.get("meta", {}), dict, "meta")
        return cls(info["surface"], cls._start(info), trajectories, info.get("seed"), meta)

    @classmethod
    def _from_arrays(cls, info, arrays) -> Run:
        trajectories = []
        for i, o in enumerate(item_list(info)):
            trajectories.append(
                Trajectory(
                    o["optimizer"],
                    o["label"],
                    o["hyperparameters"],
                    state={key: arrays[f"{i}/state/{key}"] for key in o.get("state", [])},
                    color=o.get("color"),
                    evaluations=o.get("evaluations"),
                    **{k: arrays[f"{i}/{k}"] for k in _ARRAYS + ("diverged_at",)},
                )
            )
        return cls._make(info, trajectories)

    @classmethod
    def _from_frame(cls, info, frame) -> Run:
        batch = cls._start(info).shape[:-1]
        b = int(np.prod(batch, dtype=int))
        trajectories = []
        parts = Parts(frame, by=("step", "start"))
        for o in item_list(info):
            n = whole(o["steps"], "steps") + 1
            if parts.rows(o["label"]) != n * b:
                raise ValueError(
                    f"{o['label']!r} has {parts.rows(o['label'])} rows; its sidecar "
                    f"says {n * b}"
                )

            def col(*names, label=o["label"], n=n):
                cols = [parts.column(c, label).reshape(n, *batch) for c in names]
                return np.stack(cols, axis=-1) if len(cols) > 1 else cols[0]

            state = {
                any_of(key, str, "state"): col(f"state_{key}_x", f"state_{key}_y")
                for key in any_of(o.get("state", []), list, "state")
            }
            trajectories.append(
                Trajectory(
                    o["optimizer"],
                    o["label"],
                    o["hyperparameters"],
                    state=state,
                    xy=col("x", "y"),
                    loss=col("loss"),
                    grad=col("grad_x", "grad_y"),
                    lr=col("lr_x", "lr_y"),
                    diverged_at=ints(
                        f"{o['label']!r}: diverged_at", o["diverged_at"], -1, n - 1
                    ).reshape(batch),
                    color=o.get("color"),
                    evaluations=o.get("evaluations"),
                )
            )
        return cls._make(info, trajectories)
