"""The sliding window: a kernel moving over a zero-padded input with a stride, one
frame per output cell, written by the animations' GIF writer."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Iterator

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import ConnectionPatch, Rectangle

from ..._io import atomic_path, check_writable
from .._figure import Figure
from ..animate.writers import write_gif
from ..convolution import annotate_cells, bare, text_color, worked_size
from ..gif import MAX_COLORS
from ..style import GREY_33, GREY_88, GREY_BB, style
from .common import HIGHLIGHT, PAD_COLOR, set_caption

__all__ = [
    "SlidingWindow",
    "sliding_window_animation",
]


def _draw_input(ax_in, padded: np.ndarray, p: int, shape: tuple, s: int) -> None:
    """The padded input, its numbers, the zero ring grey, the input outlined."""
    h1, w1 = shape
    top = max(float(np.abs(padded).max()), 1.0)
    im = ax_in.imshow(padded, cmap="Blues", vmin=-0.3 * top, vmax=1.6 * top)
    ring = np.zeros_like(padded, dtype=bool)
    ring[:p, :] = ring[-p:, :] = ring[:, :p] = ring[:, -p:] = p > 0
    for (r, c), v in np.ndenumerate(padded):
        if ring[r, c]:
            ax_in.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fc=PAD_COLOR, ec="white"))
            ax_in.text(c, r, "0", ha="center", va="center", color=GREY_88)
        else:
            ax_in.text(c, r, f"{v:g}", ha="center", va="center", color=text_color(im, v))
    if p:
        ax_in.add_patch(
            Rectangle(
                (p - 0.5, p - 0.5),
                w1,
                h1,
                fill=False,
                ec=GREY_33,
                lw=1.5,
                ls="--",
            )
        )
    ax_in.set_xlabel(f"input {h1}×{w1}, zero padding P = {p} (grey ring), stride S = {s}")
    bare(ax_in)


def _draw_kernel(ax_k, k: np.ndarray, bias: float) -> None:
    fh, fw = k.shape
    im = ax_k.imshow(k, cmap="RdBu_r", vmin=-1.6, vmax=1.6)
    annotate_cells(ax_k, im, k, "g", 14)
    ax_k.set_xlabel(f"kernel {fh}×{fw}, bias b = {bias:g}\n(the same at every position)")
    bare(ax_k)


def _draw_output_grid(ax_out, output: np.ndarray) -> None:
    """The empty output grid (values appear frame by frame)."""
    h2, w2 = output.shape
    ax_out.imshow(np.zeros_like(output), cmap="Greys", vmin=0, vmax=1)
    ax_out.set_xlim(-0.5, w2 - 0.5)
    ax_out.set_ylim(h2 - 0.5, -0.5)
    for r in range(h2 + 1):
        ax_out.axhline(r - 0.5, color=GREY_BB, lw=1)
    for c in range(w2 + 1):
        ax_out.axvline(c - 0.5, color=GREY_BB, lw=1)
    ax_out.set_xlabel(f"output {h2}×{w2}")
    bare(ax_out)


class SlidingWindow:
    r"""A 3x3 window sliding over a zero-padded input with a stride, one frame per
    output cell: the window, the cell it makes, and the value worked out.

    The values are a :class:`~optviz.nn.layers.Conv2D`'s forward output, given by
    ``lesson`` (:func:`optviz.nn.cnn_lessons.sliding_window`); the formula
    :math:`H_2 = (H_1 - F_H + 2P)/S + 1` is filled in below.

    Parameters
    ----------
    lesson : optviz.nn.cnn_lessons.Window
        The input, kernel, padding, stride, bias and output.
    dpi : float
        Pixels per inch of the frames.
    frame_ms : float
        How long each frame is shown.
    lang : {"en", "zh"}
        The language of every text, each frame's included (localized before the
        layout is fixed).

    Examples
    --------
    >>> from optviz.nn.cnn_lessons import sliding_window
    >>> anim = sliding_window_animation(sliding_window())
    >>> len(anim), anim.output.shape
    (9, (3, 3))
    """

    def __init__(
        self,
        lesson,
        *,
        dpi: float = 70,
        frame_ms: float = 1400,
        lang: str = "en",
    ):
        from ..i18n import localize, translate

        self.output = lesson.output  # (H2, W2)
        self.input, self.kernel = lesson.input, lesson.kernel
        self.padding, self.stride, self.bias = lesson.padding, lesson.stride, lesson.bias
        self.size = lesson.size
        self.dpi, self.frame_ms = float(dpi), float(frame_ms)
        self.cells = [
            (i, j) for i in range(self.output.shape[0]) for j in range(self.output.shape[1])
        ]
        self._translate = lambda text: translate(text, lang)  # checks lang
        self.fig = self._draw()
        self.update(0)
        localize(self.fig, lang)
        with style():
            self.fig.canvas.draw()  # lay out once, then freeze: every frame the same
        self.fig.set_layout_engine("none")
        self._gif: bytes | None = None

    def __len__(self) -> int:
        return len(self.cells)

    def _draw(self) -> Figure:
        x, k, p, s = self.input, self.kernel, self.padding, self.stride
        h1, w1 = x.shape
        fh, fw = k.shape
        h2, w2 = self.output.shape
        padded = np.pad(x, p)
        with style():
            fig = Figure(figsize=(13, 6.4), dpi=self.dpi, layout="constrained")
            FigureCanvasAgg(fig)
            grid = fig.add_gridspec(
                2,
                3,
                width_ratios=[padded.shape[1], w2 + 1.5, fw + 1],
                height_ratios=[5, 1.3],
            )
            ax_in = fig.add_subplot(grid[0, 0])
            ax_out = fig.add_subplot(grid[0, 1])
            ax_k = fig.add_subplot(grid[0, 2])
            _draw_input(ax_in, padded, p, (h1, w1), s)
            _draw_kernel(ax_k, k, self.bias)
            _draw_output_grid(ax_out, self.output)
            self._moving_parts(fig, ax_in, ax_out)
            foot = fig.add_subplot(grid[1, :])
            foot.set_axis_off()
            worked = worked_size(self.size, symbols=True)
            foot.text(0.0, 0.3, worked, fontsize=18, va="center")
            self._step = foot.text(0.0, 1.0, "", fontsize=16, va="center", ha="left")
            self._step.set_gid("step")
            set_caption(fig, "sliding-window")
        return fig

    def _moving_parts(self, fig, ax_in, ax_out) -> None:
        """The output values (hidden), the window, the cell, the link between them."""
        fh, fw = self.kernel.shape
        self._values = [
            ax_out.text(
                c, r, f"{v:g}", ha="center", va="center", fontsize=16, visible=False
            )
            for (r, c), v in np.ndenumerate(self.output)
        ]
        self._window = Rectangle((0, 0), fw, fh, fill=False, ec=HIGHLIGHT, lw=4)
        ax_in.add_patch(self._window)
        self._cell = Rectangle((0, 0), 1, 1, fill=False, ec=HIGHLIGHT, lw=4)
        ax_out.add_patch(self._cell)
        self._link = ConnectionPatch(
            (0, 0),
            (0, 0),
            "data",
            "data",
            axesA=ax_in,
            axesB=ax_out,
            color=HIGHLIGHT,
            lw=2,
            alpha=0.8,
            arrowstyle="-|>",
            mutation_scale=20,
        )
        fig.add_artist(self._link)
        self._ax_in, self._ax_out = ax_in, ax_out

    def update(self, frame: int) -> None:
        """Move the window to output cell ``frame`` (row by row)."""
        i, j = self.cells[frame]
        s = self.stride
        fh, fw = self.kernel.shape
        self._window.set_xy((j * s - 0.5, i * s - 0.5))
        self._cell.set_xy((j - 0.5, i - 0.5))
        self._link.xy1 = (j * s + fw - 0.5, i * s - 0.5)  # the window's top right
        self._link.xy2 = (j - 0.5, i - 0.5)  # the cell's top left
        for n, text in enumerate(self._values):
            text.set_visible(n <= frame)
        self._step.set_text(
            self._translate(
                f"window {frame + 1} of {len(self)}: rows {i * s}-{i * s + fh - 1}, "
                f"columns {j * s}-{j * s + fw - 1} of the padded input → output "
                f"({i}, {j}) = {self.output[i, j]:g}"
            )
        )

    def _render(self, frame: int) -> np.ndarray:
        """Frame ``frame`` as ``(H, W, 4)`` uint8 RGBA (a view valid until the next)."""
        self.update(frame)
        with style():
            self.fig.canvas.draw()
        return np.asarray(self.fig.canvas.buffer_rgba())

    def iter_frames(self) -> Iterator[np.ndarray]:
        """Every frame as ``(H, W, 4)`` uint8 RGBA (a view valid until the next)."""
        for frame in range(len(self)):
            yield self._render(frame)

    def durations_ms(self) -> list[float]:
        """How long each frame is shown: the last one twice as long."""
        return [self.frame_ms] * (len(self) - 1) + [2 * self.frame_ms]

    def write_gif(self, fh) -> None:
        """Stream the GIF to the open binary file ``fh`` (loops forever), through
        the animations' writer (:func:`optviz.plot.animate.writers.write_gif`)."""
        h, w = self._render(0).shape[:2]
        keep = [(0, 0, 0), (255, 255, 255)]
        write_gif(fh, self._render, (w, h), self.durations_ms(), keep, MAX_COLORS)

    def to_gif(self) -> bytes:
        if self._gif is None:
            buf = io.BytesIO()
            self.write_gif(buf)
            self._gif = buf.getvalue()
        return self._gif

    def save(self, path) -> Path:
        """Write the GIF to ``path`` (``.gif``), atomically."""
        path = check_writable(path, (".gif",))
        with atomic_path(path) as tmp:
            tmp.write_bytes(self.to_gif())
        return path


def sliding_window_animation(lesson, **kwargs) -> SlidingWindow:
    """:class:`SlidingWindow` of ``lesson`` (:func:`optviz.nn.cnn_lessons.sliding_window`:
    by default a 5x5 input and a 3x3 edge kernel, padding 1, stride 2, so
    :math:`H_2 = (5 - 3 + 2)/2 + 1 = 3`); ``kwargs`` go to :class:`SlidingWindow`."""
    return SlidingWindow(lesson, **kwargs)
