r"""The update rules as figures: ``update-rules`` and ``explain-step``.

:func:`update_rules_figure` sets the five rules side by side in the notes' notation,
each with what it adds to the one before, and says where the notes are wrong (Adagrad's
``r`` is a sum; Adam's defaults are 0.9/0.999), from an update-rules lesson
(:func:`optviz.lessons.rules.update_rules`: each class's ``rule``, ``idea`` and declared
defaults).

:func:`explain_step_figure` draws an explain-step lesson
(:func:`optviz.explain.step_lesson`: each optimizer's step at t = 1 and a later t) as
displacements on one scale (``−αg``, ``v``, ``−αŝ``, the step ``Δw``) with the record's
numbers. Nothing here steps an optimizer.

Both are drawn in English; :func:`optviz.plot.i18n.localize` turns them into Chinese
(their sentences are in ``locale/zh/rules.json``).
"""

from __future__ import annotations

import numpy as np

from ._figure import Figure
from .contours import draw_surface
from .style import BLACK, GREY_55, ORANGE, SKY_BLUE, WRONG_RED, color, style, title

__all__ = [
    "update_rules_figure",
    "explain_step_figure",
    "steps_of",
]


#: The colour of a note saying where the notes are wrong.
NOTES_WRONG = WRONG_RED
FOOT = (
    "notation of the notes: g gradient, α learning rate, β momentum factor, v velocity, "
    "r second moment, s first moment, ρ decay rate, δ small constant, t step count"
)


def update_rules_figure(lesson, *, figsize=(16, 9)) -> Figure:
    """The update rules of ``lesson`` (:func:`optviz.lessons.rules.update_rules`), one
    row each, with what each adds to the one before."""
    rules = [
        (p.label, *(p.facts[k] for k in ("equations", "adds", "defaults", "remark")))
        for p in lesson.panels
    ]
    with style():
        fig = Figure(figsize=figsize)
        fig.suptitle("Five update rules, each adding one idea to the one before")
        heights = [_height(eqs, remark) for _, eqs, _, _, remark in rules]
        top, bottom = 0.9, 0.06
        unit = (top - bottom) / sum(heights)
        y = top
        for name, eqs, adds, defaults, remark in rules:
            h = _height(eqs, remark) * unit
            fig.add_artist(_rule_line(fig, y - h + 0.15 * unit))
            fig.text(0.03, y - 0.5 * unit, title(name), color=color(name), size=17,
                     weight="bold", va="center")  # fmt: skip
            at = 0.0
            for eq in eqs:  # a fraction is taller than a line
                tall = _line_height(eq)
                fig.text(0.17, y - (at + tall / 2) * unit, eq, size=16, va="center")
                at += tall
            fig.text(0.45, y - 0.2 * unit, adds, size=13, va="top", wrap=True)
            fig.text(0.45, y - h + 0.3 * unit, defaults, size=13, va="bottom",
                     color="0.3")  # fmt: skip
            if remark:
                fig.text(0.45, y - h + 0.95 * unit, remark, size=13, va="bottom",
                         color=NOTES_WRONG, wrap=True)  # fmt: skip
            y -= h
        fig.text(0.03, 0.025, FOOT, size=12, color="0.35")
    return fig


def _height(eqs, remark: str) -> float:
    """A row's height in equation lines: its equations (two at least, for the idea's
    words), its defaults and, where there is one, the remark."""
    return max(2, sum(_line_height(eq) for eq in eqs)) + (2.0 if remark else 1.0)


def _line_height(eq: str) -> float:
    return 1.7 if "frac" in eq else 1.3 if "^t" in eq else 1.0


def _rule_line(fig, y):
    from matplotlib.lines import Line2D

    return Line2D([0.03, 0.97], [y, y], transform=fig.transFigure, color="0.8", lw=1)


# -- one step, explained ------------------------------------------------------------
def _num(x: float) -> str:
    text = f"{x:.3g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        return rf"{mantissa}\times 10^{{{int(exp)}}}"
    return "0" if text == "-0" else text


