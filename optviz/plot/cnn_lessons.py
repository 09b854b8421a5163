r"""The CNN half of the notes as figures: the network, convolution, pooling, the
fully connected layer.

Every number drawn comes from :mod:`optviz.nn` itself: feature maps are a real
:class:`~optviz.nn.layers.Conv2D`'s output, shapes are the layers' forward shapes,
output sizes come from :func:`~optviz.nn.im2col.conv_output_size`, receptive fields
are measured by back-propagation. Nothing here trains or steps an optimizer: a figure
that shows a trained network takes it as an argument (see :func:`teaching_cnn`).

The gradient lessons (nonlinearity, cross-entropy, vanishing gradients) are in
:mod:`optviz.plot.cnn_gradients`; :data:`CAPTIONS` holds the (English, Chinese) caption
of every figure of both modules. The English caption is drawn as the figure's title;
the Chinese of every string drawn is in ``optviz/plot/locale/zh/cnn.json``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Iterator

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import ConnectionPatch, Rectangle
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from .._io import atomic_path, check_writable
from ..nn.activations import ReLU, Softmax
from ..nn.im2col import conv_output_size
from ..nn.layers import AvgPool2D, Conv2D, Dense, Flatten, MaxPool2D, Sequential
from . import cnn_gradients
from ._figure import Figure
from .gif import GifWriter, build_palette
from .nn_figures import _annotate, _bare, _text_color, _worked
from .style import style

__all__ = [
    "CAPTIONS",
    "teaching_cnn",
    "stages",
    "architecture_figure",
    "rgb_convolution_figure",
    "SlidingWindow",
    "sliding_window_animation",
    "receptive_field",
    "receptive_field_figure",
    "shift",
    "pooling_shift_figure",
    "fully_connected_figure",
]

#: Each figure's one-message caption: (English, Chinese). The English is the title.
CAPTIONS: dict[str, tuple[str, str]] = {
    "cnn-architecture": (
        "One digit through the network: each stage's output and its shape",
        "一张数字图像经过整个网络：每一层的输出及其形状",
    ),
    "rgb-convolution": (
        "An RGB input: one 3×3 kernel per channel, the three sums added, plus one bias",
        "RGB 输入：每个通道各有一个 3×3 卷积核，三个通道的内积相加，再加一个偏置",
    ),
    "sliding-window": (
        "The window slides with stride 2 over the zero-padded input; each position "
        "gives one output value",
        "窗口以步长 2 在补零后的输入上滑动；每个位置给出一个输出值",
    ),
    "receptive-field": (
        "Stacked 3×3 convolutions: each layer widens the receptive field by 2 pixels",
        "堆叠的 3×3 卷积：每多一层，感受野的边长增加 2 个像素",
    ),
    "pooling-shift": (
        "Max pooling keeps whether a feature is in a window, not where: a one-pixel shift "
        "inside the windows changes nothing",
        "最大池化只关注窗口里有没有特征，不关注它在哪里：在窗口内平移一个像素，输出不变",
    ),
    "fully-connected": (
        "The fully connected layer is one matrix-vector product: z = W x + b on the "
        "flattened feature maps",
        "全连接层就是一次矩阵与向量的乘法：对展平的特征图计算 z = W x + b",
    ),
    **cnn_gradients.CAPTIONS,
}

#: Okabe-Ito colours, as in style.py.
HIGHLIGHT = "#D55E00"  # vermilion: the window, the chosen cell
LINK = "#0072B2"  # blue: what the window is linked to
PAD_COLOR = "#DDDDDD"
MAP_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#F0E442")
DIGITS_SIDE = 8  # the shipped digits are 8x8
ARROW_WIDTH = 0.22  # of the architecture figure's arrow columns


def _title(fig: Figure, name: str) -> None:
    fig.suptitle(CAPTIONS[name][0], fontsize=17)


def _shape_text(shape) -> str:
    """``(1, 4, 8, 8)`` -> ``"4×8×8"`` (the batch dimension dropped)."""
    return "×".join(str(int(v)) for v in shape[1:])


def _image(image: ArrayLike | None, name: str = "image") -> np.ndarray:
    """A grey image as ``(1, 1, H, W)`` float64; default the first 3 of the digits."""
    if image is None:
        from ..nn.data import digits

        x, y = digits(np.float64)
        return x[int(np.flatnonzero(y == 3)[0])][None]
    img = np.asarray(image, dtype=np.float64)
    if img.ndim == 2:
        img = img[None, None]
    elif img.ndim == 3 and img.shape[0] == 1:
        img = img[None]
    if img.ndim != 4 or img.shape[:2] != (1, 1):
        raise ValueError(
            f"{name} must be one grey image of shape (H, W), (1, H, W) or (1, 1, H, W), "
            f"got {img.shape}"
        )
    return img


# -- the network -------------------------------------------------------------------
def teaching_cnn(kernels: int = 4, *, side: int = DIGITS_SIDE, seed=0) -> Sequential:
    """The notes' network at its smallest: conv 3x3 (padding 1) -> ReLU -> max pool 2
    -> flatten -> dense 10, in float64, few enough kernels to draw every feature map.

    Untrained (He/Xavier initial weights from ``seed``); train it with
    :func:`optviz.nn.train` before drawing it, e.g.::

        net = teaching_cnn()
        train(net, Adam(lr=0.01), load_dataset("digits"), epochs=5)

    Examples
    --------
    >>> teaching_cnn().output_shape((2, 1, 8, 8))
    (2, 10)
    """
    h = conv_output_size(conv_output_size(side, 3, 1, 1), 2, 0, 2)
    return Sequential(
        Conv2D(1, kernels, 3, padding=1),  # (N, 1, 8, 8) -> (N, F, 8, 8)
        ReLU(),
        MaxPool2D(2),  # -> (N, F, 4, 4)
        Flatten(),  # -> (N, F*16)
        Dense(kernels * h * h, 10, init="xavier"),  # -> (N, 10) class scores
        dtype=np.float64,
        seed=seed,
    )


#: A stage's name by layer type.
STAGE_NAMES = {
    "Conv2D": "convolution",
    "ReLU": "activation: ReLU",
    "LeakyReLU": "activation: LeakyReLU",
    "Sigmoid": "activation: sigmoid",
    "Tanh": "activation: tanh",
    "MaxPool2D": "max pooling",
    "AvgPool2D": "average pooling",
    "Flatten": "flatten",
    "Dense": "fully connected: class scores",
}


def stages(model: Sequential, image: ArrayLike) -> list[tuple[str, object, np.ndarray]]:
    """``(name, layer, output)`` of every stage of ``model`` for one image: the input
    first (layer None), then each layer's forward output, then the softmax of the last.
    Outputs keep the batch dimension of 1."""
    x = _image(image)
    out = [("input", None, x)]
    for layer in model.layers:
        x = layer.forward(x)
        out.append((STAGE_NAMES.get(type(layer).__name__, type(layer).__name__), layer, x))
    out.append(("softmax", None, Softmax().forward(x)))
    return out


def _size_formula(layer, h1: int) -> str:
    """The notes' output size worked out for a convolution or pooling layer."""
    fh, s = layer.kernel_size[0], layer.stride[0]
    p = layer.padding[0] if isinstance(layer, Conv2D) else 0
    h2 = conv_output_size(h1, fh, p, s)
    return rf"$H_2 = \dfrac{{{h1} - {fh} + 2\cdot {p}}}{{{s}}} + 1 = {h2}$"


