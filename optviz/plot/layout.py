"""Layout that cannot break: labels in a margin, notes where they cover nothing.

Positions are worked out in display units from the drawn figure, never by widening an
axis in data units (an axis keeps to its data, within the projector rules'
:data:`~optviz.plot.projector.MAX_STRETCH`):

- :meth:`Layout.end_labels` names each line in the margin right of its axes, at the
  height where the line ends, pushed apart just enough not to overlap; the figure's
  constrained layout makes room for the margin.
- :meth:`Layout.note` places a text (with an arrow to a point, or a box) at the first
  of its candidate spots where it covers no text, data line or marker
  (:class:`~optviz.plot.projector.Scene`) and stays inside its axes; where there is
  none it goes into the margin under the axes.

A :class:`Layout` is kept on its figure (:func:`layout_of`) and is applied again after
the figure's texts change (a translation: :func:`optviz.plot.i18n.localize`).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

import numpy as np
from matplotlib.text import Text

from .projector import LABEL, Scene

__all__ = [
    "Layout",
    "layout_of",
    "relayout",
    "spread",
    "box_spots",
    "arrow_spots",
    "MARGIN_PAD_POINTS",
    "LABEL_GAP_POINTS",
    "MAX_MARGIN_SHARE",
]

#: Points between an axes' right edge and its margin labels.
MARGIN_PAD_POINTS = 6
#: Points between two margin labels, one above the other.
LABEL_GAP_POINTS = 2
#: A margin label wider than this share of the figure is broken onto two lines.
MAX_MARGIN_SHARE = 0.22
#: Pixels a note keeps inside its axes' edges.
INSIDE_PX = 3


def spread(centres, heights, lo: float, hi: float, gap: float = 0.0) -> np.ndarray:
    """Centres of boxes of ``heights`` as near ``centres`` as they can be without
    overlapping (``gap`` apart), within ``[lo, hi]`` where they fit (all display
    units); the order of ``centres`` is kept.

    >>> spread([0, 1, 2], [10, 10, 10], -100, 100).tolist()
    [-9.0, 1.0, 11.0]
    """
    c = np.asarray(centres, dtype=float)
    h = np.asarray(heights, dtype=float)
    order = np.argsort(c, kind="stable")
    y, hh = c[order].copy(), h[order]
    need = (hh[:-1] + hh[1:]) / 2 + gap  # centre-to-centre distance of neighbours
    for _ in range(len(y) + 1):  # pull clusters apart around their mean
        moved = False
        i = 0
        while i < len(y) - 1:
            if y[i + 1] - y[i] < need[i] - 1e-9:
                j = i + 1
                while j < len(y) - 1 and y[j + 1] - y[j] < need[j] - 1e-9:
                    j += 1
                offsets = np.concatenate([[0.0], np.cumsum(need[i:j])])
                start = np.mean(y[i : j + 1] - offsets)
                y[i : j + 1] = start + offsets
                moved = True
                i = j
            i += 1
        if not moved:
            break
    top = y[-1] + hh[-1] / 2 if len(y) else hi
    if top > hi:
        y -= top - hi
        for k in range(len(y) - 2, -1, -1):
            y[k] = min(y[k], y[k + 1] - need[k])
    bottom = y[0] - hh[0] / 2 if len(y) else lo
    if bottom < lo:
        y += min(lo - bottom, max(0.0, hi - (y[-1] + hh[-1] / 2)))
    out = np.empty_like(y)
    out[order] = y
    return out


def box_spots(first=(0.98, 0.97)):
    """Spots for a boxed note in axes coordinates, ``(x, y, ha, va)``: ``first``, then
    the corners, the edges' middles and a grid inside."""
    edge = [
        (0.98, 0.97, "right", "top"),
        (0.02, 0.97, "left", "top"),
        (0.98, 0.03, "right", "bottom"),
        (0.02, 0.03, "left", "bottom"),
        (0.5, 0.97, "center", "top"),
        (0.5, 0.03, "center", "bottom"),
        (0.98, 0.5, "right", "center"),
        (0.02, 0.5, "left", "center"),
    ]
    inner = [(x, y, "center", "center") for y in (0.8, 0.6, 0.4, 0.2) for x in (0.3, 0.7)]
    head = [s for s in edge if s[:2] == tuple(first)]
    return head + [s for s in edge + inner if s not in head]


