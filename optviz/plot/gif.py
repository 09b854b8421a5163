"""A streaming GIF writer: one shared palette, only what changed, frame by frame.

Pillow's ``Image.save(save_all=True)`` keeps every frame in memory until the end and,
given RGB frames, builds a new palette for each, so a static background flickers and
the file balloons. Here the palette is chosen once (:func:`build_palette`) and each
frame is written as soon as it arrives: the first in full, every later one as the
rectangle whose pixels changed since the previous frame, with the unchanged pixels
inside it transparent (disposal 1, "leave in place"). Pillow does the pixel work: its
quantiser maps colours to the palette and its LZW encoder (``Image.tobytes("gif")``)
packs the indices, with the smallest code size each frame's indices allow.

Memory stays at a few frames' worth whatever the number of frames.

File layout: GIF89a (https://www.w3.org/Graphics/GIF/spec-gif89a.txt), a global
colour table, the Netscape loop extension, then per frame a graphic control
extension (delay, disposal, transparent index) and an image.
"""

from __future__ import annotations

import struct
from typing import BinaryIO, Sequence

import numpy as np
from PIL import Image

__all__ = ["Palette", "build_palette", "GifWriter", "TRANSPARENT", "MAX_COLORS"]

#: A GIF colour table holds at most 256 colours.
MAX_COLORS = 256
#: Palette index 0 is never a colour of the picture: it marks unchanged pixels.
TRANSPARENT = 0
#: GIF delays are whole centiseconds.
CENTISECOND_MS = 10
#: Disposal method 1: leave the frame in place; the next one draws over it.
DISPOSAL_KEEP = 1
#: Of the palette's free slots, all but 1/this go to the most frequent colours, exactly.
EXACT_SHARE_DIVISOR = 4
#: LZW code sizes allowed by GIF.
MIN_CODE_BITS, MAX_CODE_BITS = 2, 8


def _image(image) -> np.ndarray:
    arr = np.asarray(image)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4) or arr.dtype != np.uint8:
        raise ValueError(f"expected an (H, W, 3 or 4) uint8 image, got {arr.shape}")
    return arr


def _pack(image: np.ndarray) -> np.ndarray:
    """(H, W) uint32 keys R + 256 G + 65536 B of an (H, W, 3 or 4) uint8 image."""
    if image.shape[2] == 4 and image.flags.c_contiguous and np.little_endian:
        return image.view(np.uint32)[..., 0] & np.uint32(0xFFFFFF)  # RGBA at once
    r, g, b = (image[..., i].astype(np.uint32) for i in range(3))
    return r | g << 8 | b << 16


def _unpack(keys: np.ndarray) -> np.ndarray:
    """(n, 3) int32 colours of packed keys."""
    keys = keys.astype(np.int64)
    return np.stack([keys & 255, keys >> 8 & 255, keys >> 16], axis=-1).astype(np.int32)


class Palette:
    """The colours of a whole animation; index 0 is kept for "unchanged".

    ``colors`` is ``(n, 3)`` uint8, ``n`` a power of two; ``colors[0]`` is never chosen
    by :meth:`indices`, which maps every colour to its nearest palette colour (so a
    colour in the palette maps to itself: Pillow's own palette quantiser rounds
    colours to a coarse grid first, and would change the flat bands of a contour map).
    """

    #: Colours whose nearest palette entry is computed at once (bounds the memory).
    CHUNK = 2048

    def __init__(self, colors: np.ndarray):
        colors = np.asarray(colors, dtype=np.uint8)
        n = len(colors)
        if colors.shape != (n, 3) or n < 2 or n > MAX_COLORS or n & (n - 1):
            raise ValueError(
                f"a GIF palette has 2, 4, ..., 256 colours, got {colors.shape}"
            )
        self.colors = colors
        self._table = colors[1:].astype(np.int32)  # index 0 excluded
        # every 24-bit colour -> its index, 0 while not yet looked up (16 MB of virtual
        # memory; only the pages of colours that occur are ever touched)
        self._lut = np.zeros(1 << 24, dtype=np.uint8)

    def __len__(self) -> int:
        return len(self.colors)

    def indices(self, image: np.ndarray) -> np.ndarray:
        """``(H, W)`` uint8 indices (never :data:`TRANSPARENT`) of the nearest palette
        colours of ``image`` (``(H, W, 3 or 4)`` uint8), without dithering."""
        keys = _pack(_image(image))
        idx = self._lut[keys]
        missing = idx == 0
        if missing.any():
            new = np.unique(keys[missing])
            for i in range(0, len(new), self.CHUNK):
                part = new[i : i + self.CHUNK]
                d = ((_unpack(part)[:, None, :] - self._table[None, :, :]) ** 2).sum(-1)
                self._lut[part] = d.argmin(axis=1) + 1
            idx = self._lut[keys]
        return idx