def architecture_figure(
    model: Sequential,
    image: ArrayLike | None = None,
    *,
    label: int | None = None,
    max_maps: int = 4,
) -> Figure:
    r"""One image through the notes' CNN: input -> convolution -> activation ->
    pooling -> fully connected -> softmax, every stage's real output and shape.

    Shapes are the layers' forward outputs (batch dimension dropped); under each
    convolution and pooling its output size is worked out with
    :math:`H_2 = (H_1 - F_H + 2P)/S + 1` (:func:`~optviz.nn.im2col.conv_output_size`).

    Parameters
    ----------
    model : Sequential
        A network of Conv2D, activations, pooling, Flatten and Dense layers, such as
        :func:`teaching_cnn` (trained or not).
    image : array_like, optional
        One grey image; default the first 3 of the shipped digits.
    label : int, optional
        Its true class, marked in the softmax.
    max_maps : int
        Feature maps drawn per stage (the first ones).

    Returns
    -------
    Figure
    """
    run = stages(model, image)
    with style():
        fig = Figure(figsize=(18, 8.2), layout="constrained")
        widths = []
        for _, _, out in run:
            widths.append(1.0 if out.ndim == 4 else (0.45 if out.shape[1] > 12 else 0.8))
        widths[-1] = 1.1
        ratios = [w for width in widths for w in (width, ARROW_WIDTH)][:-1]
        grid = fig.add_gridspec(
            3, len(ratios), width_ratios=ratios, height_ratios=[1, 8, 2]
        )
        for col in range(1, len(ratios), 2):  # the arrows between the stages
            ax = fig.add_subplot(grid[1, col])
            ax.set_axis_off()
            ax.annotate(
                "",
                xy=(1.0, 0.5),
                xytext=(0.0, 0.5),
                xycoords="axes fraction",
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": "#555555",
                    "lw": 2,
                    "mutation_scale": 22,
                },
            )
        prev_h = None
        for stage, (name, layer, out) in enumerate(run):
            col = 2 * stage
            head = fig.add_subplot(grid[0, col])
            head.set_axis_off()
            head.text(0.5, 0.0, name.replace(": ", ":\n"), ha="center", va="bottom")
            foot = fig.add_subplot(grid[2, col])
            foot.set_axis_off()
            shape = _shape_text(out.shape)
            t = foot.text(0.5, 1.0, shape, ha="center", va="top", fontsize=16)
            t.set_gid("shape")
            if isinstance(layer, (Conv2D, MaxPool2D, AvgPool2D)) and prev_h is not None:
                f = foot.text(
                    0.5, 0.55, _size_formula(layer, prev_h), ha="center", va="top"
                )
                f.set_fontsize(14)
                f.set_in_layout(False)
            if out.ndim == 4:
                prev_h = out.shape[2]
                n = min(out.shape[1], max_maps)
                cell = grid[1, col].subgridspec(1 if n == 1 else max_maps, 1)
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
                    _bare(ax)
                    if not grey:
                        for spine in ax.spines.values():
                            spine.set_color(MAP_COLORS[k % len(MAP_COLORS)])
                            spine.set_linewidth(2.5)
                    axes.append(ax)
                if out.shape[1] > n:
                    axes[-1].set_xlabel(f"+ {out.shape[1] - n} more")
            elif name == "softmax":
                ax = fig.add_subplot(grid[1, col])
                p = out[0]
                classes = np.arange(len(p))
                colors = ["#999999"] * len(p)
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
            else:  # a vector: drawn as a column of cells
                ax = fig.add_subplot(grid[1, col])
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
                    _annotate(ax, im, v, ".1f", 11)
                    ax.set_yticks(np.arange(len(v)))
                    ax.tick_params(left=False, labelsize=11)
                    ax.set_xticks([])
                else:
                    _bare(ax)
        _title(fig, "cnn-architecture")
    return fig


