"""Recipes for the teaching figures: the runs each figure needs, its title, its message.

One function per figure, ``small=True`` for quick test-sized runs. Each returns the
Figure (the data behind it on ``fig.optviz_data`` for tests and captions). The
captions (English, Chinese) are in :data:`CAPTIONS`; every string a figure draws has
its Chinese in ``optviz/plot/locale/zh/teach.json``.

>>> fig = rate_map(small=True)
>>> round(fig.optviz_data["speedup"], 1)
4.5
"""

from __future__ import annotations

import numpy as np

from . import ratemap
from .optimizers import SGD, Adagrad, Adam, Momentum, RMSprop
from .run import run_surface
from .tuning import describe, tune

__all__ = [
    "CAPTIONS",
    "TITLES",
    "FIGURES",
    "learning_rate",
    "momentum_beta",
    "rate_map",
    "sum_vs_average",
    "momentum_ravine",
    "adaptive_lr",
    "RAVINE_KAPPA",
    "RAVINE_START",
]

#: The ravine of the momentum figures: 0.5 (x² + κ y²).
RAVINE_KAPPA = 20.0
RAVINE_START = (-4.5, 2.5)
RAVINE_TOL = 1e-4
#: The α grid every tuned figure searches (log-spaced), and the β grid.
ALPHAS = np.geomspace(1e-3, 1.0, 61)
BETAS = np.round(np.linspace(0.0, 0.95, 20), 4)

TITLES = {
    "learning-rate": ("The learning rate α", "学习率 α"),
    "momentum-beta": ("Momentum's β", "动量法的 β"),
    "rate-map": (
        "How fast momentum converges: the (α, β) map",
        "动量法的收敛速度：(α, β) 图",
    ),
    "sum-vs-average": (
        "Adagrad sums, RMSprop and Adam average",
        "Adagrad 求和，RMSprop 与 Adam 取平均",
    ),
    "momentum-ravine": ("Momentum in a ravine", "山谷中的动量法"),
    "adaptive-lr": (
        "Adagrad vs RMSprop vs Adam: the effective learning rate",
        "Adagrad、RMSprop 与 Adam：有效学习率",
    ),
}

#: One message per figure: (English, Chinese). Subtitles drawn on the figures.
CAPTIONS = {
    "learning-rate": (
        "Too small crawls, right arrives, too large zig-zags, and beyond 2/λmax every "
        "step lands further out: gradient descent diverges.",
        "学习率太小走得慢，合适则很快到达，太大会来回震荡，超过 2/λmax 后每一步都落得"
        "更远：梯度下降发散。",
    ),
    "momentum-beta": (
        "Each step adds the new push −αg to β times the old velocity: larger β builds "
        "speed along the ravine, too large swings past the minimum.",
        "每一步把新的推动 −αg 加到 β 倍的旧速度上：β 越大，沿山谷积累的速度越大；"
        "β 太大则会冲过最小值来回摆动。",
    ),
    "rate-map": (
        "Tuning β with α cuts the steps by about √κ on a quadratic of condition number "
        "κ: the rate map from the iteration matrix, checked against real runs.",
        "同时调节 β 和 α，可在条件数为 κ 的二次函数上把所需步数减少约 √κ 倍：由迭代"
        "矩阵算出的收敛速度图，并用实际运行加以验证。",
    ),
    "sum-vs-average": (
        "Adagrad's r is a sum of all past g² (the notes call it a moving average; it is "
        "not), so its rate falls like 1/√t; RMSprop's and Adam's average does not.",
        "Adagrad 的 r 是所有过去 g² 的总和（笔记称之为移动平均，其实不是），所以它的"
        "学习率按 1/√t 下降；RMSprop 和 Adam 的平均不会。",
    ),
    "momentum-ravine": (
        "In a ravine tuned momentum needs far fewer steps than tuned SGD, by the factor "
        "the rates (√κ-1)/(√κ+1) and (κ-1)/(κ+1) predict.",
        "在山谷中，调好的动量法比调好的梯度下降所需步数少得多，正如收敛速度 "
        "(√κ-1)/(√κ+1) 与 (κ-1)/(κ+1) 所预言的倍数。",
    ),
    "adaptive-lr": (
        "Adagrad's effective rate keeps falling (like 1/√t), so it falls behind; "
        "RMSprop's and Adam's rise as the gradients shrink.",
        "Adagrad 的有效学习率不断下降（约按 1/√t），因此落在后面；RMSprop 和 Adam 的"
        "有效学习率随梯度变小而上升。",
    ),
}


