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
from threadpoolctl import threadpool_limits

from .records.landscape import CAPTURE_WARNING, MAX_PATH_STEPS, Landscape, Plane
from .records.line import LineLoss

__all__ = [
    "Plane",
    "Landscape",
    "pca_plane",
    "evaluate_plane",
    "landscape",
    "network_loss",
    "training_landscape",
    "path_variance_captured",
    "check_paths",
    "snapshot_paths",
]

#: The grid extends this fraction of the paths' extent beyond them on every side.
MARGIN = 0.25


#: Parameters of larger magnitude are refused: the squares the plane is fitted from
#: would overflow.
MAX_PARAMETER = 1e100


def check_paths(paths: Mapping[str, np.ndarray]) -> None:
    """Refuse paths that are not ``(T, P)`` arrays of finite numbers of magnitude at
    most :data:`MAX_PARAMETER`, naming the path and its first bad point."""
    for label, p in paths.items():
        p = np.asarray(p)
        if p.dtype.kind not in "iuf":
            raise ValueError(f"path {label!r} must hold numbers, got {p.dtype}")
        bad = ~np.isfinite(p)
        if p.dtype.kind == "f" and p.dtype.itemsize >= 8:  # float32 never reaches it
            with np.errstate(invalid="ignore"):
                bad |= np.abs(p) > MAX_PARAMETER
        if bad.any():
            first = int(np.argmax(bad.ravel()))
            k, i = divmod(first, p.shape[1]) if p.ndim == 2 and p.shape[1] else (first, 0)
            value = float(np.ravel(p)[first])
            raise ValueError(
                f"path {label!r}: parameters must be finite numbers of magnitude <= "
                f"{MAX_PARAMETER:g}, got {value:g} at point {k}, parameter {i}"
            )


def pca_plane(paths: Mapping[str, np.ndarray]) -> Plane:
    """The plane through the mean of all points of all ``paths``, spanned by their top
    two principal directions."""
    check_paths(paths)
    points = np.concatenate([np.asarray(p, dtype=np.float64) for p in paths.values()])
    if points.ndim != 2 or len(points) < 3:
        raise ValueError(
            "a landscape needs paths of shape (T, P) with at least 3 points in all, "
            f"got {points.shape}"
        )
    origin = points.mean(axis=0)
    centred = points - origin
    # Economy SVD of the (points x parameters) matrix: points are few, parameters many.
    # On one BLAS thread: LAPACK's result moves in the last digits with the thread
    # count, and the figures must not depend on how busy the machine was.
    with threadpool_limits(1, user_api="blas"):
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
    bad = ~np.isfinite(grid)
    if bad.any():
        raise ValueError(
            f"the loss on the plane is not a finite number at {int(bad.sum())} of its "
            f"{grid.size} points (the network's loss overflows there)"
        )
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


def _finite_snapshots(h):
    """A history's snapshots up to its first non-finite one (a diverged run's last
    snapshots can hold the overflowed parameters)."""
    snaps = np.asarray(h.snapshots)
    if not h.diverged or len(snaps) == 0:
        return snaps
    bad = ~np.all(np.isfinite(snaps.reshape(len(snaps), -1)), axis=1)
    return snaps[: int(np.argmax(bad))] if bad.any() else snaps


def snapshot_paths(run) -> dict:
    """Each history's parameter snapshots, by label (a diverged run's up to its last
    finite one); an error if none has a path."""
    finite = {h.label: _finite_snapshots(h) for h in run}
    paths = {label: p for label, p in finite.items() if len(p) >= 2}
    if not paths:
        raise ValueError(
            "the training run has no parameter snapshots; train with snapshot_every "
            "(optviz train --snapshot-every N) to record the paths"
        )
    return paths


def training_landscape(run, model, x, y, *, grid: int = 31, callback=None) -> Landscape:
    """The landscape of a :class:`~optviz.records.TrainingRun` whose histories carry
    parameter snapshots (train with ``snapshot_every``), evaluated on ``(x, y)``."""
    paths = snapshot_paths(run)
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
            h.label: h.snapshot_steps[: len(paths[h.label])].tolist()
            for h in run
            if h.label in paths
        },
        "optimizers": {h.label: h.optimizer for h in run if h.label in paths},
        "explained_variance": land.plane.explained.tolist(),
    }
    return land


# -- Honest views: how much of each path the plane holds, 1-D lines, random planes -----
__all__ += [
    "CAPTURE_WARNING",
    "MAX_PATH_STEPS",
    "plane_fidelity",
    "LineLoss",
    "line_t",
    "interpolate_to_ends",
    "training_interpolation",
    "filter_normalized_direction",
    "random_plane",
    "random_landscape",
    "paths_by_step",
]
#: Points per unit of t on the straight lines of :func:`interpolate_to_ends`, and how
#: far (in units of t) the lines go beyond the start and the end.
LINE_POINTS = 20
LINE_BEYOND = 0.2
#: Side of the square of random-plane coordinates, in units of the filter-normalised
#: directions (Li et al. plot -1..1).
RANDOM_SPAN = 1.0


def plane_fidelity(land) -> dict[str, dict]:
    """:meth:`optviz.records.Landscape.fidelity` (where the numbers are made, below
    the figures that state them)."""
    return land.fidelity()


def line_t(points: int = LINE_POINTS, beyond: float = LINE_BEYOND) -> np.ndarray:
    """``t`` from ``-beyond`` to ``1 + beyond`` in steps of ``1 / points``, with 0 and 1
    exactly on the grid.

    >>> line_t(4, 0.25).tolist()
    [-0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.25]
    """
    if int(points) < 1:
        raise ValueError(f"points must be >= 1, got {points}")
    k = int(round(beyond * points))
    return np.arange(-k, points + k + 1) / points


