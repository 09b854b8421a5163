"""The record of a loss landscape: a plane in parameter space, the loss on a grid in
it, and each optimizer's path projected onto it (made by
:func:`optviz.landscape.landscape`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ._base import Record, any_of, item_list, item_repr, rows_by, rows_of, whole
from ._valid import floats, in_range, increasing, ints, text
from .line import LineLoss

__all__ = [
    "Plane",
    "Landscape",
    "LandscapePath",
    "CAPTURE_WARNING",
    "UPHILL_FACTOR",
    "MAX_PATH_STEPS",
]

#: A path with less of its variance than this in the plane gets a warning in figures:
#: most of its motion is across the plane, so where it seems to go is not where it goes.
CAPTURE_WARNING = 0.5
#: The plane's loss at a path's projected end this many times the loss the path really
#: ended at means the path "looks uphill" in the plane; figures say so.
UPHILL_FACTOR = 2.0
#: At most this many training steps are drawn per path by :meth:`Landscape.by_step`.
MAX_PATH_STEPS = 1_000_000


@dataclass(frozen=True)
class Plane:
    """An affine plane in parameter space: ``origin + a d1 + b d2``."""

    __repr__ = item_repr

    origin: np.ndarray  # (P,)
    directions: np.ndarray  # (2, P), orthonormal
    explained: np.ndarray  # (2,) fraction of the paths' variance along d1, d2

    def coords(self, theta: np.ndarray) -> np.ndarray:
        """Project parameters ``(..., P)`` to plane coordinates ``(..., 2)``."""
        return (np.asarray(theta) - self.origin) @ self.directions.T

    def point(self, ab: np.ndarray) -> np.ndarray:
        """Parameters ``(..., P)`` at plane coordinates ``(..., 2)``."""
        return self.origin + np.asarray(ab) @ self.directions


class LandscapePath(NamedTuple):
    """One optimizer's path in the plane: ``xy`` ``(T, 2)``, ``loss`` ``(T,)``."""

    label: str
    xy: np.ndarray
    loss: np.ndarray


