"""The :class:`Animation` itself: made once (its picture laid out, see
:mod:`~optviz.plot.animate.layout`), moved by ``update(frame)``, rendered fast
(:mod:`~optviz.plot.animate.blitting`) and written (:mod:`~optviz.plot.animate.writers`).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from .._figure import Figure
from ..compare import legend_label
from ..look import STYLES
from ..style import shaded, style, talk
from .blitting import blitter
from .frames import (
    DEFAULT_FPS,
    DEFAULT_FRAMES,
    FPS_RANGE,
    HOLD_SECONDS,
    MAX_FRAMES,
    check_int,
    check_panels,
    frame_steps,
    holds,
)
from .layout import DPI, build, check_size, label_axes, layout_size, redraw_list, settle
from .writers import GIF_COLORS, html_page, key_colors, save, write_gif

__all__ = ["Animation", "animate"]


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
    hold : float or (float, float)
        Seconds the last frame stays before the loop restarts; a pair (first, last)
        holds the first frame too.
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
    figure_style : {"paper", "talk"}
        ``"talk"``: text and lines larger, for a projector
        (:func:`optviz.plot.style.talk`), applied before the layout is fixed.

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
        hold: float | tuple[float, float] = (HOLD_SECONDS, HOLD_SECONDS),
        colors: int = GIF_COLORS,
        lang: str = "en",
        axis_labels: dict | None = None,
        figure_style: str = "paper",
    ):
        from ..i18n import LANGS, localize

        if lang not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
        if np.asarray(run.start).ndim != 1:
            raise ValueError("an animation draws a single-start run; got a batch of starts")
        self.surface, self.run = surface, shaded(run)  # variants in shades
        self.panels = check_panels(panels)
        self.fps = check_int("fps", fps, *FPS_RANGE)
        frames = check_int("frames", frames, 1, MAX_FRAMES)
        self.hold_first, self.hold = holds(hold)
        if figure_style not in STYLES:
            raise ValueError(
                f"figure_style must be one of {', '.join(STYLES)}, got {figure_style!r}"
            )
        if colors not in (2**b for b in range(2, 9)):
            raise ValueError(f"colors must be a power of two in [4, 256], got {colors!r}")
        self.colors = int(colors)
        self.lang = lang
        self.steps = frame_steps(run.steps, frames, spacing)
        self.size = check_size(size, self.panels)
        self._gif: bytes | None = None
        with style():
            # Another size scales the default picture (text, markers, lines) rather
            # than laying it out anew: a small GIF keeps its proportions, a large one
            # gets sharper. (A hair over w x h: the canvas rounds down to whole pixels.)
            w, h = self.size
            base_w, base_h = layout_size(self.panels)
            dpi = DPI * min(w / base_w, h / base_h)
            self.fig = Figure(
                figsize=((w + 1e-6) / dpi, (h + 1e-6) / dpi), dpi=dpi, layout="constrained"
            )
            FigureCanvasAgg(self.fig)
            fig = self.fig
            self.axes, movers, counter, box = build(fig, surface, run, self.panels, lang)
            self._movers, self._counter, self._counter_box = movers, counter, box
            label_axes(self.axes, axis_labels or {})
            if figure_style == "talk":
                talk(fig)
            localize(fig, lang)  # before the layout is fixed
            settle(fig, self.axes, movers, counter, box, run.steps)
        self._artists = redraw_list(self.fig, movers, counter, box)
        self.update(0)

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
        """How long each frame is shown: 1/fps, the last one at least ``hold``, the
        first at least ``hold_first``."""
        each = 1000 / self.fps
        out = [round(each)] * (len(self) - 1) + [round(max(each, 1000 * self.hold))]
        if self.hold_first and len(self) > 1:
            out[0] = round(max(each, 1000 * self.hold_first))
        return out

    def _blitter(self) -> Callable[[int], np.ndarray]:
        return blitter(self.fig, self._artists, self._movers, self.steps, self._move)

    def iter_frames(self) -> Iterator[np.ndarray]:
        """Render every frame: ``(H, W, 4)`` uint8 RGBA views of the canvas, each valid
        until the next one is rendered (copy to keep one)."""
        render = self._blitter()
        for frame in range(len(self)):
            yield render(frame)

    def key_colors(self) -> list[tuple[int, int, int]]:
        """Colours the GIF palette must hold exactly: the optimizers', black, white."""
        return key_colors(self.run)

    def write_gif(self, fh, *, progress: Callable[[int], None] | None = None) -> None:
        """Stream the GIF to the open binary file ``fh`` (loops forever)."""
        write_gif(
            fh, self._blitter(), self.size, self.durations_ms(), self.key_colors(),
            self.colors, progress,
        )  # fmt: skip

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
        alt = f"{self.surface.title}: " + ", ".join(legend_label(t) for t in self.run)
        title = f"optviz: {self.surface.title}"
        return html_page(self.to_gif(progress=progress), self.size, alt, title, standalone)

    def to_player(self, *, progress=None) -> str:
        """A whole HTML page with a player (play, pause, step, first and last frame, a
        scrubber), its words in :attr:`lang`: :func:`~optviz.plot.animate.player.
        player_page`. What ``save("x.html")`` writes."""
        from .player import player_page

        return player_page(
            self._blitter(),
            steps=self.steps,
            total=self.run.steps,
            durations_ms=self.durations_ms(),
            size=self.size,
            keep=self.key_colors(),
            colors=self.colors,
            title=f"optviz: {self.surface.title}",
            alt=f"{self.surface.title}: " + ", ".join(legend_label(t) for t in self.run),
            lang=self.lang,
            progress=progress,
        )

    def _repr_html_(self) -> str:  # Jupyter shows the animation inline
        return self.to_html()

    def save(self, path, *, progress: Callable[[int], None] | None = None) -> Path:
        """Write ``path`` by its extension (.gif, .mp4 or .html), atomically.

        ``progress(n)`` is called as frames are rendered (``n`` frames each time).
        MP4 needs ffmpeg (:func:`optviz.plot.video.find_ffmpeg`).
        """
        return save(self, path, progress=progress)


def animate(surface, run, *, view: str = "2d", **kwargs):
    """An :class:`Animation` of ``run`` on ``surface`` (keywords as for it).

    ``view="3d"`` gives instead the paths growing on the surface in 3-D while the view
    turns slowly (:class:`optviz.plot.view3d.Rotation`; keywords ``frames``, ``fps``,
    ``size``, ``degrees``); ``.save("x.gif")`` writes either."""
    if view == "3d":
        from ..view3d import Rotation

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
