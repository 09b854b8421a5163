"""A convolution's sizes: the figures of :mod:`optviz.lessons.conv`, drawn from their
records (a :class:`~optviz.records.Lesson` each) and nothing else."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from .slides import SMALL, TEXT, slide
from .style import BLUE_100, BLUE_900, GREY_33, GREY_BB, GREY_EE, WHITE, WRONG_RED, style

__all__ = ["padding_coverage_figure", "stride_kernel_figure"]


# -- padding-coverage ----------------------------------------------------------------------
def padding_coverage_figure(lesson):
    """How often each pixel is read, without and with one ring of zeros."""
    bare, padded = lesson["P=0"], lesson["P=1"]
    s = lesson.settings
    fig = slide(
        f"Edge pixels are read less: corner {bare.facts['corner']}×, centre "
        f"{bare.facts['centre']}×; one ring of zeros makes the corner "
        f"{padded.facts['corner']}×"
    )
    with style():
        axes = fig.subplots(1, 2)
    top = max(bare.facts["centre"], padded.facts["centre"])
    for ax, panel, tag in zip(axes, (bare, padded), "ab"):
        image = _reads_panel(ax, panel, top)
        f = panel.facts
        ax.set_title(
            f"({tag}) P = {f['padding']}: {f['output']} × {f['output']} outputs, "
            f"{s['kernel']} × {s['kernel']} kernel, S = {s['stride']}",
            loc="left",
        )
    bar = fig.colorbar(image, ax=axes, shrink=0.8, ticks=range(0, top + 1, 3))
    bar.set_label("windows that read the pixel", fontsize=TEXT)
    return fig


def _reads_panel(ax, panel, top):
    """The input's pixels coloured and numbered by their reads; the zero ring grey."""
    reads = panel.arrays["reads"]
    p, side = panel.facts["padding"], len(reads)
    image = ax.imshow(
        reads,
        cmap="Blues",
        vmin=0,
        vmax=top * 1.25,
        extent=(-0.5, side - 0.5, side - 0.5, -0.5),
    )
    for (i, j), n in np.ndenumerate(reads):
        colour = WHITE if n > top * 0.6 else BLUE_900
        ax.text(j, i, str(n), ha="center", va="center", fontsize=TEXT + 2, color=colour)
    for k in range(-p, side + p):  # the ring of zeros
        for i, j in ((-p, k), (side - 1 + p, k), (k, -p), (k, side - 1 + p)):
            if p and not (0 <= i < side and 0 <= j < side):
                ax.add_patch(
                    Rectangle(
                        (j - 0.5, i - 0.5), 1, 1, fc=GREY_EE, ec=GREY_BB, lw=1, hatch=".."
                    )
                )
    lo, hi = -0.5 - p, side - 0.5 + p
    ax.set_xlim(lo, hi)
    ax.set_ylim(hi, lo)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_aspect("equal")
    for spine in ax.spines.values():
        spine.set_visible(False)
    return image


# -- stride-kernel -----------------------------------------------------------------------
def stride_kernel_figure(lesson):
    """H2 for each kernel and stride; the windows of a refused case and its message."""
    table, refused = lesson["table"], lesson["refused"]
    fig = slide(
        r"$H_2 = (H_1 - F_H + 2P)/S + 1$ must be a whole number, "
        "or the last window hangs over the edge"
    )
    with style():
        grid = fig.add_gridspec(1, 2, width_ratios=[0.8, 1.3])
        ax_t, ax_w = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    _size_table(ax_t, table)
    _windows(ax_w, refused)
    return fig


def _size_table(ax, table):
    sizes, exact = table.arrays["sizes"], table.arrays["exact"]
    kernels, strides = table.arrays["kernels"], table.facts["strides"]
    ok = sizes > 0
    ax.imshow(ok, cmap="Blues", vmin=-0.6, vmax=2.2, aspect="auto")
    for (i, j), n in np.ndenumerate(sizes):
        if n:
            ax.text(j, i, str(n), ha="center", va="center", fontsize=TEXT + 4)
        else:
            ax.text(
                j,
                i,
                f"✗ {exact[i, j]:.3g}",
                ha="center",
                va="center",
                fontsize=TEXT,
                color=WRONG_RED,
            )
    ax.set_xticks(range(len(strides)), [str(s) for s in strides])
    ax.set_yticks(range(len(kernels)), [str(k) for k in kernels])
    ax.set_xlabel("stride S")
    ax.set_ylabel("kernel size FH")
    ax.tick_params(length=0)
    ax.set_title(
        f"(a) H2 for H1 = {table.facts['h1']}, P = {table.facts['padding']}",
        loc="left",
    )
    for spine in ax.spines.values():
        spine.set_visible(False)


def _windows(ax, refused):
    """The pixels of the refused case and the windows placed on them, one per row;
    the last one past the edge in red."""
    f = refused.facts
    h1, fh, starts = f["h1"], f["kernel"], refused.arrays["starts"]
    rows = len(starts)
    for x in range(h1):
        ax.add_patch(Rectangle((x, rows), 1, 0.8, fc=BLUE_100, ec=GREY_33, lw=1.2))
    for x in range(h1, h1 + f["overhang"]):
        ax.add_patch(Rectangle((x, rows), 1, 0.8, fc=WHITE, ec=WRONG_RED, lw=1.5, ls="--"))
    for r, start in enumerate(starts):
        over = start + fh > h1
        colour = WRONG_RED if over else BLUE_900
        y = rows - 1 - r
        ax.add_patch(
            Rectangle((start, y + 0.1), fh, 0.6, fc="none", ec=colour, lw=3, ls="-")
        )
        ax.text(
            start + fh + 0.15,
            y + 0.4,
            f"window {r + 1}" + (": past the edge" if over else ""),
            va="center",
            fontsize=SMALL,
            color=colour,
        )
    ax.set_xlim(-0.3, h1 + f["overhang"] + 4.2)
    ax.set_ylim(-2.4, rows + 1.1)
    ax.axis("off")
    ax.set_title(
        f"(b) H1 = {h1}, FH = {fh}, S = {f['stride']}: windows start at "
        f"0, {f['stride']}, {2 * f['stride']}, …",
        loc="left",
    )
    ax.text(
        0,
        -0.9,
        "the library refuses it in one line:",
        fontsize=TEXT,
        color=GREY_33,
        va="center",
    )
    ax.text(
        0,
        -1.8,
        f["message"].removeprefix("ValueError: "),
        fontsize=SMALL,
        family="monospace",
        color=WRONG_RED,
        va="center",
    )
