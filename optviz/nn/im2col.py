r"""Sliding windows as one matrix: the im2col trick behind a fast convolution.

A convolution is a dot product of every kernel with every window of the input. Copying
each window into one column of a matrix ("im2col") turns all of them into a single
matrix product. The copy is done kernel offset by kernel offset: for a 3x3 kernel, nine
strided slices of the (padded) input, each moved as one block, so there is no Python
loop over pixels. :func:`col2im` sends gradients back the same way (nine slice-adds).

Layout. Arrays are *shaped* ``(N, C, H, W)`` as in the notes (and PyTorch), but the
convolution hands back arrays whose *memory* is ordered ``(C, N, H, W)``: the matrix
product produces one row per output channel, and keeping that order saves a transpose
per layer. NumPy's element-wise operations keep whatever memory order they are given,
so a following ReLU or pooling layer stays copy-free. Nothing outside this module needs
to care.

The output size is the notes' formula :math:`H_2 = (H_1 - F_H + 2P)/S + 1`
(:func:`conv_output_size`).
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

__all__ = [
    "conv_output_size",
    "fitting_sizes",
    "pair",
    "window_slices",
    "im2col",
    "col2im",
]


def pair(name: str, value, low: int = 0) -> tuple[int, int]:
    """``3`` -> ``(3, 3)``; ``(3, 2)`` stays; both checked to be whole numbers >= low."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(values) != 2:
        raise ValueError(f"{name} must be a whole number or a pair of them, got {value!r}")
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < low:
            raise ValueError(f"{name} must be a whole number >= {low}, got {value!r}")
        out.append(int(v))
    return out[0], out[1]


def conv_output_size(h1: int, fh: int, p: int = 0, s: int = 1) -> int:
    r"""Output height (or width) of a convolution or pooling window.

    .. math:: H_2 = \frac{H_1 - F_H + 2P}{S} + 1

    Parameters
    ----------
    h1 : int
        Input height :math:`H_1` (or width).
    fh : int
        Kernel height :math:`F_H`.
    p : int
        Zero padding :math:`P` on each side.
    s : int
        Stride :math:`S`.

    Returns
    -------
    int
        :math:`H_2`.

    Raises
    ------
    ValueError
        If :math:`H_2` is not a whole number (the last window would hang over the
        edge) or the kernel is larger than the padded input.

    Examples
    --------
    >>> conv_output_size(32, 5, p=2, s=1)
    32
    >>> conv_output_size(8, 3, p=0, s=2)
    Traceback (most recent call last):
    ...
    ValueError: H2 = (H1 - FH + 2P)/S + 1 = (8 - 3 + 2*0)/2 + 1 = 3.5 is not a whole number
    """
    h1, fh, p, s = (int(v) for v in (h1, fh, p, s))
    if fh < 1 or p < 0 or s < 1:
        raise ValueError(f"need FH >= 1, P >= 0 and S >= 1, got FH={fh}, P={p}, S={s}")
    span = h1 - fh + 2 * p
    formula = f"H2 = (H1 - FH + 2P)/S + 1 = ({h1} - {fh} + 2*{p})/{s} + 1"
    if span < 0:
        raise ValueError(
            f"{formula} < 1: the kernel ({fh}) is larger than the padded input "
            f"({h1} + 2*{p} = {h1 + 2 * p})"
        )
    if span % s:
        raise ValueError(f"{formula} = {span / s + 1:g} is not a whole number")
    return span // s + 1


def fitting_sizes(h1: int, fh: int, p: int, s: int) -> str:
    """The input sizes nearest ``h1`` that fit kernel ``fh``, padding ``p``, stride
    ``s`` (for error messages), e.g. ``"7 or 9"``."""
    smallest = max(fh - 2 * p, 1)
    fits = [h for h in range(smallest, h1 + s + 1) if (h - fh + 2 * p) % s == 0]
    below = [h for h in fits if h < h1]
    above = [h for h in fits if h > h1]
    near = ([below[-1]] if below else []) + ([above[0]] if above else [])
    return " or ".join(map(str, near)) or f"at least {smallest}"


