r"""How fast gradient descent and momentum converge on a quadratic, in closed form.

On a quadratic with curvatures (Hessian eigenvalues) :math:`\lambda \in [\mu, L]` each
eigen-direction evolves on its own. Heavy-ball momentum in the notes' form,
:math:`v \leftarrow \beta v - \alpha \lambda w,\ w \leftarrow w + v`, maps the pair
:math:`(v, w)` by the iteration matrix

.. math::
    M_\lambda = \begin{pmatrix} \beta & -\alpha\lambda \\ \beta & 1-\alpha\lambda
    \end{pmatrix},

whose spectral radius :math:`\rho(M_\lambda)` is the factor by which the error in that
direction shrinks per step (eventually). The rate of the whole run is the worst
direction, :math:`\max(\rho(M_\mu), \rho(M_L))` (the radius is largest at the ends of
the spectrum). SGD is :math:`\beta = 0`: rate :math:`\max|1-\alpha\lambda|`, stable for
:math:`\alpha < 2/\lambda_{max}`, best :math:`(\kappa-1)/(\kappa+1)` at
:math:`\alpha = 2/(L+\mu)`. Momentum's best is :math:`(\sqrt\kappa-1)/(\sqrt\kappa+1)`
at :math:`\alpha^* = (2/(\sqrt L+\sqrt\mu))^2`, :math:`\beta^* = ((\sqrt\kappa-1)/
(\sqrt\kappa+1))^2`: about :math:`\sqrt\kappa` times fewer steps for large
:math:`\kappa`.

References: Polyak (1964); Goh (2017), "Why Momentum Really Works", Distill.

>>> round(float(rate(2 / 11, 0.0, [1.0, 10.0])), 4)  # SGD's best on kappa = 10
0.8182
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import check_range

__all__ = [
    "iteration_matrix",
    "spectral_radius",
    "rate",
    "rate_map",
    "sgd_optimum",
    "momentum_optimum",
    "steps_for",
    "speedup",
    "measured_rate",
    "hessian",
    "largest_stable_lr",
]


def iteration_matrix(alpha: float, beta: float, lam: float) -> NDArray:
    """The 2x2 matrix mapping ``(v, w)`` to the next ``(v, w)`` along curvature ``lam``."""
    return np.array([[beta, -alpha * lam], [beta, 1 - alpha * lam]], dtype=float)


def spectral_radius(alpha: ArrayLike, beta: ArrayLike, lam: ArrayLike) -> NDArray:
    """ρ(M_λ), broadcast over ``alpha``, ``beta`` and ``lam``.

    The eigenvalues of :func:`iteration_matrix` solve z² - (1 + β - αλ) z + β = 0
    (trace 1 + β - αλ, determinant β)."""
    a, b, lam = (np.asarray(v, dtype=float) for v in (alpha, beta, lam))
    trace = 1 + b - a * lam
    root = np.sqrt((trace**2 - 4 * b).astype(complex))
    return np.maximum(np.abs((trace + root) / 2), np.abs((trace - root) / 2))


def rate(alpha: ArrayLike, beta: ArrayLike, lams: ArrayLike) -> NDArray:
    """Convergence rate per step: the largest ρ(M_λ) over the curvatures ``lams``."""
    lams = np.asarray(lams, dtype=float)
    return np.max([spectral_radius(alpha, beta, lam) for lam in lams.ravel()], axis=0)


def rate_map(alphas: ArrayLike, betas: ArrayLike, mu: float, big_l: float) -> NDArray:
    """The rate over the grid: shape ``(len(betas), len(alphas))`` (rows: β)."""
    a, b = np.meshgrid(np.asarray(alphas, float), np.asarray(betas, float))
    return rate(a, b, [mu, big_l])


def _check_curvatures(mu: float, big_l: float) -> tuple[float, float]:
    mu = check_range("mu", mu, low=0, low_open=True)
    big_l = check_range("L", big_l, low=mu)
    return float(mu), float(big_l)


def sgd_optimum(mu: float, big_l: float) -> tuple[float, float]:
    """SGD's best ``(alpha, rate)``: 2/(L+μ) and (κ-1)/(κ+1)."""
    mu, big_l = _check_curvatures(mu, big_l)
    kappa = big_l / mu
    return 2 / (big_l + mu), (kappa - 1) / (kappa + 1)


def momentum_optimum(mu: float, big_l: float) -> tuple[float, float, float]:
    """Heavy ball's best ``(alpha, beta, rate)``: (2/(√L+√μ))², ((√κ-1)/(√κ+1))²,
    (√κ-1)/(√κ+1)."""
    mu, big_l = _check_curvatures(mu, big_l)
    root = math.sqrt(big_l / mu)
    r = (root - 1) / (root + 1)
    return (2 / (math.sqrt(big_l) + math.sqrt(mu))) ** 2, r**2, r


def steps_for(rate_per_step: ArrayLike, factor: float = 1e-6) -> NDArray:
    """Steps for the error to shrink by ``factor`` at ``rate_per_step``:
    log(factor)/log(rate) (inf where the rate is >= 1)."""
    r = np.asarray(rate_per_step, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(r < 1, np.log(factor) / np.log(np.clip(r, 1e-300, None)), np.inf)


def speedup(mu: float, big_l: float) -> float:
    """How many times fewer steps optimal momentum needs than optimal SGD (for the same
    error reduction): log(SGD's rate)/log(momentum's rate), about √κ/2 ... √κ."""
    return float(np.log(momentum_optimum(mu, big_l)[2]) / np.log(sgd_optimum(mu, big_l)[1]))


def measured_rate(xy: ArrayLike, minimum: ArrayLike, skip: int = 0) -> NDArray:
    """The rate a run actually achieved: the geometric mean shrink factor per step of
    the distance to ``minimum``, from step ``skip`` to the last step where it is
    resolved (above 1e-12 of the start's distance). ``xy`` has shape ``(T+1, ..., 2)``
    (a batch of runs gives a batch of rates); NaN where a run diverged."""
    xy = np.asarray(xy, dtype=float)
    d = np.linalg.norm(xy - np.asarray(minimum, dtype=float), axis=-1)  # (T+1, ...)
    d0 = d[skip]
    floor = 1e-12 * np.nanmax(d0)
    with np.errstate(divide="ignore", invalid="ignore"):
        resolved = (d > floor) & np.isfinite(d)
        resolved[:skip] = False
        # the last resolved step, per run
        last = np.where(
            resolved.any(axis=0), d.shape[0] - 1 - np.argmax(resolved[::-1], 0), skip
        )
        d_last = np.take_along_axis(d, last[None], axis=0)[0]
        out = (d_last / d0) ** (1.0 / np.maximum(last - skip, 1))
    return np.where(np.all(np.isfinite(d), axis=0), out, np.nan)


def hessian(surface, xy: ArrayLike, h: float = 1e-5) -> NDArray:
    """The 2x2 Hessian of ``surface`` at ``xy`` by central differences of its gradient."""
    xy = np.asarray(xy, dtype=float)
    cols = []
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        cols.append((surface.grad(xy + e) - surface.grad(xy - e)) / (2 * h))
    hess = np.stack(cols, axis=-1)
    return (hess + hess.T) / 2


def largest_stable_lr(surface, xy: ArrayLike | None = None) -> float:
    """2/λmax of the Hessian at ``xy`` (the surface's first minimum by default): the
    largest rate at which gradient descent does not diverge near there."""
    if xy is None:
        xy = surface.minima[0].xy
    return float(2 / np.linalg.eigvalsh(hessian(surface, xy)).max())
