"""Small image data sets for the CNN: handwritten digits, generated shapes, IDX files.

- :func:`digits`: the UCI handwritten digits, 1,797 images of 8x8 pixels, shipped
  inside optviz (``optviz/nn/data/digits.csv.gz``), so they load offline.
  Creators: E. Alpaydin and C. Kaynak, "Optical Recognition of Handwritten Digits",
  UCI Machine Learning Repository, 1998, https://doi.org/10.24432/C50P49, licensed
  CC BY 4.0 (the test part, as distributed with scikit-learn).
- :func:`shapes`: circles, squares, triangles, crosses, rings and diamonds at random
  positions and sizes, with noise; any number, any image size, from a seed.
- :func:`load_idx`: MNIST or Fashion-MNIST (or anything else in the IDX format) from a
  folder of ``train-images-idx3-ubyte[.gz]``, ``train-labels-idx1-ubyte[.gz]`` and,
  when present, ``t10k-*``.

:func:`load_dataset` takes ``"digits"``, ``"shapes"`` or ``"idx:DIR"`` and returns a
:class:`Dataset` split (seeded) into training and validation images. Images are
``(N, C, H, W)`` floats in [0, 1], labels ``int64`` class numbers.
"""

from __future__ import annotations

import difflib
import gzip
import math
import os
import struct
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import DTypeLike

from .layers import float_dtype
from .limits import MAX_CLASSES, MAX_IMAGE_SIDE, MAX_INPUT_CHANNELS

__all__ = [
    "Dataset",
    "digits",
    "shapes",
    "read_idx",
    "load_idx",
    "train_val_split",
    "load_dataset",
    "check_dataset_spec",
    "SHAPES",
    "DATASETS",
    "DIGITS_SOURCE",
    "MAX_IDX_BYTES",
    "MAX_CLASSES",
    "MAX_SHAPES_N",
    "MAX_SHAPES_SIZE",
    "MAX_SHAPES_PIXELS",
    "MAX_FLOAT_VALUES",
]

#: The shapes :func:`shapes` can draw, in label order.
SHAPES = ("circle", "square", "triangle", "cross", "ring", "diamond")
#: The data set names :func:`load_dataset` knows (``idx`` takes a folder: ``idx:DIR``).
DATASETS = ("digits", "shapes", "idx")
#: Where the digits come from (for sidecars and figure captions).
DIGITS_SOURCE = {
    "name": "UCI ML handwritten digits (optical recognition), test part",
    "creators": "E. Alpaydin, C. Kaynak",
    "url": "https://doi.org/10.24432/C50P49",
    "license": "CC BY 4.0",
    "via": "scikit-learn, sklearn/datasets/data/digits.csv.gz",
}
#: Largest value of a digits pixel (4x4 blocks of a 32x32 bitmap: 0..16 pixels on).
DIGITS_MAX = 16.0
#: Most data bytes one IDX file may declare (MNIST's training images are 47 MB).
MAX_IDX_BYTES = 1 << 30
#: Most images :func:`shapes` generates, their largest side, and the most pixels in
#: all (n x size x size; 2e7 pixels are 160 MB while they are drawn in float64).
MAX_SHAPES_N = 100_000
MAX_SHAPES_SIZE = 256
MAX_SHAPES_PIXELS = 20_000_000
#: Most numbers a data set's images may take as floats (0.4 GB in float32, 0.8 GB in
#: float64; MNIST's 60,000 training images are 47 million); more need ``limit``.
MAX_FLOAT_VALUES = 100_000_000
#: Error messages quote at most this many characters of a value.
MAX_SHOWN = 80
_CHUNK = 1 << 23  # bytes read at a time from an IDX file

_IDX_TYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


