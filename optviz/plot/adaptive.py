"""Adagrad, RMSprop and Adam: sum against average, the effective rate, Adam's bias
correction (drawn from records)."""

from __future__ import annotations

import numpy as np

from ._figure import Figure
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from .curves import (
    draw_loss,
    footnote_under,
    label_ends,
    log_step_axis,
    loss_axis,
)
from .style import GREY_55, GREY_77, color, color_of, settings_label, style

__all__ = ["sum_vs_average_figure", "adaptive_lr_figure", "bias_correction_figure"]


def sum_vs_average_figure(run, weights: dict):
    """Left: ``weights[label] = (rho, w)``, the weight of each past g² in r at step
    ``len(w)`` (:func:`optviz.second_moment.past_weights`): Adagrad 1 each (a sum), RMSprop
    (1-ρ)ρ^(t-k) and Adam's r̂ (averages). Right: the effective rate divided by α,
    1/(√r + δ), of each trajectory of ``run`` on a log-step axis with a 1/√t guide."""
    t_weights = max(len(w) for _, w in weights.values())
    with style():
        fig = Figure(figsize=(17, 7), layout="constrained")
        ax_w, ax_r = fig.subplots(1, 2)
        k = np.arange(1, t_weights + 1)
        for traj in run:
            name = traj.optimizer
            rho, w = weights[traj.label]
            ls = {"adagrad": "-", "rmsprop": "--", "adam": ":"}.get(name, "-")
            lab = {
                "adagrad": "Adagrad: 1 each (a sum)",
                "rmsprop": f"RMSprop: (1-ρ)ρ^(t-k), ρ = {rho:g}",
                "adam": f"Adam r̂: (1-ρ2)ρ2^(t-k)/(1-ρ2^t), ρ2 = {rho:g}",
            }.get(name, name)
            ax_w.step(
                k,
                w,
                where="mid",
                color=color_of(traj),
                ls=ls,
                lw=2.6,
                label=f"{lab}; total {w.sum():.3g}",
            )
        ax_w.set_yscale("log")
        ax_w.set_xlabel(f"step k of a past gradient (now t = {t_weights})")
        ax_w.set_ylabel("weight of g_k² in r (log)")
        ax_w.set_title("how much each past g² counts", loc="left")
        ax_w.legend(loc="center right", fontsize=12, framealpha=0.95)
        ax_w.grid(True, alpha=0.3)
        lines, labels = [], []
        t_all = np.arange(run.steps + 1)
        for traj in run:
            alpha = traj.hyperparameters["lr"]
            rel = np.sqrt(np.prod(traj.lr, axis=-1)) / alpha  # geometric mean of x, y
            (line,) = ax_r.plot(t_all[1:], rel[1:], color=color_of(traj))
            lines.append(line)
            labels.append(settings_label(traj))
        ada = [t for t in run if t.optimizer == "adagrad"]
        if ada:
            rel = np.sqrt(np.prod(ada[0].lr, axis=-1)) / ada[0].hyperparameters["lr"]
            t10 = 10
            guide = rel[t10] * np.sqrt(t10 / t_all[1:])
            ax_r.plot(t_all[1:], guide, color=GREY_77, ls="--", lw=1.5)
            ax_r.text(
                t_all[-1], guide[-1], "  ∝ 1/√t", color=GREY_55, fontsize=13, va="top"
            )
        log_step_axis(ax_r)
        ax_r.set_yscale("log")
        ax_r.set_ylabel("effective rate / α = 1/(√r + δ) (log)")
        ax_r.set_title("the resulting step size", loc="left")
        ax_r.grid(True, which="major", alpha=0.3)
        ax_r.set_xlim(1, run.steps * 3)
        label_ends(ax_r, lines, labels)
    return fig


# -- momentum-ravine -----------------------------------------------------------------


def adaptive_lr_figure(surface, run, *, rule: str):
    """Adagrad, RMSprop and Adam: the effective rate per step and f - f*, both over a
    log-step axis (Adagrad's 1/√t decay is a straight line there), 1/√t guide."""
    with style():
        fig = Figure(figsize=(17, 7), layout="constrained")
        ax_lr, ax_loss = fig.subplots(1, 2)
        t = np.arange(run.steps + 1)
        lines, labels = [], []
        for traj in run:
            rate = np.sqrt(np.prod(traj.lr, axis=-1))
            (line,) = ax_lr.plot(t[1:], rate[1:], color=color_of(traj))
            lines.append(line)
            labels.append(
                traj.optimizer.replace("rmsprop", "RMSprop")
                .replace("adagrad", "Adagrad")
                .replace("adam", "Adam")
            )
        ada = [tr for tr in run if tr.optimizer == "adagrad"]
        if ada:
            rate = np.sqrt(np.prod(ada[0].lr, axis=-1))
            guide = rate[10] * np.sqrt(10 / t[1:])
            ax_lr.plot(t[1:], guide, color=GREY_77, ls="--", lw=1.5)
            ax_lr.text(t[-1], guide[-1], "  ∝ 1/√t", color=GREY_55, fontsize=13, va="top")
        log_step_axis(ax_lr)
        ax_lr.set_yscale("log")
        ax_lr.set_ylabel("effective learning rate α/(√r + δ) (log)")
        ax_lr.set_title("the rate each step gets (x, y: geometric mean)", loc="left")
        ax_lr.grid(True, alpha=0.3)
        ax_lr.set_xlim(1, run.steps * 3)
        label_ends(ax_lr, lines, labels)
        loss_axis(ax_loss, surface)
        curves = []
        for traj in run:
            line, _ = draw_loss(ax_loss, surface, traj)
            curves.append(line)
        log_step_axis(ax_loss)
        ax_loss.set_xlim(1, run.steps * 3)
        ax_loss.set_ylabel("L - L* (log)")
        ax_loss.set_title("the loss", loc="left")
        label_ends(ax_loss, curves, [settings_label(tr) for tr in run])
        footnote_under(fig, rule)
    return fig


