"""Curves over steps: the loss (f - f*, log axis) of each trajectory."""

from __future__ import annotations

import numpy as np

from ..optimizers import family_of
from .contours import gap
from .style import GREY_33, GREY_44, GREY_55, GREY_66, color_of

__all__ = [
    "gap_floor",
    "draw_loss",
    "loss_axis",
    "uses_evaluations",
    "evaluations_of",
    "EVALUATIONS_LABEL",
    "draw_lr",
    "lr_axis",
    "label_ends",
    "mark_floor",
    "momentum_factor",
    "footnote_under",
    "log_step_axis",
    "FLOOR_WORDS",
]


#: f - f* below this (relative to max(1, |f*|)) is rounding noise.
GAP_RESOLUTION = 1e-15


def gap_floor(surface) -> float:
    """The smallest f - f* worth drawing on a log axis."""
    return GAP_RESOLUTION * max(1.0, abs(surface.min_value or 0.0))


#: The loss panel's x axis when a classical method is compared (the fair count: BFGS
#: and its kin spend several evaluations per iteration, a step optimizer one gradient).
EVALUATIONS_LABEL = "evaluations of f, ∇f and ∇²f (a step: one ∇f)"


def uses_evaluations(run) -> bool:
    """Whether a comparison's loss panel counts evaluations (a classical method is in
    it) rather than steps."""
    return any(t.evaluations is not None for t in run)


def evaluations_of(traj) -> np.ndarray:
    """The evaluations spent up to each iterate: a classical method's recorded count,
    a step optimizer's step number (one gradient per step)."""
    if traj.evaluations is not None:
        return np.asarray(traj.evaluations["cumulative"], dtype=np.float64)
    return np.arange(traj.steps + 1, dtype=np.float64)


def loss_axis(ax, surface, *, evaluations: bool = False) -> None:
    """Label the loss axis: log f - f* where the surface has a known minimum; the x
    axis counts steps, or evaluations (:data:`EVALUATIONS_LABEL`)."""
    ax.set_xlabel(EVALUATIONS_LABEL if evaluations else "step t")
    if surface.min_value is None and surface.log_levels:  # positive, no known minimum
        ax.set_ylabel("loss (log)")
        ax.set_yscale("log")
    elif surface.min_value is None:
        ax.set_ylabel("f (symlog)")  # short: fits stacked animation panels
        ax.set_yscale("symlog", linthresh=1e-2)
        ax.text(
            0.01,
            0.01,
            "linear in ±0.01",
            transform=ax.transAxes,
            ha="left",
            va="bottom",
            fontsize=12,  # projector-ready
            color=GREY_55,
            bbox=dict(fc="white", ec="none", alpha=0.85, pad=1),
        )
    else:
        ax.set_ylabel(r"$f - f^*$ (log)")
        ax.set_yscale("log")
    ax.grid(True, which="major", alpha=0.3)


def draw_loss(
    ax,
    surface,
    traj,
    *,
    label: str | None = None,
    upto: int | None = None,
    evaluations: bool = False,
):
    """One trajectory's loss curve over its steps, or over the evaluations it spent
    (:func:`evaluations_of`); an X where it diverged. Returns ``(line, cross)``."""
    c = color_of(traj)
    loss = gap(surface, traj.loss if upto is None else traj.loss[: upto + 1])
    if surface.min_value is not None:
        # At the minimum f - f* rounds to 0 (or a hair below): floor it at what double
        # precision can resolve, so the log axis shows convergence, not rounding noise.
        loss = np.maximum(loss, gap_floor(surface))
    xs = evaluations_of(traj)[: len(loss)] if evaluations else np.arange(len(loss))
    (line,) = ax.plot(xs, loss, color=c, label=label)
    cross = None
    d = int(traj.diverged_at)
    if d >= 0 and (upto is None or upto >= d):
        finite = np.flatnonzero(np.isfinite(loss))
        if len(finite):
            k = finite[-1]
            (cross,) = ax.plot(xs[k], loss[k], "X", ms=13, mfc=c, mec="black", zorder=5)
    return line, cross


def momentum_factor(traj) -> float:
    """1/(1-β) for heavy-ball momentum (and Nesterov), 1 otherwise: on a steady slope
    the velocity sums α g (1 + β + β² + ...) = α g/(1-β)."""
    beta = traj.hyperparameters.get("momentum")
    if family_of(traj.optimizer) == "momentum" and isinstance(beta, (int, float)):
        return 1.0 / (1.0 - beta)
    return 1.0


def lr_axis(ax) -> None:
    """Label the effective-learning-rate axis (log)."""
    ax.set_xlabel("step t")
    ax.set_ylabel("effective learning rate (log)")
    ax.set_yscale("log")
    ax.grid(True, which="major", alpha=0.3)


