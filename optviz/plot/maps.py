"""Start-point maps: one panel per optimizer, every start coloured by what it reached.

``metric="steps"``: steps until f - f* stays below the tolerance; ``"loss"``: the final
f - f*; ``"basin"``: which global minimum the run ended at (within the map's radius),
"none" or "diverged". Each panel's title and frame take the optimizer's colour.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap, LogNorm, Normalize, to_rgb
from matplotlib.patches import Patch

from ..records.startmap import DIVERGED, METRICS
from ._figure import Figure
from .contours import draw_minima, surface_grid
from .layout import layout_of
from .lr import add_footnote, legend_row
from .style import (
    GREY_2B,
    GREY_9A,
    LAVENDER,
    PALE_BLUE,
    PALE_GREEN,
    PALE_OLIVE,
    PALE_PINK,
    PALE_TEAL,
    SAND,
    TAN,
    color,
    legend_label,
    style,
)

__all__ = ["map_figure", "draw_map", "BASIN_COLORS", "map_image"]

#: Basins: muted hues none of which echoes an optimizer's colour (Okabe-Ito blue,
#: orange, green, purple, vermilion), each minimum also named by a letter.
BASIN_COLORS = (
    LAVENDER,  # lavender
    SAND,  # sand
    PALE_TEAL,  # pale teal
    TAN,  # tan
    PALE_OLIVE,
    PALE_BLUE,
    PALE_PINK,
    PALE_GREEN,
)
BASIN_LETTERS = "ABCDEFGH"
NOT_CONVERGED_COLOR = GREY_9A  # mid grey: not within tol at the end
DIVERGED_COLOR = GREY_2B  # near black
METRIC_CMAP = "viridis"
LOSS_FLOOR = 1e-16
MAX_COLUMNS = 3
PANEL_SIZE = (5.6, 4.8)
#: A figure of maps at most this wide (inches): its 12-pt type is then at least 20 px
#: high when it is shown 1920 px wide (the projector rules).
MAX_WIDTH_IN = 16.0


def lighter(c, share: float = 0.55):
    """``c`` blended with white (``share`` of white)."""
    r, g, b = to_rgb(c)
    return (r + (1 - r) * share, g + (1 - g) * share, b + (1 - b) * share)


def map_image(panel, metric: str):
    """The array drawn for ``panel`` and its colormap and norm:
    ``(values, cmap, norm)``; masked where a category colour shows instead."""
    if metric == "basin":
        n_min = max(int(max(panel.basin.max(), -1)) + 1, 1)
        # the minimum each run ended at (within the map's radius); a lighter shade
        # where it is there but not yet within tol (still moving about it)
        codes = panel.basin - DIVERGED  # DIVERGED -> 0, NONE -> 1, minimum k -> k + 2
        moving = (panel.basin >= 0) & (panel.steps_to_tol < 0)
        codes = np.where(moving, codes + n_min, codes)  # minimum k -> k + 2 + n_min
        basins = [BASIN_COLORS[k % len(BASIN_COLORS)] for k in range(n_min)]
        colors = (
            [DIVERGED_COLOR, NOT_CONVERGED_COLOR] + basins + [lighter(c) for c in basins]
        )
        cmap = ListedColormap(colors)
        norm = BoundaryNorm(np.arange(len(colors) + 1) - 0.5, len(colors))
        return codes, cmap, norm
    if metric == "steps":
        values = np.ma.masked_less(panel.steps_to_tol.astype(float), 0)
        return values, METRIC_CMAP, None
    values = np.ma.masked_invalid(np.maximum(panel.final_gap, LOSS_FLOOR))
    return values, METRIC_CMAP, None


def draw_map(ax, surface, smap, panel, metric: str, *, norm=None, grid=None):
    """One optimizer's panel: the metric over the start grid, the surface's contour lines
    and its minima on top. Returns the image."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}; got {metric!r}")
    x, y = smap.x, smap.y
    dx, dy = (x[1] - x[0]) / 2, (y[1] - y[0]) / 2
    extent = (x[0] - dx, x[-1] + dx, y[0] - dy, y[-1] + dy)
    values, cmap, own_norm = map_image(panel, metric)
    if metric != "basin":
        # categories under the metric: grey = never within tol, dark = diverged
        under = np.where(panel.diverged_at >= 0, 0, 1)
        ax.imshow(
            under,
            extent=extent,
            origin="lower",
            aspect="auto",
            cmap=ListedColormap([DIVERGED_COLOR, NOT_CONVERGED_COLOR]),
            norm=BoundaryNorm([-0.5, 0.5, 1.5], 2),
            interpolation="nearest",
        )
    image = ax.imshow(
        values,
        extent=extent,
        origin="lower",
        aspect="auto",
        cmap=cmap,
        norm=own_norm or norm,
        interpolation="nearest",
    )
    grid = grid or surface_grid(surface, n=200)
    ax.contour(
        grid.x,
        grid.y,
        grid.z,
        levels=grid.levels,
        colors="white",
        linewidths=0.5,
        alpha=0.45,
        norm=LogNorm(grid.levels[0], grid.levels[-1]) if grid.log else None,
    )
    draw_minima(ax, surface, ms=18)
    if metric == "basin":
        for k, p in enumerate(surface.minima):
            ax.annotate(
                BASIN_LETTERS[k % len(BASIN_LETTERS)],
                (p.x, p.y),
                xytext=(9, 6),
                textcoords="offset points",
                fontsize=14,
                weight="bold",
                zorder=7,
            )
    (x0, x1), (y0, y1) = surface.domain
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    c = color(panel.optimizer)
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_edgecolor(c)
        spine.set_linewidth(3)
    summary = panel.summary()
    ax.set_title(
        f"{legend_label(panel)}\n"
        + (
            f"at a minimum {summary['reached']:.0%}, within tol {summary['converged']:.0%}"
            if metric == "basin"
            else f"converged {summary['converged']:.0%}, diverged {summary['diverged']:.0%}"
        ),
        loc="left",
        color=c,
        fontsize=14,
        fontweight="bold",
    )
    return image


