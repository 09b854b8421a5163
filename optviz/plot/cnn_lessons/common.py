"""What the CNN figures share: their captions (read from the caption table), colours
and small helpers."""

from __future__ import annotations

from .._figure import Figure
from .._moved import moved
from ..i18n import captions
from ..style import BLUE, GREEN, GREY_DD, ORANGE, PURPLE, SKY_BLUE, VERMILION, YELLOW

__all__ = [
    "caption",
    "HIGHLIGHT",
    "LINK",
    "PAD_COLOR",
    "MAP_COLORS",
    "set_caption",
    "shape_text",
]

#: Okabe-Ito colours, as in style.py.
HIGHLIGHT = VERMILION  # vermilion: the window, the chosen cell
LINK = BLUE  # blue: what the window is linked to
PAD_COLOR = GREY_DD
MAP_COLORS = (BLUE, ORANGE, GREEN, PURPLE, SKY_BLUE, YELLOW)


def caption(name: str) -> str:
    """Entry ``name``'s caption as a figure draws it for its title: the English of the
    one caption table (``optviz/plot/locale/en/captions.json``), without its full
    stop."""
    return captions("en")[name]["caption"].removesuffix(".")


def set_caption(fig: Figure, name: str) -> None:
    """The figure's caption (English) as its title."""
    fig.suptitle(caption(name), fontsize=17)


def shape_text(shape) -> str:
    """``(1, 4, 8, 8)`` -> ``"4×8×8"`` (the batch dimension dropped)."""
    return "×".join(str(int(v)) for v in shape[1:])


#: Names this module exported before the lessons' numbers moved (deprecated).
__getattr__ = moved(
    "optviz.plot.cnn_lessons.common",
    {
        "CAPTIONS": "captions",
        "DIGITS_SIDE": "optviz.nn.network_lessons",
        "grey_image": "optviz.nn.network_lessons",
    },
)
