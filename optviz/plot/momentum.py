"""Momentum: β's effect, the (α, β) rate map, the ravine (drawn from records)."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.patches import Patch

from ._figure import Figure
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory, gap
from .curves import (
    draw_loss,
    footnote_under,
    gap_floor,
    label_ends,
    loss_axis,
    mark_floor,
)
from .style import (
    BLACK,
    BLUE,
    BLUE_100,
    BLUE_200,
    BLUE_300,
    BLUE_400,
    BLUE_500,
    BLUE_600,
    BLUE_700,
    BLUE_900,
    GREEN,
    GREY_44,
    GREY_55,
    GREY_99,
    GREY_BD,
    ORANGE,
    PURPLE,
    VERMILION,
    WHITE,
    YELLOW,
    color,
    color_of,
    settings_label,
    style,
    title,
)

__all__ = ["momentum_beta_figure", "rate_map_figure", "ravine_figure"]


def _arrow(ax, start, delta, c, label=None):
    return ax.annotate(
        "",
        xy=(start[0] + delta[0], start[1] + delta[1]),
        xytext=(start[0], start[1]),
        arrowprops=dict(arrowstyle="-|>", color=c, lw=2.4, mutation_scale=18),
        zorder=10,
        label=label,
    )


#: Colours of the vectors: β v (the old velocity), −α g, and their sum (the new v).
VECTOR_COLORS = (PURPLE, BLUE, BLACK)
#: One colour per β, light to dark (none of them a vector colour).
BETA_COLORS = (GREY_99, GREEN, ORANGE, VERMILION)


def momentum_beta_figure(surface, lesson):
    """One ravine, four β at tuned α (``lesson``: :func:`optviz.lessons.momentum_beta`):
    paths, with the vector sum β v + (−α g) = new v at each panel's ``arrows_at``
    steps, and the loss of each; β* marked in the loss panel's title."""
    from .lesson_runs import run_of

    s = lesson.settings
    run = run_of(lesson.panels, surface.name, s["start"])
    with style():
        fig = Figure(figsize=(17.8, 10), layout="constrained")
        grid = fig.add_gridspec(2, 3, width_ratios=[1, 1, 1.05])
        maps = [fig.add_subplot(grid[i // 2, i % 2]) for i in range(len(run))]
        for ax, traj, panel, c in zip(maps, run, lesson.panels, BETA_COLORS):
            traj.color = c
            _beta_panel(ax, surface, traj, panel, run.start)
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color=c, lw=3) for c in VECTOR_COLORS]
        maps[0].legend(
            handles,
            ["β v (the old velocity)", "−α g (the new push)", "new v = β v − α g"],
            loc="lower right",
            fontsize=12,
            framealpha=0.95,
        )
        ax_loss = fig.add_subplot(grid[:, 2])
        loss_axis(ax_loss, surface)
        lines = []
        for traj in run:
            line, _ = draw_loss(ax_loss, surface, traj)
            lines.append(line)
        ax_loss.axhline(s["tol"], color=GREY_55, lw=1, ls="-.")
        ax_loss.text(0, s["tol"], f" tol {s['tol']:g}", va="bottom", fontsize=12,
                     color=GREY_55)  # fmt: skip
        mark_floor(ax_loss, surface)
        ax_loss.set_title(
            f"β* = ((√κ-1)/(√κ+1))² = {s['beta_star']:.2f} for κ = "
            f"{s['surface']['kappa']:g}\n" + s["rule"],
            loc="left",
            fontsize=12,
            wrap=True,
        )
        ax_loss.set_xlim(0, run.steps * 1.14)
        label_ends(ax_loss, lines, [f"β = {t.hyperparameters['momentum']:g}" for t in run])
    return fig


def _beta_panel(ax, surface, traj, panel, start):
    """One β's path with its velocity arrows (all inside the map)."""
    beta, alpha = panel.facts["beta"], panel.facts["alpha"]
    draw_surface(ax, surface)
    draw_landmarks(ax, surface)
    draw_trajectory(ax, traj)
    ax.plot(traj.xy[:, 0], traj.xy[:, 1], "o", ms=4, color=traj.color, zorder=4)
    draw_start(ax, start)
    for k in panel.facts["arrows_at"]:
        w = traj.xy[k]
        old_v = traj.xy[k] - traj.xy[k - 1]  # v after step k
        push = -alpha * traj.grad[k]  # -α g at w_k
        if beta > 0:
            _arrow(ax, w, beta * old_v, VECTOR_COLORS[0])
        _arrow(ax, w + beta * old_v, push, VECTOR_COLORS[1])
        _arrow(ax, w, traj.xy[k + 1] - w, VECTOR_COLORS[2])
    ax.set_title(f"β = {beta:g},  α = {alpha:.3g}", loc="left")
    ax.set_xlabel("")
    ax.set_ylabel("")


# -- rate-map ------------------------------------------------------------------------
#: The rate map's colour where momentum diverges (rate >= 1), on the map and in its legend.
DIVERGED_GREY = GREY_BD
RATE_LEVELS = np.array([0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1.0])


def rate_map_figure(theory: dict, measured: dict):
    """Distill's map: the convergence rate of momentum over (α, β) on a quadratic with
    curvatures 1 and κ, SGD's and momentum's optima marked, ``measured`` rates of real
    runs drawn over it.

    ``theory`` (:func:`optviz.lessons.ravine.rate_theory`) holds ``kappa``, the grid
    ``alphas``, ``betas`` and its ``rates``, the optima ``a_sgd``, ``r_sgd``, ``a_mom``,
    ``b_mom``, ``r_mom``, the steps ``n_sgd``, ``n_mom`` each needs to shrink the error
    10⁶×, and the two cuts ``a_line`` with ``cut_sgd`` (β = 0) and ``cut_mom`` (β = β*).
    ``measured`` holds arrays ``alpha``, ``beta``, ``rate`` of the same shape.
    """
    cmap, norm = _rate_colours()
    with style():
        fig = Figure(figsize=(17, 7.6), layout="constrained")
        ax, ax_cut = fig.subplots(1, 2, width_ratios=[1.25, 1])
        _rate_map_panel(fig, ax, theory, measured, cmap, norm)
        _rate_cuts_panel(ax_cut, theory, measured)
    return fig


def _rate_colours():
    """The rate map's colours: blues from fast to slow, white near 1, grey over it."""
    cmap = ListedColormap(
        [
            BLUE_900,
            BLUE_700,
            BLUE_600,
            BLUE_500,
            BLUE_400,
            BLUE_300,
            BLUE_200,
            BLUE_100,
            WHITE,
        ]
    )
    cmap = cmap.with_extremes(over=DIVERGED_GREY)
    norm = BoundaryNorm(RATE_LEVELS, cmap.N)
    return cmap, norm


def _rate_map_panel(fig, ax, t, measured, cmap, norm):
    """The theoretical rate over (α, β) with its contours, the measured runs and the
    two optima over it, its colour bar, and the legend below it."""
    alphas, betas, rates = t["alphas"], t["betas"], t["rates"]
    mesh = ax.pcolormesh(alphas, betas, rates, cmap=cmap, norm=norm, shading="auto")
    cs = ax.contour(
        alphas, betas, rates, levels=RATE_LEVELS[1:-1], colors=GREY_44, linewidths=0.6
    )
    for label in ax.clabel(cs, fmt="%.2f", fontsize=12):
        label.set_zorder(6)  # over a measured run's marker, not under it
    ax.contour(alphas, betas, rates, levels=[1.0], colors="black", linewidths=2)
    _measured_on_map(ax, measured, cmap, norm)
    _optima_on_map(ax, t)
    ax.set_xlabel("learning rate α")
    ax.set_ylabel("momentum β")
    ax.set_title(
        f"convergence rate per step (lower is faster), κ = {t['kappa']:g}", loc="left"
    )
    fig.colorbar(mesh, ax=ax, label="rate = max over λ of ρ(M_λ)", extend="max")
    # below the map, off the data (the grey region too: a label on the map would
    # sit on the measured runs)
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Patch(facecolor=DIVERGED_GREY, edgecolor="black"))
    labels.append("grey: diverges (rate ≥ 1)")
    ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.13),
        ncols=2,
        fontsize=12,
    )


