"""Teaching figures for single ideas of the notes, each drawn from records.

Each function takes records (and the surface they ran on) and returns a Figure; the
gallery and the CLI decide where it goes.
"""

from __future__ import annotations

import numpy as np

from ._figure import Figure
from .compare import legend_label
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from .curves import draw_loss, loss_axis
from .style import color, style

__all__ = ["paths_figure", "bias_correction_figure", "linear_regression_figure"]


def paths_figure(surface, run, *, title: str, subtitle: str = "", figsize=(13, 5.6)):
    """Paths over the contour map and loss curves, with a teaching title.

    The comparison figure with its own title, for figures that make one point
    (momentum in a ravine, full batch against mini-batches).
    """
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax_map, ax_loss = fig.subplots(1, 2, width_ratios=[1.2, 1])
        draw_surface(ax_map, surface)
        draw_landmarks(ax_map, surface)
        for traj in run:
            draw_trajectory(ax_map, traj, label=legend_label(traj))
        draw_start(ax_map, run.start)
        ax_map.legend(loc="lower right", fontsize=11, framealpha=0.9)
        ax_map.set_title(f"${surface.latex}$", loc="left")
        loss_axis(ax_loss, surface)
        for traj in run:
            draw_loss(ax_loss, surface, traj, label=legend_label(traj))
        ax_loss.legend(loc="best", framealpha=0.9)
        ax_loss.set_title(subtitle, loc="left")
        fig.suptitle(title, fontsize=17)
    return fig


def bias_correction_figure(surface, with_run, without_run, moments, *, steps_shown=40):
    """Adam's first steps with and without bias correction.

    Left: ``s`` and ``r`` under a constant gradient g = 1 (``moments = (s, r)``, one
    value per step, e.g. from ``Adam`` stepping on g = 1) against their corrected
    ``ŝ`` and ``r̂``, which are exactly 1 from the first step; middle: the length of
    each step on ``surface``; right: the two paths. ``with_run``/``without_run`` are
    single-trajectory runs of Adam with ``bias_correction`` True and False.
    """
    on, off = with_run.trajectories[0], without_run.trajectories[0]
    rho1, rho2 = on.hyperparameters["betas"]
    s, r = (np.asarray(m, dtype=float) for m in moments)
    t = np.arange(1, len(s) + 1)
    k = min(steps_shown, on.steps)
    c, grey = color("adam"), "#555555"
    with style():
        fig = Figure(figsize=(16, 5.4), layout="constrained")
        ax_m, ax_step, ax_map = fig.subplots(1, 3, width_ratios=[1, 1, 1.15])
        ax_m.plot(t, s, color=c, ls="--", label=r"$s$ (starts at 0)")
        ax_m.plot(t, s / (1 - rho1**t), color=c, label=r"$\hat s = s/(1-\rho_1^t)$")
        ax_m.plot(t, r, color=grey, ls="--", label=r"$r$ (starts at 0)")
        ax_m.plot(
            t,
            r / (1 - rho2**t),
            color=grey,
            ls=":",
            lw=3,
            label=r"$\hat r = r/(1-\rho_2^t)$",
        )
        ax_m.set_ylim(-0.03, 1.15)
        ax_m.set_xlabel("step t")
        ax_m.set_title(f"constant gradient g = 1 (ρ1={rho1:g}, ρ2={rho2:g})", loc="left")
        ax_m.legend(fontsize=11, loc="center right")
        for traj, ls, name in (
            (on, "-", "with bias correction"),
            (off, "--", "without bias correction"),
        ):
            length = np.linalg.norm(np.diff(traj.xy[: k + 1], axis=0), axis=-1)
            ax_step.plot(np.arange(1, k + 1), length, color=c, ls=ls, label=name)
        alpha = on.hyperparameters["lr"]
        ax_step.axhline(alpha * np.sqrt(2), color="#777777", lw=1, ls=":")
        ax_step.text(k, alpha * np.sqrt(2), r" $\alpha\sqrt{2}$", va="center", color=grey)
        ax_step.set_xlabel("step t")
        ax_step.set_ylabel(r"step length $|\Delta w|$")
        ax_step.set_title(f"the first {k} steps on {surface.title}", loc="left")
        ax_step.legend(fontsize=11)
        draw_surface(ax_map, surface)
        draw_landmarks(ax_map, surface)
        for traj, ls, name in (
            (on, "-", "with bias correction"),
            (off, "--", "without bias correction"),
        ):
            line, _, _ = draw_trajectory(ax_map, traj, label=name)
            line.set_linestyle(ls)
        draw_start(ax_map, on.xy[0])
        ax_map.legend(loc="lower right", fontsize=10.5, framealpha=0.9)
        ax_map.set_title(f"{on.steps} steps, α = {alpha:g}", loc="left")
        fig.suptitle(
            r"Adam's bias correction: $s$ and $r$ start at 0, so early on they are "
            r"biased towards 0; dividing by $1-\rho^t$ removes the bias",
            fontsize=15,
        )
    return fig


#: Colours for several runs of the same optimizer in one figure (full batch, ...).
VARIANT_COLORS = ("#0072B2", "#000000", "#D55E00", "#009E73")


def linear_regression_figure(surface, run, x, y):
    """The notes' L(w, b): the data with the fitted lines, and the paths over L.

    ``run`` holds trajectories over (w, b), e.g. full-batch gradient descent and
    mini-batch SGD; ``x, y`` are the data the surface was built from.
    """
    with style():
        fig = Figure(figsize=(15, 5.4), layout="constrained")
        ax_data, ax_map, ax_loss = fig.subplots(1, 3, width_ratios=[0.9, 1.15, 1])
        ax_data.scatter(x, y, s=22, color="#333333", zorder=3, label="data")
        xs = np.linspace(x.min(), x.max(), 2)
        fit = surface.minima[0]
        ax_data.plot(
            xs,
            fit.x * xs + fit.y,
            color="#777777",
            lw=1.5,
            ls=":",
            label=f"least squares: w={fit.x:.2f}, b={fit.y:.2f}",
        )
        for traj, ls, c in zip(run, ("-", "--", "-.", ":"), VARIANT_COLORS):
            w, b = traj.last_finite()
            ax_data.plot(
                xs, w * xs + b, color=c, ls=ls, label=f"{traj.label}: w={w:.2f}, b={b:.2f}"
            )
        ax_data.set_xlabel("x")
        ax_data.set_ylabel("y")
        ax_data.set_title("the data and the fitted lines", loc="left")
        ax_data.legend(fontsize=10)
        draw_surface(ax_map, surface)
        draw_landmarks(ax_map, surface)
        for traj, ls, c in zip(run, ("-", "--", "-.", ":"), VARIANT_COLORS):
            line, head, _ = draw_trajectory(ax_map, traj, label=traj.label)
            line.set_linestyle(ls)
            line.set_color(c)
            head.set_markerfacecolor(c)
        draw_start(ax_map, run.start)
        ax_map.set_xlabel("w")
        ax_map.set_ylabel("b")
        ax_map.set_title(r"$L(w, b)$ and the paths", loc="left")
        ax_map.legend(loc="lower right", fontsize=10, framealpha=0.9)
        loss_axis(ax_loss, surface)
        for traj, c in zip(run, VARIANT_COLORS):
            line, _ = draw_loss(ax_loss, surface, traj, label=traj.label)
            line.set_color(c)
        ax_loss.set_title(r"$L - L^*$", loc="left")
        ax_loss.legend(fontsize=11)
        fig.suptitle(f"Gradient descent on ${surface.latex}$", fontsize=16)
    return fig
