"""Figures in Chinese (the notes' language): ``localize(fig, "zh")``.

Figures are drawn in English; :func:`localize` then replaces each drawn text by its
whole-sentence translation, so the plotting code stays one code path.

The catalogue
-------------
``optviz/plot/locale/<lang>/*.json`` hold the translations: each file is one flat JSON
object, English string -> translated string. **Every file of the folder is merged**
(except ``captions.json``, the gallery's caption table keyed by entry name, whose
titles and captions a figure draws join the catalogue: :func:`drawn_captions`), so
each part of optviz keeps its own file (``figures.json``, ``teach.json``,
``cnn.json`` ...) and nobody edits anybody else's. The same English key in two files
must have the same translation, or loading fails naming both files.

A key is either an exact text or a pattern with ``{placeholders}``, written the same on
both sides (``"step {k} / {n}": "第 {k} / {n} 步"``). A text is translated by, in order:

1. exact match of the whole text;
2. part by part, for a footnote whose parts are joined by `` · ``;
3. the first pattern (longest literal text first) that matches the whole text without
   cutting a ``$...$`` formula; each placeholder's value is itself translated (a
   number stays a number, a surface's name becomes its Chinese name);
4. line by line, for a text of several lines that matched neither as a whole.

Anything else is left as it is, and :func:`untranslated` reports it: the drawn texts that
still hold an English word outside ``$...$`` maths, optimizer and function names and
:data:`KEPT_WORDS`. A test renders every figure in Chinese and asserts it is empty, so a
new English label without its translation fails there.

Fonts
-----
Chinese needs a CJK font. A system one (Noto Sans CJK, Source Han Sans, WenQuanYi ...)
is used when present; otherwise the subset of Droid Sans Fallback shipped in
``optviz/plot/fonts/`` (only the glyphs the catalogue uses; see the README there) is
registered with matplotlib's font manager, so ``--lang zh`` works on a machine with no
CJK font at all. :func:`localize` sets the font on each text it touches: no rcParams
change. A Chinese figure has no bold text: the CJK font has one weight, and bold Latin
letters beside regular Chinese make the Chinese look lighter. A list of names drawn
from a pattern's placeholder is joined with 、 ("SGD、Momentum 和 Adam").
"""

from __future__ import annotations

import dataclasses
import json
import re
from functools import cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

from .._shared import LANGS

__all__ = [
    "LANGS",
    "KEPT_WORDS",
    "SHIPPED_FONT",
    "NoCJKFontError",
    "catalogue",
    "captions",
    "drawn_captions",
    "cjk_font",
    "english_words",
    "font_family",
    "localize",
    "translate",
    "untranslated",
]

LOCALE_DIR = Path(__file__).with_name("locale")
FONT_DIR = Path(__file__).with_name("fonts")
#: The CJK subset shipped with optviz (made by ``python -m optviz.plot.fonts.make_subset``).
SHIPPED_FONT = FONT_DIR / "OptvizCJK-Regular.ttf"
#: The file of a locale folder that holds gallery captions, not labels.
CAPTIONS_FILE = "captions.json"

