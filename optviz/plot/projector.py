r"""The projector rules, checked on a drawn figure: what a lecturer needs from a slide.

:func:`check` inspects a matplotlib Figure after a draw, in display units, and returns
a :class:`Violation` for every broken rule (none: the figure can be projected):

``small-text``
    every text at least :data:`MIN_TEXT_PX` pixels high (its font size) when the
    figure is shown :data:`SHOWN_WIDTH_PX` pixels wide;
``text-overlap``
    no text over another text (tick labels, titles, labels, notes, legends);
``text-on-data``
    no legend, note box or label over a data line or marker;
``text-outside``
    no text outside the figure;
``path-outside``
    every data line and marker inside its axes' limits;
``stretched-axis``
    no axis more than :data:`MAX_STRETCH` (15%) longer than its data;
``duplicate-label``
    every label unique (a legend's entries; the end labels of a panel);
``aspect``
    a slide is 16:9 or 4:3 (only with ``slide=True``: gallery figures);
``raw-formula``
    formulas in mathtext: no raw ``10^-2``, ``g_k²``, ``ρ^(t-k)`` outside ``$...$``.

Drawing-side inspection only: it reads artists, never a record. Artists that are not
data (a reference line, an arrow) are told apart by their transform: data lines are
drawn in the axes' data coordinates, ``axhline``-like references in blended ones. An
artist given the gid :data:`REFERENCE` is never counted as data; a text given the gid
:data:`LABEL` is a label whose words must be unique in its figure.

>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(8, 4.5))
>>> ax = fig.subplots()
>>> _ = ax.plot([0, 1], [0, 1])
>>> _ = ax.set_xlabel("step t", fontsize=5)  # 5 pt x 1920 px / (8 in x 72): 16.7 px
>>> [str(v) for v in check(fig, rules=("small-text",))]
["small-text: 'step t' is 16.7 px high"]
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np
from matplotlib.axis import Tick
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox

__all__ = [
    "Violation",
    "check",
    "RULES",
    "SHOWN_WIDTH_PX",
    "MIN_TEXT_PX",
    "MAX_STRETCH",
    "SLIDE_ASPECTS",
    "REFERENCE",
    "LABEL",
    "min_fontsize",
    "stretch",
]

#: A slide is judged shown this many pixels wide (a 1080p projector).
SHOWN_WIDTH_PX = 1920
#: Every text's font size, in pixels at that width, at least this.
MIN_TEXT_PX = 20
#: An axis may run this share past its data (matplotlib's margins take 10%).
MAX_STRETCH = 0.15
#: A slide's width / height: 16:9 or 4:3, to this relative tolerance.
SLIDE_ASPECTS = {"16:9": 16 / 9, "4:3": 4 / 3}
ASPECT_RTOL = 0.01
#: Pixels two boxes must share (each way) before they count as overlapping.
OVERLAP_PX = 1.0
#: The gid of an artist that is not data (a reference line, a guide).
REFERENCE = "optviz-reference"
#: The gid of a text that labels data (an end label): unique in its figure.
LABEL = "optviz-label"

RULES = (
    "small-text",
    "text-overlap",
    "text-on-data",
    "text-outside",
    "path-outside",
    "stretched-axis",
    "duplicate-label",
    "aspect",
    "raw-formula",
)


@dataclass(frozen=True)
class Violation:
    """One broken rule: its name (one of :data:`RULES`) and what broke it."""

    rule: str
    what: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.what}"


def min_fontsize(fig, shown_width_px: float = SHOWN_WIDTH_PX) -> float:
    """The smallest font size (points) that is :data:`MIN_TEXT_PX` high when ``fig``
    is shown ``shown_width_px`` wide."""
    return MIN_TEXT_PX * fig.get_figwidth() * 72 / shown_width_px


# -- what is drawn ---------------------------------------------------------------------
@dataclass
class _Drawn:
    """A visible text: the artist, its box (display units), its role and its axes."""

    text: Text
    box: Bbox
    role: str  # "figure", "title", "axis", "tick", "note", "legend"
    ax: object = None


def _tick_in_view(tick, axis) -> bool:
    lo, hi = sorted(axis.get_view_interval())
    tol = 1e-9 * max(abs(lo), abs(hi), 1e-300)
    return lo - tol <= tick.get_loc() <= hi + tol


def _text_box(text: Text, renderer) -> Bbox:
    """The box ``text`` covers as drawn: wrapped as drawn, with its bbox patch."""
    wrap = text.get_wrap() and hasattr(text, "_get_wrapped_text")
    if wrap:
        original = text.get_text()
        text.set_text(text._get_wrapped_text())
    try:
        text.get_window_extent(renderer)  # an annotation places its words here
        box = Text.get_window_extent(text, renderer)  # the words, not an arrow
    finally:
        if wrap:
            text.set_text(original)
    patch = text.get_bbox_patch()
    if patch is not None and patch.get_visible():
        box = Bbox.union([box, patch.get_window_extent(renderer)])
    return box


def _walk(artist, role, ax, renderer, out):
    for child in artist.get_children():
        if not child.get_visible():
            continue
        if isinstance(child, Tick) and not _tick_in_view(child, artist):
            continue
        if isinstance(child, Text):
            alpha = child.get_alpha()
            if child.get_text().strip() and (alpha is None or alpha > 0):
                out.append(_Drawn(child, _text_box(child, renderer), role, ax))
            continue
        if isinstance(child, Legend):
            _walk(child, "legend", ax, renderer, out)
        elif isinstance(child, Tick):
            _walk(child, "tick", ax, renderer, out)
        elif child.__class__.__name__.endswith("Axis"):
            _walk(child, "axis", ax, renderer, out)
        elif hasattr(child, "transData"):  # an Axes
            _walk(child, "note", child, renderer, out)
        elif hasattr(child, "get_children"):
            _walk(child, role, ax, renderer, out)


def _texts(fig, renderer) -> list[_Drawn]:
    out: list[_Drawn] = []
    _walk(fig, "figure", None, renderer, out)
    for d in out:  # an Axes' own title texts
        if d.role == "note" and d.text in _titles(d.ax):
            d.role = "title"
    return out


def _titles(ax) -> tuple:
    return tuple(
        t
        for t in (getattr(ax, n, None) for n in ("title", "_left_title", "_right_title"))
        if t is not None
    )


# -- data ------------------------------------------------------------------------------
def _is_data(artist, ax) -> bool:
    if artist.get_gid() == REFERENCE or not artist.get_visible():
        return False
    transform = artist.get_transform()
    return transform.contains_branch(ax.transData)


def _data_lines(ax):
    """(display vertices, drawn as a line?, marker radius px, clip box) of each data
    line, line collection and marker set of ``ax``."""
    fig = ax.figure
    clip = ax.get_window_extent()
    for line in ax.lines:
        if not _is_data(line, ax):
            continue
        xy = np.asarray(line.get_xydata(), dtype=float)
        pts = line.get_transform().transform(xy) if len(xy) else xy.reshape(0, 2)
        drawn = line.get_linestyle() not in ("None", " ", "", "none")
        marker = line.get_marker()
        r = (
            line.get_markersize() / 2 * fig.dpi / 72
            if marker not in ("None", "", " ", None, "none")
            else 0.0
        )
        yield line, pts, drawn, r, (clip if line.get_clip_on() else fig.bbox)
    for coll in ax.collections:
        if isinstance(coll, LineCollection) and _is_data(coll, ax):
            for seg in coll.get_segments():
                pts = coll.get_transform().transform(np.asarray(seg, dtype=float))
                yield coll, pts, True, 0.0, clip
        elif isinstance(coll, PathCollection) and coll.get_visible():
            if coll.get_gid() == REFERENCE:
                continue
            if not coll.get_offset_transform().contains_branch(ax.transData):
                continue
            offsets = np.asarray(coll.get_offsets(), dtype=float)
            sizes = coll.get_sizes()
            r = (np.sqrt(sizes.max()) / 2 * fig.dpi / 72) if len(sizes) else 0.0
            pts = coll.get_offset_transform().transform(offsets)
            yield coll, pts, False, r, clip


def _segments_hit(pts: np.ndarray, box: Bbox) -> bool:
    """Whether a polyline (display vertices) crosses ``box`` (Liang-Barsky)."""
    if len(pts) < 2:
        return False
    p0, p1 = pts[:-1], pts[1:]
    ok = np.isfinite(p0).all(axis=1) & np.isfinite(p1).all(axis=1)
    p0, p1 = p0[ok], p1[ok]
    if not len(p0):
        return False
    d = p1 - p0
    t0, t1 = np.zeros(len(p0)), np.ones(len(p0))
    for p, q in (
        (-d[:, 0], p0[:, 0] - box.x0),
        (d[:, 0], box.x1 - p0[:, 0]),
        (-d[:, 1], p0[:, 1] - box.y0),
        (d[:, 1], box.y1 - p0[:, 1]),
    ):
        parallel = p == 0
        t0 = np.where(parallel & (q < 0), 2.0, t0)  # parallel and outside: no hit
        with np.errstate(divide="ignore", invalid="ignore"):
            r = q / p
        t0 = np.where(~parallel & (p < 0), np.maximum(t0, r), t0)
        t1 = np.where(~parallel & (p > 0), np.minimum(t1, r), t1)
    return bool((t0 <= t1).any())


def _points_hit(pts: np.ndarray, r: float, box: Bbox) -> bool:
    ok = np.isfinite(pts).all(axis=1)
    p = pts[ok]
    return bool(
        (
            (p[:, 0] >= box.x0 - r)
            & (p[:, 0] <= box.x1 + r)
            & (p[:, 1] >= box.y0 - r)
            & (p[:, 1] <= box.y1 + r)
        ).any()
    )


def _intersection(a: Bbox, b: Bbox) -> Bbox | None:
    x0, y0 = max(a.x0, b.x0), max(a.y0, b.y0)
    x1, y1 = min(a.x1, b.x1), min(a.y1, b.y1)
    if x1 - x0 <= OVERLAP_PX or y1 - y0 <= OVERLAP_PX:
        return None
    return Bbox([[x0, y0], [x1, y1]])


def _name(artist) -> str:
    if isinstance(artist, Text):
        return repr(" ".join(artist.get_text().split())[:60])
    label = artist.get_label() if hasattr(artist, "get_label") else ""
    if label and not label.startswith("_"):
        return repr(label)
    ax = getattr(artist, "axes", None)
    where = (ax.get_title(loc="left") or ax.get_title()) if ax is not None else ""
    return type(artist).__name__ + (f" in {where[:40]!r}" if where else "")


# -- the rules -------------------------------------------------------------------------
def _small_text(fig, texts, shown_width_px):
    scale = shown_width_px / (fig.get_figwidth() * 72)  # shown px per point
    for d in texts:
        px = d.text.get_fontsize() * scale
        if px < MIN_TEXT_PX - 1e-9:
            yield Violation("small-text", f"{_name(d.text)} is {px:.1f} px high")


def _text_overlap(fig, texts):
    for a, b in itertools.combinations(texts, 2):
        if a.role == b.role == "legend" or _intersection(a.box, b.box) is None:
            continue  # a legend lays out its own entries
        yield Violation("text-overlap", f"{_name(a.text)} over {_name(b.text)}")


def _overlays(fig, texts, renderer):
    """(artist, box) of what may not cover data: notes in axes, figure texts, legends."""
    for d in texts:
        if d.role in ("note", "figure"):
            yield d.text, d.box
    for holder in [fig, *fig.get_axes()]:
        for legend in holder.get_children():
            if isinstance(legend, Legend) and legend.get_visible():
                yield legend, legend.get_window_extent(renderer)


def _text_on_data(fig, texts, renderer):
    data = [(ax, *rest) for ax in fig.get_axes() for rest in _data_lines(ax)]
    for artist, box in _overlays(fig, texts, renderer):
        said = set()
        for ax, line, pts, drawn, r, clip in data:
            if id(ax) in said:
                continue
            inside = _intersection(box, clip)
            if inside is None:
                continue
            hit = (drawn and _segments_hit(pts, inside)) or (
                r > 0 and _points_hit(pts, r, inside)
            )
            if hit:
                said.add(id(ax))
                what = "legend" if isinstance(artist, Legend) else _name(artist)
                yield Violation("text-on-data", f"{what} over {_name(line)}")


def _text_outside(fig, texts):
    page = fig.bbox
    for d in texts:
        b = d.box
        if (
            b.x0 < page.x0 - 0.5
            or b.y0 < page.y0 - 0.5
            or b.x1 > page.x1 + 0.5
            or (b.y1 > page.y1 + 0.5)
        ):
            yield Violation("text-outside", f"{_name(d.text)} leaves the figure")


def _is_2d(ax) -> bool:
    return getattr(ax, "name", "") != "3d"


def _path_outside(fig):
    for ax in fig.get_axes():
        if not _is_2d(ax) or not ax.axison:
            continue
        box = ax.get_window_extent()
        for artist, pts, _drawn, _r, _clip in _data_lines(ax):
            ok = np.isfinite(pts).all(axis=1)
            p = pts[ok]
            out = (
                (p[:, 0] < box.x0 - 1)
                | (p[:, 0] > box.x1 + 1)
                | (p[:, 1] < box.y0 - 1)
                | (p[:, 1] > box.y1 + 1)
            )
            if out.any():
                yield Violation(
                    "path-outside",
                    f"{_name(artist)} leaves its axes at {int(out.sum())} of {len(p)}"
                    " points",
                )


def stretch(axis, lo: float, hi: float, minpos: float = np.inf) -> float:
    """How much longer ``axis``' view is than the data ``[lo, hi]``, in its scale
    (0.1: 10% longer); 0 where the data has no extent. A linear axis that starts (or
    ends) at zero is measured from zero: a count from 0 is not a stretch."""
    transform = axis.get_transform()
    if axis.get_scale() == "log" and lo <= 0:
        lo = minpos
    view = sorted(axis.get_view_interval())
    if axis.get_scale() == "linear" and (view[0] == 0 <= lo or view[1] == 0 >= hi):
        lo, hi = min(lo, 0.0), max(hi, 0.0)  # an axis from zero is not stretched
    v0, v1 = sorted(transform.transform(np.array(axis.get_view_interval(), dtype=float)))
    d0, d1 = sorted(transform.transform(np.array([lo, hi], dtype=float)))
    if not np.all(np.isfinite([v0, v1, d0, d1])):
        return 0.0
    d0, d1 = max(d0, v0), min(d1, v1)
    if d1 - d0 <= 1e-12 * max(1.0, abs(v1 - v0)):
        return 0.0
    return (v1 - v0) / (d1 - d0) - 1


def _stretched_axis(fig):
    for ax in fig.get_axes():
        if not _is_2d(ax) or not ax.axison:
            continue
        lim = ax.dataLim
        pairs = (
            ("x", ax.xaxis, lim.intervalx, lim.minposx),
            ("y", ax.yaxis, lim.intervaly, lim.minposy),
        )
        for name, axis, (lo, hi), minpos in pairs:
            if not (np.isfinite(lo) and np.isfinite(hi)):
                continue
            s = stretch(axis, lo, hi, minpos)
            if s > MAX_STRETCH + 1e-9:
                title = ax.get_title(loc="left") or ax.get_title() or ax.get_label()
                yield Violation(
                    "stretched-axis",
                    f"{name} axis of {title[:40]!r} runs {s:.0%} past its data",
                )


def _duplicate_label(fig, texts):
    groups: dict = {}
    for d in texts:
        if d.role == "legend":
            groups.setdefault(id(_legend_of(fig, d)), []).append(d)
        elif d.text.get_gid() == LABEL:
            groups.setdefault("labels", []).append(d)
    for members in groups.values():
        words = [" ".join(d.text.get_text().split()) for d in members]
        for w in sorted({w for w in words if words.count(w) > 1}):
            yield Violation("duplicate-label", f"{w!r} labels {words.count(w)} things")


def _legend_of(fig, drawn):
    for holder in [fig, *fig.get_axes()]:
        for legend in holder.get_children():
            if isinstance(legend, Legend) and drawn.text in legend.get_texts():
                return legend
    return None


def _aspect(fig):
    w, h = fig.get_size_inches()
    ratio = w / h
    if not any(abs(ratio / a - 1) <= ASPECT_RTOL for a in SLIDE_ASPECTS.values()):
        yield Violation("aspect", f"{w:g} x {h:g} in is {ratio:.3f}:1, not 16:9 or 4:3")


#: A superscript or subscript written in plain text: ``10^-2``, ``ρ^(t-k)``, ``g_k``.
_RAW = re.compile(r"[\w)\]}]\^|(?<![^\W\d_])[^\W\d_]_(?:\w{1,3}\b|\{|\()")


def _plain_parts(text: str) -> str:
    """``text`` without its mathtext (between unescaped dollar signs)."""
    parts = re.split(r"(?<!\\)\$", text)
    if len(parts) % 2 == 0:  # an odd number of dollars: not mathtext
        return text
    return " ".join(parts[::2])


def _raw_formula(texts):
    for d in texts:
        plain = _plain_parts(d.text.get_text())
        m = _RAW.search(plain)
        if m:
            yield Violation(
                "raw-formula",
                f"{_name(d.text)} writes {plain[max(0, m.start() - 3) : m.end() + 3]!r}"
                " outside mathtext",
            )


def check(
    fig,
    *,
    slide: bool = False,
    rules=RULES,
    shown_width_px: float = SHOWN_WIDTH_PX,
) -> list[Violation]:
    """Every violation of the projector rules in ``fig`` (drawn here, without
    rendering). ``slide=True`` also asks for 16:9 or 4:3; ``rules`` picks some of
    :data:`RULES`."""
    unknown = set(rules) - set(RULES)
    if unknown:
        raise ValueError(
            f"unknown projector rule {', '.join(sorted(unknown))}; "
            f"known: {', '.join(RULES)}"
        )
    fig.draw_without_rendering()
    renderer = None  # each artist asks its figure for the cached one
    texts = _texts(fig, renderer)
    found: list[Violation] = []
    makers = {
        "small-text": lambda: _small_text(fig, texts, shown_width_px),
        "text-overlap": lambda: _text_overlap(fig, texts),
        "text-on-data": lambda: _text_on_data(fig, texts, renderer),
        "text-outside": lambda: _text_outside(fig, texts),
        "path-outside": lambda: _path_outside(fig),
        "stretched-axis": lambda: _stretched_axis(fig),
        "duplicate-label": lambda: _duplicate_label(fig, texts),
        "aspect": lambda: _aspect(fig) if slide else (),
        "raw-formula": lambda: _raw_formula(texts),
    }
    for rule in RULES:
        if rule in rules:
            found.extend(makers[rule]())
    return found


# -- for layouts: what a box would cover -----------------------------------------------
class Scene:
    """What is drawn in ``fig`` now (a draw is made here): its texts' boxes and its data
    lines and markers, in display units, to ask whether a box is free
    (:meth:`covers`). A layout places a text, then :meth:`add` s its box."""

    def __init__(self, fig) -> None:
        fig.draw_without_rendering()
        self.fig = fig
        self.boxes = [(d.text, d.box) for d in _texts(fig, None)]
        self.data = [rest for ax in fig.get_axes() for rest in _data_lines(ax)]

    def add(self, artist, box: Bbox) -> None:
        self.boxes = [(a, b) for a, b in self.boxes if a is not artist]
        self.boxes.append((artist, box))

    def covers(self, box: Bbox, *, ignore=()) -> list[str]:
        """The names of what ``box`` would cover: texts (other than ``ignore``), data
        lines and markers; [] where it is free."""
        hits = [
            _name(a)
            for a, b in self.boxes
            if a not in ignore and _intersection(box, b) is not None
        ]
        for artist, pts, drawn, r, clip in self.data:
            inside = _intersection(box, clip)
            if inside is not None and (
                (drawn and _segments_hit(pts, inside))
                or (r > 0 and _points_hit(pts, r, inside))
            ):
                hits.append(_name(artist))
        return hits


__all__ += ["Scene"]
