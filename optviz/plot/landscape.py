"""The CNN's training paths over its loss landscape, on one shared plane."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LogNorm

from ._figure import Figure
from .contours import SURFACE_CMAP
from .style import color, style, title

__all__ = ["landscape_figure", "draw_landscape", "variance_text"]

N_LEVELS = 24


def variance_text(land) -> str:
    """How much of the trajectories' variance the plane shows, in words."""
    e1, e2 = 100 * land.plane.explained
    return (
        f"the plane captures {e1:.0f}% + {e2:.0f}% = {e1 + e2:.0f}% of the paths' variance"
    )


def draw_landscape(ax, land):
    """Filled log-spaced contours of the loss over the plane; returns the artists."""
    loss = np.asarray(land.loss)
    low, high = np.nanmin(loss), np.nanmax(loss)
    levels = np.geomspace(max(low, high * 1e-6), high, N_LEVELS)  # log: the basin
    norm = LogNorm(levels[0], levels[-1])
    filled = ax.contourf(
        land.a, land.b, loss, levels=levels, cmap=SURFACE_CMAP, norm=norm, extend="both"
    )
    lines = ax.contour(
        land.a,
        land.b,
        loss,
        levels=levels,
        colors="#4a5a70",
        linewidths=0.5,
        alpha=0.45,
        norm=norm,
    )
    ax.set_xlabel(f"direction 1 ({100 * land.plane.explained[0]:.0f}% of variance)")
    ax.set_ylabel(f"direction 2 ({100 * land.plane.explained[1]:.0f}% of variance)")
    ax.set_xlim(land.a[0], land.a[-1])
    ax.set_ylim(land.b[0], land.b[-1])
    return [filled, lines]


def _optimizer(land, label: str) -> str:
    return land.meta.get("optimizers", {}).get(label, label)


def landscape_figure(land, *, figsize=(14, 6.2)) -> Figure:
    """Paths over the loss contour on the shared plane, and each path's loss."""
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax_map, ax_loss = fig.subplots(1, 2, width_ratios=[1.25, 1])
        draw_landscape(ax_map, land)
        captured = land.captured()
        for label, xy in land.paths.items():
            c = color(_optimizer(land, label))
            share = (
                f" ({100 * captured[label]:.0f}% in the plane)" if label in captured else ""
            )
            ax_map.plot(
                xy[:, 0], xy[:, 1], "-", color=c, lw=2.2, label=title(label) + share
            )
            ax_map.plot(*xy[-1], "o", ms=9, mfc=c, mec="white", mew=1.5, zorder=8)
        first = next(iter(land.paths.values()))
        ax_map.plot(
            *first[0], "o", ms=11, mfc="black", mec="white", mew=2, zorder=9, label="start"
        )
        ax_map.legend(loc="best", fontsize=11, framealpha=0.9)
        ax_map.set_title("loss landscape on one shared plane (PCA)", loc="left")
        steps = land.meta.get("snapshot_steps", {})
        for label, loss in land.path_loss.items():
            x = steps.get(label, list(range(len(loss))))
            ax_loss.plot(x, loss, color=color(_optimizer(land, label)), label=title(label))
        ax_loss.set_yscale("log")
        ax_loss.set_xlabel("step")
        ax_loss.set_ylabel("training loss (log)")
        ax_loss.grid(True, alpha=0.3)
        ax_loss.set_title("loss at the recorded parameters", loc="left")
        n = land.meta.get("evaluated_on")
        on = f", loss on {n} training images" if n else ""
        fig.suptitle(f"The CNN's training paths: {variance_text(land)}{on}", fontsize=15)
    return fig