#: Words a Chinese figure keeps in Latin letters: optimizer, function and surface names
#: (the notes write them so), authors' names, abbreviations, units, notation (df/dx).
KEPT_WORDS = frozenset(
    {
        *("SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "Nesterov"),
        *("ReLU", "LeakyReLU", "PReLU", "sigmoid", "tanh", "softmax", "Softmax"),
        *("Rosenbrock", "Beale", "Himmelblau", "Ackley", "Booth", "Bukin", "Easom"),
        *("Eggholder", "Goldstein", "Price", "Levi", "Matyas", "McCormick"),
        *("Rastrigin", "Styblinski", "Tang", "MSE", "CNN", "PCA", "ln", "log"),
        *("SPEC", "FH", "FW"),  # the CLI's optimizer spec; the kernel's height, width
        *("exp", "sqrt", "max", "min", "lr", "RGB", "df", "dx", "Li", "He"),
        "sign",  # sign(−g), sign g: a function's name, as exp and sqrt
    }
)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
#: How a footnote joins its parts ("200 steps   ·   no randomness"): each part is
#: translated on its own.
_SEPARATOR = re.compile(r"( +· +)")
_WORD = re.compile(r"[A-Za-z]{2,}")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


# -- the catalogue --------------------------------------------------------------------
def _load(lang: str) -> dict[str, str]:
    folder = LOCALE_DIR / lang
    merged: dict[str, str] = {}
    origin: dict[str, str] = {}
    for path in sorted(folder.glob("*.json")):
        if path.name == CAPTIONS_FILE:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise ValueError(f"{path.name} must be one flat JSON object of strings")
        for key, value in data.items():
            if key in merged and merged[key] != value:
                raise ValueError(
                    f"{key!r} is translated differently in {origin[key]} and {path.name}"
                )
            if set(_PLACEHOLDER.findall(key)) != set(_PLACEHOLDER.findall(value)):
                raise ValueError(
                    f"{path.name}: {key!r} and its translation name different placeholders"
                )
            merged[key], origin[key] = value, path.name
    for key, value in drawn_captions(lang).items():
        if key in merged and merged[key] != value:
            raise ValueError(
                f"{key!r} is translated differently in {origin[key]} and {CAPTIONS_FILE}"
            )
        merged[key] = value
    return merged


def _read_captions(lang: str) -> dict:
    path = LOCALE_DIR / lang / CAPTIONS_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def drawn_captions(lang: str = "zh") -> dict[str, str]:
    """English -> ``lang`` of every gallery title and caption a figure draws: the
    caption tables' entries whose English entry lists them under ``drawn`` (each also
    without its full stop, as a CNN figure draws its caption for its title)."""
    english, other = _read_captions("en"), _read_captions(lang)
    out = {}
    for name, entry in english.items():
        for key in entry.get("drawn", ()) if name in other else ():
            text, translated = entry[key], other[name][key]
            out[text] = translated
            if text.endswith("."):  # drawn as a title, without its full stop
                out[text.removesuffix(".")] = translated.removesuffix("。")
    return out


@cache
def catalogue(lang: str = "zh") -> dict[str, str]:
    """English -> ``lang``: every label file of ``locale/<lang>/`` merged."""
    _check_lang(lang)
    return {} if lang == "en" else _load(lang)


@cache
def captions(lang: str = "zh") -> dict[str, dict[str, str]]:
    """Gallery entry name -> {"title": ..., "caption": ...} in ``lang`` (the caption
    table, :mod:`optviz.recipes.captions`)."""
    _check_lang(lang)
    return {
        name: {k: entry[k] for k in ("title", "caption")}
        for name, entry in _read_captions(lang).items()
    }


def _compile(template: str) -> re.Pattern:
    parts = _PLACEHOLDER.split(template)  # literal, name, literal, name, ...
    out, seen = [], set()
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(re.escape(part))
        elif part in seen:  # the same placeholder twice: the same text twice
            out.append(f"(?P={part})")
        else:
            seen.add(part)
            out.append(f"(?P<{part}>.+?)")
    return re.compile("".join(out))


@cache
def _patterns(lang: str) -> tuple[tuple[re.Pattern, str], ...]:
    """The catalogue's patterns, most specific (longest literal text) first."""
    templates = [k for k in catalogue(lang) if _PLACEHOLDER.search(k)]
    templates.sort(key=lambda k: (-len(_PLACEHOLDER.sub("", k)), k))
    return tuple((_compile(k), catalogue(lang)[k]) for k in templates)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")


def translate(text: str, lang: str = "zh") -> str:
    """``text`` in ``lang``: exact match, else a pattern, else line by line; a text the
    catalogue does not know is returned as it is."""
    _check_lang(lang)
    if lang == "en" or not text.strip():
        return text
    table = catalogue(lang)
    if text in table:
        return table[text]
    parts = _SEPARATOR.split(text)  # part, separator, part, ...: before the patterns,
    if len(parts) > 1:  # whose placeholders would swallow the separators
        return "".join(p if i % 2 else translate(p, lang) for i, p in enumerate(parts))
    for pattern, target in _patterns(lang):
        match = pattern.fullmatch(text)
        if match and not any(v.count("$") % 2 for v in match.groupdict().values()):
            # (a value with an odd number of $ would cut a formula: no match)
            values = {k: _value(v, lang) for k, v in match.groupdict().items()}
            return _PLACEHOLDER.sub(lambda m, values=values: values[m.group(1)], target)
    if "\n" in text:
        return "\n".join(translate(line, lang) for line in text.split("\n"))
    return text


#: A list of names ("SGD, Momentum"): Chinese joins its items with 、, not a comma.
_NAME_LIST = re.compile(r"[A-Za-z][\w.\- ]*(?:, [A-Za-z][\w.\- ]*)+")


def _value(value: str, lang: str) -> str:
    """A placeholder's value in ``lang``: a list of names item by item, joined with
    、 (``"SGD, Momentum"`` -> ``"SGD、动量法"``); any other value as a whole."""
    if _NAME_LIST.fullmatch(value):
        return "、".join(translate(item, lang) for item in value.split(", "))
    return translate(value, lang)


def english_words(text: str) -> list[str]:
    """The English words of ``text`` outside ``$...$`` maths and :data:`KEPT_WORDS`."""
    outside = " ".join(text.split("$")[::2])
    outside = re.sub(r"\\[A-Za-z]+", " ", outside)  # \mathdefault and friends
    kept = KEPT_WORDS | _name_words()
    return [w for w in _WORD.findall(outside) if w not in kept]


@cache
def _name_words() -> frozenset:
    """The words of the registered optimizers' display names (Lion, Schedule-Free
    AdamW), kept as names are; "Momentum" has its translation (动量法)."""
    from .style import TITLES

    words = {w for name in TITLES for w in _WORD.findall(TITLES[name])}
    return frozenset(words - {"Momentum"})


# -- fonts ----------------------------------------------------------------------------
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
    "no CJK font found for --lang zh and the font shipped with optviz is missing "
    "(reinstall optviz, or install one, e.g. `apt-get install fonts-noto-cjk`)"
)