@dataclass
class Dataset:
    """Images and labels, split into training and validation (and maybe test) sets.

    Attributes
    ----------
    name : str
        ``"digits"``, ``"shapes"`` or ``"idx:DIR"``.
    x_train, x_val : ndarray, shape (N, C, H, W)
        Floats in [0, 1].
    y_train, y_val : ndarray, shape (N,)
        int64 class numbers ``0 .. len(classes) - 1``.
    classes : tuple of str
        Class names.
    x_test, y_test : ndarray or None
        A separate test set where the source has one (IDX ``t10k-*`` files).
    meta : dict
        Source, licence, split seed and so on (goes into sidecars).
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    classes: tuple
    x_test: np.ndarray | None = None
    y_test: np.ndarray | None = None
    meta: dict = field(default_factory=dict)

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """``(C, H, W)`` of one image."""
        return tuple(self.x_train.shape[1:])

    @property
    def n_classes(self) -> int:
        return len(self.classes)

    def describe(self) -> dict:
        """Sizes and source, JSON-ready."""
        return {
            "name": self.name,
            "image_shape": list(self.image_shape),
            "classes": list(self.classes),
            "n_train": int(len(self.y_train)),
            "n_val": int(len(self.y_val)),
            "n_test": None if self.y_test is None else int(len(self.y_test)),
            **self.meta,
        }


# -- digits ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _digits_raw() -> tuple[np.ndarray, np.ndarray]:
    source = resources.files("optviz.nn").joinpath("data", "digits.csv.gz")
    with source.open("rb") as raw, gzip.open(raw, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.float64)  # (1797, 64 + 1)
    images, labels = table[:, :-1], table[:, -1].astype(np.int64)
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def digits(dtype: DTypeLike = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """The UCI handwritten digits: 1,797 grey images of 8x8 pixels, classes 0-9.

    Each pixel counts the ink in a 4x4 block of a 32x32 bitmap (0..16); here it is
    divided by 16 into [0, 1]. Shipped with optviz, no download needed.

    Returns
    -------
    images : ndarray, shape (1797, 1, 8, 8)
    labels : ndarray of int64, shape (1797,)

    References
    ----------
    E. Alpaydin, C. Kaynak, "Optical Recognition of Handwritten Digits", UCI Machine
    Learning Repository, 1998, https://doi.org/10.24432/C50P49 (CC BY 4.0). The file
    is the copy scikit-learn distributes (its test part).

    Examples
    --------
    >>> x, y = digits()
    >>> x.shape, y[:5]
    ((1797, 1, 8, 8), array([0, 1, 2, 3, 4]))
    """
    images, labels = _digits_raw()
    x = (images / DIGITS_MAX).reshape(-1, 1, 8, 8)  # (1797, 64) -> (1797, 1, 8, 8)
    return x.astype(float_dtype(dtype)), labels.copy()


# -- shapes ---------------------------------------------------------------------------
def _shape_masks(kind: str, dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """Inside-masks of one kind; dx, dy are offsets from the centre in radii
    (dy grows downwards)."""
    ax, ay = np.abs(dx), np.abs(dy)
    if kind == "circle":
        return dx * dx + dy * dy <= 1.0
    if kind == "ring":
        r2 = dx * dx + dy * dy
        return (r2 <= 1.0) & (r2 >= 0.45)
    if kind == "square":
        return np.maximum(ax, ay) <= 0.8
    if kind == "diamond":
        return ax + ay <= 1.0
    if kind == "cross":
        arm = 0.3
        return ((ax <= arm) & (ay <= 1.0)) | ((ay <= arm) & (ax <= 1.0))
    if kind == "triangle":  # apex up, base at the bottom
        return (dy >= -0.9) & (dy <= 0.8) & (ax <= (dy + 0.9) / 1.7)
    raise ValueError(f"unknown shape {kind!r}; known: {', '.join(SHAPES)}")


def _check_shapes_size(n, size) -> None:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a whole number >= 1, got {_too_long(repr(n))}")
    if n > MAX_SHAPES_N:
        raise ValueError(f"n must be at most {MAX_SHAPES_N} (MAX_SHAPES_N), got {n}")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 6:
        raise ValueError(
            f"size must be a whole number >= 6 (pixels), got {_too_long(repr(size))}"
        )
    if size > MAX_SHAPES_SIZE:
        raise ValueError(
            f"size must be at most {MAX_SHAPES_SIZE} pixels (MAX_SHAPES_SIZE), got {size}"
        )
    if n * size * size > MAX_SHAPES_PIXELS:
        raise ValueError(
            f"n x size x size = {n} x {size} x {size} pixels is more than "
            f"{MAX_SHAPES_PIXELS} (MAX_SHAPES_PIXELS); ask for fewer or smaller images"
        )


def shapes(
    n: int = 2000,
    size: int = 16,
    *,
    kinds=SHAPES,
    noise: float = 0.1,
    seed=0,
    dtype: DTypeLike = np.float32,
) -> tuple[np.ndarray, np.ndarray]:
    """Images of simple shapes at random positions and sizes, with noise.

    Each image holds one filled shape (``kinds``, label = its index there) of radius
    between 20% and 40% of the image, placed at random so that it fits, with a random
    brightness in [0.6, 1] on a dark background, plus Gaussian noise of standard
    deviation ``noise``, clipped to [0, 1]. Classes are balanced in expectation.

    Parameters
    ----------
    n : int
        Number of images.
    size : int
        Height and width in pixels (>= 6).
    kinds : sequence of str
        Which of :data:`SHAPES` to draw.
    noise : float
        Standard deviation of the added noise (>= 0).
    seed : int or Generator
    dtype : float32 or float64

    Returns
    -------
    images : ndarray, shape (n, 1, size, size)
    labels : ndarray of int64, shape (n,)

    Examples
    --------
    >>> x, y = shapes(10, size=12, seed=1)
    >>> x.shape, int(y.max()) < len(SHAPES)
    ((10, 1, 12, 12), True)
    """
    _check_shapes_size(n, size)
    kinds = tuple(kinds)
    for kind in kinds:
        if kind not in SHAPES:
            raise ValueError(f"unknown shape {kind!r}; known: {', '.join(SHAPES)}")
    if len(kinds) < 2:
        raise ValueError("kinds needs at least two shapes (a classification needs classes)")
    noise = float(noise)
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, len(kinds), n)
    radius = rng.uniform(0.2, 0.4, n) * size  # (n,)
    cx = rng.uniform(radius, size - 1 - radius)  # the whole shape stays inside
    cy = rng.uniform(radius, size - 1 - radius)
    brightness = rng.uniform(0.6, 1.0, n)
    grid = np.arange(size, dtype=np.float64)
    dx = (grid[None, None, :] - cx[:, None, None]) / radius[:, None, None]  # (n, 1, size)
    dy = (grid[None, :, None] - cy[:, None, None]) / radius[:, None, None]  # (n, size, 1)
    images = np.zeros((n, size, size))
    for k, kind in enumerate(kinds):
        rows = labels == k
        mask = _shape_masks(kind, dx[rows], dy[rows])  # (n_k, size, size)
        images[rows] = mask * brightness[rows, None, None]
    images += noise * rng.standard_normal(images.shape)
    np.clip(images, 0.0, 1.0, out=images)
    return images[:, None].astype(float_dtype(dtype)), labels.astype(np.int64)


# -- IDX (MNIST, Fashion-MNIST) -------------------------------------------------------
def _too_long(text: str, limit: int = MAX_SHOWN) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
    shape, size = _too_long(" x ".join(map(str, dims))), _count(expected)
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
            f"{_too_long(str(images.shape))}"
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


def _to_float_images(images: np.ndarray, dtype, source="images") -> np.ndarray:
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


def _load_idx_raw(folder: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
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


def _subset(x: np.ndarray, y: np.ndarray, limit: int | None, seed) -> tuple:
    """At most ``limit`` images (a seeded random subset, in their original order)."""
    if limit is None or limit >= len(y):
        return x, y
    keep = np.sort(np.random.default_rng(seed).permutation(len(y))[:limit])
    return x[keep], y[keep]


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
    raw = _load_idx_raw(Path(folder))
    return {
        key: (_to_float_images(x, dtype, f"idx:{folder} ({key})"), y)
        for key, (x, y) in raw.items()
    }


# -- splitting and loading by name ----------------------------------------------------
def train_val_split(x: np.ndarray, y: np.ndarray, val_fraction: float = 0.2, seed=0):
    """Shuffle (seeded) and split into ``(x_train, y_train, x_val, y_val)``.

    ``round(val_fraction * N)`` images (at least 1) go to validation.
    """
    val_fraction = float(val_fraction)
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction}")
    n = len(y)
    n_val = max(1, int(round(val_fraction * n)))
    if n - n_val < 1:
        raise ValueError(f"cannot split {n} images into training and validation sets")
    order = np.random.default_rng(seed).permutation(n)
    val, train = order[:n_val], order[n_val:]
    return x[train], y[train], x[val], y[val]


def _shapes_options(spec: str, text: str) -> dict:
    options = {}
    known = {"n": int, "size": int, "noise": float}
    for item in filter(None, (p.strip() for p in text.split(","))):
        key, eq, value = item.partition("=")
        key = key.strip()
        if not eq or key not in known:
            raise ValueError(
                f"in {_too_long(repr(spec))}: {_too_long(repr(item))} is not KEY=VALUE "
                "with KEY one of n, size, noise "
                "(e.g. shapes:n=3000,size=20)"
            )
        if key in options:
            raise ValueError(f"in {_too_long(repr(spec))}: {key} is given twice")
        try:
            options[key] = known[key](value)
        except ValueError:
            raise ValueError(
                f"in {_too_long(repr(spec))}: {key} must be a number, got "
                f"{_too_long(repr(value))}"
            ) from None
    return options


def check_dataset_spec(spec: str) -> tuple[str, str]:
    """Split a data set SPEC into ``(name, rest)`` and check the name (and, for
    ``idx:DIR``, that DIR is a folder) without loading anything.

    >>> check_dataset_spec("shapes:n=100")
    ('shapes', 'n=100')
    >>> check_dataset_spec("digit")
    Traceback (most recent call last):
    ...
    ValueError: unknown dataset 'digit'. Did you mean digits? Use digits, shapes or \
