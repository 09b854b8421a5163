"""The CNN's training paths over its loss landscape, and views that need no plane.

- :func:`landscape_figure`: the paths on ONE shared PCA plane over the loss there
  (contour values and a colour bar), each path labelled with the share of its motion
  that lies in the plane, and a warning where a path that is mostly out of the plane
  seems to end uphill; beside it the loss at the recorded parameters and, when given,
  the 1-D view.
- :func:`interpolation_figure`: the loss along the straight line from the start to
  each optimizer's end point (no projection, so every start and end loss is true).
- :func:`random_plane_figure`: the loss on a plane of filter-normalised random
  directions around a point (Li et al., 2018).
- :func:`landscape_animation`: the paths moving over the plane, counting training
  steps (not snapshots), its axes named after the plane's directions.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import FuncFormatter

from ..records.landscape import CAPTURE_WARNING
from ._figure import Figure
from .contours import SURFACE_CMAP
from .style import GREY_88, INK_SLATE, WARNING_BROWN, color, style, title

__all__ = [
    "landscape_figure",
    "draw_landscape",
    "draw_interpolation",
    "interpolation_figure",
    "random_plane_figure",
    "landscape_animation",
    "variance_text",
    "direction_labels",
    "path_note",
]

N_LEVELS = 24
#: Every this many contour levels carries its value on the map.
LABEL_EVERY = 4
#: A path whose last loss is within this factor of its lowest "did not end uphill".
DOWNHILL_SLACK = 1.5


def variance_text(land) -> str:
    """How much of the trajectories' variance the plane shows, in words."""
    e1, e2 = 100 * land.plane.explained
    return (
        f"the plane captures {e1:.0f}% + {e2:.0f}% = {e1 + e2:.0f}% of the paths' variance"
    )


def _random(land) -> bool:
    return land.meta.get("view") == "random"


def direction_labels(land) -> tuple[str, str]:
    """The axis labels: which direction each coordinate moves along."""
    if _random(land):
        return (
            "random direction 1 (filter-normalised)",
            "random direction 2 (filter-normalised)",
        )
    e1, e2 = 100 * land.plane.explained
    own = land.meta.get("own")
    if own is not None:  # one path's own plane
        return (
            f"{title(own)}'s direction 1 ({e1:.0f}% of its path's variance)",
            f"{title(own)}'s direction 2 ({e2:.0f}% of its path's variance)",
        )
    return (
        f"PCA direction 1 ({e1:.0f}% of the paths' variance)",
        f"PCA direction 2 ({e2:.0f}% of the paths' variance)",
    )


def draw_landscape(ax, land, *, colorbar: bool = True):
    """Filled log-spaced contours of the loss over the plane, some levels labelled
    with their value, and a colour bar; returns the artists."""
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
        colors=INK_SLATE,
        linewidths=0.5,
        alpha=0.45,
        norm=norm,
    )
    labelled = levels[::LABEL_EVERY]
    texts = ax.clabel(lines, levels=labelled, fmt=lambda v: f"{v:.2g}", fontsize=9)
    artists = [filled, lines, *texts]
    if colorbar:
        bar = ax.figure.colorbar(filled, ax=ax, shrink=0.9, pad=0.02)
        bar.set_label("loss (log scale)")
        bar.set_ticks(labelled)
        bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.2g}"))
        bar.ax.minorticks_off()
        artists.append(bar)
    xlabel, ylabel = direction_labels(land)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xlim(land.a[0], land.a[-1])
    ax.set_ylim(land.b[0], land.b[-1])
    return artists


def _optimizer(land, label: str) -> str:
    return land.meta.get("optimizers", {}).get(label, label)


def path_note(label: str, fact: dict) -> str:
    """A warning in words for a path the plane misrepresents, or ""."""
    if not fact["warn"]:
        return ""
    share = 100 * fact["captured"]
    few = "only " if fact["captured"] < CAPTURE_WARNING else ""
    text = f"{title(label)}: {few}{share:.0f}% of its path lies in the plane"
    if fact["uphill"]:
        text += (
            f"; the plane shows {fact['plane_end_loss']:.2g} at its end's projection, "
            f"its true end loss is {fact['end_loss']:.2g}"
        )
        if fact["end_loss"] <= DOWNHILL_SLACK * fact.get("lowest_loss", np.inf):
            text += ": it did not end uphill"
    else:
        text += "; where it seems to go is mostly not where it went"
    return "⚠ " + text


