"""Every gallery figure's title and caption, in English and in Chinese: one table per
language, ``optviz/plot/locale/<lang>/captions.json`` (entry name -> ``title``,
``caption``; the English table also says which of them the figure ``drawn`` shows).

The figures' titles and subtitles (:func:`title`, :func:`caption`), the gallery
scripts' docstrings and both gallery READMEs (:mod:`optviz.gallery`) are written from
these tables, and the Chinese catalogue translates a drawn title or caption from them
(:func:`optviz.plot.i18n.catalogue`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Iterator, Mapping

__all__ = ["TITLES", "CAPTIONS", "caption", "title", "table", "TABLES"]

#: The caption table of each language.
TABLES = {
    lang: Path(__file__).resolve().parents[1] / "plot" / "locale" / lang / "captions.json"
    for lang in ("en", "zh")
}


@cache
def table(lang: str = "en") -> dict[str, dict]:
    """Entry name -> ``{"title": ..., "caption": ...}`` in ``lang`` (en, zh)."""
    if lang not in TABLES:
        raise ValueError(f"lang must be one of {', '.join(TABLES)}, got {lang!r}")
    return json.loads(TABLES[lang].read_text(encoding="utf-8"))


class _Pairs(Mapping):
    """A read-only view name -> (English, Chinese) of one field of the tables."""

    def __init__(self, key: str) -> None:
        self._key = key

    def __getitem__(self, name: str) -> tuple[str, str]:
        return table("en")[name][self._key], table("zh")[name][self._key]

    def __iter__(self) -> Iterator[str]:
        return iter(table("en"))

    def __len__(self) -> int:
        return len(table("en"))


#: Entry name -> (English, Chinese) caption; and title.
CAPTIONS: Mapping[str, tuple[str, str]] = _Pairs("caption")
TITLES: Mapping[str, tuple[str, str]] = _Pairs("title")


def _lang(lang: str) -> int:
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be one of en, zh, got {lang!r}")
    return 0 if lang == "en" else 1


def caption(name: str, lang: str = "en") -> str:
    """The caption of gallery figure ``name`` in ``lang`` (en, zh)."""
    if name not in CAPTIONS:
        raise ValueError(f"no caption for {name!r}; known: {', '.join(sorted(CAPTIONS))}")
    return CAPTIONS[name][_lang(lang)]


def title(name: str, lang: str = "en") -> str:
    """The title of gallery figure ``name`` in ``lang`` (en, zh)."""
    if name not in TITLES:
        raise ValueError(f"no title for {name!r}; known: {', '.join(sorted(TITLES))}")
    return TITLES[name][_lang(lang)]
