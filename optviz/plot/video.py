"""MP4 through an ffmpeg executable: imageio-ffmpeg's if installed, else ``ffmpeg`` on
PATH. Frames are piped in as raw RGBA; nothing but the finished file touches disk."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable

import numpy as np

from .._io import OutputError

__all__ = ["find_ffmpeg", "write_mp4", "FFmpegNotFound", "MP4_EXTRA"]

#: The optional extra that ships an ffmpeg for every platform (imageio-ffmpeg).
MP4_EXTRA = "mp4"
#: x264 quality: 0 lossless ... 51 worst; 18 looks lossless on line art.
CRF = 18


class FFmpegNotFound(OutputError):
    """No ffmpeg executable: MP4 cannot be written."""


def find_ffmpeg() -> str:
    """The ffmpeg executable: imageio-ffmpeg's bundled one, else ``ffmpeg`` on PATH."""
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        pass
    exe = shutil.which("ffmpeg")
    if exe:
        return exe
    raise FFmpegNotFound(
        f'writing .mp4 needs ffmpeg: pip install "optviz[{MP4_EXTRA}]" '
        "(or install ffmpeg and put it on PATH); .gif and .html need nothing extra"
    )


def write_mp4(
    path,
    frames: Iterable[np.ndarray],
    size: tuple[int, int],
    fps: int,
    *,
    repeat_last: int = 0,
    ffmpeg: str | None = None,
) -> Path:
    """Encode ``frames`` (``(H, W, 4)`` uint8 RGBA, ``size`` = (W, H)) as H.264 MP4 at
    ``fps``, showing the last frame ``repeat_last`` extra times. ``path`` is written
    directly (callers wrap it in :func:`optviz._io.atomic_path`)."""
    ffmpeg = ffmpeg or find_ffmpeg()
    w, h = size
    cmd = [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgba", "-s", f"{w}x{h}", "-r", str(fps),
        "-i", "-",
        "-an", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2",  # yuv420p needs even sizes
        "-c:v", "libx264", "-preset", "medium", "-tune", "animation", "-crf", str(CRF),
        "-pix_fmt", "yuv420p", "-movflags", "+faststart",
        # no encoder version or dates in the file: the same frames give the same bytes
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
        "-f", "mp4", str(path),
    ]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log
        )
        try:
            last = None
            for frame in frames:
                last = np.ascontiguousarray(frame)
                proc.stdin.write(last.data)
            for _ in range(repeat_last if last is not None else 0):
                proc.stdin.write(last.data)
            proc.stdin.close()
        except BrokenPipeError:
            pass  # ffmpeg stopped early; its log says why
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        code = proc.wait()
        if code != 0:
            log.seek(0)
            tail = log.read().decode(errors="replace").strip().splitlines()[-3:]
            raise OutputError(f"ffmpeg failed (exit {code}): {' '.join(tail)}")
    return Path(path)