def _draw_paths(ax, land, facts) -> None:
    """Paths, end points with their in-plane share (a warning sign where the plane
    misrepresents the path), the start."""
    for label, xy in land.paths.items():
        c = color(_optimizer(land, label))
        fact = facts[label]
        share = f"{100 * fact['captured']:.0f}% in the plane"
        ax.plot(xy[:, 0], xy[:, 1], "-", color=c, lw=2.2, label=title(label))
        ax.plot(*xy[-1], "o", ms=9, mfc=c, mec="white", mew=1.5, zorder=8)
        mark = "⚠ " if fact["warn"] else ""
        ax.annotate(
            f"{mark}{share}",
            xy[-1],
            xytext=(8, 6),
            textcoords="offset points",
            fontsize=11,
            fontweight="bold",
            color=c,
            zorder=9,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    first = next(iter(land.paths.values()))
    ax.plot(*first[0], "o", ms=11, mfc="black", mec="white", mew=2, zorder=9, label="start")
    ax.legend(loc="best", fontsize=11, framealpha=0.9)


def draw_interpolation(ax, line, *, optimizers=None) -> list:
    """The loss along each straight line start -> end against t (log axis)."""
    optimizers = optimizers or line.meta.get("optimizers", {})
    artists = []
    for label, loss in line.loss.items():
        c = color(optimizers.get(label, label))
        (curve,) = ax.plot(line.t, loss, color=c, lw=2.4, label=title(label))
        k = int(np.argmin(np.abs(line.t - 1.0)))
        artists += [curve, ax.plot(1.0, loss[k], "o", ms=8, mfc=c, mec="white")[0]]
    start = next(iter(line.loss.values()))[int(np.argmin(np.abs(line.t)))]
    artists.append(ax.plot(0.0, start, "o", ms=10, mfc="black", mec="white")[0])
    for t in (0.0, 1.0):
        ax.axvline(t, color=GREY_88, lw=0.8, ls=":")
    ax.set_yscale("log")
    ax.set_xlabel("t: start (0) -> the optimizer's end point (1)")
    ax.set_ylabel("loss at start + t (end - start) (log)")
    ax.grid(True, alpha=0.3)
    return artists


def _loss_by_step(ax, land) -> None:
    steps = land.meta.get("snapshot_steps", {})
    for label, loss in land.path_loss.items():
        x = steps.get(label, list(range(len(loss))))
        ax.plot(x, loss, color=color(_optimizer(land, label)), lw=2.2, label=title(label))
    ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("training loss (log)")
    ax.grid(True, alpha=0.3)
    ax.set_title("true loss at the recorded parameters", loc="left")


def landscape_figure(land, line=None, *, figsize=None) -> Figure:
    """Paths over the loss contour on the shared plane, each path's loss by step,
    and, with ``line`` (:func:`optviz.landscape.training_interpolation`), the loss on
    the straight line from the start to each end point."""
    if _random(land) or not land.paths:  # a random plane holds no paths
        return random_plane_figure(land)
    facts = land.fidelity()
    notes = [n for n in (path_note(lb, facts[lb]) for lb in land.paths) if n]
    panels = 3 if line is not None else 2
    width, height = figsize or ((20, 7) if panels == 3 else (15, 7))
    note_height = 0.3 * len(notes) + 0.25 if notes else 0.0
    with style():
        fig = Figure(figsize=(width, height + note_height), layout="constrained")
        top = fig
        if notes:
            top, bottom = fig.subfigures(2, 1, height_ratios=[height, note_height])
            bottom.text(
                0.01,
                0.5,
                "\n".join(notes),
                fontsize=12,
                color=WARNING_BROWN,
                va="center",
                ha="left",
            )
        widths = [1.45, 1, 1][:panels]
        axes = top.subplots(1, panels, width_ratios=widths)
        ax_map = axes[0]
        draw_landscape(ax_map, land)
        _draw_paths(ax_map, land, facts)
        ax_map.set_title("loss landscape on one shared plane (PCA)", loc="left")
        _loss_by_step(axes[1], land)
        if line is not None:
            draw_interpolation(axes[2], line, optimizers=land.meta.get("optimizers"))
            axes[2].set_title("no plane: the straight line start -> end", loc="left")
        n = land.meta.get("evaluated_on")
        on = f", loss on {n} training images" if n else ""
        top.suptitle(f"The CNN's training paths: {variance_text(land)}{on}", fontsize=15)
    return fig


def interpolation_figure(line, *, figsize=(9, 6)) -> Figure:
    """The 1-D view alone: loss along start -> end for each optimizer."""
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax = fig.subplots()
        draw_interpolation(ax, line)
        ax.legend(fontsize=11, framealpha=0.9)
        n = line.meta.get("evaluated_on")
        on = f" (loss on {n} training images)" if n else ""
        ax.set_title(
            f"Loss on the straight line from the start to each end{on}", loc="left"
        )
    return fig


def random_plane_figure(land, *, figsize=(9.5, 7.5)) -> Figure:
    """The loss on a plane of filter-normalised random directions around one point."""
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax = fig.subplots()
        draw_landscape(ax, land)
        ax.plot(0, 0, "o", ms=11, mfc="black", mec="white", mew=2, zorder=9)
        centre = land.meta.get("center") or "the point"
        ax.annotate(
            f"{title(centre)}'s end point" if land.meta.get("center") else centre,
            (0, 0),
            xytext=(10, 8),
            textcoords="offset points",
            fontsize=12,
            fontweight="bold",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )
        ax.set_aspect("equal")
        fig.suptitle(
            "Loss around an end point on two random filter-normalised directions "
            "(Li et al., 2018)",
            fontsize=13,
        )
    return fig


def landscape_animation(land, **kwargs):
    """An :class:`~optviz.plot.animate.Animation` of the paths over the PCA plane whose
    counter counts training steps (:meth:`optviz.records.Landscape.by_step`), with the
    axes named after the plane's directions. ``kwargs`` go to ``Animation``
    (``frames``, ``fps``, ``size``, ``panels``...)."""
    from .animate import Animation, check_panels

    kwargs.setdefault("panels", ("trajectory", "loss"))
    panels = check_panels(kwargs["panels"])
    labels = {}
    if "trajectory" in panels:
        labels["trajectory"] = direction_labels(land)
    curves = [p for p in panels if p != "trajectory"]
    if curves and curves[-1] == "loss":  # the bottom curve panel names the step axis
        labels["loss"] = ("training step", None)
    return Animation(land.as_surface(), land.by_step(), axis_labels=labels, **kwargs)
