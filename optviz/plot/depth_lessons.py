"""ReLU networks: the figures of :mod:`optviz.lessons.depth`, drawn from their records
(a :class:`~optviz.records.Lesson` each) and nothing else."""

from __future__ import annotations

import numpy as np

from .projector import REFERENCE
from .slides import SMALL, TEXT, note, sci, slide
from .style import BLUE, GREY_55, ORANGE, VERMILION, style

__all__ = ["relu_explosion_figure", "dying_relu_figure"]

#: Too large, right, too small; the small α and the large one.
INIT_COLORS = (VERMILION, BLUE, ORANGE)
SMALL_ALPHA, LARGE_ALPHA = BLUE, VERMILION


# -- relu-explosion ------------------------------------------------------------------------
def relu_explosion_figure(lesson):
    """The gradient reaching each layer, and the factor per layer against √(σ² n/2)."""
    inits, s = lesson.panels[:-1], lesson["settings"].facts
    big = inits[0].facts
    fig = slide(
        f"ReLU gradients grow {big['factor']:.2g}× per layer with N(0, 1); "
        "He's σ² = 2/n keeps them level"
    )
    with style():
        grid = fig.add_gridspec(1, 2, width_ratios=[1.5, 1])
        ax_g, ax_f = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    layers = np.arange(1, s["depth"] + 1)
    for panel, c in zip(inits, INIT_COLORS):
        label = f"{panel.label}: ×{sci(panel.facts['growth'])} from layer {s['depth']} to 1"
        ax_g.plot(layers, panel.arrays["norm"], "-o", color=c, lw=2.4, ms=6, label=label)
    ax_g.set_yscale("log")
    ax_g.set_xticks([1, 5, 10, 15, 20])
    ax_g.invert_xaxis()  # back-propagation runs from the output (right) to the input
    ax_g.set_xlabel(f"hidden layer l (back-propagation runs from {s['depth']} to 1)")
    ax_g.set_ylabel(r"$\|\partial L/\partial h_l\|$, mean over the batch")
    ax_g.set_title(
        f"(a) {s['depth']} layers of {s['width']} ReLU units, biases 0, "
        f"{s['batch']} inputs",
        loc="left",
    )
    ax_g.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), frameon=False)
    names = [p.label.split(":")[0] for p in inits]
    x = np.arange(len(inits))
    measured = [p.facts["factor"] for p in inits]
    theory = [p.facts["theory"] for p in inits]
    ax_f.bar(x - 0.2, measured, width=0.4, color=list(INIT_COLORS), label="measured")
    ax_f.bar(x + 0.2, theory, width=0.4, color="none", ec=GREY_55, lw=2, hatch="//")
    ax_f.axhline(1, color=GREY_55, lw=1, ls=":", gid=REFERENCE)
    ticks = [f"{n}\n{m:.2f} / {t:.2f}" for n, m, t in zip(names, measured, theory)]
    ax_f.set_xticks(x, ticks)
    ax_f.set_ylabel("factor per layer")
    ax_f.set_ylim(0, max(max(measured), max(theory)) * 1.05)
    ax_f.set_title("(b) measured / √(σ² n/2) (hatched)", loc="left")
    note(
        ax_f,
        0.97,
        0.6,
        "each layer: Wᵀ, and ReLU\npasses half the units:\nE‖g‖² × σ² n/2",
        ha="right",
        size=TEXT,
    )
    return fig


# -- dying-relu ----------------------------------------------------------------------------
def dying_relu_figure(lesson):
    """Dead units and the loss over the steps, at a small and a large α."""
    small, large = lesson.panels[0], lesson.panels[1]
    s = lesson["settings"].facts
    fig = slide(
        f"With α = {large.facts['alpha']:g}, {large.facts['dead']} of {s['hidden']} ReLU "
        f"units die: input ≤ 0 for every sample, gradient 0 for ever"
    )
    with style():
        ax_d, ax_l = fig.subplots(1, 2)
    for panel, c in ((small, SMALL_ALPHA), (large, LARGE_ALPHA)):
        f = panel.facts
        dead = panel.arrays["dead"]
        t = np.arange(len(dead))
        ax_d.step(
            t,
            dead,
            where="post",
            color=c,
            lw=2.6,
            label=f"α = {f['alpha']:g}: {f['dead']} dead",
        )
        loss = panel.arrays["loss"]
        ax_l.plot(
            t,
            loss,
            color=c,
            lw=2.6,
            label=f"α = {f['alpha']:g}: ends at {f['end_loss']:.2g}",
        )
    ax_d.set_ylim(-1, max(large.facts["dead"], small.facts["dead"]) + 2)
    ax_d.set_xlabel("step t")
    ax_d.set_ylabel(f"dead units (of {s['hidden']})")
    ax_d.set_title(
        f"(a) a 2-{s['hidden']}-1 ReLU network, full-batch SGD, {s['samples']} samples",
        loc="left",
    )
    ax_d.legend(loc="center right", frameon=False)
    note(
        ax_d,
        0.97,
        0.3,
        "a dead unit's weights never change again\n(checked: equal to when it died)",
        ha="right",
        size=SMALL,
    )
    ax_l.set_yscale("log")
    ax_l.set_xlabel("step t")
    ax_l.set_ylabel("loss (MSE)")
    ax_l.set_title("(b) the loss: the dead units no longer help fit", loc="left")
    ax_l.legend(loc="upper right", frameon=False)
    return fig