# -- an RGB convolution ------------------------------------------------------------
CHANNELS = ("R", "G", "B")
CHANNEL_CMAPS = ("Reds", "Greens", "Blues")
RGB_SIDE = 5  # a 5x5 picture: the numbers stay readable


def rgb_convolution_figure(*, seed=0, cell: tuple[int, int] = (1, 1), bias: float = 1.0):
    r"""One kernel on an RGB input: a 3x3 weight matrix per channel, one bias.

    The output at one window is
    :math:`y = w_R\cdot x_R + w_G\cdot x_G + w_B\cdot x_B + b` (the notes' ``y = wx +
    b``), worked out with the numbers of ``cell`` and checked against the
    :class:`~optviz.nn.layers.Conv2D` whose weights they are (stride 1, no padding).

    Parameters
    ----------
    seed : int
        The small whole-number pixels (0-4) and weights (-1, 0, 1).
    cell : (int, int)
        The output cell worked out (row, column), 0-based.
    bias : float
        The kernel's one bias :math:`b`.
    """
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 5, size=(3, RGB_SIDE, RGB_SIDE)).astype(np.float64)
    w = rng.integers(-1, 2, size=(3, 3, 3)).astype(np.float64)
    conv = Conv2D(3, 1, 3, dtype=np.float64)
    conv.weight[...] = w[None]  # (3, 3, 3) -> (1, 3, 3, 3): one kernel, 3 channels
    conv.bias[...] = bias
    y = np.array(conv.forward(x[None]))[0, 0]  # (1, 3, 5, 5) -> (3, 3)
    h2 = y.shape[0]
    i, j = (int(v) for v in cell)
    if not (0 <= i < h2 and 0 <= j < h2):
        raise ValueError(f"cell must be a (row, column) in 0..{h2 - 1}, got {cell}")
    patch = x[:, i : i + 3, j : j + 3]
    sums = (patch * w).sum(axis=(1, 2))  # one inner product per channel
    with style():
        fig = Figure(figsize=(17, 10), layout="constrained")
        grid = fig.add_gridspec(
            4,
            6,
            width_ratios=[1.1, 1.1, 0.25, 0.9, 0.25, 1.5],
            height_ratios=[1, 1, 1, 1.1],
        )
        ax_rgb = fig.add_subplot(grid[0:3, 0])
        ax_rgb.imshow(np.moveaxis(x, 0, -1) / x.max())
        ax_rgb.add_patch(
            Rectangle((j - 0.5, i - 0.5), 3, 3, fill=False, ec="white", lw=3.5, ls="--")
        )
        ax_rgb.set_xlabel(f"RGB input 3×{RGB_SIDE}×{RGB_SIDE}")
        _bare(ax_rgb)
        for c in range(3):
            ax_x = fig.add_subplot(grid[c, 1])
            im = ax_x.imshow(x[c], cmap=CHANNEL_CMAPS[c], vmin=-1, vmax=6)
            im.set_label(f"channel {CHANNELS[c]}")
            _annotate(ax_x, im, x[c], ".0f", 13)
            ax_x.add_patch(
                Rectangle((j - 0.5, i - 0.5), 3, 3, fill=False, ec=HIGHLIGHT, lw=3)
            )
            ax_x.set_ylabel(f"channel {CHANNELS[c]}", fontsize=15)
            _bare(ax_x)
            ax_dot = fig.add_subplot(grid[c, 2])
            ax_dot.set_axis_off()
            ax_dot.text(0.5, 0.5, "·", ha="center", va="center", fontsize=40)
            ax_w = fig.add_subplot(grid[c, 3])
            im = ax_w.imshow(w[c], cmap="RdBu_r", vmin=-1.6, vmax=1.6)
            im.set_label(f"weights {CHANNELS[c]}")
            _annotate(ax_w, im, w[c], ".0f", 13)
            ax_w.set_xlabel(f"$w_{CHANNELS[c]}$", fontsize=15)
            _bare(ax_w)
            ax_eq = fig.add_subplot(grid[c, 4])
            ax_eq.set_axis_off()
            ax_eq.text(0.5, 0.5, "=", ha="center", va="center", fontsize=30)
            ax_sum = fig.add_subplot(grid[c, 5])
            ax_sum.set_axis_off()
            terms = " + ".join(
                f"({int(a)})·{int(b)}" if a < 0 else f"{int(a)}·{int(b)}"
                for a, b in zip(w[c].ravel(), patch[c].ravel())
                if a != 0
            )
            ax_sum.text(0, 0.68, terms or "0", fontsize=13, va="center", color="#555555")
            t = ax_sum.text(
                0,
                0.3,
                rf"$w_{CHANNELS[c]}\cdot x_{CHANNELS[c]} = {sums[c]:g}$",
                fontsize=17,
                va="center",
            )
            t.set_gid(f"sum {CHANNELS[c]}")
        ax_total = fig.add_subplot(grid[3, 0:4])
        ax_total.set_axis_off()
        added = " + ".join(f"({v:g})" if v < 0 else f"{v:g}" for v in (*sums, bias))
        total = rf"$y = {added} = {y[i, j]:g}$"
        ax_total.text(0.02, 0.75, r"$y = w_R\cdot x_R + w_G\cdot x_G + w_B\cdot x_B + b$")
        ax_total.texts[-1].set_fontsize(18)
        t = ax_total.text(0.02, 0.15, total, fontsize=18, color=HIGHLIGHT)
        t.set_gid("total")
        ax_total.text(
            0.62, 0.15, f"bias b = {bias:g}, one per kernel", fontsize=15, va="bottom"
        )
        ax_y = fig.add_subplot(grid[3, 5])
        im = ax_y.imshow(
            y, cmap="PuOr_r", vmin=-np.abs(y).max() - 1, vmax=np.abs(y).max() + 1
        )
        im.set_label("output")
        _annotate(ax_y, im, y, "g", 15)
        ax_y.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, ec=HIGHLIGHT, lw=3))
        ax_y.set_xlabel(f"feature map {h2}×{h2}", fontsize=15)
        _bare(ax_y)
        _title(fig, "rgb-convolution")
    return fig


