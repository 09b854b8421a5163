"""An animation's picture: its panels, what is drawn on them once and what moves,
the legend and the counter; then one layout fixed for every frame."""

from __future__ import annotations

import textwrap
from typing import Sequence

import numpy as np
from matplotlib.collections import FillBetweenPolyCollection
from matplotlib.ticker import FixedLocator

from ..contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from ..curves import draw_loss, draw_lr, loss_axis, lr_axis, momentum_factor
from ..style import legend_labels
from .counter import MARKER_PAD, add_counter, counter_footprints, place_counter
from .movers import Appear, Grow, GrowFill, Head, extent

__all__ = [
    "build",
    "label_axes",
    "settle",
    "redraw_list",
    "layout_size",
    "check_size",
    "SIZES",
    "SIZE_RANGE",
    "DPI",
    "FILL_ZORDER",
]

#: Dots per inch at the default sizes; other sizes scale it (see Animation).
DPI = 100
FILL_ZORDER = 1.75
#: Pixels each way: below this the text cannot be drawn, above it a frame is 64 MB.
SIZE_RANGE = (128, 4096)
#: Pixels per panel layout, (width, height).
SIZES = {"map": (640, 480), "curves": (640, 480), "both": (1120, 480),
         "both-tall": (1120, 560)}  # fmt: skip


def layout_size(panels: Sequence[str]) -> tuple[int, int]:
    """The default size of this choice of panels, in pixels at :data:`DPI`."""
    curves = len([p for p in panels if p != "trajectory"])
    if "trajectory" not in panels:
        return SIZES["curves"]
    return SIZES[{0: "map", 1: "both"}.get(curves, "both-tall")]


def check_size(size, panels: Sequence[str]) -> tuple[int, int]:
    """``size`` as (width, height) in pixels, checked; the default one if None."""
    if size is None:
        return layout_size(panels)
    w, h = (int(v) for v in size)
    (lo, hi) = SIZE_RANGE
    if not (lo <= w <= hi and lo <= h <= hi):
        raise ValueError(f"size must be {lo} to {hi} pixels each way, got {w}x{h}")
    return w, h


def label_axes(axes: dict, labels: dict) -> None:
    """Axis labels replacing the default ones: panel -> (xlabel, ylabel), None keeps."""
    unknown = sorted(set(labels) - set(axes))
    if unknown:
        raise ValueError(
            f"axis_labels names panels {', '.join(unknown)}; this animation has "
            f"{', '.join(axes)}"
        )
    for panel, (xlabel, ylabel) in labels.items():
        if xlabel is not None:
            axes[panel].set_xlabel(xlabel)
        if ylabel is not None:
            axes[panel].set_ylabel(ylabel)


def _panel_axes(fig, panels) -> tuple[dict, list]:
    """The Axes of each panel (the map on the left, the curves stacked beside it)."""
    curves = [p for p in panels if p != "trajectory"]
    axes: dict = {}
    if "trajectory" in panels and curves:
        gs = fig.add_gridspec(len(curves), 2, width_ratios=[1.1, 1])
        axes["trajectory"] = fig.add_subplot(gs[:, 0])
        cells = [gs[i, 1] for i in range(len(curves))]
    elif "trajectory" in panels:
        axes["trajectory"] = fig.add_subplot()
        cells = []
    else:
        gs = fig.add_gridspec(len(curves), 1)
        cells = [gs[i, 0] for i in range(len(curves))]
    first = None
    for name, cell in zip(curves, cells):
        axes[name] = fig.add_subplot(cell, sharex=first)
        first = first or axes[name]
    return axes, curves


def _draw_map(ax, surface, run, labels: dict, movers: list) -> None:
    draw_surface(ax, surface)
    draw_landmarks(ax, surface)
    for traj in run:
        texts = set(ax.texts)
        line, head, cross = draw_trajectory(ax, traj, label=labels[traj.label])
        movers += [Grow(line), Head(head, traj.xy)]
        if cross is not None:
            d = int(traj.diverged_at)
            movers.append(Appear(cross, d))
            movers += [Appear(t, d) for t in ax.texts if t not in texts]
    draw_start(ax, run.start)


def _draw_loss(ax, surface, run, labels: dict, movers: list) -> None:
    loss_axis(ax, surface)
    for traj in run:
        line, cross = draw_loss(ax, surface, traj, label=labels[traj.label])
        movers.append(Grow(line))
        if cross is not None:
            movers.append(Appear(cross, int(traj.diverged_at)))