def arrow_spots(first=None, radii=(24, 44, 72, 110)):
    """Offsets in points for a note with an arrow to a point, ``(dx, dy, ha, va)``:
    ``first`` (a caller's offset), then eight directions at growing distances."""
    out = []
    if first is not None:
        dx, dy = first
        out.append((dx, dy, "right" if dx < 0 else "left", "center"))
    for r in radii:
        for ux, uy in (
            (1, 1),
            (-1, 1),
            (1, -1),
            (-1, -1),
            (0, 1),
            (0, -1),
            (1, 0),
            (-1, 0),
        ):
            ha = "left" if ux > 0 else "right" if ux < 0 else "center"
            va = "bottom" if uy > 0 else "top" if uy < 0 else "center"
            out.append((ux * r, uy * r * 0.8, ha, va))
    return out


@dataclass
class _Labels:
    ax: object
    texts: list
    anchors: list  # (line or None, y in data units or None)


@dataclass
class _Note:
    ax: object
    text: object
    xy: tuple | None
    spots: list
    arrow: dict | None
    placed: str = ""


@dataclass
class Layout:
    """The texts of one figure whose places are worked out from the drawn figure."""

    fig: object
    labels: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    #: Break a panel title wider than its panel onto two lines (:meth:`fit_titles`).
    titles: bool = False
    #: The width a title may take, as a share of the figure's (None: its panel's).
    title_share: float | None = None

    def fit_titles(self, share: float | None = None) -> None:
        """Keep every panel title within its panel's width, or within ``share`` of the
        figure's width (a 3-D panel's box is narrower than the slot it stands in),
        broken onto two lines at the space, or between two Chinese characters,
        nearest its middle."""
        self.titles, self.title_share = True, share

    def _fit_titles(self) -> None:
        for ax in self.fig.get_axes():
            width = ax.get_window_extent().width
            if self.title_share is not None:
                width = self.title_share * self.fig.bbox.width
            for t in _titles(ax):
                words = getattr(t, "optviz_words", None) or t.get_text()
                t.optviz_words = words
                t.set_text(words)
                if words and t.get_window_extent().width > width:
                    t.set_text(_halves(words))

    def end_labels(self, ax, lines, labels, *, fontsize: float = 12, extra=()):
        """A label per line in ``ax``'s right margin, in the line's colour, at the
        height where it ends; ``extra``: ``(y, text, colour)`` labels of heights in
        data units (a reference line's meaning). Returns the Text artists."""
        texts, anchors = [], []
        for line, text in zip(lines, labels):
            texts.append(self._margin_text(ax, text, line.get_color(), fontsize, bold=True))
            anchors.append((line, None))
        for y, text, c in extra:
            texts.append(self._margin_text(ax, text, c, fontsize, bold=False))
            anchors.append((None, y))
        self.labels.append(_Labels(ax, texts, anchors))
        return texts

    def _margin_text(self, ax, text, c, fontsize, bold):
        t = ax.annotate(
            text,
            (1.0, 0.5),
            xycoords="axes fraction",
            xytext=(MARGIN_PAD_POINTS, 0),
            textcoords="offset points",
            color=c,
            fontsize=fontsize,
            va="center",
            ha="left",
            weight="bold" if bold else "normal",
            annotation_clip=False,
            gid=LABEL if bold else None,
        )
        t.optviz_words = text  # the unbroken words, to break again after a translation
        return t

    def note(
        self,
        ax,
        text: str,
        *,
        xy=None,
        xycoords="data",
        spots=None,
        color=None,
        fontsize: float = 12,
        box: bool = True,
        arrow: bool = True,
        **kwargs,
    ):
        """A note in ``ax`` at the first free spot: with an arrow to ``xy`` (offsets
        :func:`arrow_spots`), or alone (:func:`box_spots` in axes coordinates).
        Returns the Text artist."""
        bbox = dict(fc="white", ec=kwargs.pop("ec", "none"), alpha=0.9) if box else None
        if xy is None:
            spots = spots or box_spots()
            x, y, ha, va = spots[0]
            t = ax.text(
                x,
                y,
                text,
                transform=ax.transAxes,
                ha=ha,
                va=va,
                color=color,
                fontsize=fontsize,
                bbox=bbox,
                zorder=12,
                **kwargs,
            )
            arrowprops = None
        else:  # near the point first, then anywhere in the panel, the arrow pointing
            spots = list(spots or arrow_spots()) + [(*s, "axes") for s in box_spots()]
            arrowprops = dict(arrowstyle="->", color=color, lw=1.3) if arrow else None
            t = ax.annotate(
                text,
                xy,
                xycoords=xycoords,
                xytext=spots[0][:2],
                textcoords="offset points",
                ha=spots[0][2],
                va=spots[0][3],
                color=color,
                fontsize=fontsize,
                bbox=bbox,
                arrowprops=arrowprops,
                zorder=12,
                annotation_clip=False,
                **kwargs,
            )
        t.set_in_layout(False)  # inside its axes: never moves the panels
        self.notes.append(_Note(ax, t, xy, list(spots), arrowprops))
        return t

    # -- placing ---------------------------------------------------------------------
    def apply(self) -> None:
        """Place every label and note (again): titles and labels broken to fit, labels
        spread in their margin, then each note at its first free spot, or under its
        axes. (Three draws without rendering; two without end labels.)"""
        self.fig.draw_without_rendering()  # the panels' widths
        if self.titles:
            self._fit_titles()
        for group in self.labels:
            self._break(group)
        if self.labels:
            self.fig.draw_without_rendering()  # the margins the labels need
            for group in self.labels:
                self._spread(group)
        self._place_notes()
        if any(n.placed == "margin" for n in self.notes):
            self._place_notes()  # the margin under an axes moved the panels

    def _break(self, group: _Labels) -> None:
        """Break a label too wide for the margin onto two lines (at its double space,
        else at a space near its middle)."""
        limit = MAX_MARGIN_SHARE * self.fig.bbox.width
        for t in group.texts:
            words = " ".join(t.optviz_words.split("\n"))
            t.set_text(words)
            width = t.get_window_extent().width
            if width <= limit:
                continue
            head, sep, rest = words.partition("  ")
            if sep and len(rest) <= len(words) * limit / width:
                t.set_text(f"{head}\n{rest}")  # the name, then its settings
            else:
                t.set_text(_wrapped(words, int(np.ceil(width / limit))))

    def _spread(self, group: _Labels) -> None:
        ax = group.ax
        box = ax.get_window_extent()
        to_axes = ax.transAxes.inverted()
        want, heights = [], []
        for t, (line, y) in zip(group.texts, group.anchors):
            if line is not None:
                x, yy = (np.asarray(v, dtype=float) for v in line.get_data())
                ok = np.isfinite(x) & np.isfinite(yy)
                if not ok.any():
                    want.append(box.y0)
                else:
                    i = np.flatnonzero(ok)[-1]
                    want.append(ax.transData.transform((x[i], yy[i]))[1])
            else:
                want.append(ax.transData.transform((0, y))[1])
            heights.append(t.get_window_extent().height)
        want = np.clip(want, box.y0, box.y1)
        gap = LABEL_GAP_POINTS * self.fig.dpi / 72
        page = self.fig.bbox
        lo, hi = box.y0, box.y1
        if sum(heights) + gap * len(heights) > hi - lo:  # too many for the panel: the page
            lo, hi = page.y0 + 2, page.y1 - 2
        ys = spread(want, heights, lo, hi, gap)
        for t, y in zip(group.texts, ys):
            t.xy = (1.0, to_axes.transform((box.x0, y))[1])

    def _place_notes(self) -> None:
        scene = Scene(self.fig)
        below: dict = {}
        for note in self.notes:
            if note.placed == "margin":  # placed for good: its words wrapped again
                note.text.set_text(self._margin_words(note.ax, note.text))
                scene.add(note.text, _box_of(note.text))
                continue
            spot = self._free_spot(note, scene)
            if spot is None:
                self._under(note, below)
                note.placed = "margin"
            else:
                note.placed = "inside"
            if note.placed == "margin":
                self.fig.draw_without_rendering()
            scene.add(note.text, _box_of(note.text))

    def _free_spot(self, note: _Note, scene: Scene):
        """The first spot where the note, on one line or broken onto 2-4, is free."""
        t = note.text
        words = getattr(t, "optviz_words", None) or t.get_text()
        t.optviz_words = words
        for lines in range(1, 5):
            t.set_text(_wrapped(words, lines))
            spot = self._free_spot_as_is(note, scene)
            if spot is not None:
                return spot
        t.set_text(words)
        return None

    def _free_spot_as_is(self, note: _Note, scene: Scene):
        ax, t = note.ax, note.text
        inside = ax.get_window_extent().padded(-INSIDE_PX)
        for spot in note.spots:
            self._put(note, spot)
            box = _box_of(t)
            if not (
                inside.x0 <= box.x0
                and box.x1 <= inside.x1
                and inside.y0 <= box.y0
                and box.y1 <= inside.y1
            ):
                continue
            if not scene.covers(box, ignore=(t,)):
                return spot
        return None

    def _put(self, note: _Note, spot) -> None:
        t = note.text
        if note.xy is None:
            t.set_position(spot[:2])
        else:
            t.set_anncoords("axes fraction" if spot[4:] == ("axes",) else "offset points")
            t.xyann = spot[:2]
        t.set_horizontalalignment(spot[2])
        t.set_verticalalignment(spot[3])

    def _margin_words(self, ax, t) -> str:
        """``t``'s words wrapped to the width of ``ax``."""
        width = ax.get_window_extent().width
        chars = max(20, int(width / (0.55 * t.get_fontsize() * self.fig.dpi / 72)))
        words = getattr(t, "optviz_words", None) or t.get_text()
        return "\n".join(textwrap.wrap(" ".join(words.split()), chars))

    def _under(self, note: _Note, below: dict) -> None:
        """Move ``note`` into the margin under its axes (under the notes already
        there), without its arrow, wrapped to the axes' width."""
        ax, t = note.ax, note.text
        above = below.get(id(ax), ax.xaxis.label)
        t.optviz_words = getattr(t, "optviz_words", None) or t.get_text()
        t.remove()
        moved = ax.annotate(
            self._margin_words(ax, t),
            (0, 0),
            xycoords=("axes fraction", above),
            xytext=(0, -4),
            textcoords="offset points",
            ha="left",
            va="top",
            color=t.get_color(),
            fontsize=t.get_fontsize(),
            annotation_clip=False,
        )
        moved.set_fontfamily(t.get_fontfamily())
        moved.optviz_words = t.optviz_words
        note.text = moved
        note.xy, note.spots, note.arrow = None, [], None
        below[id(ax)] = moved