def window_slices(
    h2: int, w2: int, kernel: tuple[int, int], stride: tuple[int, int]
) -> Iterator[tuple[int, int, tuple[slice, slice]]]:
    """For every kernel offset ``(i, j)``: the slices of the (padded) input that the
    offset touches in all ``h2 x w2`` windows at once."""
    (fh, fw), (sh, sw) = kernel, stride
    for i in range(fh):
        for j in range(fw):
            yield i, j, (slice(i, i + sh * (h2 - 1) + 1, sh), slice(j, j + sw * (w2 - 1) + 1, sw))


def _padded(x_cn: np.ndarray, padding: tuple[int, int], dtype) -> np.ndarray:
    """``(C, N, H, W)`` -> ``(C, N, H+2P, W+2P)``, zeros around (no copy without P)."""
    ph, pw = padding
    if not (ph or pw) and x_cn.dtype == dtype:
        return x_cn
    c, n, h, w = x_cn.shape
    xp = np.zeros((c, n, h + 2 * ph, w + 2 * pw), dtype=dtype)
    xp[:, :, ph : ph + h, pw : pw + w] = x_cn
    return xp


def im2col(
    x: np.ndarray,
    kernel: tuple[int, int],
    stride: tuple[int, int] = (1, 1),
    padding: tuple[int, int] = (0, 0),
    *,
    dtype=None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Every ``FH x FW`` window of ``x`` as a column.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
        The input (any memory order).
    kernel, stride, padding : (int, int)
        :math:`(F_H, F_W)`, :math:`(S_H, S_W)`, :math:`(P_H, P_W)`.
    dtype : dtype, optional
        Of the columns (default ``x.dtype``).
    out : ndarray, optional
        A buffer of ``C*FH*FW*N*H2*W2`` elements to write into (reused between calls).

    Returns
    -------
    ndarray, shape (C*FH*FW, N*H2*W2)
        Row ``(c, i, j)`` holds input channel ``c`` at kernel offset ``(i, j)``, column
        ``(n, h, w)`` the window of image ``n`` at output position ``(h, w)``: the same
        order as ``weight.reshape(F, C*FH*FW)``.
    """
    n, c, h, w = x.shape
    (fh, fw), (sh, sw), (ph, pw) = kernel, stride, padding
    h2, w2 = conv_output_size(h, fh, ph, sh), conv_output_size(w, fw, pw, sw)
    dtype = x.dtype if dtype is None else np.dtype(dtype)
    xp = _padded(x.transpose(1, 0, 2, 3), padding, dtype)  # (C, N, H+2P, W+2P)
    size = c * fh * fw * n * h2 * w2
    if out is None or out.size != size or out.dtype != dtype:
        out = np.empty(size, dtype=dtype)
    cols = out.reshape(c, fh, fw, n, h2, w2)
    for i, j, (rows, columns) in window_slices(h2, w2, kernel, stride):
        cols[:, i, j] = xp[:, :, rows, columns]  # (C, N, H2, W2), one block copy
    return cols.reshape(c * fh * fw, n * h2 * w2)


def col2im(
    cols: np.ndarray,
    x_shape: tuple[int, int, int, int],
    kernel: tuple[int, int],
    stride: tuple[int, int] = (1, 1),
    padding: tuple[int, int] = (0, 0),
) -> np.ndarray:
    """The adjoint of :func:`im2col`: add every column back onto its window.

    Parameters
    ----------
    cols : ndarray, shape (C*FH*FW, N*H2*W2)
        Gradients with respect to the columns.
    x_shape : (N, C, H, W)
        Shape of the input that :func:`im2col` was given.

    Returns
    -------
    ndarray, shape (N, C, H, W)
        Where windows overlap their contributions add up; padding is cut off. The
        memory is ordered ``(C, N, H, W)``.
    """
    n, c, h, w = x_shape
    (fh, fw), (sh, sw), (ph, pw) = kernel, stride, padding
    h2, w2 = conv_output_size(h, fh, ph, sh), conv_output_size(w, fw, pw, sw)
    cols = cols.reshape(c, fh, fw, n, h2, w2)
    dxp = np.zeros((c, n, h + 2 * ph, w + 2 * pw), dtype=cols.dtype)
    for i, j, (rows, columns) in window_slices(h2, w2, kernel, stride):
        dxp[:, :, rows, columns] += cols[:, i, j]  # (C, N, H2, W2) onto its window
    return dxp[:, :, ph : ph + h, pw : pw + w].transpose(1, 0, 2, 3)  # (N, C, H, W)