# -- the sliding window (an animation) -----------------------------------------------
class SlidingWindow:
    r"""A 3x3 window sliding over a zero-padded input with a stride, one frame per
    output cell: the window, the cell it makes, and the value worked out.

    The values are a :class:`~optviz.nn.layers.Conv2D`'s forward output; the formula
    :math:`H_2 = (H_1 - F_H + 2P)/S + 1` is filled in below.

    Parameters
    ----------
    image : (H, W) array_like
        The input (small whole numbers read best).
    kernel : (FH, FW) array_like
    padding, stride : int
    bias : float
    dpi : float
        Pixels per inch of the frames.
    frame_ms : float
        How long each frame is shown.
    lang : {"en", "zh"}
        The language of every text, each frame's included (localized before the
        layout is fixed).

    Examples
    --------
    >>> anim = sliding_window_animation()
    >>> len(anim), anim.output.shape
    (9, (3, 3))
    """

    def __init__(
        self,
        image: ArrayLike,
        kernel: ArrayLike,
        *,
        padding: int = 1,
        stride: int = 2,
        bias: float = 0.0,
        dpi: float = 70,
        frame_ms: float = 1400,
        lang: str = "en",
    ):
        from .i18n import localize, translate

        x = _image(image)
        k = np.asarray(kernel, dtype=np.float64)
        if k.ndim != 2:
            raise ValueError(f"kernel must have shape (FH, FW), got {k.shape}")
        self.conv = Conv2D(1, 1, k.shape, stride=stride, padding=padding, dtype=np.float64)
        self.conv.weight[...] = k[None, None]
        self.conv.bias[...] = bias
        self.output = np.array(self.conv.forward(x))[0, 0]  # (H2, W2)
        self.input, self.kernel = x[0, 0], k
        self.padding, self.stride, self.bias = int(padding), int(stride), float(bias)
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
            top = max(float(np.abs(padded).max()), 1.0)
            im = ax_in.imshow(padded, cmap="Blues", vmin=-0.3 * top, vmax=1.6 * top)
            ring = np.zeros_like(padded, dtype=bool)
            ring[:p, :] = ring[-p:, :] = ring[:, :p] = ring[:, -p:] = p > 0
            for (r, c), v in np.ndenumerate(padded):
                if ring[r, c]:
                    ax_in.add_patch(
                        Rectangle((c - 0.5, r - 0.5), 1, 1, fc=PAD_COLOR, ec="white")
                    )
                    ax_in.text(c, r, "0", ha="center", va="center", color="#888888")
                else:
                    ax_in.text(
                        c, r, f"{v:g}", ha="center", va="center", color=_text_color(im, v)
                    )
            if p:
                ax_in.add_patch(
                    Rectangle(
                        (p - 0.5, p - 0.5),
                        w1,
                        h1,
                        fill=False,
                        ec="#333333",
                        lw=1.5,
                        ls="--",
                    )
                )
            ax_in.set_xlabel(
                f"input {h1}×{w1}, zero padding P = {p} (grey ring), stride S = {s}"
            )
            _bare(ax_in)
            im = ax_k.imshow(k, cmap="RdBu_r", vmin=-1.6, vmax=1.6)
            _annotate(ax_k, im, k, "g", 14)
            ax_k.set_xlabel(
                f"kernel {fh}×{fw}, bias b = {self.bias:g}\n(the same at every position)"
            )
            _bare(ax_k)
            ax_out.imshow(np.zeros_like(self.output), cmap="Greys", vmin=0, vmax=1)
            ax_out.set_xlim(-0.5, w2 - 0.5)
            ax_out.set_ylim(h2 - 0.5, -0.5)
            for r in range(h2 + 1):
                ax_out.axhline(r - 0.5, color="#BBBBBB", lw=1)
            for c in range(w2 + 1):
                ax_out.axvline(c - 0.5, color="#BBBBBB", lw=1)
            ax_out.set_xlabel(f"output {h2}×{w2}")
            _bare(ax_out)
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
            foot = fig.add_subplot(grid[1, :])
            foot.set_axis_off()
            worked = _worked(h1, fh, p, s, symbols=True)
            foot.text(0.0, 0.3, worked, fontsize=18, va="center")
            self._step = foot.text(0.0, 1.0, "", fontsize=16, va="center", ha="left")
            self._step.set_gid("step")
            _title(fig, "sliding-window")
        return fig

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

    def iter_frames(self) -> Iterator[np.ndarray]:
        """Every frame as ``(H, W, 4)`` uint8 RGBA (a view valid until the next)."""
        canvas = self.fig.canvas
        for frame in range(len(self)):
            self.update(frame)
            with style():
                canvas.draw()
            yield np.asarray(canvas.buffer_rgba())

    def write_gif(self, fh) -> None:
        frames = [f.copy() for f in self.iter_frames()]  # 9 small frames
        palette = build_palette([frames[0], frames[-1]], keep=[(0, 0, 0), (255, 255, 255)])
        h, w = frames[0].shape[:2]
        with GifWriter(fh, (w, h), palette, loop=0) as gif:
            for n, frame in enumerate(frames):
                gif.write(frame, self.frame_ms * (2 if n == len(frames) - 1 else 1))

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


