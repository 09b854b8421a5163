"""Fast frames: the static picture is drawn once and restored for each frame; only
the moving artists, and the static ones above them that they can reach, are drawn
again, growing lines and heads by replaying their one drawing call, static text by
pasting its pixels while nothing under it changed."""

from __future__ import annotations

from typing import Callable

import numpy as np
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text

from ..style import style
from .movers import extent

__all__ = ["Reuse", "blitter"]


class Reuse:
    """A static artist (a legend, a note, the start) drawn over moving lines: its pixels
    are kept and pasted again while the pixels under it have not changed, instead of
    laying out and rendering the text every frame."""

    PAD = 2  # pixels of anti-aliasing around the extent

    def __init__(self, artist, renderer, shape):
        height, width = shape[:2]
        pad = self.PAD
        if isinstance(artist, Line2D):  # a marker's edge, a line's width reach past it
            points = artist.get_markeredgewidth() + artist.get_linewidth()
            pad += renderer.points_to_pixels(points)
        x0, y0, x1, y1 = extent(artist, renderer).padded(pad).extents
        self.rows = slice(max(0, int(height - y1)), min(height, int(np.ceil(height - y0))))
        self.cols = slice(max(0, int(x0)), min(width, int(np.ceil(x1))))
        self.artist = artist
        self.under: np.ndarray | None = None
        self.over: np.ndarray | None = None

    def draw(self, renderer, pixels: np.ndarray) -> None:
        if not self.artist.get_visible():
            return
        region = pixels[self.rows, self.cols]
        if self.under is not None and np.array_equal(region, self.under):
            region[...] = self.over
            return
        self.under = region.copy()
        self.artist.draw(renderer)
        self.over = region.copy()


def blitter(fig, artists: list, movers: list, steps, move) -> Callable[[int], np.ndarray]:
    """Draw what does not move, once; return ``render(frame)``, which restores it
    and draws the rest, and returns the canvas's ``(H, W, 4)`` RGBA pixels (a view,
    valid until the next call). ``artists`` are those drawn every frame, in order;
    ``move(k, movers)`` puts ``movers`` (and the counter) at step ``k``."""
    canvas = fig.canvas
    with style():
        for a in artists:
            a.set_animated(True)
        try:
            canvas.draw()
        finally:
            for a in artists:
                a.set_animated(False)
    background = canvas.copy_from_bbox(fig.bbox)
    renderer = canvas.get_renderer()
    pixels = np.asarray(canvas.buffer_rgba())
    moving = {m.artist for m in movers}  # (notes appear: drawn anew)
    reused = {  # static text, and static markers (start, minima) paths run under
        a: Reuse(a, renderer, pixels.shape)
        for a in artists
        if isinstance(a, (Legend, Text, Line2D)) and a not in moving
    }
    # growing lines and heads: their drawing calls replayed (same pixels, a
    # fraction of the time); the other movers are moved and drawn as artists
    painters = {}
    for mover in movers:
        paint = mover.painter(renderer) if hasattr(mover, "painter") else None
        if paint is not None:
            painters[mover.artist] = paint
    others = [m for m in movers if m.artist not in painters]

    def render(frame: int) -> np.ndarray:  # (optviz's rc acts at creation only)
        canvas.restore_region(background)
        k = int(steps[frame])
        move(k, others)  # the painted ones are moved by painting them
        for a in artists:
            if a in painters:
                painters[a](k)
            elif a in reused:
                reused[a].draw(renderer, pixels)
            else:
                a.draw(renderer)
        return pixels

    return render
