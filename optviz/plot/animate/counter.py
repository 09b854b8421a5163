"""The step counter, "step k / T": pasted from digits rendered once, placed in the
corner of its panel that the paths leave free."""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from .._figure import Figure
from .movers import extent, footprints

__all__ = [
    "StepCounter",
    "add_counter",
    "counter_footprints",
    "place_counter",
    "FIGURE_SPACE",
    "COUNTER_CORNERS",
    "COUNTER_ZORDER",
    "MARKER_PAD",
]

#: Where the step counter may go: axes coordinates and alignment, in order of
#: preference when two corners are equally free.
COUNTER_CORNERS = (
    (0.02, 0.03, "left", "bottom"),
    (0.98, 0.03, "right", "bottom"),
    (0.02, 0.97, "left", "top"),
    (0.98, 0.97, "right", "top"),
)
COUNTER_ZORDER = 10
#: U+2007, a space as wide as a digit: holds a digit's place in the counter.
FIGURE_SPACE = "\u2007"
#: Pixels around a static artist within which a moving marker may touch it.
MARKER_PAD = 10


class StepCounter(Artist):
    """The step counter, "step k / T", drawn from pixels rendered once.

    Rendering text costs as much per frame as drawing every path, so the counter is
    not a ``Text``. The count is right-aligned in as many places as T has digits
    (figure spaces, as wide as a digit, fill the rest), so the text keeps one width
    and one layout: "step 0..0 / T" to "step 9..9 / T" and the blank one are
    rendered once by matplotlib, and a count is put together column by column, each
    place's columns taken from the rendering with that digit (or the blank one), and
    drawn as one small image. The result is the same pixels as rendering the text (a
    test holds it to that); where neighbouring places share a column of ink (small
    text), counts are rendered whole.
    """

    PAD = 3  # pixels around the text in the images
    #: The counter's words, translated as a whole (``localize`` catalogue key).
    TEMPLATE = "step {k} / {n}"

    def __init__(self, total: int, *, color: str, lang: str = "en"):
        from ..i18n import font_family, translate

        super().__init__()
        self.total, self.k = int(total), int(total)
        self.places = len(str(self.total))
        self.template = translate(self.TEMPLATE, lang)
        self.fontproperties = FontProperties()  # the rc font (optviz's style)
        if lang != "en":
            self.fontproperties.set_family(font_family(self.template))
        self.color = color
        self.anchor = (0.0, 0.0)  # axes fraction: left, bottom of the text's box
        self._layouts: dict = {}  # dpi -> (renderings, blank, columns of each place)

    def _number(self, k: int) -> str:
        return str(k).rjust(self.places, FIGURE_SPACE)

    def text(self, k: int | None = None) -> str:
        return self.template.format(
            k=self._number(self.k if k is None else k), n=self.total
        )

    def get_text(self) -> str:
        """What the counter shows now, without the figure spaces that align it (so
        :func:`optviz.plot.i18n.untranslated` sees it, like any text of the figure)."""
        return self.template.format(k=self.k, n=self.total)

    def _render(self, strings: list[str], dpi: float) -> np.ndarray:
        """(len(strings), H, W, 4) uint8: each string, on transparent, its box's
        bottom left at (PAD, PAD); all drawn at once, one above the other."""
        from matplotlib.transforms import IdentityTransform

        fig = Figure(dpi=dpi, facecolor="none")
        canvas = FigureCanvasAgg(fig)
        widest = fig.text(0, 0, max(strings, key=len), fontproperties=self.fontproperties)
        box = widest.get_window_extent(canvas.get_renderer())
        widest.remove()
        w, h = (
            int(np.ceil(box.width)) + 2 * self.PAD,
            int(np.ceil(box.height)) + 2 * self.PAD,
        )
        fig.set_size_inches(w / dpi, h * len(strings) / dpi)
        for i, string in enumerate(strings):  # whole pixels apart: identical rasters
            fig.text(
                self.PAD,
                self.PAD + i * h,
                string,
                transform=IdentityTransform(),
                fontproperties=self.fontproperties,
                color=self.color,
                ha="left",
                va="bottom",
            )
        canvas.draw()
        rows = np.asarray(canvas.buffer_rgba())[::-1].reshape(len(strings), h, w, 4)
        return rows[:, ::-1].copy()  # (bottom string first) -> each image top row first

    def _layout(self, dpi: float):
        """The ten renderings "step d..d / T", the blank one, and the columns of
        each place (None if neighbouring places can share a column of ink)."""
        if dpi not in self._layouts:
            n = self.places
            space = FIGURE_SPACE * n
            # one digit in one place: where each place's ink can reach (with a
            # single place, the ten renderings themselves)
            alone = [space[:p] + str(d) + space[p + 1 :]
                     for p in range(n) for d in range(10)] if n > 1 else []  # fmt: skip
            strings = [str(d) * n for d in range(10)] + [space] + alone
            rendered = self._render(
                [self.template.format(k=k, n=self.total) for k in strings], dpi
            )
            images, blank = rendered[:10], rendered[10]
            edges = [0]
            if n > 1:
                alone = rendered[11:].reshape(n, 10, *blank.shape)
                ink = [np.flatnonzero(np.any(a != blank, axis=(0, 1, 3))) for a in alone]
                for left, right in zip(ink[:-1], ink[1:]):  # cut where no ink is shared
                    if left[-1] >= right[0]:
                        edges = None
                        break
                    edges.append(int(right[0]))
            cells = None
            if edges is not None:
                edges.append(images.shape[2])
                cells = [slice(a, b) for a, b in zip(edges[:-1], edges[1:])]
            self._layouts[dpi] = (images, blank, cells)
        return self._layouts[dpi]

    def image(self, dpi: float, k: int | None = None) -> np.ndarray:
        """(H, W, 4) uint8 straight RGBA of the counter at step ``k``, top row first."""
        number = self._number(self.k if k is None else k)
        images, blank, cells = self._layout(dpi)
        if cells is None or len(number) != self.places:
            return self._render([self.text(k)], dpi)[0]
        out = blank.copy()
        for digit, cols in zip(number, cells):
            if digit != FIGURE_SPACE:
                out[:, cols] = images[int(digit), :, cols]
        return out

    def _origin(self) -> tuple[int, int]:
        x, y = self.axes.transAxes.transform(self.anchor)
        return int(round(x)) - self.PAD, int(round(y)) - self.PAD

    def get_window_extent(self, renderer=None):
        renderer = renderer or self.figure.canvas.get_renderer()
        h, w = self.image(renderer.dpi).shape[:2]
        x, y = self._origin()
        return Bbox.from_bounds(x, y, w, h)

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        x, y = self._origin()
        gc = renderer.new_gc()
        renderer.draw_image(gc, x, y, self.image(renderer.dpi)[::-1])  # bottom row first
        gc.restore()
        self.stale = False


