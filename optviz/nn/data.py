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
import struct
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import DTypeLike

from .layers import _float_dtype

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
    return x.astype(_float_dtype(dtype)), labels.copy()


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
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a whole number >= 1, got {n!r}")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 6:
        raise ValueError(f"size must be a whole number >= 6 (pixels), got {size!r}")
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
    return images[:, None].astype(_float_dtype(dtype)), labels.astype(np.int64)


# -- IDX (MNIST, Fashion-MNIST) -------------------------------------------------------
def read_idx(path) -> np.ndarray:
    """Read one IDX file (gzipped or not) into an array of its stored shape.

    The format: two zero bytes, a type byte (0x08 unsigned byte, 0x09 signed byte,
    0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of dimensions, one
    big-endian int32 per dimension, then the data.

    Raises
    ------
    ValueError
        A bad magic number, an unknown type, or a file shorter or longer than its
        header says.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{path}: broken gzip data ({exc})") from None
    if len(raw) < 4:
        raise ValueError(f"{path}: truncated, {len(raw)} bytes is not even an IDX header")
    magic = int.from_bytes(raw[:4], "big")
    kind, ndim = raw[2], raw[3]
    if raw[:2] != b"\x00\x00" or kind not in _IDX_TYPES or ndim == 0:
        raise ValueError(
            f"{path}: bad magic number 0x{magic:08X}, not an IDX file (expected "
            "0x0000TTDD: type TT such as 08 for bytes, DD dimensions, e.g. 0x00000803 "
            "for images, 0x00000801 for labels)"
        )
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path}: truncated header ({len(raw)} of {header} bytes)")
    dims = struct.unpack(f">{ndim}I", raw[4:header])
    dtype = _IDX_TYPES[kind]
    expected = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    got = len(raw) - header
    if got != expected:
        what = "truncated" if got < expected else "too long"
        raise ValueError(
            f"{path}: {what}: the header says {' x '.join(map(str, dims))} values "
            f"({expected} bytes of data), the file has {got}"
        )
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(dims)


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
            f"{images.shape}"
        )
    if labels.ndim != 1:
        raise ValueError(f"{labels_path}: labels must have 1 dimension, got {labels.shape}")
    if len(images) != len(labels):
        raise ValueError(
            f"{folder}: {len(images)} {prefix} images but {len(labels)} labels"
        )
    if len(labels) == 0:
        raise ValueError(f"{images_path}: holds no images")
    if labels.min() < 0:
        raise ValueError(f"{labels_path}: labels must be >= 0, got {labels.min()}")
    return images, labels.astype(np.int64)


def _to_float_images(images: np.ndarray, dtype) -> np.ndarray:
    """(N, H, W) or (N, H, W, C) of bytes -> (N, C, H, W) floats in [0, 1]."""
    x = images[:, None] if images.ndim == 3 else np.moveaxis(images, 3, 1)
    if images.dtype == np.uint8:
        return (x / 255.0).astype(dtype)
    lo, hi = float(x.min()), float(x.max())
    return ((x - lo) / (hi - lo if hi > lo else 1.0)).astype(dtype)


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
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"idx: {folder} is not a folder")
    dtype = _float_dtype(dtype)
    out = {}
    for prefix, key in (("train", "train"), ("t10k", "test")):
        pair = _idx_pair(folder, prefix)
        if pair is not None:
            out[key] = (_to_float_images(pair[0], dtype), pair[1])
    if "train" not in out:
        raise ValueError(
            f"idx: no train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz] "
            f"in {folder}"
        )
    if "test" in out and out["test"][0].shape[1:] != out["train"][0].shape[1:]:
        raise ValueError(
            f"idx: test images are {out['test'][0].shape[1:]}, training images "
            f"{out['train'][0].shape[1:]}"
        )
    return out


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
                f"in {spec!r}: {item!r} is not KEY=VALUE with KEY one of n, size, noise "
                "(e.g. shapes:n=3000,size=20)"
            )
        try:
            options[key] = known[key](value)
        except ValueError:
            raise ValueError(
                f"in {spec!r}: {key} must be a number, got {value!r}"
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
            f"unknown dataset {spec!r}.{hint} Use digits, shapes or idx:DIR "
            "(a folder of MNIST-style IDX files)"
        )
    if name == "digits" and rest:
        raise ValueError(f"digits takes no options, got {spec!r}")
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
        Use at most this many images (a seeded random subset) before splitting.
    dtype : float32 or float64

    Examples
    --------
    >>> data = load_dataset("digits")
    >>> data.x_train.shape, data.x_val.shape, data.n_classes
    ((1438, 1, 8, 8), (359, 1, 8, 8), 10)
    """
    name, rest = check_dataset_spec(spec)
    dtype = _float_dtype(dtype)
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
    else:  # idx
        folder = Path(rest).expanduser()
        parts = load_idx(folder, dtype)
        x, y = parts["train"]
        if "test" in parts:
            x_test, y_test = parts["test"]
        n_classes = int(max(y.max(), -1 if y_test is None else y_test.max())) + 1
        classes = tuple(str(k) for k in range(n_classes))
        meta["folder"] = str(folder)
        spec = f"idx:{folder}"
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 2:
            raise ValueError(f"limit must be a whole number >= 2, got {limit!r}")
        if limit < len(y):
            keep = np.sort(np.random.default_rng(seed).permutation(len(y))[:limit])
            x, y = x[keep], y[keep]
        meta["limit"] = int(limit)
    x_train, y_train, x_val, y_val = train_val_split(x, y, val_fraction, seed)
    return Dataset(
        spec.strip(), x_train, y_train, x_val, y_val, classes, x_test, y_test, meta
    )
