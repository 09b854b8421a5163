"""The notes' L(w, b): mean squared error of a line fit, a real loss over two parameters.

The data are ``x_i ~ U(0, 2)`` and ``y_i = 2 x_i + 1 + noise * N(0, 1)``: because the
``x_i`` are not centred, ``w`` and ``b`` are coupled and the bowl is a tilted ellipse.
"""

from __future__ import annotations

import numpy as np

from ._math import split, stack
from ._minibatch import minibatches
from ._surface import Point, Surface

__all__ = ["linear_regression", "make_data", "LINEAR_REGRESSION", "TRUE_W", "TRUE_B"]

TRUE_W, TRUE_B = 2.0, 1.0  # the line the data are drawn around
X_RANGE = (0.0, 2.0)
HALF_WIDTH = 4.0  # the plotting window: the least-squares fit +- this in w and b
START_OFFSET = (-3.5, 3.0)  # the default start, relative to the fit


def _mse(xy, x, y):
    """Value and gradient of mean((w x_i + b - y_i)^2) over the samples (x, y)."""
    w, b = split(xy)
    residual = w[..., None] * x + b[..., None] - y  # (...) -> (..., n)
    value = np.mean(residual**2, axis=-1)
    # the mean of the per-sample gradients 2 r_i (x_i, 1)
    grad = stack(np.mean(2 * residual * x, axis=-1), np.mean(2 * residual, axis=-1))
    return value, grad


def make_data(
    n: int = 40, seed: int = 0, noise: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """The samples ``(x, y)``, each of shape ``(n,)``; a surface's params rebuild them."""
    if int(n) != n or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n}")
    if not 0 <= noise < float("inf"):
        raise ValueError(f"noise must be in [0, inf), got {noise}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(*X_RANGE, size=int(n))
    y = TRUE_W * x + TRUE_B + noise * rng.standard_normal(int(n))
    return x, y


def linear_regression(n: int = 40, seed: int = 0, noise: float = 0.5) -> Surface:
    """The loss surface L(w, b) = mean((w x_i + b - y_i)^2) of a seeded data set.

    Parameters
    ----------
    n : int
        Number of samples.
    seed : int
        Seeds the data.
    noise : float
        Standard deviation of the noise on ``y``.

    Returns
    -------
    Surface
        Coordinates ``(w, b)``; its minimum is the least-squares fit; ``minibatch``
        gives noisy mini-batch gradients.

    Examples
    --------
    >>> s = linear_regression(n=8, seed=1, noise=0.0)
    >>> np.round(s.minima[0].xy, 6).tolist(), round(s.minima[0].value, 12)
    ([2.0, 1.0], 0.0)
    """
    x, y = make_data(n, seed, noise)
    n = len(x)

    design = np.stack([x, np.ones(n)], axis=-1)  # (n, 2): the columns multiply w, b
    fit = np.linalg.lstsq(design, y, rcond=None)[0]
    w_star, b_star = (float(c) for c in fit)

    def value(xy):
        return _mse(xy, x, y)[0]

    def grad(xy):
        return _mse(xy, x, y)[1]

    def sampler(batch_size, batch_rng):
        batches = minibatches(n, batch_size, batch_rng)

        def batch_grad(xy):
            i = next(batches)
            return _mse(xy, x[i], y[i])[1]

        return batch_grad

    return Surface(
        name="linear_regression",
        title="Linear regression L(w, b)",
        value=value,
        grad=grad,
        domain=(
            (w_star - HALF_WIDTH, w_star + HALF_WIDTH),
            (b_star - HALF_WIDTH, b_star + HALF_WIDTH),
        ),
        minima=(Point(w_star, b_star, float(value(fit))),),
        latex=r"\frac{1}{n}\sum_{i=1}^{n}\,(w\,x_i + b - y_i)^2",
        reference="the notes' L(w, b); least squares (Legendre 1805, Gauss 1809), "
        "solved with numpy.linalg.lstsq",
        start=(w_star + START_OFFSET[0], b_star + START_OFFSET[1]),
        lr={"sgd": 0.1, "momentum": 0.01, "adagrad": 1.0, "rmsprop": 0.05, "adam": 0.2},
        steps=100,
        minibatch=sampler,
        params={"n": n, "seed": seed, "noise": float(noise)},
    )


LINEAR_REGRESSION = linear_regression()
