"""Units and their inputs: the figures of :mod:`optviz.lessons.units`, drawn from their
records (a :class:`~optviz.records.Lesson` each) and nothing else."""

from __future__ import annotations

import numpy as np

from .projector import REFERENCE
from .slides import SMALL, TEXT, note, sci, slide
from .style import BLUE, GREEN, GREY_55, GREY_88, ORANGE, PURPLE, VERMILION, style

__all__ = ["initialisation_figure", "zero_mean_zigzag_figure", "leaky_prelu_figure"]

#: One colour per hidden unit; the problem and the cure.
UNIT_COLORS = (BLUE, ORANGE, GREEN)
PROBLEM, CURE = VERMILION, BLUE


# -- initialisation ----------------------------------------------------------------------
def initialisation_figure(lesson):
    """Each hidden unit's incoming weights during training, from equal and from random
    starts, and the loss."""
    equal, random = lesson["equal"], lesson["random"]
    s = lesson["settings"].facts
    fig = slide("Equal initial weights stay equal for ever; random ones break the symmetry")
    with style():
        grid = fig.add_gridspec(1, 3, width_ratios=[1, 1, 1.1])
        axes = [fig.add_subplot(grid[i]) for i in range(3)]
    for ax, panel, tag, what in (
        (axes[0], equal, "a", f"start: every weight {s['equal']:g}, every bias 0"),
        (axes[1], random, "b", "start: random weights, every bias 0"),
    ):
        w = panel.arrays["weights"]  # (steps + 1, units, 2)
        for j in range(w.shape[1]):
            width = 7.5 - 2.5 * j  # wide to narrow: paths on one another all show
            ax.plot(
                w[:, j, 0],
                w[:, j, 1],
                color=UNIT_COLORS[j],
                lw=width,
                label=f"unit {j + 1}",
            )
            ax.plot(w[0, j, 0], w[0, j, 1], "o", color=UNIT_COLORS[j], ms=9, mec="black")
        ax.set_xlabel("weight from input 1")
        ax.set_ylabel("weight from input 2")
        ax.set_title(f"({tag}) {what}", loc="left")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False)
    note(
        axes[0],
        0.03,
        0.97,
        f"the {s['hidden']} units' paths\nlie on one another:\n"
        f"largest difference {equal.facts['spread']:g}",
        size=SMALL,
    )
    ax = axes[2]
    for panel, c, label in (
        (equal, PROBLEM, "equal start"),
        (random, CURE, "random start"),
    ):
        loss = panel.arrays["loss"]
        ax.plot(np.arange(len(loss)), loss, color=c, lw=2.6, label=label)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("step t")
    ax.set_ylabel("loss (MSE on XOR)")
    ax.set_title(f"(c) the 2-{s['hidden']}-1 tanh network's loss", loc="left")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    note(
        ax,
        0.97,
        0.35,
        f"equal: ends at {sci(equal.facts['end_loss'])}\n"
        f"random: ends at {sci(random.facts['end_loss'])}",
        ha="right",
        size=SMALL,
    )
    return fig


# -- zero-mean-zigzag ---------------------------------------------------------------------
def zero_mean_zigzag_figure(lesson):
    """The unit's path in its weight plane, and the direction of every update."""
    pos, cen = lesson["positive"], lesson["centred"]
    s = lesson["settings"].facts
    fig = slide(
        "Inputs all > 0 make every update move both weights the same way: w zig-zags to w*"
    )
    with style():
        ax_p, ax_d = fig.subplots(1, 2)
    target = s["target"]
    for panel, c, what in ((pos, PROBLEM, "inputs x > 0"), (cen, CURE, "inputs centred")):
        path = panel.arrays["path"]
        label = f"{what}: path {panel.facts['length']:.1f} long"
        ax_p.plot(path[:, 0], path[:, 1], "-o", color=c, lw=2, ms=4, label=label)
    ax_p.plot(*target, "*", ms=24, color="black", mfc="white", mew=1.5)
    ax_p.plot(0, 0, "o", ms=10, color="black")
    ax_p.set_aspect("equal", adjustable="box")
    ax_p.set_xlabel("w1")
    ax_p.set_ylabel("w2")
    ax_p.set_title(
        f"(a) per-sample SGD (α = {s['alpha']:g}) from 0 to w* = "
        f"({target[0]:g}, {target[1]:g}) ☆",
        loc="left",
    )
    ax_p.legend(loc="upper right", frameon=False)
    _directions(ax_d, pos, cen)
    return fig


