"""Build ``OptvizCJK-Regular.ttf``: the glyphs of optviz's Chinese texts, cut out of
Droid Sans Fallback (Apache-2.0).

Run after adding or changing a translation (a test fails until you do)::

    python -m optviz.plot.fonts.make_subset [--source DroidSansFallbackFull.ttf]

The source is Debian's ``fonts-droid-fallback`` package by default
(``apt-get install fonts-droid-fallback``). The subset holds every character of every
string of ``optviz/plot/locale/*/*.json`` (captions included) that the source has,
printable ASCII, CJK punctuation and full-width forms. The family is renamed
"Optviz CJK" so that it never stands in for a full Droid Sans Fallback a user has.
The output is the same bytes for the same catalogue and source (no timestamps).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from ..._io import atomic_path

HERE = Path(__file__).parent
LOCALE_DIR = HERE.parent / "locale"
OUT = HERE / "OptvizCJK-Regular.ttf"
SOURCE = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
FAMILY = "Optviz CJK"
#: Besides the catalogue: printable ASCII, CJK symbols and punctuation, full-width forms.
EXTRA = (
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0x3000, 0x3040)]
    + [chr(c) for c in range(0xFF01, 0xFF5F)]
)
NOTICE = (
    "Subset of Droid Sans Fallback made by optviz (optviz/plot/fonts/make_subset.py): "
    "glyphs removed, family renamed. Original: Copyright 2006-2010 Google Corp., "
    "Apache License 2.0."
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


def make_subset(source: Path = SOURCE, out: Path = OUT) -> tuple[int, int]:
    """Write the subset to ``out``; returns (characters kept, bytes written)."""
    font = TTFont(source, recalcTimestamp=False)
    cmap = font.getBestCmap()
    wanted = sorted(
        {ord(c) for c in catalogue_characters()} | {ord(c) for c in EXTRA}
    )
    kept = [c for c in wanted if c in cmap]
    options = subset.Options()
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.name_languages = [0x409]
    options.notdef_outline = True
    options.layout_features = []  # no OpenType shaping needed for these texts
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=kept)
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16):
            names.removeNames(nameID=record.nameID)
    for name_id, value in (
        (1, FAMILY),
        (3, f"{FAMILY} Regular; subset of Droid Sans Fallback"),
        (4, f"{FAMILY} Regular"),
        (6, FAMILY.replace(" ", "") + "-Regular"),
        (10, NOTICE),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
    with atomic_path(out) as tmp:
        font.save(tmp, reorderTables=True)
    return len(kept), out.stat().st_size


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if not args.source.exists():
        parser.error(
            f"no source font at {args.source}; "
            "`apt-get install fonts-droid-fallback` or give --source"
        )
    n, size = make_subset(args.source, args.out)
    print(f"{args.out.name}: {n} characters, {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
