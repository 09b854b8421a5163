r"""The layers of a small CNN, as the notes lay it out: convolution, pooling, dense.

Every layer has ``forward(x)`` and ``backward(grad)``: ``forward`` keeps what the
gradient needs, ``backward`` takes :math:`\partial L/\partial\,\text{out}` and returns
:math:`\partial L/\partial x`, writing the parameters' gradients into the layer's own
``grad_*`` arrays. ``parameters()`` and ``gradients()`` list those arrays in the same
order, so ``opt.step(model.parameters(), model.gradients())`` updates the layer in place
with any optimizer of :mod:`optviz.optimizers`.

Images are shaped ``(N, C, H, W)``: batch, channels, height, width.

Initialisation draws from a :class:`numpy.random.Generator` (``rng``, a seed or a
Generator): He (:math:`\mathcal N(0, 2/\text{fan}_\text{in})`, for layers followed by a
ReLU) or Xavier/Glorot (:math:`\mathcal U(\pm\sqrt{6/(\text{fan}_\text{in} +
\text{fan}_\text{out})})`). Weights are drawn in float64 and then cast, so a float32
network starts from the float64 one's weights, rounded. Biases start at 0.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from .im2col import (
    col2im,
    conv_output_size,
    fitting_sizes,
    im2col,
    pair,
    window_slices,
    zeros_chwn,
)
from .threads import blas_threads, matmul

__all__ = [
    "Layer",
    "Conv2D",
    "MaxPool2D",
    "AvgPool2D",
    "Flatten",
    "Dense",
    "Sequential",
    "INITS",
    "FLOAT_DTYPES",
]

#: Initialisation schemes by name.
INITS = ("he", "xavier")
#: The float types a network may compute in.
FLOAT_DTYPES = (np.float32, np.float64)


def float_dtype(dtype: DTypeLike) -> np.dtype:
    """``dtype`` as a NumPy dtype, checked to be float32 or float64."""
    dt = np.dtype(dtype)
    if dt not in [np.dtype(d) for d in FLOAT_DTYPES]:
        raise ValueError(f"dtype must be float32 or float64, got {dt}")
    return dt


def _fit(layer, x_shape, axis_name: str, size: int, k: int, p: int, s: int) -> int:
    """conv_output_size with the layer and the shape in the error message."""
    try:
        return conv_output_size(size, k, p, s)
    except ValueError as exc:
        raise ValueError(
            f"{layer!r}: input of shape {tuple(x_shape)} does not fit: {exc}; "
            f"{axis_name}s that fit near {size}: {fitting_sizes(size, k, p, s)}"
        ) from None


class Layer:
    """Base class: a layer without parameters unless a subclass adds them."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """:math:`\\partial L/\\partial x` from :math:`\\partial L/\\partial\\,out`;
        ``input_grad=False`` skips it (the first layer's input needs none)."""
        raise NotImplementedError

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def parameters(self) -> list[np.ndarray]:
        """The layer's own parameter arrays (updated in place by an optimizer)."""
        return []

    def gradients(self) -> list[np.ndarray]:
        """The gradient arrays, in the order of :meth:`parameters`."""
        return []

    def parameter_names(self) -> list[str]:
        return []

    def reset_parameters(self, rng=None) -> None:
        """Draw fresh initial parameters from ``rng`` (a seed or a Generator)."""

    def astype(self, dtype: DTypeLike) -> Layer:
        """Cast the parameters (and their gradients) to ``dtype``; returns ``self``."""
        return self

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class _WeightLayer(Layer):
    """A layer with ``weight`` and ``bias`` and their gradients."""

    _names = ("weight", "bias")

    def __init__(self, weight_shape, bias_shape, fan_in, fan_out, init, rng, dtype):
        if init not in INITS:
            raise ValueError(f"init must be one of {', '.join(INITS)}, got {init!r}")
        self.init = init
        self.fan_in, self.fan_out = fan_in, fan_out
        dtype = float_dtype(dtype)
        self.weight = np.zeros(weight_shape, dtype=dtype)
        self.bias = np.zeros(bias_shape, dtype=dtype)
        self.grad_weight = np.zeros_like(self.weight)
        self.grad_bias = np.zeros_like(self.bias)
        self.reset_parameters(rng)

    @property
    def dtype(self) -> np.dtype:
        return self.weight.dtype

    def reset_parameters(self, rng=None) -> None:
        rng = np.random.default_rng(rng)
        shape = self.weight.shape
        if self.init == "he":
            w = rng.standard_normal(shape) * np.sqrt(2.0 / self.fan_in)
        else:
            limit = np.sqrt(6.0 / (self.fan_in + self.fan_out))
            w = rng.uniform(-limit, limit, size=shape)
        self.weight[...] = w  # in place: an optimizer may hold these arrays
        self.bias[...] = 0

    def parameters(self) -> list[np.ndarray]:
        return [self.weight, self.bias]

    def gradients(self) -> list[np.ndarray]:
        return [self.grad_weight, self.grad_bias]

    def parameter_names(self) -> list[str]:
        return list(self._names)

    def astype(self, dtype: DTypeLike) -> Layer:
        dtype = float_dtype(dtype)
        for name in ("weight", "bias", "grad_weight", "grad_bias"):
            setattr(self, name, getattr(self, name).astype(dtype))
        return self


class Conv2D(_WeightLayer):
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


class Flatten(Layer):
    """``(N, C, H, W)`` -> ``(N, C*H*W)``, in the order of ``torch.nn.Flatten``.

    Examples
    --------
    >>> Flatten().forward(np.zeros((2, 3, 4, 4))).shape
    (2, 48)
    """

    def __init__(self) -> None:
        self._x_shape: tuple | None = None

    def forward(self, x: ArrayLike) -> np.ndarray:
        x = np.asarray(x)
        if x.ndim < 2:
            raise ValueError(f"Flatten(): expects a batch (N, ...), got shape {x.shape}")
        self._x_shape = x.shape
        return x.reshape(x.shape[0], -1)  # (N, C, H, W) -> (N, C*H*W)

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        if self._x_shape is None:
            raise ValueError("Flatten(): backward() needs a forward() first")
        return grad.reshape(self._x_shape)  # (N, C*H*W) -> (N, C, H, W)


class Dense(_WeightLayer):
    r"""Fully connected layer: :math:`y = x W^\top + b`.

    Parameters
    ----------
    in_features, out_features : int
    init : {"he", "xavier"}
        "he" before a ReLU, "xavier" for the last layer (the logits) or tanh/sigmoid.
    rng : int, Generator or None
    dtype : float32 or float64

    Notes
    -----
    ``weight`` has shape ``(out_features, in_features)``, as ``torch.nn.Linear``.
    Gradients: :math:`\partial L/\partial W = g^\top x`,
    :math:`\partial L/\partial b = \sum_n g_n`, :math:`\partial L/\partial x = g W`.

    Examples
    --------
    >>> Dense(3, 2, rng=0).forward(np.ones((5, 3))).shape
    (5, 2)
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        *,
        init: str = "he",
        rng=None,
        dtype: DTypeLike = np.float32,
    ) -> None:
        self.in_features = pair("in_features", in_features, low=1)[0]
        self.out_features = pair("out_features", out_features, low=1)[0]
        i, o = self.in_features, self.out_features
        super().__init__((o, i), (o,), i, o, init, rng, dtype)
        self._x: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"Dense({self.in_features}, {self.out_features})"

    def output_shape(self, input_shape: Sequence[int]) -> tuple[int, ...]:
        shape = tuple(input_shape)
        if len(shape) != 2 or shape[1] != self.in_features:
            raise ValueError(
                f"{self!r}: expects input of shape (N, {self.in_features}), got {shape}"
            )
        return (shape[0], self.out_features)

    def forward(self, x: ArrayLike) -> np.ndarray:
        x = np.asarray(x, dtype=self.dtype)
        self.output_shape(x.shape)
        self._x = x
        out = matmul(x, self.weight.T)  # (N, in) @ (in, out) -> (N, out)
        out += self.bias
        return out

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        if self._x is None:
            raise ValueError(f"{self!r}: backward() needs a forward() first")
        matmul(grad.T, self._x, out=self.grad_weight)  # (out, N) @ (N, in)
        np.sum(grad, axis=0, out=self.grad_bias)
        if not input_grad:
            return None
        return matmul(grad, self.weight)  # (N, out) @ (out, in) -> (N, in)


class Sequential(Layer):
    """Layers applied one after another; the whole network as one layer.

    Parameters
    ----------
    *layers : Layer
    seed : int, Generator or None
        When given, every layer's parameters are drawn afresh from one generator made
        from it, layer by layer (the same seed gives the same network).
    dtype : float32, float64 or None
        When given, every layer is cast to it.

    Notes
    -----
    ``parameters()`` and ``gradients()`` are the layers' own arrays, in the same order
    (layer by layer, ``weight`` before ``bias``), so

    >>> from optviz.optimizers import Adam
    >>> from optviz.nn import ReLU
    >>> net = Sequential(Dense(4, 8), ReLU(), Dense(8, 2), seed=0)
    >>> opt = Adam(lr=1e-3)
    >>> out = net.forward(np.ones((3, 4)))
    >>> _ = net.backward(np.ones_like(out))
    >>> _ = opt.step(net.parameters(), net.gradients())  # updates net in place

    ``get_flat()`` / ``set_flat(vec)`` read and write all parameters as one vector
    (for loss-landscape planes and snapshots).
    """

    def __init__(self, *layers: Layer, seed=None, dtype: DTypeLike | None = None) -> None:
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise ValueError(f"layer {i} is not a Layer: {layer!r}")
        self.layers = list(layers)
        if dtype is not None:
            self.astype(dtype)
        if seed is not None:
            self.reset_parameters(seed)

    def __repr__(self) -> str:
        inner = ",\n".join(f"  {layer!r}" for layer in self.layers)
        return f"Sequential(\n{inner}\n)"

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, i: int) -> Layer:
        return self.layers[i]

    @property
    def dtype(self) -> np.dtype | None:
        """The dtype of the parameters (None for a network without any)."""
        params = self.parameters()
        return params[0].dtype if params else None

    def forward(self, x: ArrayLike) -> np.ndarray:
        dtype = self.dtype
        x = np.asarray(x, dtype=dtype) if dtype is not None else np.asarray(x)
        with blas_threads():  # each product on the threads its size warrants
            for layer in self.layers:
                x = layer.forward(x)
        return x

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Back-propagate ``grad`` (dL/d output) through every layer; returns dL/dx,
        or None with ``input_grad=False`` (then the layers before the first one with
        parameters are skipped and that one computes only its parameters' gradients)."""
        first = 0
        if not input_grad:
            with_params = [i for i, layer in enumerate(self.layers) if layer.parameters()]
            if not with_params:
                return None
            first = with_params[0]
        with blas_threads():
            for i in range(len(self.layers) - 1, first - 1, -1):
                need = input_grad or i > first
                grad = self.layers[i].backward(grad, input_grad=need)
        return grad

    def output_shape(self, input_shape: Sequence[int]) -> tuple[int, ...]:
        """The output shape for an input shape, or the first layer's ValueError."""
        shape = tuple(input_shape)
        for layer in self.layers:
            if hasattr(layer, "output_shape"):
                shape = layer.output_shape(shape)
            elif isinstance(layer, Flatten):
                shape = (shape[0], int(np.prod(shape[1:])))
        return shape

    def parameters(self) -> list[np.ndarray]:
        return [p for layer in self.layers for p in layer.parameters()]

    def gradients(self) -> list[np.ndarray]:
        return [g for layer in self.layers for g in layer.gradients()]

    def parameter_names(self) -> list[str]:
        """``"<layer index>.<name>"`` for each parameter, e.g. ``"0.weight"``."""
        return [
            f"{i}.{name}"
            for i, layer in enumerate(self.layers)
            for name in layer.parameter_names()
        ]

    def reset_parameters(self, rng=None) -> None:
        rng = np.random.default_rng(rng)
        for layer in self.layers:
            layer.reset_parameters(rng)

    def astype(self, dtype: DTypeLike) -> Sequential:
        for layer in self.layers:
            layer.astype(dtype)
        return self

    @property
    def size(self) -> int:
        """Number of scalar parameters."""
        return sum(p.size for p in self.parameters())

    def get_flat(self) -> np.ndarray:
        """All parameters as one new 1-D vector, in the order of :meth:`parameters`."""
        params = self.parameters()
        if not params:
            return np.zeros(0)
        return np.concatenate([p.ravel() for p in params])

    def set_flat(self, vec: ArrayLike) -> None:
        """Write a vector from :meth:`get_flat` back into the parameters, in place."""
        vec = np.asarray(vec)
        if vec.ndim != 1 or vec.size != self.size:
            raise ValueError(
                f"set_flat needs a 1-D vector of {self.size} parameters, got shape "
                f"{vec.shape}"
            )
        if not np.all(np.isfinite(vec)):
            raise ValueError("set_flat needs finite values")
        offset = 0
        for p in self.parameters():
            p[...] = vec[offset : offset + p.size].reshape(p.shape)
            offset += p.size
