"""Adagrad, RMSprop and Adam: sum against average, the effective rate, Adam's bias
correction (drawn from records)."""

from __future__ import annotations

import numpy as np

from ._figure import Figure
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from .curves import (
    footnote_under,
    label_ends,
    log_step_axis,
)
from .style import GREY_55, GREY_77, color, settings_label, style, title

__all__ = ["adaptive_lr_figure", "bias_correction_figure"]


#: How each optimizer's line is drawn (the three overlap at first: styles tell them
#: apart), and what its weights of the past g² are.
_LINES = {"adagrad": "-", "rmsprop": "--", "adam": ":"}
_WEIGHTS = {
    "adagrad": "Adagrad: 1 each (a sum)",
    "rmsprop": r"RMSprop: $(1-\rho)\rho^{{t-k}}$, ρ = {rho:g}",
    "adam": r"Adam $\hat r$: $(1-\rho_2)\rho_2^{{t-k}}/(1-\rho_2^t)$, ρ2 = {rho:g}",
}


def adaptive_lr_figure(surface, lesson):
    """Adagrad, RMSprop and Adam on L(w, b) (``lesson``:
    :func:`optviz.lessons.adaptive_lr`): the weight of each past g² in r, the loss, and
    the rate α/(√r + δ) of w and of b on log-log axes (Adagrad's 1/√t guide; where
    RMSprop's rate is lowest, how far it fell)."""
    from .lesson_runs import run_of

    s = lesson.settings
    run = run_of(lesson.panels, s["surface"], lesson.panels[0].arrays["xy"][0])
    with style():
        fig = Figure(figsize=(17.8, 10), layout="constrained")
        (ax_w, ax_loss), (ax_a, ax_b) = fig.subplots(2, 2)
        _weights_panel(ax_w, lesson, s["weights_at"])
        _loss_panel(ax_loss, surface, run, lesson)
        for i, (ax, name) in enumerate(zip((ax_a, ax_b), ("w", "b"))):
            _rate_panel(ax, run, lesson, i, name)
        footnote_under(fig, s["rule"])
    return fig


def _weights_panel(ax, lesson, t_now):
    """The weight of each past g² in r (Adam: in r̂) at step ``t_now``, each line
    named on it, at its left end."""
    k = np.arange(1, t_now + 1)
    for p in lesson.panels:
        name, w = p.facts["optimizer"], p.arrays["weights"]
        label = _WEIGHTS[name].format(rho=p.facts["decay"]) + f"; total {w.sum():.3g}"
        c = color(name)
        ax.step(k, w, where="mid", color=c, ls=_LINES[name], lw=2.6)
        below = name == "adagrad"  # in the gap between the lines, not past them
        ax.annotate(label, (1, w[0]), xytext=(0, -6 if below else 6),
                    textcoords="offset points", va="top" if below else "bottom",
                    fontsize=12, color=c)  # fmt: skip
    ax.set_yscale("log")
    ax.set_ylim(5e-3, 1.25)
    ax.set_xlabel(f"step k of a past gradient (now t = {t_now})")
    ax.set_ylabel(r"weight of $g_k^2$ in r (log)")
    ax.set_title("how much each past g² counts: a sum or an average", loc="left")
    ax.grid(True, alpha=0.3)


def _loss_panel(ax, surface, run, lesson):
    """L - L* per step (faint: mini-batch noise) and its running geometric mean;
    RMSprop drawn last, over Adam's band."""
    t = np.arange(run.steps + 1)
    last = [t.optimizer == "rmsprop" for t in run]
    order = sorted(range(len(last)), key=last.__getitem__)
    lines, labels = [], []
    for i in order:
        traj, panel = run.trajectories[i], lesson.panels[i]
        c = color(traj.optimizer)
        ax.plot(t[1:], np.maximum(traj.loss[1:] - surface.min_value, 1e-12), color=c,
                lw=0.8, alpha=0.25)  # fmt: skip
        (line,) = ax.plot(t[1:], panel.arrays["gap_smooth"][1:], color=c, lw=2.6,
                          ls=_LINES[traj.optimizer])  # fmt: skip
        lines.append(line)
        labels.append(settings_label(traj))
    log_step_axis(ax)
    ax.set_yscale("log")
    ax.set_xlim(1, run.steps * 1.9)
    ax.set_ylabel(r"$L - L^*$ (log)")
    ax.set_title(
        f"the loss (faint: each step; bold: mean over {SMOOTH_STEPS} steps)", loc="left"
    )
    ax.grid(True, alpha=0.3)
    label_ends(ax, lines, labels)


