"""Training curves: loss and error rate per epoch for every optimizer, over seeds.

Drawn from one :class:`~optviz.records.TrainingRun` or several (one per seed, the same
optimizers), in the colours every optviz figure uses for each optimizer. A line is the
median over the seeds of what was measured on the validation images after each epoch;
the band around it spans the lowest to the highest seed. The figure counts the
validation images each optimizer gets wrong, on a linear axis ("3 of 359": a
difference of a few images looks as small as it is); :func:`draw_error_curves` draws
the error rate on a log axis instead. A run that diverged is marked with an X where it
stopped and named with its step in the legend.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from ._figure import Figure
from .compare import legend_label
from .style import GREY_55, color, style

__all__ = [
    "draw_loss_curves",
    "draw_error_curves",
    "draw_error_counts",
    "draw_accuracy_curves",
    "curves_figure",
    "seed_summary",
    "divergence_text",
]

#: The median line, and the band of the seeds around it.
VAL_STYLE = {"linestyle": "-", "linewidth": 2.6, "marker": "o", "markersize": 4}
TRAIN_STYLE = {"linestyle": "--", "linewidth": 1.4, "alpha": 0.8}
BAND_ALPHA = 0.18


def _runs(runs) -> list:
    """One run or a sequence of runs (seeds) -> a list of runs with the same labels."""
    if hasattr(runs, "histories") or not isinstance(runs, Sequence):
        runs = [runs]
    runs = list(runs)
    if not runs or len(runs[0]) == 0:
        raise ValueError("curves need at least one run with at least one optimizer")
    labels = [h.label for h in runs[0]]
    for r in runs[1:]:
        if [h.label for h in r] != labels:
            raise ValueError(
                f"the seeds' runs must train the same optimizers; got {labels} and "
                f"{[h.label for h in r]}"
            )
    return runs


def _histories(runs, label):
    return [next(h for h in r if h.label == label) for r in runs]


def seed_summary(values: Sequence[np.ndarray]) -> tuple[np.ndarray, ...]:
    """(median, lowest, highest) over seeds per epoch, NaN where no seed has a value.

    >>> med, lo, hi = seed_summary([np.array([1.0, 4.0]), np.array([3.0, np.nan])])
    >>> med.tolist(), lo.tolist(), hi.tolist()
    ([2.0, 4.0], [1.0, 4.0], [3.0, 4.0])
    """
    table = np.vstack([np.asarray(v, dtype=float) for v in values])  # (seeds, epochs)
    out = np.full((3, table.shape[1]), np.nan)
    seen = np.any(np.isfinite(table), axis=0)
    if np.any(seen):
        with np.errstate(all="ignore"):
            out[0, seen] = np.nanmedian(table[:, seen], axis=0)
            out[1, seen] = np.nanmin(table[:, seen], axis=0)
            out[2, seen] = np.nanmax(table[:, seen], axis=0)
    return out[0], out[1], out[2]


def divergence_text(histories) -> str:
    """ "" when no seed diverged; else "diverged at step 12" or "2 of 3 seeds diverged
    (steps 12, 40)"."""
    steps = [h.diverged_at for h in histories if h.diverged]
    if not steps:
        return ""
    if len(histories) == 1:
        return f"diverged at step {steps[0]}"
    return (
        f"{len(steps)} of {len(histories)} seeds diverged "
        f"(step{'s' if len(steps) > 1 else ''} {', '.join(map(str, steps))})"
    )


def _label(histories) -> str:
    text = legend_label(histories[0])
    why = divergence_text(histories)
    return f"{text} ({why})" if why else text


def _diverged_epoch(h) -> int:
    return int(h.step_epoch[h.diverged_at - 1]) if h.steps else 1


def _crosses(ax, histories, values, c) -> list:
    """An X where each diverged seed stopped: at its last finite value, or on the top
    edge when it never finished an epoch."""
    artists = []
    for h, v in zip(histories, values):
        if not h.diverged:
            continue
        finite = np.flatnonzero(np.isfinite(v))
        if len(finite):
            k = finite[-1]
            x, y, transform = k + 1, v[k], ax.transData
        else:
            x, y, transform = _diverged_epoch(h), 0.97, ax.get_xaxis_transform()
        (cross,) = ax.plot(
            x,
            y,
            "X",
            ms=14,
            mfc=c,
            mec="black",
            zorder=6,
            transform=transform,
            clip_on=False,
        )
        artists.append(cross)
    if artists:  # one word beside the first X of this optimizer
        first = artists[0]
        artists.append(
            ax.annotate(
                "diverged",
                (first.get_xdata()[0], first.get_ydata()[0]),
                xycoords=first.get_transform(),
                xytext=(10, -4),
                textcoords="offset points",
                color=c,
                fontsize=12,
                fontweight="bold",
                va="top",
            )
        )
    return artists


