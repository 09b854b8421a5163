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
import re
import zlib
from typing import Iterator, Mapping

import matplotlib as mpl

from ..notation import (
    SEPARATOR,
    assignments,
    describe,
    differing,
    schedule_words,
    shaping,
)
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
    "legend_labels",
    "variant_styles",
    "shaded",
    "shade",
    "VARIANT_LIGHTNESS",
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
    """``Adam  α=0.05 ρ1=0.9 ρ2=0.999 no bias correction``, ``SGD  α=0.001 cosine,
    warm-up 20``: the optimizer, every hyper-parameter that shapes its path, and every
    setting that differs from the optimizer's defaults (schedules and switches
    included), once, in the notes' symbols. A label of its own (``"full batch"``) is
    kept; the SPEC's own words (``"adam (lr=0.1)"``) are not repeated."""
    hyper = traj.hyperparameters
    shown = shaping(family_of(traj.optimizer), hyper)
    schedule = ""
    if isinstance(hyper.get("lr"), str):  # a schedule, written as its repr
        base, schedule = schedule_words(hyper["lr"])
        if base is not None:
            shown = {"lr": base, **shown}
    cls = OPTIMIZERS.get(traj.optimizer)
    written = set(shown) | ({"betas"} if "rho1" in shown else set())
    others = describe(differing(hyper, cls.defaults if cls else {}, written))
    text = " ".join(p for p in (assignments(shown), schedule, others) if p)
    first, _, extra = traj.label.partition(" ")
    if first.split("#")[0].lower() != traj.optimizer:
        head, extra = traj.label, ""  # a label of its own ("full batch"): keep it whole
    else:
        head = title(traj.optimizer)
    if _SPEC_WORDS.fullmatch(extra):
        extra = ""  # "(lr=0.22)": the SPEC's keys, said above in the notes' symbols
    text = head + ("  " + text if text else "")
    return text + (f" {extra}" if extra else "")


#: The keys of a SPEC as a label repeats them: ``(lr=0.22, schedule=cosine)``.
_SPEC_WORDS = re.compile(r"\((?:\s*\w+=[^,()]*,?)+\)")


def legend_labels(run) -> list[str]:
    """:func:`legend_label` of each trajectory of ``run``, unique: labels that read the
    same (``lr=0.1`` and ``lr=0.1001`` both read α=0.1) are numbered."""
    labels = [legend_label(t) for t in run]
    for text in {x for x in labels if labels.count(x) > 1}:
        n = 0
        for i, x in enumerate(labels):
            if x == text:
                n += 1
                labels[i] = f"{x} #{n}"
    return labels


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


# -- variants of one optimizer: shades of its hue, and line styles ----------------------
#: Changes of CIELAB lightness L* for the 2nd, 3rd, ... variant of one optimizer drawn in
#: one figure (the first keeps the optimizer's colour); a shade that would leave
#: [:data:`SHADE_RANGE`] is skipped for the next.
VARIANT_LIGHTNESS = (-20, 20, -40, 40, -60, 60)
#: L* a shade stays within: dark enough for a white slide, not black.
SHADE_RANGE = (12.0, 85.0)

_XYZ = ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722), (0.0193, 0.1192, 0.9505))
_RGB = (
    (3.2406, -1.5372, -0.4986),
    (-0.9689, 1.8758, 0.0415),
    (0.0557, -0.2040, 1.0570),
)
_WHITE = tuple(sum(row) for row in _XYZ)


