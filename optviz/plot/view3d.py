"""The surface in 3-D with the paths on it: a still, and a slowly rotating animation.

The height drawn is f itself, or log10(1 + f - f*) where the surface's contours are
log-spaced (Rosenbrock's walls would otherwise flatten its valley to nothing); the
z axis says which. Paths are lifted onto the surface (a hair above it, so they show).

>>> from optviz.surfaces import get
>>> from optviz import Adam, SGD, run_surface
>>> run = run_surface(get("saddle"), {"sgd": SGD(lr=0.02), "adam": Adam(lr=0.02)}, steps=40)
>>> fig = surface3d_figure(get("saddle"), run)
>>> rot = Rotation(get("saddle"), run, frames=4, size=(320, 240))
>>> len(rot)
4
"""

from __future__ import annotations

import copy
import io
import textwrap
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.ticker import MaxNLocator

from .._io import atomic_path, check_writable
from ._figure import Figure
from .contours import SURFACE_CMAP, gap
from .gif import GifWriter, build_palette
from .layout import layout_of
from .style import (
    GREY_33,
    SLATE,
    color_of,
    legend_label,
    legend_labels,
    repeat_styles,
    shaded,
    style,
    talk,
)

__all__ = ["surface3d_figure", "Rotation", "height", "z_label", "GRID_3D"]

GRID_3D = 80
#: Paths float this share of the z range above the surface, so they are not hidden.
LIFT = 0.01
DEFAULT_VIEW = (35.0, -60.0)  # elevation, azimuth in degrees
#: Intervals between the ticks of a 3-D panel's axes, at most (one fewer in a panel of
#: a three-row grid: more tick labels than that run into each other on a slanted axis).
TICKS_3D = 4
#: Tick steps of a 3-D axis (no 2.5: "−2.5" and "−5.0" are long labels on a slanted axis).
TICK_STEPS = (1, 2, 5, 10)
#: Pixels kept between a 3-D panel's tick labels and the figure's edge.
EDGE_PX = 4


def _log_height(surface) -> bool:
    return bool(surface.log_levels and surface.min_value is not None)


def height(surface, xy) -> np.ndarray:
    """The drawn height at ``xy``: f, or log10(1 + f - f*) (see the module)."""
    z = surface.value(np.asarray(xy, dtype=float))
    if _log_height(surface):
        return np.log10(1 + np.maximum(gap(surface, z), 0))
    return z


def z_label(surface) -> str:
    return "log10(1 + f - f*)" if _log_height(surface) else "f(x, y)"


def _draw(fig, surface, run, *, upto=None, elev_azim=DEFAULT_VIEW, rect=None):
    ax = fig.add_axes(rect, projection="3d") if rect else fig.add_subplot(projection="3d")
    (x0, x1), (y0, y1) = surface.domain
    x, y = np.meshgrid(np.linspace(x0, x1, GRID_3D), np.linspace(y0, y1, GRID_3D))
    z = height(surface, np.stack([x, y], axis=-1))
    ax.plot_surface(
        x, y, z, cmap=SURFACE_CMAP, linewidth=0.2, edgecolor=SLATE, alpha=0.75,
        rstride=2, cstride=2, antialiased=True,
    )  # fmt: skip
    lift = LIFT * float(np.ptp(z))
    lines = []
    run = shaded(run)  # variants of one optimizer in shades of its colour
    for traj, ls in zip(run, repeat_styles(run)):
        xy = traj.xy if upto is None else traj.xy[: upto + 1]
        xy = xy[np.all(np.isfinite(xy), axis=-1)]
        inside = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
        xy = xy[: np.argmin(inside) if not inside.all() else len(xy)]  # until it leaves
        zz = height(surface, xy) + lift
        (line,) = ax.plot(
            xy[:, 0], xy[:, 1], zz, color=color_of(traj), ls=ls, lw=2.6, zorder=10
        )
        if len(xy):
            ax.scatter(
                *xy[-1],
                zz[-1],
                color=color_of(traj),
                s=40,
                edgecolor="white",
                depthshade=False,
                zorder=11,
            )
        lines.append(line)
    start = np.asarray(run.start, dtype=float)
    ax.scatter(
        *start,
        height(surface, start) + lift,
        color="black",
        s=60,
        edgecolor="white",
        depthshade=False,
        zorder=12,
    )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_zlabel(z_label(surface))
    ax.view_init(*elev_azim)
    return ax, lines


