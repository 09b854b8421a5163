"""What the CNN figures share: their captions, colours and small helpers."""

from __future__ import annotations

from .. import cnn_gradients
from .._figure import Figure
from ..style import BLUE, GREEN, GREY_DD, ORANGE, PURPLE, SKY_BLUE, VERMILION, YELLOW

__all__ = [
    "CAPTIONS",
    "HIGHLIGHT",
    "LINK",
    "PAD_COLOR",
    "MAP_COLORS",
    "set_caption",
    "shape_text",
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
HIGHLIGHT = VERMILION  # vermilion: the window, the chosen cell
LINK = BLUE  # blue: what the window is linked to
PAD_COLOR = GREY_DD
MAP_COLORS = (BLUE, ORANGE, GREEN, PURPLE, SKY_BLUE, YELLOW)


def set_caption(fig: Figure, name: str) -> None:
    """The figure's caption (English) as its title."""
    fig.suptitle(CAPTIONS[name][0], fontsize=17)


def shape_text(shape) -> str:
    """``(1, 4, 8, 8)`` -> ``"4×8×8"`` (the batch dimension dropped)."""
    return "×".join(str(int(v)) for v in shape[1:])
