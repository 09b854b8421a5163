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
from .style import legend_label, repeat_styles, style, title

__all__ = [
    "compare_figure",
    "legend_label",
    "DEFAULTS_NOTE",
    "uses_defaults",
    "surface_notes",
    "VIEWS",
]

#: The footnote of a comparison at untuned default rates.
DEFAULTS_NOTE = "default settings (the surface's learning rates), not a ranking"
VIEWS = ("2d", "3d")
#: A spike: the loss rises by 100x or more within this many steps.
SPIKE_WINDOW = 10
#: A plateau: f - f* (above PLATEAU_ABOVE) changes by less than this in 10 steps.
PLATEAU_CHANGE, PLATEAU_ABOVE = 0.1, 1e-3
#: Adagrad's first 10 steps cut f - f* by this factor or more: a lucky jump.
LUCKY_DROP = 1e-3
#: Below this value a run has escaped the saddle.
SADDLE_ESCAPED = -1.0


def _room_for(ax, texts, x_end: float, margin_px: float = 12.0) -> None:
    """Widen ``ax``'s x range (from 0) until every end label, anchored at ``x_end``,
    ends inside the panel with ``margin_px`` to spare."""
    fig = ax.figure
    for _ in range(3):  # the layout moves the panel a little each time
        fig.draw_without_rendering()
        box = ax.get_window_extent()
        anchor = ax.transData.transform((x_end, 0))[0] - box.x0
        widest = max((t.get_window_extent().x1 - box.x0 for t in texts), default=0)
        if widest <= box.width - margin_px:
            return
        need = widest - anchor  # the label's width and pad, in pixels
        ax.set_xlim(0, x_end * box.width / max(box.width - need - margin_px, 1.0))


def uses_defaults(surface, run) -> bool:
    """True when every trajectory runs at the surface's default learning rate."""
    for traj in run:
        try:
            if traj.hyperparameters.get("lr") != surface.default_lr(traj.optimizer):
                return False
        except KeyError:
            return False
    return True


# -- what happens where: per-surface messages, found in the data ------------------------
def _first(mask) -> int | None:
    idx = np.flatnonzero(mask)
    return int(idx[0]) if len(idx) else None