def surface3d_figure(
    surface, run, *, note: str | None = None, subtitle: str | None = None,
    view=DEFAULT_VIEW, figsize=(16, 9),
) -> Figure:  # fmt: skip
    """The paths of a single-start run on the surface in 3-D (``compare_figure(...,
    view="3d")`` calls this): one small 3-D panel per optimizer, named in its title,
    so no path hides another and none needs its colour to be told apart (a 16:9
    slide: 2 x 3 panels; a sixth holds the footnote when there are five)."""
    if np.asarray(run.start).ndim != 1:
        raise ValueError("a 3-D view draws a single-start run; got a batch of starts")
    trajs = list(run)
    cols = 4 if len(trajs) > 6 else 3 if len(trajs) > 2 else len(trajs)  # 2 rows at most
    rows = -(-len(trajs) // cols)
    labels = legend_labels(run)  # unique: two variants that read alike are numbered
    with style():
        fig = Figure(figsize=figsize)  # 3-D axes: placed by hand, not by a layout
        head = f"{surface.title}:  ${surface.latex}$"
        fig.suptitle(
            head + (f"\n{subtitle}" if subtitle else ""),
            fontsize=17,
            y=0.99,
            va="top",
            wrap=True,
        )
        top, bottom = (0.8 if subtitle else 0.9), 0.06  # room for the tick labels
        w, h = 0.98 / cols, (top - bottom) / rows
        ticks = MaxNLocator(nbins=TICKS_3D if cols < 4 else TICKS_3D - 1, steps=TICK_STEPS)
        for i, (traj, label) in enumerate(zip(trajs, labels)):
            r, c = divmod(i, cols)
            rect = (0.01 + c * w, top - (r + 1) * h, w, h * 0.8)
            ax, _ = _draw(fig, surface, _one(run, traj), elev_azim=view, rect=rect)
            for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
                axis.set_major_locator(copy.copy(ticks))
            ax.set_title(label, color=color_of(traj), fontsize=14, pad=0)
            ax.set_zlabel("")
        layout_of(fig).fit_titles(w)  # a long label on two lines, within its slot
        if note:
            spare = len(trajs) < rows * cols  # the last panel's slot is free
            x = 0.01 + (cols - 1) * w + w / 2 if spare else 0.5
            t = fig.text(
                x,
                (top - (rows - 1) * h - h / 2) if spare else 0.01,
                textwrap.fill(note, 40) if spare else note,
                fontsize=12,
                color=GREY_33,
                ha="center",
                va="center" if spare else "bottom",
                wrap=not spare,
            )
            t.optviz_unbroken = note  # translated whole where a break cuts a sentence
            t.optviz_wrap_share = w if spare else None  # and broken again to its slot
        layout_of(fig).apply()
        _inside(fig)
        _no_crossing_ticks(fig)
    return fig


def _no_crossing_ticks(fig) -> None:
    """Blank a tick label of a 3-D panel that runs into one of another axis (where
    the x and y axes meet at the front corner, their end labels can touch): the y
    axis' gives way to the x axis', the z axis' to both."""
    fig.draw_without_rendering()
    for ax in fig.get_axes():
        kept = []
        for axis, set_ticks in ((ax.xaxis, ax.set_xticks), (ax.yaxis, ax.set_yticks),
                                (ax.zaxis, ax.set_zticks)):  # fmt: skip
            shown = [(t.get_loc(), t.label1) for t in axis.get_major_ticks()]
            shown = [(v, t) for v, t in shown if t.get_visible() and t.get_text()]
            boxes = [t.get_window_extent() for _, t in shown]
            clash = [any(b.overlaps(k) for k in kept) for b in boxes]
            if any(clash):
                locs = [v for v, _ in shown]
                words = ["" if c else t.get_text() for (_, t), c in zip(shown, clash)]
                set_ticks(locs, words)
            kept += [b for b, c in zip(boxes, clash) if not c]


def _inside(fig) -> None:
    """Narrow a 3-D panel whose tick labels stand out of the figure's left or right
    edge (the z axis' labels of the last column) until they fit."""
    fig.draw_without_rendering()
    edge = fig.bbox
    for ax in fig.get_axes():
        box = ax.get_tightbbox()
        left, right = max(0.0, edge.x0 - box.x0), max(0.0, box.x1 - edge.x1)
        if left or right:
            x, y, w, h = ax.get_position().bounds
            pad = EDGE_PX + (left + right)
            ax.set_position((x + (left + EDGE_PX * bool(left)) / edge.width, y,
                             w - pad / edge.width, h))  # fmt: skip


def _one(run, traj):
    """``run`` with only ``traj`` in it (the same start and steps)."""
    one = copy.copy(run)
    one.trajectories = [traj]
    return one


class Rotation:
    """The 3-D view turning slowly while the paths grow: ``frames`` frames, the
    azimuth advancing ``degrees`` in all. ``save(path)`` writes a GIF (atomically).
    Every frame is a full redraw (a 3-D view cannot be blitted), so keep it short.
    ``lang`` ("en", "zh"; an attribute that may be set before saving) is the
    language of each frame's texts. ``hold``: seconds the last frame stays, or
    (first, last); ``figure_style="talk"``: larger text and lines."""

    def __init__(
        self, surface, run, *, frames: int = 48, degrees: float = 120.0, fps: int = 12,
        size: tuple[int, int] = (560, 440), elev: float = 35.0, azim: float = -100.0,
        hold: float | tuple[float, float] = 1.5, lang: str = "en",
        figure_style: str = "paper",
    ):  # fmt: skip
        from .i18n import LANGS

        if lang not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
        self.lang = lang

        if not 2 <= int(frames) <= 400:
            raise ValueError(f"frames must be in [2, 400], got {frames!r}")
        if not 1 <= int(fps) <= 50:
            raise ValueError(f"fps must be in [1, 50], got {fps!r}")
        self.surface, self.run = surface, run
        from .animate.frames import holds

        self.frames, self.fps = int(frames), int(fps)
        self.hold_first, self.hold = holds(hold)
        self.figure_style = figure_style
        self.size = tuple(int(v) for v in size)
        self.azims = azim + np.linspace(0, degrees, self.frames)
        self.elev = elev
        self.steps = np.unique(np.linspace(0, run.steps, self.frames).round().astype(int))
        self.steps = np.round(np.linspace(0, run.steps, self.frames)).astype(int)
        dpi = 100 * self.size[0] / 640
        self._labels = [legend_label(t) for t in run]
        self._dpi = dpi

    def __len__(self) -> int:
        return self.frames

    def frame(self, i: int) -> np.ndarray:
        """Frame ``i`` as an (H, W, 4) uint8 array."""
        from .i18n import localize

        w, h = self.size
        with style():
            fig = Figure(
                figsize=((w + 1e-6) / self._dpi, (h + 1e-6) / self._dpi),
                dpi=self._dpi,
                layout="constrained",
            )
            canvas = FigureCanvasAgg(fig)
            ax, lines = _draw(
                fig,
                self.surface,
                self.run,
                upto=int(self.steps[i]),
                elev_azim=(self.elev, self.azims[i]),
            )
            fig.legend(
                lines,
                self._labels,
                loc="outside lower center",
                ncols=min(2, len(lines)),
                frameon=False,
                fontsize="small",
            )
            fig.suptitle(
                f"{self.surface.title}: step {self.steps[i]} / {self.run.steps}",
                fontsize="medium",
            )
            if self.figure_style == "talk":
                talk(fig)
            localize(fig, self.lang)
            canvas.draw()
            return np.asarray(canvas.buffer_rgba()).copy()

    def to_gif(self) -> bytes:
        buf = io.BytesIO()
        keep = [tuple(round(255 * c) for c in to_rgb(color_of(t))) for t in self.run]
        first, last = self.frame(0), self.frame(self.frames - 1)
        palette = build_palette(
            [first, last], keep=keep + [(0, 0, 0), (255, 255, 255)], colors=128
        )
        each = round(1000 / self.fps)
        with GifWriter(buf, self.size, palette, loop=0) as gif:
            for i in range(self.frames):
                image = first if i == 0 else last if i == self.frames - 1 else self.frame(i)
                hold = self.hold_first if i == 0 else self.hold
                end = i in (0, self.frames - 1)
                gif.write(image, max(each, 1000 * hold) if end else each)
        return buf.getvalue()

    def save(self, path) -> Path:
        """Write the GIF to ``path`` (.gif), atomically."""
        path = check_writable(path, (".gif",))
        data = self.to_gif()
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
        return path
