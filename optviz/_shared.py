"""What several floors share and nothing computes: limits, the languages, the names of
the files written beside a figure or a record.

Standard library only, so that the command line's ``--help`` reads these without
importing the numerics. Each is defined here once; the modules that use them import it.

>>> record_sidecar("runs/a.csv").name
'a.json'
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "MAX_STEPS",
    "MAX_MESSAGE",
    "FIGURE_SUFFIXES",
    "LANGS",
    "record_sidecar",
]

#: More steps than this is a mistake, not a teaching figure.
MAX_STEPS = 1_000_000
#: Error messages are cut to this many characters.
MAX_MESSAGE = 300
#: The still figures' file types.
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
#: The languages figures, the gallery and the explorer page are written in.
LANGS = ("en", "zh")


def record_sidecar(path) -> Path:
    """A record's JSON sidecar: ``a.csv`` -> ``a.json``."""
    return Path(path).with_suffix(".json")