def _measured_on_map(ax, measured, cmap, norm):
    """The measured runs' rates on the map's colour scale; diverged runs as crosses."""
    ok = np.isfinite(measured["rate"])
    ax.scatter(
        measured["alpha"][ok],
        measured["beta"][ok],
        c=measured["rate"][ok],
        cmap=cmap,
        norm=norm,
        s=120,
        edgecolors=VERMILION,
        linewidths=1.3,
        zorder=5,
        label="measured on real runs (same colour scale)",
    )
    if np.any(~ok):
        ax.plot(
            measured["alpha"][~ok],
            measured["beta"][~ok],
            "x",
            color=VERMILION,
            ms=10,
            mew=2,
            ls="none",
            zorder=5,
            label="real run diverged",
        )


def _optima_on_map(ax, t):
    """SGD's best rate (on β = 0) and momentum's best (α*, β*)."""
    a_sgd, r_sgd, a_mom, b_mom, r_mom = (
        t[k] for k in ("a_sgd", "r_sgd", "a_mom", "b_mom", "r_mom")
    )
    ax.plot(
        a_sgd,
        0,
        "s",
        ms=14,
        mfc=color("sgd"),
        mec="black",
        clip_on=False,
        zorder=6,
        label=f"SGD's best: α = 2/(L+μ), rate {r_sgd:.3f}",
    )
    ax.plot(
        a_mom,
        b_mom,
        "*",
        ms=24,
        mfc=YELLOW,
        mec="black",
        zorder=6,
        label=f"momentum's best: α*, β*, rate {r_mom:.3f}",
    )