class NoCJKFontError(ValueError):
    """No font that can draw Chinese is available."""


def _is_cjk(name: str) -> bool:
    low = name.lower()
    return any(key in low for key in _CJK_NAMES)


_scanned: list[bool] = []


def _system_cjk_fonts() -> list[str]:
    """Paths of system fonts whose names say CJK (the font cache may not know them)."""
    return [
        p
        for p in font_manager.findSystemFonts()
        if _is_cjk(Path(p).name) or "cjk" in p.lower()
    ]


def _has_latin(path: str) -> bool:
    """Whether the font file draws Latin letters too (mathtext needs one font for the
    words around a formula; Droid Sans Fallback, for one, has no Latin)."""
    try:
        return ord("a") in font_manager.get_font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False


def _registered() -> list[str]:
    """Registered system CJK fonts that also draw Latin."""
    shipped = str(SHIPPED_FONT)
    return sorted(
        {
            f.name
            for f in font_manager.fontManager.ttflist
            if _is_cjk(f.name) and f.fname != shipped and _has_latin(f.fname)
        }
    )


def cjk_font() -> str:
    """The family name of a font that draws Chinese: a system CJK font when there is
    one, else the subset shipped with optviz (registered with matplotlib's font manager
    on first use). :class:`NoCJKFontError` only if neither exists."""
    names = _registered()
    if not names and not _scanned:
        _scanned.append(True)  # findSystemFonts is slow: look once per process
        for path in _system_cjk_fonts():
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
        names = _registered()
    if names:
        return names[0]
    if not SHIPPED_FONT.exists():
        raise NoCJKFontError(INSTALL_HINT)
    shipped = str(SHIPPED_FONT)
    for entry in font_manager.fontManager.ttflist:
        if entry.fname == shipped:
            return entry.name
    fm = font_manager.fontManager
    fm.addfont(shipped)
    regular = fm.ttflist[-1]
    # It has no bold face: offer the regular one for bold text too (what matplotlib
    # would draw anyway), so that a bold title does not log "Failed to find weight".
    fm.ttflist.append(dataclasses.replace(regular, weight=700))
    fm._findfont_cached.cache_clear()
    return regular.name


# -- figures --------------------------------------------------------------------------
def _texts(fig) -> list:
    found = fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "set_text"))
    return list({id(a): a for a in found}.values())  # a legend's texts come twice


def font_family(text: str) -> list[str]:
    """The font families for ``text`` in a Chinese figure: Latin letters from the
    house font, Chinese from a CJK one (matplotlib falls back glyph by glyph).
    Mathtext draws a text's words outside $...$ in the first family alone, without
    fallback: a text with maths and Chinese takes the CJK font first."""
    latin = mpl.rcParams["font.family"][0]
    if latin in ("sans-serif", "serif", "monospace"):  # a generic name: resolve it
        latin = mpl.rcParams[f"font.{latin}"][0]
    cjk = cjk_font()
    return [cjk, latin] if "$" in text and _CJK.search(text) else [latin, cjk]


