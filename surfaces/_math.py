"""Small helpers every surface module shares: split ``xy``, stack a gradient, and the
derivatives of the non-smooth pieces (``sqrt|u|``, a norm) with one documented
convention where they are undefined.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["as_xy", "split", "stack", "d_sqrt_abs", "divide_or_zero"]

Array = NDArray[np.float64]


def as_xy(xy: ArrayLike) -> Array:
    """``xy`` as a float array of shape ``(..., 2)``; a ValueError for any other shape."""
    xy = np.asarray(xy, dtype=np.float64)
    if xy.shape[-1:] != (2,):
        raise ValueError(f"xy must have shape (..., 2), got {xy.shape}")
    return xy


def split(xy: ArrayLike) -> tuple[Array, Array]:
    """``x, y`` of ``xy`` with shape ``(..., 2)``, as float arrays of shape ``(...)``."""
    xy = as_xy(xy)
    return xy[..., 0], xy[..., 1]


def stack(df_dx: ArrayLike, df_dy: ArrayLike) -> Array:
    """The gradient ``(..., 2)`` from its two components (broadcast against each other)."""
    return np.stack(np.broadcast_arrays(df_dx, df_dy), axis=-1).astype(np.float64)


def divide_or_zero(num: ArrayLike, den: ArrayLike) -> Array:
    """``num / den``, and 0 where ``den == 0``.

    The convention for a gradient at a kink or cusp, where it is undefined: 0 is the
    subgradient of ``|u|`` at 0 that points nowhere, so an optimizer sitting exactly
    there stays put instead of receiving NaN or infinity.
    """
    num, den = np.broadcast_arrays(np.asarray(num, float), np.asarray(den, float))
    out = np.zeros(num.shape)
    np.divide(num, den, out=out, where=den != 0)
    return out


def d_sqrt_abs(u: ArrayLike) -> Array:
    """d/du sqrt(|u|) = sign(u) / (2 sqrt|u|); 0 at ``u == 0`` (see :func:`divide_or_zero`).

    Near ``u = 0`` it grows without bound: a cusp, not a smooth valley.
    """
    u = np.asarray(u, dtype=np.float64)
    return divide_or_zero(np.sign(u), 2 * np.sqrt(np.abs(u)))
