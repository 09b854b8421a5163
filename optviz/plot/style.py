"""The shared look: one colour per optimizer everywhere, slide-readable type.

Every optviz figure takes an optimizer's colour from :func:`color`, so Adam is the same
colour in a contour map, a loss curve, an animation and a CNN training curve. The colours
and display names are facts of the optimizer classes (``Adam.color``, ``Adam.title``);
:data:`COLORS` and :data:`TITLES` read them from the registry, so a newly registered
optimizer is drawn in its own colour.

The seven colours are chosen for a projector and for colour-blind viewers: every pair
differs by at least 11 in CIELAB lightness L* (so they stay apart in greyscale) and by
at least 20 in CIELAB distance under simulated deuteranopia and protanopia (Machado et al.
2009); ``tests/test_optimizers.py`` checks both. Okabe & Ito's blue (SGD), orange
(Momentum), bluish green (Adagrad) and black (AdamW), Paul Tol's sand (Nesterov) and
wine (RMSprop), and Tol's indigo darkened a little (Adam). Seven lightness steps need
the whole range, so Nesterov's sand is the palest line (L* 82); a luma-based greyscale
(PIL's ``convert("L")``) puts SGD's blue within 7 of RMSprop's wine and Adagrad's green.
"""

from __future__ import annotations

import contextlib
import zlib
from typing import Iterator, Mapping

import matplotlib as mpl

from ..notation import SEPARATOR, assignments, shaping
from ..notation import SYMBOLS as NOTATION
from ..optimizers import OPTIMIZERS, family_of

__all__ = ["COLORS", "color", "color_of", "TITLES", "title", "style", "RC"]


# -- the palette: every colour a figure draws, by name -----------------------------------
#: Okabe & Ito's colour-blind-safe hues, and Tol's teal.
BLUE = "#0072B2"
VERMILION = "#D55E00"
GREEN = "#009E73"  # bluish green
ORANGE = "#E69F00"
PURPLE = "#CC79A7"  # reddish purple
SKY_BLUE = "#56B4E9"
YELLOW = "#F0E442"
TEAL = "#44AA99"
#: Black, white and the greys, each named by its hex level (GREY_55 is #555555).
BLACK, WHITE = "#000000", "#FFFFFF"
GREY_22, GREY_2B, GREY_33, GREY_44 = "#222222", "#2B2B2B", "#333333", "#444444"
GREY_55, GREY_66, GREY_77, GREY_88 = "#555555", "#666666", "#777777", "#888888"
GREY_99, GREY_9A, GREY_BB, GREY_BD = "#999999", "#9A9A9A", "#BBBBBB", "#BDBDBD"
GREY_DD, GREY_EE = "#DDDDDD", "#EEEEEE"
#: The surface maps: white, then MIST, HAZE and SLATE fill the contours; INK_SLATE
#: draws their lines.
MIST, HAZE, SLATE, INK_SLATE = "#E6ECF2", "#B9C6D5", "#8597AE", "#4A5A70"
#: Pale fills that tell regions apart (a start-point map's basins).
LAVENDER, SAND, PALE_TEAL, TAN = "#C9B8E8", "#F2D98B", "#A9D6D6", "#D9B99B"
PALE_OLIVE, PALE_BLUE, PALE_PINK, PALE_GREEN = "#E3E3B0", "#B8C9E0", "#E8C8D8", "#C8E0B8"
#: ColorBrewer's sequential blues, dark to light (a rate map's bands).
BLUE_900, BLUE_700, BLUE_600, BLUE_500 = "#08306B", "#2171B5", "#4292C6", "#6BAED6"
BLUE_400, BLUE_300, BLUE_200, BLUE_100 = "#9ECAE1", "#C6DBEF", "#DEEBF7", "#F2F7FB"
#: A warning written on a figure; what the notes get wrong.
WARNING_BROWN, WRONG_RED = "#8A3B00", "#A0301B"

__all__ += [
    "BLUE",
    "VERMILION",
    "GREEN",
    "ORANGE",
    "PURPLE",
    "SKY_BLUE",
    "YELLOW",
    "TEAL",
    "BLACK",
    "GREY_22",
    "GREY_2B",
    "GREY_33",
    "GREY_44",
    "GREY_55",
    "GREY_66",
    "GREY_77",
    "GREY_88",
    "GREY_99",
    "GREY_9A",
    "GREY_BB",
    "GREY_BD",
    "GREY_DD",
    "GREY_EE",
    "WHITE",
    "MIST",
    "HAZE",
    "SLATE",
    "INK_SLATE",
    "LAVENDER",
    "SAND",
    "PALE_TEAL",
    "TAN",
    "PALE_OLIVE",
    "PALE_BLUE",
    "PALE_PINK",
    "PALE_GREEN",
    "BLUE_900",
    "BLUE_700",
    "BLUE_600",
    "BLUE_500",
    "BLUE_400",
    "BLUE_300",
    "BLUE_200",
    "BLUE_100",
    "WARNING_BROWN",
    "WRONG_RED",
]


