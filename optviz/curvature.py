"""Curvature: the Hessian's eigenvalues and eigenvectors, and its condition number,
over a surface's domain and along an optimizer's path.

The Hessian is the surface's own where it has one (a formula's, exact), else central
differences of its analytic gradient (:meth:`Surface.hess`). Eigen-decompositions are
``numpy.linalg.eigh`` of the symmetric 2x2 matrices, all points at once.

>>> from optviz.surfaces import get
>>> lam, _ = eigen(get("quadratic"), [[1.0, 2.0]])
>>> lam.round(6).tolist()  # 0.5 (x^2 + 10 y^2): curvatures 1 and 10
[[1.0, 10.0]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["eigen", "condition_number", "condition_map", "path_eigenvalues", "CurvatureMap"]

Array = NDArray[np.float64]


def eigen(surface, xy: ArrayLike) -> tuple[Array, Array]:
    """Eigenvalues ``(..., 2)`` (ascending) and eigenvectors ``(..., 2, 2)`` (columns)
    of the Hessian at ``xy`` (``(..., 2)``)."""
    xy = np.asarray(xy, dtype=np.float64)
    h = surface.hess(xy)
    ok = np.all(np.isfinite(h), axis=(-2, -1))
    h = np.where(ok[..., None, None], h, 0.0)
    lam, vec = np.linalg.eigh(0.5 * (h + np.swapaxes(h, -1, -2)))
    lam = np.where(ok[..., None], lam, np.nan)
    vec = np.where(ok[..., None, None], vec, np.nan)
    return lam, vec


def condition_number(lam: ArrayLike) -> Array:
    """κ = |λ|max / |λ|min of eigenvalues ``(..., 2)``; infinite where |λ|min = 0."""
    a = np.abs(np.asarray(lam, dtype=np.float64))
    big, small = np.max(a, axis=-1), np.min(a, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(small > 0, big / np.where(small > 0, small, 1.0), np.inf)


@dataclass
class CurvatureMap:
    """The Hessian over a grid of the domain: ``x`` (n,), ``y`` (n,), eigenvalues
    ``lam`` (n, n, 2), condition numbers ``kappa`` (n, n), and where the Hessian is
    positive definite (``convex``, (n, n))."""

    x: Array
    y: Array
    lam: Array
    kappa: Array

    @property
    def convex(self) -> Array:
        return self.lam[..., 0] > 0


def condition_map(surface, n: int = 101) -> CurvatureMap:
    """:class:`CurvatureMap` on an ``n`` x ``n`` grid over the surface's domain."""
    if not (isinstance(n, (int, np.integer)) and 2 <= n <= 2001):
        raise ValueError(f"n must be a whole number in [2, 2001], got {n!r}")
    (x0, x1), (y0, y1) = surface.domain
    x, y = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    grid = np.stack(np.meshgrid(x, y), axis=-1)  # (n, n, 2), rows along y
    lam, _ = eigen(surface, grid)
    return CurvatureMap(x, y, lam, condition_number(lam))


def path_eigenvalues(surface, xy: ArrayLike) -> Array:
    """The Hessian's eigenvalues at every iterate of a path ``xy`` (``(steps + 1, 2)``),
    ascending: ``(steps + 1, 2)``; NaN where the path has stopped (NaN iterates)."""
    xy = np.asarray(xy, dtype=np.float64)
    alive = np.all(np.isfinite(xy), axis=-1)
    lam, _ = eigen(surface, np.where(alive[..., None], xy, 0.0))
    return np.where(alive[..., None], lam, np.nan)