#: The sliding window's default input (5x5, small whole numbers) and kernel.
WINDOW_INPUT = np.array(
    [
        [0, 1, 2, 1, 0],
        [1, 3, 1, 0, 2],
        [2, 1, 0, 3, 1],
        [0, 2, 3, 1, 0],
        [1, 0, 1, 2, 3],
    ],
    dtype=np.float64,
)
WINDOW_KERNEL = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]], dtype=np.float64)


def sliding_window_animation(
    image: ArrayLike | None = None,
    kernel: ArrayLike | None = None,
    *,
    padding: int = 1,
    stride: int = 2,
    **kwargs,
) -> SlidingWindow:
    """:class:`SlidingWindow` with the default 5x5 input and a 3x3 edge kernel:
    padding 1, stride 2, so :math:`H_2 = (5 - 3 + 2)/2 + 1 = 3`."""
    return SlidingWindow(
        WINDOW_INPUT if image is None else image,
        WINDOW_KERNEL if kernel is None else kernel,
        padding=padding,
        stride=stride,
        **kwargs,
    )


# -- the receptive field -------------------------------------------------------------
def receptive_field(layers: int, *, kernel: int = 3, side: int | None = None):
    """Measure, by back-propagation, which input pixels one output unit of
    ``layers`` stacked ``kernel`` x ``kernel`` convolutions (stride 1, no padding,
    all weights 1) depends on.

    Returns ``(maps, sides)``: ``maps[0]`` is the input's gradient of the centre unit
    of the last layer, ``maps[l]`` the gradient at layer ``l``'s output (the last is
    one-hot); ``sides[l]`` the side of the non-zero square of ``maps[l]``.

    Examples
    --------
    >>> receptive_field(3)[1]
    [7, 5, 3, 1]
    """
    side = side or (kernel - 1) * layers + 5
    convs = [Conv2D(1, 1, kernel, dtype=np.float64) for _ in range(layers)]
    for conv in convs:
        conv.weight[...] = 1.0
        conv.bias[...] = 0.0
    x = np.zeros((1, 1, side, side))
    outs = [x]
    for conv in convs:
        outs.append(np.array(conv.forward(outs[-1])))
    last = outs[-1]
    grad = np.zeros_like(last)
    c = last.shape[-1] // 2
    grad[0, 0, c, c] = 1.0
    maps = [grad[0, 0]]
    for conv in reversed(convs):
        grad = conv.backward(grad)
        maps.append(np.array(grad[0, 0]))
    maps = maps[::-1]
    sides = []
    for m in maps:
        rows = np.flatnonzero(np.abs(m).sum(axis=1) > 0)
        sides.append(int(rows[-1] - rows[0] + 1))
    return maps, sides


