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

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import check_int, check_range
from .optimizers import Optimizer
from .run import _labelled
from .sweep import DEFAULT_TOL, _hyper_without_lr, track

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

#: Basin labels besides the index of a global minimum.
NONE, DIVERGED = -1, -2
#: What a map can be coloured by.
METRICS = ("steps", "loss", "basin")
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


@dataclass
class MapPanel:
    """One optimizer from every start of the grid (``n x n``)."""

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
        """Fractions of starts converged (within tol at the end), diverged, and per
        basin."""
        n = self.basin.size
        out = {
            "converged": float(np.mean(self.steps_to_tol >= 0)),
            "diverged": float(np.mean(self.diverged_at >= 0)),
            "median_steps_to_tol": (
                float(np.median(self.steps_to_tol[self.steps_to_tol >= 0]))
                if np.any(self.steps_to_tol >= 0)
                else None
            ),
        }
        labels, counts = np.unique(self.basin, return_counts=True)
        out["basins"] = {_basin_name(int(k)): int(c) / n for k, c in zip(labels, counts)}
        return out


def _basin_name(k: int) -> str:
    return {NONE: "none", DIVERGED: "diverged"}.get(k, f"minimum {k}")


@dataclass
class StartMap:
    """Start-point maps of several optimizers on one surface."""

    surface: str
    x: NDArray  # (n,)
    y: NDArray  # (n,)
    steps: int
    tol: float
    radius: float
    panels: list[MapPanel]
    meta: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.panels)

    def __len__(self) -> int:
        return len(self.panels)

    def __getitem__(self, label: str) -> MapPanel:
        for p in self.panels:
            if p.label == label:
                return p
        raise KeyError(
            f"no panel {label!r} in this map; it has: {', '.join(p.label for p in self)}"
        )

    def sidecar(self) -> dict:
        from .records import versions

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
            "optimizers": [
                {
                    "optimizer": p.optimizer,
                    "label": p.label,
                    "lr": p.lr,
                    "hyperparameters": p.hyperparameters,
                    "summary": p.summary(),
                }
                for p in self
            ],
            "meta": {k: v for k, v in self.meta.items() if k != "lr_how"},
            "versions": versions(),
        }


def start_map(
    surface,
    optimizers: Mapping[str, Optimizer] | Sequence[Optimizer] | Optimizer,
    *,
    grid: int = 100,
    steps: int | None = None,
    tol: float = DEFAULT_TOL,
    radius: float | None = None,
    lr_how: str = "given",
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
    """
    pairs = _labelled(optimizers)
    if not pairs:
        raise ValueError("no optimizers given")
    starts = start_grid(surface, grid)
    steps = surface.steps if steps is None else steps
    radius = default_radius(surface) if radius is None else radius
    radius = check_range("radius", radius, low=0, low_open=True)
    panels = []
    for label, opt in pairs:
        res = track(surface, opt, starts, steps, tol=tol)
        lr = opt.lr
        hyper = _hyper_without_lr(opt)
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
                final_gap=res.final_loss - (surface.min_value or 0.0),
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
