"""Analytic 2-D loss surfaces, one per module, vectorised over ``xy`` of shape (..., 2).

>>> from optviz.surfaces import get
>>> float(get("rosenbrock")([1.0, 1.0]))
0.0
"""

from __future__ import annotations

import difflib

from ._surface import KINDS, OPTIMIZER_KEYS, Noise, Point, Surface
from .ackley import ACKLEY
from .beale import BEALE
from .booth import BOOTH
from .bukin6 import BUKIN6
from .easom import EASOM
from .eggholder import EGGHOLDER
from .goldstein_price import GOLDSTEIN_PRICE
from .himmelblau import HIMMELBLAU
from .levi13 import LEVI13
from .linear_regression import LINEAR_REGRESSION, linear_regression
from .matyas import MATYAS
from .mccormick import MCCORMICK
from .monkey_saddle import MONKEY_SADDLE
from .noise import with_noise
from .quadratic import QUADRATIC, quadratic
from .rastrigin import RASTRIGIN
from .rosenbrock import ROSENBROCK
from .saddle import SADDLE
from .six_hump_camel import SIX_HUMP_CAMEL
from .styblinski_tang import STYBLINSKI_TANG
from .three_hump_camel import THREE_HUMP_CAMEL

__all__ = [
    "Surface",
    "Point",
    "Noise",
    "with_noise",
    "KINDS",
    "OPTIMIZER_KEYS",
    "SURFACES",
    "get",
    "register",
    "quadratic",
    "linear_regression",
]

#: Every surface by its registry name.
SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (
        ROSENBROCK,
        BEALE,
        BOOTH,
        HIMMELBLAU,
        RASTRIGIN,
        ACKLEY,
        GOLDSTEIN_PRICE,
        THREE_HUMP_CAMEL,
        SIX_HUMP_CAMEL,
        MATYAS,
        LEVI13,
        STYBLINSKI_TANG,
        EASOM,
        MCCORMICK,
        BUKIN6,
        EGGHOLDER,
        SADDLE,
        MONKEY_SADDLE,
        QUADRATIC,
        LINEAR_REGRESSION,
    )
}


def register(surface: Surface) -> Surface:
    """Add ``surface`` to :data:`SURFACES` under ``surface.name``: it is then known to
    every command (``optviz compare NAME``) and to the explorer. A name another
    surface holds is refused."""
    if not isinstance(surface, Surface):
        raise ValueError(f"only a Surface can be registered, got {type(surface).__name__}")
    held = SURFACES.get(surface.name)
    if held is not None and held is not surface:
        raise ValueError(f"a surface named {surface.name!r} is registered already")
    SURFACES[surface.name] = surface
    return surface


def get(name: str) -> Surface:
    """The surface called ``name``; an UnknownName (a ValueError) naming close matches
    otherwise.

    >>> get("rosenbrok")
    Traceback (most recent call last):
    ...
    optviz._checks.UnknownName: unknown surface 'rosenbrok'. Did you mean rosenbrock? ...
    """
    try:
        return SURFACES[name]
    except KeyError:
        from optviz._checks import UnknownName

        close = difflib.get_close_matches(name, SURFACES, n=3, cutoff=0.5)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise UnknownName(
            f"unknown surface {name!r}.{hint} Known: {', '.join(sorted(SURFACES))}"
        ) from None