def receptive_field_figure(layers: int = 3, *, kernel: int = 3, deepest: int = 8) -> Figure:
    r"""Stacked convolutions and the receptive field growing.

    Top: the input and the output of each of ``layers`` stacked ``kernel`` x
    ``kernel`` convolutions; the centre unit of the last layer is traced back by
    back-propagation (:func:`receptive_field`), and the square it depends on is
    outlined in every layer; the numbers on the input count the paths from each
    pixel to the unit. Bottom: the measured side for 1 .. ``deepest`` layers against
    :math:`1 + L(F - 1)`.
    """
    maps, sides = receptive_field(layers, kernel=kernel)
    with style():
        fig = Figure(figsize=(17, 9.5), layout="constrained")
        grid = fig.add_gridspec(2, layers + 1, height_ratios=[1.25, 1])
        for depth, (m, side) in enumerate(zip(maps, sides)):
            ax = fig.add_subplot(grid[0, depth])
            n = m.shape[0]
            top = float(m.max())
            im = ax.imshow(m, cmap="Oranges", vmin=0, vmax=top * 1.15)
            im.set_label(f"layer {depth}")
            if depth == 0 and n <= 13:
                nz = np.where(m > 0, m, np.nan)
                for (r, c), v in np.ndenumerate(nz):
                    if np.isfinite(v):
                        ax.text(
                            c,
                            r,
                            f"{v:g}",
                            ha="center",
                            va="center",
                            fontsize=9,
                            color=_text_color(im, v),
                        )
            rows = np.flatnonzero(m.sum(axis=1) > 0)
            r0 = rows[0]
            ax.add_patch(
                Rectangle((r0 - 0.5, r0 - 0.5), side, side, fill=False, ec=HIGHLIGHT, lw=3)
            )
            for g in range(n + 1):
                ax.axhline(g - 0.5, color="#DDDDDD", lw=0.6)
                ax.axvline(g - 0.5, color="#DDDDDD", lw=0.6)
            _bare(ax)
            name = "input" if depth == 0 else f"after convolution {depth}"
            ax.set_title(f"{name}: {n}×{n}", fontsize=14)
            if depth == layers:
                ax.set_xlabel("the unit traced back")
            elif depth == 0:
                ax.set_xlabel(f"it sees {side}×{side} here (numbers: paths to the unit)")
            else:
                ax.set_xlabel(f"it sees {side}×{side} here")
        ax = fig.add_subplot(grid[1, :])
        depth = np.arange(1, deepest + 1)
        measured = [receptive_field(int(d), kernel=kernel)[1][0] for d in depth]
        ax.plot(
            depth,
            1 + depth * (kernel - 1),
            color="#999999",
            lw=1.5,
            ls="--",
            label=f"$1 + L\\,(F - 1)$ with $F$ = {kernel}",
        )
        ax.plot(
            depth,
            measured,
            "o",
            color=HIGHLIGHT,
            ms=10,
            label="measured by back-propagation",
        )
        for d, v in zip(depth, measured):
            ax.text(d, v + 0.8, f"{v}×{v}", ha="center", fontsize=12)
        ax.set_xlabel(f"stacked {kernel}×{kernel} convolutions L")
        ax.set_ylabel("receptive field side (pixels)")
        ax.set_xticks(depth)
        ax.set_ylim(0, measured[-1] + 3)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="upper left")
        _title(fig, "receptive-field")
    return fig


