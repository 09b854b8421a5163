"""Animations of a run: the paths growing over the contour map, loss and learning-rate
curves growing beside it, a step counter; saved as GIF, MP4 or self-contained HTML.

Every frame is drawn by the functions that draw the still figures (``draw_trajectory``,
``draw_loss``, ``draw_lr``), so a frame looks like the still of the same step; a step
counter sits in the corner of the first panel that the paths leave free. What makes it
fast:

- the static picture (contour map, axes, labels, titles, ticks) is drawn once and
  restored for each frame; only the moving artists, and the static ones above them
  that they can reach (start, minima, a legend a path runs under), are drawn again
  (Agg ``copy_from_bbox`` / ``restore_region``, ``Artist.draw``); the pixels of those
  static ones are reused while nothing under them changed (a legend's text is not
  rendered again, the start marker not drawn again once the paths have left it);
- a growing path and a head are painted by replaying the one drawing call that
  ``Line2D.draw`` makes (recorded once), with the path of the frame: the same pixels
  without Line2D's bookkeeping per draw; the step counter is pasted from digits
  rendered once;
- the layout (constrained layout, ticks, the legend's place) is computed by one draw
  that paints nothing; the background is painted once;
- the GIF has one palette for all frames and stores only the rectangle that changed
  since the previous frame, written as it is rendered (:mod:`optviz.plot.gif`);
  MP4 goes through ffmpeg (:mod:`optviz.plot.video`), HTML embeds the GIF.

The object also follows matplotlib's animation contract (artists made once,
``update(frame) -> artists``), so :meth:`Animation.to_func_animation` gives a
``FuncAnimation`` for any matplotlib writer.

>>> from optviz.surfaces import get
>>> from optviz import Adam, SGD, run_surface
>>> surface = get("rosenbrock")
>>> run = run_surface(surface, {"sgd": SGD(lr=1e-3), "adam": Adam(lr=0.05)}, steps=50)
>>> anim = animate(surface, run, frames=20, size=(320, 240))
>>> len(anim), int(anim.steps[0]), int(anim.steps[-1])
(20, 0, 50)
>>> anim.save("paths.gif")  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import FillBetweenPolyCollection
from matplotlib.colors import to_rgb
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator
from matplotlib.transforms import Bbox

from .._io import atomic_path, check_writable
from ._figure import Figure
from .compare import legend_label
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from .curves import draw_loss, draw_lr, loss_axis, lr_axis, momentum_factor
from .gif import GifWriter, build_palette
from .style import color_of, style

__all__ = [
    "Animation",
    "animate",
    "frame_steps",
    "check_panels",
    "PANELS",
    "ANIMATION_SUFFIXES",
    "MAX_FRAMES",
    "FPS_RANGE",
    "DEFAULT_FRAMES",
    "DEFAULT_FPS",
    "HOLD_SECONDS",
    "SIZE_RANGE",
]

PANELS = ("trajectory", "loss", "lr")
ANIMATION_SUFFIXES = (".gif", ".mp4", ".html")
#: More frames than this is a film, not a lecture animation.
MAX_FRAMES = 2000
#: GIF delays are whole centiseconds and browsers slow down delays under 2 cs, so
#: 50 frames per second is as fast as a GIF reliably plays.
FPS_RANGE = (1, 50)
DEFAULT_FRAMES = 200
DEFAULT_FPS = 20
#: The last frame stays this long before the loop starts again.
HOLD_SECONDS = 1.5
#: GIF palette size: 128 colours look like the still figure (mean error < 1 level
#: of 255) and code each pixel in a bit less than 256 would.
GIF_COLORS = 128
#: Dots per inch at the default sizes; other sizes scale it (see Animation).
DPI = 100
SPACINGS = ("geometric", "linear")
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
FILL_ZORDER = 1.75
#: Pixels around a static artist within which a moving marker may touch it.
MARKER_PAD = 10
#: Pixels each way: below this the text cannot be drawn, above it a frame is 64 MB.
SIZE_RANGE = (128, 4096)
#: Pixels per panel layout, (width, height).
SIZES = {"map": (640, 480), "curves": (640, 480), "both": (1120, 480),
         "both-tall": (1120, 560)}  # fmt: skip


# -- frame selection -------------------------------------------------------------------
def _offset(steps: int, frames: int) -> float:
    """c such that c * log(1 + steps / c) = frames - 1: geometric spacing of step + c
    whose first gap is one step."""
    lo, hi = 1e-9, 1e12
    for _ in range(200):  # bisection in log c; c * log(1 + s/c) grows with c
        mid = np.sqrt(lo * hi)
        if mid * np.log1p(steps / mid) < frames - 1:
            lo = mid
        else:
            hi = mid
    return hi


def frame_steps(steps: int, frames: int, spacing: str = "geometric") -> np.ndarray:
    """The step each frame shows: ``min(frames, steps + 1)`` distinct steps, ascending,
    from 0 to ``steps`` (a single frame shows the last step).

    ``"geometric"`` spaces ``step + c`` geometrically, with ``c`` chosen so the first
    frames are one step apart: the fast early motion gets a frame per step and the
    slow end is sampled more sparsely. ``"linear"`` spaces steps evenly.

    >>> frame_steps(10, 5, "linear").tolist()
    [0, 2, 5, 8, 10]
    >>> frame_steps(500, 8).tolist()
    [0, 2, 5, 14, 36, 87, 209, 500]
    >>> frame_steps(3, 100).tolist()
    [0, 1, 2, 3]
    """
    if spacing not in SPACINGS:
        raise ValueError(f"unknown spacing {spacing!r}; allowed: {', '.join(SPACINGS)}")
    n = min(int(frames), int(steps) + 1)
    if n < 1:
        raise ValueError(f"frames must be >= 1, got {frames}")
    if n == 1:
        return np.array([steps])
    if n == steps + 1:
        return np.arange(steps + 1)
    if spacing == "linear":
        target = np.linspace(0, steps, n)
    else:
        c = _offset(steps, n)
        target = c * np.expm1(np.linspace(0, 1, n) * np.log1p(steps / c))
    out = np.empty(n, dtype=np.int64)
    previous = -1
    for i, t in enumerate(np.rint(target).astype(np.int64)):
        # distinct and ascending, leaving room for the frames still to come
        previous = out[i] = min(max(t, previous + 1), steps - (n - 1 - i))
    return out


def check_panels(panels: str | Sequence[str]) -> tuple[str, ...]:
    """Panels as a tuple (from ``"trajectory,loss"`` or a sequence), checked."""
    if isinstance(panels, str):
        panels = panels.split(",")
    chosen = tuple(dict.fromkeys(p.strip().lower() for p in panels if p.strip()))
    for p in chosen:
        if p not in PANELS:
            raise ValueError(f"unknown panel {p!r}; allowed: {', '.join(PANELS)}")
    if not chosen:
        raise ValueError(f"no panels given; allowed: {', '.join(PANELS)}")
    return chosen


def _check_int(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not float(value).is_integer() or not low <= value <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value!r}")
    return int(value)


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


class _Grow:
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


class _GrowFill:
    """A shaded range between two curves that shows its first k + 1 points."""

    def __init__(self, coll: FillBetweenPolyCollection, t, lo, hi):
        self.artist, self.t, self.lo, self.hi = coll, t, lo, hi

    def __call__(self, k: int) -> None:
        self.artist.set_data(self.t[: k + 1], self.lo[: k + 1], self.hi[: k + 1])


class _Head:
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
        """``paint(k)``, as :meth:`_Grow.painter`: the one ``draw_markers`` call a
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


