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

from typing import Callable, Mapping

import numpy as np

from .records.landscape import Landscape, Plane

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
