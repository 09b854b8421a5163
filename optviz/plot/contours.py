"""The contour map of a surface and the paths drawn over it.

Every function takes an ``ax`` and returns the artists it made; none calls
``plt.show()`` or ``savefig``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, LogNorm

from .layout import arrow_spots, layout_of
from .style import GREY_DD, HAZE, INK_SLATE, MIST, SLATE, WHITE, color_of

__all__ = [
    "SURFACE_CMAP",
    "surface_grid",
    "draw_surface",
    "draw_minima",
    "draw_landmarks",
    "draw_start",
    "draw_trajectory",
    "gap",
    "axis_names",
    "AXIS_NAMES",
]

#: Light background: low loss white, high loss slate, so coloured paths stand out.
SURFACE_CMAP = LinearSegmentedColormap.from_list(
    "optviz_surface", [WHITE, MIST, HAZE, SLATE]
)
#: Coordinate names of surfaces whose coordinates are not x and y.
AXIS_NAMES = {"linear_regression": ("w", "b")}
GRID_POINTS = 300
N_LEVELS = 24
#: Log levels start at this quantile of f - f* over the grid (the minimum is 0).
LOG_FLOOR_QUANTILE = 0.002


@dataclass
class SurfaceGrid:
    x: np.ndarray  # (n,)
    y: np.ndarray  # (n,)
    z: np.ndarray  # (n, n): f - f* on a log map, f otherwise
    levels: np.ndarray
    log: bool


def gap(surface, loss: np.ndarray) -> np.ndarray:
    """f - f*: the distance to the global minimum value (f itself without minima),
    as the surface the caller gives states it (:meth:`Surface.gap`)."""
    return surface.gap(loss)


def axis_names(surface) -> tuple[str, str]:
    """The names of the two coordinates: ``("w", "b")`` for the notes' L(w, b)."""
    return AXIS_NAMES.get(surface.name, ("x", "y"))


def surface_grid(surface, n: int = GRID_POINTS, levels: int = N_LEVELS) -> SurfaceGrid:
    """Evaluate the surface on an ``n x n`` grid over its domain and choose levels."""
    (x0, x1), (y0, y1) = surface.domain
    x, y = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    xy = np.stack(np.meshgrid(x, y), axis=-1)  # (n, n, 2)
    z = surface.value(xy)
    # Log levels of f - f*, or of f itself where no minimum is known but f > 0
    # (a network's loss landscape).
    log = surface.log_levels and (surface.min_value is not None or z.min() > 0)
    if log:
        z = np.maximum(gap(surface, z), 0.0)
        positive = z[z > 0]
        low = max(np.quantile(positive, LOG_FLOOR_QUANTILE), positive.max() * 1e-9)
        lv = np.geomspace(low, positive.max(), levels)
        z = np.maximum(z, low)  # keep the floor inside the lowest band
    else:
        lv = np.linspace(z.min(), z.max(), levels)
    return SurfaceGrid(x, y, z, lv, log)


def draw_surface(ax, surface, grid: SurfaceGrid | None = None, *, lines: bool = True):
    """Filled contours (and thin contour lines) of ``surface`` over its domain."""
    grid = grid or surface_grid(surface)
    norm = LogNorm(grid.levels[0], grid.levels[-1]) if grid.log else None
    artists = [
        ax.contourf(
            grid.x,
            grid.y,
            grid.z,
            levels=grid.levels,
            cmap=SURFACE_CMAP,
            norm=norm,
            extend="both",
        )
    ]
    if lines:
        artists.append(
            ax.contour(
                grid.x,
                grid.y,
                grid.z,
                levels=grid.levels,
                colors=INK_SLATE,
                linewidths=0.5,
                alpha=0.45,
                norm=norm,
            )
        )
    (x0, x1), (y0, y1) = surface.domain
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    xname, yname = axis_names(surface)
    ax.set_xlabel(xname)
    ax.set_ylabel(yname)
    ax.set_aspect("auto")
    return artists


