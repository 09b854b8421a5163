"""An animation as one self-contained HTML page with a player: play and pause, a step
back and forward, the first and last frame, and a scrubber; its words in the
animation's language (Chinese drawn with the embedded subset of the shipped font,
:mod:`optviz.plot.webfont`).

The frames travel as PNGs of what changed: the first frame whole, then for each frame
the rectangle that differs from the frame before (in the animation's GIF palette), so a
path growing over a contour map costs a few kilobytes a frame. The page paints frame
``k`` by drawing the first frame and the patches up to ``k`` on a canvas (a seek redraws
from the nearest frame kept whole, every :data:`KEYFRAME_EVERY`).
"""

from __future__ import annotations

import base64
import html
import io
import json
from typing import Callable, Sequence

import numpy as np

from ..gif import build_palette
from ..i18n import translate
from ..webfont import WEB_FAMILY, font_face

__all__ = ["player_page", "PLAYER_WORDS", "KEYFRAME_EVERY"]

#: The player's words (translated by the catalogue, optviz/plot/locale/*/figures.json).
PLAYER_WORDS = {
    "play": "play",
    "pause": "pause",
    "back": "step back",
    "forward": "step forward",
    "first": "first frame",
    "last": "last frame",
    "step": "step",
    "scrub": "frame",
}
#: Every this many frames one is kept whole, so that a seek draws few patches.
KEYFRAME_EVERY = 200

#: The page, with str.format fields (braces of its CSS and script doubled).
_TEMPLATE = "player.html"


def _png(indices: np.ndarray, palette, transparent: bool) -> str:
    """A palette PNG of ``indices`` as a data: URL; ``transparent``: index 0 (which
    no colour maps to) is transparent, the pixels that did not change."""
    from PIL import Image

    image = Image.fromarray(indices, mode="P")
    image.putpalette(palette.colors.reshape(-1).tolist())
    out = io.BytesIO()
    extra = {"transparency": 0} if transparent else {}
    image.save(out, format="PNG", optimize=True, **extra)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _patches(render: Callable[[int], np.ndarray], n: int, keep, colors, progress):
    """``[x, y, data URL, whole]`` per frame: frame 0 and every KEYFRAME_EVERY-th whole,
    the others the rectangle that differs from the frame before, its unchanged pixels
    transparent (as a GIF's frames are)."""
    last = render(n - 1).copy()
    palette = build_palette([render(0), last], keep=keep, colors=colors)
    out, before = [], None
    for k in range(n):
        frame = render(k)
        whole = before is None or k % KEYFRAME_EVERY == 0
        changed = None
        if whole:
            y0, y1, x0, x1 = 0, frame.shape[0], 0, frame.shape[1]
        else:
            changed = np.any(frame[..., :3] != before[..., :3], axis=2)
            rows, cols = np.flatnonzero(changed.any(1)), np.flatnonzero(changed.any(0))
            if rows.size == 0:
                y0, y1, x0, x1 = 0, 1, 0, 1  # nothing changed: one pixel, as it was
            else:
                y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        indices = palette.indices(frame[y0:y1, x0:x1, :3])
        if changed is not None:
            indices[~changed[y0:y1, x0:x1]] = 0
        url = _png(indices, palette, transparent=not whole)
        out.append([int(x0), int(y0), url, int(whole)])
        before = frame.copy()
        if progress is not None:
            progress(1)
    return out


def player_page(
    render: Callable[[int], np.ndarray],
    *,
    steps: Sequence[int],
    total: int,
    durations_ms: Sequence[int],
    size: tuple[int, int],
    keep,
    colors: int,
    title: str,
    alt: str,
    lang: str = "en",
    progress: Callable[[int], None] | None = None,
) -> str:
    """The page of frames ``render(0) ... render(n - 1)`` (RGBA), frame ``k`` showing
    step ``steps[k]`` of ``total`` for ``durations_ms[k]`` while playing; ``keep``,
    ``colors``: the palette's exact colours and size (as the GIF's)."""
    n = len(steps)
    words = {key: translate(text, lang) for key, text in PLAYER_WORDS.items()}
    data = {
        "patches": _patches(render, n, keep, colors, progress),
        "steps": [int(s) for s in steps],
        "total": int(total),
        "durations": [int(d) for d in durations_ms],
        "word": words["step"],
        "play": words["play"],
        "pause": words["pause"],
    }
    shown = " ".join(words.values()) + title + alt
    w, h = size
    fields = {k: html.escape(v, quote=True) for k, v in words.items()}
    from importlib import resources

    page = resources.files(__package__).joinpath(_TEMPLATE).read_text(encoding="utf-8")
    return page.format(
        lang="zh-Hans" if lang == "zh" else "en",
        title=html.escape(title),
        alt=html.escape(alt, quote=True),
        font=font_face(shown) if lang == "zh" else "",
        family=WEB_FAMILY,
        w=w,
        h=h,
        n_last=n - 1,
        data=json.dumps(data).replace("<", "\\u003c"),
        **fields,
    )
