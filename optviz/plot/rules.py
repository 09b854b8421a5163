r"""The update rules as figures: ``update-rules`` and ``explain-step``.

:func:`update_rules_figure` sets the five rules side by side in the notes' notation,
each with what it adds to the one before, and says where the notes are wrong (Adagrad's
``r`` is a sum; Adam's defaults are 0.9/0.999). The equations are each class's
``rule`` and the defaults its declared ones (:class:`~optviz.optimizers.Adam`).

:func:`explain_step_figure` draws records of one step of each optimizer
(:func:`optviz.explain.explain_steps`) as vectors (``g``, ``v``, ``ŝ``, the step
``Δw``) with every equation filled in with the record's numbers. Nothing here steps an
optimizer.

Both are drawn in English; :func:`optviz.plot.i18n.localize` turns them into Chinese
(their sentences are in ``locale/zh/rules.json``).
"""

from __future__ import annotations

import re

import numpy as np

from ..optimizers import DEFAULT_OPTIMIZERS, OPTIMIZERS
from ._figure import Figure
from .contours import draw_surface
from .style import BLACK, GREY_55, ORANGE, SKY_BLUE, WRONG_RED, color, style, title

__all__ = [
    "RULES",
    "update_rules_figure",
    "explain_step_figure",
    "equations",
]


def _defaults(cls) -> str:
    """``defaults: α = 0.01, ρ = 0.99, δ = 1e-08``: each numeric hyper-parameter of
    ``cls`` that has a symbol of the notes, at its declared default (zeros left out:
    an option that is off)."""
    parts = []
    for key, spec in cls.hyper.items():
        value = cls.defaults[key]
        pairs = (
            zip(spec.symbol, value)
            if isinstance(spec.symbol, tuple)
            else [(spec.symbol, value)]
        )
        for sym, v in pairs:
            if sym and isinstance(v, (int, float)) and not isinstance(v, bool) and v:
                parts.append(f"{sym.translate(_SUBSCRIPTS)} = {v:g}")
    return "defaults: " + ", ".join(parts)


_SUBSCRIPTS = str.maketrans("₁₂", "12")


def _rules() -> list[tuple[str, list[str], str, str, str]]:
    """(name, equations, what it adds, a note) for each of the five, in the notes'
    order, all from the class: its ``rule``, its ``idea``, its declared defaults and
    its ``remark`` where that says where the notes are wrong."""
    out = []
    for name in DEFAULT_OPTIMIZERS:
        cls = OPTIMIZERS[name]
        remark = cls.remark.format(**cls.defaults)
        remark = remark if "notes" in remark else ""
        eqs = [f"${line}$" for line in cls.rule]
        out.append((name, eqs, cls.idea, _defaults(cls), remark))
    return out


#: The rules as drawn: (optimizer, equations, what it adds, defaults, where the notes
#: are wrong).
RULES = _rules()
#: The colour of a note saying where the notes are wrong.
NOTES_WRONG = WRONG_RED
FOOT = (
    "notation of the notes: g gradient, α learning rate, β momentum factor, v velocity, "
    "r second moment, s first moment, ρ decay rate, δ small constant, t step count"
)


def update_rules_figure(*, figsize=(16, 9)) -> Figure:
    """The five update rules, one row each, with what each adds to the one before."""
    with style():
        fig = Figure(figsize=figsize)
        fig.suptitle("Five update rules, each adding one idea to the one before")
        heights = [_height(eqs, remark) for _, eqs, _, _, remark in RULES]
        top, bottom = 0.9, 0.06
        unit = (top - bottom) / sum(heights)
        y = top
        for name, eqs, adds, defaults, remark in RULES:
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


#: One symbol of a rule's LaTeX: a group drawn as it is (\\mathrm{sign}), a hatted
#: letter, a command (with a subscript: \\rho_1) or a letter of its own.
_TOKEN = re.compile(
    r"\\(?:mathrm|text|operatorname)\{[^{}]*\}"
    r"|\\hat\s*(?:\{(?P<hat1>[a-zA-Z])\}|(?P<hat2>[a-zA-Z]))"
    r"|(?P<cmd>\\[a-zA-Z]+(?:_\{?\d\}?)?)"
    r"|(?P<letter>[a-zA-Z])"
)


class _Filler:
    """A rule's symbols replaced by the record's numbers, line after line: a state
    symbol is its value before the step until a line has updated it, after since."""

    def __init__(self, rec):
        self.rec, self.done = rec, set()

    def value(self, name: str) -> str | None:
        rec = self.rec
        if name == "g":
            return _vec(rec.g)
        if name == "w":
            return _vec(rec.w_new if "w" in self.done else rec.w)
        if name == "t":
            return f"{{{rec.t}}}"
        if name in rec.after and name in rec.before:
            return _vec(rec.after[name] if name in self.done else rec.before[name])
        if name in rec.after:  # s_hat, r_hat
            return _vec(rec.after[name])
        return None

    def fill(self, latex: str) -> str:
        out, last, filled_before = [], 0, False
        for m in _TOKEN.finditer(latex):
            name = m["hat1"] or m["hat2"]
            name = f"{name}_hat" if name else (m["letter"] or m["cmd"])
            number = self.rec.symbols.get(name)
            text = _num(number) if number is not None else self.value(name or "")
            raw = latex[last : m.start()]
            if text is not None and filled_before and not raw.strip(" ,\\"):
                raw = r"\cdot"  # a product of two numbers, shown
            elif text is not None and raw.endswith(r"\, "):
                raw = raw[:-3] + r"\cdot"
            out += [raw, text if text is not None else m[0]]
            filled_before = text is not None
            last = m.end()
        return "".join(out) + latex[last:]

    def line(self, latex: str) -> str:
        """``X ← E = E(numbers) = X`` (or ``Y = E = ... = Y`` for each definition)."""
        if r"\leftarrow" in latex:
            lhs, rhs = (part.strip() for part in latex.split(r"\leftarrow", 1))
            filled = self.fill(rhs)
            self.done.add(lhs)
            result = self.value(lhs)
            tail = f" = {result}" if result is not None else ""
            return f"${lhs} \\leftarrow {rhs} = {filled}{tail}$"
        parts = []
        for part in re.split(r",?\s*\\quad\s*", latex):
            lhs, _, rhs = part.partition("=")
            m = _TOKEN.fullmatch(lhs.strip())
            hat = m["hat1"] or m["hat2"] if m else None
            result = self.value(f"{hat}_hat") if hat else None
            tail = f" = {result}" if result is not None else ""
            parts.append(f"{part.strip()} = {self.fill(rhs.strip())}{tail}")
        return "$" + r", \quad ".join(parts) + "$"


