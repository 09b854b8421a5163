"""The CNN sweep's "winner by epoch": each optimizer at its best configuration after
each epoch, drawn from the leaderboard table (:func:`optviz.cnn_tuning.cnn_leaderboard`,
computed from a :class:`~optviz.records.CnnSweep`): one line per optimizer (hollow
markers where its best sits at an end of a grid, "edge", never called best), and
above them a cell per epoch naming the winner (a tie on grey, "none" on white)."""

from __future__ import annotations

from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ._figure import Figure
from .lr import add_footnote, legend_row
from .style import GREY_EE, color, style, title

__all__ = ["winner_by_epoch_figure", "draw_epoch_lines", "draw_epoch_winners"]

#: What the value is, by the sweep's criterion.
CRITERION_LABELS = {
    "val_accuracy": "mean validation accuracy (best configuration)",
    "val_loss": "mean validation loss (best configuration)",
}
#: A winning cell's colour is its optimizer's, this transparent.
CELL_ALPHA = 0.35


def draw_epoch_lines(ax, board):
    """Each optimizer's best value after each epoch; hollow markers at an edge."""
    lines = []
    for name, rows in board.groupby("optimizer", sort=False):
        c = color(name)
        lines += ax.plot(rows.epoch, rows.value, color=c, lw=2.2)
        for status, face in (("best", c), ("edge", "white")):
            at = rows[rows.status == status]
            lines += ax.plot(at.epoch, at.value, "o", color=c, mfc=face, mew=2, ms=8)
    ax.set_xlabel("epoch")
    ax.set_ylabel(CRITERION_LABELS[board.criterion.iloc[0]])
    epochs = sorted(board.epoch.unique())
    ax.set_xticks(epochs, [str(e) for e in epochs])
    ax.grid(True, alpha=0.3)
    return lines


def draw_epoch_winners(ax, board):
    """A cell per epoch: the winner's name on its colour, ``tie`` on grey, ``none``
    on white. Returns the texts drawn."""
    epochs = sorted(board.epoch.unique())
    ax.set_xlim(epochs[0] - 0.5, epochs[-1] + 0.5)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    texts = []
    for e in epochs:
        win = board[(board.epoch == e) & board.winner]
        if win.empty:
            face, alpha, text = "white", 1.0, "none:\nevery best\nat an edge"
        elif len(win) > 1:
            face, alpha = GREY_EE, 1.0
            text = "tie:\n" + "\n".join(title(n) for n in win.optimizer)
        else:
            name = str(win.optimizer.iloc[0])
            face, alpha, text = color(name), CELL_ALPHA, title(name)
        ax.add_patch(
            Rectangle((e - 0.5, 0), 1, 1, facecolor=face, edgecolor="white", lw=2,
                      alpha=alpha)
        )  # fmt: skip
        texts.append(ax.text(e, 0.5, text, ha="center", va="center", fontsize=10))
    return texts


def winner_by_epoch_figure(board, *, footnote: str = "") -> Figure:
    """Who wins after how many epochs (module docstring)."""
    names = list(dict.fromkeys(board.optimizer))
    width = max(9.0, 0.9 * board.epoch.nunique() + 4)
    with style():
        fig = Figure(figsize=(width, 7.0), layout="constrained")
        gs = fig.add_gridspec(3, 1, height_ratios=[0.1, 0.22, 1])
        handles = [Line2D([], [], color=color(n), lw=3) for n in names]
        legend_row(fig.add_subplot(gs[0]), handles, [title(n) for n in names])
        draw_epoch_winners(fig.add_subplot(gs[1]), board)
        draw_epoch_lines(fig.add_subplot(gs[2]), board)
        fig.suptitle(
            "Who wins after how many epochs, each optimizer at its best α (and β or ρ)",
            fontsize=15,
        )
        if footnote:
            add_footnote(fig, footnote)
    return fig
