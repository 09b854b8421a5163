"""How big a step is: the figures of :mod:`optviz.lessons.steps`, drawn from their
records (a :class:`~optviz.records.Lesson` each) and nothing else."""

from __future__ import annotations

import numpy as np

from .projector import REFERENCE
from .slides import SMALL, TEXT, note, sci, slide
from .style import BLUE, GREY_55, GREY_88, ORANGE, VERMILION, style

__all__ = [
    "lr_decay_figure",
    "decay_rates_figure",
    "delta_role_figure",
    "momentum_sum_figure",
]

#: Two settings side by side: the smaller (or the problem) and the larger (or the cure).
FIRST, SECOND, THIRD = ORANGE, BLUE, VERMILION


# -- lr-decay ----------------------------------------------------------------------------
def lr_decay_figure(lesson):
    """α per step, L − L* per step, and the last iterates around the fit."""
    const, decay, where = lesson["constant"], lesson["decay"], lesson["minimum"]
    f = where.facts
    fig = slide(
        "A constant α leaves mini-batch SGD on a noise floor; decaying α removes it"
    )
    with style():
        grid = fig.add_gridspec(2, 2, height_ratios=[1, 2.4], width_ratios=[1.45, 1])
        ax_a = fig.add_subplot(grid[0, 0])
        ax_l = fig.add_subplot(grid[1, 0], sharex=ax_a)
        ax_c = fig.add_subplot(grid[:, 1])
    steps = len(const.arrays["alpha"])
    t = np.arange(1, steps + 1)
    halved = f"α halved every {f['every']} steps"
    labels = (f"constant α = {f['alpha']:g}", halved)
    for panel, c, label in zip((const, decay), (THIRD, SECOND), labels):
        ax_a.step(t, panel.arrays["alpha"], where="post", color=c, lw=2.4, label=label)
        mean = panel.arrays["gap_mean"]  # the mean of steps t - window + 1 .. t
        ax_l.plot(np.arange(len(mean)) + f["window"] - 1, mean, color=c, lw=2.4)
    ax_a.set_yscale("log")
    ax_a.set_ylabel("α")
    ax_a.set_title(
        f"(a) batches of {f['batch']} of {f['samples']} samples, no repetition "
        "within an epoch",
        loc="left",
    )
    ax_a.legend(loc="lower left", fontsize=SMALL, frameon=False)
    ax_a.tick_params(labelbottom=False)
    ax_l.set_yscale("log")
    ax_l.set_xlabel("step t")
    ax_l.set_ylabel(f"L − L*, mean of {f['window']} steps")
    ax_l.set_xlim(0, steps)
    k = f["floor_steps"]
    for panel, c, y, what in (
        (const, THIRD, 0.97, "stays at"),
        (decay, SECOND, 0.86, "falls to"),
    ):
        note(
            ax_l,
            0.98,
            y,
            f"{what} L − L* ≈ {sci(panel.facts['end_gap'])} (mean of the last {k} steps)",
            color=c,
            ha="right",
            size=TEXT,
        )
    _cloud_panel(ax_c, const, decay, where)
    return fig


def _cloud_panel(ax, const, decay, where):
    """The last iterates of both runs around the least-squares fit."""
    star = where.arrays["star"]
    n = len(const.arrays["cloud"])
    ax.plot(0, 0, "*", ms=24, color="black", mfc="none", mew=1.5)
    for panel, c, what in ((const, THIRD, "constant α"), (decay, SECOND, "halved α")):
        xy = panel.arrays["cloud"] - star
        label = f"{what}: all within ±{sci(panel.facts['radius'])}"
        ax.plot(xy[:, 0], xy[:, 1], "o", color=c, ms=5, alpha=0.8, label=label)
    ax.margins(0.05)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("w − w*")
    ax.set_ylabel("b − b*")
    ax.set_title(f"(b) the last {n} iterates around the fit ☆", loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.13), fontsize=TEXT, frameon=False)