def _lab(hex_color: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour."""
    c = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
    xyz = [sum(m * v for m, v in zip(row, lin)) / w for row, w in zip(_XYZ, _WHITE)]
    f = [
        v ** (1 / 3) if v > (6 / 29) ** 3 else v / (3 * (6 / 29) ** 2) + 4 / 29 for v in xyz
    ]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _hex(lab: tuple[float, float, float]) -> str:
    """The sRGB colour of a CIELAB one (out-of-gamut channels clipped)."""
    L, a, b = lab
    fy = (L + 16) / 116
    f = (fy + a / 500, fy, fy - b / 200)
    xyz = [
        w * (v**3 if v > 6 / 29 else 3 * (6 / 29) ** 2 * (v - 4 / 29))
        for v, w in zip(f, _WHITE)
    ]
    lin = [sum(m * v for m, v in zip(row, xyz)) for row in _RGB]
    srgb = [
        12.92 * v if v <= 0.0031308 else 1.055 * max(v, 0) ** (1 / 2.4) - 0.055 for v in lin
    ]
    return "#" + "".join(f"{round(min(max(v, 0.0), 1.0) * 255):02X}" for v in srgb)


def shade(hex_color: str, k: int) -> str:
    """The ``k``-th shade of ``hex_color`` (0: itself): the same hue and chroma at the
    lightness :data:`VARIANT_LIGHTNESS` gives, skipping those outside
    :data:`SHADE_RANGE`."""
    if k == 0:
        return hex_color
    L, a, b = _lab(hex_color)
    lo, hi = SHADE_RANGE
    usable = [d for d in VARIANT_LIGHTNESS if lo <= L + d <= hi]
    if not usable:
        return hex_color
    d = usable[(k - 1) % len(usable)]
    # keep the hue; where the lighter or darker colour leaves the gamut, lose chroma
    for scale in (1.0, 0.8, 0.6, 0.4, 0.2, 0.0):
        out = _hex((L + d, a * scale, b * scale))
        if abs(_lab(out)[0] - (L + d)) < 2:
            return out
    return out


def variant_styles(run) -> list[tuple[str, object]]:
    """A (colour, line style) per trajectory: the first run of each optimizer in its
    colour, solid; its variants in shades of its hue (:func:`shade`) and dashed,
    dotted, ... (:func:`repeat_styles`), so ``-o adam -o adam:bias_correction=false``
    draws two lines told apart by colour and by dashes."""
    seen: dict[str, int] = {}
    out = []
    for traj, ls in zip(run, repeat_styles(run)):
        i = seen.get(traj.optimizer, 0)
        seen[traj.optimizer] = i + 1
        out.append((shade(color_of(traj), i), ls))
    return out


def shaded(run):
    """``run`` for drawing, each variant of one optimizer in its shade
    (:func:`variant_styles`): a shallow copy whose trajectories carry their colour
    (a trajectory with a colour of its own keeps it); ``run`` itself is unchanged.
    Anything that is not a :class:`~optviz.records.Run` is returned as it is."""
    import dataclasses

    if not dataclasses.is_dataclass(run) or not hasattr(run, "trajectories"):
        return run
    trajectories = [
        t if t.color else dataclasses.replace(t, color=c)
        for t, (c, _) in zip(run.trajectories, variant_styles(run))
    ]
    return dataclasses.replace(run, trajectories=trajectories)


# -- the talk style: a figure for a projector ---------------------------------------------
__all__ += ["talk", "TALK_TEXT", "TALK_LINE"]

#: The talk style scales every text by this (13 pt body type becomes about 17 pt)...
TALK_TEXT = 1.3
#: ... and every line, marker edge and spine by this.
TALK_LINE = 1.5


def talk(fig):
    """``fig`` in the talk style: every text :data:`TALK_TEXT` times larger (tick
    labels included), every line and spine :data:`TALK_LINE` times thicker. Applied
    to a drawn figure, because most of optviz's texts carry their own size, which an
    rc context cannot reach; constrained layout makes room when the figure is drawn.
    Returns ``fig``."""
    from matplotlib.lines import Line2D
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_fontsize(text.get_fontsize() * TALK_TEXT)
    for line in fig.findobj(Line2D):
        line.set_linewidth(line.get_linewidth() * TALK_LINE)
        line.set_markersize(line.get_markersize() * TALK_TEXT)
        line.set_markeredgewidth(line.get_markeredgewidth() * TALK_LINE)
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = axis.get_ticklabels()
            size = labels[0].get_fontsize() if labels else RC["xtick.labelsize"] * TALK_TEXT
            axis.set_tick_params(which="both", labelsize=size)
        for spine in ax.spines.values():
            spine.set_linewidth(spine.get_linewidth() * TALK_LINE)
    return fig
