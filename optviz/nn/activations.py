r"""Non-linear activations, as the notes list them, with their derivatives.

Without a non-linearity any stack of layers is one linear map. The notes weigh each
function by two properties: *saturation* (the derivative goes to 0 for large
:math:`|x|`, so gradients vanish) and a *zero-centred* output (otherwise the gradients of
a layer's weights all share one sign).

=========  =======================================  ===============================
layer      :math:`f(x)`                             :math:`f'(x)`
=========  =======================================  ===============================
ReLU       :math:`\max(0, x)`                       1 for x > 0, else 0
LeakyReLU  x for x > 0, else :math:`a x`, a fixed   1 or a
PReLU      x for x > 0, else :math:`a x`, a learnt  1 or a (and x for ``a``, x <= 0)
Sigmoid    :math:`1/(1 + e^{-x})`                   :math:`f (1 - f)`
Tanh       :math:`(e^x - e^{-x})/(e^x + e^{-x})`    :math:`1 - f^2`
Softmax    :math:`e^{z_i} / \sum_j e^{z_j}`         :math:`p_i(\delta_{ij} - p_j)`
=========  =======================================  ===============================

Every activation works on any shape and keeps the input's dtype and memory order.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from .base import Layer, float_dtype

__all__ = ["ReLU", "LeakyReLU", "PReLU", "Sigmoid", "Tanh", "Softmax", "softmax"]


def _needs_forward(layer, cache) -> None:
    if cache is None:
        raise ValueError(f"{layer!r}: backward() needs a forward() first")


class ReLU(Layer):
    r"""Rectified linear unit :math:`f(x) = \max(0, x)`.

    Not saturating for x > 0 (gradient 1), cheap; but not zero-centred, and a unit
    whose input stays negative gets no gradient at all (a "dead neuron").

    Examples
    --------
    >>> ReLU().forward(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """

    def __init__(self) -> None:
        self._out: np.ndarray | None = None

    def forward(self, x: ArrayLike) -> np.ndarray:
        self._out = np.maximum(x, 0)
        return self._out

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        _needs_forward(self, self._out)
        return grad * (self._out > 0)  # f'(x) = 1 for x > 0, else 0


class LeakyReLU(Layer):
    r"""Leaky ReLU: :math:`f(x) = x` for x > 0, :math:`a x` otherwise, ``a`` fixed.

    The small slope keeps negative inputs learning (fewer dead neurons); ``a`` is a
    hyper-parameter, not learned.

    Parameters
    ----------
    a : float
        Slope for x <= 0 (default 0.01).
    """

    def __init__(self, a: float = 0.01) -> None:
        a = float(a)
        if not np.isfinite(a) or a < 0:
            raise ValueError(f"a must be a finite number >= 0, got {a}")
        self.a = a
        self._x: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"LeakyReLU(a={self.a:g})"

    def forward(self, x: ArrayLike) -> np.ndarray:
        self._x = x = np.asarray(x)
        return np.where(x > 0, x, self.a * x)

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        _needs_forward(self, self._x)
        return np.where(self._x > 0, grad, self.a * grad)


class PReLU(Layer):
    r"""Parametric ReLU: :math:`f(x) = x` for x > 0, :math:`a x` otherwise, ``a``
    learned.

    .. math:: \frac{\partial L}{\partial a} = \sum_{x \le 0} g\, x

    (The notes' "Prarametic ReLU".) One ``a`` for the whole layer, or one per channel
    (axis 1) with ``num_parameters = C``, as ``torch.nn.PReLU``.

    Parameters
    ----------
    num_parameters : int
        1, or the number of channels.
    init : float
        Initial ``a`` (default 0.25).
    dtype : float32 or float64
    """

    def __init__(
        self, num_parameters: int = 1, init: float = 0.25, *, dtype: DTypeLike = np.float32
    ) -> None:
        if isinstance(num_parameters, bool) or not isinstance(num_parameters, int):
            raise ValueError(
                f"num_parameters must be a whole number, got {num_parameters!r}"
            )
        if num_parameters < 1:
            raise ValueError(f"num_parameters must be >= 1, got {num_parameters}")
        self.init = float(init)
        self.a = np.full(num_parameters, self.init, dtype=float_dtype(dtype))
        self.grad_a = np.zeros_like(self.a)
        self._x: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"PReLU(num_parameters={self.a.size})"

    def _slope(self, x: np.ndarray) -> np.ndarray:
        if self.a.size == 1:
            return self.a
        if x.ndim < 2 or x.shape[1] != self.a.size:
            raise ValueError(
                f"{self!r}: expects {self.a.size} channels on axis 1, got shape {x.shape}"
            )
        return self.a.reshape(1, -1, *([1] * (x.ndim - 2)))  # broadcast over N, H, W

    def forward(self, x: ArrayLike) -> np.ndarray:
        self._x = x = np.asarray(x)
        return np.where(x > 0, x, self._slope(x) * x)

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        _needs_forward(self, self._x)
        x = self._x
        negative = x <= 0
        axes = tuple(i for i in range(x.ndim) if not (self.a.size > 1 and i == 1))
        self.grad_a[...] = np.sum(grad * x * negative, axis=axes).reshape(self.a.shape)
        if not input_grad:
            return None
        return np.where(negative, self._slope(x) * grad, grad)

    def parameters(self) -> list[np.ndarray]:
        return [self.a]

    def gradients(self) -> list[np.ndarray]:
        return [self.grad_a]

    def parameter_names(self) -> list[str]:
        return ["a"]

    def reset_parameters(self, rng=None) -> None:
        self.a[...] = self.init

    def astype(self, dtype: DTypeLike) -> PReLU:
        dtype = float_dtype(dtype)
        self.a, self.grad_a = self.a.astype(dtype), self.grad_a.astype(dtype)
        return self


class Sigmoid(Layer):
    r"""Logistic sigmoid :math:`f(x) = 1/(1 + e^{-x})`, output in (0, 1).

    Reads as a probability; but it saturates (:math:`f' \le 1/4`, and
    :math:`\to 0` for large :math:`|x|`) and is not zero-centred. Computed without
    overflow for any x.

    Examples
    --------
    >>> Sigmoid().forward(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """

    def __init__(self) -> None:
        self._out: np.ndarray | None = None

    def forward(self, x: ArrayLike) -> np.ndarray:
        x = np.asarray(x)
        z = np.exp(-np.abs(x))  # never overflows
        self._out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
        return self._out

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        _needs_forward(self, self._out)
        f = self._out
        return grad * f * (1 - f)  # f' = f (1 - f)


class Tanh(Layer):
    r"""Hyperbolic tangent :math:`f(x) = (e^x - e^{-x})/(e^x + e^{-x})`.

    Zero-centred, but still saturating for large :math:`|x|`.
    """

    def __init__(self) -> None:
        self._out: np.ndarray | None = None

    def forward(self, x: ArrayLike) -> np.ndarray:
        self._out = np.tanh(x)
        return self._out

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        _needs_forward(self, self._out)
        return grad * (1 - self._out * self._out)  # f' = 1 - f^2


def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""Softmax :math:`p_i = e^{z_i}/\sum_j e^{z_j}` along ``axis``, stable for any z.

    Subtracting :math:`\max_j z_j` first changes nothing mathematically and keeps
    every exponent <= 0, so logits of 1e4 do not overflow.

    >>> softmax(np.array([1e4, 1e4]))
    array([0.5, 0.5])
    """
    z = np.asarray(z)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


class Softmax(Layer):
    r"""Softmax over the class axis: scores -> probabilities.

    .. math::
        p_i = \frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}, \qquad
        \frac{\partial L}{\partial z_i} = p_i\Big(g_i - \sum_j g_j p_j\Big)

    For training, feed the scores (logits) straight to
    :class:`~optviz.nn.losses.CrossEntropyLoss`, which applies the softmax itself in a
    more stable way; this layer is for reading off the probabilities.
    """

    def __init__(self, axis: int = -1) -> None:
        self.axis = int(axis)
        self._out: np.ndarray | None = None

    def __repr__(self) -> str:
        return "Softmax()" if self.axis == -1 else f"Softmax(axis={self.axis})"

    def forward(self, x: ArrayLike) -> np.ndarray:
        self._out = softmax(x, axis=self.axis)
        return self._out

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        _needs_forward(self, self._out)
        p = self._out
        return p * (grad - np.sum(grad * p, axis=self.axis, keepdims=True))
