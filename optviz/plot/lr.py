r"""Why each optimizer changes its step: the learning-rate figure.

Six panels over the steps of one single-start :class:`~optviz.records.Run` recorded with
``record_state=True``:

- the effective learning rate each coordinate got: :math:`\alpha` for SGD and
  momentum, :math:`\alpha/(\sqrt r + \delta)` for Adagrad and RMSprop,
  :math:`\alpha/(\sqrt{\hat r} + \delta)` for Adam (the factor multiplying
  :math:`\hat s`);
- the step length :math:`\lVert\Delta w\rVert`;
- the loss :math:`f - f^*`;
- ``r``, the squared-gradient memory (Adagrad's grows for ever, RMSprop's and Adam's
  forget);
- the first moments: momentum's velocity ``v`` and Adam's ``s`` (their norms);
- Adam's bias-correction divisors :math:`1-\rho_1^t` and :math:`1-\rho_2^t`, for the
  optimizers whose record holds them (``divisors``: a class with Adam's
  ``bias_corrections``; not Lion, not Prodigy);
- a third row, when the run holds them, of what the newer optimizers keep inside
  (:mod:`optviz.plot.inner_state`).

Where two coordinates differ, the line is their geometric mean and the band the range
between them. Variants of one optimizer (``adam`` and ``adam:bias_correction=false``)
share its colour and differ in line style.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.lines import Line2D

from ._figure import Figure
from .compare import legend_label
from .contours import gap
from .curves import draw_lr, loss_axis, lr_axis
from .inner_state import draw_inner_panel, inner_keys
from .layout import arrow_spots, layout_of
from .style import SEPARATOR, color_of, shaded, style, title

__all__ = [
    "lr_figure",
    "variant_styles",
    "draw_band",
    "legend_row",
    "short_label",
    "add_footnote",
    "LINESTYLES",
]

#: Line styles telling apart variants of one optimizer, in order of appearance.
LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)))
#: For a line that coincides with one drawn before it (SGD and momentum at one α).
COINCIDENT = (0, (4, 4))
BAND_ALPHA = 0.18
#: Height of the legend row relative to a panel row.
LEGEND_ROW = 0.07
MAX_LEGEND_COLUMNS = 5
#: Legend labels wrap at this many characters.
LABEL_WIDTH = 42
FOOTNOTE_SIZE = 12


def variant_styles(run) -> dict[str, object]:
    """A line style per trajectory label: the first of each optimizer solid, its
    further variants dashed, dotted, ..."""
    seen: dict[str, int] = {}
    out = {}
    for traj in run:
        i = seen.get(traj.optimizer, 0)
        seen[traj.optimizer] = i + 1
        out[traj.label] = LINESTYLES[i % len(LINESTYLES)]
    return out


def draw_band(ax, steps, values, *, c, ls="-", label=None):
    """A ``(T, 2)`` positive series: geometric mean of the two coordinates as a line,
    the range between them shaded (one line where they agree)."""
    values = np.asarray(values, dtype=float)
    a, b = values[..., 0], values[..., 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        if np.allclose(a, b, rtol=1e-12, equal_nan=True):
            return ax.plot(steps, a, color=c, ls=ls, label=label)
        mean = np.sqrt(a * b)
    return [
        ax.fill_between(
            steps, np.fmin(a, b), np.fmax(a, b), color=c, alpha=BAND_ALPHA, lw=0
        ),
        *ax.plot(steps, mean, color=c, ls=ls, label=label),
    ]


def short_label(traj, width: int = LABEL_WIDTH) -> str:
    """A legend label that fits a slide: ``Adam  α=0.05``, with every setting that
    differs from the defaults (a schedule in words); a long one on two lines, the
    name above its settings (each line translated on its own)."""
    text = legend_label(traj)
    head, sep, rest = text.partition("  ")
    if len(text) <= width or not sep:
        return text
    return f"{head}\n{rest}"


def _empty(ax, text):
    """A panel with nothing to draw: say why, without empty axes."""
    ax.set_yscale("linear")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=13,
        color="0.4",
        wrap=True,
    )


def _log_axis(ax, ylabel):
    ax.set_xlabel("step t")
    ax.set_ylabel(f"{ylabel} (log)")
    ax.set_yscale("log")
    ax.grid(True, which="major", alpha=0.3)


def lr_figure(surface, run, *, footnote: str | None = None, figsize=(16, 9)) -> Figure:
    """The learning-rate figure of a single-start ``run`` on ``surface`` (module doc).

    ``run`` must come from ``run_surface(..., record_state=True)`` for the state panels
    (without it they say so). ``footnote`` is printed under the panels (steps, start,
    how the learning rates were chosen).
    """
    if np.asarray(run.start).ndim != 1:
        raise ValueError("lr_figure draws a single-start run; got a batch of starts")
    run = shaded(run)  # variants of one optimizer in shades of its colour
    styles = variant_styles(run)
    inner = inner_keys(run)
    if inner:  # a third row of panels
        figsize = (figsize[0], figsize[1] * 1.4)
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        ratios = [LEGEND_ROW, 1, 1] + ([1] if inner else [])
        gs = fig.add_gridspec(len(ratios), 3, height_ratios=ratios)
        ax_lr, ax_step, ax_loss = (fig.add_subplot(gs[1, j]) for j in range(3))
        ax_r, ax_m, ax_bc = (fig.add_subplot(gs[2, j]) for j in range(3))

        _lr_panel(ax_lr, run, styles)
        _step_panel(ax_step, run, styles)
        _loss_panel(ax_loss, surface, run, styles)
        _memory_panel(ax_r, run, styles)
        _first_moment_panel(ax_m, run, styles)
        _draw_bias_panel(ax_bc, run, styles)
        if inner:
            row = gs[3, :].subgridspec(1, len(inner))
            for j, key in enumerate(inner):
                draw_inner_panel(fig.add_subplot(row[0, j]), run, key, styles)

        handles = [Line2D([], [], color=color_of(t), ls=styles[t.label]) for t in run]
        legend_row(fig.add_subplot(gs[0, :]), handles, [short_label(t) for t in run])
        start = np.asarray(run.start)
        fig.suptitle(
            f"{surface.title}: the step each optimizer takes, and why "
            f"({run.steps} steps from ({start[0]:.3g}, {start[1]:.3g}))",
            fontsize=17,
        )
        note = (
            "line: geometric mean of the x and y coordinates; band: the range between them"
        )
        if footnote:
            note = f"{footnote}\n{note}"
        add_footnote(fig, note)
        layout = layout_of(fig)
        layout.fit_titles()
        layout.apply()
    return fig


def _lr_panel(ax, run, styles):
    """The effective learning rate each coordinate got; a line that would hide an
    earlier one exactly is drawn in the coincident style."""
    lr_axis(ax)
    ax.set_ylabel("effective learning rate (log)")
    ax.set_title("learning rate each coordinate got", loc="left")
    drawn_lrs: list[np.ndarray] = []
    for traj in run:
        ls = styles[traj.label]
        if any(_same(traj.lr, other) for other in drawn_lrs):
            ls = COINCIDENT  # would hide an earlier line exactly: let both show
        draw_lr(ax, traj, linestyle=ls)
        drawn_lrs.append(traj.lr)


def _step_panel(ax, run, styles):
    """How far each step moved, ‖Δw‖ (a step of 0 leaves a gap on the log axis)."""
    _log_axis(ax, r"step length $\|\Delta w\|$")
    ax.set_title("how far each step moved", loc="left")
    for traj in run:
        step = np.linalg.norm(np.diff(traj.xy, axis=0), axis=-1)
        with np.errstate(invalid="ignore"):
            step = np.where(step > 0, step, np.nan)
        ax.plot(
            np.arange(1, traj.steps + 1),
            step,
            color=color_of(traj),
            ls=styles[traj.label],
        )


def _loss_panel(ax, surface, run, styles):
    """f - f* per step, a diverged run's last finite value crossed."""
    loss_axis(ax, surface)
    ax.set_title("loss", loc="left")
    for traj in run:
        loss = gap(surface, traj.loss)
        if surface.min_value is not None:
            loss = np.maximum(loss, np.finfo(float).tiny)
        ax.plot(
            np.arange(traj.steps + 1),
            loss,
            color=color_of(traj),
            ls=styles[traj.label],
        )
        if traj.diverged:
            d = int(traj.diverged_at)
            k = max(d - 1, 0)
            ax.plot(k, loss[k], "X", ms=13, mfc=color_of(traj), mec="black")


