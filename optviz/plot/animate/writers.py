"""Writing an animation: GIF (one palette, only the rectangles that changed, frames
streamed to the file; :mod:`optviz.plot.gif`), MP4 through ffmpeg
(:mod:`optviz.plot.video`), self-contained HTML: a page with a player
(:mod:`~optviz.plot.animate.player`), or the GIF inside an ``<img>``."""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Callable

from matplotlib.colors import to_rgb

from ..._io import atomic_path, check_writable
from ..gif import GifWriter, build_palette
from ..style import color_of

__all__ = [
    "write_gif",
    "html_page",
    "save",
    "key_colors",
    "ANIMATION_SUFFIXES",
    "GIF_COLORS",
]

ANIMATION_SUFFIXES = (".gif", ".mp4", ".html")
#: GIF palette size: 128 colours look like the still figure (mean error < 1 level
#: of 255) and code each pixel in a bit less than 256 would.
GIF_COLORS = 128


def _rgb255(c) -> tuple[int, int, int]:
    return tuple(int(round(v * 255)) for v in to_rgb(c))


def key_colors(run) -> list[tuple[int, int, int]]:
    """Colours the GIF palette must hold exactly: the optimizers', black, white."""
    return [_rgb255(color_of(t)) for t in run] + [(0, 0, 0), (255, 255, 255)]


def write_gif(
    fh,
    render: Callable[[int], object],
    size: tuple[int, int],
    durations_ms: list[int],
    keep: list,
    colors: int = GIF_COLORS,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Stream a GIF of ``render(0) ... render(n - 1)`` (RGBA frames) to the open
    binary file ``fh``, looping forever: one palette picked from the first and last
    frames holding the ``keep`` colours exactly; frame ``i`` shown
    ``durations_ms[i]``."""
    last = render(len(durations_ms) - 1).copy()  # first and last frames: the palette
    palette = build_palette([render(0), last], keep=keep, colors=colors)
    with GifWriter(fh, size, palette, loop=0) as gif:
        for frame, duration in enumerate(durations_ms):
            gif.write(render(frame), duration)
            if progress is not None:
                progress(1)


def html_page(gif: bytes, size: tuple[int, int], alt: str, title: str, standalone: bool):
    """An ``<img>`` with the GIF inside it (base64): no file beside it needed.
    ``standalone`` wraps it in a whole HTML page titled ``title``."""
    data = base64.b64encode(gif).decode("ascii")
    alt = html.escape(alt, quote=True)
    w, h = size
    img = f'<img src="data:image/gif;base64,{data}" width="{w}" height="{h}" alt="{alt}">'
    if not standalone:
        return img
    title = html.escape(title)
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n</head>\n<body>\n{img}\n</body>\n</html>\n"
    )


def save(anim, path, *, progress: Callable[[int], None] | None = None) -> Path:
    """Write ``anim`` (anything with ``write_gif``, ``to_html``, ``iter_frames``,
    ``size``, ``fps``, ``hold``) to ``path`` by its extension (.gif, .mp4 or .html),
    atomically. ``progress(n)`` is called as frames are rendered. MP4 needs ffmpeg
    (:func:`optviz.plot.video.find_ffmpeg`)."""
    path = check_writable(path, ANIMATION_SUFFIXES)
    kind = path.suffix.lower()
    if kind == ".mp4":
        from ..video import find_ffmpeg, write_mp4

        ffmpeg = find_ffmpeg()  # before any work
    with atomic_path(path) as tmp:
        if kind == ".gif":
            with open(tmp, "wb") as fh:
                anim.write_gif(fh, progress=progress)
        elif kind == ".html":  # a player where the animation has one, else the GIF
            page = (
                anim.to_player(progress=progress)
                if hasattr(anim, "to_player")
                else anim.to_html(progress=progress, standalone=True)
            )
            tmp.write_text(page, encoding="utf-8")
        else:
            hold = max(0, round((anim.hold - 1 / anim.fps) * anim.fps))
            held = getattr(anim, "hold_first", 0.0)
            first = max(0, round((held - 1 / anim.fps) * anim.fps))

            def frames():
                for i, frame in enumerate(anim.iter_frames()):
                    for _ in range(1 + (first if i == 0 else 0)):
                        yield frame
                    if progress is not None:
                        progress(1)

            write_mp4(tmp, frames(), anim.size, anim.fps, repeat_last=hold, ffmpeg=ffmpeg)
    return path