def _directions(ax, pos, cen):
    """Each update's direction, as a point on the unit circle; the quadrants where
    both weights move the same way shaded."""
    ax.fill_between([0, 1.25], 0, 1.25, color=GREY_88, alpha=0.25, lw=0)
    ax.fill_between([-1.25, 0], -1.25, 0, color=GREY_88, alpha=0.25, lw=0)
    ax.axhline(0, color=GREY_55, lw=1, gid=REFERENCE)
    ax.axvline(0, color=GREY_55, lw=1, gid=REFERENCE)
    for panel, c, r, what in ((pos, PROBLEM, 1.0, "x > 0"), (cen, CURE, 0.75, "centred")):
        d = panel.arrays["updates"]
        unit = d / np.linalg.norm(d, axis=1, keepdims=True) * r
        share = panel.facts["same_sign"]
        ax.plot(
            unit[:, 0],
            unit[:, 1],
            "o",
            color=c,
            ms=8,
            alpha=0.7,
            label=f"{what}: {share:.0%} same way",
        )
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlim(-1.1, 1.1)
    ax.set_ylim(-1.1, 1.1)
    ax.set_xlabel("Δw1 / |Δw|")
    ax.set_ylabel("Δw2 / |Δw|")
    ax.set_title(
        "(b) the direction of each update Δw = −α (w·x − y) x\n"
        "grey: w1 and w2 move the same way",
        loc="left",
    )
    ax.legend(loc="upper left", frameon=False)


# -- leaky-prelu -------------------------------------------------------------------------
def leaky_prelu_figure(lesson):
    """The data with LeakyReLU's and the learned PReLU's function; a over the steps."""
    data, leaky, prelu = lesson["data"], lesson["leaky"], lesson["prelu"]
    fig = slide(
        f"LeakyReLU's a stays {leaky.facts['a']:g} (a hyper-parameter); PReLU learns "
        f"a = {prelu.facts['a']:.2g} from the data"
    )
    with style():
        ax_f, ax_a = fig.subplots(1, 2)
    grid = data.arrays["grid"]
    ax_f.plot(data.arrays["x"], data.arrays["y"], "o", color="black", ms=6, label="data")
    ax_f.plot(grid, leaky.arrays["f"], color=PROBLEM, lw=2.6, label="LeakyReLU, a = 0.01")
    ax_f.plot(
        grid,
        prelu.arrays["f"],
        color=CURE,
        lw=2.6,
        ls="--",
        label=f"PReLU, learned a = {prelu.facts['a']:.2g}",
    )
    ax_f.set_xlabel("x")
    ax_f.set_ylabel("f(x)")
    ax_f.set_title(
        f"(a) data: y = x (x > 0), {data.facts['slope']:g} x (x ≤ 0)", loc="left"
    )
    ax_f.legend(loc="upper left", frameon=False)
    a = prelu.arrays["a"]
    t = np.arange(len(a))
    ax_a.plot(t, a, color=CURE, lw=2.6, label=f"PReLU: a from {prelu.facts['a0']:g}")
    ax_a.plot(t, leaky.arrays["a"], color=PROBLEM, lw=2.6, label="LeakyReLU: a fixed")
    ax_a.axhline(data.facts["slope"], color=PURPLE, lw=1.2, ls=":", gid=REFERENCE)
    ax_a.set_xlabel("step t")
    ax_a.set_ylabel("a")
    ax_a.set_title("(b) a during training (SGD on ∂L/∂a = Σ g·x over x ≤ 0)", loc="left")
    ax_a.legend(loc="upper right", frameon=False)
    note(
        ax_a,
        0.97,
        0.30,
        f"loss at the end: PReLU {sci(prelu.facts['loss'])}, "
        f"LeakyReLU {sci(leaky.facts['loss'])}",
        ha="right",
        size=TEXT,
    )
    return fig
