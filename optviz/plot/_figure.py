"""The Figure every optviz plot returns, and how it is saved.

:class:`Figure` is matplotlib's Figure plus ``_repr_png_``, so that a notebook cell
ending in a figure shows the picture without ``%matplotlib inline`` (IPython asks any
object for ``_repr_png_``). :func:`save_figure` writes one atomically and reproducibly.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import matplotlib
import matplotlib.figure

from .._io import atomic_path, check_writable
from .._shared import FIGURE_SUFFIXES

__all__ = ["Figure", "save_figure", "FIGURE_SUFFIXES", "NOTEBOOK_DPI"]


#: Resolution of the inline notebook picture.
NOTEBOOK_DPI = 80

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
}


class Figure(matplotlib.figure.Figure):
    """A matplotlib Figure that displays itself inline in Jupyter."""

    def _repr_png_(self) -> bytes:
        from .style import style

        buffer = io.BytesIO()
        with style():
            self.savefig(buffer, format="png", dpi=NOTEBOOK_DPI, bbox_inches="tight")
        return buffer.getvalue()


def save_figure(fig, path: str | os.PathLike, dpi: int = 150) -> Path:
    """Save ``fig`` atomically as PNG, SVG or PDF (by extension), reproducibly: no
    dates in the metadata, fixed SVG ids."""
    from .style import style

    path = check_writable(path, FIGURE_SUFFIXES)
    fmt = path.suffix.lower().lstrip(".")
    # Drawn under the same rc settings it was built with (tick density follows type size).
    with (
        style(),
        matplotlib.rc_context({"svg.hashsalt": "optviz"}),
        atomic_path(path) as tmp,
    ):
        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
    return path