def add_counter(host, total: int, lang: str) -> tuple[StepCounter, object]:
    """The counter of a ``total``-step animation on Axes ``host``, and its frame: a
    text of its own, as wide as the widest count, static, so drawn once, not every
    frame. (In the axes, so that FuncAnimation's blitting, which restores axes,
    restores it too.)"""
    counter = StepCounter(total, color="0.1", lang=lang)
    counter.set_zorder(COUNTER_ZORDER)
    host.add_artist(counter)
    box = host.text(
        0, 0, counter.text(total), transform=host.transAxes, color="none",
        zorder=COUNTER_ZORDER - 0.01,
        bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "0.7", "alpha": 0.85},
    )  # fmt: skip
    return counter, box


def counter_footprints(movers, counter, box, ax, renderer, below: float = np.inf):
    """:func:`~optviz.plot.animate.movers.footprints`, the counter's frame included
    when it is in ``ax`` under ``below``."""
    paths, boxes = footprints(movers, ax, renderer, below)
    if counter.axes is ax and counter.get_zorder() < below:
        boxes.append(extent(box, renderer))
    return paths, boxes


def place_counter(fig, movers, counter, box_text) -> None:
    """Put the counter in the corner of its panel that the paths, the legend and
    the landmarks leave free (like ``legend(loc="best")``), nearest the paths."""
    text, ax = counter, counter.axes
    renderer = fig.canvas.get_renderer()
    paths, boxes = counter_footprints(
        movers, counter, box_text, ax, renderer, below=COUNTER_ZORDER
    )
    moving = {m.artist for m in movers}
    static = [
        a.get_window_extent(renderer)
        for a in ax.get_children()
        if a.get_visible() and a.get_zorder() > 3 and a not in moving
        and isinstance(a, (Line2D, Legend))
    ]  # fmt: skip
    points = np.concatenate([p.vertices for p in paths]) if paths else np.zeros((0, 2))
    centre = points.mean(axis=0) if len(points) else np.array(ax.bbox.extents[:2])
    best = None
    for order, (x, y, ha, va) in enumerate(COUNTER_CORNERS):
        box_text.set(x=x, y=y, ha=ha, va=va)
        box = box_text.get_window_extent(renderer).padded(MARKER_PAD)  # + its frame
        covers = box.count_overlaps(static + boxes)  # legend, start, minima: never
        crosses = sum(box.count_contains(p.vertices) for p in paths) + sum(
            p.intersects_bbox(box, filled=False) for p in paths
        )
        distance = float(
            np.hypot(*(np.array([box.x0 + box.x1, box.y0 + box.y1]) / 2 - centre))
        )
        key = (covers, crosses, distance, order)
        if best is None or key < best[0]:
            best = (key, (x, y, ha, va))
    x, y, ha, va = best[1]
    box_text.set(x=x, y=y, ha=ha, va=va)
    # the counter starts where the widest text starts: shorter ones leave room
    # at the right end of the box rather than moving it
    box = box_text.get_window_extent(renderer)
    text.anchor = tuple(ax.transAxes.inverted().transform((box.x0, box.y0)))
