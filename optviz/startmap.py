r"""Start-point maps: every optimizer from a whole grid of starts, run at once.

One hand-picked start can flatter any optimizer. :func:`start_map` runs each optimizer
from every point of an ``n x n`` grid over the surface's domain as one ``(n, n, 2)``
batch (no history kept, see :func:`optviz.sweep.track`) and reports per start the
steps to converge, the final :math:`f - f^*`, and which global minimum it reached:
the nearest one within ``radius`` of the final point, else :data:`NONE`, or
:data:`DIVERGED`. On Himmelblau's four minima the basins are the picture.

>>> from optviz.surfaces import get
>>> from optviz.optimizers import Adam
>>> m = start_map(get("rosenbrock"), {"adam": Adam(lr=0.05)}, grid=5, steps=50)
>>> m["adam"].basin.shape
(5, 5)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import check_int, check_range
from .records.startmap import DIVERGED, METRICS, NONE, MapPanel, StartMap
from .run import (
    DEFAULT_TOL,
    Optimizers,
    Progress,
    labelled_optimizers,
    loss_gap,
    scaled_progress,
    track,
)
from .sweep import hyper_without_lr

__all__ = [
    "start_grid",
    "classify_basins",
    "default_radius",
    "start_map",
    "StartMap",
    "MapPanel",
    "NONE",
    "DIVERGED",
    "METRICS",
    "MAX_GRID",
]

#: A final point within this fraction of the domain's larger side of a minimum
#: counts as having reached it (the default ``radius``).
RADIUS_FRACTION = 0.05
#: More starts per side than this is a mistake (memory grows as grid**2).
MAX_GRID = 2000


def start_grid(surface, n: int) -> NDArray:
    """``n x n`` starts evenly over the surface's domain, edges included:
    shape ``(n, n, 2)``, ``[i, j]`` at ``(x_j, y_i)`` (image order: rows are y)."""
    n = check_int("grid", n, low=2, high=MAX_GRID)
    (x0, x1), (y0, y1) = surface.domain
    x, y = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    return np.stack(np.meshgrid(x, y), axis=-1)


def default_radius(surface) -> float:
    """:data:`RADIUS_FRACTION` of the domain's larger side."""
    (x0, x1), (y0, y1) = surface.domain
    return RADIUS_FRACTION * max(x1 - x0, y1 - y0)


def classify_basins(surface, xy: ArrayLike, radius: float | None = None) -> NDArray:
    """Which global minimum each final point ``xy`` (``(..., 2)``) reached: the index
    (into ``surface.minima``) of the nearest one if it lies within ``radius``, else
    :data:`NONE`; :data:`DIVERGED` where ``xy`` is not finite.

    >>> from optviz.surfaces import get
    >>> classify_basins(get("rosenbrock"), [[1.0, 1.01], [0.0, 0.0], [np.nan, 0]])
    array([ 0, -1, -2])
    """
    radius = default_radius(surface) if radius is None else radius
    radius = check_range("radius", radius, low=0, low_open=True)
    xy = np.asarray(xy, dtype=np.float64)
    out = np.full(xy.shape[:-1], NONE, dtype=np.int64)
    if surface.minima:
        minima = np.array([p.xy for p in surface.minima])  # (M, 2)
        with np.errstate(invalid="ignore"):
            dist = np.linalg.norm(xy[..., None, :] - minima, axis=-1)  # (..., M)
            nearest = np.argmin(np.where(np.isnan(dist), np.inf, dist), axis=-1)
            close = np.take_along_axis(dist, nearest[..., None], axis=-1)[..., 0] <= radius
        out[close] = nearest[close]
    out[~np.all(np.isfinite(xy), axis=-1)] = DIVERGED
    return out


def start_map(
    surface,
    optimizers: Optimizers,
    *,
    grid: int = 100,
    steps: int | None = None,
    tol: float = DEFAULT_TOL,
    radius: float | None = None,
    lr_how: str = "given",
    progress: Progress | None = None,
) -> StartMap:
    """Run each optimizer from every start of a ``grid x grid`` grid over the domain.

    Parameters
    ----------
    surface : surfaces.Surface
    optimizers : mapping label -> Optimizer, or a sequence of Optimizers
        Each is reset and runs all starts in one vectorised batch.
    grid : int
        Starts per side.
    steps : int, optional
        Default: the surface's steps.
    tol : float
        Converged: f - f* < tol from some step to the end.
    radius : float, optional
        Reached a minimum: final point within this distance (default
        :func:`default_radius`).
    lr_how : str
        How the learning rates were chosen, in words, for the sidecar.
    progress : callable, optional
        ``progress(done, total)`` over the steps of all optimizers together.
    """
    steps = surface.steps if steps is None else steps
    pairs = labelled_optimizers(optimizers, surface, steps)
    if not pairs:
        raise ValueError("no optimizers given")
    starts = start_grid(surface, grid)
    radius = default_radius(surface) if radius is None else radius
    radius = check_range("radius", radius, low=0, low_open=True)
    panels = []
    for i, (label, opt) in enumerate(pairs):
        res = track(
            surface,
            opt,
            starts,
            steps,
            tol=tol,
            progress=scaled_progress(progress, i, len(pairs)),
        )
        lr = opt.lr
        hyper = hyper_without_lr(opt)
        panels.append(
            MapPanel(
                optimizer=opt.name,
                label=label,
                hyperparameters=hyper,
                lr=repr(lr)
                if callable(lr)
                else f"{np.asarray(lr).item():g}"
                if np.size(lr) == 1
                else str(np.asarray(lr).tolist()),
                final_xy=res.final_xy,
                final_loss=res.final_loss,
                final_gap=loss_gap(surface, res.final_loss),
                steps_to_tol=res.steps_to_tol,
                diverged_at=res.diverged_at,
                basin=classify_basins(surface, res.final_xy, radius),
            )
        )
    meta = {"lr_how": lr_how}
    return StartMap(
        surface.name,
        starts[0, :, 0].copy(),
        starts[:, 0, 1].copy(),
        int(steps),
        float(tol),
        float(radius),
        panels,
        meta,
    )