@dataclass(eq=False, repr=False)
class Landscape(Record):
    """The plane, the loss on a grid in it, and each path projected onto it."""

    plane: Plane
    a: np.ndarray  # (n,) first coordinate of the grid
    b: np.ndarray  # (n,) second coordinate
    loss: np.ndarray  # (n, n) loss at theta(a[j], b[i]) in loss[i, j]
    paths: dict[str, np.ndarray]  # label -> (T, 2) plane coordinates
    path_loss: dict[str, np.ndarray]  # label -> (T,) loss at the recorded parameters
    meta: dict = field(default_factory=dict)
    #: The loss on the straight line from each path's start to its end, when a figure
    #: draws it beside the plane (saved with it: in a CSV, the rows of part "line",
    #: ``t`` in column ``a``).
    line: LineLoss | None = None

    _item_word = "path"

    def __eq__(self, other) -> bool:
        same = super().__eq__(other)
        if same is NotImplemented or not same or self.line is None:
            return same
        return self.line == other.line

    __hash__ = None

    def _list(self) -> list[LandscapePath]:
        return [LandscapePath(k, v, self.path_loss[k]) for k, v in self.paths.items()]

    def captured(self) -> dict[str, float]:
        """For each path, the share of its own variance that lies in the plane."""
        return dict(self.meta.get("captured", {}))

    def fidelity(self) -> dict[str, dict]:
        """For each path of a PCA landscape: the share of its variance in the plane
        (``captured``), the loss it really ended at (``end_loss``) and its lowest recorded
        loss (``lowest_loss``), the loss the plane
        shows at its projected end (``plane_end_loss``, bilinear on the grid), and whether
        a figure should warn (``warn``: ``captured`` below :data:`CAPTURE_WARNING`, or the
        plane's loss over :data:`UPHILL_FACTOR` x the true one)."""
        from scipy.interpolate import RegularGridInterpolator

        interp = RegularGridInterpolator(
            (self.b, self.a), self.loss, bounds_error=False, fill_value=None
        )
        captured = self.captured()
        out = {}
        for label, xy in self.paths.items():
            end_loss = float(np.asarray(self.path_loss[label])[-1])
            shown = float(interp(np.asarray(xy)[-1, ::-1][None])[0])
            share = float(captured.get(label, float("nan")))
            uphill = bool(np.isfinite(end_loss) and shown > UPHILL_FACTOR * end_loss)
            out[label] = {
                "captured": share,
                "end_loss": end_loss,
                "lowest_loss": float(np.nanmin(self.path_loss[label])),
                "plane_end_loss": shown,
                "uphill": uphill,
                "warn": bool(share < CAPTURE_WARNING or uphill),
            }
        return out

    def by_step(self):
        """The landscape's paths as a :class:`~optviz.records.Run` with ONE ROW PER TRAINING
        STEP (not per snapshot), so an animation's "step k / T" counts training steps:
        between two snapshots the position moves on the straight segment the still figure
        draws, and the loss is interpolated geometrically. Needs ``meta["snapshot_steps"]``
        (from :func:`optviz.landscape.training_landscape`)."""
        from .run import Run, Trajectory

        steps = self.meta.get("snapshot_steps", {})
        trajectories = []
        for label, xy in self.paths.items():
            recorded = np.asarray(steps.get(label, np.arange(len(xy))), dtype=np.float64)
            if len(recorded) != len(xy) or np.any(np.diff(recorded) <= 0):
                raise ValueError(f"path {label!r}: snapshot steps do not match its points")
            if not (recorded[0] >= 0 and recorded[-1] - recorded[0] < MAX_PATH_STEPS):
                raise ValueError(
                    f"path {label!r}: snapshot steps must be >= 0 and span fewer than "
                    f"{MAX_PATH_STEPS} steps to be drawn step by step, got "
                    f"{recorded[0]:g} to {recorded[-1]:g}"
                )
            every = np.arange(int(recorded[0]), int(recorded[-1]) + 1, dtype=np.float64)
            path = np.stack(
                [np.interp(every, recorded, xy[:, i]) for i in range(2)], axis=1
            )
            loss = np.asarray(self.path_loss[label], dtype=np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                log_loss = np.interp(every, recorded, np.log(np.maximum(loss, 1e-300)))
            n = len(every)
            trajectories.append(
                Trajectory(
                    optimizer=self.meta.get("optimizers", {}).get(label, label),
                    label=label,
                    hyperparameters={},
                    xy=path,
                    loss=np.exp(log_loss),
                    grad=np.full((n, 2), np.nan),
                    lr=np.full((n, 2), np.nan),
                    diverged_at=np.asarray(-1),
                )
            )
        if not trajectories:
            raise ValueError("the landscape has no paths to animate")
        first = trajectories[0].xy
        return Run(
            "cnn_landscape",
            np.asarray(first[0]),
            trajectories,
            meta={"explained_variance": self.plane.explained.tolist(), "per": "step"},
        )

    def as_surface(self):
        """The plane as a :class:`surfaces.Surface`: its value interpolates the grid
        (bilinear), so the surface figures and animations can draw the landscape."""
        from scipy.interpolate import RegularGridInterpolator

        from optviz.surfaces import Surface

        interp = RegularGridInterpolator(
            (self.b, self.a),
            self.loss,
            method="linear",
            bounds_error=False,
            fill_value=None,
        )

        def value(xy):
            xy = np.asarray(xy, dtype=np.float64)
            return interp(xy[..., ::-1].reshape(-1, 2)).reshape(xy.shape[:-1])

        def grad(xy):  # never used to step: the paths come from training
            return np.full(np.shape(xy), np.nan)

        e = 100 * self.plane.explained
        first = next(iter(self.paths.values()))
        return Surface(
            name="cnn_landscape",
            title=f"CNN loss landscape ({e.sum():.0f}% of the paths' variance)",
            value=value,
            grad=grad,
            domain=(
                (float(self.a[0]), float(self.a[-1])),
                (float(self.b[0]), float(self.b[-1])),
            ),
            minima=(),
            latex=r"L(\theta_0 + a\,d_1 + b\,d_2)",
            reference="Li et al. (2018), Visualizing the Loss Landscape of Neural Nets",
            start=(float(first[0, 0]), float(first[0, 1])),
            lr={},
            log_levels=bool(np.all(self.loss > 0)),
        )

    def to_frame(self):
        """One row per grid point (``part`` "grid") and per path point ("path"):
        ``part, label, step, a, b, loss`` (``label`` empty and ``step`` the flat grid
        index for grid points); with :attr:`line`, one row per point of each straight
        line ("line": ``a`` is its ``t``, ``b`` NaN)."""
        import pandas as pd

        aa, bb = np.meshgrid(self.a, self.b)
        frames = [
            pd.DataFrame(
                {
                    "part": "grid",
                    "label": "",
                    "step": np.arange(self.loss.size),
                    "a": aa.ravel(),
                    "b": bb.ravel(),
                    "loss": np.asarray(self.loss, dtype=np.float64).ravel(),
                }
            )
        ]
        for p in self:
            frames.append(
                pd.DataFrame(
                    {
                        "part": "path",
                        "label": p.label,
                        "step": np.arange(len(p.xy)),
                        "a": p.xy[:, 0],
                        "b": p.xy[:, 1],
                        "loss": np.asarray(p.loss, dtype=np.float64),
                    }
                )
            )
        for line in self.line or ():
            n = len(self.line.t)
            frames.append(
                pd.DataFrame(
                    {
                        "part": "line",
                        "label": line.label,
                        "step": np.arange(n),
                        "a": np.asarray(self.line.t, dtype=np.float64),
                        "b": np.full(n, np.nan),
                        "loss": np.asarray(line.loss, dtype=np.float64),
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)

    # -- the record contract --------------------------------------------------------
    def _title(self) -> str:
        e = 100 * np.asarray(self.plane.explained)
        return (
            f"{len(self.b)}x{len(self.a)} grid, {len(self.plane.origin)} parameters, "
            f"plane captures {e.sum():.0f}% of the paths' variance"
        )

    def _item_line(self, p: LandscapePath) -> str:
        share = self.captured().get(p.label)
        inside = "" if share is None else f", {100 * share:.0f}% of it in the plane"
        return f"{len(p.xy)} points{inside}"

    def _settings(self) -> dict:
        out = {
            "kind": "loss landscape",
            "grid": [len(self.b), len(self.a)],
            "parameters": int(len(self.plane.origin)),
            "explained_variance": np.asarray(self.plane.explained).tolist(),
        }
        if self.line is not None:  # its sidecar, without the keys every record has
            shared = ("record", "format", "versions")
            out["line"] = {k: v for k, v in self.line.sidecar().items() if k not in shared}
        return out

    def _item_info(self, p: LandscapePath) -> dict:
        return {
            "optimizer": self.meta.get("optimizers", {}).get(p.label, p.label),
            "label": p.label,
            "points": int(len(p.xy)),
        }

    def _file_sidecar(self, path) -> dict:
        info = self.sidecar()
        if path.suffix.lower() == ".csv":  # a CSV has no room for the plane itself
            info["plane"] = {
                "origin": np.asarray(self.plane.origin).tolist(),
                "directions": np.asarray(self.plane.directions).tolist(),
            }
        return info

    def _arrays(self) -> dict[str, np.ndarray]:
        arrays = {
            "origin": self.plane.origin,
            "directions": self.plane.directions,
            "explained": self.plane.explained,
            "a": self.a,
            "b": self.b,
            "loss": self.loss,
        }
        for i, p in enumerate(self):
            arrays[f"path/{i}"] = p.xy
            arrays[f"path_loss/{i}"] = p.loss
        if self.line is not None:
            arrays.update({f"line/{k}": v for k, v in self.line._arrays().items()})
        return arrays

    def _check(self) -> None:
        if self.line is not None:
            self.line._check()
        for axis in ("a", "b"):
            in_range(axis, getattr(self, axis), nan=False, finite=True)
            increasing(axis, getattr(self, axis))
        in_range("loss", self.loss, nan=False, finite=True)
        in_range("origin", self.plane.origin, nan=False, finite=True)
        in_range("directions", self.plane.directions, nan=False, finite=True)
        in_range("explained", self.plane.explained, 0, 1 + 1e-9)  # NaN: random
        steps = any_of(self.meta.get("snapshot_steps", {}), dict, "snapshot_steps")
        captured = any_of(self.meta.get("captured", {}), dict, "captured")
        for label, xy in self.paths.items():
            name = f"{text('label', label)!r}"
            in_range(f"{name}: path", xy, nan=False, finite=True)
            in_range(f"{name}: path loss", self.path_loss[label])
            if label in captured:
                in_range(f"{name}: captured", captured[label], 0, 1 + 1e-9)  # rounding
            if label in steps:
                recorded = ints(f"{name}: snapshot steps", steps[label], 0)
                increasing(f"{name}: snapshot steps", recorded)
                if len(recorded) != len(xy):
                    raise ValueError(
                        f"{name}: snapshot steps has {len(recorded)} values for "
                        f"{len(xy)} points"
                    )

    @classmethod
    def _entries(cls, info) -> list[dict]:
        if "optimizers" not in info and "labels" in info:  # files of optviz <= 0.x
            return [{"label": str(lb), "points": None} for lb in info["labels"]]
        return item_list(info)

    @classmethod
    def _expected(cls, info) -> dict[str, tuple]:
        if "optimizers" in info:
            nb, na = (whole(n, "grid", 1) for n in info["grid"])
            p = whole(info["parameters"], "parameters", 1)
        else:
            nb = na = p = None
        out = {
            "origin": (p,),
            "directions": (2, p),
            "explained": (2,),
            "a": (na,),
            "b": (nb,),
            "loss": (nb, na),
        }
        for i, o in enumerate(cls._entries(info)):
            t = o.get("points")
            t = None if t is None else whole(t, "points")
            out[f"path/{i}"], out[f"path_loss/{i}"] = (t, 2), (t,)
        if "line" in info:
            line = any_of(info["line"], dict, "line")
            out.update({f"line/{k}": v for k, v in LineLoss._expected(line).items()})
        return out

    @classmethod
    def _make(cls, info, plane, a, b, loss, paths, losses) -> Landscape:
        meta = any_of(info.get("meta", {}), dict, "meta")
        return cls(plane, a, b, loss, paths, losses, meta)

    @classmethod
    def _from_arrays(cls, info, arrays) -> Landscape:
        plane = Plane(arrays["origin"], arrays["directions"], arrays["explained"])
        labels = [o["label"] for o in cls._entries(info)]
        paths = {lb: arrays[f"path/{i}"] for i, lb in enumerate(labels)}
        losses = {lb: arrays[f"path_loss/{i}"] for i, lb in enumerate(labels)}
        land = cls._make(
            info, plane, arrays["a"], arrays["b"], arrays["loss"], paths, losses
        )
        if "line" in info:
            own = {k[5:]: v for k, v in arrays.items() if k.startswith("line/")}
            land.line = LineLoss._from_arrays(info["line"], own)
        return land

    @classmethod
    def _from_frame(cls, info, frame) -> Landscape:
        nb, na = (whole(n, "grid", 1) for n in info["grid"])
        p = whole(info["parameters"], "parameters", 1)
        origin = floats("origin", info["plane"]["origin"])
        directions = floats("directions", info["plane"]["directions"])
        if origin.shape != (p,) or directions.shape != (2, p):
            raise ValueError(f"the sidecar's plane does not have {p} parameters")
        explained = floats("explained_variance", info["explained_variance"])
        grid = frame[frame["part"] == "grid"].sort_values("step")
        if len(grid) != na * nb:
            raise ValueError(f"the grid has {len(grid)} rows; its sidecar says {na * nb}")
        a = grid["a"].to_numpy(np.float64)[:na]
        b = grid["b"].to_numpy(np.float64)[::na]
        loss = grid["loss"].to_numpy(np.float64).reshape(nb, na)
        paths, losses = {}, {}
        points = frame[frame["part"] == "path"]
        groups = rows_by(points)
        for o in item_list(info):
            part = rows_of(points, groups, o["label"]).sort_values("step")
            if len(part) != whole(o["points"], "points"):
                raise ValueError(
                    f"path {o['label']!r} has {len(part)} rows; its sidecar says "
                    f"{o['points']}"
                )
            paths[o["label"]] = part[["a", "b"]].to_numpy(np.float64)
            losses[o["label"]] = part["loss"].to_numpy(np.float64)
        plane = Plane(origin, directions, explained)
        land = cls._make(info, plane, a, b, loss, paths, losses)
        if "line" in info:
            lines = frame[frame["part"] == "line"].rename(columns={"a": "t"})
            land.line = LineLoss._from_frame(any_of(info["line"], dict, "line"), lines)
        return land