def draw_lr(
    ax,
    traj,
    *,
    label: str | None = None,
    upto: int | None = None,
    per_coordinate: bool | None = None,
    linestyle: str = "-",
    momentum_step: bool = False,
):
    """The effective learning rate each step applied, for one single-start trajectory.

    Adaptive methods give each coordinate its own rate: ``per_coordinate=True`` draws
    one line per coordinate (solid x, dashed y); ``False`` draws their mean with the
    range between them shaded. The default draws one line where both coordinates
    always agree (SGD, momentum) and the mean with its range otherwise.
    ``linestyle`` tells apart variants of one optimizer (same colour) drawn together;
    it styles the single or mean line. ``momentum_step=True`` draws momentum's rate
    as α/(1-β), how far a step moves per unit of a steady slope once the velocity has
    built up (see :func:`momentum_factor`). Returns the artists made.
    """
    c = color_of(traj)
    ls = linestyle
    lr = traj.lr if upto is None else traj.lr[: upto + 1]
    if momentum_step:
        lr = lr * momentum_factor(traj)
    steps = np.arange(len(lr))
    lx, ly = lr[..., 0], lr[..., 1]
    same = np.allclose(lx[1:], ly[1:], rtol=1e-12, equal_nan=True)
    if per_coordinate is None:
        per_coordinate = False
    if same:
        return ax.plot(steps, lx, color=c, label=label, ls=ls)
    if per_coordinate:
        return ax.plot(steps, lx, color=c, label=label) + ax.plot(
            steps, ly, color=c, ls="--"
        )
    with np.errstate(invalid="ignore"):
        mean = np.exp((np.log(lx) + np.log(ly)) / 2)  # geometric mean: log axis
    return [
        ax.fill_between(steps, np.fmin(lx, ly), np.fmax(lx, ly), color=c, alpha=0.18, lw=0),
        *ax.plot(steps, mean, color=c, label=label, ls=ls),
    ]


#: Labels at line ends stay this many points apart vertically.
END_LABEL_GAP_POINTS = 15


def label_ends(ax, lines, labels, *, fontsize: float = 12, pad_points: float = 4):
    """Write each label at the right end of its line, in the line's colour, instead of
    a legend over the data; labels that would overlap are pushed apart vertically.

    ``lines`` are Line2D artists (their last finite point is the anchor). Returns the
    Text artists. Call after the axis limits and scales are set."""
    fig = ax.figure
    fig.draw_without_rendering()  # layout first: the anchors in display units
    anchors = []
    for line, text in zip(lines, labels):
        x, y = (np.asarray(v, dtype=float) for v in line.get_data())
        ok = np.isfinite(x) & np.isfinite(y)
        if not ok.any():
            continue
        i = np.flatnonzero(ok)[-1]
        px, py = ax.transData.transform((x[i], y[i]))
        anchors.append([py, px, x[i], y[i], text, line.get_color()])
    anchors.sort(key=lambda a: a[0])
    gap = END_LABEL_GAP_POINTS * fig.dpi / 72
    for j in range(1, len(anchors)):  # push up whatever sits too close below
        anchors[j][0] = max(anchors[j][0], anchors[j - 1][0] + gap)
    lo, hi = ax.get_window_extent().y0, ax.get_window_extent().y1
    overflow = anchors[-1][0] - (hi - gap / 2) if anchors else 0
    if overflow > 0:
        for a in anchors:
            a[0] -= overflow
        for j in range(len(anchors) - 2, -1, -1):  # and keep them apart going down
            anchors[j][0] = min(anchors[j][0], anchors[j + 1][0] - gap)
    out = []
    for py, _px, x, y, text, c in anchors:
        dy = (max(py, lo) - ax.transData.transform((x, y))[1]) * 72 / fig.dpi
        out.append(
            ax.annotate(
                text,
                (x, y),
                xytext=(pad_points, dy),
                textcoords="offset points",
                color=c,
                fontsize=fontsize,
                va="center",
                ha="left",
                weight="bold",
                annotation_clip=False,
                zorder=13,  # above any note box
            )
        )
    return out


#: What a gap curve flat on :func:`gap_floor` means.
FLOOR_WORDS = "machine precision (rounding), not a plateau"


def mark_floor(
    ax,
    surface,
    *,
    text: str = FLOOR_WORDS,
    below: bool = False,
):
    """A dotted line at :func:`gap_floor` with its meaning written on it: curves that
    reach it have converged as far as double precision can tell.

    ``below`` writes the words under the line, where no gap curve goes (gaps are
    clamped to the floor), and lowers the axis just enough for them: for figures whose
    curves dive into the floor where the words would sit. (Not for figures with other
    lines that go below the floor, such as a theory's rate.)"""
    floor = gap_floor(surface)
    line = ax.axhline(floor, color=GREY_66, lw=1.2, ls=":", zorder=1)
    label = ax.annotate(
        text,
        (0.01, floor),
        xycoords=ax.get_yaxis_transform(),
        xytext=(0, -FLOOR_LABEL_GAP_POINTS if below else 0),
        textcoords="offset points",
        va="top" if below else "bottom",
        ha="left",
        fontsize=12,
        color=GREY_44,
    )
    if below:
        _room_below(ax, floor, label)
    return line, label


#: Points between the floor's line and the words under it.
FLOOR_LABEL_GAP_POINTS = 3
#: Room for the words under the floor, as a multiple of their height: the axes may
#: still shrink when the figure is laid out.
FLOOR_ROOM_SPARE = 1.5


def _room_below(ax, floor: float, label) -> None:
    """Lower a log axis' bottom so that ``label`` fits under ``floor``."""
    fig = ax.figure
    needed = (label.get_fontsize() * 1.2 + FLOOR_LABEL_GAP_POINTS) * fig.dpi / 72
    share = min(0.5, FLOOR_ROOM_SPARE * needed / ax.get_window_extent().height)
    _, top = ax.get_ylim()
    decades = np.log10(top / floor)
    ax.set_ylim(floor / 10 ** (share * decades / (1 - share)), top)


def footnote_under(fig, text: str) -> None:
    """How the settings were chosen, under the panels (wrapped, 12 pt)."""
    fig.supxlabel(text, fontsize=12, color=GREY_33, wrap=True)


def log_step_axis(ax, xlabel: str = "step t (log)") -> None:
    """A logarithmic step axis."""
    ax.set_xscale("log")
    ax.set_xlabel(xlabel)