# -- decay-rates -------------------------------------------------------------------------
def decay_rates_figure(lesson):
    """Step / α over t for two decay rates each of RMSprop and Adam."""
    grad = lesson["gradient"].facts
    ratio = grad["before"] / grad["after"]
    fig = slide(
        f"When g shrinks {ratio:g}×, the step shrinks too until r forgets the old g²: "
        "larger ρ, longer"
    )
    with style():
        axes = fig.subplots(1, 2)
    for ax, label, name, symbol in (
        (axes[0], "rmsprop", "(a) RMSprop", "ρ"),
        (axes[1], "adam", "(b) Adam, ρ1 = 0.9", "ρ2"),
    ):
        _rate_panel(ax, lesson[label], grad, name, symbol)
    axes[0].set_ylabel("step / α   (= |Δw| / α)")
    axes[1].set_ylabel("step / α")
    return fig


def _rate_panel(ax, panel, grad, name, symbol):
    """Step / α after the gradient shrank, against the steps since, for two rates."""
    switch = grad["switch"]
    step = panel.arrays["step"][switch:]  # the steps after g shrank
    k = np.arange(1, len(step) + 1)
    ax.axhline(1, color=GREY_88, lw=1.5, ls=":", gid=REFERENCE)
    for j, (rho, back, c) in enumerate(
        zip(panel.facts["rho"], panel.facts["recovered"], (FIRST, SECOND))
    ):
        label = (
            f"{symbol} = {rho:g}: back to α/2 after {back} steps  "
            f"(1/(1 − {symbol}) = {1 / (1 - rho):.0f})"
        )
        ax.plot(k, step[:, j], color=c, lw=2.6, label=label)
        ax.plot(back, step[back - 1, j], "o", ms=10, color=c, mec="black")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(1, len(step))
    _plain_log_ticks(ax.yaxis, (0.1, 0.2, 0.5, 1))
    ax.set_xlabel(f"steps since g fell from {grad['before']:g} to {grad['after']:g}")
    ax.set_title(name, loc="left")
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=SMALL, frameon=False
    )
    note(
        ax,
        0.97,
        0.955,
        f"before: step = α (g = {grad['before']:g} for {switch} steps)",
        color=GREY_55,
        ha="right",
        va="bottom",
        size=SMALL,
    )


def _plain_log_ticks(axis, ticks) -> None:
    """Ticks of a log axis at ``ticks``, written as plain numbers, no minor labels."""
    from matplotlib.ticker import FixedLocator, NullFormatter

    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(lambda v, _: f"{v:g}")
    axis.set_minor_formatter(NullFormatter())


# -- delta-role --------------------------------------------------------------------------
def delta_role_figure(lesson):
    """|w| and the rate α/(√r + δ) over t, for three δ."""
    settings = lesson["settings"].facts
    alpha = settings["alpha"]
    fig = slide(
        "Near a minimum √r falls with g, so α/(√r + δ) grows until w overshoots; δ caps it"
    )
    with style():
        ax_w, ax_r = fig.subplots(1, 2, sharex=True)
    colors = (THIRD, FIRST, SECOND)
    for panel, c in zip(lesson.panels[:-1], colors):
        d = panel.facts["delta"]
        dist, rate = panel.arrays["dist"], panel.arrays["rate"]
        if panel.facts["hover"] is not None:
            label = (
                f"δ = {sci(d, 1)}: ends hopping between ±(α/2 − δ) = ±{sci(alpha / 2 - d)}"
            )
            ax_w.axhline(panel.facts["hover"], color=c, lw=1, ls=":", gid=REFERENCE)
        else:
            label = (
                f"δ = {sci(d, 1)} ≥ α/2: |w| < {sci(settings['arrived_below'])} "
                f"from t = {panel.facts['arrived']}"
            )
        ax_w.plot(np.arange(len(dist)), dist, color=c, lw=2.4, label=label)
        ax_r.plot(np.arange(1, len(rate) + 1), rate, color=c, lw=2.4)
    ax_w.set_yscale("log")
    ax_w.set_ylabel("|w − w*|")
    ax_w.set_xlabel("step t")
    ax_w.set_title(
        f"(a) RMSprop (α = {alpha:g}, ρ = {settings['rho']:g}) on f(w) = w²/2", loc="left"
    )
    ax_w.legend(loc="upper left", bbox_to_anchor=(0, -0.13), fontsize=SMALL, frameon=False)
    ax_r.set_yscale("log")
    ax_r.axhline(2, color=GREY_55, lw=1.2, ls="--", gid=REFERENCE)
    ax_r.set_xlabel("step t")
    ax_r.set_ylabel("rate α / (√r + δ)")
    ax_r.set_title("(b) the effective rate", loc="left")
    last = lesson.panels[-2].facts
    note(
        ax_r,
        0.98,
        0.03,
        "- - 2 = 2/λ: beyond it a step on w²/2 overshoots\n"
        f"δ = {sci(last['delta'], 1)} caps the rate at α/δ = {last['cap']:g}",
        ha="right",
        va="bottom",
        size=SMALL,
    )
    ax_r.set_xlim(0, len(lesson.panels[0].arrays["rate"]))
    return fig