def build_palette(
    images: Sequence, keep: Sequence[tuple[int, int, int]] = (), *, colors: int = MAX_COLORS
) -> Palette:
    """One palette for a whole animation, from a few typical frames ``images``
    (``(H, W, 3 or 4)`` uint8) and the colours that must stay exact, ``keep`` (the
    optimizers': a head's centre keeps its colour).

    The colours that cover large areas (the bands of a contour map, the background,
    text) are taken exactly, the rest of the ``colors - 1`` slots come from Pillow's
    octree quantiser over the remaining pixels. Ordered by how often they occur, so
    frames made of common colours need small indices (and shorter LZW codes).
    """
    keep_keys = [int(r) | int(g) << 8 | int(b) << 16 for r, g, b in keep]
    keep_keys = list(dict.fromkeys(keep_keys))
    slots = colors - 1 - len(keep_keys)
    if slots < 2:
        raise ValueError(f"{len(keep_keys)} colours to keep do not fit in {colors}")
    keys = np.concatenate([_pack(_image(im)).ravel() for im in images])
    found, counts = np.unique(keys, return_counts=True)
    order = np.argsort(-counts, kind="stable")
    found, counts = found[order], counts[order]
    exact = found[: slots - slots // EXACT_SHARE_DIVISOR]
    table = list(dict.fromkeys([*map(int, exact), *keep_keys]))
    rest = keys[~np.isin(keys, table)]
    if len(rest):
        strip = _unpack(rest).astype(np.uint8)[None]  # (1, n, 3)
        quant = Image.fromarray(strip).quantize(
            colors=colors - 1 - len(table),
            method=Image.Quantize.FASTOCTREE,
            dither=Image.Dither.NONE,
        )
        extra = np.array(quant.getpalette(), dtype=np.uint8).reshape(-1, 3)
        table += [int(r) | int(g) << 8 | int(b) << 16 for r, g, b in extra]
        table = list(dict.fromkeys(table))
    table = table[: colors - 1]
    table = [table[0], *table]  # index 0: "unchanged"
    table += [table[-1]] * (colors - len(table))  # pad to the power of two
    return Palette(_unpack(np.array(table, dtype=np.uint32)).astype(np.uint8))


def _differs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(H, W) bool: where two images of the same shape differ."""
    if a.shape[2] == 4 and a.flags.c_contiguous and b.flags.c_contiguous:
        return a.view(np.uint32)[..., 0] != b.view(np.uint32)[..., 0]  # RGBA at once
    return np.any(a != b, axis=2)


def _bbox(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """(y0, y1, x0, x1) of the True pixels of ``mask``, None if there are none."""
    rows = np.flatnonzero(mask.any(axis=1))
    if not len(rows):
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


class GifWriter:
    """Write an animated GIF to the open binary file ``fh``, frame by frame.

    Parameters
    ----------
    fh : binary file
    size : (width, height)
    palette : Palette, from :func:`build_palette`
    loop : int
        0 loops forever; n plays n + 1 times.

    Examples
    --------
    >>> import io
    >>> frames = [np.full((4, 6, 3), v, np.uint8) for v in (0, 255)]
    >>> buf = io.BytesIO()
    >>> with GifWriter(buf, (6, 4), build_palette(frames)) as gif:
    ...     for f in frames:
    ...         gif.write(f, duration_ms=50)
    >>> Image.open(buf).n_frames
    2
    """

    def __init__(
        self, fh: BinaryIO, size: tuple[int, int], palette: Palette, *, loop: int = 0
    ):
        self.fh = fh
        self.size = (int(size[0]), int(size[1]))
        self.palette = palette
        self.frames = 0
        self._last: np.ndarray | None = None  # the colours last written, (H, W, 3|4)
        self._shown: np.ndarray | None = None  # (H, W): the indices on screen
        w, h = self.size
        table_bits = (len(palette) - 1).bit_length()
        fh.write(
            b"GIF89a"
            # logical screen: size, a global colour table of 2**table_bits entries
            + struct.pack("<HHBBB", w, h, 0x80 | 0x70 | (table_bits - 1), 0, 0)
            + palette.colors.tobytes()
            # Netscape application extension: the loop count
            + b"!\xff\x0bNETSCAPE2.0\x03\x01"
            + struct.pack("<H", loop)
            + b"\0"
        )

    def __enter__(self) -> GifWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()

    def write(self, image: np.ndarray, duration_ms: float) -> None:
        """Append one frame, ``(H, W, 3 or 4)`` uint8, shown for ``duration_ms``
        (rounded to whole centiseconds, at least one)."""
        image = _image(image)
        if image.shape[1::-1] != self.size:
            raise ValueError(f"frame is {image.shape[1::-1]}, the GIF is {self.size}")
        if self._shown is None:
            self._last = image.copy()
            idx = self._shown = self.palette.indices(image)
            self._write_image(idx, (0, 0), duration_ms, transparent=False)
            return
        changed = _differs(image, self._last)
        box = _bbox(changed)
        idx = np.full((1, 1), TRANSPARENT, np.uint8)  # nothing changed: keep the timing
        offset = (0, 0)
        if box is not None:
            y0, y1, x0, x1 = box
            changed = changed[y0:y1, x0:x1]
            shown = self._shown[y0:y1, x0:x1]
            # only the changed pixels are looked up: the others keep the index shown,
            # which is their colour's (``_shown`` always holds the indices of ``_last``)
            new = shown.copy()
            new[changed] = self.palette.indices(image[y0:y1, x0:x1][changed][:, None])[:, 0]
            self._last[y0:y1, x0:x1] = image[y0:y1, x0:x1]
            inner = _bbox(new != shown)  # colours can change, indices not
            if inner is not None:
                r0, r1, c0, c1 = inner
                new, shown = new[r0:r1, c0:c1], shown[r0:r1, c0:c1]
                idx = np.where(new == shown, TRANSPARENT, new)
                shown[...] = new
                offset = (x0 + c0, y0 + r0)
        self._write_image(idx, offset, duration_ms, transparent=True)

    def _write_image(self, idx: np.ndarray, offset, duration_ms, *, transparent: bool):
        delay = max(1, round(duration_ms / CENTISECOND_MS))
        bits = min(max(MIN_CODE_BITS, int(idx.max()).bit_length()), MAX_CODE_BITS)
        h, w = idx.shape
        packed = (DISPOSAL_KEEP << 2) | int(transparent)
        self.fh.write(
            b"!\xf9\x04"  # graphic control extension
            + struct.pack("<BHBB", packed, delay, TRANSPARENT, 0)
            + b","  # image descriptor: no local colour table, not interlaced
            + struct.pack("<HHHHB", *offset, w, h, 0)
            + bytes([bits])
            + Image.fromarray(np.ascontiguousarray(idx)).tobytes("gif", "L", bits, 0)
            + b"\0"
        )
        self.frames += 1

    def close(self) -> None:
        """End the file (the GIF trailer). Does not close ``fh``."""
        if self.frames == 0:
            raise ValueError("a GIF needs at least one frame")
        self.fh.write(b";")
        self.fh.flush()