#: The pad of a note's box, in font sizes (matplotlib's default box style).
BOX_PAD_EM = 0.3


def _box_of(t):
    """``t``'s box as it will be drawn: its words and the pad of its box."""
    t.get_window_extent()  # an annotation moves its words to where it points from
    box = Text.get_window_extent(t)  # the words, not the arrow
    if t.get_bbox_patch() is not None:
        box = box.padded(BOX_PAD_EM * t.get_fontsize() * t.figure.dpi / 72)
    return box


def _titles(ax) -> list:
    names = ("title", "_left_title", "_right_title")  # matplotlib's three title texts
    return [t for t in (getattr(ax, n, None) for n in names) if t is not None]


def _halves(words: str) -> str:
    """``words`` on two lines, broken at the space (outside ``$...$``) or between two
    Chinese characters nearest the middle."""
    inside, spots = False, []
    for i, ch in enumerate(words):
        if ch == "$":
            inside = not inside
        elif not inside and (
            ch == " "
            or (i and _CJK.match(ch) and _CJK.match(words[i - 1]) and ch not in _NO_START)
        ):
            spots.append(i)
    if not spots:
        return words
    i = min(spots, key=lambda k: abs(k - len(words) / 2))
    head, tail = words[:i].rstrip(), words[i:].lstrip()
    return f"{head}\n{tail}"


#: Characters a line must not start with (Chinese typesetting's 避头 rule).
_NO_START = "，。、；：！？）》」』”’%,.;:!?)"
_CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


def _wrapped(words: str, lines: int) -> str:
    """``words`` broken at spaces onto about ``lines`` lines of even length (its own
    line breaks kept where it has them and ``lines`` is 1)."""
    if lines <= 1:
        return words
    flat = " ".join(words.split())
    return "\n".join(textwrap.wrap(flat, max(8, -(-len(flat) // lines))))


def layout_of(fig) -> Layout:
    """The :class:`Layout` kept on ``fig`` (made on first use)."""
    found = getattr(fig, "optviz_layout", None)
    if found is None:
        found = Layout(fig)
        fig.optviz_layout = found
    return found


def relayout(fig) -> None:
    """Apply ``fig``'s :class:`Layout` again, if it has one (after its texts changed)."""
    found = getattr(fig, "optviz_layout", None)
    if found is not None:
        found.apply()
