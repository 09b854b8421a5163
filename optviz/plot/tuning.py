"""The tuning protocol's figures, drawn from a :class:`~optviz.records.Tuned` record
(every number is the record's: :meth:`~optviz.records.Tuned.winners`,
:meth:`~optviz.records.Tuned.choice`, :meth:`~optviz.records.Tuned.profile`).

- :func:`budget_figure`: the winner by budget, a cell per surface and budget coloured
  by the winning optimizer, with its objective's value; an optimizer whose best is at
  an edge of its grid is named under the cell, never as the winner. On one surface, a
  panel above draws every optimizer's objective against the budget (hollow markers at
  an edge).
- :func:`profile_figure`: Dolan and Moré's performance profiles, one panel per budget.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import ScalarFormatter

from ._figure import Figure
from .lr import add_footnote, legend_row
from .style import GREY_DD, GREY_EE, SEPARATOR, color, style, title

__all__ = [
    "budget_figure",
    "profile_figure",
    "draw_winners",
    "draw_budget_lines",
    "draw_profile",
    "value_text",
    "OBJECTIVE_LABELS",
]

#: What the objective's value is, on an axis and in a cell.
OBJECTIVE_LABELS = {
    "steps": "median steps to f - f* < tol",
    "final": "median final f - f*",
    "auc": "median mean log10(f - f*) over the steps",
}
#: A winning cell's colour is its optimizer's, this transparent.
CELL_ALPHA = 0.35


def value_text(objective: str, value: float) -> str:
    """A cell's number: steps as a count (a median may end in .5), a gap in 2
    significant digits, the mean log-gap in 1 decimal."""
    if not math.isfinite(value):
        return "none"
    if objective == "steps":
        return f"{value:g} steps"
    if objective == "final":
        return f"gap {value:.2g}"
    return f"log gap {value:.1f}"


def _edges_at(record, surface: str, budget: int) -> list[str]:
    return [
        s.name
        for s in record
        if s.surface == surface and record.choice(s, budget)["status"] == "edge"
    ]


def draw_winners(ax, record):
    """A cell per surface (row) and budget (column): the winner's name and value on its
    colour, ``tie`` on grey, ``none`` where no optimizer has a best; below, the
    optimizers whose best is at an edge of their grid. Returns the texts drawn."""
    winners = record.winners()
    surfaces, budgets = record.surfaces, record.budgets
    ax.set_xlim(0, len(budgets))
    ax.set_ylim(len(surfaces), 0)
    ax.set_xticks(np.arange(len(budgets)) + 0.5, [str(b) for b in budgets])
    ax.set_yticks(np.arange(len(surfaces)) + 0.5, surfaces)
    ax.set_xlabel("budget (steps per run)")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    texts = []
    for row in winners.itertuples():
        i, j = surfaces.index(row.surface), budgets.index(row.budget)
        if row.winner in ("", "tie"):
            face = GREY_EE if row.winner == "tie" else "white"
            head = (
                "tie: " + ", ".join(title(t) for t in row.tied.split())
                if row.tied
                else "none"
            )
        else:
            opt = record[row.surface, row.winner].optimizer
            face = color(opt)
            head = title(row.winner)
        ax.add_patch(
            Rectangle(
                (j, i),
                1,
                1,
                facecolor=face,
                edgecolor="white",
                lw=2,
                alpha=CELL_ALPHA if row.winner not in ("", "tie") else 1,
            )
        )
        lines = [head]
        if row.winner:
            lines.append(value_text(record.objective, row.value))
        edge = _edges_at(record, row.surface, row.budget)
        if edge:
            lines.append("edge: " + ", ".join(title(e) for e in edge))
        texts.append(
            ax.text(
                j + 0.5,
                i + 0.5,
                "\n".join(lines),
                ha="center",
                va="center",
                fontsize=9 if len(surfaces) > 4 else 12,
            )
        )
    return texts


def draw_budget_lines(ax, record, surface: str):
    """Each optimizer's objective at its tuned setting against the budget (log x), a
    filled marker where it is best, hollow at an edge, none where it failed."""
    ax.set_xscale("log")
    if record.objective in ("steps", "final"):
        ax.set_yscale("log")
    ax.set_xlabel("budget (steps per run, log)")
    ax.set_ylabel(OBJECTIVE_LABELS[record.objective].replace("tol", f"{record.tol:g}"))
    ax.grid(True, which="major", alpha=0.3)
    mine = [s for s in record if s.surface == surface]
    for k, s in enumerate(mine):
        wide = 1 + 0.6 * (len(mine) - 1 - k)  # the first drawn widest: overlaps show
        xs, ys, edge = [], [], []
        for b in record.budgets:
            c = record.choice(s, b)
            if c["index"] is not None:
                xs.append(b)
                ys.append(
                    max(c["value"], 0.5) if record.objective == "steps" else c["value"]
                )
                edge.append(c["status"] == "edge")
        col = color(s.optimizer)
        ax.plot(xs, ys, color=col, lw=1.6 * wide, label=title(s.name), zorder=2 + k)
        for x, y, e in zip(xs, ys, edge):
            ax.plot(
                [x],
                [y],
                "o",
                ms=6 + 3 * wide,
                color=col,
                mfc="white" if e else col,
                mew=2,
                zorder=2 + k,
            )
    ax.set_xticks(record.budgets, [str(b) for b in record.budgets])
    ax.minorticks_off()
    if record.objective == "steps":
        ax.yaxis.set_major_formatter(ScalarFormatter())


def _footnote(record, budget_note: str = "") -> str:
    parts = record.rule_parts()
    return SEPARATOR.join(parts) + (f"\n{budget_note}" if budget_note else "")


def budget_figure(record, *, footnote: str = "") -> Figure:
    """The winner by budget (module docstring)."""
    one = len(record.surfaces) == 1
    n = len(record.surfaces)
    width = max(9.0, 2.2 * len(record.budgets) + 3.5)
    height = (4.5 if one else 0) + 0.5 * n + 2.8
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        if one:
            gs = fig.add_gridspec(3, 1, height_ratios=[0.12, 1, 0.35])
            draw_budget_lines(fig.add_subplot(gs[1]), record, record.surfaces[0])
            handles = [Line2D([], [], color=color(s.optimizer), lw=3) for s in record]
            legend_row(fig.add_subplot(gs[0]), handles, [title(s.name) for s in record])
            draw_winners(fig.add_subplot(gs[2]), record)
        else:
            draw_winners(fig.add_subplot(1, 1, 1), record)
        fig.suptitle(
            "Who wins at which budget, each optimizer at its own tuned settings",
            fontsize=16,
        )
        add_footnote(fig, footnote or _footnote(record, _edge_note()))
    return fig


def _edge_note() -> str:
    return (
        "edge: its best setting is at an end of the widened grid, so it is not called best"
    )


def draw_profile(ax, record, budget: int, taus=None):
    """Each optimizer's performance profile at ``budget``: the fraction of surfaces on
    which its cost is within a factor τ of the best optimizer's (step curves)."""
    prof = record.profile(budget, taus=record.profile_taus() if taus is None else taus)
    tau = prof["tau"]
    ax.set_xscale("log")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(1, tau[-1])
    ax.grid(True, which="major", alpha=0.3)
    ax.set_title(f"budget {budget} steps", fontsize=13)
    ax.set_xlabel(r"$\tau$ (log)")
    ticks = [t for t in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if t <= tau[-1]]
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.minorticks_off()
    lines = []
    for s_name in record.names:
        opt = next(s.optimizer for s in record if s.name == s_name)
        lines += ax.step(tau, prof[s_name], where="post", color=color(opt), lw=2.2)
    ax.axhline(1.0, color=GREY_DD, lw=1, zorder=0)
    return lines


