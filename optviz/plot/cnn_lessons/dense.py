"""The fully connected layer: one matrix-vector product on the flattened maps."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from .._figure import Figure
from ..convolution import annotate_cells, bare
from ..style import style
from .common import HIGHLIGHT, MAP_COLORS, set_caption, shape_text

__all__ = ["fully_connected_figure"]


def _pooled_maps(fig, grid, maps: np.ndarray) -> None:
    cell = grid[:, 0].subgridspec(len(maps), 1)
    for c, m in enumerate(maps):
        ax = fig.add_subplot(cell[c])
        ax.imshow(m, cmap="magma", vmin=0, vmax=max(float(maps.max()), 1e-12))
        bare(ax)
        for spine in ax.spines.values():
            spine.set_color(MAP_COLORS[c % len(MAP_COLORS)])
            spine.set_linewidth(3)
        if c == 0:
            ax.set_title(f"pooled maps {shape_text(maps[None].shape)}", fontsize=13)


def _flattened(fig, grid, x: np.ndarray, maps: np.ndarray) -> None:
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
    ax_x.set_yticks([])
    ax_x.set_title(f"flattened: x has {x.size} numbers (map after map)", fontsize=14)
    ax_x.set_xticks([])


def _weights(fig, grid, w: np.ndarray, z: np.ndarray, r: int) -> None:
    ax_w = fig.add_subplot(grid[1, 1])
    lim = float(np.abs(w).max())
    im = ax_w.imshow(w, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
    im.set_label("W")
    ax_w.add_patch(
        Rectangle((-0.5, r - 0.5), w.shape[1], 1, fill=False, ec=HIGHLIGHT, lw=3)
    )
    ax_w.set_yticks(np.arange(len(z)))
    ax_w.set_ylabel("class (one row of W each)")
    ax_w.set_xlabel(f"W: {w.shape[0]}×{w.shape[1]} weights, one column per number of x")
    ax_w.set_xticks([])
    fig.colorbar(im, ax=ax_w, location="left", shrink=0.8, pad=0.06, label="weight")


def _bias_and_scores(fig, grid, b: np.ndarray, z: np.ndarray, r: int) -> None:
    for col, (vec, name, fmt) in enumerate(((b, "b", ".2f"), (z, "z", ".1f")), start=2):
        ax = fig.add_subplot(grid[1, col])
        lim = max(float(np.abs(vec).max()), 1e-12)
        im = ax.imshow(vec[:, None], cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
        im.set_label(name)
        annotate_cells(ax, im, vec[:, None] + 0.0, fmt, 11)
        ax.add_patch(Rectangle((-0.5, r - 0.5), 1, 1, fill=False, ec=HIGHLIGHT, lw=3))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(name, fontsize=14)


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
    its columns; the bias :math:`b` and the scores :math:`z = Wx + b`. One row is
    worked out.
    """
    maps, x, w, b, z, r = lesson.maps, lesson.x, lesson.w, lesson.b, lesson.z, lesson.row
    with style():
        fig = Figure(figsize=(18, 9.5), layout="constrained")
        grid = fig.add_gridspec(
            3, 4, width_ratios=[1.0, 6, 0.5, 0.5], height_ratios=[1, 3.2, 0.45]
        )
        _pooled_maps(fig, grid, maps)
        _flattened(fig, grid, x, maps)
        _weights(fig, grid, w, z, r)
        _bias_and_scores(fig, grid, b, z, r)
        _worked_row(fig, grid, w, x, b, z, r)
        set_caption(fig, "fully-connected")
    return fig
