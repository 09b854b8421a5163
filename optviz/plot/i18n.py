"""Figure labels in Chinese (the notes' language): ``localize(fig, "zh")``.

Figures are drawn in English; :func:`localize` then rewrites their texts (titles, axis
labels, legend entries, annotations) through a phrase table, so the plotting code stays
one code path. Chinese needs a CJK font: :func:`cjk_font` finds one installed on the
system or raises an error naming what to install.
"""

from __future__ import annotations

import re

from matplotlib import font_manager

__all__ = ["LANGS", "PHRASES", "cjk_font", "localize", "translate", "NoCJKFontError"]

LANGS = ("en", "zh")

#: English phrase -> Chinese, longest phrases are replaced first. Terms follow the
#: notes (学习率, 动量, 梯度下降, 卷积, 池化, 激活函数, 损失函数 ...).
PHRASES: dict[str, str] = {
    "effective learning rate": "有效学习率",
    "learning rate": "学习率",
    "global minimum": "全局最小值",
    "local minimum": "局部最小值",
    "saddle point": "鞍点",
    "saddle": "鞍点",
    "start": "起点",
    "paths": "路径",
    "path": "路径",
    "steps from": "步，起点",
    "steps to converge": "收敛所需步数",
    "steps to tolerance": "达到容差的步数",
    "step length": "步长",
    "step t": "步数 t",
    "steps": "步",
    "step": "步",
    "diverged": "发散",
    "final loss": "最终损失",
    "validation accuracy": "验证准确率",
    "train loss": "训练损失",
    "validation loss": "验证损失",
    "accuracy": "准确率",
    "loss": "损失",
    "epoch": "轮次",
    "with bias correction": "有偏差修正",
    "without bias correction": "无偏差修正",
    "bias correction": "偏差修正",
    "full batch": "全批量",
    "mini-batch": "小批量",
    "gradient descent": "梯度下降",
    "momentum": "动量",
    "Momentum": "动量",
    "input": "输入",
    "kernel": "卷积核",
    "feature map": "特征图",
    "max pooling": "最大池化",
    "average pooling": "平均池化",
    "convolution": "卷积",
    "activation": "激活函数",
    "derivative": "导数",
    "saturating": "饱和区",
    "dead zone": "神经元死亡区",
    "prediction": "预测值",
    "label": "标签",
    "probability": "概率",
    "explained variance": "解释方差",
    "loss landscape": "损失地形",
    "direction": "方向",
    "basin": "吸引域",
    "none": "无",
    "best": "最佳",
    "each optimizer at its own best learning rate": "每个优化器使用各自的最佳学习率",
    # -- the CNN's teaching figures (optviz.plot.nn_figures)
    "Activation functions and their derivative: where the derivative is 0, no gradient "
    "flows back": "激活函数及其导数：导数为 0 的地方，梯度无法回传",
    "Each kernel makes its own feature map (convolution, then ReLU); pooling keeps the "
    "max or the average of each window": "每个卷积核生成自己的特征图（卷积后接 ReLU）；"
    "池化保留每个窗口的最大值或平均值",
    "Cross-entropy punishes a confident wrong answer without bound; MSE does not": (
        "交叉熵对自信的错误答案的惩罚没有上限；MSE 则有上限"
    ),
    "zero-centred output: only tanh": "零均值输出：只有 tanh",
    "zero-centred": "零均值",
    "mean output": "平均输出",
    "the gradient vanishes": "梯度消失",
    "no dead zone": "无神经元死亡区",
    "learned a": "可学习的 a",
    "example": "示例",
    "fixed": "固定",
    "largest": "最大",
    "vertical edge": "竖直边缘",
    "horizontal edge": "水平边缘",
    "blur": "模糊",
    "padding": "边缘填充",
    "stride": "滑动步长",
    "max pooling and average pooling": "最大池化与平均池化",
    "logit z of class 1, the other logits 0": "类别 1 的得分 z，其余得分为 0",
    "scores become probabilities that sum to 1": "得分变为和为 1 的概率",
    "probability of class 1": "类别 1 的概率",
    "probability of class 2 and of class 3": "类别 2 和类别 3 的概率",
    "confident and wrong": "自信却预测错误",
    "is at most": "最多为",
    "the cost of being wrong is bounded": "预测错误的代价有上限",
    "binary cross-entropy": "二分类交叉熵",
    "cross-entropy from logits": "由得分计算的交叉熵",
    "cross-entropy": "交叉熵",
    "true class": "真实类别",
    "grows without bound": "无上限地增长",
}

_CJK_NAMES = (
    "cjk",
    "wenquanyi",
    "wqy",
    "simhei",
    "source han",
    "sourcehan",
    "noto sans sc",
    "microsoft yahei",
    "pingfang",
    "heiti",
    "droid sans fallback",
)
INSTALL_HINT = (
    "no CJK font found for --lang zh; install one, e.g. `apt-get install "
    "fonts-noto-cjk` (Debian/Ubuntu), `brew install --cask font-noto-sans-cjk` "
    "(macOS), or Microsoft YaHei/SimHei on Windows"
)


class NoCJKFontError(ValueError):
    """No font that can draw Chinese is installed."""


def _is_cjk(name: str) -> bool:
    low = name.lower()
    return any(key in low for key in _CJK_NAMES)


def cjk_font() -> str:
    """The family name of an installed CJK font (registering system fonts that
    matplotlib's cache has not seen yet); :class:`NoCJKFontError` if there is none."""
    names = sorted({f.name for f in font_manager.fontManager.ttflist if _is_cjk(f.name)})
    if not names:
        for path in font_manager.findSystemFonts():
            if _is_cjk(path.rsplit("/", 1)[-1]) or "cjk" in path.lower():
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        names = sorted(
            {f.name for f in font_manager.fontManager.ttflist if _is_cjk(f.name)}
        )
    if not names:
        raise NoCJKFontError(INSTALL_HINT)
    return names[0]


_PATTERN = re.compile(
    r"\b(?:"
    + "|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True))
    + r")\b"
)


def translate(text: str, lang: str = "zh") -> str:
    """Replace every known English phrase of ``text``; maths ($...$) is left alone."""
    if lang == "en" or not text:
        return text
    parts = text.split("$")
    for i in range(0, len(parts), 2):  # even parts are outside $...$
        parts[i] = _PATTERN.sub(lambda m: PHRASES[m.group(0)], parts[i])
    return "$".join(parts)


def localize(fig, lang: str):
    """Rewrite every text of ``fig`` into ``lang`` ("en" leaves it as it is)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    if lang == "en":
        return fig
    family = cjk_font()
    for text in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "set_text")):
        content = text.get_text()
        new = translate(content, lang)
        if new != content:
            text.set_text(new)
        if hasattr(text, "set_fontfamily"):  # a legend's TextArea has no font of its own
            text.set_fontfamily([family, "DejaVu Sans"])
    return fig
