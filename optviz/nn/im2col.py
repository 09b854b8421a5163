r"""Sliding windows as one matrix: the im2col trick behind a fast convolution.

A convolution is a dot product of every kernel with every window of the input. Copying
each window into one column of a matrix ("im2col") turns all of them into a single
matrix product. The copy is done kernel offset by kernel offset: for a 3x3 kernel, nine
strided slices of the (padded) input, each moved as one block, so there is no Python
loop over pixels. :func:`col2im` sends gradients back the same way (nine slice-adds).

Layout. Arrays are *shaped* ``(N, C, H, W)`` as in the notes (and PyTorch), but inside
the network their *memory* is ordered ``(C, H, W, N)``, the batch innermost: the matrix
product produces one row per output channel, and keeping that order saves a transpose
per layer; and every strided slice of a small image (8x8 digits pooled to 4x4) then
moves runs of a whole batch at a time, not 4 pixels at a time. NumPy's element-wise
operations keep whatever memory order they are given, so a ReLU or pooling layer
stays copy-free. Nothing outside the layers needs to care: the shapes are the usual
ones.

The output size is the notes' formula :math:`H_2 = (H_1 - F_H + 2P)/S + 1`
(:func:`conv_output_size`).
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

__all__ = [
    "conv_output_size",
    "fitting_sizes",
    "zeros_chwn",
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
            yield (
                i,
                j,
                (slice(i, i + sh * (h2 - 1) + 1, sh), slice(j, j + sw * (w2 - 1) + 1, sw)),
            )


def zeros_chwn(shape: tuple[int, int, int, int], dtype) -> np.ndarray:
    """Zeros shaped ``(N, C, H, W)`` whose memory is ordered ``(C, H, W, N)``."""
    n, c, h, w = shape
    return np.zeros((c, h, w, n), dtype=dtype).transpose(3, 0, 1, 2)


def _padded(x: np.ndarray, padding: tuple[int, int], dtype) -> np.ndarray:
    """``(N, C, H, W)`` -> ``(C, H+2P, W+2P, N)``, zeros around; no copy when there is
    no padding and ``x`` is already in that memory order and dtype."""
    ph, pw = padding
    xt = x.transpose(1, 2, 3, 0)  # (C, H, W, N), a view
    if not (ph or pw) and xt.dtype == dtype and xt.flags.c_contiguous:
        return xt
    c, h, w, n = xt.shape
    xp = np.zeros((c, h + 2 * ph, w + 2 * pw, n), dtype=dtype)
    xp[:, ph : ph + h, pw : pw + w] = xt
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
    ndarray, shape (C*FH*FW, H2*W2*N)
        Row ``(c, i, j)`` holds input channel ``c`` at kernel offset ``(i, j)``, column
        ``(h, w, n)`` the window at output position ``(h, w)`` of image ``n``: rows in
        the order of ``weight.reshape(F, C*FH*FW)``.
    """
    n, c, h, w = x.shape
    (fh, fw), (sh, sw), (ph, pw) = kernel, stride, padding
    h2, w2 = conv_output_size(h, fh, ph, sh), conv_output_size(w, fw, pw, sw)
    dtype = x.dtype if dtype is None else np.dtype(dtype)
    xp = _padded(x, padding, dtype)  # (C, H+2P, W+2P, N)
    size = c * fh * fw * h2 * w2 * n
    if out is None or out.size != size or out.dtype != dtype:
        out = np.empty(size, dtype=dtype)
    cols = out.reshape(c, fh, fw, h2, w2, n)
    for i, j, (rows, columns) in window_slices(h2, w2, kernel, stride):
        cols[:, i, j] = xp[:, rows, columns]  # (C, H2, W2, N), one block copy
    return cols.reshape(c * fh * fw, h2 * w2 * n)


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
    cols : ndarray, shape (C*FH*FW, H2*W2*N)
        Gradients with respect to the columns.
    x_shape : (N, C, H, W)
        Shape of the input that :func:`im2col` was given.

    Returns
    -------
    ndarray, shape (N, C, H, W)
        Where windows overlap their contributions add up; padding is cut off. The
        memory is ordered ``(C, H, W, N)``.
    """
    n, c, h, w = x_shape
    (fh, fw), (sh, sw), (ph, pw) = kernel, stride, padding
    h2, w2 = conv_output_size(h, fh, ph, sh), conv_output_size(w, fw, pw, sw)
    cols = cols.reshape(c, fh, fw, h2, w2, n)
    dxp = np.zeros((c, h + 2 * ph, w + 2 * pw, n), dtype=cols.dtype)
    for i, j, (rows, columns) in window_slices(h2, w2, kernel, stride):
        dxp[:, rows, columns] += cols[:, i, j]  # (C, H2, W2, N) onto its window
    return dxp[:, ph : ph + h, pw : pw + w].transpose(3, 0, 1, 2)  # (N, C, H, W)