# -- momentum-sum-vs-adam-average ------------------------------------------------------
def momentum_sum_figure(lesson):
    """The step under a constant g, and the weight of each past gradient."""
    mom, adam = lesson["momentum"], lesson["adam"]
    beta, rho1 = mom.facts["beta"], adam.facts["rho1"]
    fig = slide(
        f"Momentum's v sums past gradients (total weight {mom.facts['sum']:g}); "
        f"Adam's s averages them (total {adam.facts['sum']:g})"
    )
    with style():
        ax_s, ax_w = fig.subplots(1, 2)
    steps = mom.arrays["step"]
    t = np.arange(1, len(steps) + 1)
    ax_s.plot(t, steps, color=SECOND, lw=2.6, label=f"momentum: −v/(α g)   (β = {beta:g})")
    ax_s.plot(t, adam.arrays["s_hat"], color=FIRST, lw=2.6, label="Adam: ŝ/g")
    ax_s.plot(
        t, adam.arrays["s"], color=FIRST, lw=1.8, ls="--", label="Adam: s/g, uncorrected"
    )
    ax_s.axhline(mom.facts["sum"], color=GREY_55, lw=1.2, ls=":", gid=REFERENCE)
    ax_s.set_ylim(0, mom.facts["sum"] * 1.12)
    ax_s.set_xlim(0, len(t))
    ax_s.set_xlabel("step t")
    ax_s.set_ylabel("step, in units of α g")
    ax_s.set_title("(a) a constant gradient g, from v = s = 0", loc="left")
    ax_s.legend(loc="center right", fontsize=SMALL, frameon=False)
    note(
        ax_s,
        0.03,
        0.97,
        f"1/(1 − β) = {mom.facts['sum']:g}: momentum's step is {mom.facts['sum']:g}× SGD's",
        color=SECOND,
        size=SMALL,
    )
    k = np.arange(len(mom.arrays["weights"]))
    ax_w.bar(k - 0.2, mom.arrays["weights"], width=0.4, color=SECOND, label="momentum: βᵏ")
    ax_w.bar(
        k + 0.2, adam.arrays["weights"], width=0.4, color=FIRST, label="Adam: (1 − ρ1) ρ1ᵏ"
    )
    ax_w.set_xlabel("k: the gradient of k steps ago")
    ax_w.set_ylabel("its weight")
    ax_w.set_xlim(-1, len(k))
    ax_w.set_title("(b) what each past gradient counts", loc="left")
    ax_w.legend(loc="upper right", fontsize=SMALL, frameon=False)
    note(
        ax_w,
        0.97,
        0.72,
        f"Σ βᵏ = 1/(1 − β) = {mom.facts['sum']:g}\n"
        f"Σ (1 − ρ1) ρ1ᵏ = {adam.facts['sum']:g}   (ρ1 = {rho1:g})",
        ha="right",
        size=TEXT,
    )
    return fig
