"""The comparison figure: paths over the contour map, loss curves beside it.

Each optimizer's hyper-parameters are written at the end of its loss curve (α, and β,
ρ or ρ1/ρ2 where it has them), repeated runs of one optimizer get distinct line styles,
and a footnote says how the settings were chosen: a caller's rule (``note``), or
"default settings, not a ranking" when every run is at the surface's default rate.
"""

from __future__ import annotations

import numpy as np

from ._figure import Figure
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from .curves import draw_loss, gap_floor, label_ends, loss_axis, mark_floor
from .style import GREY_22, GREY_33, GREY_99, legend_label, repeat_styles, style

__all__ = [
    "compare_figure",
    "legend_label",
    "draw_notes",
    "VIEWS",
]

VIEWS = ("2d", "3d")


#: The loss panel's x range is widened for its end labels at most this many times the
#: steps: the curves keep at least this share of the panel however long a label is
#: (a label of several settings once stretched 500 steps to 226,000).
MAX_STRETCH = 4.0


def _room_for(ax, texts, x_end: float, margin_px: float = 12.0) -> None:
    """Widen ``ax``'s x range (from 0) until every end label, anchored at ``x_end``,
    ends inside the panel with ``margin_px`` to spare, or the range is
    :data:`MAX_STRETCH` times ``x_end``."""
    fig = ax.figure
    for _ in range(3):  # the layout moves the panel a little each time
        fig.draw_without_rendering()
        box = ax.get_window_extent()
        anchor = ax.transData.transform((x_end, 0))[0] - box.x0
        widest = max((t.get_window_extent().x1 - box.x0 for t in texts), default=0)
        if widest <= box.width - margin_px:
            return
        need = widest - anchor  # the label's width and pad, in pixels
        room = max(box.width - need - margin_px, box.width / MAX_STRETCH)
        ax.set_xlim(0, x_end * box.width / room)


def draw_notes(ax_map, ax_loss, notes, colors) -> None:
    """Draw ``notes`` (:func:`optviz.claims.surface_notes`) where they happen: on the
    map, on the loss panel, or as a box in the loss panel's corner."""
    for note in notes:
        if note["panel"] == "loss-box":  # a text box in axes coordinates
            ax_loss.text(
                *note["xy"],
                note["text"],
                transform=ax_loss.transAxes,
                fontsize=12,
                va="top",
                ha="right",
                bbox=dict(fc="white", ec=GREY_99, alpha=0.9),
                zorder=12,
            )
            continue
        ax = ax_map if note["panel"] == "map" else ax_loss
        if ax is None:
            continue
        c = colors.get(note["label"], GREY_22)
        x, y = note["xy"]
        xmid = np.mean(ax.get_xlim())
        ax.annotate(
            note["text"],
            (x, y),
            xytext=note.get("offset", (-12 if x > xmid else 12, 18)),
            textcoords="offset points",
            ha="right" if x > xmid else "left",
            fontsize=12,
            color=c,
            arrowprops=dict(arrowstyle="->", color=c, lw=1.3),
            bbox=dict(fc="white", ec="none", alpha=0.8),
            zorder=12,
        )


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
    styles = repeat_styles(run)
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax_map, ax_loss = fig.subplots(1, 2, width_ratios=[1.05, 1])
        draw_surface(ax_map, surface)
        draw_landmarks(ax_map, surface)
        colors = {}
        for traj, ls in zip(run, styles):
            line, _, _ = draw_trajectory(ax_map, traj)
            line.set_linestyle(ls)
            colors[traj.label] = line.get_color()
        draw_start(ax_map, run.start)
        ax_map.set_title("paths", loc="left")
        ax_map.legend(loc="lower right", fontsize=12, framealpha=0.9)  # landmarks only
        loss_axis(ax_loss, surface)
        lines = []
        for traj, ls in zip(run, styles):
            line, _ = draw_loss(ax_loss, surface, traj)
            line.set_linestyle(ls)
            lines.append(line)
        if surface.min_value is not None:
            floor = gap_floor(surface)
            if any(np.nanmin(ln.get_ydata()) <= floor for ln in lines):
                mark_floor(ax_loss, surface, below=True)
        ax_loss.set_xlim(0, run.steps * 1.45)
        start = ", ".join(f"{v:.3g}" for v in np.asarray(run.start, dtype=float))
        ax_loss.set_title(f"{run.steps} steps from ({start})", loc="left")
        draw_notes(ax_map, ax_loss, notes, colors)
        texts = label_ends(ax_loss, lines, [legend_label(t) for t in run], fontsize=12)
        _room_for(ax_loss, texts, run.steps)
        # whole sentences, wrapped when drawn (so a translation replaces a sentence)
        head = f"{surface.title}:  ${surface.latex}$"
        fig.suptitle(head + (f"\n{subtitle}" if subtitle else ""), fontsize=17, wrap=True)
        if note:
            fig.supxlabel(note, fontsize=12, color=GREY_33, wrap=True)
    return fig


def show(fig: Figure):  # pragma: no cover - interactive convenience
    """Attach a Figure made here to pyplot so ``plt.show()`` shows it."""
    import matplotlib.pyplot as plt  # only here: pyplot is slow to import

    manager = plt.figure().canvas.manager
    manager.canvas.figure = fig
    fig.set_canvas(manager.canvas)
    return fig