def _vec(v) -> str:
    return r"\left(" + ",\\ ".join(_num(float(x)) for x in v) + r"\right)"


class _Step:
    """One step of a lesson's panel (:func:`optviz.explain.one_step`), read as the
    equations' filler reads it: ``w``, ``g``, ``w_new``, ``step``, the state
    ``before`` and ``after``, ``t``, ``rule``, ``symbols``, ``hyper``."""

    def __init__(self, panel):
        a, f = panel.arrays, panel.facts
        self.name, self.t, self.hyper = f["optimizer"], f["t"], f["hyper"]
        self.rule, self.symbols = tuple(f["rule"]), f["symbols"]
        self.w, self.g, self.w_new, self.step = a["w"], a["g"], a["w_new"], a["step"]
        self.effective_lr, self.path = a["effective_lr"], a["path"]
        self.before = {k[7:]: v for k, v in a.items() if k.startswith("before_")}
        self.after = {k[6:]: v for k, v in a.items() if k.startswith("after_")}


def steps_of(lesson) -> list[_Step]:
    """The steps an explain-step lesson holds, in its order."""
    return [_Step(p) for p in lesson.panels]


#: The arrows of each cell, all displacements on one scale: (what, colour, width,
#: label). -αg is where SGD at the optimizer's α would go; drawn first, wide and light,
#: so that -αŝ (equal to it at t = 1) lies on it without hiding it.
VECTORS = {
    "g": (GREY_55, 6, r"$-\alpha g$ (the plain gradient step at this $\alpha$)"),
    "v": (ORANGE, 3.5, "velocity $v$"),
    "s_hat": (SKY_BLUE, 2, r"$-\alpha\hat s$ (bias-corrected first moment)"),
    "step": (BLACK, 2, r"the step $\Delta w$"),
}


def _vectors(rec) -> dict:
    lr = rec.hyper["lr"]
    vecs = {"g": -lr * rec.g, "step": rec.step}
    if "v" in rec.after:
        vecs["v"] = rec.after["v"]
    if "s_hat" in rec.after:
        vecs["s_hat"] = -lr * rec.after["s_hat"]
    return vecs


def _arrows(ax, rec, half: float):
    """The cell's arrows from w, on the scale of a window ``half`` wide each way."""
    vecs = _vectors(rec)
    for key in ("g", "v", "s_hat", "step"):
        if key not in vecs:
            continue
        c, lw, label = VECTORS[key]
        ax.annotate(
            "", xy=rec.w + vecs[key], xytext=rec.w,
            arrowprops={"arrowstyle": "-|>", "color": c, "lw": lw, "shrinkA": 0,
                        "shrinkB": 0, "mutation_scale": 10 + lw},
        )  # fmt: skip
        ax.plot([], [], color=c, lw=max(lw, 2), label=label)
    ax.set_xlim(rec.w[0] - half, rec.w[0] + half)
    ax.set_ylim(rec.w[1] - half, rec.w[1] + half)
    ax.set_aspect("equal")
    ax.plot(*rec.w, "o", color=BLACK, ms=5, zorder=5)


class _Window:
    """A surface seen through a square window (draw_surface draws over a domain)."""

    def __init__(self, surface, centre, half):
        self._surface = surface
        self.domain = (
            (centre[0] - half, centre[0] + half),
            (centre[1] - half, centre[1] + half),
        )

    def __getattr__(self, name):
        return getattr(self._surface, name)


def _cell_lines(rec, length: float) -> list[str]:
    """The numbers under a cell: the step, its ``length`` (the record's) and what
    makes it (v, ŝ, the rate)."""
    lines = [rf"$\Delta w = {_vec(rec.step)}$", rf"$|\Delta w| = {_num(length)}$"]
    if "v" in rec.after:
        lines.append(rf"$v = {_vec(rec.after['v'])}$")
    elif "s_hat" in rec.after:
        lines.append(rf"$\hat s = {_vec(rec.after['s_hat'])}$")
    elif not np.allclose(rec.effective_lr, rec.hyper["lr"]):
        lines.append(rf"$\alpha_{{\mathrm{{eff}}}} = {_vec(rec.effective_lr)}$")
    else:
        lines.append(rf"$g = {_vec(rec.g)}$")
    return lines


