"""The fully connected layer: one matrix-vector product on the flattened maps."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from .._figure import Figure
from ..convolution import annotate_cells, bare
from ..style import WHITE, style
from .common import HIGHLIGHT, MAP_COLORS, set_caption, shape_text

__all__ = ["fully_connected_figure", "dead_text", "mark_dead"]


def dead_text(dead, k: int) -> str | None:
    """What a map all 0 is: a dead kernel ("dead ReLU") when it is 0 on every image
    checked, else all 0 on this image only; None for a live map."""
    if k in dead.never:
        return f"dead ReLU:\nall 0 on\nall {dead.seen} images"
    if k in dead.maps:
        return "all 0 on\nthis image"
    return None


def mark_dead(ax, dead, k: int, fontsize: float = 12) -> None:
    """Write over map ``k`` what its zeros mean (:func:`dead_text`), if it is all 0."""
    text = dead_text(dead, k)
    if text is not None:
        t = ax.text(
            0.5,
            0.5,
            text,
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=WHITE,
            fontsize=fontsize,
        )
        t.set_gid("dead")


def _pooled_maps(fig, grid, maps: np.ndarray, dead) -> None:
    cell = grid[:, 0].subgridspec(len(maps), 1)
    for c, m in enumerate(maps):
        ax = fig.add_subplot(cell[c])
        ax.imshow(m, cmap="magma", vmin=0, vmax=max(float(maps.max()), 1e-12))
        bare(ax)
        for spine in ax.spines.values():
            spine.set_color(MAP_COLORS[c % len(MAP_COLORS)])
            spine.set_linewidth(3)
        mark_dead(ax, dead, c, fontsize=11)
        if c == 0:
            ax.set_title(f"pooled maps\n{shape_text(maps[None].shape)}", fontsize=13)


def _flattened(fig, grid, x: np.ndarray, maps: np.ndarray, dead) -> None:
    per_map = maps[0].size
    ax_x = fig.add_subplot(grid[0, 1])
    top = max(float(np.abs(x).max()), 1e-12)
    im = ax_x.imshow(x[None], cmap="magma", vmin=0, vmax=top, aspect="auto")
    im.set_label("x")
    for c in range(len(maps)):
        ax_x.add_patch(
            Rectangle(
                (c * per_map - 0.5, -0.5),
                per_map,
                1,
                fill=False,
                ec=MAP_COLORS[c % len(MAP_COLORS)],
                lw=3,
            )
        )
        text = dead_text(dead, c)
        if text is not None:
            t = ax_x.text(
                (c + 0.5) * per_map - 0.5,
                0,
                text,
                ha="center",
                va="center",
                color=WHITE,
                fontsize=12,
            )
            t.set_gid("dead")
    ax_x.set_yticks([])
    ax_x.set_title(f"flattened: x has {x.size} numbers (map after map)", fontsize=14)
    ax_x.set_xticks([])


def _weights(fig, grid, w: np.ndarray, z: np.ndarray, r: int, lim: float):
    ax_w = fig.add_subplot(grid[1, 1])
    im = ax_w.imshow(w, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
    im.set_label("W")
    ax_w.add_patch(
        Rectangle((-0.5, r - 0.5), w.shape[1], 1, fill=False, ec=HIGHLIGHT, lw=3)
    )
    ax_w.set_yticks(np.arange(len(z)))
    ax_w.set_ylabel("class (one row of W each)")
    ax_w.set_xlabel(f"W: {w.shape[0]}×{w.shape[1]} weights, one column per number of x")
    ax_w.set_xticks([])
    return im


def _bias_and_scores(fig, grid, b: np.ndarray, z: np.ndarray, r: int, lim: float):
    axes = []
    for col, (vec, name, fmt) in enumerate(((b, "b", ".2f"), (z, "z", ".1f")), start=2):
        ax = fig.add_subplot(grid[1, col])
        im = ax.imshow(vec[:, None], cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
        im.set_label(name)
        annotate_cells(ax, im, vec[:, None] + 0.0, fmt, 11)
        ax.add_patch(Rectangle((-0.5, r - 0.5), 1, 1, fill=False, ec=HIGHLIGHT, lw=3))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(name, fontsize=14)
        axes.append(ax)
    return axes


def _worked_row(fig, grid, w, x, b, z, r: int) -> None:
    head = fig.add_subplot(grid[2, 1:])
    head.set_axis_off()
    total = rf"\sum_{{j=1}}^{{{x.size}}} W_{{{r},j}}\, x_j + b_{{{r}}}"
    worked = rf"$z_{{{r}}} = {total} = {w[r] @ x:.2f} + ({b[r]:.2f}) = {z[r]:.2f}$"
    t = head.text(0.5, 0.6, worked, ha="center", va="center", fontsize=17, color=HIGHLIGHT)
    t.set_in_layout(False)
    t.set_gid("worked")


def fully_connected_figure(lesson) -> Figure:
    r"""The fully connected layer as a matrix-vector product on the flattened maps,
    drawn from ``lesson`` (:func:`optviz.nn.network_lessons.fully_connected`).

    The pooled feature maps of a network for one image, flattened into one vector
    :math:`x`; the weight matrix :math:`W`, one row per class, with :math:`x` above
    its columns; the bias :math:`b` and the scores :math:`z = Wx + b`, all three on
    one colour scale (one colour bar). One row is worked out. A map all 0 says so: a
    dead kernel ("dead ReLU") when it is 0 on every image the lesson checked.
    """
    maps, x, w, b, z, r = lesson.maps, lesson.x, lesson.w, lesson.b, lesson.z, lesson.row
    # one colour scale for W, b and z: a colour means the same number in all three
    lim = max(float(np.abs(w).max()), float(np.abs(b).max()), float(np.abs(z).max()))
    lim = max(lim, 1e-12)
    with style():
        fig = Figure(figsize=(18, 10.125), layout="constrained")  # 16:9
        grid = fig.add_gridspec(
            3, 4, width_ratios=[1.0, 6, 0.5, 0.5], height_ratios=[1, 3.2, 0.45]
        )
        _pooled_maps(fig, grid, maps, lesson.dead)
        _flattened(fig, grid, x, maps, lesson.dead)
        im = _weights(fig, grid, w, z, r, lim)
        axes = _bias_and_scores(fig, grid, b, z, r, lim)
        fig.colorbar(
            im, ax=axes, location="right", shrink=0.8, label="W, b and z (one scale)"
        )
        _worked_row(fig, grid, w, x, b, z, r)
        set_caption(fig, "fully-connected")
    return fig