def localize(fig, lang: str):
    """Rewrite every text of ``fig`` into ``lang`` ("en" leaves it as it is) and give
    it a font that draws it. Returns ``fig``.

    Call it before the figure's layout is fixed; an animation takes ``lang=`` instead
    (:class:`optviz.plot.animate.Animation`), which localizes before placing its
    legend and step counter."""
    _check_lang(lang)
    if lang == "en":
        return fig
    for text in _texts(fig):
        content = getattr(text, "optviz_words", None) or text.get_text()  # unbroken
        new = translate(content, lang)
        whole = getattr(text, "optviz_unbroken", None)  # its words before a line break
        rewrap = False
        if whole and english_words(new):  # a break cut a sentence: translated whole,
            alt = translate(whole, lang)  # then broken again
            if len(english_words(alt)) < len(english_words(new)):
                content, new, rewrap = whole, alt, True
        if new != content:
            text.set_text(new)
            if hasattr(text, "optviz_words"):  # broken onto lines again by its layout
                text.optviz_words = new
        if hasattr(text, "set_fontfamily"):  # a legend's TextArea has no font of its own
            text.set_fontfamily(font_family(new))
            # no bold: the CJK font has one weight, and bold Latin beside regular
            # Chinese makes the Chinese look lighter
            text.set_fontweight("normal")
        if new != content and _CJK.search(new) and (text.get_wrap() or rewrap):
            _wrap_cjk(text)
    fixed = [(a, t) for a, t in _shown(fig) if not hasattr(a, "set_text")]
    for artist, shown in fixed:  # e.g. an animation's step counter, laid out already
        if english_words(shown):
            raise ValueError(
                f"{shown!r} ({type(artist).__name__}) cannot be translated afterwards; "
                f"make the figure in {lang!r} (e.g. Animation(..., lang={lang!r}))"
            )
    from .layout import relayout

    relayout(fig)  # labels and notes placed again for the new words' sizes
    return fig


#: Space kept between a wrapped Chinese text and the figure's edge, in font sizes.
WRAP_MARGIN_EM = 1.0
#: Characters a line must not start with (Chinese typesetting's 避头 rule).
_NO_LINE_START = "，。、；：！？）》」』”’%"


def _wrap_cjk(text) -> None:
    """Break a wrapped text at character boundaries: matplotlib wraps at spaces
    only, and Chinese has none."""
    if not hasattr(text, "_get_wrap_line_width") or text.figure is None:
        return
    share = getattr(text, "optviz_wrap_share", None)  # the width it may take, if set
    width = share * text.figure.bbox.width if share else text._get_wrap_line_width()
    if not width:
        return
    from matplotlib.backends.backend_agg import RendererAgg

    dpi = text.get_figure(root=True).dpi
    renderer = RendererAgg(1, 1, dpi)  # measures only
    prop = text.get_fontproperties()
    # matplotlib's wrap width reaches the figure's edge: keep a character's width
    # clear of each edge the text runs towards (both, for centred text)
    edges = 2 if text.get_horizontalalignment() == "center" else 1
    width -= edges * WRAP_MARGIN_EM * prop.get_size_in_points() * dpi / 72

    def rendered(string: str) -> float:
        ismath = "TeX" if text.get_usetex() else string.count("$") >= 2
        return renderer.get_text_width_height_descent(string, prop, ismath=ismath)[0]

    lines: list[str] = []
    for paragraph in text.get_text().split("\n"):
        line = ""
        for char in paragraph:
            trial = line + char
            if (
                line
                and rendered(trial) > width
                and char not in _NO_LINE_START
                and "$" not in line  # never break inside a formula
            ):
                cut = _word_start(line) if _in_word(char) else len(line)
                lines.append(line[:cut].rstrip())
                line = line[cut:] + char
            else:
                line = trial
        lines.append(line)
    text.set_wrap(False)
    text.set_text("\n".join(lines))


def _in_word(char: str) -> bool:
    """A letter or digit of a Latin word or number ("λmax", "0.9"), not Chinese."""
    return (char.isalnum() or char in "./-_") and not _CJK.match(char)


def _word_start(line: str) -> int:
    """Where the Latin word at the end of ``line`` starts (a break before it keeps it
    whole); ``len(line)`` when the whole line is that word."""
    i = len(line)
    while i > 0 and _in_word(line[i - 1]):
        i -= 1
    return i if i > 0 else len(line)


def untranslated(fig) -> list[str]:
    """The texts drawn in ``fig`` that still hold an English word: every visible
    artist that shows a text (``get_text``), an animation's step counter included."""
    return [t for _, t in _shown(fig) if english_words(t)]


def _shown(fig) -> list[tuple[object, str]]:
    """(artist, text) of every visible artist of ``fig`` that shows a text."""
    found = fig.findobj(lambda a: callable(getattr(a, "get_text", None)))
    out = []
    for artist in {id(a): a for a in found}.values():  # a legend's texts come twice
        if not artist.get_visible():
            continue
        try:
            out.append((artist, artist.get_text()))
        except TypeError:  # not a text: a contour set's get_text(level, format)
            continue
    return out