class _FromRegistry(Mapping):
    """A read-only view ``name -> cls.<attribute>`` over :data:`OPTIMIZERS`."""

    def __init__(self, attribute: str) -> None:
        self._attribute = attribute

    def __getitem__(self, name: str) -> str:
        return getattr(OPTIMIZERS[name], self._attribute)

    def __iter__(self) -> Iterator[str]:
        return iter(OPTIMIZERS)

    def __len__(self) -> int:
        return len(OPTIMIZERS)

    def __repr__(self) -> str:
        return repr(dict(self))


#: Line colour per optimizer name, from each class's ``color``.
COLORS: Mapping[str, str] = _FromRegistry("color")
#: Okabe & Ito's and Tol's remaining colours, for names outside the registry.
_EXTRA = (YELLOW, GREY_99, PURPLE, TEAL, VERMILION)

#: Display names, from each class's ``title``.
TITLES: Mapping[str, str] = _FromRegistry("title")

#: Type and lines sized for a projected slide.
RC = {
    "font.size": 13,
    "axes.titlesize": 15,
    "axes.labelsize": 14,
    "legend.fontsize": 12,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "lines.linewidth": 2.2,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "svg.hashsalt": "optviz",
    "image.cmap": "viridis",
}


def color(name: str) -> str:
    """The colour of optimizer ``name`` (a registry name; a label such as
    ``"adam (lr=0.1)"`` takes its optimizer's colour). Unknown names get a stable
    extra colour."""
    key = name.split(" ")[0].split(":")[0].lower()
    if key in COLORS:
        return COLORS[key]
    return _EXTRA[zlib.crc32(key.encode()) % len(_EXTRA)]


def color_of(traj) -> str:
    """A trajectory's colour: its own ``color`` if the record sets one (two runs of
    the same optimizer in one figure, e.g. full batch and mini-batch), else its
    optimizer's."""
    return getattr(traj, "color", None) or color(traj.optimizer)


def title(name: str) -> str:
    """Display name of optimizer ``name`` (``"adam"`` -> ``"Adam"``)."""
    key, _, rest = name.partition(" ")
    return TITLES.get(key.lower(), key) + (f" {rest}" if rest else "")


@contextlib.contextmanager
def style():
    """Apply optviz's rc settings inside a ``with`` block (never globally)."""
    with mpl.rc_context(RC):
        yield


# -- added for the teaching figures ------------------------------------------------------
__all__ += [
    "settings_label",
    "legend_label",
    "repeat_styles",
    "titled",
    "REPEAT_STYLES",
    "SYMBOLS",
    "SEPARATOR",
]

#: Line styles telling apart repeated runs of one optimizer, in order of appearance.
REPEAT_STYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)))
#: The notes' symbol of each hyper-parameter shown in a label.
SYMBOLS = NOTATION


def settings_label(traj) -> str:
    """``Momentum α=0.126 β=0.45``, ``Adam α=0.05 ρ1=0.9 ρ2=0.999``: the optimizer with
    every hyper-parameter that shapes its path, in the notes' symbols."""
    hyper = traj.hyperparameters
    parts = [
        title(traj.optimizer),
        assignments(shaping(family_of(traj.optimizer), hyper, lists=False)),
    ]
    if hyper.get("bias_correction") is False:
        parts.append("no bias correction")
    return " ".join(p for p in parts if p)


def legend_label(traj) -> str:
    """``Adam  α=0.05 ρ1=0.9 ρ2=0.999``, ``Momentum  α=0.001 β=0.9`` (and any key the
    label itself names): every hyper-parameter that shapes the path, in the notes'
    symbols."""
    text = assignments(shaping(family_of(traj.optimizer), traj.hyperparameters))
    first, _, extra = traj.label.partition(" ")
    if first.split("#")[0].lower() != traj.optimizer:
        head, extra = traj.label, ""  # a label of its own ("full batch"): keep it whole
    else:
        head = title(traj.optimizer)
    text = head + ("  " + text if text else "")
    return text + (f" {extra}" if extra else "")


def repeat_styles(run) -> list:
    """A line style per trajectory: the first run of each optimizer solid, its repeats
    dashed, dotted, ... (so ``-o sgd -o sgd:lr=0.002`` draws two distinct lines)."""
    seen: dict[str, int] = {}
    out = []
    for traj in run:
        i = seen.get(traj.optimizer, 0)
        seen[traj.optimizer] = i + 1
        out.append(REPEAT_STYLES[i % len(REPEAT_STYLES)])
    return out


def titled(fig, title_text: str, subtitle: str = "", footnote: str = ""):
    """The figure's title with its one-message subtitle below it (wrapped), and an
    optional footnote (how the settings were chosen) under the panels, 12 pt."""
    # whole sentences, wrapped when drawn: a translation replaces a whole sentence
    fig.suptitle(title_text + (f"\n{subtitle}" if subtitle else ""), fontsize=17, wrap=True)
    if footnote:
        fig.supxlabel(footnote, fontsize=12, color=GREY_33, wrap=True)
    return fig
