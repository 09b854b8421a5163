"""Generated shapes: circles, squares, triangles, crosses, rings and diamonds at random
positions and sizes, with noise; any number, any image size, from a seed."""

from __future__ import annotations

import numpy as np
from numpy.typing import DTypeLike

from .base import float_dtype
from .limits import brief

__all__ = [
    "shapes",
    "check_shapes_size",
    "SHAPES",
    "MAX_SHAPES_N",
    "MAX_SHAPES_SIZE",
    "MAX_SHAPES_PIXELS",
]

#: The shapes :func:`shapes` can draw, in label order.
SHAPES = ("circle", "square", "triangle", "cross", "ring", "diamond")
#: Most images :func:`shapes` generates, their largest side, and the most pixels in
#: all (n x size x size; 2e7 pixels are 160 MB while they are drawn in float64).
MAX_SHAPES_N = 100_000
MAX_SHAPES_SIZE = 256
MAX_SHAPES_PIXELS = 20_000_000


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


def check_shapes_size(n, size) -> None:
    """A ValueError unless ``n`` images of ``size`` x ``size`` pixels may be made."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a whole number >= 1, got {brief(repr(n))}")
    if n > MAX_SHAPES_N:
        raise ValueError(f"n must be at most {MAX_SHAPES_N} (MAX_SHAPES_N), got {n}")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 6:
        raise ValueError(
            f"size must be a whole number >= 6 (pixels), got {brief(repr(size))}"
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
    check_shapes_size(n, size)
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