# -- pooling: whether, not where --------------------------------------------------------
#: A feature map with three detections, each in the left column of its 2x2 window (so
#: a one-pixel shift to the right keeps it inside the window).
DETECTIONS = np.zeros((8, 8))
DETECTIONS[0, 2], DETECTIONS[1, 2] = 0.9, 0.3
DETECTIONS[4, 0], DETECTIONS[5, 0] = 0.5, 0.6
DETECTIONS[4, 4], DETECTIONS[6, 6], DETECTIONS[7, 6] = 1.0, 0.7, 0.2


def shift(x: np.ndarray, right: int) -> np.ndarray:
    """``x`` moved ``right`` pixels to the right (left when negative), zeros coming in."""
    out = np.zeros_like(x)
    if right >= 0:
        out[..., right:] = x[..., : x.shape[-1] - right]
    else:
        out[..., :right] = x[..., -right:]
    return out


def _pools(x: np.ndarray, pool: int):
    x4 = x[None, None]
    return (
        np.array(MaxPool2D(pool).forward(x4))[0, 0],
        np.array(AvgPool2D(pool).forward(x4))[0, 0],
    )


#: The footer of :func:`pooling_shift_figure`: no winner, each keeps something else.
FOOT_POOL = (
    "Inside a window neither pooling cares where a feature is:\nmax keeps the strongest "
    "response ({mx:.1f}), average its mean over the window ({avg:.2f})"
)


def _sparse_annotate(ax, im, values: np.ndarray, fmt: str, fontsize: float) -> None:
    """Write each non-zero value in its cell; zeros stay blank (0 in grey when the
    array is small)."""
    for (i, j), v in np.ndenumerate(values):
        if v != 0:
            text, color = format(v, fmt), _text_color(im, v)
        elif values.size <= 16:
            text, color = "0", "#777777"
        else:
            continue
        ax.text(j, i, text, ha="center", va="center", fontsize=fontsize, color=color)


def pooling_shift_figure(feature_map: ArrayLike | None = None, *, pool: int = 2) -> Figure:
    r"""Max pooling's "whether, not where", and where it stops.

    Columns: a feature map, the same map shifted one pixel right (every detection
    stays inside its ``pool`` x ``pool`` window) and one pixel left (they cross the
    windows' edges). Rows: the map, its max pooling, its average pooling
    (:class:`~optviz.nn.layers.MaxPool2D`, :class:`~optviz.nn.layers.AvgPool2D`).
    Each pooled panel says how many cells differ from the unshifted one. Both poolings
    are shown without a winner: inside a window neither cares where; max keeps the
    strongest response, average its mean over the window.
    """
    x = DETECTIONS if feature_map is None else np.asarray(feature_map, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"feature_map must have shape (H, W), got {x.shape}")
    columns = [
        ("unshifted", x),
        ("shifted 1 pixel right", shift(x, 1)),
        ("shifted 1 pixel left", shift(x, -1)),
    ]
    base_max, base_avg = _pools(x, pool)
    top = float(x.max()) or 1.0
    with style():
        fig = Figure(figsize=(16, 14), layout="constrained")
        axes = fig.subplots(3, 3)
        for col, (name, m) in enumerate(columns):
            mx, av = _pools(m, pool)
            rows = [(m, None), (mx, base_max), (av, base_avg)]
            for row, (values, base) in enumerate(rows):
                ax = axes[row, col]
                im = ax.imshow(values, cmap="YlOrBr", vmin=0, vmax=top)
                label = ("feature map", "max pooling", "average pooling")[row]
                im.set_label(f"{label}: {name}")
                _sparse_annotate(ax, im, values, ".2f" if row == 2 else ".1f", 13)
                if row == 0:
                    for g in range(pool, values.shape[0], pool):
                        ax.axhline(g - 0.5, color="#888888", lw=1.5)
                        ax.axvline(g - 0.5, color="#888888", lw=1.5)
                    ax.set_title(name, fontsize=15)
                _bare(ax)
                if base is not None and col > 0:
                    diff = ~np.isclose(values, base)
                    n = int(diff.sum())
                    for r, c in zip(*np.nonzero(diff)):
                        ax.add_patch(
                            Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, ec=LINK, lw=4)
                        )
                    text = (
                        "same as unshifted"
                        if n == 0
                        else f"{n} of {values.size} cells differ"
                    )
                    t = ax.set_xlabel(
                        text, fontsize=14, color="#009E73" if n == 0 else HIGHLIGHT
                    )
                    t.set_gid("verdict")
                if col == 0:
                    ylabel = (
                        "feature map",
                        f"max pooling {pool}×{pool}",
                        f"average pooling {pool}×{pool}",
                    )[row]
                    ax.set_ylabel(ylabel, fontsize=15)
        r, c = np.unravel_index(np.argmax(base_max), base_max.shape)
        t = fig.text(
            0.5,
            0.0,
            FOOT_POOL.format(mx=base_max[r, c], avg=base_avg[r, c]),
            ha="center",
            va="bottom",
            fontsize=15,
        )
        t.set_gid("foot")
        fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
        _title(fig, "pooling-shift")
    return fig