#: What each row says, filled from the lesson's numbers (its claims,
#: :func:`optviz.explain.explain_step_claims`, hold them to the record).
FIRST_ROW = (
    "t = 1: momentum's v is SGD's step −αg and Adam's ŝ is g; every adaptive step is "
    "sign-like: Adagrad and Adam move α, RMSprop α/√(1 − ρ), in each coordinate"
)
LATER_ROW = (
    "t = {t}: the methods differ: momentum's step is now longer than SGD's, Adam's "
    "longer than Adagrad's (|Δw| under each)"
)
RMSPROP_NOTE = (
    "RMSprop with ρ = 0.99 still follows Adagrad: its r ≈ (1 − ρ)Σg² while ρᵗ ≈ 1, "
    "and α/√(1 − ρ) is Adagrad's α"
)


def explain_step_figure(surface, lesson, *, figsize=(16, 9)) -> Figure:
    """Each optimizer's step at t = 1 and at a later t (one column each, one row per
    t), drawn as displacements on one scale over the surface and written out: an
    explain-step ``lesson`` (:func:`optviz.explain.step_lesson`)."""
    steps = steps_of(lesson)
    names = list(dict.fromkeys(rec.name for rec in steps))
    ts = sorted({rec.t for rec in steps})
    longest = max(float(np.hypot(*v)) for rec in steps for v in _vectors(rec).values())
    half = 1.15 * longest
    start = lesson.settings["start"]
    with style():
        fig = Figure(figsize=figsize)
        fig.suptitle(
            f"One step of each optimizer, at t = 1 and t = {ts[-1]}, from "
            f"w = ({start[0]:g}, {start[1]:g}) on {surface.title}: "
            f"$f(x, y) = {surface.latex}$",
            y=0.975,
        )
        grid = fig.add_gridspec(len(ts), len(names), left=0.07, right=0.97,
                                top=0.87, bottom=0.27, hspace=0.75, wspace=0.3)  # fmt: skip
        handles = {}
        for rec in steps:
            row, col = ts.index(rec.t), names.index(rec.name)
            ax = fig.add_subplot(grid[row, col])
            draw_surface(ax, _Window(surface, rec.w, half), lines=True)
            _arrows(ax, rec, half)
            handles.update(zip(*reversed(ax.get_legend_handles_labels())))
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel("")
            ax.set_ylabel("")
            if row == 0:
                ax.set_title(title(rec.name), color=color(rec.name), weight="bold")
            if col == 0:
                ax.text(-0.12, 0.5, f"t = {rec.t}", transform=ax.transAxes, size=16,
                        rotation=90, ha="center", va="center")  # fmt: skip
            length = lesson.settings["lengths"][str(rec.t)][rec.name]
            for i, line in enumerate(_cell_lines(rec, length)):
                ax.text(0.5, -0.04 - 0.14 * i, line, transform=ax.transAxes, size=13,
                        ha="center", va="top")  # fmt: skip
        notes = [FIRST_ROW, LATER_ROW.format(t=ts[-1])]
        if {"adagrad", "rmsprop"} <= set(names):
            notes.append(RMSPROP_NOTE)
        for i, note in enumerate(notes):
            fig.text(0.03, 0.145 - 0.04 * i, note, size=13, color="0.25")
        order = [VECTORS[k][2] for k in ("g", "v", "s_hat", "step")]
        labels = [label for label in order if label in handles]
        fig.legend([handles[label] for label in labels], labels, loc="lower center",
                   ncols=len(labels), frameon=False, bbox_to_anchor=(0.5, 0.0))  # fmt: skip
    return fig
