"""Training curves: loss and accuracy per epoch for every optimizer of a training run.

Drawn from a :class:`~optviz.history.TrainingRun` (or its saved CSV), in the colours
every optviz figure uses for each optimizer. Solid lines are measured on the
validation images after each epoch, dashed lines are the means over the epoch's
training mini-batches.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from ._figure import Figure
from .compare import legend_label
from .style import color, style

__all__ = ["draw_loss_curves", "draw_accuracy_curves", "curves_figure"]

#: Line styles: validation solid, training dashed.
VAL_STYLE = {"linestyle": "-", "marker": "o", "markersize": 4}
TRAIN_STYLE = {"linestyle": "--", "linewidth": 1.4, "alpha": 0.8}


def _label(history) -> str:
    text = legend_label(history)
    return f"{text} (diverged)" if history.diverged else text


def _cross(ax, epochs, values, c):
    """An X at the last finite value of a diverged curve."""
    finite = np.flatnonzero(np.isfinite(values))
    k = finite[-1] if len(finite) else None
    if k is None:
        return None
    (cross,) = ax.plot(epochs[k], values[k], "X", ms=13, mfc=c, mec="black", zorder=5)
    return cross


def draw_loss_curves(ax, run, *, train: bool = True) -> list:
    """Validation loss (solid) and mean training loss (dashed) per epoch, log axis.

    Returns the artists, one or two lines per optimizer (and an X where one diverged).
    """
    artists = []
    for h in run:
        c = color(h.optimizer)
        epochs = np.arange(1, h.epochs + 1)
        (line,) = ax.plot(epochs, h.val_loss, color=c, label=_label(h), **VAL_STYLE)
        artists.append(line)
        if train:
            (dashed,) = ax.plot(epochs, h.train_loss, color=c, **TRAIN_STYLE)
            artists.append(dashed)
        if h.diverged:
            artists.append(_cross(ax, epochs, h.train_loss, c))
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy loss (log)")
    ax.grid(True, which="major", alpha=0.3)
    return [a for a in artists if a is not None]


def draw_accuracy_curves(ax, run, *, train: bool = True) -> list:
    """Validation accuracy (solid) and training accuracy (dashed) per epoch, in %."""
    artists, lowest = [], 100.0
    for h in run:
        c = color(h.optimizer)
        epochs = np.arange(1, h.epochs + 1)
        val = 100 * np.asarray(h.val_accuracy, dtype=float)
        (line,) = ax.plot(epochs, val, color=c, label=_label(h), **VAL_STYLE)
        artists.append(line)
        if train:
            (dashed,) = ax.plot(epochs, 100 * h.train_accuracy, color=c, **TRAIN_STYLE)
            artists.append(dashed)
        if h.diverged:
            artists.append(_cross(ax, epochs, val, c))
        if np.any(np.isfinite(val)):
            lowest = min(lowest, float(np.nanmin(val)))
    ax.set_ylim(max(0.0, lowest - 5), 100.5)
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy (%)")
    ax.grid(True, which="major", alpha=0.3)
    return [a for a in artists if a is not None]


def _subtitle(run) -> str:
    data = run.meta.get("data", {})
    parts = [str(run.dataset)]
    if "n_train" in data:
        parts.append(f"{data['n_train']} training / {data['n_val']} validation images")
    if "batch_size" in run.meta:
        parts.append(f"batch {run.meta['batch_size']}")
    if run.seed is not None:
        parts.append(f"seed {run.seed}")
    return ",  ".join(parts)


def curves_figure(run, *, figsize=(14, 5.8)) -> Figure:
    """Loss (left) and accuracy (right) per epoch, one colour per optimizer.

    Parameters
    ----------
    run : TrainingRun
    figsize : (float, float)
        Inches; the default reads well on a slide.

    Returns
    -------
    matplotlib.figure.Figure
        Not attached to pyplot; save it with ``fig.savefig`` or
        :func:`optviz.plot.save_figure`.
    """
    if len(run) == 0:
        raise ValueError("curves_figure needs a run with at least one optimizer")
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax_loss, ax_acc = fig.subplots(1, 2)
        draw_loss_curves(ax_loss, run)
        draw_accuracy_curves(ax_acc, run)
        ax_loss.set_title("loss", loc="left")
        ax_acc.set_title("accuracy", loc="left")
        optimizers = ax_acc.legend(loc="lower right", frameon=True, framealpha=0.9)
        ax_acc.add_artist(optimizers)
        grey = "#555555"
        ax_loss.legend(
            handles=[
                Line2D([], [], color=grey, label="validation", **VAL_STYLE),
                Line2D([], [], color=grey, label="training (epoch mean)", **TRAIN_STYLE),
            ],
            loc="upper right",
            frameon=True,
            framealpha=0.9,
        )
        for ax in (ax_loss, ax_acc):
            ax.xaxis.get_major_locator().set_params(integer=True)
        fig.suptitle(f"Training a small CNN:  {_subtitle(run)}", fontsize=16)
    return fig
