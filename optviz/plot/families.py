"""The optimizer families as one chart: a row per optimizer, a column per idea
(:data:`optviz.optimizers.ideas.IDEAS`), a large mark where the optimizer adds the idea
to the one it builds on, a small one where it has it from there; drawn from an
optimizer-families lesson (:func:`optviz.lessons.families.optimizer_families`) alone.
Drawn in English; :func:`optviz.plot.i18n.localize` turns it into Chinese
(``locale/zh/families.json``)."""

from __future__ import annotations

import numpy as np

from ._figure import Figure
from .style import GREY_55, GREY_DD, color, style, title

__all__ = ["optimizer_families_figure"]

TITLE = "Which optimizer adds which idea to which"
ADDS = "adds it to the one it builds on"
HAS = "has it from the one it builds on"
BUILDS_ON = "builds on"
TEXT = 14  # pt: 23 px at 1920 px wide
#: Column headers on two lines where one would crowd the next column.
HEADERS = {
    "per-coordinate scaling": "per-coordinate\nscaling",
    "factored second moment": "factored\nsecond moment",
    "distance estimate": "distance\nestimate",
    "bias correction": "bias\ncorrection",
    "decoupled decay": "decoupled\ndecay",
}


def optimizer_families_figure(lesson, *, figsize=(16, 9)) -> Figure:
    """The families chart of ``lesson``: rows in the lesson's order, top to bottom."""
    ideas = lesson.settings["ideas"]
    rows = lesson.panels
    with style():
        fig = Figure(figsize=figsize)
        fig.suptitle(TITLE, size=20, y=0.975)
        ax = fig.add_axes((0.17, 0.09, 0.64, 0.64))
        for y, p in enumerate(rows):
            has = np.flatnonzero(p.arrays["has"])
            adds = [i for i in has if ideas[i] in p.facts["adds"]]
            kept = [i for i in has if ideas[i] not in p.facts["adds"]]
            ax.scatter(adds, [y] * len(adds), s=170, color=color(p.label), zorder=3)
            ax.scatter(kept, [y] * len(kept), s=40, color=GREY_55, zorder=3)
            parent = p.facts["builds_on"]
            ax.text(1.02, y, title(parent) if parent else "—", size=TEXT,
                    transform=ax.get_yaxis_transform(), va="center",
                    color=color(parent) if parent else GREY_55)  # fmt: skip
        ax.set_xlim(-0.5, len(ideas) - 0.5)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        for x, idea in enumerate(ideas):  # texts, not tick labels: localize sees them
            head = HEADERS.get(idea, idea)
            top = ax.get_xaxis_transform()
            ax.text(x, 1.01, head, rotation=90, size=TEXT, ha="center", va="bottom",
                    transform=top)  # fmt: skip
        for y, p in enumerate(rows):
            left = ax.get_yaxis_transform()
            ax.text(-0.01, y, title(p.label), size=TEXT, ha="right", va="center",
                    color=color(p.label), transform=left)  # fmt: skip
        ax.set_xticks([])
        ax.set_yticks([])
        ax.tick_params(which="both", length=0)
        ax.set_xticks(np.arange(len(ideas) + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(len(rows) + 1) - 0.5, minor=True)
        ax.grid(which="minor", color=GREY_DD, lw=0.8)
        ax.grid(which="major", visible=False)
        for side in ax.spines.values():
            side.set_visible(False)
        ax.text(1.02, 1.0, BUILDS_ON, size=TEXT, transform=ax.transAxes, va="bottom",
                weight="bold")  # fmt: skip
        _key(fig)
    return fig


def _key(fig) -> None:
    """What the two marks mean, under the chart."""
    from matplotlib.lines import Line2D

    marks = [
        Line2D([], [], ls="", marker="o", ms=13, color=GREY_55, label=ADDS),
        Line2D([], [], ls="", marker="o", ms=6, color=GREY_55, label=HAS),
    ]
    fig.legend(handles=marks, loc="lower center", ncol=2, fontsize=TEXT,
               frameon=False, bbox_to_anchor=(0.45, 0.0))  # fmt: skip