def interpolate_to_ends(
    loss_fn: Callable[[np.ndarray], float],
    paths: Mapping[str, np.ndarray],
    *,
    points: int = LINE_POINTS,
    beyond: float = LINE_BEYOND,
    callback: Callable[[int], None] | None = None,
) -> LineLoss:
    """The loss on the straight line from each path's first point to its last (1-D
    linear interpolation, Goodfellow, Vinyals & Saxe, 2015): it needs no projection,
    so unlike a plane it shows every path's real start and end loss.

    ``paths``: label -> ``(T, P)`` parameters; ``loss_fn(theta) -> float``.
    """
    check_paths(paths)
    t = line_t(points, beyond)
    losses, distance = {}, {}
    for i, (label, p) in enumerate(paths.items()):
        p = np.asarray(p, dtype=np.float64)
        if p.ndim != 2 or len(p) < 2:
            raise ValueError(f"path {label!r} needs shape (T >= 2, P), got {p.shape}")
        start, end = p[0], p[-1]
        losses[label] = np.array([loss_fn(start + ti * (end - start)) for ti in t])
        distance[label] = float(np.linalg.norm(end - start))
        if callback is not None:
            callback(i + 1)
    return LineLoss(t, losses, distance)


def training_interpolation(run, model, x, y, *, points: int = LINE_POINTS) -> LineLoss:
    """:func:`interpolate_to_ends` for a :class:`~optviz.records.TrainingRun` with
    snapshots, the loss on ``(x, y)``; the model's parameters are restored."""
    paths = snapshot_paths(run)
    start = model.get_flat()
    try:
        line = interpolate_to_ends(network_loss(model, x, y), paths, points=points)
    finally:
        model.set_flat(start)
    meta = {
        "dataset": run.dataset,
        "evaluated_on": int(len(y)),
        "optimizers": {h.label: h.optimizer for h in run if h.label in paths},
        "end_step": {
            h.label: int(h.snapshot_steps[len(paths[h.label]) - 1])
            for h in run
            if h.label in paths
        },
    }
    return LineLoss(line.t, line.loss, line.distance, meta)


def filter_normalized_direction(params, rng) -> np.ndarray:
    """A random direction in parameter space, normalised filter by filter (Li et al.,
    2018, section 4): Gaussian, then each filter (a weight's slice along its first
    axis: a convolution kernel ``(C, FH, FW)``, a dense layer's row) scaled to the norm
    of the same filter of ``params``; biases get 0. Flat, in the order of
    ``Sequential.get_flat``.

    ``params``: the parameter arrays (``model.parameters()``); ``rng``: a seed or
    Generator.
    """
    rng = np.random.default_rng(rng)
    parts = []
    for p in params:
        p = np.asarray(p, dtype=np.float64)
        d = rng.standard_normal(p.shape)
        if p.ndim < 2:  # a bias: left out of the direction, as in Li et al.
            d[...] = 0.0
        else:
            axes = tuple(range(1, p.ndim))
            p_norm = np.sqrt(np.sum(p**2, axis=axes, keepdims=True))
            d_norm = np.sqrt(np.sum(d**2, axis=axes, keepdims=True))
            d *= p_norm / np.where(d_norm > 0, d_norm, 1.0)
        parts.append(d.ravel())
    return np.concatenate(parts) if parts else np.zeros(0)


def random_plane(model, center: np.ndarray, seed=0) -> Plane:
    """The plane through ``center`` spanned by two filter-normalised random directions
    (the weights' filters taken at ``center``). The directions are not orthonormal,
    and ``explained`` is NaN: a random plane holds almost none of a path's motion."""
    center = np.asarray(center, dtype=np.float64)
    keep = model.get_flat()
    try:
        model.set_flat(center.astype(model.dtype))
        params = model.parameters()
        rng = np.random.default_rng(seed)
        d1 = filter_normalized_direction(params, rng)
        d2 = filter_normalized_direction(params, rng)
    finally:
        model.set_flat(keep)
    return Plane(center, np.stack([d1, d2]), np.full(2, np.nan))


def random_landscape(
    model,
    x,
    y,
    center: np.ndarray,
    *,
    grid: int = 21,
    span: float = RANDOM_SPAN,
    seed=0,
    callback: Callable[[int], None] | None = None,
    label: str = "",
):
    """The loss on a plane of filter-normalised random directions around ``center``
    (Li et al., 2018): ``grid x grid`` points with both coordinates in
    ``[-span, span]``. Returns a ``Landscape`` without paths (a random plane does not
    hold them); ``meta["view"] == "random"``."""
    if grid < 3:
        raise ValueError(f"grid must be >= 3, got {grid}")
    span = float(span)
    if not np.isfinite(span) or span <= 0:
        raise ValueError(f"span must be a finite number > 0, got {span}")
    plane = random_plane(model, center, seed)
    a = np.linspace(-span, span, grid)
    keep = model.get_flat()
    try:
        loss = evaluate_plane(network_loss(model, x, y), plane, a, a.copy(), callback)
    finally:
        model.set_flat(keep)
    return Landscape(
        plane,
        a,
        a.copy(),
        loss,
        {},
        {},
        meta={
            "view": "random",
            "center": label,
            "seed": seed if isinstance(seed, int) else None,
            "span": span,
            "evaluated_on": int(len(y)),
            "grid": grid,
        },
    )


def paths_by_step(land):
    """:meth:`optviz.records.Landscape.by_step`: the paths with one row per training
    step."""
    return land.by_step()