def bias_correction_figure(
    surface, with_run, without_run, moments, *, g: float = 1.0, steps_shown=40
):
    """Adam's first steps with and without bias correction.

    ``moments = (s, r)``: Adam's ``s`` and ``r`` after each step under a constant
    gradient ``g`` (e.g. from ``Adam`` stepping on ``g``; a ``g`` other than 1 keeps
    ŝ = g and r̂ = g² apart). Panels: (1) s, r and the corrected ŝ, r̂; (2) the step
    direction's length s/√r without correction against ŝ/√r̂ = 1 with it, on a log-step
    axis; (3) the length of each step on ``surface``; (4) the two paths.
    ``with_run``/``without_run`` are single-trajectory runs of Adam with
    ``bias_correction`` True and False.
    """
    on, off = with_run.trajectories[0], without_run.trajectories[0]
    rho1, rho2 = on.hyperparameters["betas"]
    s, r = (np.asarray(m, dtype=float) for m in moments)
    t = np.arange(1, len(s) + 1)
    k = min(steps_shown, on.steps)
    with style():
        fig = Figure(figsize=(19, 6.2), layout="constrained")
        ax_m, ax_ratio, ax_step, ax_map = fig.subplots(1, 4, width_ratios=[1, 1, 1, 1.1])
        _moments_panel(ax_m, t, s, r, (rho1, rho2), g)
        ratio, peak = _step_ratio_panel(ax_ratio, t, s, r, (rho1, rho2))
        _step_length_panel(ax_step, on, off, k)
        _two_paths_panel(ax_map, surface, on, off)
        fig.suptitle(
            "Adam's bias correction: s and r start at 0, so early on both are biased "
            "towards 0;\n"
            f"dividing by 1-ρ1ᵗ and 1-ρ2ᵗ removes it (ρ1 = {rho1:g}, ρ2 = {rho2:g}, "
            "the defaults). Without it the step is "
            f"{ratio[0]:.2f}× too long at t = 1 and {ratio[peak]:.1f}× at t = {peak + 1}",
            fontsize=16,
        )
    return fig


def _moments_panel(ax, t, s, r, betas, g):
    """s, r and the corrected ŝ, r̂ over the first 60 steps, labelled at their ends."""
    rho1, rho2 = betas
    c = color("adam")
    shown = t <= 60
    lines = [
        *ax.plot(t[shown], s[shown], color=c, ls="--"),
        *ax.plot(t[shown], (s / (1 - rho1**t))[shown], color=c),
        *ax.plot(t[shown], r[shown], color=GREY_55, ls="--"),
        *ax.plot(t[shown], (r / (1 - rho2**t))[shown], color=GREY_55),
    ]
    ax.set_ylim(-0.02, max(g, g * g) * 1.15)
    ax.set_xlim(0, 60 * 1.35)
    ax.set_xlabel("step t")
    ax.set_title(f"moments under a constant g = {g:g}", loc="left")
    label_ends(
        ax,
        lines,
        [r"$s$", r"$\hat s = s/(1-\rho_1^t)$", r"$r$", r"$\hat r = r/(1-\rho_2^t)$"],
    )


def _step_ratio_panel(ax, t, s, r, betas):
    """s/√r without correction against ŝ/√r̂ = 1 with it, on a log-step axis; returns
    the uncorrected ratio and the index of its peak (the title quotes both)."""
    rho1, rho2 = betas
    c = color("adam")
    ratio = s / np.sqrt(r)
    ax.plot(t, ratio, color=c, ls="--", label=r"without: $s/\sqrt{r}$")
    ax.plot(
        t,
        s / (1 - rho1**t) / np.sqrt(r / (1 - rho2**t)),
        color=c,
        label=r"with: $\hat s/\sqrt{\hat r}$ = 1",
    )
    peak = int(np.argmax(ratio))
    ax.annotate(
        f"{ratio[0]:.2f} at t = 1",
        (1, ratio[0]),
        xytext=(8, -4),
        textcoords="offset points",
        fontsize=12,
        color=c,
        va="top",
    )
    ax.annotate(
        f"{ratio[peak]:.2f} at t = {peak + 1}",
        (peak + 1, ratio[peak]),
        xytext=(0, 8),
        textcoords="offset points",
        fontsize=12,
        color=c,
        ha="center",
    )
    ax.set_xscale("log")
    ax.set_ylim(0, ratio.max() * 1.2)
    ax.set_xlabel("step t (log)")
    ax.set_ylabel("step per α (sign(g) = 1)")
    ax.set_title("how long Adam's step is", loc="left")
    ax.legend(fontsize=12, loc="upper right")
    ax.grid(True, alpha=0.3)
    return ratio, peak


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
    ax.legend(loc="lower right", fontsize=12, framealpha=0.9)
    ax.set_title(f"{on.steps} steps, α = {on.hyperparameters['lr']:g}", loc="left")