def surface_notes(surface, run) -> list[dict]:
    """Annotations of what happens where, found in the records: each a dict with
    ``panel`` ("map" or "loss"), ``xy`` (data coordinates), ``text``, ``label`` (the
    trajectory, or None).

    - rosenbrock: the curved valley; the largest upward spike of an adaptive method's
      loss (RMSprop's, typically: r forgot the steep walls, so the step grew);
    - beale: the plateau (the longest stretch where a run's f - f* > 1e-3 changes by
      less than 10% in 10 steps);
    - saddle: the step where each run has escaped (f below -1), per-coordinate scaling
      escaping first;
    - himmelblau: runs that end at a minimum other than the one nearest the start.
    """
    notes: list[dict] = []
    name = surface.name
    for traj in run:
        if traj.optimizer != "adagrad" or surface.min_value is None or traj.diverged:
            continue
        loss = traj.loss - surface.min_value
        k = max(10, len(loss) // 10)
        if len(loss) <= k:  # too short a run to call it flat from step k on
            continue
        if loss[-1] > 1e-4 and loss[-1] > 0.3 * loss[k]:
            notes.append(
                {
                    "panel": "loss",
                    "xy": (len(loss) // 4, loss[len(loss) // 4]),
                    "label": traj.label,
                    "offset": (20, -70),
                    "text": (
                        "Adagrad: a lucky jump close to the minimum, then\n"
                        if loss[min(10, len(loss) - 1)] < loss[0] * LUCKY_DROP
                        else "Adagrad: "
                    )
                    + "its r only grows, so its steps shrink:\n"
                    f"almost flat from step {k} on",
                }
            )
    if name == "rosenbrock":
        notes.append(
            {
                "panel": "map",
                "xy": (-0.6, 0.36),
                "label": None,
                "text": "the curved valley y = x²:\neasy to find, slow to follow",
            }
        )
        best = None
        for traj in run:
            if traj.optimizer not in ("rmsprop", "adam", "adagrad"):
                continue
            with np.errstate(invalid="ignore", divide="ignore"):
                logl = np.log(np.maximum(traj.loss, 1e-300))
            window = SPIKE_WINDOW
            rise = np.full(len(logl), -np.inf)
            for k in range(max(10, len(logl) // 10), len(logl) - 1):
                ahead = logl[k + 1 : k + 1 + window]
                if np.all(np.isfinite(ahead)) and np.isfinite(logl[k]):
                    rise[k] = ahead.max() - logl[k]
            k = int(np.argmax(rise))
            if rise[k] > np.log(100) and (best is None or rise[k] > best[0]):
                top = k + 1 + int(np.argmax(logl[k + 1 : k + 1 + window]))
                best = (rise[k], top, traj)
        if best is not None:
            _, k, traj = best
            notes.append(
                {
                    "panel": "loss",
                    "xy": (k, traj.loss[k] - surface.min_value),
                    "label": traj.label,
                    "text": f"{title(traj.optimizer)}'s spike: r forgot the steep wall,\n"
                    "so its step grew and it jumped out of the valley",
                }
            )
    elif name == "beale":
        best = None
        for traj in run:
            loss = traj.loss - surface.min_value
            with np.errstate(invalid="ignore", divide="ignore"):
                change = np.abs(loss[10:] / loss[:-10] - 1)
            flat = np.r_[(change < PLATEAU_CHANGE) & (loss[:-10] > PLATEAU_ABOVE), False]
            # the longest run of flat steps
            k, length, start = 0, 0, None
            for i, f in enumerate(flat):
                if f and start is None:
                    start = i
                elif not f and start is not None:
                    if i - start > length:
                        k, length = start, i - start
                    start = None
            if length >= 20 and (best is None or length > best[0]):
                best = (length, k, traj)
        if best is not None:
            length, k, traj = best
            notes.append(
                {
                    "panel": "loss",
                    "xy": (k + length // 2, traj.loss[k] - surface.min_value),
                    "label": traj.label,
                    "text": f"plateau: tiny gradients; {title(traj.optimizer)}'s loss "
                    f"falls < {PLATEAU_CHANGE:.0%} per 10 steps for {length} steps",
                }
            )
    elif name == "saddle":
        notes.append(
            {
                "panel": "map",
                "xy": (0.0, 0.0),
                "label": None,
                "text": "saddle: g ≈ 0 along y near here;\ndividing g by √r scales the "
                "small\ncoordinate up, so adaptive methods escape",
            }
        )
        escaped = []
        for traj in run:
            k = _first(traj.loss < SADDLE_ESCAPED)
            escaped.append((k if k is not None else np.inf, title(traj.optimizer), k))
        escaped.sort()
        text = f"escaped (f < {SADDLE_ESCAPED:g}) at step:\n" + "\n".join(
            f"  {name}: {k if k is not None else 'not yet'}" for _, name, k in escaped
        )
        notes.append({"panel": "loss-box", "xy": (0.98, 0.97), "label": None, "text": text})
    elif name == "himmelblau" and surface.minima:
        minima = np.array([m.xy for m in surface.minima])
        start = np.asarray(run.start, dtype=float)
        home = int(np.argmin(np.linalg.norm(minima - start, axis=-1)))
        away: dict[int, list] = {}
        for traj in run:
            end = traj.last_finite()
            there = int(np.argmin(np.linalg.norm(minima - end, axis=-1)))
            if there != home and not traj.diverged:
                away.setdefault(there, []).append(traj)
        for there, trajs in away.items():
            names = " and ".join(title(t.optimizer) for t in trajs)
            verb = "overshoots" if len(trajs) == 1 else "overshoot"
            notes.append(
                {
                    "panel": "map",
                    "xy": tuple(minima[there]),
                    "label": trajs[0].label,
                    "text": f"{names} {verb} into another basin\n(the nearest minimum "
                    "to the start is another)",
                }
            )
    return notes


def _draw_notes(ax_map, ax_loss, notes, colors) -> None:
    for note in notes:
        if note["panel"] == "loss-box":  # a text box in axes coordinates
            ax_loss.text(
                *note["xy"],
                note["text"],
                transform=ax_loss.transAxes,
                fontsize=12,
                va="top",
                ha="right",
                bbox=dict(fc="white", ec="#999999", alpha=0.9),
                zorder=12,
            )
            continue
        ax = ax_map if note["panel"] == "map" else ax_loss
        if ax is None:
            continue
        c = colors.get(note["label"], "#222222")
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
    annotate: bool = True,
    view: str = "2d",
) -> Figure:
    """Trajectories of a single-start :class:`~optviz.records.Run` over the contour
    map of ``surface``, with f - f* per step on a log axis beside it.

    ``note`` says how the settings were chosen (a footnote); without it, a run at the
    surface's default rates is footnoted :data:`DEFAULTS_NOTE`. ``subtitle`` is the
    figure's one message. ``annotate`` writes :func:`surface_notes` where they happen.
    ``view="3d"`` draws the paths on the surface in 3-D
    (:func:`optviz.plot.view3d.surface3d_figure`).
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}; got {view!r}")
    if np.asarray(run.start).ndim != 1:
        raise ValueError("compare_figure draws a single-start run; got a batch of starts")
    if note is None and uses_defaults(surface, run):
        note = DEFAULTS_NOTE
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
        if annotate:
            _draw_notes(ax_map, ax_loss, surface_notes(surface, run), colors)
        texts = label_ends(ax_loss, lines, [legend_label(t) for t in run], fontsize=12)
        _room_for(ax_loss, texts, run.steps)
        # whole sentences, wrapped when drawn (so a translation replaces a sentence)
        head = f"{surface.title}:  ${surface.latex}$"
        fig.suptitle(head + (f"\n{subtitle}" if subtitle else ""), fontsize=17, wrap=True)
        if note:
            fig.supxlabel(note, fontsize=12, color="#333333", wrap=True)
    return fig


def show(fig: Figure):  # pragma: no cover - interactive convenience
    """Attach a Figure made here to pyplot so ``plt.show()`` shows it."""
    import matplotlib.pyplot as plt  # only here: pyplot is slow to import

    manager = plt.figure().canvas.manager
    manager.canvas.figure = fig
    fig.set_canvas(manager.canvas)
    return fig