def equations(rec) -> list[str]:
    """The rule of ``rec``'s optimizer (its class's ``rule``), every symbol replaced by
    the record's number, each line ending in the value it gives."""
    w = _vec(rec.w)
    lines = [rf"$g = \nabla f(w) = \nabla f{w} = {_vec(rec.g)}$"]
    filler = _Filler(rec)
    lines += [filler.line(line) for line in rec.rule]
    if not np.allclose(rec.effective_lr, rec.hyper["lr"]):
        lines.append(rf"$\alpha_{{\mathrm{{eff}}}} = {_vec(rec.effective_lr)}$")
    return lines


#: The vectors each optimizer's panel shows: (what, colour, label).
VECTORS = {
    "g": (GREY_55, "gradient $g$ (drawn as $-g$, downhill)"),
    "v": (ORANGE, "velocity $v$"),
    "s_hat": (SKY_BLUE, r"$-\hat s$ (bias-corrected first moment)"),
    "step": (BLACK, r"the step $\Delta w$"),
}


def _arrows(ax, rec):
    """-g, v, -s_hat and the step from w, on one scale: the longest fills the panel."""
    vecs = {"g": -rec.g, "step": rec.step}
    if "v" in rec.after:
        vecs["v"] = rec.after["v"]
    if "s_hat" in rec.after:
        vecs["s_hat"] = -rec.after["s_hat"]
    # -g and -s_hat are not displacements: drawn at the length of the step's scale
    longest = max(float(np.hypot(*v)) for k, v in vecs.items() if k in ("step", "v"))
    for key in ("g", "s_hat"):
        if key in vecs:
            n = float(np.hypot(*vecs[key]))
            vecs[key] = vecs[key] / n * longest * 1.3 if n > 0 else vecs[key]
    for key in ("g", "s_hat", "v", "step"):
        if key not in vecs:
            continue
        c, label = VECTORS[key]
        ax.annotate(
            "", xy=rec.w + vecs[key], xytext=rec.w,
            arrowprops={"arrowstyle": "-|>", "color": c, "lw": 5 if key == "v" else 2,
                        "shrinkA": 0, "shrinkB": 0, "mutation_scale": 16},
        )  # fmt: skip
        ax.plot([], [], color=c, lw=2, label=label)
    reach = 1.45 * longest
    ax.set_xlim(rec.w[0] - reach, rec.w[0] + reach)
    ax.set_ylim(rec.w[1] - reach, rec.w[1] + reach)
    ax.set_aspect("equal")
    ax.plot(*rec.w, "o", color="k", ms=5, zorder=5)


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


def explain_step_figure(surface, records, *, figsize=(13, 17)) -> Figure:
    """One step of each optimizer, drawn and written out: ``records`` from
    :func:`optviz.explain.explain_steps` (all from one point of ``surface``)."""
    point = records[0].w
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        fig.suptitle(
            f"One step of each optimizer from w = ({point[0]:g}, {point[1]:g}) on "
            f"{surface.title}\n$f(x, y) = {surface.latex}$"
        )
        rows = fig.subfigures(len(records), 1)
        handles = {}
        for sub, rec in zip(np.atleast_1d(rows), records):
            ax, text = sub.subplots(1, 2, width_ratios=[1, 3.4])
            reach = 1.45 * max(float(np.hypot(*rec.step)), 1e-12)
            draw_surface(ax, _Window(surface, rec.w, 3 * reach), lines=True)
            _arrows(ax, rec)
            handles.update(zip(*reversed(ax.get_legend_handles_labels())))
            ax.set_title(title(rec.name), color=color(rec.name), weight="bold", loc="left")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel("")
            ax.set_ylabel("")
            text.axis("off")
            lesson = OPTIMIZERS[rec.name].first_step  # what its first step teaches
            text.set_title(lesson, loc="left", size=13, color="0.3")
            lines = equations(rec)
            for i, line in enumerate(lines):
                y = 1 - (i + 0.5) / max(len(lines), 6)
                text.text(0, y, line, va="center", size=14, transform=text.transAxes)
        order = [VECTORS[k][1] for k in ("g", "v", "s_hat", "step")]
        labels = [label for label in order if label in handles]
        fig.legend([handles[label] for label in labels], labels, loc="outside lower center",
                   ncols=len(labels), frameon=False)  # fmt: skip
    return fig