def profile_figure(record, *, footnote: str = "") -> Figure:
    """Performance profiles (Dolan and Moré 2002), one panel per budget."""
    budgets = record.budgets
    with style():
        fig = Figure(figsize=(max(9.0, 3.6 * len(budgets)), 5.6), layout="constrained")
        gs = fig.add_gridspec(2, len(budgets), height_ratios=[0.12, 1])
        first, taus = None, record.profile_taus()
        for j, b in enumerate(budgets):
            ax = fig.add_subplot(gs[1, j], sharey=first)
            first = first or ax
            draw_profile(ax, record, b, taus)
            if j == 0:
                ax.set_ylabel(f"fraction of the {len(record.surfaces)} surfaces")
            else:
                ax.tick_params(labelleft=False)
        kinds = {s.name: s.optimizer for s in record}
        handles = [Line2D([], [], color=color(kinds[n]), lw=3) for n in record.names]
        legend_row(fig.add_subplot(gs[0, :]), handles, [title(n) for n in record.names])
        fig.suptitle(
            "Performance profiles: on what fraction of the surfaces is each optimizer "
            "within a factor τ of the best?",
            fontsize=15,
        )
        cost = {
            "steps": "steps to f - f* < tol (unsolved: never)",
            "final": "the final f - f*",
            "auc": "10^(mean log10 f - f*)",
        }[record.objective].replace("tol", f"{record.tol:g}")
        note = f"cost per surface: {cost}, each optimizer at its tuned setting"
        add_footnote(fig, footnote or _footnote(record, note))
        for ax in fig.axes:
            ax.spines[["top", "right"]].set_visible(False)
    return fig
