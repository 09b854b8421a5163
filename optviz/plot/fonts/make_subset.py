"""Build ``OptvizCJK-Regular.ttf``: the glyphs of optviz's Chinese texts: Latin from
matplotlib's DejaVu Sans, Chinese from Droid Sans Fallback (Apache-2.0), in one font.

Run after adding or changing a translation (a test fails until you do)::

    python -m optviz.plot.fonts.make_subset [--source DroidSansFallbackFull.ttf]

The Chinese source is Debian's ``fonts-droid-fallback`` package by default
(``apt-get install fonts-droid-fallback``). The font holds every character of every
string of ``optviz/plot/locale/*/*.json`` (captions included) and of the explorer
page's Chinese (``optviz/explore/ui.js``), printable ASCII, CJK punctuation and
full-width forms: DejaVu Sans's glyph where it has one, else Droid's.
One font with both matters: matplotlib's mathtext draws the words around ``$...$`` in
one font without fallback. The family is "Optviz CJK", so it never stands in for a
font a user has. The output is the same bytes for the same catalogue and sources.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
from pathlib import Path

import matplotlib
from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

from ..._io import atomic_path

HERE = Path(__file__).parent
LOCALE_DIR = HERE.parent / "locale"
#: The explorer page's script: its Chinese texts are drawn with this font too (the page
#: embeds the subset it needs, optviz.plot.webfont).
PAGE_SCRIPT = HERE.parent.parent / "explore" / "ui.js"
OUT = HERE / "OptvizCJK-Regular.ttf"
SOURCE = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
#: The Latin letters, digits and symbols: matplotlib's own DejaVu Sans (the house font).
LATIN = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
FAMILY = "Optviz CJK"
DROP_TABLES = ["GDEF", "GPOS", "GSUB", "MATH", "kern", "FFTM", "vhea", "vmtx", "gasp"]
#: Besides the catalogue: printable ASCII, CJK symbols and punctuation, full-width forms.
EXTRA = (
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0x3000, 0x3040)]
    + [chr(c) for c in range(0xFF01, 0xFF5F)]
)
#: Full-width brackets drawn proportional: Droid's sit in a whole em with up to 0.4 em
#: of white beside them, which shows as gaps around "（默认设置）".
BRACKETS = "（）【】《》「」〔〕"
#: The white kept on each side of a proportional bracket, in font units (0.08 em).
BRACKET_SIDE = 160
COPYRIGHT = (
    "Droid Sans Fallback: Copyright 2006-2010 Google Corp. (Apache License 2.0). "
    "DejaVu Sans: Copyright 2003 Bitstream, Inc. (Bitstream Vera license), DejaVu "
    "changes in the public domain."
)
NOTICE = (
    "Made by optviz (optviz/plot/fonts/make_subset.py) from subsets of DejaVu Sans and "
    "Droid Sans Fallback: glyphs removed, hinting removed, outlines scaled, fonts "
    "merged, renamed. Not Bitstream Vera, not DejaVu, not Droid."
)


def catalogue_characters(locale_dir: Path = LOCALE_DIR) -> set[str]:
    """Every character of every translated string (keys are English: skipped)."""
    chars: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            chars.update(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)

    for path in sorted(locale_dir.glob("*/*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return chars


def page_characters(script: Path = PAGE_SCRIPT) -> set[str]:
    """The Chinese characters and CJK punctuation of the explorer page's texts."""
    text = script.read_text(encoding="utf-8")
    return {c for c in text if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef"}


def _cut(path: Path, wanted: set[int], upem: int | None = None):
    """``path`` with only the glyphs of ``wanted`` it has (no hinting, no layout
    tables), scaled to ``upem`` units per em; and the code points it kept."""
    font = TTFont(path, recalcTimestamp=False)
    kept = sorted(c for c in wanted if c in font.getBestCmap())
    options = subset.Options()
    options.hinting = False  # two fonts' hinting programs cannot be merged
    options.layout_features = []  # no OpenType shaping needed for these texts
    options.drop_tables += DROP_TABLES
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=kept)
    subsetter.subset(font)
    if upem is not None:
        scale_upem(font, upem)
    data = io.BytesIO()
    font.save(data)
    data.seek(0)
    return data, set(kept)


def _tighten(font, chars: str, side: int) -> None:
    """Give each of ``chars`` the width of its ink plus ``side`` units each side
    (moving the outline left), so that it sits close to its text."""
    cmap, glyf, hmtx = font.getBestCmap(), font["glyf"], font["hmtx"]
    for char in chars:
        name = cmap.get(ord(char))
        if name is None:
            continue
        glyph = glyf[name]
        if glyph.numberOfContours <= 0:  # empty or composite: leave it
            continue
        glyph.recalcBounds(glyf)
        glyph.coordinates.translate((side - glyph.xMin, 0))
        glyph.recalcBounds(glyf)
        hmtx[name] = (glyph.xMax + side, glyph.xMin)


def make_subset(source: Path = SOURCE, out: Path = OUT) -> tuple[int, int]:
    """Write the font to ``out``; returns (characters kept, bytes written)."""
    chars = catalogue_characters() | page_characters() | set(EXTRA)
    wanted = {ord(c) for c in chars}
    latin, from_latin = _cut(LATIN, wanted)
    upem = TTFont(LATIN)["head"].unitsPerEm  # Droid's 256 scaled to DejaVu's 2048
    cjk, from_cjk = _cut(source, wanted - from_latin, upem)
    font = Merger().merge([latin, cjk])
    names = font["name"]
    names.names = []
    for name_id, value in (
        (0, COPYRIGHT),
        (1, FAMILY),
        (2, "Regular"),
        (3, f"{FAMILY} Regular 1.0"),  # no source font's name (see LICENSE.txt)
        (4, f"{FAMILY} Regular"),
        (5, "Version 1.0"),
        (6, FAMILY.replace(" ", "") + "-Regular"),
        (10, NOTICE),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
    _tighten(font, BRACKETS, BRACKET_SIDE)
    stamp = TTFont(LATIN)["head"].modified  # the same bytes every time
    font["head"].created = font["head"].modified = stamp
    font.recalcTimestamp = False
    with atomic_path(out) as tmp:
        font.save(tmp, reorderTables=True)
    return len(from_latin | from_cjk), out.stat().st_size


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "Dropped cmap subtable"
    if not args.source.exists():
        parser.error(
            f"no source font at {args.source}; "
            "`apt-get install fonts-droid-fallback` or give --source"
        )
    n, size = make_subset(args.source, args.out)
    print(f"{args.out.name}: {n} characters, {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
