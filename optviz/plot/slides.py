"""A lesson slide: a 16:9 figure whose every text is readable on a projector (at
least 20 px high when shown 1920 px wide), one title line that makes the point, and
numbers written as mathtext."""

from __future__ import annotations

import math

from ._figure import Figure
from .style import GREY_33, style

__all__ = ["slide", "sci", "note", "SLIDE_SIZE", "TITLE", "PANEL", "TEXT", "SMALL"]

#: A 16:9 slide, in inches (1920 x 1080 pixels at 150 dpi).
SLIDE_SIZE = (12.8, 7.2)
#: Font sizes (points) of a slide's texts, beside :data:`~optviz.plot.style.RC`'s
#: (ticks 12): 9.6 pt is 20 px high when a 12.8-inch slide is shown 1920 px wide.
TITLE, PANEL, TEXT, SMALL = 19, 16, 14, 12


def slide(title: str, size=SLIDE_SIZE) -> Figure:
    """An empty slide (constrained layout) with its one-line ``title``; add its axes
    inside ``with style():``."""
    with style():
        fig = Figure(figsize=size, layout="constrained")
    fig.suptitle(title, fontsize=TITLE)
    return fig


def sci(x: float, digits: int = 2) -> str:
    r"""``x`` for a slide: ``0.039``, ``250``, or mathtext ``$8.9\times10^{-5}$``."""
    if x == 0 or 1e-3 <= abs(x) < 1e4:
        return f"{x:.{digits}g}"
    exp = math.floor(math.log10(abs(x)))
    mant = x / 10**exp
    if round(mant, digits - 1) == 10:
        mant, exp = mant / 10, exp + 1
    if f"{mant:.{digits}g}" == "1":
        return rf"$10^{{{exp}}}$"
    return rf"${mant:.{digits}g}\times10^{{{exp}}}$"


def note(ax, x, y, text, *, color=GREY_33, ha="left", va="top", size=TEXT, **kw):
    """A note in axes coordinates (``x``, ``y`` in 0..1)."""
    return ax.text(
        x, y, text, transform=ax.transAxes, ha=ha, va=va, color=color, fontsize=size, **kw
    )
