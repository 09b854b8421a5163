r"""A network's loss landscape on one 2-D plane through its training paths.

The parameter trajectories of several optimizers (each a ``(T, P)`` array of flattened
parameters) are projected onto ONE shared plane, so their paths are comparable: the
plane passes through the mean of all recorded points and is spanned by the top two
principal directions of all trajectories together (Li et al., 2018, section 7, use
the same PCA directions for a single path). The loss is evaluated on a grid in that
plane with the network's parameters set to exactly each grid point.

.. math::
    \theta(a, b) = \theta_0 + a\, d_1 + b\, d_2

How much of the trajectories the plane captures is the explained variance of the two
directions; a figure states it, since a plane that captures 40% shows only part of
the story.

References
----------
Li, Xu, Taylor, Studer & Goldstein, "Visualizing the Loss Landscape of Neural Nets",
NeurIPS 2018.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

import numpy as np

from ._io import atomic_path, check_writable

__all__ = [
    "Plane",
    "Landscape",
    "pca_plane",
    "evaluate_plane",
    "landscape",
    "network_loss",
    "training_landscape",
    "path_variance_captured",
]

#: The grid extends this fraction of the paths' extent beyond them on every side.
MARGIN = 0.25


@dataclass(frozen=True)
class Plane:
    """An affine plane in parameter space: ``origin + a d1 + b d2``."""

    origin: np.ndarray  # (P,)
    directions: np.ndarray  # (2, P), orthonormal
    explained: np.ndarray  # (2,) fraction of the paths' variance along d1, d2

    def coords(self, theta: np.ndarray) -> np.ndarray:
        """Project parameters ``(..., P)`` to plane coordinates ``(..., 2)``."""
        return (np.asarray(theta) - self.origin) @ self.directions.T

    def point(self, ab: np.ndarray) -> np.ndarray:
        """Parameters ``(..., P)`` at plane coordinates ``(..., 2)``."""
        return self.origin + np.asarray(ab) @ self.directions


def pca_plane(paths: Mapping[str, np.ndarray]) -> Plane:
    """The plane through the mean of all points of all ``paths``, spanned by their top
    two principal directions."""
    points = np.concatenate([np.asarray(p, dtype=np.float64) for p in paths.values()])
    if points.ndim != 2 or len(points) < 3:
        raise ValueError(
            "a landscape needs paths of shape (T, P) with at least 3 points in all, "
            f"got {points.shape}"
        )
    origin = points.mean(axis=0)
    centred = points - origin
    # Economy SVD of the (points x parameters) matrix: points are few, parameters many.
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    variance = s**2
    total = variance.sum()
    if total == 0:
        raise ValueError("the paths never move: there is no plane to draw")
    directions = vt[:2].copy()
    # A fixed sign per direction (largest component positive) for reproducible figures.
    signs = np.sign(directions[np.arange(2), np.argmax(np.abs(directions), axis=1)])
    directions *= signs[:, None]
    return Plane(origin, directions, variance[:2] / total)


def evaluate_plane(
    loss_fn: Callable[[np.ndarray], float],
    plane: Plane,
    a: np.ndarray,
    b: np.ndarray,
    callback: Callable[[int], None] | None = None,
) -> np.ndarray:
    """``loss_fn(theta(a_j, b_i))`` on the grid, shape ``(len(b), len(a))``."""
    grid = np.empty((len(b), len(a)))
    for i, bi in enumerate(b):
        for j, aj in enumerate(a):
            grid[i, j] = loss_fn(plane.point(np.array([aj, bi])))
        if callback is not None:
            callback(i + 1)
    return grid


@dataclass
class Landscape:
    """The plane, the loss on a grid in it, and each path projected onto it."""

    plane: Plane
    a: np.ndarray  # (n,) first coordinate of the grid
    b: np.ndarray  # (n,) second coordinate
    loss: np.ndarray  # (n, n) loss at theta(a[j], b[i]) in loss[i, j]
    paths: dict[str, np.ndarray]  # label -> (T, 2) plane coordinates
    path_loss: dict[str, np.ndarray]  # label -> (T,) loss at the recorded parameters
    meta: dict = field(default_factory=dict)

    def captured(self) -> dict[str, float]:
        """For each path, the share of its own variance that lies in the plane."""
        return dict(self.meta.get("captured", {}))

    def save(self, path) -> Path:
        """Write an NPZ (and a JSON sidecar of ``meta``), atomically."""
        path = check_writable(path, (".npz",))
        arrays = {
            "origin": self.plane.origin,
            "directions": self.plane.directions,
            "explained": self.plane.explained,
            "a": self.a,
            "b": self.b,
            "loss": self.loss,
        }
        labels = list(self.paths)
        for i, label in enumerate(labels):
            arrays[f"path/{i}"] = self.paths[label]
            arrays[f"path_loss/{i}"] = self.path_loss[label]
        with atomic_path(path) as tmp, open(tmp, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        with atomic_path(path.with_suffix(".json")) as tmp:
            tmp.write_text(json.dumps({"labels": labels, "meta": self.meta}, indent=2))
        return path

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

    def as_run(self):
        """The projected paths as a :class:`~optviz.records.Run` (loss: the loss at
        the recorded parameters; no gradients or learning rates)."""
        from .records import Run, Trajectory

        trajectories = []
        for label, xy in self.paths.items():
            n = len(xy)
            trajectories.append(
                Trajectory(
                    optimizer=self.meta.get("optimizers", {}).get(label, label),
                    label=label,
                    hyperparameters={},
                    xy=np.asarray(xy, dtype=np.float64),
                    loss=np.asarray(self.path_loss[label], dtype=np.float64),
                    grad=np.full((n, 2), np.nan),
                    lr=np.full((n, 2), np.nan),
                    diverged_at=np.asarray(-1),
                )
            )
        first = next(iter(self.paths.values()))
        return Run(
            "cnn_landscape",
            np.asarray(first[0]),
            trajectories,
            meta={"explained_variance": self.plane.explained.tolist()},
        )

    @classmethod
    def load(cls, path) -> Landscape:
        path = Path(path)
        side = path.with_suffix(".json")
        if not path.is_file() or not side.is_file():
            raise ValueError(f"cannot read {path}: it or its .json sidecar is missing")
        info = json.loads(side.read_text())
        with np.load(path) as npz:
            plane = Plane(npz["origin"], npz["directions"], npz["explained"])
            paths = {lb: npz[f"path/{i}"] for i, lb in enumerate(info["labels"])}
            losses = {lb: npz[f"path_loss/{i}"] for i, lb in enumerate(info["labels"])}
            return cls(plane, npz["a"], npz["b"], npz["loss"], paths, losses, info["meta"])


def landscape(
    loss_fn: Callable[[np.ndarray], float],
    paths: Mapping[str, np.ndarray],
    *,
    grid: int = 31,
    margin: float = MARGIN,
    callback: Callable[[int], None] | None = None,
) -> Landscape:
    """Project ``paths`` (label -> ``(T, P)``) onto their shared PCA plane and evaluate
    ``loss_fn`` on a ``grid x grid`` lattice covering them (plus ``margin``)."""
    if grid < 3:
        raise ValueError(f"grid must be >= 3, got {grid}")
    plane = pca_plane(paths)
    projected = {label: plane.coords(p) for label, p in paths.items()}
    allpts = np.concatenate(list(projected.values()))
    lo, hi = allpts.min(axis=0), allpts.max(axis=0)
    pad = margin * np.maximum(hi - lo, 1e-12)
    a = np.linspace(lo[0] - pad[0], hi[0] + pad[0], grid)
    b = np.linspace(lo[1] - pad[1], hi[1] + pad[1], grid)
    loss = evaluate_plane(loss_fn, plane, a, b, callback)
    path_loss = {
        label: np.array([loss_fn(theta) for theta in np.asarray(p)])
        for label, p in paths.items()
    }
    return Landscape(
        plane,
        a,
        b,
        loss,
        projected,
        path_loss,
        meta={"captured": path_variance_captured(plane, paths)},
    )


def path_variance_captured(plane: Plane, paths: Mapping[str, np.ndarray]) -> dict:
    """label -> the share of that path's variance (about its own mean) that lies in
    the plane: 1 for a path inside the plane, near 0 for one across it."""
    out = {}
    for label, p in paths.items():
        dev = np.asarray(p, dtype=np.float64) - np.mean(p, axis=0)
        total = float(np.sum(dev**2))
        inside = float(np.sum((dev @ plane.directions.T) ** 2))
        out[label] = inside / total if total > 0 else 1.0
    return out


def network_loss(model, x: np.ndarray, y: np.ndarray, loss=None):
    """``theta -> mean loss`` of ``model`` with its parameters set to ``theta``, on
    ``(x, y)``. The model's own parameters are changed by every call."""
    from .nn.trainer import evaluate

    def loss_at(theta: np.ndarray) -> float:
        model.set_flat(np.asarray(theta, dtype=model.dtype))
        return float(evaluate(model, x, y, loss)[0])

    return loss_at


def training_landscape(run, model, x, y, *, grid: int = 31, callback=None) -> Landscape:
    """The landscape of a :class:`~optviz.history.TrainingRun` whose histories carry
    parameter snapshots (train with ``snapshot_every``), evaluated on ``(x, y)``."""
    paths = {h.label: h.snapshots for h in run if len(h.snapshots) >= 2}
    if not paths:
        raise ValueError(
            "the training run has no parameter snapshots; train with snapshot_every "
            "(optviz train --snapshot-every N) to record the paths"
        )
    start = model.get_flat()
    try:
        land = landscape(network_loss(model, x, y), paths, grid=grid, callback=callback)
    finally:
        model.set_flat(start)
    land.meta = {
        "captured": land.meta["captured"],
        "dataset": run.dataset,
        "evaluated_on": int(len(y)),
        "grid": grid,
        "snapshot_steps": {
            h.label: h.snapshot_steps.tolist() for h in run if h.label in paths
        },
        "optimizers": {h.label: h.optimizer for h in run if h.label in paths},
        "explained_variance": land.plane.explained.tolist(),
    }
    return land
