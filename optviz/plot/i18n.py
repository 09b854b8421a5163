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
        text.set_fontfamily([family, "DejaVu Sans"])
    return fig