def _finish(fig, name: str, data: dict):
    from .plot.style import titled

    titled(fig, TITLES[name][0], CAPTIONS[name][0])
    fig.optviz_data = data
    return fig


# -- learning-rate -------------------------------------------------------------------
REGIMES = ("too small", "about right", "too large", "diverging")
#: Each regime's rate as a multiple of 2/λmax.
REGIME_FRACTIONS = (0.04, 0.4, 0.9, 1.1)


def learning_rate(small: bool = False):
    """α at 4%, 40%, 93% and 104% of 2/λmax on a parabola and on L(w, b)."""
    from optviz.surfaces.linear_regression import linear_regression
    from optviz.surfaces.quadratic import quadratic

    from .plot.lessons import learning_rate_figure
    from .sweep import lr_sweep

    parabola = quadratic(kappa=1.0)  # along x: f = w²/2, λ = 1
    limit = ratemap.largest_stable_lr(parabola)
    p_run = run_surface(
        parabola,
        {n: SGD(lr=f * limit) for n, f in zip(REGIMES, REGIME_FRACTIONS)},
        start=(-4.0, 0.0),
        steps=8,
    )
    surface = linear_regression()
    stable = ratemap.largest_stable_lr(surface)
    steps = 15 if small else 40
    run = run_surface(
        surface,
        {n: SGD(lr=f * stable) for n, f in zip(REGIMES, REGIME_FRACTIONS)},
        steps=steps,
    )
    sweep = lr_sweep(
        surface,
        [SGD()],
        np.geomspace(stable / 100, stable * 1.5, 9 if small else 41),
        steps=steps,
    )
    fig = learning_rate_figure(parabola, p_run, surface, run, sweep, names=REGIMES)
    return _finish(
        fig,
        "learning-rate",
        {"stable_lr": stable, "run": run, "sweep": sweep, "parabola_run": p_run},
    )


# -- momentum-beta -------------------------------------------------------------------
MOMENTUM_BETAS = (0.0, 0.5, 0.9, 0.99)


def _ravine():
    from optviz.surfaces.quadratic import quadratic

    return quadratic(kappa=RAVINE_KAPPA)


def momentum_beta(small: bool = False):
    """β = 0, 0.5, 0.9, 0.99, each at its own best α, on the ravine."""
    from .plot.lessons import momentum_beta_figure

    surface = _ravine()
    steps = 20 if small else 60
    protos = {f"β={b:g}": Momentum(momentum=b) for b in MOMENTUM_BETAS}
    tuned = tune(
        surface,
        protos,
        {k: {"lr": ALPHAS} for k in protos},
        steps=steps,
        start=RAVINE_START,
        tol=RAVINE_TOL,
    )
    run = run_surface(surface, tuned.optimizers, start=RAVINE_START, steps=steps)
    rule = (
        f"α per β: the best of {len(ALPHAS)} log-spaced rates in [{ALPHAS[0]:g}, "
        f"{ALPHAS[-1]:g}], fewest steps to f - f* < {RAVINE_TOL:g} within {steps} steps"
    )
    fig = momentum_beta_figure(surface, run, rule=rule)
    return _finish(fig, "momentum-beta", {"run": run, "tuned": tuned})