#: The steps the loss panel's bold lines average over (optviz.lessons.adaptive.SMOOTH).
SMOOTH_STEPS = 25


def _rate_panel(ax, run, lesson, i, name):
    """Coordinate ``i``'s rate α/(√r + δ) of each run, Adagrad's 1/√t guide, and how
    far RMSprop's rate fell while its r filled from 0."""
    t = np.arange(1, run.steps + 1)
    lines, fell = [], ""
    for traj, panel in zip(run, lesson.panels):
        (line,) = ax.plot(t, traj.lr[1:, i], color=color(traj.optimizer),
                          ls=_LINES[traj.optimizer], lw=2.4)  # fmt: skip
        lines.append(line)
        if "guide" in panel.arrays:
            guide = panel.arrays["guide"][:, i]
            ax.plot(t, guide, color=GREY_77, ls=(0, (4, 3)), lw=1.5)
        if traj.optimizer == "rmsprop":
            f = panel.facts["rate"][name]
            k = f["lowest_at"]
            ax.plot(k, f["lowest"], "o", ms=10, mfc="white", mec=color("rmsprop"),
                    mew=2, zorder=5)  # fmt: skip
            fell = (
                f"\nRMSprop's (r fills from 0): falls {f['fall']:.2g}× to step {k} (o), "
                f"then rises {f['rise']:.2g}×"
            )
    log_step_axis(ax)
    ax.set_yscale("log")
    ax.set_xlim(1, run.steps * 1.9)
    ax.set_ylabel(f"rate of {name}: " + r"$\alpha/(\sqrt{r} + \delta)$ (log)")
    ax.set_title(f"the rate {name} gets at each step (grey dashes: ∝ 1/√t)" + fell,
                 loc="left")  # fmt: skip
    ax.grid(True, alpha=0.3)
    label_ends(ax, lines, [title(t.optimizer) for t in run])


def bias_correction_figure(surface, lesson, *, steps_shown=40):
    """Adam's first steps with and without bias correction (``lesson``:
    :func:`optviz.lessons.bias_correction`). Panels: (1) s, r and the corrected ŝ, r̂
    under a constant g; (2) the step direction's length s/√r without correction
    against ŝ/√r̂ = 1 with it, on a log-step axis; (3) the length of each step on
    ``surface``; (4) the two paths."""
    from .lesson_runs import trajectory_of

    m = lesson["moments"]
    on, off = trajectory_of(lesson["with"]), trajectory_of(lesson["without"])
    betas = (lesson.settings["rho1"], lesson.settings["rho2"])
    s, r = m.arrays["s"], m.arrays["r"]
    t = np.arange(1, len(s) + 1)
    k = min(steps_shown, on.steps)
    with style():
        fig = Figure(figsize=(17.8, 10), layout="constrained")
        (ax_m, ax_ratio), (ax_step, ax_map) = fig.subplots(2, 2)
        _moments_panel(ax_m, t, s, r, betas, m.facts["g"])
        _step_ratio_panel(ax_ratio, t, m, betas)
        _step_length_panel(ax_step, on, off, k)
        _two_paths_panel(ax_map, surface, on, off)
    return fig


