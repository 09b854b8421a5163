"""The comparison figure: paths over the contour map, loss curves beside it.

Each optimizer's settings are written in the margin right of its loss curve's end (α,
β, ρ or ρ1/ρ2 where it has them, and whatever differs from its defaults: see
:func:`~optviz.plot.style.legend_label`); repeated runs of one optimizer get shades of
its colour and distinct line styles; notes go where they cover no line
(:mod:`optviz.plot.layout`),
and a footnote says how the settings were chosen: a caller's rule (``note``), or
"default settings, not a ranking" when every run is at the surface's default rate.
"""

from __future__ import annotations

import numpy as np

from ._figure import Figure
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from .curves import FLOOR_WORDS, draw_loss, gap_floor, loss_axis, uses_evaluations
from .layout import arrow_spots, box_spots, layout_of
from .style import (
    GREY_22,
    GREY_33,
    GREY_44,
    GREY_66,
    GREY_99,
    legend_label,
    legend_labels,
    style,
    variant_styles,
)

__all__ = [
    "compare_figure",
    "legend_label",
    "draw_notes",
    "VIEWS",
]

VIEWS = ("2d", "3d")


def clip_path(line, head, domain) -> None:
    """Cut ``line`` (a path on a map) where it leaves ``domain`` ((x0, x1), (y0, y1)):
    the segment to the edge is kept, the part outside is left out (a gap until it
    comes back), and the head is hidden when the path ends outside (a note's arrow
    says where it went)."""
    xy = np.column_stack(line.get_data()).astype(float)
    (x0, x1), (y0, y1) = domain
    lo, hi = np.array([x0, y0]), np.array([x1, y1])

    def inside(p):
        return bool(np.all(np.isfinite(p)) and np.all(p >= lo) and np.all(p <= hi))

    if all(inside(p) for p in xy):
        return
    out = [xy[0]]
    for a, b in zip(xy[:-1], xy[1:]):
        if inside(a) != inside(b) and np.all(np.isfinite([a, b])):
            p, q = (a, b) if inside(a) else (b, a)  # p inside, q outside
            d = q - p
            with np.errstate(divide="ignore", invalid="ignore"):
                s = np.where(d > 0, (hi - p) / d, np.where(d < 0, (lo - p) / d, np.inf))
            edge = p + min(1.0, float(np.min(s))) * d
            out += [edge, b]
        else:
            out.append(b)
    out = np.array(out)
    shown = np.array([inside(p) or _on_edge(p, lo, hi) for p in out])
    out[~shown] = np.nan
    line.set_data(out[:, 0], out[:, 1])
    if not inside(xy[-1]):
        head.set_visible(False)


def _on_edge(p, lo, hi, tol=1e-9) -> bool:
    return bool(np.all(p >= lo - tol) and np.all(p <= hi + tol))


def _draw_exit(ax, note, color) -> None:
    """An arrow where a clipped path leaves the map for good, pointing the way it
    went (where it ended is said in a box)."""
    dx, dy = note["direction"]
    ax.annotate(
        "",
        xy=note["xy"],
        xytext=(-30 * dx, -30 * dy),
        textcoords="offset points",
        arrowprops=dict(arrowstyle="-|>", color=color, lw=2.2, mutation_scale=18),
        annotation_clip=False,
        zorder=13,
    )


def draw_notes(ax_map, ax_loss, notes, colors, layout=None) -> None:
    """Draw ``notes`` (:func:`optviz.claims.surface_notes`) where they happen: on the
    map or the loss panel with an arrow to their point, or as a box in the loss panel
    (``"loss-box"``, its preferred corner at ``xy`` in axes coordinates); each at the
    first spot where it covers no text, line or marker (:class:`~.layout.Layout`),
    else in the margin under its panel."""
    layout = layout_of(ax_loss.figure) if layout is None else layout
    for note in notes:
        if note["panel"] in ("loss-box", "map-box"):  # a box, its preferred corner
            ax = ax_loss if note["panel"] == "loss-box" else ax_map
            if ax is not None:
                layout.note(
                    ax,
                    note["text"],
                    spots=box_spots(note["xy"]),
                    color=colors.get(note["label"], GREY_22),
                    ec=GREY_99,
                )
            continue
        if note["panel"] == "map-exit":
            if ax_map is not None:
                _draw_exit(ax_map, note, colors.get(note["label"], GREY_22))
            continue
        ax = ax_map if note["panel"] == "map" else ax_loss
        if ax is None:
            continue
        x, _ = note["xy"]
        offset = note.get("offset")
        if offset is None:
            offset = (-12 if x > np.mean(ax.get_xlim()) else 12, 18)
        layout.note(
            ax,
            note["text"],
            xy=note["xy"],
            spots=arrow_spots(offset),
            color=colors.get(note["label"], GREY_22),
        )


