r"""Loss functions: how far the predictions are from the truth, and its gradient.

``loss.forward(prediction, target)`` returns the loss as a float and keeps what
``loss.backward()`` needs to return :math:`\partial L/\partial\,\text{prediction}` (same
shape as the prediction). Every loss is a mean over the batch, as in the notes.

- :class:`MSELoss`: regression, :math:`\frac1n\sum (Y - \hat Y)^2`.
- :class:`BCELoss`: two classes, :math:`-\frac1n\sum [Y \ln\hat Y + (1-Y)\ln(1-\hat Y)]`.
- :class:`CrossEntropyLoss`: K classes, :math:`-\frac1n\sum_i\sum_j Y_{ij}\ln\hat
  Y_{ij}`, taking the scores (logits) before the softmax.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["Loss", "MSELoss", "BCELoss", "CrossEntropyLoss", "LOG_CLAMP"]

#: ln(p) is clamped at this value, as ``torch.nn.BCELoss`` does, so p = 0 gives a
#: large finite loss rather than infinity.
LOG_CLAMP = -100.0


class Loss:
    """Base class: ``forward(prediction, target) -> float``, ``backward() -> grad``."""

    _grad: np.ndarray | None = None

    def __call__(self, prediction: ArrayLike, target: ArrayLike) -> float:
        return self.forward(prediction, target)

    def forward(self, prediction: ArrayLike, target: ArrayLike) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        """:math:`\\partial L/\\partial\\,\\text{prediction}` of the last forward."""
        if self._grad is None:
            raise ValueError(f"{type(self).__name__}: backward() needs a forward() first")
        return self._grad

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _same_shape(name: str, prediction: np.ndarray, target: np.ndarray) -> None:
    if prediction.shape != target.shape:
        raise ValueError(
            f"{name}: prediction has shape {prediction.shape} but target has shape "
            f"{target.shape}; they must match"
        )
    if prediction.size == 0:
        raise ValueError(f"{name}: got an empty batch")


def _float(x: ArrayLike) -> np.ndarray:
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


class MSELoss(Loss):
    r"""Mean squared error, the mean over every element.

    .. math::
        L = \frac{1}{n}\sum_{i=1}^{n} (Y_i - \hat Y_i)^2, \qquad
        \frac{\partial L}{\partial \hat Y_i} = \frac{2}{n}(\hat Y_i - Y_i)

    Examples
    --------
    >>> MSELoss()(np.array([1.0, 2.0]), np.array([0.0, 0.0]))
    2.5
    """

    def forward(self, prediction: ArrayLike, target: ArrayLike) -> float:
        y_hat = _float(prediction)
        y = np.asarray(target, dtype=y_hat.dtype)
        _same_shape("MSELoss", y_hat, y)
        diff = y_hat - y
        self._grad = diff * (2.0 / diff.size)
        return float(np.mean(diff * diff))


class BCELoss(Loss):
    r"""Binary cross-entropy.

    .. math::
        L = -\frac{1}{n}\sum_{i=1}^{n}\left[Y_i \ln \hat Y_i + (1-Y_i)\ln(1-\hat Y_i)\right]

    with :math:`\hat Y` the predicted probability of class 1 and :math:`Y \in [0, 1]`.
    Each logarithm is clamped at :data:`LOG_CLAMP` (as ``torch.nn.BCELoss``).

    With ``from_logits=True`` the prediction is the score :math:`z` and
    :math:`\hat Y = \sigma(z)` is applied inside, in the overflow-free form
    :math:`L = \frac1n\sum [\max(z, 0) - Y z + \ln(1 + e^{-|z|})]`, whose gradient
    is simply :math:`(\sigma(z) - Y)/n`.

    Parameters
    ----------
    from_logits : bool
        Predictions are scores, not probabilities.

    Examples
    --------
    >>> round(BCELoss()(np.array([0.9, 0.2]), np.array([1, 0])), 6)
    0.164252
    """

    def __init__(self, from_logits: bool = False) -> None:
        self.from_logits = bool(from_logits)

    def __repr__(self) -> str:
        return "BCELoss(from_logits=True)" if self.from_logits else "BCELoss()"

    def forward(self, prediction: ArrayLike, target: ArrayLike) -> float:
        p = _float(prediction)
        y = np.asarray(target, dtype=p.dtype)
        _same_shape("BCELoss", p, y)
        if np.any((y < 0) | (y > 1)):
            raise ValueError("BCELoss: targets must lie in [0, 1]")
        n = p.size
        if self.from_logits:
            z = p
            e = np.exp(-np.abs(z))
            sigma = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
            self._grad = (sigma - y) / n
            return float(np.mean(np.maximum(z, 0) - y * z + np.log1p(e)))
        if np.any((p < 0) | (p > 1)):
            raise ValueError(
                "BCELoss: predictions must be probabilities in [0, 1] "
                "(use BCELoss(from_logits=True) for scores)"
            )
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(p), LOG_CLAMP)
            log_q = np.maximum(np.log1p(-p), LOG_CLAMP)
        tiny = np.finfo(p.dtype).tiny
        # dL/dp = (p - y) / (p (1 - p)) / n, kept finite at p = 0 or 1
        self._grad = (p - y) / np.maximum(p * (1 - p), tiny) / n
        return float(-np.mean(y * log_p + (1 - y) * log_q))


class CrossEntropyLoss(Loss):
    r"""Multi-class cross-entropy of the softmax of the scores (logits).

    .. math::
        \hat Y_{ij} = \frac{e^{z_{ij}}}{\sum_k e^{z_{ik}}}, \qquad
        L = -\frac{1}{n}\sum_{i=1}^{n}\sum_{j=1}^{K} Y_{ij}\ln \hat Y_{ij}, \qquad
        \frac{\partial L}{\partial z_{ij}} = \frac{1}{n}(\hat Y_{ij} - Y_{ij})

    :math:`\ln \hat Y` is computed as :math:`z - m - \ln\sum_k e^{z_k - m}` with
    :math:`m = \max_k z_k` (log-sum-exp), so it stays finite for logits of any size.

    ``target`` is either integer class labels, shape ``(n,)``, or one-hot rows
    :math:`Y_{ij}` (or any probabilities), shape ``(n, K)``, as in the notes.

    Examples
    --------
    >>> ce = CrossEntropyLoss()
    >>> round(ce(np.array([[2.0, 0.0, 0.0]]), np.array([0])), 6)
    0.239545
    >>> ce(np.array([[1e4, 0.0]]), np.array([[0.0, 1.0]]))
    10000.0
    """

    def forward(self, prediction: ArrayLike, target: ArrayLike) -> float:
        z = _float(prediction)
        if z.ndim != 2 or z.shape[0] == 0:
            raise ValueError(
                f"CrossEntropyLoss: expects scores of shape (n, K), got {z.shape}"
            )
        n, k = z.shape
        y = np.asarray(target)
        shifted = z - np.max(z, axis=1, keepdims=True)  # (n, K), every entry <= 0
        e = np.exp(shifted)
        total = np.sum(e, axis=1, keepdims=True)
        p = e / total  # softmax
        log_p = shifted - np.log(total)  # (n, K), finite
        if y.ndim == 1:
            if y.shape[0] != n:
                raise ValueError(
                    f"CrossEntropyLoss: {n} score rows but {y.shape[0]} labels"
                )
            if not np.issubdtype(y.dtype, np.integer):
                if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
                    raise ValueError("CrossEntropyLoss: labels must be whole numbers")
                y = y.astype(np.int64)
            if y.size and (y.min() < 0 or y.max() >= k):
                raise ValueError(
                    f"CrossEntropyLoss: labels must be in 0..{k - 1}, got "
                    f"{int(y.min())}..{int(y.max())}"
                )
            rows = np.arange(n)
            loss = -np.mean(log_p[rows, y])
            p[rows, y] -= 1  # dL/dz = (p - Y)/n with Y one-hot
            self._grad = p / n
        else:
            y = np.asarray(y, dtype=z.dtype)
            _same_shape("CrossEntropyLoss", z, y)
            loss = -np.sum(y * log_p) / n
            # dL/dz = (p * sum_j Y_ij - Y)/n, which is (p - Y)/n for one-hot rows
            self._grad = (p * np.sum(y, axis=1, keepdims=True) - y) / n
        return float(loss)
