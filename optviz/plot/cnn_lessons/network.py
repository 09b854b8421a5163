"""The network: the notes' smallest CNN, and one image through it, stage by stage."""

from __future__ import annotations

import numpy as np

from .._figure import Figure
from .._moved import moved
from ..convolution import annotate_cells, bare
from ..style import GREY_55, GREY_99, style
from .common import HIGHLIGHT, MAP_COLORS, set_caption, shape_text
from .dense import mark_dead

__all__ = ["architecture_figure", "ARROW_WIDTH"]

ARROW_WIDTH = 0.22  # of the architecture figure's arrow columns


def _size_formula(size) -> str:
    """The notes' output size worked out for a convolution or pooling stage."""
    h1, fh, p, s, h2 = size
    return rf"$H_2 = \dfrac{{{h1} - {fh} + 2\cdot {p}}}{{{s}}} + 1 = {h2}$"


def _arrows(fig, grid, columns: int) -> None:
    """The arrows between the stages."""
    for col in range(1, columns, 2):
        ax = fig.add_subplot(grid[1, col])
        ax.set_axis_off()
        ax.annotate(
            "",
            xy=(1.0, 0.5),
            xytext=(0.0, 0.5),
            xycoords="axes fraction",
            arrowprops={
                "arrowstyle": "-|>",
                "color": GREY_55,
                "lw": 2,
                "mutation_scale": 22,
            },
        )


def _maps(fig, spec, name: str, out: np.ndarray, max_maps: int, dead) -> None:
    """A stage's feature maps, stacked (the first ``max_maps``); a dead map (all 0
    after the activation) says so."""
    n = min(out.shape[1], max_maps)
    cell = spec.subgridspec(1 if n == 1 else max_maps, 1)
    top = max(float(np.abs(out[0, :n]).max()), 1e-12)
    axes = []
    for k in range(n):
        ax = fig.add_subplot(cell[k])
        grey = name == "input"
        im = ax.imshow(
            out[0, k],
            cmap="gray_r" if grey else "magma",
            vmin=0 if grey or out.min() >= 0 else -top,
            vmax=top,
        )
        im.set_label(f"{name}: map {k}")
        bare(ax)
        if not grey:
            for spine in ax.spines.values():
                spine.set_color(MAP_COLORS[k % len(MAP_COLORS)])
                spine.set_linewidth(2.5)
            if not out[0, k].any():
                mark_dead(ax, dead, k, fontsize=11)
        axes.append(ax)
    if out.shape[1] > n:
        axes[-1].set_xlabel(f"+ {out.shape[1] - n} more")


def _softmax(ax, p: np.ndarray, label: int | None) -> None:
    """The class probabilities as bars, the true class marked."""
    classes = np.arange(len(p))
    colors = [GREY_99] * len(p)
    if label is not None:
        colors[int(label)] = HIGHLIGHT
    ax.barh(classes, p, color=colors, height=0.7)
    ax.set_yticks(classes)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.15)
    ax.set_xticks([0, 0.5, 1])
    ax.set_xlabel("probability")
    best = int(np.argmax(p))
    ax.text(p[best] + 0.02, best, f"{p[best]:.2f}", va="center", fontsize=12)
    if label is not None:
        ax.text(
            0.98,
            0.02,
            f"true class: {int(label)}",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            color=HIGHLIGHT,
            fontsize=13,
        )


def _vector(ax, name: str, out: np.ndarray) -> None:
    """A vector, drawn as a column of cells."""
    v = out[0][:, None]
    top = max(float(np.abs(v).max()), 1e-12)
    im = ax.imshow(
        v,
        cmap="RdBu_r" if v.min() < 0 else "magma",
        vmin=-top if v.min() < 0 else 0,
        vmax=top,
        aspect="auto",
    )
    im.set_label(f"{name}: vector")
    if len(v) <= 12:
        annotate_cells(ax, im, v, ".1f", 11)
        ax.set_yticks(np.arange(len(v)))
        ax.tick_params(left=False, labelsize=11)
        ax.set_xticks([])
    else:
        bare(ax)


def _stage(fig, grid, col: int, stage, label, max_maps, dead) -> None:
    """One stage's column: its name, its output, its shape (and output size)."""
    name, out = stage.name, stage.out
    head = fig.add_subplot(grid[0, col])
    head.set_axis_off()
    head.text(0.5, 0.0, name.replace(": ", ":\n"), ha="center", va="bottom")
    foot = fig.add_subplot(grid[2, col])
    foot.set_axis_off()
    shape = shape_text(out.shape)
    t = foot.text(0.5, 1.0, shape, ha="center", va="top", fontsize=16)
    t.set_gid("shape")
    if stage.size is not None:
        f = foot.text(0.5, 0.55, _size_formula(stage.size), ha="center", va="top")
        f.set_fontsize(14)
        f.set_in_layout(False)
    if out.ndim == 4:
        _maps(fig, grid[1, col], name, out, max_maps, dead)
    elif name == "softmax":
        _softmax(fig.add_subplot(grid[1, col]), out[0], label)
    else:
        _vector(fig.add_subplot(grid[1, col]), name, out)


def architecture_figure(lesson, *, max_maps: int = 4) -> Figure:
    r"""One image through the notes' CNN: input -> convolution -> activation ->
    pooling -> fully connected -> softmax, every stage's real output and shape, drawn
    from ``lesson`` (:func:`optviz.nn.network_lessons.through_network`).

    Shapes are the layers' forward outputs (batch dimension dropped); under each
    convolution and pooling its output size is worked out with
    :math:`H_2 = (H_1 - F_H + 2P)/S + 1`; the softmax marks the lesson's true class.
    ``max_maps`` feature maps are drawn per stage (the first ones); a map all 0 after
    the activation says whether it is a dead kernel ("dead ReLU", the notes'
    神经元死亡: 0 on every image checked) or all 0 on this image only.
    """
    run, label = lesson.stages, lesson.label
    with style():
        fig = Figure(figsize=(18, 10.125), layout="constrained")  # 16:9
        widths = []
        for out in (stage.out for stage in run):
            widths.append(1.0 if out.ndim == 4 else (0.45 if out.shape[1] > 12 else 0.8))
        widths[-1] = 1.1
        ratios = [w for width in widths for w in (width, ARROW_WIDTH)][:-1]
        grid = fig.add_gridspec(
            3, len(ratios), width_ratios=ratios, height_ratios=[1, 8, 2]
        )
        _arrows(fig, grid, len(ratios))
        for k, stage in enumerate(run):
            _stage(fig, grid, 2 * k, stage, label, max_maps, lesson.dead)
        set_caption(fig, "cnn-architecture")
    return fig


#: Names this module exported before the lessons' numbers moved (deprecated).
__getattr__ = moved(
    "optviz.plot.cnn_lessons.network",
    {
        "STAGE_NAMES": "optviz.nn.network_lessons",
        "teaching_cnn": "optviz.nn.network_lessons",
    },
)
