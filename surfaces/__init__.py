"""Analytic 2-D loss surfaces, one per module, vectorised over ``xy`` of shape (..., 2).

>>> from surfaces import get
>>> get("rosenbrock")(1.0, 1.0) if False else float(get("rosenbrock")([1.0, 1.0]))
0.0
"""

from __future__ import annotations

import difflib

from ._surface import Point, Surface
from .rosenbrock import ROSENBROCK

__all__ = ["Surface", "Point", "SURFACES", "get"]

#: Every surface by its registry name.
SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (
        ROSENBROCK,
    )
}


def get(name: str) -> Surface:
    """The surface called ``name``; a ValueError naming close matches otherwise."""
    try:
        return SURFACES[name]
    except KeyError:
        close = difflib.get_close_matches(name, SURFACES, n=3, cutoff=0.5)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise ValueError(
            f"unknown surface {name!r}.{hint} Known: {', '.join(sorted(SURFACES))}"
        ) from None
