"""IDX files (MNIST, Fashion-MNIST, or anything else in the format): a folder of
``train-images-idx3-ubyte[.gz]``, ``train-labels-idx1-ubyte[.gz]`` and, when present,
``t10k-*``. Every size is bounded from the headers before the body is read."""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from pathlib import Path

import numpy as np
from numpy.typing import DTypeLike

from .base import float_dtype
from .limits import MAX_CLASSES, MAX_IMAGE_SIDE, MAX_INPUT_CHANNELS, brief

__all__ = [
    "read_idx",
    "load_idx",
    "load_idx_raw",
    "to_float_images",
    "MAX_IDX_BYTES",
    "MAX_FLOAT_VALUES",
]

#: Most data bytes one IDX file may declare (MNIST's training images are 47 MB).
MAX_IDX_BYTES = 1 << 30
#: Most numbers a data set's images may take as floats (0.4 GB in float32, 0.8 GB in
#: float64; MNIST's 60,000 training images are 47 million); more need ``limit``.
MAX_FLOAT_VALUES = 100_000_000
_CHUNK = 1 << 23  # bytes read at a time from an IDX file

_IDX_TYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def _count(n: int) -> str:
    """A whole number for a message; huge ones (a header's product) as a power of 10."""
    digits = str(n)
    return digits if len(digits) <= 15 else f"about 10^{len(digits) - 1}"


def _idx_header(path: Path, stream) -> tuple[np.dtype, tuple[int, ...], int]:
    """(dtype, dims, bytes of data) from an IDX header, read from ``stream``."""
    head = stream.read(4)
    if len(head) < 4:
        raise ValueError(f"{path}: truncated, {len(head)} bytes is not even an IDX header")
    magic = int.from_bytes(head, "big")
    kind, ndim = head[2], head[3]
    if head[:2] != b"\x00\x00" or kind not in _IDX_TYPES or ndim == 0:
        raise ValueError(
            f"{path}: bad magic number 0x{magic:08X}, not an IDX file (expected "
            "0x0000TTDD: type TT such as 08 for bytes, DD dimensions, e.g. 0x00000803 "
            "for images, 0x00000801 for labels)"
        )
    raw_dims = stream.read(4 * ndim)
    if len(raw_dims) < 4 * ndim:
        raise ValueError(
            f"{path}: truncated header ({4 + len(raw_dims)} of {4 + 4 * ndim} bytes)"
        )
    dims = struct.unpack(f">{ndim}I", raw_dims)
    dtype = _IDX_TYPES[kind]
    # Python integers: a product of 255 dimensions of 2**32 - 1 cannot overflow.
    return dtype, dims, math.prod(dims) * dtype.itemsize


def read_idx(path) -> np.ndarray:
    """Read one IDX file (gzipped or not) into an array of its stored shape.

    The format: two zero bytes, a type byte (0x08 unsigned byte, 0x09 signed byte,
    0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of dimensions, one
    big-endian int32 per dimension, then the data.

    Nothing is allocated from the header before it is checked: the size it declares
    must be at most :data:`MAX_IDX_BYTES` and, for a plain file, exactly what the file
    holds; gzip data is decompressed as a stream and reading stops one byte past the
    declared size, so a small archive of a huge file costs no memory.

    Raises
    ------
    ValueError
        A bad magic number, an unknown type, a size over the limit, or a file shorter
        or longer than its header says; the message names the file.
    """
    path = Path(path)
    try:
        with open(path, "rb") as raw:
            packed = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            if packed:
                with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                    return _read_idx_stream(path, stream, None)
            return _read_idx_stream(path, raw, os.fstat(raw.fileno()).st_size)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise ValueError(f"{path}: broken gzip data ({exc})") from None
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None


