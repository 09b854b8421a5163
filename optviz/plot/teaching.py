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
        ax_map.legend(loc="lower right", fontsize=12, framealpha=0.9)
        ax_map.set_title(f"${surface.latex}$", loc="left")
        loss_axis(ax_loss, surface)
        for traj in run:
            draw_loss(ax_loss, surface, traj, label=legend_label(traj))
        ax_loss.legend(loc="best", framealpha=0.9)
        ax_loss.set_title(subtitle, loc="left")
        fig.suptitle(title, fontsize=17)
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
    from .curves import label_ends

    on, off = with_run.trajectories[0], without_run.trajectories[0]
    rho1, rho2 = on.hyperparameters["betas"]
    s, r = (np.asarray(m, dtype=float) for m in moments)
    t = np.arange(1, len(s) + 1)
    k = min(steps_shown, on.steps)
    c, grey = color("adam"), "#555555"
    with style():
        fig = Figure(figsize=(19, 6.2), layout="constrained")
        ax_m, ax_ratio, ax_step, ax_map = fig.subplots(1, 4, width_ratios=[1, 1, 1, 1.1])
        shown = t <= 60
        lines = [
            *ax_m.plot(t[shown], s[shown], color=c, ls="--"),
            *ax_m.plot(t[shown], (s / (1 - rho1**t))[shown], color=c),
            *ax_m.plot(t[shown], r[shown], color=grey, ls="--"),
            *ax_m.plot(t[shown], (r / (1 - rho2**t))[shown], color=grey),
        ]
        ax_m.set_ylim(-0.02, max(g, g * g) * 1.15)
        ax_m.set_xlim(0, 60 * 1.35)
        ax_m.set_xlabel("step t")
        ax_m.set_title(f"moments under a constant g = {g:g}", loc="left")
        label_ends(
            ax_m,
            lines,
            [r"$s$", r"$\hat s = s/(1-\rho_1^t)$", r"$r$", r"$\hat r = r/(1-\rho_2^t)$"],
        )
        ratio = s / np.sqrt(r)
        ax_ratio.plot(t, ratio, color=c, ls="--", label=r"without: $s/\sqrt{r}$")
        ax_ratio.plot(
            t,
            s / (1 - rho1**t) / np.sqrt(r / (1 - rho2**t)),
            color=c,
            label=r"with: $\hat s/\sqrt{\hat r}$ = 1",
        )
        peak = int(np.argmax(ratio))
        ax_ratio.annotate(
            f"{ratio[0]:.2f} at t = 1",
            (1, ratio[0]),
            xytext=(8, -4),
            textcoords="offset points",
            fontsize=12,
            color=c,
            va="top",
        )
        ax_ratio.annotate(
            f"{ratio[peak]:.2f} at t = {peak + 1}",
            (peak + 1, ratio[peak]),
            xytext=(0, 8),
            textcoords="offset points",
            fontsize=12,
            color=c,
            ha="center",
        )
        ax_ratio.set_xscale("log")
        ax_ratio.set_ylim(0, ratio.max() * 1.2)
        ax_ratio.set_xlabel("step t (log)")
        ax_ratio.set_ylabel("step per α (sign(g) = 1)")
        ax_ratio.set_title("how long Adam's step is", loc="left")
        ax_ratio.legend(fontsize=12, loc="upper right")
        ax_ratio.grid(True, alpha=0.3)
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
        ax_step.set_title(f"the first {k} steps", loc="left")
        ax_step.legend(fontsize=12)
        draw_surface(ax_map, surface)
        draw_landmarks(ax_map, surface)
        for traj, ls, name in (
            (on, "-", "with bias correction"),
            (off, "--", "without bias correction"),
        ):
            line, _, _ = draw_trajectory(ax_map, traj, label=name)
            line.set_linestyle(ls)
        draw_start(ax_map, on.xy[0])
        ax_map.legend(loc="lower right", fontsize=12, framealpha=0.9)
        ax_map.set_title(f"{on.steps} steps, α = {alpha:g}", loc="left")
        fig.suptitle(
            "Adam's bias correction: s and r start at 0, so early on both are biased "
            "towards 0;\n"
            f"dividing by 1-ρ1ᵗ and 1-ρ2ᵗ removes it (ρ1 = {rho1:g}, ρ2 = {rho2:g}, "
            "the defaults). Without it the step is "
            f"{ratio[0]:.2f}× too long at t = 1 and {ratio[peak]:.1f}× at t = {peak + 1}",
            fontsize=16,
        )
    return fig


