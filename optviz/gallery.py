"""The gallery: one ready-made figure (and animation) for every idea of the notes.

``optviz gallery`` regenerates every file of ``gallery/`` deterministically and writes
``gallery/README.md``, which shows each file with a caption in English and in Chinese
and the command that made it. ``small=True`` builds everything at a reduced size (the
tests use it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ._io import atomic_path

__all__ = ["Entry", "Gallery", "ENTRIES", "build", "readme", "NAMES"]

#: The surfaces of the five-optimizer comparison (figure 5).
COMPARE_SURFACES = ("rosenbrock", "beale", "saddle", "quadratic", "himmelblau")


@dataclass
class Gallery:
    """Where and how big: what every entry's builder gets."""

    out: Path
    small: bool = False
    lang: str = "en"
    written: list[str] = field(default_factory=list)

    def steps(self, n: int) -> int:
        return max(12, n // 10) if self.small else n

    def figure(self, fig, name: str) -> None:
        from .plot._figure import save_figure
        from .plot.i18n import localize

        save_figure(
            localize(fig, self.lang), self.out / name, dpi=70 if self.small else 150
        )
        self.written.append(name)

    def animation(self, surface, run, name: str, panels, frames: int = 120) -> None:
        from .plot.animate import Animation
        from .plot.i18n import localize

        size = (480, 240) if self.small else None
        frames = 8 if self.small else frames
        anim = Animation(surface, run, panels=panels, frames=frames, fps=20, size=size)
        localize(anim.fig, self.lang)  # before the first frame is rendered
        anim.save(self.out / name)
        self.written.append(name)


@dataclass(frozen=True)
class Entry:
    """One idea of the notes: the files it makes, what they teach, in two languages."""

    name: str
    files: tuple[str, ...]
    title: str
    title_zh: str
    caption: str
    caption_zh: str
    build: Callable[[Gallery], None]
    command: str = ""  # an equivalent single command, where there is one


# -- the builders --------------------------------------------------------------------
def _activations(g: Gallery) -> None:
    from .plot.nn_figures import activations_figure

    g.figure(activations_figure(), "activations.png")


def _convolution(g: Gallery) -> None:
    from .nn.data import digits
    from .plot.nn_figures import convolution_figure

    images, labels = digits(np.float64)
    g.figure(
        convolution_figure(images[int(np.flatnonzero(labels == 3)[0]), 0]),
        "convolution.png",
    )


def _losses(g: Gallery) -> None:
    from .plot.nn_figures import losses_figure

    g.figure(losses_figure(), "losses.png")


def _linear_regression(g: Gallery) -> None:
    from optviz.surfaces.linear_regression import linear_regression, make_data

    from .optimizers import SGD
    from .plot.teaching import VARIANT_COLORS, linear_regression_figure
    from .run import run_surface

    surface = linear_regression()
    x, y = make_data(**surface.params)
    steps = g.steps(100)
    run = run_surface(surface, {"full batch": SGD(lr=0.25)}, steps=steps)
    noisy = run_surface(
        surface, {"mini-batch (8)": SGD(lr=0.25)}, steps=steps, batch_size=8, seed=0
    )
    run.trajectories += noisy.trajectories
    for traj, c in zip(run, VARIANT_COLORS):
        traj.color = c
    g.figure(linear_regression_figure(surface, run, x, y), "linear-regression.png")
    g.animation(surface, run, "linear-regression.gif", ("trajectory", "loss"))


def _compare(name: str) -> Callable[[Gallery], None]:
    def build(g: Gallery) -> None:
        from optviz.surfaces import get

        from .plot.compare import compare_figure
        from .run import run_surface
        from .spec import build_optimizers

        surface = get(name)
        steps = g.steps(surface.steps)
        run = run_surface(surface, build_optimizers([], surface, steps=steps), steps=steps)
        g.figure(compare_figure(surface, run), f"compare-{name}.png")
        g.animation(surface, run, f"animate-{name}.gif", ("trajectory", "loss", "lr"))

    return build


def _ravine(g: Gallery) -> None:
    from optviz.surfaces.quadratic import quadratic

    from .optimizers import SGD, Momentum
    from .plot.teaching import paths_figure
    from .run import run_surface

    surface = quadratic(kappa=20)
    steps = g.steps(60)
    run = run_surface(
        surface,
        {"sgd": SGD(lr=0.095), "momentum": Momentum(lr=0.02, momentum=0.8)},
        start=(-4.5, 2.5),
        steps=steps,
    )
    fig = paths_figure(
        surface,
        run,
        subtitle=f"{steps} steps",
        title="Momentum in a ravine: SGD zig-zags across it, momentum damps the zig-zag",
    )
    g.figure(fig, "momentum-ravine.png")


def _adaptive(g: Gallery) -> None:
    from optviz.surfaces.linear_regression import linear_regression

    from .optimizers import Adagrad, Adam, RMSprop
    from .plot.lr import lr_figure
    from .run import run_surface

    surface = linear_regression()
    steps = g.steps(1000)
    run = run_surface(
        surface,
        {"adagrad": Adagrad(lr=0.5), "rmsprop": RMSprop(lr=0.02), "adam": Adam(lr=0.05)},
        steps=steps,
        batch_size=2,
        seed=0,
        record_state=True,
    )
    note = (
        f"{steps} mini-batch steps (batch 2) on the linear-regression loss: the "
        "noisy gradients never vanish, so Adagrad's sum r keeps growing and its "
        "learning rate keeps falling, while RMSprop's and Adam's moving averages "
        "level off"
    )
    g.figure(lr_figure(surface, run, footnote=note), "adaptive-lr.png")
    g.animation(surface, run, "adaptive-lr.gif", ("trajectory", "lr"))


def _bias_correction(g: Gallery) -> None:
    from optviz.surfaces.quadratic import quadratic

    from .optimizers import Adam
    from .plot.teaching import bias_correction_figure
    from .run import run_surface

    surface = quadratic(kappa=10)
    steps = g.steps(60)
    on = run_surface(surface, [Adam(lr=0.3)], steps=steps)
    off = run_surface(surface, [Adam(lr=0.3, bias_correction=False)], steps=steps)
    constant = Adam(lr=0.3)  # the moments under a constant gradient g = 1
    w, s, r = np.zeros(1), [], []
    for _ in range(40):
        constant.step(w, np.ones(1))
        s.append(constant.state[0].s[0])
        r.append(constant.state[0].r[0])
    g.figure(bias_correction_figure(surface, on, off, (s, r)), "bias-correction.png")


def _fair(g: Gallery) -> None:
    from optviz.surfaces import get

    from .plot.maps import map_figure
    from .plot.sweep import sweep_figure
    from .run import run_surface
    from .spec import build_optimizers
    from .startmap import start_map
    from .sweep import best_optimizers, lr_grid, lr_sweep

    surface = get("rosenbrock")
    steps = g.steps(500)
    optimizers = build_optimizers([], surface, steps=steps)
    n = 9 if g.small else 41
    sweep = lr_sweep(
        surface, optimizers, lr_grid(1e-5, 10.0, n), steps=steps, tol=1e-3, lr_how="grid"
    )
    best = best_optimizers(sweep, optimizers)
    best_run = run_surface(surface, best, steps=steps)
    note = f"{n} log-spaced learning rates in [1e-05, 10]; tol 1e-3"
    g.figure(sweep_figure(surface, sweep, best_run, footnote=note), "sweep-rosenbrock.png")
    himmelblau = get("himmelblau")
    smap = start_map(
        himmelblau,
        build_optimizers([], himmelblau),
        grid=20 if g.small else 120,
        steps=g.steps(himmelblau.steps),
    )
    note = "learning rates: the surface's defaults; basin: nearest global minimum"
    g.figure(
        map_figure(himmelblau, smap, "basin", footnote=note), "startmap-himmelblau.png"
    )


def _cnn(g: Gallery) -> None:
    from .landscape import training_landscape
    from .nn.data import load_dataset
    from .nn.model import default_cnn
    from .nn.trainer import train_optimizers
    from .plot.landscape import landscape_figure
    from .plot.training import curves_figure

    data = load_dataset("digits", seed=0, limit=300 if g.small else None)
    epochs = 2 if g.small else 20
    run = train_optimizers(data, epochs=epochs, seed=0, snapshot_every=2 if g.small else 10)
    g.figure(curves_figure(run), "cnn-training.png")
    model = default_cnn(data.image_shape, data.n_classes, seed=0)
    n = 64 if g.small else 512
    land = training_landscape(
        run, model, data.x_train[:n], data.y_train[:n], grid=7 if g.small else 31
    )
    g.figure(landscape_figure(land), "cnn-landscape.png")
    g.animation(
        land.as_surface(),
        land.as_run(),
        "cnn-landscape.gif",
        ("trajectory", "loss"),
        frames=60,
    )


ENTRIES: tuple[Entry, ...] = (
    Entry(
        "activations",
        ("activations.png",),
        "Activation functions",
        "激活函数",
        "ReLU, LeakyReLU, PReLU, sigmoid and tanh with their derivatives: sigmoid and "
        "tanh saturate (the gradient vanishes), ReLU has a dead zone, only tanh is "
        "zero-centred.",
        "ReLU、LeakyReLU、PReLU、sigmoid 和 tanh 及其导数："
        "sigmoid 和 tanh 会饱和（梯度消失），ReLU 有神经元死亡区，只有 tanh 是零均值的。",
        _activations,
    ),
    Entry(
        "convolution",
        ("convolution.png",),
        "Convolution and pooling",
        "卷积与池化",
        "A digit, three kernels, their feature maps after ReLU, then max and average "
        "pooling side by side, with H2 = (H1 - FH + 2P)/S + 1 worked out.",
        "一个手写数字、三个卷积核、经过 ReLU 的特征图，以及并排的最大池化与平均池化，"
        "并代入 H2 = (H1 - FH + 2P)/S + 1 计算输出尺寸。",
        _convolution,
    ),
    Entry(
        "losses",
        ("losses.png",),
        "Softmax and the losses",
        "Softmax 与损失函数",
        "Softmax turns scores into probabilities; MSE, binary and multi-class "
        "cross-entropy as functions of the prediction: cross-entropy punishes a "
        "confident wrong answer without bound.",
        "Softmax 把得分变成概率；MSE、二分类与多分类交叉熵随预测值的变化："
        "交叉熵对自信的错误答案的惩罚没有上限。",
        _losses,
    ),
    Entry(
        "linear-regression",
        ("linear-regression.png", "linear-regression.gif"),
        "Gradient descent on L(w, b)",
        "在 L(w, b) 上的梯度下降",
        "The notes' loss over two parameters: full-batch gradient descent goes "
        "straight down the bowl, mini-batch SGD (random batches of 8, no repetition "
        "within an epoch) takes a noisy path to the same place.",
        "笔记中的二元损失函数：全批量梯度下降沿碗底直线下降，小批量随机梯度下降"
        "（每批 8 个样本，每轮内不重复）走一条带噪声的路径到达同一位置。",
        _linear_regression,
    ),
    *(
        Entry(
            f"compare-{name}",
            (f"compare-{name}.png", f"animate-{name}.gif"),
            f"The five optimizers on {name.replace('_', ' ')}",
            f"五种优化器：{name}",
            "SGD, momentum, Adagrad, RMSprop and Adam from the same start at the "
            "surface's default learning rates: paths, loss, and (animated) the "
            "effective learning rate.",
            "SGD、动量、Adagrad、RMSprop 和 Adam 从同一起点、以该曲面的默认学习率出发："
            "路径、损失，以及（动画中）有效学习率。",
            _compare(name),
            command=f"optviz compare {name}; optviz animate {name} "
            "--panels trajectory,loss,lr",
        )
        for name in COMPARE_SURFACES
    ),
    Entry(
        "momentum-ravine",
        ("momentum-ravine.png",),
        "Momentum in a ravine",
        "峡谷中的动量",
        "On an elongated bowl SGD at a large learning rate zig-zags across the "
        "ravine; momentum averages the zig-zag away and rolls along it.",
        "在狭长的碗形曲面上，学习率较大的 SGD 在峡谷两侧来回震荡；动量把震荡平均掉，"
        "沿峡谷前进。",
        _ravine,
    ),
    Entry(
        "adaptive-lr",
        ("adaptive-lr.png", "adaptive-lr.gif"),
        "Adagrad vs RMSprop vs Adam: the effective learning rate",
        "Adagrad、RMSprop 与 Adam：有效学习率",
        "With noisy gradients Adagrad's accumulated r only grows, so its effective "
        "learning rate alpha/(sqrt(r)+delta) decays towards zero; RMSprop's moving "
        "average and Adam keep it steady.",
        "梯度有噪声时，Adagrad 累积的 r 只增不减，有效学习率 α/(√r+δ) 趋向于零；"
        "RMSprop 的移动平均和 Adam 让它保持稳定。",
        _adaptive,
        command="optviz lr linear_regression -o adagrad -o rmsprop -o adam",
    ),
    Entry(
        "bias-correction",
        ("bias-correction.png",),
        "Adam's bias correction",
        "Adam 的偏差修正",
        "s and r start at 0, so in the first steps they are biased towards 0; "
        "dividing by 1 - rho^t removes the bias. Without it the first steps are "
        "about three times too long.",
        "s 和 r 从 0 开始，所以最初几步偏向 0；除以 1 - ρ^t 消除这一偏差。"
        "不做修正时，最初几步大约长了三倍。",
        _bias_correction,
        command="optviz compare quadratic -o adam:lr=0.3 "
        "-o adam:lr=0.3,bias_correction=false",
    ),
    Entry(
        "fair-comparison",
        ("sweep-rosenbrock.png", "startmap-himmelblau.png"),
        "A fair comparison: learning-rate sweeps and start-point maps",
        "公平比较：学习率扫描与起点图",
        "Each optimizer over 41 learning rates on Rosenbrock, and each at its own "
        "best rate; which of Himmelblau's four minima each optimizer reaches from "
        "every start of a grid.",
        "每个优化器在 Rosenbrock 上扫描 41 个学习率，并各自使用最佳学习率；"
        "以及从网格上每个起点出发，各优化器到达 Himmelblau 四个最小值中的哪一个。",
        _fair,
        command="optviz sweep rosenbrock --tol 1e-3; optviz map himmelblau --metric basin",
    ),
    Entry(
        "cnn",
        ("cnn-training.png", "cnn-landscape.png", "cnn-landscape.gif"),
        "The CNN on digits, and its paths over the loss landscape",
        "手写数字上的 CNN 及其在损失地形上的路径",
        "The same small CNN trained from the same weights with each optimizer: loss "
        "and accuracy per epoch; then the five parameter paths projected onto one "
        "shared plane (the top two principal directions of all paths) over the loss "
        "on that plane, with the share of each path's variance the plane captures.",
        "同一个小型 CNN 从相同的初始权重出发，用每种优化器训练：每轮的损失和准确率；"
        "再把五条参数路径投影到同一个平面（所有路径的前两个主方向）上，画在该平面的"
        "损失等高线上，并标出平面解释的方差比例。",
        _cnn,
        command="optviz train --snapshot-every 10; optviz landscape",
    ),
)

NAMES = tuple(e.name for e in ENTRIES)


def build(out, *, only=(), small=False, lang="en", progress=None) -> list[str]:
    """Build the entries named in ``only`` (all when empty) into folder ``out``, then
    write ``README.md`` there when every entry was built. Returns the files written."""
    from .plot.i18n import LANGS, cjk_font

    unknown = sorted(set(only) - set(NAMES))
    if unknown:
        raise ValueError(
            f"unknown gallery entry {', '.join(unknown)}; known: {', '.join(NAMES)}"
        )
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    if lang != "en":
        cjk_font()  # fail before any work when no font can draw the labels
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    g = Gallery(out, small=small, lang=lang)
    chosen = [e for e in ENTRIES if not only or e.name in only]
    for entry in chosen:
        entry.build(g)
        if progress is not None:
            progress(entry.name)
    if len(chosen) == len(ENTRIES):
        with atomic_path(out / "README.md") as tmp:
            tmp.write_text(readme(), encoding="utf-8")
        g.written.append("README.md")
    return g.written


def readme() -> str:
    """``gallery/README.md``: every file with its captions and the command."""
    lines = [
        "# The optviz gallery",
        "",
        "Reference figures for teaching, one for every idea of the notes. Every file "
        "here is made by `optviz gallery` (deterministic: the same bytes on every run "
        "on the same machine); labels switch to Chinese with `optviz gallery --lang zh`.",
        "",
        "教学参考图：笔记中的每个概念各一张。本目录所有文件由 `optviz gallery` 生成；"
        "`optviz gallery --lang zh` 可将图中标签切换为中文。",
        "",
    ]
    for i, e in enumerate(ENTRIES, 1):
        lines += [f"## {i}. {e.title} / {e.title_zh}", ""]
        for f in e.files:
            lines += [f"![{e.title}]({f})", ""]
        lines += [e.caption, "", e.caption_zh, ""]
        made = f"Made by `optviz gallery --only {e.name}`"
        if e.command:
            made += f"; the same idea as single commands: `{e.command}`"
        lines += [made + ".", ""]
    return "\n".join(lines)
