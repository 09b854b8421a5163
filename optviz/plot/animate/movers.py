"""What moves in an animation, one small object per moving artist: a line that grows,
a head marker that travels, a shaded range that grows, a mark that appears. A mover
``m`` puts its artist at step ``k`` with ``m(k)``; a line and a head can also paint
themselves at step ``k`` by replaying the one drawing call a draw of theirs makes.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from matplotlib.collections import FillBetweenPolyCollection
from matplotlib.lines import Line2D
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.transforms import Bbox

__all__ = ["Grow", "GrowFill", "Head", "Appear", "extent", "footprints"]


# -- what moves --------------------------------------------------------------------------
class _Capture:
    """A stand-in renderer that records the drawing calls an artist makes instead of
    painting (everything else it asks, such as a new graphics context or the dpi, goes
    to the real renderer)."""

    def __init__(self, renderer):
        self._renderer = renderer
        self.calls: list[tuple[str, tuple]] = []

    def __getattr__(self, name):
        return getattr(self._renderer, name)

    def draw_path(self, *args) -> None:
        self.calls.append(("draw_path", args))

    def draw_markers(self, *args) -> None:
        self.calls.append(("draw_markers", args))


def _single_call(artist, renderer, kind: str) -> tuple | None:
    """The arguments of the one ``kind`` call (``draw_path``, ``draw_markers``) that
    drawing ``artist`` makes; None if it makes anything else."""
    capture = _Capture(renderer)
    artist.draw(capture)
    if len(capture.calls) != 1 or capture.calls[0][0] != kind:
        return None
    return capture.calls[0][1]


#: Longer lines may be cut to the view by Line2D before drawing ("subslice"); their
#: frames are drawn by Line2D itself.
_SUBSLICE_MIN = getattr(Line2D, "_subslice_optim_min_size", 0)


class Grow:
    """A line that shows its first k + 1 points."""

    def __init__(self, line: Line2D):
        self.artist = line
        self.x, self.y = (np.asarray(v) for v in line.get_data(orig=True))

    def __call__(self, k: int) -> None:
        self.artist.set_data(self.x[: k + 1], self.y[: k + 1])

    def painter(self, renderer) -> Callable[[int], None] | None:
        """``paint(k)``, which paints what ``self(k)`` then ``artist.draw(renderer)``
        would, without Line2D's work per draw (units, caches, a new graphics
        context): the one ``draw_path`` call a draw makes is recorded, and replayed
        with the path of the first k + 1 points. None where that would not give the
        same pixels (markers on the line, dashes with a gap colour, path effects)."""
        line = self.artist
        if line.get_path_effects() or line.get_drawstyle() != "default":
            return None
        try:
            xy = np.column_stack([self.x, self.y]).astype(float)
        except (TypeError, ValueError):  # units matplotlib converts
            return None
        self(len(xy) - 1)
        call = _single_call(line, renderer, "draw_path")
        if call is None or not line.get_visible():
            return None
        gc, recorded, affine, *face = call  # (a line has no face colour)
        transform = line.get_transform()

        def path(k: int):  # as Line2D builds it: the data, then the non-affine part
            return transform.transform_path_non_affine(MplPath(xy[: k + 1]))

        full = path(len(xy) - 1)
        if not (
            np.array_equal(full.vertices, recorded.vertices, equal_nan=True)
            and full.codes is None
            and recorded.codes is None
            and full.should_simplify == recorded.should_simplify
        ):
            return None

        def paint(k: int) -> None:
            if k + 1 > _SUBSLICE_MIN:
                self(k)
                line.draw(renderer)
            else:
                renderer.draw_path(gc, path(k), affine, *face)

        return paint


class GrowFill:
    """A shaded range between two curves that shows its first k + 1 points."""

    def __init__(self, coll: FillBetweenPolyCollection, t, lo, hi):
        self.artist, self.t, self.lo, self.hi = coll, t, lo, hi

    def __call__(self, k: int) -> None:
        self.artist.set_data(self.t[: k + 1], self.lo[: k + 1], self.hi[: k + 1])


class Head:
    """The head marker: the last finite iterate up to step k."""

    def __init__(self, marker: Line2D, xy: np.ndarray):
        self.artist = marker
        finite = np.all(np.isfinite(xy), axis=-1)
        last = np.maximum.accumulate(np.where(finite, np.arange(len(xy)), 0))
        self.xy = xy[last]  # (T+1, 2): forward-filled

    def __call__(self, k: int) -> None:
        x, y = self.xy[min(k, len(self.xy) - 1)]
        self.artist.set_data([x], [y])

    def painter(self, renderer) -> Callable[[int], None] | None:
        """``paint(k)``, as :meth:`Grow.painter`: the one ``draw_markers`` call a
        draw makes, replayed at the head's place; None where that would not give
        the same pixels (a line as well, half-filled markers, non-affine axes)."""
        marker = self.artist
        if (
            marker.get_path_effects()
            or marker.get_markevery() is not None
            or not marker.get_transform().is_affine
        ):
            return None
        xy = np.ascontiguousarray(self.xy, dtype=float)
        last = len(xy) - 1
        self(last)
        call = _single_call(marker, renderer, "draw_markers")
        if call is None or not marker.get_visible():
            return None
        gc, marker_path, marker_transform, recorded, affine, face = call
        if not np.array_equal(recorded.vertices, xy[last:], equal_nan=True):
            return None

        def paint(k: int) -> None:
            k = min(k, last)
            renderer.draw_markers(
                gc, marker_path, marker_transform, MplPath(xy[k : k + 1]), affine, face
            )

        return paint


class Appear:
    """Shown from step ``at`` on (a divergence mark)."""

    def __init__(self, artist, at: int):
        self.artist, self.at = artist, at

    def __call__(self, k: int) -> None:
        self.artist.set_visible(k >= self.at)


def extent(artist, renderer):
    """Display box of ``artist``, a text's frame (``bbox=``) included."""
    box = artist.get_window_extent(renderer)
    patch = artist.get_bbox_patch() if isinstance(artist, Text) else None
    if patch is not None:
        box = Bbox.union([box, patch.get_window_extent(renderer)])
    return box


def footprints(movers, ax, renderer, below: float = np.inf) -> tuple[list, list]:
    """Where the moving artists of ``ax`` under z-order ``below`` go over the whole
    animation, in display coordinates: the paths of whole lines (a head travels
    along its line), and the boxes of the rest."""
    paths, boxes = [], []
    for m in movers:
        a = m.artist
        if a.axes is not ax or a.get_zorder() >= below:
            continue
        if isinstance(m, (Grow, Head)):
            xy = np.column_stack([m.x, m.y]) if isinstance(m, Grow) else m.xy
            xy = xy[np.all(np.isfinite(xy), axis=1)]
            if len(xy):
                paths.append(MplPath(a.get_transform().transform(xy)))
        else:
            boxes.append(a.get_window_extent(renderer))
    return paths, boxes
