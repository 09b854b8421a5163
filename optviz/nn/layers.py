r"""The layers of a small CNN, as the notes lay it out: convolution, pooling, dense.

Every layer has ``forward(x)`` and ``backward(grad)``: ``forward`` keeps what the
gradient needs, ``backward`` takes :math:`\partial L/\partial\,\text{out}` and returns
:math:`\partial L/\partial x`, writing the parameters' gradients into the layer's own
``grad_*`` arrays. ``parameters()`` and ``gradients()`` list those arrays in the same
order, so ``opt.step(model.parameters(), model.gradients())`` updates the layer in place
with any optimizer of :mod:`optviz.optimizers`.

Images are shaped ``(N, C, H, W)``: batch, channels, height, width.

The weighted layers' base and initialisation are in :mod:`optviz.nn.base`, convolution
and pooling in :mod:`optviz.nn.conv`; this module holds :class:`Flatten`,
:class:`Dense` and :class:`Sequential`, and gives every layer its usual address
(``optviz.nn.layers.Conv2D``).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from .base import FLOAT_DTYPES, INITS, Layer, WeightLayer
from .conv import AvgPool2D, Conv2D, MaxPool2D
from .im2col import pair
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


class Dense(WeightLayer):
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