def _draw_lr(ax, run, labels: dict, movers: list) -> None:
    lr_axis(ax)
    if any(momentum_factor(t) != 1 for t in run):
        ax.set_ylabel("effective lr (log)\nmomentum: α/(1-β)")
    for traj in run:
        for artist in draw_lr(ax, traj, label=labels[traj.label], momentum_step=True):
            if isinstance(artist, FillBetweenPolyCollection):
                # above the grid (1.5), so the grid need not be redrawn each
                # frame; a still draws it below (alpha 0.18: barely differs)
                artist.set_zorder(FILL_ZORDER)
                lx, ly = traj.lr[:, 0], traj.lr[:, 1]
                t = np.arange(len(lx))  # the range draw_lr shades
                movers.append(GrowFill(artist, t, np.fmin(lx, ly), np.fmax(lx, ly)))
            else:
                movers.append(Grow(artist))


def _legend(fig, axes: dict, curves: list, labels: dict) -> None:
    """The legend: under the panels, never over the data."""
    # the legend: under the panels, never over the data
    legend_ax = axes[curves[0]] if curves else axes["trajectory"]
    handles = [
        a
        for a in legend_ax.get_lines()
        if not a.get_label().startswith("_") and a.get_label() in labels.values()
    ]
    leg = fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=_columns(fig, [h.get_label() for h in handles], 3 if curves else 2),
        frameon=False,
        fontsize=LEGEND_SIZE,
    )
    fig.optviz_legend = leg  # its labels fitted to the figure once translated (settle)