def _recolor(ax, artists, color) -> None:
    """Give a trajectory's artists (line, head, cross) its variant's colour."""
    for artist in artists:
        if artist is None:
            continue
        artist.set_color(color)
        artist.set_markerfacecolor(color)
        if artist.get_marker() == "o":
            artist.set_markeredgecolor("white")
        elif artist.get_marker() == "X":
            artist.set_markeredgecolor("black")


#: Where the floor's words may go: points right of the panel's left edge, and above
#: (bottom-aligned) or below (top-aligned) the floor's line.
FLOOR_SPOTS = [
    (dx, dy, "left", va)
    for dx in (0, 120, 240, 360)
    for dy, va in ((3, "bottom"), (-3, "top"))
]


def compare_figure(
    surface,
    run,
    *,
    figsize=(15, 6.6),
    note: str | None = None,
    subtitle: str | None = None,
    notes=(),
    view: str = "2d",
) -> Figure:
    """Trajectories of a single-start :class:`~optviz.records.Run` over the contour
    map of ``surface``, with f - f* per step on a log axis beside it.

    ``note`` says how the settings were chosen (a footnote). ``subtitle`` is the
    figure's one message. ``notes`` (:func:`optviz.claims.surface_notes`) are written
    where they happen.
    ``view="3d"`` draws the paths on the surface in 3-D
    (:func:`optviz.plot.view3d.surface3d_figure`).
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}; got {view!r}")
    if np.asarray(run.start).ndim != 1:
        raise ValueError("compare_figure draws a single-start run; got a batch of starts")
    if view == "3d":
        from .view3d import surface3d_figure

        return surface3d_figure(surface, run, note=note, subtitle=subtitle)
    styles = variant_styles(run)
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax_map, ax_loss = fig.subplots(1, 2, width_ratios=[1.05, 1])
        draw_surface(ax_map, surface)
        draw_landmarks(ax_map, surface)
        colors = {}
        for traj, (c, ls) in zip(run, styles):
            line, head, cross = draw_trajectory(ax_map, traj)
            _recolor(ax_map, (line, head, cross), c)
            line.set_linestyle(ls)
            colors[traj.label] = c
            clip_path(line, head, surface.domain)
        draw_start(ax_map, run.start)
        ax_map.set_title("paths", loc="left")
        ax_map.legend(loc="lower right", fontsize=12, framealpha=0.9)  # landmarks only
        by_evaluations = uses_evaluations(run)  # a classical method: the fair count
        loss_axis(ax_loss, surface, evaluations=by_evaluations)
        lines = []
        for traj, (c, ls) in zip(run, styles):
            line, cross = draw_loss(ax_loss, surface, traj, evaluations=by_evaluations)
            _recolor(ax_loss, (line, cross), c)
            line.set_linestyle(ls)
            lines.append(line)
        x_end = max(ln.get_xdata()[-1] for ln in lines) if by_evaluations else run.steps
        ax_loss.set_xlim(0, x_end)  # the labels go in the margin, not on the axis
        start = ", ".join(f"{v:.3g}" for v in np.asarray(run.start, dtype=float))
        ax_loss.set_title(f"{run.steps} steps from ({start})", loc="left")
        layout = layout_of(fig)
        layout.end_labels(ax_loss, lines, legend_labels(run), fontsize=12)
        if surface.min_value is not None:
            floor = gap_floor(surface)
            if any(np.nanmin(ln.get_ydata()) <= floor for ln in lines):
                ax_loss.axhline(floor, color=GREY_66, lw=1.2, ls=":", zorder=1)
                layout.note(
                    ax_loss,
                    FLOOR_WORDS,
                    xy=(0, floor),
                    xycoords=ax_loss.get_yaxis_transform(),
                    spots=FLOOR_SPOTS,
                    color=GREY_44,
                    box=False,
                    arrow=False,
                )
        draw_notes(ax_map, ax_loss, notes, colors, layout)
        # whole sentences, wrapped when drawn (so a translation replaces a sentence)
        head = f"{surface.title}:  ${surface.latex}$"
        fig.suptitle(head + (f"\n{subtitle}" if subtitle else ""), fontsize=17, wrap=True)
        if note:
            fig.supxlabel(note, fontsize=12, color=GREY_33, wrap=True)
        layout.apply()
    return fig


def show(fig: Figure):  # pragma: no cover - interactive convenience
    """Attach a Figure made here to pyplot so ``plt.show()`` shows it."""
    import matplotlib.pyplot as plt  # only here: pyplot is slow to import

    manager = plt.figure().canvas.manager
    manager.canvas.figure = fig
    fig.set_canvas(manager.canvas)
    return fig