# -- rate-map ------------------------------------------------------------------------
def measured_rates(kappa: float, alphas, betas, steps: int = 400) -> dict:
    """Run heavy ball at every (α, β) pair (one batched run) on the quadratic with
    curvatures 1 and κ and measure each rate from the distance to the minimum."""
    from optviz.surfaces.quadratic import quadratic

    surface = quadratic(kappa=kappa)
    a, b = (np.asarray(v, dtype=float).ravel() for v in np.broadcast_arrays(alphas, betas))
    start = np.broadcast_to(np.array([1.0, 1.0]), (len(a), 2))
    # a start on both eigen-directions; the domain is the bowl's, runs rarely leave it
    run = run_surface(
        surface, [Momentum(lr=a[:, None], momentum=b[:, None])], start=start, steps=steps
    )
    xy = run.trajectories[0].xy  # (T+1, N, 2)
    rate = ratemap.measured_rate(xy, (0.0, 0.0), skip=steps // 10)
    return {"alpha": a, "beta": b, "rate": rate}


def rate_map(small: bool = False, kappa: float = RAVINE_KAPPA):
    """The convergence-rate map over (α, β) for κ, with measured rates over it."""
    from .plot.lessons import rate_map_figure

    a_sgd, _ = ratemap.sgd_optimum(1.0, kappa)
    a_mom, b_mom, _ = ratemap.momentum_optimum(1.0, kappa)
    n = 4 if small else 7
    grid_a, grid_b = np.meshgrid(np.linspace(0.4, 3.6, n) / kappa, np.linspace(0.1, 0.9, n))
    cut = np.linspace(0.2, 3.6, 2 * n) / kappa
    alphas = np.concatenate([grid_a.ravel(), cut, cut, [a_sgd, a_mom]])
    betas = np.concatenate(
        [grid_b.ravel(), np.zeros_like(cut), np.full_like(cut, b_mom), [0.0, b_mom]]
    )
    measured = measured_rates(kappa, alphas, betas, steps=200 if small else 400)
    fig = rate_map_figure(kappa, measured, n=101 if small else 301)
    data = {"measured": measured, "speedup": ratemap.speedup(1.0, kappa), "kappa": kappa}
    return _finish(fig, "rate-map", data)


# -- sum-vs-average ------------------------------------------------------------------
def _adaptive_run(steps: int):
    """Adagrad, RMSprop, Adam on the notes' L(w, b) with mini-batches of 2, all with
    the same first step α (per coordinate)."""
    from optviz.surfaces.linear_regression import linear_regression

    surface = linear_regression()
    alpha, rho = 0.1, 0.99
    optimizers = {
        "adagrad": Adagrad(lr=alpha),
        "rmsprop": RMSprop(lr=alpha * np.sqrt(1 - rho), rho=rho),
        "adam": Adam(lr=alpha),
    }
    run = run_surface(surface, optimizers, steps=steps, batch_size=2, seed=0)
    rule = (
        f"same first step for all: α = {alpha:g} per coordinate (RMSprop's α = "
        f"α√(1-ρ) = {alpha * np.sqrt(1 - rho):g}, ρ = {rho:g}; Adam ρ1 = 0.9, ρ2 = 0.999, "
        f"the defaults); mini-batches of 2 on L(w, b), the same batches for all"
    )
    return surface, run, rule


def sum_vs_average(small: bool = False):
    """Weights of past g² and the resulting rate (α-normalised) on a log-step axis."""
    from .plot.lessons import sum_vs_average_figure

    _, run, _ = _adaptive_run(200 if small else 2000)
    fig = sum_vs_average_figure(run)
    return _finish(fig, "sum-vs-average", {"run": run})


# -- momentum-ravine -----------------------------------------------------------------
def momentum_ravine(small: bool = False):
    """Tuned SGD against tuned heavy ball (α and β) on the κ = 20 ravine."""
    from .plot.lessons import ravine_figure

    surface = _ravine()
    steps = 60
    protos = {"sgd": SGD(), "momentum": Momentum()}
    grids = {"sgd": {"lr": ALPHAS}, "momentum": {"lr": ALPHAS, "momentum": BETAS}}
    tuned = tune(surface, protos, grids, steps=steps, start=RAVINE_START, tol=RAVINE_TOL)
    run = run_surface(surface, tuned.optimizers, start=RAVINE_START, steps=steps)
    lams = [1.0, RAVINE_KAPPA]
    s_sgd, s_mom = tuned.settings["sgd"], tuned.settings["momentum"]
    predicted = {
        "sgd": float(ratemap.rate(s_sgd["lr"], 0.0, lams)),
        "momentum": float(ratemap.rate(s_mom["lr"], s_mom["momentum"], lams)),
    }
    rule = (
        f"Fair by construction: {tuned.rule}; grids {len(ALPHAS)} α × {len(BETAS)} β. "
        f"Chosen: SGD {describe(s_sgd)}, momentum {describe(s_mom)}."
    )
    fig = ravine_figure(surface, run, rule=rule, predicted=predicted, tol=RAVINE_TOL)
    data = {"run": run, "tuned": tuned, "predicted": predicted}
    return _finish(fig, "momentum-ravine", data)


# -- adaptive-lr ---------------------------------------------------------------------
def adaptive_lr(small: bool = False):
    """Adagrad, RMSprop and Adam from the same first step: the rate and the loss."""
    from .plot.lessons import adaptive_lr_figure

    surface, run, rule = _adaptive_run(200 if small else 2000)
    fig = adaptive_lr_figure(surface, run, rule=rule)
    return _finish(fig, "adaptive-lr", {"run": run})


FIGURES = {
    "learning-rate": learning_rate,
    "momentum-beta": momentum_beta,
    "rate-map": rate_map,
    "sum-vs-average": sum_vs_average,
    "momentum-ravine": momentum_ravine,
    "adaptive-lr": adaptive_lr,
}


# -- bias-correction -----------------------------------------------------------------
#: The constant gradient of the moments panel: not 1, so that ŝ = g and r̂ = g² differ.
BIAS_G = 0.5


def bias_correction(small: bool = False):
    """Adam with and without bias correction: moments under a constant g, step lengths,
    paths on a quadratic."""
    from optviz.surfaces.quadratic import quadratic

    from .plot.teaching import bias_correction_figure

    surface = quadratic(kappa=10)
    steps = 20 if small else 60
    on = run_surface(surface, [Adam(lr=0.3)], steps=steps)
    off = run_surface(surface, [Adam(lr=0.3, bias_correction=False)], steps=steps)
    constant = Adam(lr=0.3)  # the moments under a constant gradient
    w, s, r = np.zeros(1), [], []
    for _ in range(300 if small else 3000):
        constant.step(w, np.full(1, BIAS_G))
        s.append(constant.state[0].s[0])
        r.append(constant.state[0].r[0])
    fig = bias_correction_figure(surface, on, off, (s, r), g=BIAS_G)
    fig.optviz_data = {"s": np.array(s), "r": np.array(r), "on": on, "off": off}
    return fig


FIGURES["bias-correction"] = bias_correction
CAPTIONS["bias-correction"] = (
    "s and r start at 0, so early on both are biased towards 0; dividing by 1-ρ1ᵗ and "
    "1-ρ2ᵗ removes the bias. Without it the step s/√r is 3.16× too long at t = 1 and "
    "about 6.6× near t = 12 (r's bias is the larger and lasts longer), falling to 1 "
    "only after thousands of steps. ρ1 = 0.9, ρ2 = 0.999 are the published defaults "
    "(the notes say 0.9 or 0.99).",
    "s 和 r 从 0 开始，所以最初几步两者都偏向 0；分别除以 1-ρ1ᵗ 和 1-ρ2ᵗ 即可消除偏差。"
    "不修正时，步长 s/√r 在 t = 1 时长了 3.16 倍，在 t = 12 附近约长 6.6 倍（r 的偏差"
    "更大、持续更久），要经过数千步才降到 1。ρ1 = 0.9、ρ2 = 0.999 是公开的默认值"
    "（笔记中写的是 0.9 或 0.99）。",
)
TITLES["bias-correction"] = ("Adam's bias correction", "Adam 的偏差修正")


# -- compare-* -----------------------------------------------------------------------
COMPARE_SURFACES = ("rosenbrock", "beale", "saddle", "quadratic", "himmelblau")
#: Momentum's β grid in the comparisons (α is searched around the surface's default).
COMPARE_BETAS = (0.5, 0.8, 0.9, 0.95)
#: The comparison searches α over this many decades below and above the default.
COMPARE_DECADES = (2, 1.5)
COMPARE_TOL = 1e-4


def compare_settings(surface, steps: int, small: bool = False):
    """The five optimizers at fair settings on ``surface``: each tuned (α; α and β for
    momentum) by :func:`optviz.tuning.tune` within ``steps`` where the surface has a
    minimum; the surface's defaults otherwise. Returns ``(optimizers, note)``; the
    note says how they were chosen, and names an optimizer whose best α is an end of
    its range (a larger or smaller one might do better still)."""
    from .plot.compare import DEFAULTS_NOTE
    from .plot.lr import SEPARATOR
    from .spec import build_optimizers

    optimizers = build_optimizers([], surface, steps=steps)
    if surface.min_value is None:
        return optimizers, DEFAULTS_NOTE + " (no minimum to tune towards)"
    n = 9 if small else 31
    low, high = COMPARE_DECADES
    grids = {}
    for label, opt in optimizers.items():
        default = surface.default_lr(opt.name)
        grid = {"lr": np.geomspace(default / 10**low, default * 10**high, n)}
        if opt.name == "momentum":
            grid["momentum"] = np.array(COMPARE_BETAS)
        grids[label] = grid
    tuned = tune(surface, optimizers, grids, steps=steps, tol=COMPARE_TOL)
    note = (
        f"Fair settings: {tuned.rule}; α over {n} log-spaced values from "
        f"10^-{low:g} to 10^{high:g} × the surface's default"
        f"; momentum's β in {{{', '.join(f'{b:g}' for b in COMPARE_BETAS)}}}."
    )
    for label, chosen in tuned.settings.items():  # say where "best" is only the range's
        lr = grids[label]["lr"]
        end = {lr[0]: "smallest", lr[-1]: "largest"}.get(chosen["lr"])
        if end is not None:
            note += f"{SEPARATOR}{optimizers[label].title}'s best α is the {end} tried"
    return tuned.optimizers, note


COMPARE_MESSAGES = {
    "rosenbrock": "Each at its best α: all drop into the curved valley at once, then "
    "crawl along it; RMSprop's step grows when r forgets the steep wall.",
    "beale": "Each at its best α: all reach the minimum along Beale's flat arm, where tiny "
    "gradients make SGD slowest; Adam's per-coordinate steps cross it fastest.",
    "saddle": "Near a saddle the gradient along the escape direction is tiny: dividing g "
    "by √r scales it up, so the adaptive methods escape first.",
    "quadratic": "Each at its best α (and β): SGD must keep α below 2/λmax and zig-zags; "
    "momentum needs about half its steps; Adam's own momentum (ρ1 = 0.9) makes it "
    "circle the minimum.",
    "himmelblau": "Four equal minima: the start and the step size decide which one an "
    "optimizer reaches; a large step overshoots into another basin.",
}
COMPARE_MESSAGES_ZH = {
    "rosenbrock": "各自使用最佳 α：都很快落入弯曲的山谷，然后沿谷底缓慢前进；"
    "RMSprop 的 r 忘记陡峭的谷壁后步长变大。",
    "beale": "各自使用最佳 α：都沿 Beale 曲面平坦的分支到达最小值；"
    "那里梯度很小，"
    "梯度下降最慢，Adam 按坐标缩放的步长最快穿过。",
    "saddle": "鞍点附近逃离方向上的梯度很小：把 g 除以 √r 会放大它，"
    "所以自适应方法最先逃离。",
    "quadratic": "各自使用最佳 α（和 β）：梯度下降的 α 必须小于 2/λmax，"
    "来回震荡；"
    "动量法只需约一半的步数；Adam 自带的动量（ρ1 = 0.9）使它绕着最小值打转。",
    "himmelblau": "四个相同的最小值：起点和步长决定优化器到达哪一个；"
    "步长太大会冲进另一个盆地。",
}


def compare(name: str, small: bool = False, view: str = "2d"):
    """The five optimizers on surface ``name`` at fair settings, with its message."""
    from optviz.surfaces import get

    from .plot.compare import compare_figure

    surface = get(name)
    steps = max(12, surface.steps // 10) if small else surface.steps
    optimizers, note = compare_settings(surface, steps, small=small)
    run = run_surface(surface, optimizers, steps=steps)
    fig = compare_figure(
        surface, run, note=note, subtitle=COMPARE_MESSAGES.get(name), view=view
    )
    fig.optviz_data = {"run": run, "note": note}
    return fig


for _name in COMPARE_SURFACES:
    FIGURES[f"compare-{_name}"] = (lambda name: lambda small=False: compare(name, small))(
        _name
    )
    CAPTIONS[f"compare-{_name}"] = (COMPARE_MESSAGES[_name], COMPARE_MESSAGES_ZH[_name])


# -- saddle-3d -----------------------------------------------------------------------
def saddle_3d(small: bool = False, name: str = "saddle"):
    """The five optimizers on the saddle (or ``name``, e.g. rosenbrock) in 3-D, at the
    comparison's settings; ``fig.optviz_data["rotation"]`` is the rotating animation
    (call ``.save("saddle-3d.gif")``)."""
    from optviz.surfaces import get

    from .plot.compare import compare_figure
    from .plot.view3d import Rotation

    surface = get(name)
    steps = max(12, surface.steps // 10) if small else surface.steps
    optimizers, note = compare_settings(surface, steps, small=small)
    run = run_surface(surface, optimizers, steps=steps)
    subtitle = CAPTIONS["saddle-3d"][0] if name == "saddle" else COMPARE_MESSAGES.get(name)
    fig = compare_figure(surface, run, note=note, subtitle=subtitle, view="3d")
    rotation = Rotation(
        surface, run, frames=4 if small else 40, size=(320, 240) if small else (560, 440)
    )
    fig.optviz_data = {"run": run, "rotation": rotation}
    return fig


CAPTIONS["saddle-3d"] = (
    "On the saddle x² - y² SGD lingers near the top, where the gradient along y is "
    "tiny; dividing g by √r scales that coordinate up, so Adagrad, RMSprop and Adam "
    "roll off first.",
    "在鞍面 x² - y² 上，梯度下降在鞍点附近徘徊，因为那里沿 y 方向的梯度很小；"
    "把 g 除以 √r 会放大这个坐标上的步长，所以 Adagrad、RMSprop 和 Adam 最先滚下去。",
)
TITLES["saddle-3d"] = ("Escaping a saddle, in 3-D", "逃离鞍点（三维视图）")
FIGURES["saddle-3d"] = saddle_3d
FIGURES["rosenbrock-3d"] = lambda small=False: saddle_3d(small, name="rosenbrock")


# -- linear-regression ---------------------------------------------------------------
LR_ALPHA, LR_BATCH, LR_EPOCHS = 0.25, 8, 100


def linear_regression_run(small: bool = False, same_steps: bool = False):
    """Full-batch gradient descent and mini-batch SGD (batches of 8, drawn without
    repetition within an epoch) on the notes' L(w, b), for the same number of epochs
    (``same_steps=True``: the same number of steps, for the animation, whose x axis
    counts steps). Returns ``(surface, run, x, y, samples_per_step)``."""
    from optviz.surfaces.linear_regression import linear_regression, make_data

    from .plot.teaching import VARIANT_COLORS

    surface = linear_regression()
    x, y = make_data(**surface.params)
    n = len(x)
    epochs = 10 if small else LR_EPOCHS
    run = run_surface(surface, {"full batch": SGD(lr=LR_ALPHA)}, steps=epochs)
    noisy = run_surface(
        surface,
        {f"mini-batch ({LR_BATCH})": SGD(lr=LR_ALPHA)},
        steps=epochs if same_steps else epochs * n // LR_BATCH,
        batch_size=LR_BATCH,
        seed=0,
    )
    run.trajectories += noisy.trajectories
    for traj, c in zip(run, VARIANT_COLORS):
        traj.color = c
    per_step = {"full batch": n, f"mini-batch ({LR_BATCH})": LR_BATCH}
    return surface, run, x, y, per_step


def linear_regression(small: bool = False):
    """The figure; the GIF is ``Animation(surface, run, panels=("trajectory", "loss"))``
    on the run of ``linear_regression_run(same_steps=True)``."""
    from .plot.teaching import linear_regression_figure

    surface, run, x, y, per_step = linear_regression_run(small)
    fig = linear_regression_figure(surface, run, x, y, samples_per_step=per_step)
    fig.optviz_data = {"run": run, "surface": surface, "samples_per_step": per_step}
    return fig


FIGURES["linear-regression"] = linear_regression
TITLES["linear-regression"] = ("Gradient descent on L(w, b)", "用梯度下降最小化 L(w, b)")
CAPTIONS["linear-regression"] = (
    "Full-batch gradient descent follows -g, which bends with the tilted bowl; "
    "mini-batch SGD (batches of 8, no repetition within an epoch) takes 5 cheaper "
    "steps per epoch, gets close sooner per sample read, then jitters at a noise floor "
    "near, not at, the least-squares fit.",
    "全批量梯度下降沿 -g 前进，路径随倾斜的碗形弯曲；小批量随机梯度下降（每批 8 个样本，"
    "每轮内不重复）每轮走 5 个更便宜的步，按读取的样本数计更快接近最小值，之后在"
    "最小二乘解附近（而不是恰好在它上面）的噪声水平上抖动。",
)


# -- sweep-rosenbrock ----------------------------------------------------------------
def sweep_rosenbrock(small: bool = False, detailed: bool = False):
    """The five optimizers over 41 learning rates on Rosenbrock: the lecture figure
    (two panels), or with ``detailed=True`` the detailed one (steps to tol, paths)."""
    from optviz.surfaces import get

    from .plot.sweep import sweep_figure, sweep_lecture_figure
    from .spec import build_optimizers
    from .sweep import best_optimizers, lr_grid, lr_sweep

    surface = get("rosenbrock")
    steps = max(12, surface.steps // 10) if small else surface.steps
    optimizers = build_optimizers([], surface, steps=steps)
    n = 9 if small else 41
    sweep = lr_sweep(
        surface, optimizers, lr_grid(1e-5, 10.0, n), steps=steps, tol=1e-3, lr_how="grid"
    )
    best_run = run_surface(surface, best_optimizers(sweep, optimizers), steps=steps)
    note = (
        f"{n} log-spaced learning rates in [1e-05, 10]; best α = {sweep.criterion_text()}"
    )
    if detailed:  # it adds the criterion itself
        grid = f"{n} log-spaced learning rates in [1e-05, 10]"
        fig = sweep_figure(surface, sweep, best_run, footnote=grid)
    else:
        fig = sweep_lecture_figure(surface, sweep, best_run, note=note)
    fig.optviz_data = {"sweep": sweep, "best_run": best_run}
    return fig


FIGURES["sweep-rosenbrock"] = sweep_rosenbrock
FIGURES["sweep-rosenbrock-detailed"] = lambda small=False: sweep_rosenbrock(small, True)
CAPTIONS["sweep-rosenbrock"] = (
    "Each optimizer over 41 learning rates on Rosenbrock, and each at its own best "
    "rate. Adagrad's 'best' α is a lucky first jump close to the minimum, after which "
    "its shrinking steps leave it almost flat: the weakness the notes warn about.",
    "每个优化器在 Rosenbrock 上扫描 41 个学习率，并各自使用最佳学习率。Adagrad 的"
    "“最佳” α 只是第一步恰好跳到最小值附近，之后步长不断缩小，曲线几乎是平的："
    "这正是笔记所说的缺点。",
)
CAPTIONS["sweep-rosenbrock-detailed"] = CAPTIONS["sweep-rosenbrock"]


# -- startmap-himmelblau -------------------------------------------------------------
def startmap_himmelblau(small: bool = False):
    """Which of Himmelblau's minima each optimizer reaches from every start."""
    from optviz.surfaces import get

    from .plot.compare import DEFAULTS_NOTE
    from .plot.maps import map_figure
    from .spec import build_optimizers
    from .startmap import start_map

    surface = get("himmelblau")
    smap = start_map(
        surface,
        build_optimizers([], surface),
        grid=20 if small else 120,
        steps=max(12, surface.steps // 10) if small else surface.steps,
    )
    note = (
        f"{DEFAULTS_NOTE}. A start is coloured by the minimum it converged to "
        f"(f - f* < {smap.tol:g} at the end); grey: not converged, black: diverged."
    )
    fig = map_figure(surface, smap, "basin", footnote=note)
    fig.optviz_data = {"map": smap}
    return fig


FIGURES["startmap-himmelblau"] = startmap_himmelblau
CAPTIONS["startmap-himmelblau"] = (
    "Which of Himmelblau's four minima each optimizer reaches from every start of a "
    "grid: the basins are not the same for every optimizer; large steps carry some "
    "starts over a ridge into another basin.",
    "从网格上每个起点出发，各优化器到达 Himmelblau 四个最小值中的哪一个：不同优化器的"
    "吸引域并不相同；步长大时，部分起点会越过山脊进入另一个吸引域。",
)
