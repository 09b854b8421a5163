r"""Figures that teach one idea each: the learning rate, momentum's β, the rate map,
Adagrad's sum against RMSprop's average, momentum in a ravine, the effective rate.

Every function takes records (runs from :func:`optviz.run.run_surface`, closed forms
from :mod:`optviz.ratemap` and :mod:`optviz.second_moment`) and returns a Figure; none steps
an optimizer. :mod:`optviz.lessons` makes the records and holds the captions.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.patches import Patch

from .. import ratemap
from ..second_moment import past_weights
from ._figure import Figure
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory, gap
from .curves import draw_loss, gap_floor, label_ends, loss_axis, mark_floor
from .style import color, color_of, settings_label, style, title

__all__ = [
    "learning_rate_figure",
    "momentum_beta_figure",
    "rate_map_figure",
    "sum_vs_average_figure",
    "ravine_figure",
    "adaptive_lr_figure",
    "REGIME_COLORS",
    "SUBTITLE_SIZE",
]

#: too small / right / too large / diverging: a sequential palette read in order.
REGIME_COLORS = ("#56B4E9", "#009E73", "#E69F00", "#D55E00")
REGIME_STYLES = ("-", "-", "--", ":")
SUBTITLE_SIZE = 14
TITLE_SIZE = 18


def _footnote(fig, text: str) -> None:
    """How the settings were chosen, under the panels (wrapped, 12 pt)."""
    fig.supxlabel(text, fontsize=12, color="#333333", wrap=True)


def _log_step_axis(ax, xlabel: str = "step t (log)") -> None:
    ax.set_xscale("log")
    ax.set_xlabel(xlabel)


# -- learning-rate -------------------------------------------------------------------
def learning_rate_figure(parabola, parabola_run, surface, run, sweep, *, names):
    """α too small, right, too large and diverging, on a parabola and on L(w, b).

    ``parabola`` is a quadratic surface run from a start on its x axis (so the path
    stays on the parabola f = λx²/2 along x, λ its x curvature); ``parabola_run`` holds
    four trajectories at rates below, near, above and beyond 2/λ. ``run`` holds four on
    ``surface`` (L(w, b)), ``sweep`` an :func:`optviz.sweep.lr_sweep` of SGD on it;
    ``names`` the four regime names.
    """
    lam = ratemap.hessian(parabola, (0.0, 0.0))[0, 0]
    stable = ratemap.largest_stable_lr(surface)
    with style():
        fig = Figure(figsize=(18, 10.5), layout="constrained")
        grid = fig.add_gridspec(2, 4, height_ratios=[1, 1.25])
        tops = [fig.add_subplot(grid[0, i]) for i in range(4)]
        for ax, traj, name, c in zip(tops, parabola_run, names, REGIME_COLORS):
            x = traj.xy[:, 0]
            finite = x[np.isfinite(x)]
            reach = max(float(np.abs(finite).max()), abs(float(x[0]))) * 1.15
            xs = np.linspace(-reach, reach, 300)
            ax.plot(xs, 0.5 * lam * xs**2, color="#888888", lw=1.8)
            ax.plot(finite, 0.5 * lam * finite**2, "-", color=c, lw=1.6, alpha=0.7)
            ax.plot(finite, 0.5 * lam * finite**2, "o", color=c, ms=7, mec="black")
            ax.plot(
                finite[0], 0.5 * lam * finite[0] ** 2, "o", ms=11, mfc="black", mec="white"
            )
            alpha = traj.hyperparameters["lr"]
            ax.set_title(f"{name}\nα = {alpha:g} = {alpha * lam / 2:.2f} × 2/λ", loc="left")
            ax.set_xlabel("w")
            ax.set_yticks([])
            if traj.diverged_at >= 0 or abs(finite[-1]) > abs(finite[0]):
                ax.text(
                    0.5,
                    0.9,
                    "diverges: each step lands further out",
                    transform=ax.transAxes,
                    ha="center",
                    color=c,
                    fontsize=12,
                    weight="bold",
                )
        tops[0].set_ylabel(r"$f(w) = \lambda w^2/2$")
        ax_map = fig.add_subplot(grid[1, :2])
        draw_surface(ax_map, surface)
        draw_landmarks(ax_map, surface)
        # -g at a coarse grid: perpendicular to the contours (equal axes make it visible)
        (x0, x1), (y0, y1) = surface.domain
        gx, gy = np.meshgrid(np.linspace(x0, x1, 11)[1:-1], np.linspace(y0, y1, 11)[1:-1])
        g = surface.grad(np.stack([gx, gy], axis=-1))
        norm = np.linalg.norm(g, axis=-1, keepdims=True)
        u = -g / np.maximum(norm, 1e-12)
        ax_map.quiver(
            gx,
            gy,
            u[..., 0],
            u[..., 1],
            color="#333333",
            alpha=0.55,
            scale=14,
            width=0.004,
            zorder=3,
        )
        lines = []
        for traj, c, ls in zip(run, REGIME_COLORS, REGIME_STYLES):
            traj.color = c
            # a path that leaves the map is drawn until it leaves (then it only grows)
            out = np.flatnonzero(
                (traj.xy[:, 0] < x0)
                | (traj.xy[:, 0] > x1)
                | (traj.xy[:, 1] < y0)
                | (traj.xy[:, 1] > y1)
                | ~np.all(np.isfinite(traj.xy), axis=-1)
            )
            upto = int(out[0]) if len(out) else None
            line, head, _ = draw_trajectory(ax_map, traj, upto=upto)
            line.set_linestyle(ls)
            lines.append(line)
            if upto is not None:
                head.set_visible(False)
                ax_map.text(
                    0.03,
                    0.03,
                    f"diverging: leaves the map at step {upto}",
                    transform=ax_map.transAxes,
                    color=c,
                    fontsize=12,
                    weight="bold",
                    bbox=dict(fc="white", ec="none", alpha=0.85),
                )
        draw_start(ax_map, run.start)
        ax_map.set_aspect("equal")
        ax_map.set_xlabel("w")
        ax_map.set_ylabel("b")
        ax_map.set_title(
            "L(w, b): arrows are −g, perpendicular to the contours", loc="left"
        )
        ax_map.legend(
            lines,
            [f"{n}: α = {t.hyperparameters['lr']:.3g}" for n, t in zip(names, run)],
            loc="center right",  # left of the map, off the paths and the note
            bbox_to_anchor=(-0.16, 0.5),
            fontsize=12,
        )
        ax_sw = fig.add_subplot(grid[1, 2:])
        curve = sweep.curves[0]
        ok = ~curve.diverged
        floor = gap_floor(surface)
        ax_sw.plot(
            curve.lr[ok], np.maximum(curve.final_gap[ok], floor), "o-", color=color("sgd")
        )
        if np.any(~ok):
            top = np.nanmax(curve.final_gap[ok]) * 3 if ok.any() else 1.0
            ax_sw.plot(
                curve.lr[~ok],
                np.full((~ok).sum(), top),
                "X",
                ms=12,
                color=REGIME_COLORS[3],
                mec="black",
                label="diverged",
            )
            ax_sw.legend(loc="upper left", fontsize=12)
        ax_sw.axvline(stable, color="black", ls="--", lw=1.5)
        ax_sw.text(
            stable,
            0.5,
            f"largest stable rate\n2/λmax = {stable:.3f} ",
            transform=ax_sw.get_xaxis_transform(),
            fontsize=13,
            va="center",
            ha="right",
            bbox=dict(fc="white", ec="none", alpha=0.85),
        )
        for traj, c, name in zip(run, REGIME_COLORS, names):
            ax_sw.axvline(traj.hyperparameters["lr"], color=c, lw=2, alpha=0.5, zorder=0)
            ax_sw.text(
                traj.hyperparameters["lr"],
                0.02,
                f" {name}",
                rotation=90,
                color=c,
                transform=ax_sw.get_xaxis_transform(),
                fontsize=12,
                va="bottom",
                weight="bold",
            )
        ax_sw.set_xscale("log")
        ax_sw.set_yscale("log")
        ax_sw.set_xlabel("learning rate α (log)")
        ax_sw.set_ylabel(f"L - L* after {sweep.steps} steps (log)")
        ax_sw.set_title("SGD on L(w, b) over α", loc="left")
        ax_sw.grid(True, alpha=0.3)
    return fig


# -- momentum-beta -------------------------------------------------------------------
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
VECTOR_COLORS = ("#CC79A7", "#0072B2", "#000000")
#: One colour per β, light to dark (none of them a vector colour).
BETA_COLORS = ("#999999", "#009E73", "#E69F00", "#D55E00")


def momentum_beta_figure(surface, run, *, rule: str, arrows_at=(1, 2, 3)):
    """One ravine, four β at tuned α: paths (with the vector sum β v + (−α g) = new v
    drawn at the steps ``arrows_at``) and the loss of each.

    ``run`` holds Momentum trajectories (β = 0 is SGD); ``rule`` says how α was chosen.
    """
    with style():
        fig = Figure(figsize=(18, 10), layout="constrained")
        grid = fig.add_gridspec(2, 3, width_ratios=[1, 1, 1.05])
        maps = [fig.add_subplot(grid[i // 2, i % 2]) for i in range(len(run))]
        for ax, traj, c in zip(maps, run, BETA_COLORS):
            traj.color = c
            beta = traj.hyperparameters["momentum"]
            alpha = traj.hyperparameters["lr"]
            draw_surface(ax, surface)
            draw_landmarks(ax, surface)
            draw_trajectory(ax, traj)
            draw_start(ax, run.start)
            for k in arrows_at:
                if k + 1 > traj.steps or not np.all(np.isfinite(traj.xy[k + 1])):
                    continue
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
        mark_floor(ax_loss, surface)
        ax_loss.set_title(rule, loc="left", fontsize=12, wrap=True)
        ax_loss.set_xlim(0, run.steps * 1.25)
        label_ends(ax_loss, lines, [f"β = {t.hyperparameters['momentum']:g}" for t in run])
    return fig


# -- rate-map ------------------------------------------------------------------------
#: The rate map's colour where momentum diverges (rate >= 1), on the map and in its legend.
DIVERGED_GREY = "#bdbdbd"
RATE_LEVELS = np.array([0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1.0])


def rate_map_figure(kappa: float, measured, *, n: int = 301):
    """Distill's map: the convergence rate of momentum over (α, β) on a quadratic with
    curvatures 1 and κ, from the spectral radius of the iteration matrix; SGD's and
    momentum's optima marked; ``measured`` rates of real runs drawn over it.

    ``measured`` is a dict with arrays ``alpha``, ``beta``, ``rate`` (same shape), e.g.
    from :func:`optviz.ratemap.measured_rate` over a batched run.
    """
    mu, big_l = 1.0, float(kappa)
    alphas = np.linspace(1e-4, 4.0 / big_l, n)
    betas = np.linspace(0.0, 0.995, n)
    rates = ratemap.rate_map(alphas, betas, mu, big_l)
    a_sgd, r_sgd = ratemap.sgd_optimum(mu, big_l)
    a_mom, b_mom, r_mom = ratemap.momentum_optimum(mu, big_l)
    n_sgd, n_mom = ratemap.steps_for([r_sgd, r_mom], 1e-6)
    cmap = ListedColormap(
        [
            "#08306b",
            "#2171b5",
            "#4292c6",
            "#6baed6",
            "#9ecae1",
            "#c6dbef",
            "#deebf7",
            "#f2f7fb",
            "#ffffff",
        ]
    )
    cmap = cmap.with_extremes(over=DIVERGED_GREY)
    norm = BoundaryNorm(RATE_LEVELS, cmap.N)
    with style():
        fig = Figure(figsize=(17, 7.6), layout="constrained")
        ax, ax_cut = fig.subplots(1, 2, width_ratios=[1.25, 1])
        mesh = ax.pcolormesh(alphas, betas, rates, cmap=cmap, norm=norm, shading="auto")
        cs = ax.contour(
            alphas, betas, rates, levels=RATE_LEVELS[1:-1], colors="#444444", linewidths=0.6
        )
        for label in ax.clabel(cs, fmt="%.2f", fontsize=12):
            label.set_zorder(6)  # over a measured run's marker, not under it
        ax.contour(alphas, betas, rates, levels=[1.0], colors="black", linewidths=2)
        ok = np.isfinite(measured["rate"])
        ax.scatter(
            measured["alpha"][ok],
            measured["beta"][ok],
            c=measured["rate"][ok],
            cmap=cmap,
            norm=norm,
            s=120,
            edgecolors="#D55E00",
            linewidths=1.3,
            zorder=5,
            label="measured on real runs (same colour scale)",
        )
        if np.any(~ok):
            ax.plot(
                measured["alpha"][~ok],
                measured["beta"][~ok],
                "x",
                color="#D55E00",
                ms=10,
                mew=2,
                ls="none",
                zorder=5,
                label="real run diverged",
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
            mfc="#F0E442",
            mec="black",
            zorder=6,
            label=f"momentum's best: α*, β*, rate {r_mom:.3f}",
        )
        ax.set_xlabel("learning rate α")
        ax.set_ylabel("momentum β")
        ax.set_title(
            f"convergence rate per step (lower is faster), κ = {kappa:g}", loc="left"
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
        # the cut along β = 0 and β = β*: theory line, measured points
        a_line = np.linspace(1e-4, 4.0 / big_l, 400)
        for beta, c, name in (
            (0.0, color("sgd"), "β = 0 (SGD)"),
            (b_mom, "#000000", f"β = β* = {b_mom:.3f}"),
        ):
            ax_cut.plot(
                a_line, ratemap.rate(a_line, beta, [mu, big_l]), color=c, label=name
            )
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
        ax_cut.plot(
            [], [], "o", mfc="white", mec="#555555", mew=2, label="measured (real runs)"
        )
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
            bbox=dict(fc="white", ec="#999999"),
        )
    return fig


# -- sum-vs-average ------------------------------------------------------------------
def sum_vs_average_figure(run, *, t_weights: int = 50, rhos=None):
    """Left: the weight of each past g² in r at step ``t_weights``: Adagrad 1 each (a
    sum), RMSprop (1-ρ)ρ^(t-k) and Adam's r̂ (averages). Right: the effective rate
    divided by α, 1/(√r + δ), of each trajectory of ``run`` on a log-step axis with a
    1/√t guide."""
    rhos = rhos or {}
    with style():
        fig = Figure(figsize=(17, 7), layout="constrained")
        ax_w, ax_r = fig.subplots(1, 2)
        k = np.arange(1, t_weights + 1)
        for traj in run:
            name = traj.optimizer
            hyper = traj.hyperparameters
            rho = hyper.get("rho", (hyper.get("betas") or [0, 0.9])[1])
            w = past_weights(name, t_weights, rho)
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
            ax_r.plot(t_all[1:], guide, color="#777777", ls="--", lw=1.5)
            ax_r.text(
                t_all[-1], guide[-1], "  ∝ 1/√t", color="#555555", fontsize=13, va="top"
            )
        _log_step_axis(ax_r)
        ax_r.set_yscale("log")
        ax_r.set_ylabel("effective rate / α = 1/(√r + δ) (log)")
        ax_r.set_title("the resulting step size", loc="left")
        ax_r.grid(True, which="major", alpha=0.3)
        ax_r.set_xlim(1, run.steps * 3)
        label_ends(ax_r, lines, labels)
    return fig


# -- momentum-ravine -----------------------------------------------------------------
def ravine_figure(surface, run, *, rule: str, predicted: dict, tol: float):
    """Tuned SGD against tuned momentum in a ravine: paths, and f - f* on a log axis
    with each one's predicted rate (``predicted``: label -> rate per step) as a thin
    dashed guide."""
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
        ax_loss.axhline(tol, color="#555555", lw=1, ls="-.")
        ax_loss.text(0, tol, f" tol {tol:g}", va="bottom", fontsize=12, color="#555555")
        floor = gap_floor(surface)
        ax_loss.set_ylim(floor / 3, None)
        mark_floor(ax_loss, surface)
        ax_loss.set_xlim(0, run.steps * 1.3)
        got = {
            t.label: float(ratemap.measured_rate(t.xy, surface.minima[0].xy)) for t in run
        }
        text = "\n".join(  # a line each: the panel is half the figure wide
            f"{title(t.optimizer)}: the error shrinks by {got[t.label]:.3f} per step "
            f"(theory {predicted[t.label]:.3f})"
            for t in run
        )
        if len(run) == 2:
            (a, b) = (t.label for t in run)
            text += (
                f"\n{title(run.trajectories[1].optimizer)} needs "
                f"{np.log(got[b]) / np.log(got[a]):.1f}× fewer steps "
                f"(theory {np.log(predicted[b]) / np.log(predicted[a]):.1f}×); "
                "dotted: theory's rate²ᵗ"
            )
        ax_loss.set_title(text, loc="left", fontsize=12)
        label_ends(ax_loss, curves, [title(t.optimizer) for t in run])
        _footnote(fig, rule)
    return fig


# -- adaptive-lr ---------------------------------------------------------------------
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
            ax_lr.plot(t[1:], guide, color="#777777", ls="--", lw=1.5)
            ax_lr.text(t[-1], guide[-1], "  ∝ 1/√t", color="#555555", fontsize=13, va="top")
        _log_step_axis(ax_lr)
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
        _log_step_axis(ax_loss)
        ax_loss.set_xlim(1, run.steps * 3)
        ax_loss.set_ylabel("L - L* (log)")
        ax_loss.set_title("the loss", loc="left")
        label_ends(ax_loss, curves, [settings_label(tr) for tr in run])
        _footnote(fig, rule)
    return fig
