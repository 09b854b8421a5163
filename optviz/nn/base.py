"""What every layer shares: the :class:`Layer` interface, the weighted layer's
parameters and initialisation, the float types a network computes in.

Initialisation draws from a :class:`numpy.random.Generator` (``rng``, a seed or a
Generator): He (:math:`\\mathcal N(0, 2/\text{fan}_\text{in})`, for layers followed by a
ReLU) or Xavier/Glorot (:math:`\\mathcal U(\\pm\\sqrt{6/(\text{fan}_\text{in} +
\text{fan}_\text{out})})`). Weights are drawn in float64 and then cast, so a float32
network starts from the float64 one's weights, rounded. Biases start at 0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import DTypeLike

__all__ = ["Layer", "WeightLayer", "float_dtype", "INITS", "FLOAT_DTYPES"]

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


class WeightLayer(Layer):
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
