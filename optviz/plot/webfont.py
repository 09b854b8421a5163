"""The shipped CJK font in a web page: the subset of its glyphs a page's Chinese needs,
as a CSS ``@font-face`` with a ``data:`` URL, so that a page written with ``--lang zh``
draws its Chinese on a machine with no CJK font (the explorer, an animation's player).

The font is optviz's own ``OptvizCJK-Regular.ttf`` (Droid Sans Fallback, Apache-2.0,
merged with DejaVu Sans; see ``optviz/plot/fonts/README.md`` and its licences, whose
notice the CSS repeats). The subset is made with fontTools, which matplotlib itself
depends on: only the characters of the page, no hinting, WOFF (zlib), the same bytes
for the same text.

>>> css = font_face("步数 t")
>>> css.startswith("@font-face{font-family:'Optviz CJK Web';")
True
>>> font_face("only ASCII, α and −")
''
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

from .i18n import SHIPPED_FONT

__all__ = ["font_face", "subset_font", "WEB_FAMILY", "FONT_NOTICE", "RANGES"]

#: The family name a page's CSS and canvas text ask for.
WEB_FAMILY = "Optviz CJK Web"
#: What the CSS says about the font it embeds (its licence travels with optviz).
FONT_NOTICE = (
    "Optviz CJK (a subset): Droid Sans Fallback, Copyright 2006-2010 Google Corp., "
    "Apache License 2.0; DejaVu Sans (Bitstream Vera licence). See "
    "optviz/plot/fonts/LICENSE.txt."
)


#: The code points the embedded face draws (CSS ``unicode-range``): CJK symbols and
#: punctuation, the unified ideographs, full-width forms. Everything else falls through
#: to the page's Latin fonts.
RANGES = ((0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF))


def _wanted(text: str) -> str:
    """The characters of ``text`` in :data:`RANGES`."""
    return "".join(sorted({c for c in text if any(a <= ord(c) <= b for a, b in RANGES)}))


@lru_cache(maxsize=8)
def subset_font(chars: str) -> bytes:
    """The shipped font cut down to ``chars`` (those it has), as WOFF bytes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(SHIPPED_FONT, recalcTimestamp=False)
    have = font.getBestCmap()
    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]  # the copyright and licence notices stay in the font
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars if ord(c) in have])
    subsetter.subset(font)
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def font_face(text: str, family: str = WEB_FAMILY) -> str:
    """A CSS ``@font-face`` rule embedding the glyphs of ``text`` in :data:`RANGES`
    (empty when there are none), for those code points only (``unicode-range``), at
    every weight. Name ``family`` FIRST in a font list: Chromium, given "DejaVu Sans"
    first, draws a bold heading's Chinese as empty boxes rather than fall back to the
    next family."""
    chars = _wanted(text)
    if not chars:
        return ""
    data = base64.b64encode(subset_font(chars)).decode("ascii")
    unicode_range = ",".join(f"U+{a:04X}-{b:04X}" for a, b in RANGES)
    return (
        f"@font-face{{font-family:'{family}';font-weight:100 900;"
        f"unicode-range:{unicode_range};"
        f"src:url(data:font/woff;base64,{data}) format('woff');}}"
        f"/* {FONT_NOTICE} */"
    )