#: Ticks of the log axes: 1-2-5 in every decade, labelled as plain numbers.
_LOG_TICKS = [m * 10.0**e for e in range(-4, 5) for m in (1, 2, 5)]


def _plain_log_axis(ax, fmt) -> None:
    ax.yaxis.set_major_locator(FixedLocator(_LOG_TICKS))
    ax.yaxis.set_major_formatter(FuncFormatter(fmt))
    ax.yaxis.set_minor_formatter(NullFormatter())


def _draw(ax, runs, values_of, *, train_values_of=None) -> list:
    artists = []
    for label in [h.label for h in runs[0]]:
        hs = _histories(runs, label)
        c = color(hs[0].optimizer)
        epochs = np.arange(1, hs[0].epochs + 1)
        values = [values_of(h) for h in hs]
        med, lo, hi = seed_summary(values)
        (line,) = ax.plot(epochs, med, color=c, label=_label(hs), **VAL_STYLE)
        artists.append(line)
        if len(hs) > 1:
            artists.append(ax.fill_between(epochs, lo, hi, color=c, alpha=BAND_ALPHA, lw=0))
        if train_values_of is not None:
            tmed = seed_summary([train_values_of(h) for h in hs])[0]
            (dashed,) = ax.plot(epochs, tmed, color=c, **TRAIN_STYLE)
            artists.append(dashed)
        artists += _crosses(ax, hs, values, c)
    epochs = max(h.epochs for r in runs for h in r)
    ax.set_xlim(0.5, epochs + 0.5)
    ax.set_xlabel("epoch")
    ax.grid(True, which="major", alpha=0.3)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if not any(np.any(np.isfinite(values_of(h))) for r in runs for h in r):
        ax.set_ylim(1.0, 100.0)  # nothing to scale to; positive for the log axis
        artists.append(
            ax.text(
                0.5,
                0.5,
                "no epoch was completed:\nevery run diverged in the first one",
                transform=ax.transAxes,
                ha="center",
                va="center",
                fontsize=14,
                color=GREY_55,
            )
        )
    return artists


def draw_loss_curves(ax, runs, *, train: bool = True) -> list:
    """Validation loss (median of the seeds, band: their range) per epoch, log axis;
    with ``train`` the epoch-mean training loss dashed. Returns the artists."""
    runs = _runs(runs)
    artists = _draw(
        ax,
        runs,
        lambda h: h.val_loss,
        train_values_of=(lambda h: h.train_loss) if train else None,
    )
    ax.set_yscale("log")
    _plain_log_axis(ax, lambda v, _: f"{v:g}")
    ax.set_ylabel("cross-entropy loss (log)")
    return artists


def _error_floor(runs) -> float:
    """Half an image of the validation set, in %: where 0 errors are drawn."""
    n_val = runs[0].meta.get("data", {}).get("n_val")
    return 50.0 / n_val if n_val else 0.05


def draw_error_curves(ax, runs) -> list:
    """Validation error rate (100% - accuracy; median of the seeds, band: their range)
    per epoch on a log axis. No error at all is drawn at half an image's share."""
    runs = _runs(runs)
    floor = _error_floor(runs)

    def error(h):
        e = 100.0 * (1.0 - np.asarray(h.val_accuracy, dtype=float))
        return np.where(np.isfinite(e), np.maximum(e, floor), np.nan)

    artists = _draw(ax, runs, error)
    ax.set_yscale("log")
    _plain_log_axis(ax, lambda v, _: f"{v:g}%")
    ax.set_ylabel("validation error rate (log; 1% = 99% accuracy)")
    return artists


#: End labels closer than this share of the y range are spread apart.
LABEL_GAP = 0.06


def _spread(values: list[float], gap: float) -> list[float]:
    """``values`` moved apart (in their order) until neighbours are ``gap`` apart."""
    order = np.argsort(values, kind="stable")
    out = np.asarray(values, dtype=float).copy()
    for a, b in zip(order, order[1:]):
        out[b] = max(out[b], out[a] + gap)
    return out.tolist()


