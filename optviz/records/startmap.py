"""The record of a start-point map: per optimizer, where every start of an ``n x n``
grid ended, in how many steps, and in which basin.

Made by :func:`optviz.startmap.start_map`; saved and loaded back (``.csv`` or ``.npz``
and a JSON sidecar) so a map can be redrawn without recomputing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ._base import Record, any_of, item_list, item_repr, rows_by, rows_of, whole
from ._valid import finite_number, in_range, increasing, ints, text

__all__ = ["StartMap", "MapPanel", "NONE", "DIVERGED", "METRICS", "basin_name"]

#: Basin labels besides the index of a global minimum.
NONE, DIVERGED = -1, -2
#: What a map can be coloured by.
METRICS = ("steps", "loss", "basin")
_ARRAYS = (
    "final_xy",
    "final_loss",
    "final_gap",
    "steps_to_tol",
    "diverged_at",
    "basin",
)
_INTS = ("steps_to_tol", "diverged_at", "basin")
#: Basin indices are below this (a surface has a few global minima; a map's colours
#: are one per index).
MAX_BASINS = 1000


def basin_name(k: int) -> str:
    return {NONE: "none", DIVERGED: "diverged"}.get(k, f"minimum {k}")


@dataclass
class MapPanel:
    """One optimizer from every start of the grid (``n x n``)."""

    __repr__ = item_repr

    optimizer: str
    label: str
    hyperparameters: dict
    lr: str  # the learning rate or schedule, as text
    final_xy: NDArray  # (n, n, 2), NaN where diverged
    final_loss: NDArray  # (n, n), NaN where diverged
    final_gap: NDArray  # (n, n): f - f* (f where there is no known minimum)
    steps_to_tol: NDArray  # (n, n) int, -1: not within tol at the end
    diverged_at: NDArray  # (n, n) int, -1 if never
    basin: NDArray  # (n, n) int: minimum index, NONE or DIVERGED

    def summary(self) -> dict:
        """Fractions of starts converged (within tol at the end), reached a minimum
        (ended within the map's radius of one), diverged, and per basin."""
        n = self.basin.size
        out = {
            "converged": float(np.mean(self.steps_to_tol >= 0)),
            "reached": float(np.mean(self.basin >= 0)),
            "diverged": float(np.mean(self.diverged_at >= 0)),
            "median_steps_to_tol": (
                float(np.median(self.steps_to_tol[self.steps_to_tol >= 0]))
                if np.any(self.steps_to_tol >= 0)
                else None
            ),
        }
        labels, counts = np.unique(self.basin, return_counts=True)
        out["basins"] = {basin_name(int(k)): int(c) / n for k, c in zip(labels, counts)}
        return out


@dataclass(eq=False, repr=False)
class StartMap(Record):
    """Start-point maps of several optimizers on one surface."""

    surface: str
    x: NDArray  # (n,)
    y: NDArray  # (n,)
    steps: int
    tol: float
    radius: float
    panels: list[MapPanel]
    meta: dict = field(default_factory=dict)

    _items = "panels"
    _item_word = "panel"

    def to_frame(self):
        """One row per optimizer and start: ``optimizer, label, row, col, x, y,
        final_x, final_y, final_loss, final_gap, steps_to_tol, diverged_at, basin``
        (``row``/``col`` index the grid, ``x``/``y`` are the start; -1: never)."""
        import pandas as pd

        ny, nx = len(self.y), len(self.x)
        row, col = np.divmod(np.arange(ny * nx), nx)
        frames = []
        for p in self.panels:
            frames.append(
                pd.DataFrame(
                    {
                        "optimizer": p.optimizer,
                        "label": p.label,
                        "row": row,
                        "col": col,
                        "x": self.x[col],
                        "y": self.y[row],
                        "final_x": p.final_xy[..., 0].ravel(),
                        "final_y": p.final_xy[..., 1].ravel(),
                        **{k: getattr(p, k).ravel() for k in _ARRAYS[1:]},
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)

    # -- the record contract --------------------------------------------------------
    def _title(self) -> str:
        return (
            f"{self.surface}, {len(self.y)}x{len(self.x)} starts, {self.steps} steps, "
            f"tol {self.tol:g}"
        )

    def _item_line(self, p: MapPanel) -> str:
        s = p.summary()
        return (
            f"lr {p.lr}: {100 * s['converged']:.0f}% converged, "
            f"{100 * s['diverged']:.0f}% diverged"
        )

    def _meta(self) -> dict:
        return {k: v for k, v in self.meta.items() if k != "lr_how"}

    def _settings(self) -> dict:
        return {
            "kind": "start map",
            "surface": self.surface,
            "grid": {
                "n": len(self.x),
                "x": [float(self.x[0]), float(self.x[-1])],
                "y": [float(self.y[0]), float(self.y[-1])],
                "spacing": "even, edges included",
            },
            "steps": self.steps,
            "seed": None,
            "randomness": "none: full-batch gradients on an analytic surface",
            "tol": self.tol,
            "converged_means": f"f - f* < {self.tol:g} from some step to the end",
            "basin_radius": self.radius,
            "basin_means": "nearest global minimum within basin_radius of the final "
            "point, else none; diverged if the run diverged",
            "learning_rates": self.meta.get("lr_how", "given"),
        }

    def _item_info(self, p: MapPanel) -> dict:
        return {
            "optimizer": p.optimizer,
            "label": p.label,
            "lr": p.lr,
            "hyperparameters": p.hyperparameters,
            "summary": p.summary(),
        }

    def _arrays(self) -> dict[str, np.ndarray]:
        arrays = {"x": np.asarray(self.x), "y": np.asarray(self.y)}
        for i, p in enumerate(self.panels):
            for key in _ARRAYS:
                arrays[f"{i}/{key}"] = np.asarray(getattr(p, key))
        return arrays

    def _check(self) -> None:
        for axis in ("x", "y"):
            in_range(axis, getattr(self, axis), nan=False, finite=True)
            increasing(axis, getattr(self, axis))
        finite_number("tol", self.tol, 0)
        finite_number("basin_radius", self.radius, 0)
        for p in self.panels:
            name = f"{text('label', p.label)!r}"
            text(f"{name}: optimizer", p.optimizer)
            text(f"{name}: lr", p.lr)
            any_of(p.hyperparameters, dict, f"{name}: hyperparameters")
            for key in ("steps_to_tol", "diverged_at"):
                ints(f"{name}: {key}", getattr(p, key), -1, self.steps)
            ints(f"{name}: basin", p.basin, DIVERGED, MAX_BASINS - 1)

    @classmethod
    def _expected(cls, info) -> dict[str, tuple]:
        n = whole(info["grid"]["n"], "grid n", 2)
        out = {"x": (n,), "y": (n,)}
        for i, _ in enumerate(item_list(info)):
            for key in _ARRAYS:
                out[f"{i}/{key}"] = (n, n, 2) if key == "final_xy" else (n, n)
        return out

    @classmethod
    def _kinds(cls, info) -> dict[str, str]:
        return {f"{i}/{k}": "iu" for i in range(len(info["optimizers"])) for k in _INTS}

    @classmethod
    def _make(cls, info, x, y, panels) -> StartMap:
        # one text, or one per optimizer (as optviz map writes them)
        meta = {"lr_how": any_of(info["learning_rates"], (str, dict), "learning_rates")}
        meta.update(any_of(info.get("meta", {}), dict, "meta"))
        return cls(
            any_of(info["surface"], str, "surface"),
            x,
            y,
            whole(info["steps"], "steps", 1),
            finite_number("tol", info["tol"], 0),
            finite_number("basin_radius", info["basin_radius"], 0),
            panels,
            meta,
        )

    @classmethod
    def _panel(cls, o, **arrays) -> MapPanel:
        return MapPanel(o["optimizer"], o["label"], o["hyperparameters"], o["lr"], **arrays)

    @classmethod
    def _from_arrays(cls, info, arrays) -> StartMap:
        panels = [
            cls._panel(o, **{k: arrays[f"{i}/{k}"] for k in _ARRAYS})
            for i, o in enumerate(item_list(info))
        ]
        return cls._make(info, arrays["x"], arrays["y"], panels)

    @classmethod
    def _from_frame(cls, info, frame) -> StartMap:
        n = whole(info["grid"]["n"], "grid n", 2)
        panels = []
        x = y = None
        groups = rows_by(frame)
        for o in item_list(info):
            part = rows_of(frame, groups, o["label"]).sort_values(["row", "col"])
            if len(part) != n * n:
                raise ValueError(
                    f"{o['label']!r} has {len(part)} rows; its sidecar says {n * n}"
                )
            x = part["x"].to_numpy(np.float64)[:n]
            y = part["y"].to_numpy(np.float64)[::n]
            arrays = {
                k: (
                    ints(k, part[k].to_numpy()) if k in _INTS else part[k].to_numpy(float)
                ).reshape(n, n)
                for k in _ARRAYS[1:]
            }
            final = part[["final_x", "final_y"]].to_numpy(np.float64)
            panels.append(cls._panel(o, final_xy=final.reshape(n, n, 2), **arrays))
        if x is None:
            raise ValueError("the map has no panels")
        return cls._make(info, x, y, panels)