def _norm(smap, metric):
    if metric == "steps":
        return Normalize(0, smap.steps)
    if metric == "loss":
        finite = np.concatenate([p.final_gap[np.isfinite(p.final_gap)] for p in smap])
        if not len(finite):
            return LogNorm(LOSS_FLOOR, 1)
        low = max(float(finite.min()), LOSS_FLOOR)
        high = max(float(finite.max()), low * 10)
        return LogNorm(low, high)
    return None


def map_figure(
    surface, smap, metric: str = "steps", *, footnote: str | None = None, figsize=None
) -> Figure:
    """One panel per optimizer of a :class:`~optviz.startmap.StartMap`, coloured by
    ``metric`` (``"steps"``, ``"loss"`` or ``"basin"``), with a shared colour bar or
    legend and a footnote."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}; got {metric!r}")
    if metric == "basin" and not surface.minima:
        raise ValueError(f"surface {surface.name!r} has no known minima: no basins to show")
    n = len(smap)
    ncols = min(n, MAX_COLUMNS)
    nrows = math.ceil(n / ncols)
    if figsize is None:
        figsize = (PANEL_SIZE[0] * ncols + 1.6, PANEL_SIZE[1] * nrows + 1.6)
        shrink = min(1.0, MAX_WIDTH_IN / figsize[0])  # 12-pt type 20 px at 1920 px
        figsize = (figsize[0] * shrink, figsize[1] * shrink)
    norm = _norm(smap, metric)
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        gs = fig.add_gridspec(nrows + 1, ncols, height_ratios=[0.1] + [1] * nrows)
        grid = surface_grid(surface, n=200)
        axes, image = [], None
        for i, panel in enumerate(smap):
            ax = fig.add_subplot(gs[1 + i // ncols, i % ncols])
            image = draw_map(ax, surface, smap, panel, metric, norm=norm, grid=grid)
            if i % ncols == 0:
                ax.set_ylabel("start y")
            if i // ncols == nrows - 1 or i + ncols >= n:
                ax.set_xlabel("start x")
            axes.append(ax)
        if metric == "basin":
            patches = [
                Patch(
                    color=BASIN_COLORS[k % len(BASIN_COLORS)],
                    label=f"{BASIN_LETTERS[k % len(BASIN_LETTERS)]} ({p.x:.3g}, {p.y:.3g})",
                )
                for k, p in enumerate(surface.minima)
            ]
            patches += [
                Patch(
                    color=lighter(BASIN_COLORS[0]),
                    label=f"lighter: there, but f − f* ≥ {smap.tol:g} at the end",
                ),
                Patch(color=NOT_CONVERGED_COLOR, label="at no minimum"),
                Patch(color=DIVERGED_COLOR, label="diverged"),
            ]
        else:
            label = (
                f"steps until f − f* < {smap.tol:g} to the end"
                if metric == "steps"
                else f"final f − f* after {smap.steps} steps"
            )
            fig.colorbar(image, ax=axes, label=label, shrink=0.9, aspect=30)
            patches = [Patch(color=DIVERGED_COLOR, label="diverged")]
            if metric == "steps":
                patches.insert(
                    0,
                    Patch(
                        color=NOT_CONVERGED_COLOR, label=f"never within tol {smap.tol:g}"
                    ),
                )
        legend_row(fig.add_subplot(gs[0, :]), patches, [p.get_label() for p in patches])
        what = {
            "steps": "steps to converge",
            "loss": "final loss",
            "basin": "which minimum",
        }[metric]
        fig.suptitle(
            f"{surface.title}: {what} from each of {len(smap.x)}×{len(smap.y)} starts "
            f"({smap.steps} steps)",
            fontsize=17,
            wrap=True,  # one narrow panel: on two lines rather than off the figure
        )
        if footnote:
            add_footnote(fig, footnote)
        layout = layout_of(fig)
        layout.fit_titles()  # a long label broken to fit its map
        layout.apply()
    return fig