def _rate_cuts_panel(ax_cut, t, measured):
    """The cuts along β = 0 and β = β*: theory lines, measured points, and the steps
    each needs to shrink the error 10⁶×."""
    kappa, b_mom, n_sgd, n_mom = t["kappa"], t["b_mom"], t["n_sgd"], t["n_mom"]
    # the cut along β = 0 and β = β*: theory line, measured points
    a_line = t["a_line"]
    for beta, cut, c, name in (
        (0.0, t["cut_sgd"], color("sgd"), "β = 0 (SGD)"),
        (b_mom, t["cut_mom"], BLACK, f"β = β* = {b_mom:.3f}"),
    ):
        ax_cut.plot(a_line, cut, color=c, label=name)
        close = np.isclose(measured["beta"], beta, atol=1e-9)
        ax_cut.plot(
            measured["alpha"][close],
            measured["rate"][close],
            "o",
            ms=8,
            mfc="white",
            mec=c,
            mew=2,
        )
    ax_cut.plot([], [], "o", mfc="white", mec=GREY_55, mew=2, label="measured (real runs)")
    ax_cut.axhline(1, color="black", lw=1)
    ax_cut.set_ylim(0.3, 1.05)
    ax_cut.set_xlabel("learning rate α")
    ax_cut.set_ylabel("rate per step")
    ax_cut.set_title("two cuts through the map", loc="left")
    ax_cut.legend(loc="lower right", fontsize=12)
    ax_cut.grid(True, alpha=0.3)
    ax_cut.text(
        0.03,
        0.45,
        f"to shrink the error 10⁶×: SGD {n_sgd:.0f} steps, momentum {n_mom:.0f}\n"
        f"= {n_sgd / n_mom:.1f}× fewer (√κ = {np.sqrt(kappa):.1f})",
        transform=ax_cut.transAxes,
        fontsize=13,
        va="center",
        bbox=dict(fc="white", ec=GREY_99),
    )


def ravine_figure(
    surface, run, *, rule: str, predicted: dict, measured: dict, tol: float, fewer: dict
):
    """Tuned SGD against tuned momentum in a ravine: paths, and f - f* on a log axis
    with each one's predicted rate (``predicted``: label -> rate per step) as a thin
    dashed guide; ``measured``: label -> the rate each run shows
    (:func:`optviz.ratemap.measured_rate`); ``fewer``: how many times fewer steps the
    second run needs, ``measured`` and ``predicted``
    (:func:`optviz.lessons.ravine.momentum_ravine`)."""
    with style():
        fig = Figure(figsize=(17, 7), layout="constrained")
        ax_map, ax_loss = fig.subplots(1, 2, width_ratios=[1.2, 1])
        draw_surface(ax_map, surface)
        draw_landmarks(ax_map, surface)
        lines = []
        for traj in run:
            line, _, _ = draw_trajectory(ax_map, traj)
            lines.append(line)
        draw_start(ax_map, run.start)
        ax_map.set_title(f"${surface.latex}$, {run.steps} steps", loc="left")
        ax_map.legend(
            lines,
            [settings_label(t) for t in run],
            loc="lower right",
            fontsize=12,
            framealpha=0.95,
        )
        loss_axis(ax_loss, surface)
        curves = []
        for traj in run:
            line, _ = draw_loss(ax_loss, surface, traj)
            curves.append(line)
            r = predicted.get(traj.label)
            if r is not None:
                g0 = gap(surface, traj.loss[0])
                t = np.arange(run.steps + 1)
                ax_loss.plot(
                    t, g0 * r ** (2 * t), color=color_of(traj), ls=(0, (2, 3)), lw=1.3
                )
        ax_loss.axhline(tol, color=GREY_55, lw=1, ls="-.")
        ax_loss.text(0, tol, f" tol {tol:g}", va="bottom", fontsize=12, color=GREY_55)
        floor = gap_floor(surface)
        ax_loss.set_ylim(floor / 3, None)
        mark_floor(ax_loss, surface)
        ax_loss.set_xlim(0, run.steps * 1.3)
        text = "\n".join(  # a line each: the panel is half the figure wide
            f"{title(t.optimizer)}: the error shrinks by {measured[t.label]:.3f} per step "
            f"(theory {predicted[t.label]:.3f})"
            for t in run
        )
        if len(run) == 2:
            text += (
                f"\n{title(run.trajectories[1].optimizer)} needs "
                f"{fewer['measured']:.1f}× fewer steps "
                f"(theory {fewer['predicted']:.1f}×); "
                "dotted: theory's rate²ᵗ"
            )
        ax_loss.set_title(text, loc="left", fontsize=12)
        label_ends(ax_loss, curves, [title(t.optimizer) for t in run])
        footnote_under(fig, rule)
    return fig


# -- adaptive-lr ---------------------------------------------------------------------