class _Appear:
    """Shown from step ``at`` on (a divergence mark)."""

    def __init__(self, artist, at: int):
        self.artist, self.at = artist, at

    def __call__(self, k: int) -> None:
        self.artist.set_visible(k >= self.at)


class _Reuse:
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
        x0, y0, x1, y1 = _extent(artist, renderer).padded(pad).extents
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


class _StepCounter(Artist):
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
        from .i18n import font_family, translate

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


def _extent(artist, renderer):
    """Display box of ``artist``, a text's frame (``bbox=``) included."""
    box = artist.get_window_extent(renderer)
    patch = artist.get_bbox_patch() if isinstance(artist, Text) else None
    if patch is not None:
        box = Bbox.union([box, patch.get_window_extent(renderer)])
    return box


def _rgb255(c) -> tuple[int, int, int]:
    return tuple(int(round(v * 255)) for v in to_rgb(c))


# -- the animation ---------------------------------------------------------------------
class Animation:
    """An animation of a single-start :class:`~optviz.records.Run` on ``surface``.

    Parameters
    ----------
    surface : surfaces.Surface
    run : Run
        One start; every trajectory is drawn in its optimizer's colour.
    panels : str or sequence of {"trajectory", "loss", "lr"}
        The contour map with the paths; f - f* per step (log); the effective learning
        rate per step (log; adaptive methods: the mean of x and y, their range shaded).
    frames : int
        At most this many frames (1 to :data:`MAX_FRAMES`); see :func:`frame_steps`.
    fps : int
        Frames per second, in :data:`FPS_RANGE`.
    size : (width, height) in pixels, optional
        Default 640 x 480 for one kind of panel, wider with the map beside curves.
        Other sizes scale that picture (text and markers included), so a thumbnail
        keeps its layout and a large size is sharper.
    spacing : {"geometric", "linear"}
    hold : float
        Seconds the last frame stays before the loop restarts.
    colors : int
        GIF palette size (a power of two up to 256): the frequent colours (contour
        bands, background, text, the optimizers') are kept exactly; fewer colours make
        a smaller file with coarser anti-aliased edges.
    lang : {"en", "zh"}
        The language of every text, the step counter included: the figure is
        localized (:func:`optviz.plot.i18n.localize`) before its layout, the legend's
        place and the counter's corner are fixed, so they fit the translated text.
        (Localizing ``fig`` afterwards would leave the counter in English.)
    axis_labels : dict panel -> (xlabel, ylabel), optional
        Axis labels replacing the default ones (None keeps one), set before the
        layout too; e.g. a landscape's directions.

    Attributes
    ----------
    fig : matplotlib Figure (Agg canvas)
    axes : dict panel -> Axes
    steps : (n_frames,) int, the step each frame shows
    """

    def __init__(
        self,
        surface,
        run,
        *,
        panels: str | Sequence[str] = ("trajectory",),
        frames: int = DEFAULT_FRAMES,
        fps: int = DEFAULT_FPS,
        size: tuple[int, int] | None = None,
        spacing: str = "geometric",
        hold: float = HOLD_SECONDS,
        colors: int = GIF_COLORS,
        lang: str = "en",
        axis_labels: dict | None = None,
    ):
        from .i18n import LANGS, localize

        if lang not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
        if np.asarray(run.start).ndim != 1:
            raise ValueError("an animation draws a single-start run; got a batch of starts")
        self.surface, self.run = surface, run
        self.panels = check_panels(panels)
        self.fps = _check_int("fps", fps, *FPS_RANGE)
        frames = _check_int("frames", frames, 1, MAX_FRAMES)
        if not 0 <= hold <= 60:
            raise ValueError(f"hold must be in [0, 60] seconds, got {hold!r}")
        self.hold = float(hold)
        if colors not in (2**b for b in range(2, 9)):
            raise ValueError(f"colors must be a power of two in [4, 256], got {colors!r}")
        self.colors = int(colors)
        self.lang = lang
        self.steps = frame_steps(run.steps, frames, spacing)
        self.size = self._size(size)
        self._movers: list[Callable[[int], None]] = []
        self._gif: bytes | None = None
        with style():
            # Another size scales the default picture (text, markers, lines) rather
            # than laying it out anew: a small GIF keeps its proportions, a large one
            # gets sharper. (A hair over w x h: the canvas rounds down to whole pixels.)
            w, h = self.size
            base_w, base_h = self._layout_size()
            dpi = DPI * min(w / base_w, h / base_h)
            self.fig = Figure(
                figsize=((w + 1e-6) / dpi, (h + 1e-6) / dpi), dpi=dpi, layout="constrained"
            )
            FigureCanvasAgg(self.fig)
            self.axes = self._build()
            self._label_axes(axis_labels or {})
            localize(self.fig, lang)  # before the layout is fixed
            self._settle()
        self._artists = self._redraw_list()
        self.update(0)

    # -- layout ------------------------------------------------------------------------
    def _label_axes(self, labels: dict) -> None:
        unknown = sorted(set(labels) - set(self.axes))
        if unknown:
            raise ValueError(
                f"axis_labels names panels {', '.join(unknown)}; this animation has "
                f"{', '.join(self.axes)}"
            )
        for panel, (xlabel, ylabel) in labels.items():
            if xlabel is not None:
                self.axes[panel].set_xlabel(xlabel)
            if ylabel is not None:
                self.axes[panel].set_ylabel(ylabel)

    def _layout_size(self) -> tuple[int, int]:
        """The default size of this choice of panels, in pixels at :data:`DPI`."""
        curves = len([p for p in self.panels if p != "trajectory"])
        if "trajectory" not in self.panels:
            return SIZES["curves"]
        return SIZES[{0: "map", 1: "both"}.get(curves, "both-tall")]

    def _size(self, size) -> tuple[int, int]:
        if size is None:
            return self._layout_size()
        w, h = (int(v) for v in size)
        (lo, hi) = SIZE_RANGE
        if not (lo <= w <= hi and lo <= h <= hi):
            raise ValueError(f"size must be {lo} to {hi} pixels each way, got {w}x{h}")
        return w, h

    def _build(self) -> dict:
        fig, surface, run = self.fig, self.surface, self.run
        curves = [p for p in self.panels if p != "trajectory"]
        axes: dict = {}
        if "trajectory" in self.panels and curves:
            gs = fig.add_gridspec(len(curves), 2, width_ratios=[1.1, 1])
            axes["trajectory"] = fig.add_subplot(gs[:, 0])
            cells = [gs[i, 1] for i in range(len(curves))]
        elif "trajectory" in self.panels:
            axes["trajectory"] = fig.add_subplot()
            cells = []
        else:
            gs = fig.add_gridspec(len(curves), 1)
            cells = [gs[i, 0] for i in range(len(curves))]
        first = None
        for name, cell in zip(curves, cells):
            axes[name] = fig.add_subplot(cell, sharex=first)
            first = first or axes[name]

        labels = {t.label: legend_label(t) for t in run}
        if "trajectory" in axes:
            ax = axes["trajectory"]
            draw_surface(ax, surface)
            draw_landmarks(ax, surface)
            for traj in run:
                texts = set(ax.texts)
                line, head, cross = draw_trajectory(ax, traj, label=labels[traj.label])
                self._movers += [_Grow(line), _Head(head, traj.xy)]
                if cross is not None:
                    d = int(traj.diverged_at)
                    self._movers.append(_Appear(cross, d))
                    self._movers += [_Appear(t, d) for t in ax.texts if t not in texts]
            draw_start(ax, run.start)
        if "loss" in axes:
            ax = axes["loss"]
            loss_axis(ax, surface)
            for traj in run:
                line, cross = draw_loss(ax, surface, traj, label=labels[traj.label])
                self._movers.append(_Grow(line))
                if cross is not None:
                    self._movers.append(_Appear(cross, int(traj.diverged_at)))
        if "lr" in axes:
            ax = axes["lr"]
            lr_axis(ax)
            if any(momentum_factor(t) != 1 for t in run):
                ax.set_ylabel("effective lr (log)\nmomentum: α/(1-β)")
            for traj in run:
                for artist in draw_lr(
                    ax, traj, label=labels[traj.label], momentum_step=True
                ):
                    if isinstance(artist, FillBetweenPolyCollection):
                        # above the grid (1.5), so the grid need not be redrawn each
                        # frame; a still draws it below (alpha 0.18: barely differs)
                        artist.set_zorder(FILL_ZORDER)
                        lx, ly = traj.lr[:, 0], traj.lr[:, 1]
                        t = np.arange(len(lx))  # the range draw_lr shades
                        self._movers.append(
                            _GrowFill(artist, t, np.fmin(lx, ly), np.fmax(lx, ly))
                        )
                    else:
                        self._movers.append(_Grow(artist))
        for name in curves[:-1]:
            axes[name].tick_params(labelbottom=False)
            axes[name].set_xlabel("")

        # the legend: under the panels, never over the data
        legend_ax = axes[curves[0]] if curves else axes["trajectory"]
        handles = [
            a
            for a in legend_ax.get_lines()
            if not a.get_label().startswith("_") and a.get_label() in labels.values()
        ]
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(len(handles), 3 if curves else 2) or 1,
            frameon=False,
            fontsize=12,
        )
        fig.suptitle(f"{surface.title}:  ${surface.latex}$")
        # The step counter sits in a corner of the first panel (chosen in _settle), so
        # FuncAnimation's blitting, which restores axes, restores it too.
        host = axes["trajectory"] if "trajectory" in axes else axes[curves[0]]
        # its frame is a text of its own, as wide as the widest count: static, so it
        # is drawn once, not every frame
        self._counter = _StepCounter(run.steps, color="0.1", lang=self.lang)
        self._counter.set_zorder(COUNTER_ZORDER)
        host.add_artist(self._counter)
        self._counter_box = host.text(
            0, 0, self._counter.text(run.steps), transform=host.transAxes, color="none",
            zorder=COUNTER_ZORDER - 0.01,
            bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "0.7", "alpha": 0.85},
        )  # fmt: skip
        return axes

    def _settle(self) -> None:
        """Draw the last frame once (the layout, the legend's "best" place), then fix
        what a draw would otherwise recompute; place the counter."""
        fig = self.fig
        for mover in self._movers:
            mover(self.run.steps)
        self._counter.k = self.run.steps
        # a draw that lays out (constrained layout, tick labels, the legend's place)
        # but paints nothing: the background is painted once, in _blitter
        renderer = fig.canvas.get_renderer()
        with renderer._draw_disabled():
            fig.draw(renderer)
        fig.set_layout_engine("none")
        for ax in self.axes.values():
            ax.set_autoscale_on(False)
            for axis in (ax.xaxis, ax.yaxis):
                # how many ticks fit depends on the rc font size at draw time: fix them,
                # so a draw outside optviz's style (FuncAnimation) shows the same axes
                axis.set_major_locator(FixedLocator(axis.get_majorticklocs()))
                axis.set_minor_locator(FixedLocator(axis.get_minorticklocs()))
            leg = ax.get_legend()
            if leg is not None:  # "best" would move it as the lines grow
                box, anchor = leg.get_window_extent(), ax.bbox
                leg.set_loc(
                    (
                        (box.x0 - anchor.x0) / anchor.width,
                        (box.y0 - anchor.y0) / anchor.height,
                    )
                )
        self._place_counter()

    def _footprints(self, ax, below: float = np.inf) -> tuple[list, list]:
        """Where the moving artists of ``ax`` under z-order ``below`` go over the whole
        animation, in display coordinates: the paths of whole lines (a head travels
        along its line), and the boxes of the rest."""
        renderer = self.fig.canvas.get_renderer()
        paths, boxes = [], []
        for m in self._movers:
            a = m.artist
            if a.axes is not ax or a.get_zorder() >= below:
                continue
            if isinstance(m, (_Grow, _Head)):
                xy = np.column_stack([m.x, m.y]) if isinstance(m, _Grow) else m.xy
                xy = xy[np.all(np.isfinite(xy), axis=1)]
                if len(xy):
                    paths.append(MplPath(a.get_transform().transform(xy)))
            else:
                boxes.append(a.get_window_extent(renderer))
        if self._counter.axes is ax and self._counter.get_zorder() < below:
            boxes.append(_extent(self._counter_box, renderer))
        return paths, boxes

    def _place_counter(self) -> None:
        """Put the counter in the corner of its panel that the paths, the legend and
        the landmarks leave free (like ``legend(loc="best")``), nearest the paths."""
        box_text, text, ax = self._counter_box, self._counter, self._counter.axes
        renderer = self.fig.canvas.get_renderer()
        paths, boxes = self._footprints(ax, below=COUNTER_ZORDER)
        moving = {m.artist for m in self._movers}
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

    def _redraw_list(self) -> list:
        """The artists drawn every frame, in drawing order: those that move, and the
        static ones of the same axes stacked above a moving one that can reach them
        (the start, a minimum; the legend only if a path runs under it)."""
        renderer = self.fig.canvas.get_renderer()
        moving = [m.artist for m in self._movers] + [self._counter]
        out = []
        for ax in self.fig.axes:
            mine = [a for a in moving if a.axes is ax]
            if not mine:
                continue
            lowest = min(a.get_zorder() for a in mine)
            drawn = []
            for a in ax.get_children():
                if a in mine:
                    drawn.append(a)
                elif a.get_zorder() > lowest and a.get_visible() and a is not ax.patch:
                    paths, boxes = self._footprints(ax, below=a.get_zorder())
                    box = _extent(a, renderer).padded(MARKER_PAD)
                    if any(p.intersects_bbox(box, filled=False) for p in paths) or any(
                        box.overlaps(b) for b in boxes
                    ):
                        drawn.append(a)
            out += sorted(drawn, key=lambda a: a.get_zorder())  # as Axes.draw orders them
        return out

    # -- matplotlib's animation contract ---------------------------------------------
    def __len__(self) -> int:
        return len(self.steps)

    def update(self, frame: int) -> list:
        """Move the artists to frame ``frame``; return every artist drawn per frame."""
        self._move(int(self.steps[frame]), self._movers)
        return self._artists

    def _move(self, k: int, movers) -> None:
        """``movers`` and the counter to step ``k``."""
        for mover in movers:
            mover(k)
        self._counter.k = k

    def init(self) -> list:
        """The first frame (``FuncAnimation``'s ``init_func``)."""
        return self.update(0)

    def to_func_animation(self, **kwargs):
        """A ``matplotlib.animation.FuncAnimation`` over this animation's frames (for
        matplotlib's own writers; optviz's :meth:`save` is much faster)."""
        from matplotlib.animation import FuncAnimation

        kwargs.setdefault("interval", 1000 / self.fps)
        kwargs.setdefault("blit", True)
        return FuncAnimation(
            self.fig, self.update, frames=len(self), init_func=self.init, **kwargs
        )

    # -- fast rendering --------------------------------------------------------------
    def durations_ms(self) -> list[int]:
        """How long each frame is shown: 1/fps, the last one at least ``hold``."""
        each = 1000 / self.fps
        return [round(each)] * (len(self) - 1) + [round(max(each, 1000 * self.hold))]

    def _blitter(self) -> Callable[[int], np.ndarray]:
        """Draw what does not move, once; return ``render(frame)``, which restores it
        and draws the rest, and returns the canvas's ``(H, W, 4)`` RGBA pixels (a view,
        valid until the next call)."""
        canvas = self.fig.canvas
        with style():
            for a in self._artists:
                a.set_animated(True)
            try:
                canvas.draw()
            finally:
                for a in self._artists:
                    a.set_animated(False)
        background = canvas.copy_from_bbox(self.fig.bbox)
        renderer = canvas.get_renderer()
        pixels = np.asarray(canvas.buffer_rgba())
        moving = {m.artist for m in self._movers}  # (notes appear: drawn anew)
        reused = {  # static text, and static markers (start, minima) paths run under
            a: _Reuse(a, renderer, pixels.shape)
            for a in self._artists
            if isinstance(a, (Legend, Text, Line2D)) and a not in moving
        }
        # growing lines and heads: their drawing calls replayed (same pixels, a
        # fraction of the time); the other movers are moved and drawn as artists
        painters = {}
        for mover in self._movers:
            paint = mover.painter(renderer) if hasattr(mover, "painter") else None
            if paint is not None:
                painters[mover.artist] = paint
        others = [m for m in self._movers if m.artist not in painters]

        def render(frame: int) -> np.ndarray:  # (optviz's rc acts at creation only)
            canvas.restore_region(background)
            k = int(self.steps[frame])
            self._move(k, others)  # the painted ones are moved by painting them
            for a in self._artists:
                if a in painters:
                    painters[a](k)
                elif a in reused:
                    reused[a].draw(renderer, pixels)
                else:
                    a.draw(renderer)
            return pixels

        return render

    def iter_frames(self) -> Iterator[np.ndarray]:
        """Render every frame: ``(H, W, 4)`` uint8 RGBA views of the canvas, each valid
        until the next one is rendered (copy to keep one)."""
        render = self._blitter()
        for frame in range(len(self)):
            yield render(frame)

    def key_colors(self) -> list[tuple[int, int, int]]:
        """Colours the GIF palette must hold exactly: the optimizers', black, white."""
        return [_rgb255(color_of(t)) for t in self.run] + [
            (0, 0, 0),
            (255, 255, 255),
        ]

    def write_gif(self, fh, *, progress: Callable[[int], None] | None = None) -> None:
        """Stream the GIF to the open binary file ``fh`` (loops forever)."""
        render = self._blitter()
        last = render(len(self) - 1).copy()  # the first and last frames pick the palette
        palette = build_palette(
            [render(0), last], keep=self.key_colors(), colors=self.colors
        )
        durations = self.durations_ms()
        with GifWriter(fh, self.size, palette, loop=0) as gif:
            for frame, duration in enumerate(durations):
                gif.write(render(frame), duration)
                if progress is not None:
                    progress(1)

    def to_gif(self, *, progress=None) -> bytes:
        """The GIF's bytes (kept, so asking twice renders once)."""
        if self._gif is None:
            buf = io.BytesIO()
            self.write_gif(buf, progress=progress)
            self._gif = buf.getvalue()
        elif progress is not None:
            progress(len(self))
        return self._gif

    def to_html(self, *, progress=None, standalone: bool = False) -> str:
        """An ``<img>`` with the GIF inside it (base64): no file beside it needed.
        ``standalone`` wraps it in a whole HTML page."""
        data = base64.b64encode(self.to_gif(progress=progress)).decode("ascii")
        alt = html.escape(
            f"{self.surface.title}: " + ", ".join(legend_label(t) for t in self.run),
            quote=True,
        )
        w, h = self.size
        img = (
            f'<img src="data:image/gif;base64,{data}" width="{w}" height="{h}" alt="{alt}">'
        )
        if not standalone:
            return img
        title = html.escape(f"optviz: {self.surface.title}")
        return (
            f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n</head>\n<body>\n{img}\n</body>\n</html>\n"
        )

    def _repr_html_(self) -> str:  # Jupyter shows the animation inline
        return self.to_html()

    def save(self, path, *, progress: Callable[[int], None] | None = None) -> Path:
        """Write ``path`` by its extension (.gif, .mp4 or .html), atomically.

        ``progress(n)`` is called as frames are rendered (``n`` frames each time).
        MP4 needs ffmpeg (:func:`optviz.plot.video.find_ffmpeg`).
        """
        path = check_writable(path, ANIMATION_SUFFIXES)
        kind = path.suffix.lower()
        if kind == ".mp4":
            from .video import find_ffmpeg, write_mp4

            ffmpeg = find_ffmpeg()  # before any work
        with atomic_path(path) as tmp:
            if kind == ".gif":
                with open(tmp, "wb") as fh:
                    self.write_gif(fh, progress=progress)
            elif kind == ".html":
                tmp.write_text(
                    self.to_html(progress=progress, standalone=True), encoding="utf-8"
                )
            else:
                hold = max(0, round((self.hold - 1 / self.fps) * self.fps))

                def frames():
                    for frame in self.iter_frames():
                        yield frame
                        if progress is not None:
                            progress(1)

                write_mp4(
                    tmp, frames(), self.size, self.fps, repeat_last=hold, ffmpeg=ffmpeg
                )
        return path


def animate(surface, run, *, view: str = "2d", **kwargs):
    """An :class:`Animation` of ``run`` on ``surface`` (keywords as for it).

    ``view="3d"`` gives instead the paths growing on the surface in 3-D while the view
    turns slowly (:class:`optviz.plot.view3d.Rotation`; keywords ``frames``, ``fps``,
    ``size``, ``degrees``); ``.save("x.gif")`` writes either."""
    if view == "3d":
        from .view3d import Rotation

        allowed = {"frames", "fps", "size", "degrees", "hold", "elev", "azim"}
        unknown = sorted(set(kwargs) - allowed)
        if unknown:
            raise ValueError(
                f"view='3d' takes {', '.join(sorted(allowed))}; got {', '.join(unknown)}"
            )
        return Rotation(surface, run, **kwargs)
    if view != "2d":
        raise ValueError(f"view must be one of 2d, 3d; got {view!r}")
    return Animation(surface, run, **kwargs)