def _read_at_most(stream, size: int) -> bytes:
    """Up to ``size`` bytes, read in chunks (one ``read(size)`` would reserve all of
    ``size`` at once, however little the stream holds)."""
    chunks, left = [], size
    while left > 0:
        chunk = stream.read(min(left, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_idx_stream(path: Path, stream, file_size: int | None) -> np.ndarray:
    dtype, dims, expected = _idx_header(path, stream)
    shape, size = brief(" x ".join(map(str, dims))), _count(expected)
    if file_size is not None:  # a plain file: its size is known before reading
        got = file_size - 4 - 4 * len(dims)
        if got != expected:
            what = "truncated" if got < expected else "too long"
            raise ValueError(
                f"{path}: {what}: the header says {shape} values "
                f"({size} bytes of data), the file has {got}"
            )
    if expected > MAX_IDX_BYTES:
        raise ValueError(
            f"{path}: the header says {shape} values ({size} bytes of "
            f"data), more than the limit of {MAX_IDX_BYTES} bytes (MAX_IDX_BYTES)"
        )
    data = _read_at_most(stream, expected)  # gzip: decompresses no further
    if len(data) < expected:
        raise ValueError(
            f"{path}: truncated: the header says {shape} values ({expected} bytes of "
            f"data), the file has {len(data)}"
        )
    if stream.read(1):
        raise ValueError(
            f"{path}: too long: the header says {shape} values ({expected} bytes of "
            "data), the file has more"
        )
    return np.frombuffer(data, dtype=dtype).reshape(dims)


def _find(folder: Path, prefix: str, kind: str) -> Path | None:
    """``train-images-idx3-ubyte`` or ``train-images.idx3-ubyte``, maybe ``.gz``."""
    for sep in ("-", "."):
        for ext in ("", ".gz"):
            p = folder / f"{prefix}{sep}{kind}{ext}"
            if p.is_file():
                return p
    return None


def _idx_pair(folder: Path, prefix: str) -> tuple[np.ndarray, np.ndarray] | None:
    images_path = _find(folder, f"{prefix}-images", "idx3-ubyte")
    labels_path = _find(folder, f"{prefix}-labels", "idx1-ubyte")
    if images_path is None and labels_path is None:
        return None
    if images_path is None or labels_path is None:
        missing = (
            f"{prefix}-images-idx3-ubyte"
            if images_path is None
            else (f"{prefix}-labels-idx1-ubyte")
        )
        raise ValueError(
            f"{folder}: found one of the {prefix} files but not {missing}[.gz]"
        )
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim not in (3, 4):
        raise ValueError(
            f"{images_path}: images must have 3 dimensions (N, H, W), got shape "
            f"{brief(str(images.shape))}"
        )
    h, w = images.shape[1:3]
    channels = images.shape[3] if images.ndim == 4 else 1
    if max(h, w) > MAX_IMAGE_SIDE or channels > MAX_INPUT_CHANNELS:
        raise ValueError(
            f"{images_path}: images of {h} x {w} pixels x {channels} channels; at most "
            f"{MAX_IMAGE_SIDE} pixels a side (MAX_IMAGE_SIDE) and {MAX_INPUT_CHANNELS} "
            "channels (MAX_INPUT_CHANNELS)"
        )
    if labels.ndim != 1:
        raise ValueError(f"{labels_path}: labels must have 1 dimension, got {labels.shape}")
    if len(images) != len(labels):
        raise ValueError(
            f"{folder}: {len(images)} {prefix} images but {len(labels)} labels"
        )
    if len(labels) == 0:
        raise ValueError(f"{images_path}: holds no images")
    return _check_images(images_path, images), _check_labels(labels_path, labels)


def _check_labels(path: Path, labels: np.ndarray) -> np.ndarray:
    """Labels as int64 class numbers, or a ValueError naming ``path``."""
    if labels.dtype.kind == "f":
        bad = int(np.count_nonzero(~np.isfinite(labels)))
        what = f"{bad} are NaN or infinite" if bad else "class numbers must be integers"
        raise ValueError(
            f"{path}: labels are stored as {labels.dtype.name} ({what}); an IDX labels "
            "file holds whole class numbers (type 0x08, 0x09, 0x0B or 0x0C)"
        )
    low, high = int(labels.min()), int(labels.max())
    if low < 0:
        raise ValueError(f"{path}: labels must be >= 0, got {low}")
    if high >= MAX_CLASSES:
        raise ValueError(
            f"{path}: label {high} means {high + 1} classes; at most {MAX_CLASSES} "
            "classes are allowed (MAX_CLASSES)"
        )
    return labels.astype(np.int64)


def _check_images(path: Path, images: np.ndarray) -> np.ndarray:
    if images.dtype.kind == "f":
        bad = int(np.count_nonzero(~np.isfinite(images)))
        if bad:
            raise ValueError(
                f"{path}: {bad} pixel values are NaN or infinite; images must be finite"
            )
    return images


def to_float_images(images: np.ndarray, dtype, source="images") -> np.ndarray:
    """(N, H, W) or (N, H, W, C) as stored -> (N, C, H, W) floats in [0, 1], computed
    in ``dtype`` (no float64 copy of a float32 data set); at most
    :data:`MAX_FLOAT_VALUES` numbers."""
    if images.size > MAX_FLOAT_VALUES:
        raise ValueError(
            f"{source}: {len(images)} images of {images[0].size} values are "
            f"{images.size} numbers as floats, more than {MAX_FLOAT_VALUES} "
            "(MAX_FLOAT_VALUES); use fewer images (--limit)"
        )
    x = images[:, None] if images.ndim == 3 else np.moveaxis(images, 3, 1)
    out = x.astype(dtype)
    if images.dtype == np.uint8:
        out /= dtype.type(255.0)
        return out
    lo, hi = float(x.min()), float(x.max())
    out -= dtype.type(lo)
    out /= dtype.type(hi - lo if hi > lo else 1.0)
    return out


def load_idx_raw(folder: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The IDX files of ``folder`` as stored (before any conversion to floats)."""
    if not folder.is_dir():
        raise ValueError(f"idx: {folder} is not a folder")
    out = {}
    for prefix, key in (("train", "train"), ("t10k", "test")):
        pair = _idx_pair(folder, prefix)
        if pair is not None:
            out[key] = pair
    if "train" not in out:
        raise ValueError(
            f"idx: no train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz] "
            f"in {folder}"
        )
    if "test" in out and _hwc(out["test"][0]) != _hwc(out["train"][0]):
        raise ValueError(
            f"idx: {folder}: test images are {out['test'][0].shape[1:]}, training images "
            f"{out['train'][0].shape[1:]}"
        )
    return out


def _hwc(images: np.ndarray) -> tuple:
    return tuple(images.shape[1:])


def load_idx(
    folder, dtype: DTypeLike = np.float32
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """MNIST-style IDX files from ``folder``.

    Looks for ``train-images-idx3-ubyte`` and ``train-labels-idx1-ubyte`` (each maybe
    ``.gz``, or with ``.idx`` instead of ``-idx``), and ``t10k-*`` likewise.

    Returns
    -------
    dict
        ``{"train": (images, labels)}`` and ``"test"`` when the ``t10k`` files are
        there; images ``(N, C, H, W)`` in [0, 1] (bytes / 255), labels int64.
    """
    dtype = float_dtype(dtype)
    raw = load_idx_raw(Path(folder))
    return {
        key: (to_float_images(x, dtype, f"idx:{folder} ({key})"), y)
        for key, (x, y) in raw.items()
    }
