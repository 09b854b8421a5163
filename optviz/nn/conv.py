"""Convolution and pooling: the layers that slide a window over an image
(``(N, C, H, W)``), computed with im2col (:mod:`optviz.nn.im2col`)."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from .base import Layer, WeightLayer
from .im2col import (
    col2im,
    conv_output_size,
    fitting_sizes,
    im2col,
    pair,
    window_slices,
    zeros_chwn,
)
from .threads import matmul

__all__ = ["Conv2D", "MaxPool2D", "AvgPool2D"]


def _fit(layer, x_shape, axis_name: str, size: int, k: int, p: int, s: int) -> int:
    """conv_output_size with the layer and the shape in the error message."""
    try:
        return conv_output_size(size, k, p, s)
    except ValueError as exc:
        raise ValueError(
            f"{layer!r}: input of shape {tuple(x_shape)} does not fit: {exc}; "
            f"{axis_name}s that fit near {size}: {fitting_sizes(size, k, p, s)}"
        ) from None


class Conv2D(WeightLayer):
    r"""2-D convolution: every kernel sees every input channel through its own weights.

    .. math::
        y_{n,f,h,w} = b_f + \sum_{c}\sum_{i,j} W_{f,c,i,j}\;
        x_{n,\,c,\;S h + i - P,\;S w + j - P}

    As the notes say: each of the ``out_channels`` kernels has one weight matrix per
    input channel and a single bias; its output at a window is the sum over channels of
    the inner products plus the bias (``y = wx + b``), one feature map per kernel.
    Computed by im2col (:mod:`optviz.nn.im2col`): all windows become the columns of a
    matrix, and the whole layer is one matrix product.

    Parameters
    ----------
    in_channels, out_channels : int
        :math:`C` and the number of kernels :math:`F`.
    kernel_size, stride, padding : int or (int, int)
        :math:`F_H \times F_W`, :math:`S`, zero padding :math:`P`.
    init : {"he", "xavier"}
        Weight initialisation (fan in :math:`C F_H F_W`, fan out :math:`F F_H F_W`).
    rng : int, Generator or None
        Seed or generator for the initial weights.
    dtype : float32 or float64

    Notes
    -----
    Output size :math:`H_2 = (H_1 - F_H + 2P)/S + 1` (:func:`conv_output_size`); an
    input where that is not a whole number is refused with a ``ValueError``.
    ``weight`` has shape ``(F, C, FH, FW)``, ``bias`` ``(F,)``, as ``torch.nn.Conv2d``.

    Examples
    --------
    >>> conv = Conv2D(1, 4, kernel_size=3, padding=1, rng=0)
    >>> conv.forward(np.zeros((2, 1, 8, 8))).shape
    (2, 4, 8, 8)
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding=0,
        *,
        init: str = "he",
        rng=None,
        dtype: DTypeLike = np.float32,
    ) -> None:
        self.in_channels = pair("in_channels", in_channels, low=1)[0]
        self.out_channels = pair("out_channels", out_channels, low=1)[0]
        self.kernel_size = pair("kernel_size", kernel_size, low=1)
        self.stride = pair("stride", stride, low=1)
        self.padding = pair("padding", padding, low=0)
        fh, fw = self.kernel_size
        c, f = self.in_channels, self.out_channels
        super().__init__((f, c, fh, fw), (f,), c * fh * fw, f * fh * fw, init, rng, dtype)
        self._cols: np.ndarray | None = None  # the last forward's columns (reused buffer)
        self._x_shape: tuple | None = None

    def __repr__(self) -> str:
        extra = "".join(
            f", {k}={v[0] if v[0] == v[1] else v}"
            for k, v, default in (("stride", self.stride, 1), ("padding", self.padding, 0))
            if v != (default, default)
        )
        k = self.kernel_size
        return (
            f"Conv2D({self.in_channels}, {self.out_channels}, "
            f"kernel_size={k[0] if k[0] == k[1] else k}{extra})"
        )

    def output_shape(self, input_shape: Sequence[int]) -> tuple[int, ...]:
        """``(N, C, H, W)`` -> ``(N, F, H2, W2)``, or ValueError saying why it can't."""
        shape = tuple(input_shape)
        if len(shape) != 4:
            raise ValueError(
                f"{self!r}: expects a 4-D input (N, C, H, W), got shape {shape}"
            )
        n, c, h, w = shape
        if c != self.in_channels:
            raise ValueError(
                f"{self!r}: input of shape {shape} has {c} channels; this layer takes "
                f"{self.in_channels} (shape (N, {self.in_channels}, H, W))"
            )
        (fh, fw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        h2 = _fit(self, shape, "height", h, fh, ph, sh)
        w2 = _fit(self, shape, "width", w, fw, pw, sw)
        return (n, self.out_channels, h2, w2)

    def forward(self, x: ArrayLike) -> np.ndarray:
        x = np.asarray(x)
        n, f, h2, w2 = self.output_shape(x.shape)
        cols = im2col(
            x, self.kernel_size, self.stride, self.padding, dtype=self.dtype, out=self._cols
        )  # (N, C, H, W) -> (C*FH*FW, H2*W2*N)
        self._cols, self._x_shape = cols, x.shape
        # (F, C*FH*FW) @ (C*FH*FW, H2*W2*N)
        out = matmul(self.weight.reshape(f, -1), cols)
        out += self.bias[:, None]
        # (F, H2*W2*N) -> (N, F, H2, W2), a view: the memory stays (F, H2, W2, N)
        return out.reshape(f, h2, w2, n).transpose(3, 0, 1, 2)

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        if self._cols is None:
            raise ValueError(f"{self!r}: backward() needs a forward() first")
        f = self.out_channels
        # (N, F, H2, W2) -> (F, H2*W2*N); free when grad's memory is (F, H2, W2, N)
        dy = grad.transpose(1, 2, 3, 0).reshape(f, -1)
        matmul(dy, self._cols.T, out=self.grad_weight.reshape(f, -1))  # dL/dW
        np.sum(dy, axis=1, out=self.grad_bias)  # dL/db
        if not input_grad:
            return None
        dcols = matmul(self.weight.reshape(f, -1).T, dy)  # (C*FH*FW, H2*W2*N)
        return col2im(dcols, self._x_shape, self.kernel_size, self.stride, self.padding)


class _Pool2D(Layer):
    """Shared by the pools: window size, stride, output shape, the window offsets."""

    def __init__(self, kernel_size, stride=None) -> None:
        self.kernel_size = pair("kernel_size", kernel_size, low=1)
        self.stride = pair("stride", kernel_size if stride is None else stride, low=1)
        self._x_shape: tuple | None = None
        self._x: np.ndarray | None = None

    def __repr__(self) -> str:
        k, s = self.kernel_size, self.stride
        ks = k[0] if k[0] == k[1] else k
        extra = "" if s == k else f", stride={s[0] if s[0] == s[1] else s}"
        return f"{type(self).__name__}({ks}{extra})"

    @property
    def _tiles(self) -> bool:
        """Windows do not overlap: each input is in at most one of them."""
        return all(s >= k for s, k in zip(self.stride, self.kernel_size))

    def output_shape(self, input_shape: Sequence[int]) -> tuple[int, ...]:
        """``(N, C, H, W)`` -> ``(N, C, H2, W2)`` with P = 0, or a ValueError."""
        shape = tuple(input_shape)
        if len(shape) != 4:
            raise ValueError(
                f"{self!r}: expects a 4-D input (N, C, H, W), got shape {shape}"
            )
        n, c, h, w = shape
        (fh, fw), (sh, sw) = self.kernel_size, self.stride
        h2 = _fit(self, shape, "height", h, fh, 0, sh)
        w2 = _fit(self, shape, "width", w, fw, 0, sw)
        return (n, c, h2, w2)

    def _windows(self, h2, w2):
        return window_slices(h2, w2, self.kernel_size, self.stride)


class MaxPool2D(_Pool2D):
    r"""Max pooling: each window keeps only its largest value.

    .. math:: y_{n,c,h,w} = \max_{i,j}\; x_{n,c,\;S h+i,\;S w+j}

    The gradient flows only to the position that held the maximum (the first one, on a
    tie, as a loop over the window would pick). ``stride`` defaults to the window size.
    Whether max or average pooling is better depends on the network (the notes'
    "average pooling is clearly weaker" overstates it).

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> MaxPool2D(2).forward(x)[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """

    def forward(self, x: ArrayLike) -> np.ndarray:
        x = np.asarray(x)
        _, _, h2, w2 = self.output_shape(x.shape)
        out = None
        for _, _, (rows, cols) in self._windows(h2, w2):
            v = x[:, :, rows, cols]  # this kernel offset in every window
            # (N, C, H, W) -> (N, C, H2, W2): the running maximum over the offsets
            out = v.copy(order="K") if out is None else np.maximum(out, v, out=out)
        self._x, self._out = x, out
        return out

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        if self._x is None:
            raise ValueError(f"{self!r}: backward() needs a forward() first")
        x, out = self._x, self._out
        _, _, h2, w2 = out.shape
        dx = zeros_chwn(x.shape, np.result_type(grad.dtype, x.dtype))
        taken = None  # windows whose maximum has already received the gradient
        for _, _, (rows, cols) in self._windows(h2, w2):
            hit = x[:, :, rows, cols] == out
            if taken is None:
                taken = hit
            else:
                hit = np.greater(hit, taken)  # hit and not taken: the first max wins
                taken |= hit
            if self._tiles:  # each input sits in one window: write, don't add
                np.multiply(grad, hit, out=dx[:, :, rows, cols])
            else:
                dx[:, :, rows, cols] += grad * hit
        return dx


class AvgPool2D(_Pool2D):
    r"""Average pooling: each window is replaced by its mean.

    .. math:: y_{n,c,h,w} = \frac{1}{F_H F_W}\sum_{i,j} x_{n,c,\;S h+i,\;S w+j}

    Every input of a window receives :math:`1/(F_H F_W)` of that window's gradient.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> AvgPool2D(2).forward(x)[0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """

    def forward(self, x: ArrayLike) -> np.ndarray:
        x = np.asarray(x)
        _, _, h2, w2 = self.output_shape(x.shape)
        windows = self._windows(h2, w2)
        _, _, first = next(windows)
        out = x[:, :, first[0], first[1]].astype(
            np.result_type(x.dtype, np.float32), order="K"
        )
        for _, _, (rows, cols) in windows:
            out += x[:, :, rows, cols]
        out *= 1.0 / (self.kernel_size[0] * self.kernel_size[1])
        self._x_shape = x.shape
        return out

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        if self._x_shape is None:
            raise ValueError(f"{self!r}: backward() needs a forward() first")
        _, _, h2, w2 = self.output_shape(self._x_shape)
        share = grad * (1.0 / (self.kernel_size[0] * self.kernel_size[1]))
        dx = zeros_chwn(self._x_shape, share.dtype)
        for _, _, (rows, cols) in self._windows(h2, w2):
            if self._tiles:
                dx[:, :, rows, cols] = share
            else:
                dx[:, :, rows, cols] += share
        return dx