def _memory_panel(ax, run, styles):
    """r, the squared-gradient memory, per coordinate (or why there is none)."""
    _log_axis(ax, r"$r$ (per coordinate)")
    ax.set_title(
        r"$r$: Adagrad sums $g^2$, RMSprop and Adam average it", loc="left", fontsize=13
    )
    drawn = 0
    for traj in run:
        if "r" in traj.state:
            draw_band(
                ax,
                np.arange(traj.steps + 1),
                traj.state["r"],
                c=color_of(traj),
                ls=styles[traj.label],
            )
            drawn += 1
    if not drawn:
        _empty(
            ax,
            "no optimizer here keeps r"
            if _recorded(run)
            else "state not recorded\n(run with record_state=True)",
        )


def _first_moment_panel(ax, run, styles):
    """The norms of momentum's v and Adam's s (or why there are none)."""
    keys = [k for k in ("v", "s") if any(k in t.state for t in run)]
    names = {"v": r"momentum's $v$", "s": r"Adam's $s$"}
    _log_axis(ax, ", ".join(rf"$\|{k}\|$" for k in keys or ("v", "s")))
    ax.set_title(
        "first moment: " + ", ".join(names[k] for k in keys or ("v", "s")), loc="left"
    )
    drawn = 0
    for traj in run:
        for key in ("v", "s"):
            if key in traj.state:
                norm = np.linalg.norm(traj.state[key], axis=-1)
                with np.errstate(invalid="ignore"):
                    norm = np.where(norm > 0, norm, np.nan)
                ax.plot(
                    np.arange(traj.steps + 1),
                    norm,
                    color=color_of(traj),
                    ls=styles[traj.label],
                )
                drawn += 1
    if not drawn:
        _empty(
            ax,
            "no optimizer here keeps v or s"
            if _recorded(run)
            else "state not recorded\n(run with record_state=True)",
        )