def draw_minima(ax, surface, *, ms: float = 20):
    """The global minima as white stars (the first one labelled for a legend)."""
    artists = []
    for i, p in enumerate(surface.minima):
        artists += ax.plot(
            p.x,
            p.y,
            marker="*",
            ms=ms,
            mfc="white",
            mec="black",
            mew=1.3,
            ls="none",
            zorder=6,
            label="global minimum" if i == 0 else None,
        )
    return artists


def draw_landmarks(ax, surface):
    """Global minima as white stars; local minima and saddles as smaller marks."""
    artists = draw_minima(ax, surface)
    labelled = set()
    for p in surface.landmarks:
        marker = "P" if p.kind == "saddle" else "*"
        label = None if p.kind in labelled else p.kind
        labelled.add(p.kind)
        artists += ax.plot(
            p.x,
            p.y,
            marker=marker,
            ms=11,
            mfc=GREY_DD,
            mec="black",
            mew=1.0,
            ls="none",
            zorder=5,
            label=label,
        )
    return artists


def draw_start(ax, xy):
    """The start point: a black dot ringed in white."""
    xy = np.asarray(xy).reshape(-1, 2)
    return ax.plot(
        xy[:, 0],
        xy[:, 1],
        "o",
        ms=10,
        mfc="black",
        mec="white",
        mew=2,
        zorder=7,
        label="start",
    )


#: A mark for a point off the map sits this many points inside the map's edge, so
#: the whole marker (and the blitting of animations, which redraw only the axes) fits.
EDGE_INSET_POINTS = 12


def _inside(ax, xy):
    """``xy`` moved onto the visible map (just inside the edge); and whether it moved."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    box = ax.get_window_extent()
    inset = EDGE_INSET_POINTS * ax.figure.dpi / 72
    dx = inset * (x1 - x0) / max(box.width, 1)
    dy = inset * (y1 - y0) / max(box.height, 1)
    inside = (min(max(xy[0], x0 + dx), x1 - dx), min(max(xy[1], y0 + dy), y1 - dy))
    return inside, not (x0 <= xy[0] <= x1 and y0 <= xy[1] <= y1)


def draw_trajectory(ax, traj, *, label: str | None = None, upto: int | None = None):
    """The path of one (single-start) trajectory, its head, and an X where it diverged.

    ``upto`` draws the first ``upto`` steps only (for animations and partial views).
    Returns ``(line, head, cross)``; ``cross`` is None unless the run diverged.
    """
    c = color_of(traj)
    xy = traj.xy if upto is None else traj.xy[: upto + 1]
    (line,) = ax.plot(
        xy[:, 0],
        xy[:, 1],
        "-",
        color=c,
        lw=2.2,
        label=label,
        zorder=4,
        solid_capstyle="round",
    )
    finite = xy[np.all(np.isfinite(xy), axis=-1)]
    head_xy = finite[-1] if len(finite) else traj.xy[0]
    (head,) = ax.plot(*head_xy, "o", ms=9, mfc=c, mec="white", mew=1.5, zorder=8)
    cross = None
    d = int(traj.diverged_at)
    if d >= 0 and (upto is None or upto >= d):
        mark, off_map = _inside(ax, head_xy)
        (cross,) = ax.plot(*mark, "X", ms=15, mfc=c, mec="black", mew=1.2, zorder=9)
        right = mark[0] > np.mean(ax.get_xlim())
        top = mark[1] > np.mean(ax.get_ylim())
        first = (-8 if right else 8, -10 if top else 8)
        # beside the X where that is free, else the first free spot near it or in
        # the panel (an arrow to the X), else under the panel (placed when the
        # figure's layout is applied)
        spots = [
            (*first, "right" if right else "left", "top" if top else "bottom"),
            *arrow_spots(),
        ]
        layout_of(ax.figure).note(
            ax,
            f"diverged (step {d})" + (", off the map" if off_map else ""),
            xy=mark,
            spots=spots,
            color=c,
            fontsize=12,
            box=False,
            weight="bold",
            clip_on=True,
        )
    return line, head, cross
