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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import DTypeLike

from .._checks import UnknownName
from .base import float_dtype
from .digits import DIGITS_SOURCE, digits
from .idx import (
    MAX_FLOAT_VALUES,
    MAX_IDX_BYTES,
    load_idx,
    load_idx_raw,
    read_idx,
    to_float_images,
)
from .limits import MAX_CLASSES, brief
from .shapes import (
    MAX_SHAPES_N,
    MAX_SHAPES_PIXELS,
    MAX_SHAPES_SIZE,
    SHAPES,
    check_shapes_size,
    shapes,
)

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

#: The data set names :func:`load_dataset` knows (``idx`` takes a folder: ``idx:DIR``).
DATASETS = ("digits", "shapes", "idx")


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


def _subset(x: np.ndarray, y: np.ndarray, limit: int | None, seed) -> tuple:
    """At most ``limit`` images (a seeded random subset, in their original order)."""
    if limit is None or limit >= len(y):
        return x, y
    keep = np.sort(np.random.default_rng(seed).permutation(len(y))[:limit])
    return x[keep], y[keep]


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
                f"in {brief(repr(spec))}: {brief(repr(item))} is not KEY=VALUE "
                "with KEY one of n, size, noise "
                "(e.g. shapes:n=3000,size=20)"
            )
        if key in options:
            raise ValueError(f"in {brief(repr(spec))}: {key} is given twice")
        try:
            options[key] = known[key](value)
        except ValueError:
            raise ValueError(
                f"in {brief(repr(spec))}: {key} must be a number, got {brief(repr(value))}"
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
    optviz._checks.UnknownName: unknown dataset 'digit'. Did you mean digits? Use ...
    """
    if not isinstance(spec, str):
        raise ValueError(f"dataset must be a name such as 'digits', got {spec!r}")
    name, _, rest = spec.partition(":")
    name, rest = name.strip().lower(), rest.strip()
    if name not in DATASETS:
        close = difflib.get_close_matches(name, DATASETS, n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]}?" if close else ""
        raise UnknownName(
            f"unknown dataset {brief(repr(spec))}.{hint} Use digits, shapes or idx:DIR "
            "(a folder of MNIST-style IDX files)"
        )
    if name == "digits" and rest:
        raise ValueError(f"digits takes no options, got {brief(repr(spec))}")
    if name == "shapes":
        options = _shapes_options(spec, rest)
        check_shapes_size(options.get("n", 2000), options.get("size", 16))
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
        raise ValueError(f"limit must be a whole number >= 2, got {brief(repr(limit))}")
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
        parts = load_idx_raw(folder)
        x, y = _subset(*parts["train"], limit, seed)
        x = to_float_images(x, dtype, f"idx:{folder} (training images)")
        if "test" in parts:
            x_test, y_test = _subset(*parts["test"], limit, seed)
            x_test = to_float_images(x_test, dtype, f"idx:{folder} (test images)")
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