idx:DIR (a folder of MNIST-style IDX files)
    """
    if not isinstance(spec, str):
        raise ValueError(f"dataset must be a name such as 'digits', got {spec!r}")
    name, _, rest = spec.partition(":")
    name, rest = name.strip().lower(), rest.strip()
    if name not in DATASETS:
        close = difflib.get_close_matches(name, DATASETS, n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]}?" if close else ""
        raise ValueError(
            f"unknown dataset {_too_long(repr(spec))}.{hint} Use digits, shapes or idx:DIR "
            "(a folder of MNIST-style IDX files)"
        )
    if name == "digits" and rest:
        raise ValueError(f"digits takes no options, got {_too_long(repr(spec))}")
    if name == "shapes":
        options = _shapes_options(spec, rest)
        _check_shapes_size(options.get("n", 2000), options.get("size", 16))
    if name == "idx":
        if not rest:
            raise ValueError("idx needs a folder: idx:DIR (e.g. idx:~/data/mnist)")
        folder = Path(rest).expanduser()
        if not folder.is_dir():
            raise ValueError(f"idx: {folder} is not a folder")
    return name, rest


def load_dataset(
    spec: str,
    *,
    val_fraction: float = 0.2,
    seed=0,
    limit: int | None = None,
    dtype: DTypeLike = np.float32,
) -> Dataset:
    """A data set by name, split into training and validation images.

    Parameters
    ----------
    spec : str
        ``"digits"`` (shipped, 1,797 8x8 digits), ``"shapes"`` (generated; options as
        ``"shapes:n=3000,size=20,noise=0.1"``) or ``"idx:DIR"`` (MNIST-style files in
        folder DIR; the ``t10k`` files, when present, become ``x_test``/``y_test``).
    val_fraction : float
        Share of the images held out for validation.
    seed : int
        Seeds the split (and the generated shapes).
    limit : int, optional
        Use at most this many images (a seeded random subset) before splitting; for
        IDX files the subset is taken before the images become floats, and the test
        set is cut to the same number.
    dtype : float32 or float64

    Examples
    --------
    >>> data = load_dataset("digits")
    >>> data.x_train.shape, data.x_val.shape, data.n_classes
    ((1438, 1, 8, 8), (359, 1, 8, 8), 10)
    """
    name, rest = check_dataset_spec(spec)
    dtype = float_dtype(dtype)
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 2
    ):
        raise ValueError(f"limit must be a whole number >= 2, got {_too_long(repr(limit))}")
    x_test = y_test = None
    meta: dict = {"val_fraction": val_fraction, "split_seed": seed}
    if name == "digits":
        x, y = digits(dtype)
        classes = tuple(str(d) for d in range(10))
        meta["source"] = DIGITS_SOURCE
    elif name == "shapes":
        options = _shapes_options(spec, rest)
        x, y = shapes(**options, seed=seed, dtype=dtype)
        classes = SHAPES
        meta["shapes"] = {"n": len(y), "size": x.shape[-1], **options}
    else:  # idx: the subset is taken from the bytes, before they become floats
        folder = Path(rest).expanduser()
        parts = _load_idx_raw(folder)
        x, y = _subset(*parts["train"], limit, seed)
        x = _to_float_images(x, dtype, f"idx:{folder} (training images)")
        if "test" in parts:
            x_test, y_test = _subset(*parts["test"], limit, seed)
            x_test = _to_float_images(x_test, dtype, f"idx:{folder} (test images)")
        n_classes = int(max(y.max(), -1 if y_test is None else y_test.max())) + 1
        classes = tuple(str(k) for k in range(n_classes))
        meta["folder"] = str(folder)
        spec = f"idx:{folder}"
    if limit is not None:
        x, y = _subset(x, y, limit, seed)
        meta["limit"] = int(limit)
    x_train, y_train, x_val, y_val = train_val_split(x, y, val_fraction, seed)
    return Dataset(
        spec.strip(), x_train, y_train, x_val, y_val, classes, x_test, y_test, meta
    )