def legend_row(ax, handles, labels, ncols: int | None = None):
    """Turn ``ax`` (a thin row across the figure) into one legend for all panels:
    constrained layout keeps it clear of the title and the panels."""
    ax.set_axis_off()
    if not labels:
        return None
    if ncols is None:
        wide = any(
            len(line) > LABEL_WIDTH // 2 for text in labels for line in text.split("\n")
        )
        most = 3 if wide else MAX_LEGEND_COLUMNS
        rows = -(-len(labels) // most)
        ncols = -(-len(labels) // rows)  # balanced rows: 4 labels as 2 + 2
    return ax.legend(
        handles,
        labels,
        loc="center",
        ncols=ncols,
        frameon=False,
        fontsize=13,
        handlelength=2.6,
    )


#: Characters of footnote per inch of figure width.
CHARS_PER_INCH = 11


def add_footnote(fig, text: str):
    """``text`` in small grey type under the panels, its ``SEPARATOR``-joined parts
    packed into lines as wide as the figure (measured as drawn: packed narrower where
    the type runs wider than :data:`CHARS_PER_INCH`)."""
    width = int(fig.get_figwidth() * CHARS_PER_INCH)
    t = fig.supxlabel(
        _packed(text, width), fontsize=FOOTNOTE_SIZE, color="0.3", x=0.01, ha="left"
    )
    room = fig.bbox.width * (1 - 0.01) - 2
    while width > 20 and t.get_window_extent().width > room:
        width = int(width * 0.95)
        t.set_text(_packed(text, width))
    t.optviz_unbroken = text  # translated whole where a break cuts a sentence
    return t


def _packed(text: str, width: int) -> str:
    """``text``'s ``SEPARATOR``-joined parts packed into lines of ``width`` characters;
    a part longer than that broken at its spaces."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for part in paragraph.split(SEPARATOR):
            candidate = f"{line}{SEPARATOR}{part}" if line else part
            if line and len(candidate) > width:
                lines.append(line)
                line = part
            else:
                line = candidate
        lines.append(line)
    lines = [piece for line in lines for piece in (textwrap.wrap(line, width) or [line])]
    return "\n".join(lines)


def _same(a, b) -> bool:
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-12, equal_nan=True)


def _recorded(run) -> bool:
    return any(traj.state for traj in run)


def _draw_bias_panel(ax, run, styles) -> None:
    ax.set_xlabel("step t")
    ax.set_ylabel("divisor")
    ax.set_yscale("log")
    ax.grid(True, which="major", alpha=0.3)
    ax.set_title(
        r"Adam's bias correction: $\hat s = s/(1-\rho_1^t)$, "
        r"$\hat r = r/(1-\rho_2^t)$",
        loc="left",
        fontsize=13,
    )
    done = set()
    for traj in run:
        if "divisors" not in traj.state:
            continue
        divisors = np.asarray(traj.state["divisors"])
        c1, c2 = divisors[1:, 0], divisors[1:, 1]
        off = bool(np.all(c1 == 1) and np.all(c2 == 1))
        key = (c1.tobytes(), c2.tobytes())
        if key in done:
            continue
        done.add(key)
        c, ls = color_of(traj), styles[traj.label]
        t = np.arange(1, len(c1) + 1)
        layout = layout_of(ax.figure)  # each label where it covers no line
        if off:
            ax.plot(t, c1, color=c, ls=ls, lw=2.2)
            text = f"{title(traj.label)}: none (divisor 1)"
            layout.note(ax, text, xy=(t[-1], 1.0), spots=arrow_spots((-6, -16)), color=c)
            continue
        ax.plot(t, c1, color=c, ls=ls, lw=2.6)
        ax.plot(t, c2, color=c, ls=ls, lw=1.4)
        r1, r2 = 1 - c1[0], 1 - c2[0]  # 1 - ρ^1
        k = len(t) // 8
        first = rf"$1-\rho_1^t$ ($\rho_1$={r1:g})"
        layout.note(ax, first, xy=(t[k], c1[k]), spots=arrow_spots((0, 6)), color=c)
        second = rf"$1-\rho_2^t$ ($\rho_2$={r2:g})"
        layout.note(ax, second, xy=(t[-1], c2[-1]), spots=arrow_spots((-6, -6)), color=c)
    if not done:
        _empty(ax, "no Adam in this run")
    else:
        ax.set_ylim(top=1.6)
