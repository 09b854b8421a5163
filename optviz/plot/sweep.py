"""The learning-rate sweep figure: each optimizer at its own best learning rate.

Top: final :math:`f - f^*` and steps to reach the tolerance against the learning rate
(log axis), one curve per optimizer; crosses mark learning rates that diverged, a ring
the best one. Bottom (when a run at the best rates is given): the paths over the
contour map and the loss curves of each optimizer at its own best learning rate.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from ._figure import Figure
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from .curves import draw_loss, loss_axis
from .layout import layout_of
from .lr import add_footnote, legend_row, variant_styles
from .style import color, style, title

__all__ = [
    "sweep_figure",
    "sweep_lecture_figure",
    "cnn_sweep_figure",
    "draw_sweep_loss",
    "draw_sweep_steps",
]

#: Diverged learning rates are crosses in a strip at the top, one row per optimizer,
#: starting at this height (axes fraction) and this far apart.
DIVERGED_Y, DIVERGED_DY = 0.97, 0.035
#: f - f* below this (rounding at the minimum, or exactly 0) is drawn at this value.
LOSS_FLOOR = 1e-16
#: Crosses of the first variant of an optimizer, then of the next ones.
DIVERGED_MARKERS = ("x", "+", "1", "2")
BEST_MARKER = dict(marker="o", ms=15, mfc="none", mew=2.6, zorder=6)


def _best(sweep, curve):
    i = curve.best_index(sweep.criterion)
    return None if i is None else i


def _diverged_marks(ax, curve, row: int, variant: int = 0):
    d = curve.diverged
    if not np.any(d):
        return []
    # a strip at the top of the panel, drawn in data units (the axis' final limits):
    # the crosses are data, and the axis keeps to them
    frac = DIVERGED_Y - DIVERGED_DY * row
    y = ax.transData.inverted().transform(ax.transAxes.transform((0, frac)))[1]
    marker = DIVERGED_MARKERS[variant % len(DIVERGED_MARKERS)]
    return ax.plot(
        curve.lr[d],
        np.full(d.sum(), y),
        marker,
        color=color(curve.optimizer),
        ms=8,
        mew=2,
        clip_on=False,
    )


def draw_sweep_loss(ax, surface, sweep):
    """Final f - f* (log) against the learning rate (log), one curve per optimizer."""
    ax.set_xscale("log")
    ax.set_yscale("log")
    known = surface.min_value is not None
    ax.set_xlabel(r"learning rate $\alpha$ (log)")
    ax.set_ylabel(
        rf"final $f - f^*$ after {sweep.steps} steps (log)" if known else "final f (log)"
    )
    ax.grid(True, which="major", alpha=0.3)
    styles, variants = variant_styles(sweep), _variant_index(sweep)
    for c in sweep:
        y = np.maximum(c.final_gap, LOSS_FLOOR) if known else c.final_gap
        ax.plot(c.lr, y, ls=styles[c.label], color=color(c.optimizer), marker=".", ms=5)
        i = _best(sweep, c)
        if i is not None:
            ax.plot(c.lr[i], y[i], mec=color(c.optimizer), **BEST_MARKER)
    if any(np.any(c.diverged) for c in sweep):
        lo, hi = ax.get_ylim()  # room above the curves for the strip of crosses
        strip = DIVERGED_DY * len(sweep) + 0.05
        ax.set_ylim(lo, hi * (hi / lo) ** (strip / (1 - strip)))
        for row, c in enumerate(sweep):
            _diverged_marks(ax, c, row, variants[c.label])
    if known:
        ax.axhline(sweep.tol, color="0.3", lw=1.2, ls=":")
        layout_of(ax.figure).note(  # above the line's right end, else where free
            ax,
            f"tol {sweep.tol:g}",
            xy=(1, sweep.tol),
            xycoords=("axes fraction", "data"),
            spots=[(-4, 4, "right", "baseline"), (-4, -4, "right", "top")],
            color="0.3",
            fontsize=12,
            box=False,
            arrow=False,
        )
    ax.set_title("where each optimizer ends (× diverged, ○ best)", loc="left")


#: A best run that reaches tol within this share of the budget is named by its steps.
FEW_STEPS = 0.05


def draw_sweep_steps(ax, surface, sweep):
    """Steps until f - f* stays below tol, against the learning rate (log)."""
    ax.set_xscale("log")
    ax.set_xlabel(r"learning rate $\alpha$ (log)")
    ax.set_ylabel(f"steps to reach f − f* < {sweep.tol:g}")
    ax.grid(True, which="major", alpha=0.3)
    ax.set_title(
        f"how fast (budget {sweep.steps} steps; gaps: never within tol)", loc="left"
    )
    if surface.min_value is None:
        ax.text(
            0.5,
            0.5,
            "no known minimum:\nsteps to tolerance undefined",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=13,
            color="0.4",
        )
        return
    styles, variants = variant_styles(sweep), _variant_index(sweep)
    for c in sweep:
        y = np.where(c.steps_to_tol >= 0, c.steps_to_tol, np.nan).astype(float)
        ax.plot(c.lr, y, ls=styles[c.label], color=color(c.optimizer), marker=".", ms=5)
        i = _best(sweep, c)
        if i is not None and np.isfinite(y[i]):
            ax.plot(c.lr[i], y[i], mec=color(c.optimizer), **BEST_MARKER)
            if y[i] < FEW_STEPS * sweep.steps:  # on the axis: say what it is
                ax.annotate(
                    f"{title(c.label)}: {y[i]:.0f} steps",
                    (c.lr[i], y[i]),
                    xytext=(-10, 10),
                    textcoords="offset points",
                    ha="right",
                    fontsize=12,
                    color=color(c.optimizer),
                )
    diverged = any(np.any(c.diverged) for c in sweep)
    top = sweep.steps * (1.05 + (DIVERGED_DY * len(sweep) if diverged else 0))
    # from 0; a little below 0 where a run reaches tol in very few steps (its ring off
    # the axis)
    few = any(
        np.any((c.steps_to_tol >= 0) & (c.steps_to_tol < FEW_STEPS * sweep.steps))
        for c in sweep
    )
    ax.set_ylim(-0.04 * sweep.steps if few else 0, top)
    ax.set_yticks(
        [t for t in ax.get_yticks() if 0 <= t <= sweep.steps]
    )  # none in the strip
    lrs = np.concatenate([np.asarray(c.lr, dtype=float) for c in sweep])
    # the budget, across the rates swept (data: the x axis keeps to the sweep's range)
    ax.plot([lrs.min(), lrs.max()], [sweep.steps] * 2, color="0.3", lw=1.2, ls=":")
    for row, c in enumerate(sweep):
        _diverged_marks(ax, c, row, variants[c.label])


def _variant_index(curves) -> dict[str, int]:
    seen: dict[str, int] = {}
    out = {}
    for c in curves:
        out[c.label] = seen.get(c.optimizer, 0)
        seen[c.optimizer] = out[c.label] + 1
    return out


def _best_label(sweep, c) -> str:
    i = _best(sweep, c)
    if i is None:
        return f"{title(c.label)}: every α diverged"
    return f"{title(c.label)}  best α={c.lr[i]:.3g}"


def sweep_figure(
    surface, sweep, best_run=None, *, footnote: str | None = None, figsize=None
) -> Figure:
    """The sweep figure (module doc). ``best_run`` is a single-start run of each
    optimizer at its best learning rate (labels as in ``sweep``), drawn below."""
    rows = 2 if best_run is not None else 1
    figsize = figsize or ((16, 12.5) if rows == 2 else (16, 6.8))
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        gs = fig.add_gridspec(1 + rows, 2, height_ratios=[0.07 * rows] + [1] * rows)
        ax_loss = fig.add_subplot(gs[1, 0])
        ax_steps = fig.add_subplot(gs[1, 1], sharex=ax_loss)
        draw_sweep_loss(ax_loss, surface, sweep)
        draw_sweep_steps(ax_steps, surface, sweep)
        if best_run is not None:
            ax_map, ax_curve = fig.add_subplot(gs[2, 0]), fig.add_subplot(gs[2, 1])
            draw_surface(ax_map, surface)
            draw_landmarks(ax_map, surface)
            styles = variant_styles(best_run)
            for traj in best_run:
                draw_trajectory(ax_map, traj)[0].set_linestyle(styles[traj.label])
            draw_start(ax_map, best_run.start)
            ax_map.set_title("paths, each at its own best α", loc="left")
            loss_axis(ax_curve, surface)
            for traj in best_run:
                draw_loss(ax_curve, surface, traj)[0].set_linestyle(styles[traj.label])
            if surface.min_value is not None:
                low, high = ax_curve.get_ylim()
                ax_curve.set_ylim(max(low, LOSS_FLOOR), high)
            ax_curve.set_title("loss, each at its own best α", loc="left")
        styles = variant_styles(sweep)
        handles = [
            Line2D(
                [],
                [],
                color=color(c.optimizer),
                ls=styles[c.label],
                marker="o",
                mfc="none",
                ms=10,
                mew=2,
            )
            for c in sweep
        ]
        legend_row(
            fig.add_subplot(gs[0, :]), handles, [_best_label(sweep, c) for c in sweep]
        )
        start = np.asarray(sweep.start)
        fig.suptitle(
            f"{surface.title}: a learning-rate sweep, {sweep.steps} steps from "
            f"({start[0]:g}, {start[1]:g})",
            fontsize=17,
        )
        note = f"best α = {sweep.criterion_text()}"
        if footnote:
            note = f"{footnote}\n{note}"
        add_footnote(fig, note)
        layout_of(fig).apply()  # the tol label where it covers no curve
    return fig


def sweep_lecture_figure(surface, sweep, best_run, *, note: str = "", notes=()) -> Figure:
    """The sweep for a lecture: two panels, few words. Left: where each optimizer
    ends against α (log-log), its best α ringed and named at the line's end; right:
    each at its best α over the steps, with what the curves show written where it
    happens (``notes``, :func:`optviz.claims.surface_notes` of ``best_run``: Adagrad's
    lucky jump and flat tail). ``note`` (the grid, the rule) goes under the panels.
    :func:`sweep_figure` is the detailed version."""
    from .compare import draw_notes
    from .curves import label_ends, mark_floor

    known = surface.min_value is not None
    with style():
        fig = Figure(figsize=(17, 7.2), layout="constrained")
        ax_end, ax_best = fig.subplots(1, 2)
        ax_end.set_xscale("log")
        ax_end.set_yscale("log")
        ax_end.set_xlabel(r"learning rate $\alpha$ (log)")
        ax_end.set_ylabel(f"f - f* after {sweep.steps} steps (log)")
        ax_end.grid(True, alpha=0.3)
        lines, labels = [], []
        for c in sweep:
            ok = ~c.diverged
            y = np.maximum(c.final_gap, LOSS_FLOOR) if known else c.final_gap
            (line,) = ax_end.plot(c.lr[ok], y[ok], color=color(c.optimizer), marker=".")
            i = _best(sweep, c)
            if i is not None:
                ax_end.plot(c.lr[i], y[i], mec=color(c.optimizer), **BEST_MARKER)
                labels.append(f"{title(c.label)}: best α={c.lr[i]:.2g}")
            else:
                labels.append(f"{title(c.label)}: all diverged")
            lines.append(line)
        right = max(float(c.lr.max()) for c in sweep)
        ax_end.set_xlim(sweep.curves[0].lr.min() / 2, right * 6000)
        ax_end.set_title("where each ends (○ its best α); missing: diverged", loc="left")
        # the labels sit right of every curve (at each line's end height), off the data
        anchors = []
        for line in lines:
            y = np.asarray(line.get_ydata(), dtype=float)
            y = y[np.isfinite(y)]
            (proxy,) = ax_end.plot(
                [right * 1.5], [y[-1] if len(y) else np.nan], color=line.get_color()
            )
            proxy.set_visible(False)
            anchors.append(proxy)
        label_ends(ax_end, anchors, labels)
        loss_axis(ax_best, surface)
        curves, colors = [], {}
        for traj in best_run:
            line, _ = draw_loss(ax_best, surface, traj)
            curves.append(line)
            colors[traj.label] = line.get_color()
        if known and any(np.nanmin(ln.get_ydata()) <= 2e-15 for ln in curves):
            mark_floor(ax_best, surface)
        ax_best.set_xlim(0, best_run.steps * 1.3)
        ax_best.set_title("each at its best α", loc="left")
        draw_notes(None, ax_best, [n for n in notes if n["panel"] != "map"], colors)
        label_ends(ax_best, curves, [title(t.label) for t in best_run])
        fig.suptitle(
            f"{surface.title}: the best α of each optimizer ({sweep.steps} steps)",
            fontsize=17,
        )
        if note:
            add_footnote(fig, note)
    return fig


def cnn_sweep_figure(sweep, *, footnote: str | None = None, figsize=(18, 6.6)) -> Figure:
    """A CNN sweep (:class:`optviz.cnn_sweep.CnnSweep`): final validation accuracy and
    loss against the learning rate (mean over seeds, band from the worst to the best
    seed; × a learning rate where a seed diverged, ○ the best), and the validation
    accuracy per epoch of each optimizer at its own best learning rate."""
    summary = sweep.summary()
    best = sweep.best()
    labels = sweep.labels
    kinds = {
        label: summary.loc[summary["label"] == label, "optimizer"].iloc[0]
        for label in labels
    }
    styles = variant_styles([_Row(label, kinds[label]) for label in labels])
    drawn = (labels, kinds, styles, best)
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        gs = fig.add_gridspec(2, 3, height_ratios=[0.1, 1])
        ax_acc = fig.add_subplot(gs[1, 0])
        ax_loss = fig.add_subplot(gs[1, 1], sharex=ax_acc)
        ax_ep = fig.add_subplot(gs[1, 2])
        _final_panels(ax_acc, ax_loss, summary, drawn, sweep.jobs[0].epochs)
        _best_epochs_panel(ax_ep, sweep, drawn)
        handles, texts = _best_legend(summary, drawn)
        legend_row(fig.add_subplot(gs[0, :]), handles, texts)
        epochs, data = sweep.jobs[0].epochs, sweep.results[0]["data"]
        seeds = len({j.seed for j in sweep.jobs})
        fig.suptitle(
            f"CNN on {data['name']}: a learning-rate sweep, {epochs} epochs × {seeds} "
            f"seed{'s' if seeds > 1 else ''}",
            fontsize=17,
        )
        note = f"best α = {sweep.criterion_text()}"
        if footnote:
            note = f"{footnote}\n{note}"
        add_footnote(fig, note)
    return fig


class _Row:
    """What :func:`variant_styles` reads of a trajectory: its label and optimizer."""

    def __init__(self, label, optimizer):
        self.label, self.optimizer = label, optimizer


def _final_panels(ax_acc, ax_loss, summary, drawn, epochs):
    """Final validation accuracy and loss against α: the mean over seeds, a band from
    the worst to the best seed, × in a strip above where a seed diverged, ○ the best.
    ``drawn = (labels, kinds, styles, best)``."""
    labels, kinds, styles, best = drawn
    for ax in (ax_acc, ax_loss):
        ax.set_xscale("log")
        ax.set_xlabel(r"learning rate $\alpha$ (log)")
        ax.grid(True, which="major", alpha=0.3)
    ax_loss.set_yscale("log")
    ax_acc.set_ylabel("final validation accuracy")
    ax_loss.set_ylabel("final validation loss")
    ax_acc.set_title(f"accuracy after {epochs} epochs (× diverged, ○ best)", loc="left")
    ax_loss.set_title("validation loss", loc="left")
    for row, label in enumerate(labels):
        part = summary[summary["label"] == label].sort_values("lr")
        c, ls = color(kinds[label]), styles[label]
        lr = part["lr"].to_numpy(float)
        for ax, key in ((ax_acc, "acc"), (ax_loss, "loss")):
            mean = part[f"{key}_mean"].to_numpy(float)
            ax.fill_between(
                lr, part[f"{key}_min"], part[f"{key}_max"], color=c, alpha=0.15, lw=0
            )
            ax.plot(lr, mean, color=c, ls=ls, marker=".", ms=7)
            bad = part["diverged"].to_numpy() > 0
            if np.any(bad):
                trans = blended_transform_factory(ax.transData, ax.transAxes)
                ax.plot(
                    lr[bad],
                    np.full(bad.sum(), DIVERGED_Y - DIVERGED_DY * row),
                    "x",
                    color=c,
                    ms=8,
                    mew=2,
                    transform=trans,
                    clip_on=False,
                )
            if best[label] is not None:
                i = int(np.flatnonzero(lr == best[label])[0])
                ax.plot(lr[i], mean[i], mec=c, **BEST_MARKER)
    ax_acc.set_ylim(0, 1.0 + DIVERGED_DY * (len(labels) + 1) * 1.1)
    ax_acc.set_yticks(np.linspace(0, 1, 6))
    lo, hi = ax_loss.get_ylim()
    strip = DIVERGED_DY * len(labels) + 0.05
    ax_loss.set_ylim(lo, hi * (hi / lo) ** (strip / (1 - strip)))


def _best_epochs_panel(ax_ep, sweep, drawn):
    """The validation accuracy per epoch of each optimizer at its own best α (the
    mean over seeds, a band over them)."""
    labels, kinds, styles, best = drawn
    ax_ep.set_xlabel("epoch")
    ax_ep.set_ylabel("validation accuracy")
    ax_ep.grid(True, which="major", alpha=0.3)
    ax_ep.set_title("each at its own best α (band: seeds)", loc="left")
    for label in labels:
        if best[label] is None:
            continue
        curves = sweep.curves(label, best[label])  # (seeds, epochs)
        x = np.arange(1, curves.shape[1] + 1)
        c = color(kinds[label])
        with np.errstate(invalid="ignore"):
            ax_ep.fill_between(
                x, np.nanmin(curves, 0), np.nanmax(curves, 0), color=c, alpha=0.15, lw=0
            )
            ax_ep.plot(
                x, np.nanmean(curves, 0), color=c, ls=styles[label], marker="o", ms=4
            )
    ax_ep.set_ylim(top=1.0)


def _best_legend(summary, drawn) -> tuple[list, list]:
    """The legend row's handles and texts: each optimizer's best α and its accuracy,
    or that every α diverged."""
    labels, kinds, styles, best = drawn
    handles = [
        Line2D(
            [],
            [],
            color=color(kinds[label]),
            ls=styles[label],
            marker="o",
            mfc="none",
            ms=10,
            mew=2,
        )
        for label in labels
    ]
    texts = []
    for label in labels:
        if best[label] is None:
            texts.append(f"{title(label)}: every α diverged")
            continue
        row = summary[(summary["label"] == label) & (summary["lr"] == best[label])]
        texts.append(
            f"{title(label)}  best α={best[label]:.3g} ({row['acc_mean'].iloc[0]:.1%})"
        )
    return handles, texts