def _fit_legend(fig) -> None:
    """A legend label wider than the figure (a long SPEC under one narrow panel) broken
    onto as few lines as fit."""
    leg = getattr(fig, "optviz_legend", None)
    if leg is None:
        return
    room = fig.bbox.width - (SAMPLE_EM + 2 * BORDER_EM) * LEGEND_SIZE * fig.dpi / 72
    renderer = fig.canvas.get_renderer()
    for text in leg.get_texts():
        words = text.get_text()
        for lines in range(2, 5):
            if text.get_window_extent(renderer).width <= room:
                break
            text.set_text("\n".join(textwrap.wrap(words, -(-len(words) // lines))))


#: The legend's type size (points); a line's sample with its pad, the space between
#: columns and the border's pads, in font sizes (matplotlib's defaults).
LEGEND_SIZE = 12
SAMPLE_EM, COLUMN_GAP_EM, BORDER_EM = 2.8, 2.0, 0.8


def _columns(fig, labels, most: int) -> int:
    """As many legend columns (up to ``most``) as fit across the figure, each column
    as wide as its widest label (entries fill columns top to bottom): a long label
    gets a row of its own rather than leaving the figure."""
    probe = fig.text(0, 0, "", fontsize=LEGEND_SIZE)
    renderer = fig.canvas.get_renderer()
    widths = []
    for label in labels:
        probe.set_text(label)
        widths.append(probe.get_window_extent(renderer).width * 72 / fig.dpi)
    probe.remove()
    room = fig.get_figwidth() * 72
    fit = 1
    for cols in range(2, max(1, min(len(labels), most)) + 1):
        rows = -(-len(widths) // cols)
        columns = [widths[j : j + rows] for j in range(0, len(widths), rows)]
        width = sum(max(c) + SAMPLE_EM * LEGEND_SIZE for c in columns)
        width += ((len(columns) - 1) * COLUMN_GAP_EM + BORDER_EM) * LEGEND_SIZE
        if width <= room:
            fit = cols
    return max(1, min(len(labels), most, fit))


def build(fig, surface, run, panels, lang: str):
    """Draw ``run`` on ``surface`` in ``fig``'s ``panels`` at its last step: returns
    (axes by panel, the movers, the step counter, the counter's frame)."""
    axes, curves = _panel_axes(fig, panels)
    movers: list = []
    # unique: two variants that read alike are numbered
    labels = dict(zip((t.label for t in run), legend_labels(run)))
    if "trajectory" in axes:
        _draw_map(axes["trajectory"], surface, run, labels, movers)
    if "loss" in axes:
        _draw_loss(axes["loss"], surface, run, labels, movers)
    if "lr" in axes:
        _draw_lr(axes["lr"], run, labels, movers)
    for name in curves[:-1]:
        axes[name].tick_params(labelbottom=False)
        axes[name].set_xlabel("")
    _legend(fig, axes, curves, labels)
    fig.suptitle(f"{surface.title}:  ${surface.latex}$")
    # The step counter sits in a corner of the first panel (chosen in settle)
    host = axes["trajectory"] if "trajectory" in axes else axes[curves[0]]
    counter, box = add_counter(host, run.steps, lang)
    return axes, movers, counter, box


def settle(fig, axes: dict, movers, counter, counter_box, steps: int) -> None:
    """Draw the last frame once (the layout, the legend's "best" place), then fix
    what a draw would otherwise recompute; place the counter."""
    for mover in movers:
        mover(steps)
    counter.k = steps
    _fit_title(fig)
    _fit_legend(fig)
    # a draw that lays out (constrained layout, tick labels, the legend's place)
    # but paints nothing: the background is painted once, in the blitter
    renderer = fig.canvas.get_renderer()
    with renderer._draw_disabled():
        fig.draw(renderer)
    _place_notes(fig, movers)
    fig.set_layout_engine("none")
    for ax in axes.values():
        ax.set_autoscale_on(False)
        for axis in (ax.xaxis, ax.yaxis):
            # how many ticks fit depends on the rc font size at draw time: fix them,
            # so a draw outside optviz's style (FuncAnimation) shows the same axes
            axis.set_major_locator(FixedLocator(axis.get_majorticklocs()))
            axis.set_minor_locator(FixedLocator(axis.get_minorticklocs()))
        leg = ax.get_legend()
        if leg is not None:  # "best" would move it as the lines grow
            box, anchor = leg.get_window_extent(), ax.bbox
            leg.set_loc(
                (
                    (box.x0 - anchor.x0) / anchor.width,
                    (box.y0 - anchor.y0) / anchor.height,
                )
            )
    place_counter(fig, movers, counter, counter_box)
    _place_notes(fig, movers)  # again, off the counter


def _place_notes(fig, movers) -> None:
    """Each note (a divergence's) where it covers no path or marker at the last step
    (:meth:`~optviz.plot.layout.Layout.apply`); a note moved under its panel is a new
    text, which its mover shows from then on."""
    layout = getattr(fig, "optviz_layout", None)
    if layout is None or not layout.notes:
        return
    before = [n.text for n in layout.notes]
    layout.apply()
    moved = {id(a): n.text for a, n in zip(before, layout.notes) if n.text is not a}
    for mover in movers:
        if isinstance(mover, Appear) and id(mover.artist) in moved:
            mover.artist = moved[id(mover.artist)]


def _fit_title(fig) -> None:
    """The title ``NAME:  $formula$`` wider than the figure (a long formula over one
    narrow panel): the formula on a line of its own, or, still too wide, left out."""
    title = getattr(fig, "_suptitle", None)
    words = title.get_text() if title is not None else ""
    if "$" not in words:
        return
    room = fig.bbox.width - 2 * TITLE_MARGIN_EM * title.get_fontsize() * fig.dpi / 72
    if title.get_window_extent().width <= room:
        return
    name, _, formula = words.partition("$")
    title.set_text(f"{name.rstrip()}\n${formula}")
    if title.get_window_extent().width > room:
        title.set_text(name.rstrip().rstrip(":：").rstrip())


#: Space kept between a title and each edge of the figure, in font sizes.
TITLE_MARGIN_EM = 0.5


def redraw_list(fig, movers, counter, counter_box) -> list:
    """The artists drawn every frame, in drawing order: those that move, and the
    static ones of the same axes stacked above a moving one that can reach them
    (the start, a minimum; the legend only if a path runs under it)."""
    renderer = fig.canvas.get_renderer()
    moving = [m.artist for m in movers] + [counter]
    out = []
    for ax in fig.axes:
        mine = [a for a in moving if a.axes is ax]
        if not mine:
            continue
        lowest = min(a.get_zorder() for a in mine)
        drawn = []
        for a in ax.get_children():
            if a in mine:
                drawn.append(a)
            elif a.get_zorder() > lowest and a.get_visible() and a is not ax.patch:
                paths, boxes = counter_footprints(
                    movers, counter, counter_box, ax, renderer, below=a.get_zorder()
                )
                box = extent(a, renderer).padded(MARKER_PAD)
                if any(p.intersects_bbox(box, filled=False) for p in paths) or any(
                    box.overlaps(b) for b in boxes
                ):
                    drawn.append(a)
        out += sorted(drawn, key=lambda a: a.get_zorder())  # as Axes.draw orders them
    return out
