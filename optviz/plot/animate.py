"""Animations of a run: the paths growing over the contour map, loss and learning-rate
curves growing beside it, a step counter; saved as GIF, MP4 or self-contained HTML.

Every frame is drawn by the functions that draw the still figures (``draw_trajectory``,
``draw_loss``, ``draw_lr``), so a frame looks like the still of the same step. What
makes it fast:

- the static picture (contour map, axes, labels, legend, titles) is drawn once and
  restored for each frame; only the moving artists, and the few static ones that lie
  above them (start, minima), are drawn again (Agg ``copy_from_bbox`` /
  ``restore_region``, ``Artist.draw``);
- the GIF has one palette for all frames and stores only the rectangle that changed
  since the previous frame, written as it is rendered (:mod:`optviz.plot.gif`).

The object also follows matplotlib's animation contract (artists made once,
``update(frame) -> artists``), so :meth:`Animation.to_func_animation` gives a
``FuncAnimation`` for any matplotlib writer.

>>> from surfaces import get
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
from itertools import chain
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import FillBetweenPolyCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .._io import atomic_path, check_writable
from .compare import legend_label
from .contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from .curves import draw_loss, draw_lr, loss_axis, lr_axis
from .gif import GifWriter, build_palette
from .style import color, style

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
DPI = 100
SPACINGS = ("geometric", "linear")
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
    [0, 1, 3, 8, 25, 73, 201, 500]
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
class _Grow:
    """A line that shows its first k + 1 points."""

    def __init__(self, line: Line2D):
        self.artist = line
        self.x, self.y = (np.asarray(v) for v in line.get_data(orig=True))

    def __call__(self, k: int) -> None:
        self.artist.set_data(self.x[: k + 1], self.y[: k + 1])


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


class _Appear:
    """Shown from step ``at`` on (a divergence mark)."""

    def __init__(self, artist, at: int):
        self.artist, self.at = artist, at

    def __call__(self, k: int) -> None:
        self.artist.set_visible(k >= self.at)


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
    spacing : {"geometric", "linear"}
    hold : float
        Seconds the last frame stays before the loop restarts.

    Attributes
    ----------
    fig : matplotlib Figure (Agg canvas)
    axes : dict panel -> Axes
    steps : (n_frames,) int, the step each frame shows
    """

    def __init__(self, surface, run, *, panels: str | Sequence[str] = ("trajectory",),
                 frames: int = DEFAULT_FRAMES, fps: int = DEFAULT_FPS,
                 size: tuple[int, int] | None = None, spacing: str = "geometric",
                 hold: float = HOLD_SECONDS):
        if np.asarray(run.start).ndim != 1:
            raise ValueError("an animation draws a single-start run; got a batch of starts")
        self.surface, self.run = surface, run
        self.panels = check_panels(panels)
        self.fps = _check_int("fps", fps, *FPS_RANGE)
        frames = _check_int("frames", frames, 1, MAX_FRAMES)
        if not 0 <= hold <= 60:
            raise ValueError(f"hold must be in [0, 60] seconds, got {hold!r}")
        self.hold = float(hold)
        self.steps = frame_steps(run.steps, frames, spacing)
        self.size = self._size(size)
        self._movers: list[Callable[[int], None]] = []
        self._gif: bytes | None = None
        with style():
            w, h = self.size
            self.fig = Figure(figsize=(w / DPI, h / DPI), dpi=DPI, layout="constrained")
            FigureCanvasAgg(self.fig)
            self.axes = self._build()
            self._settle()
        self._artists = self._redraw_list()
        self.update(0)

    # -- layout ------------------------------------------------------------------------
    def _size(self, size) -> tuple[int, int]:
        if size is None:
            curves = len([p for p in self.panels if p != "trajectory"])
            if "trajectory" not in self.panels:
                key = "curves"
            else:
                key = {0: "map", 1: "both"}.get(curves, "both-tall")
            return SIZES[key]
        w, h = (int(v) for v in size)
        if not (16 <= w <= 4096 and 16 <= h <= 4096):
            raise ValueError(f"size must be within 16 to 4096 pixels each way, got {w}x{h}")
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
            for traj in run:
                for artist in draw_lr(ax, traj, label=labels[traj.label]):
                    if isinstance(artist, FillBetweenPolyCollection):
                        lx, ly = traj.lr[:, 0], traj.lr[:, 1]
                        t = np.arange(len(lx))  # the range draw_lr shades
                        self._movers.append(_GrowFill(artist, t, np.fmin(lx, ly),
                                                      np.fmax(lx, ly)))
                    else:
                        self._movers.append(_Grow(artist))
        for name in curves[:-1]:
            axes[name].tick_params(labelbottom=False)
            axes[name].set_xlabel("")

        # the legend: beside the curves if there are any, else on the map
        legend_ax = axes[curves[0]] if curves else axes["trajectory"]
        handles = [a for a in legend_ax.get_lines() if not a.get_label().startswith("_")
                   and a.get_label() in labels.values()]
        legend_ax.legend(handles=handles, loc="best", frameon=True, framealpha=0.9,
                         fontsize="small" if not curves else None)
        fig.suptitle(f"{surface.title}:  ${surface.latex}$", x=0.01, ha="left")
        # The counter has an axes of its own, so FuncAnimation's blitting can restore it.
        counter_ax = fig.add_axes((0.62, 0.93, 0.37, 0.07), in_layout=False)
        counter_ax.set_axis_off()
        self._counter = counter_ax.text(1, 0.5, "", ha="right", va="center",
                                        transform=counter_ax.transAxes)
        axes["counter"] = counter_ax
        return axes

    def _counter_text(self, k: int) -> str:
        return f"step {k} / {self.run.steps}"

    def _settle(self) -> None:
        """Draw the last frame once, then fix what a draw would otherwise recompute:
        the layout, the axis limits and the legend's place."""
        for mover in self._movers:
            mover(self.run.steps)
        self._counter.set_text(self._counter_text(self.run.steps))
        self.fig.canvas.draw()
        self._last = np.array(self.fig.canvas.buffer_rgba())  # for the palette
        self.fig.set_layout_engine("none")
        for name, ax in self.axes.items():
            ax.set_autoscale_on(False)
            leg = ax.get_legend()
            if leg is not None:  # "best" would move it as the lines grow
                box = leg.get_window_extent()
                leg.set_loc(tuple(ax.transAxes.inverted().transform((box.x0, box.y0))))

    def _redraw_list(self) -> list:
        """The artists drawn every frame, in drawing order: those that move and the
        static ones of the same axes stacked above them (start, minima, legend...)."""
        moving = [m.artist for m in self._movers] + [self._counter]
        out = []
        for ax in self.fig.axes:
            mine = [a for a in moving if a.axes is ax]
            if not mine:
                continue
            lowest = min(a.get_zorder() for a in mine)
            titles = {ax.title, ax._left_title, ax._right_title}  # outside the axes
            drawn = [a for a in ax.get_children()
                     if a in mine or (a.get_zorder() > lowest and a not in titles
                                      and a is not ax.patch)]
            out += sorted(drawn, key=lambda a: a.get_zorder())  # as Axes.draw orders them
        return out

    # -- matplotlib's animation contract ---------------------------------------------
    def __len__(self) -> int:
        return len(self.steps)

    def update(self, frame: int) -> list:
        """Move the artists to frame ``frame``; return every artist drawn per frame."""
        k = int(self.steps[frame])
        for mover in self._movers:
            mover(k)
        self._counter.set_text(self._counter_text(k))
        return self._artists

    def init(self) -> list:
        """The first frame (``FuncAnimation``'s ``init_func``)."""
        return self.update(0)

    def to_func_animation(self, **kwargs):
        """A ``matplotlib.animation.FuncAnimation`` over this animation's frames (for
        matplotlib's own writers; optviz's :meth:`save` is much faster)."""
        from matplotlib.animation import FuncAnimation

        kwargs.setdefault("interval", 1000 / self.fps)
        kwargs.setdefault("blit", True)
        return FuncAnimation(self.fig, self.update, frames=len(self), init_func=self.init,
                             **kwargs)

    # -- fast rendering --------------------------------------------------------------
    def durations_ms(self) -> list[int]:
        """How long each frame is shown: 1/fps, the last one at least ``hold``."""
        each = 1000 / self.fps
        return [round(each)] * (len(self) - 1) + [round(max(each, 1000 * self.hold))]

    def iter_frames(self) -> Iterator[np.ndarray]:
        """Render every frame: ``(H, W, 4)`` uint8 RGBA views of the canvas, each valid
        until the next one is rendered (copy to keep one)."""
        canvas = self.fig.canvas
        with style():
            for a in self._artists:
                a.set_animated(True)
            try:
                canvas.draw()  # everything that does not move, once
            finally:
                for a in self._artists:
                    a.set_animated(False)
            background = canvas.copy_from_bbox(self.fig.bbox)
            renderer = canvas.get_renderer()
        for frame in range(len(self)):
            with style():
                canvas.restore_region(background)
                for a in self.update(frame):
                    a.draw(renderer)
            yield np.asarray(canvas.buffer_rgba())

    def key_colors(self) -> list[tuple[int, int, int]]:
        """Colours the GIF palette must hold exactly: the optimizers', black, white."""
        return [_rgb255(color(t.optimizer)) for t in self.run] + [(0, 0, 0),
                                                                  (255, 255, 255)]

    def write_gif(self, fh, *, progress: Callable[[int], None] | None = None) -> None:
        """Stream the GIF to the open binary file ``fh`` (loops forever)."""
        frames = self.iter_frames()
        first = next(frames)
        palette = build_palette([first, self._last], keep=self.key_colors())
        durations = self.durations_ms()
        with GifWriter(fh, self.size, palette, loop=0) as gif:
            for i, frame in enumerate(chain([first], frames)):
                gif.write(frame, durations[i])
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
        img = (f'<img src="data:image/gif;base64,{data}" width="{w}" height="{h}" '
               f'alt="{alt}">')
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
                tmp.write_text(self.to_html(progress=progress, standalone=True),
                               encoding="utf-8")
            else:
                hold = max(0, round((self.hold - 1 / self.fps) * self.fps))

                def frames():
                    for frame in self.iter_frames():
                        yield frame
                        if progress is not None:
                            progress(1)

                write_mp4(tmp, frames(), self.size, self.fps, repeat_last=hold,
                          ffmpeg=ffmpeg)
        return path


def animate(surface, run, **kwargs) -> Animation:
    """An :class:`Animation` of ``run`` on ``surface`` (keywords as there)."""
    return Animation(surface, run, **kwargs)