def draw_error_counts(ax, runs) -> list:
    """Misclassified validation images per epoch (median of the seeds, band: their
    range) on a linear axis, each optimizer's last count written at the right end
    ("3 of 359"). Falls back to :func:`draw_error_curves` (the rate, in %) when the
    run does not say how many validation images it had."""
    runs = _runs(runs)
    n_val = runs[0].meta.get("data", {}).get("n_val")
    if not n_val:
        return draw_error_curves(ax, runs)
    artists = _draw(ax, runs, lambda h: h.val_errors(n_val))
    ax.set_ylim(bottom=0)
    ax.set_ylabel(f"misclassified validation images (of {n_val})")
    ends = []
    for label in [h.label for h in runs[0]]:
        hs = _histories(runs, label)
        med = seed_summary([h.val_errors(n_val) for h in hs])[0]
        finite = np.flatnonzero(np.isfinite(med))
        if len(finite):
            ends.append((float(med[finite[-1]]), int(finite[-1]) + 1, hs[0]))
    bottom, top = ax.get_ylim()
    placed = _spread([e[0] for e in ends], LABEL_GAP * (top - bottom))
    for (value, epoch, h), y in zip(ends, placed):
        t = ax.annotate(
            f"{value:g} of {n_val} wrong",
            xy=(epoch, value),
            xytext=(epoch + 0.25, y),
            textcoords="data",
            va="center",
            fontsize=12,
            color=color(h.optimizer),
            annotation_clip=False,
        )
        t.set_gid("errors")
        artists.append(t)
    return artists


def draw_accuracy_curves(ax, runs, *, train: bool = True) -> list:
    """Validation accuracy (solid) and training accuracy (dashed) per epoch, in %
    (median of the seeds)."""
    runs = _runs(runs)
    artists = _draw(
        ax,
        runs,
        lambda h: 100 * np.asarray(h.val_accuracy, dtype=float),
        train_values_of=(lambda h: 100 * h.train_accuracy) if train else None,
    )
    values = [100 * np.asarray(h.val_accuracy, dtype=float) for r in runs for h in r]
    finite = [float(np.nanmin(v)) for v in values if np.any(np.isfinite(v))]
    ax.set_ylim(max(0.0, min(finite, default=100.0) - 5), 100.5)
    ax.set_ylabel("accuracy (%)")
    return artists


def _subtitle(runs) -> str:
    run = runs[0]
    data = run.meta.get("data", {})
    parts = [str(run.dataset)]
    if "n_train" in data:
        parts.append(f"{data['n_train']} training / {data['n_val']} validation images")
    if "batch_size" in run.meta:
        parts.append(f"batch {run.meta['batch_size']}")
    seeds = [r.seed for r in runs if r.seed is not None]
    if len(runs) > 1:
        parts.append(f"median of {len(runs)} seeds, band: lowest to highest")
    elif seeds:
        parts.append(f"seed {seeds[0]}")
    return ",  ".join(parts)


def curves_figure(runs, *, figsize=(14, 7.875)) -> Figure:
    """Loss (left) and misclassified validation images (right) per epoch, one colour per
    optimizer; over several seeds, the median and the seeds' range.

    Parameters
    ----------
    runs : TrainingRun or sequence of TrainingRun
        One per seed, each with the same optimizers (see
        :func:`optviz.nn.trainer.train_seeds`).
    figsize : (float, float)
        Inches; the default reads well on a slide.

    Returns
    -------
    matplotlib.figure.Figure
        Not attached to pyplot; save it with ``fig.savefig`` or
        :func:`optviz.plot.save_figure`.
    """
    runs = _runs(runs)
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax_loss, ax_err = fig.subplots(1, 2)
        draw_loss_curves(ax_loss, runs)
        draw_error_counts(ax_err, runs)
        ax_loss.set_title("loss", loc="left")
        ax_err.set_title("validation errors: lower is better", loc="left")
        ax_err.legend(loc="upper right", frameon=True, framealpha=0.9, fontsize=12)
        grey = GREY_55
        ax_loss.legend(
            handles=[
                Line2D([], [], color=grey, label="validation", **VAL_STYLE),
                Line2D([], [], color=grey, label="training (epoch mean)", **TRAIN_STYLE),
            ],
            loc="upper right",
            frameon=True,
            framealpha=0.9,
        )
        fig.suptitle(f"Training a small CNN:  {_subtitle(runs)}", fontsize=16)
    return fig