#: Colours for several runs of the same optimizer in one figure (full batch, ...).
VARIANT_COLORS = ("#0072B2", "#000000", "#D55E00", "#009E73")


def linear_regression_figure(surface, run, x, y, *, samples_per_step=None):
    """The notes' L(w, b): the data with the least-squares line and the fitted lines,
    the paths over L, and L - L* against the samples seen.

    ``run`` holds trajectories over (w, b), e.g. full-batch gradient descent and
    mini-batch SGD; ``x, y`` are the data the surface was built from.
    ``samples_per_step`` (label -> samples one step reads: n for full batch, the batch
    size for mini-batches) puts the loss over epochs, so a cheaper mini-batch step
    counts for less; without it the x axis counts steps.
    """
    from .curves import label_ends

    n = len(x)
    styles = ("-", "--", "-.", ":")
    with style():
        fig = Figure(figsize=(17, 6.2), layout="constrained")
        ax_data, ax_map, ax_loss = fig.subplots(1, 3, width_ratios=[0.9, 1.1, 1.1])
        ax_data.scatter(x, y, s=22, color="#333333", zorder=3, label="data")
        xs = np.linspace(x.min(), x.max(), 2)
        fit = surface.minima[0]
        for traj, ls, c in zip(run, styles, VARIANT_COLORS):
            w, b = traj.last_finite()
            ax_data.plot(
                xs, w * xs + b, color=c, ls=ls, lw=2,
                label=f"{traj.label} (end): w={w:.2f}, b={b:.2f}",
            )  # fmt: skip
        ax_data.plot(
            xs, fit.x * xs + fit.y, color="#000000", lw=4, alpha=0.35, zorder=2,
            label=f"least squares: w={fit.x:.2f}, b={fit.y:.2f}",
        )  # fmt: skip
        ax_data.set_xlabel("x")
        ax_data.set_ylabel("y")
        ax_data.set_title("the data and the fitted lines", loc="left")
        ax_data.legend(fontsize=12, loc="upper left")
        draw_surface(ax_map, surface)
        draw_landmarks(ax_map, surface)
        for traj, ls, c in zip(run, styles, VARIANT_COLORS):
            line, head, _ = draw_trajectory(ax_map, traj, label=traj.label)
            line.set_linestyle(ls)
            line.set_color(c)
            head.set_markerfacecolor(c)
        draw_start(ax_map, run.start)
        ax_map.set_title(r"$L(w, b)$: full batch bends with the tilted bowl", loc="left")
        ax_map.legend(loc="lower right", fontsize=12, framealpha=0.9)
        loss_axis(ax_loss, surface)
        ax_loss.set_ylabel(r"$L - L^*$ (log)")
        lines, floors = [], []
        for traj, ls, c in zip(run, styles, VARIANT_COLORS):
            line, _ = draw_loss(ax_loss, surface, traj)
            line.set_color(c)
            line.set_linestyle(ls)
            if samples_per_step is not None:
                line.set_xdata(np.arange(traj.steps + 1) * samples_per_step[traj.label] / n)
            lines.append(line)
            tail = traj.loss[-max(5, traj.steps // 5) :] - surface.min_value
            floors.append(float(np.median(tail)))
        if samples_per_step is not None:
            ax_loss.set_xlabel(f"epochs (passes over the {n} samples)")
            ax_loss.set_xlim(0, max(ln.get_xdata()[-1] for ln in lines) * 1.45)
        label_ends(ax_loss, lines, [t.label for t in run])
        noisy = [i for i, t in enumerate(run) if t.label.startswith("mini")]
        for i in noisy:
            ax_loss.axhline(floors[i], color=VARIANT_COLORS[i], lw=1.5, ls=":")
            ax_loss.text(
                0.98, 0.97,
                f"dotted: {run.trajectories[i].label}'s noise floor ≈ {floors[i]:.2g}.\n"
                "Each mini-batch gradient points a little off,\nso at a constant α "
                "the path keeps jittering\naround the minimum instead of settling",
                transform=ax_loss.transAxes, fontsize=12, va="top", ha="right",
                color="#222222", bbox=dict(fc="white", ec="#999999", alpha=0.9),
            )  # fmt: skip
        ax_loss.set_title(r"$L - L^*$ per sample read", loc="left")
        fig.suptitle(f"Gradient descent on ${surface.latex}$", fontsize=16)
    return fig