def _moments_panel(ax, t, s, r, betas, g):
    """s, r and the corrected ŝ, r̂ over the first 60 steps, named in a legend in the
    empty band between r̂ and s."""
    rho1, rho2 = betas
    c = color("adam")
    shown = t <= 60
    lines = [
        *ax.plot(t[shown], s[shown], color=c, ls="--"),
        *ax.plot(t[shown], (s / (1 - rho1**t))[shown], color=c),
        *ax.plot(t[shown], r[shown], color=GREY_55, ls="--"),
        *ax.plot(t[shown], (r / (1 - rho2**t))[shown], color=GREY_55),
    ]
    ax.set_ylim(-0.02, max(g, g * g) * 1.1)
    ax.set_xlim(0, 60)
    ax.set_xlabel("step t")
    ax.set_title(f"moments under a constant g = {g:g}", loc="left")
    ax.legend(
        lines,
        [r"$s$", r"$\hat s = s/(1-\rho_1^t)$", r"$r$", r"$\hat r = r/(1-\rho_2^t)$"],
        loc="center right",
        bbox_to_anchor=(1, 0.68),
        ncols=2,
        fontsize=12,
    )


def _step_ratio_panel(ax, t, moments, betas):
    """s/√r without correction against ŝ/√r̂ = 1 with it, on a log-step axis, each
    named on its line; its value at t = 1 and its peak marked."""
    rho1, rho2 = betas
    c = color("adam")
    s, r, ratio = (moments.arrays[k] for k in ("s", "r", "ratio"))
    f = moments.facts
    ax.plot(t, ratio, color=c, ls="--")
    ax.plot(t, s / (1 - rho1**t) / np.sqrt(r / (1 - rho2**t)), color=c)
    ax.text(3, 1.12, r"with: $\hat s/\sqrt{\hat r}$ = 1", color=c, fontsize=13,
            va="bottom", ha="center")  # fmt: skip
    ax.text(200, 3.6, r"without: $s/\sqrt{r}$", color=c, fontsize=13, va="bottom")
    ax.plot([1, f["peak_at"]], [f["ratio_first"], f["peak"]], "o", color=c, ms=8)
    ax.annotate(f"{f['ratio_first']:.2f} at t = 1", (1, f["ratio_first"]),
                xytext=(10, -4), textcoords="offset points", fontsize=13, color=c,
                va="top")  # fmt: skip
    ax.annotate(f"{f['peak']:.2f} at t = {f['peak_at']}", (f["peak_at"], f["peak"]),
                xytext=(0, 10), textcoords="offset points", fontsize=13, color=c,
                ha="center")  # fmt: skip
    ax.set_xscale("log")
    ax.set_ylim(0.8, f["peak"] * 1.1)
    ax.set_xlabel("step t (log)")
    ax.set_ylabel("step per α (sign(g) = 1)")
    ax.set_title("how long Adam's step is, under a constant g", loc="left")
    ax.grid(True, alpha=0.3)


_WITH_AND_WITHOUT = (("-", "with bias correction"), ("--", "without bias correction"))


def _step_length_panel(ax, on, off, k):
    """The length of each of the first ``k`` steps of both runs, α√2 marked."""
    c = color("adam")
    for traj, (ls, name) in zip((on, off), _WITH_AND_WITHOUT):
        length = np.linalg.norm(np.diff(traj.xy[: k + 1], axis=0), axis=-1)
        ax.plot(np.arange(1, k + 1), length, color=c, ls=ls, label=name)
    alpha = on.hyperparameters["lr"]
    ax.axhline(alpha * np.sqrt(2), color=GREY_77, lw=1, ls=":")
    ax.text(k, alpha * np.sqrt(2), r" $\alpha\sqrt{2}$", va="center", color=GREY_55)
    ax.set_xlabel("step t")
    ax.set_ylabel(r"step length $|\Delta w|$")
    ax.set_title(f"the first {k} steps", loc="left")
    ax.legend(fontsize=12)


def _two_paths_panel(ax, surface, on, off):
    """Both paths on the surface, the one without correction dashed."""
    draw_surface(ax, surface)
    draw_landmarks(ax, surface)
    for traj, (ls, name) in zip((on, off), _WITH_AND_WITHOUT):
        line, _, _ = draw_trajectory(ax, traj, label=name)
        line.set_linestyle(ls)
    draw_start(ax, on.xy[0])
    ax.legend(loc="upper right", fontsize=12, framealpha=0.9)
    ax.set_title(f"{on.steps} steps, α = {on.hyperparameters['lr']:g}", loc="left")