# -- the fully connected layer -------------------------------------------------------
def fully_connected_figure(
    model: Sequential, image: ArrayLike | None = None, *, row: int | None = None
) -> Figure:
    r"""The fully connected layer as a matrix-vector product on the flattened maps.

    The pooled feature maps of ``model`` (a :func:`teaching_cnn`-like network: its
    last layers Flatten and Dense) for one image, flattened into one vector
    :math:`x`; the weight matrix :math:`W`, one row per class, with :math:`x` above
    its columns; the bias :math:`b` and the scores :math:`z = Wx + b`. One row is
    worked out (default the highest score).
    """
    run = stages(model, image)
    flat_at = [k for k, (_, layer, _) in enumerate(run) if isinstance(layer, Flatten)]
    if not flat_at or not isinstance(run[flat_at[0] + 1][1], Dense):
        raise ValueError("model must end in Flatten then Dense, as teaching_cnn() does")
    k = flat_at[0]
    maps = run[k - 1][2][0]  # (C, H, W)
    x = run[k][2][0]  # (C*H*W,)
    dense = run[k + 1][1]
    z = run[k + 1][2][0]
    w, b = np.asarray(dense.weight), np.asarray(dense.bias)
    r = int(np.argmax(z)) if row is None else int(row)
    per_map = maps[0].size
    with style():
        fig = Figure(figsize=(18, 9.5), layout="constrained")
        grid = fig.add_gridspec(
            3, 4, width_ratios=[1.0, 6, 0.5, 0.5], height_ratios=[1, 3.2, 0.45]
        )
        cell = grid[:, 0].subgridspec(len(maps), 1)
        for c, m in enumerate(maps):
            ax = fig.add_subplot(cell[c])
            ax.imshow(m, cmap="magma", vmin=0, vmax=max(float(maps.max()), 1e-12))
            _bare(ax)
            for spine in ax.spines.values():
                spine.set_color(MAP_COLORS[c % len(MAP_COLORS)])
                spine.set_linewidth(3)
            if c == 0:
                ax.set_title(f"pooled maps {_shape_text(maps[None].shape)}", fontsize=13)
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
        for col, (vec, name, fmt) in enumerate(((b, "b", ".2f"), (z, "z", ".1f")), start=2):
            ax = fig.add_subplot(grid[1, col])
            lim = max(float(np.abs(vec).max()), 1e-12)
            im = ax.imshow(vec[:, None], cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
            im.set_label(name)
            _annotate(ax, im, vec[:, None] + 0.0, fmt, 11)
            ax.add_patch(Rectangle((-0.5, r - 0.5), 1, 1, fill=False, ec=HIGHLIGHT, lw=3))
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(name, fontsize=14)
        head = fig.add_subplot(grid[2, 1:])
        head.set_axis_off()
        total = rf"\sum_{{j=1}}^{{{x.size}}} W_{{{r},j}}\, x_j + b_{{{r}}}"
        worked = rf"$z_{{{r}}} = {total} = {w[r] @ x:.2f} + ({b[r]:.2f}) = {z[r]:.2f}$"
        t = head.text(
            0.5, 0.6, worked, ha="center", va="center", fontsize=17, color=HIGHLIGHT
        )
        t.set_in_layout(False)
        t.set_gid("worked")
        _title(fig, "fully-connected")
    return fig
