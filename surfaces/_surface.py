"""The Surface dataclass: a 2-D loss surface declared once.

A surface's ``value`` and ``grad`` take ``xy`` of shape ``(..., 2)`` and return shapes
``(...)`` and ``(..., 2)``: the same function draws the contour map (a grid) and feeds
the optimizers (a batch of points).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Surface", "Point", "Noise", "MinibatchSampler", "KINDS", "OPTIMIZER_KEYS"]

Array = NDArray[np.float64]

#: The kinds of notable point a surface lists.
KINDS = ("global minimum", "local minimum", "saddle")
#: The optimizers every surface has a default learning rate for (the notes' five).
OPTIMIZER_KEYS = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
#: The step of the central-difference Hessian, as a fraction of the domain's span.
HESSIAN_STEP = 1e-5

#: ``sampler(batch_size, rng)`` returns ``grad_fn(xy) -> grad`` that draws a new
#: mini-batch on every call, without repetition within an epoch.
MinibatchSampler = Callable[[int, np.random.Generator], Callable[[Array], Array]]


@dataclass(frozen=True)
class Point:
    """A notable point of a surface: a minimum (global or local) or a saddle."""

    x: float
    y: float
    value: float
    kind: str = "global minimum"  # one of KINDS

    def __post_init__(self) -> None:
        for name in ("x", "y", "value"):  # plain floats, whatever computed them
            object.__setattr__(self, name, float(getattr(self, name)))
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")

    @property
    def xy(self) -> tuple[float, float]:
        return (self.x, self.y)


@dataclass(frozen=True)
class Noise:
    """Gaussian gradient noise: ``g + sigma * xi`` (additive) or ``g + sigma * |g| * xi``
    (``relative``, ``|g|`` the gradient's norm), ``xi ~ N(0, I)`` drawn from
    ``numpy.random.default_rng(seed)``, a fresh stream for every run."""

    sigma: float
    relative: bool = False
    seed: int = 0

    def __post_init__(self) -> None:
        if not (np.isfinite(self.sigma) and self.sigma >= 0):
            raise ValueError(f"noise sigma must be a finite number >= 0, got {self.sigma}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)):
            raise ValueError(f"seed must be a whole number, got {self.seed!r}")
        if self.seed < 0:
            raise ValueError(f"seed must be >= 0, got {self.seed}")

    def around(self, grad: Callable[[Array], Array]) -> Callable[[Array], Array]:
        """``grad`` with this noise: a new seeded stream on every call of ``around``."""
        rng = np.random.default_rng(self.seed)
        sigma, relative = float(self.sigma), self.relative

        def noisy(xy):
            g = grad(xy)
            xi = rng.standard_normal(g.shape)
            if sigma == 0:
                return g  # exactly the noiseless gradient (the stream still advances)
            scale = np.linalg.norm(g, axis=-1, keepdims=True) if relative else 1.0
            return g + sigma * scale * xi

        return noisy


@dataclass(frozen=True)
class Surface:
    """An analytic loss surface f(x, y) with everything a figure needs.

    Parameters
    ----------
    name : str
        Registry key, lower case (``"rosenbrock"``).
    title : str
        Readable name for figure titles (``"Rosenbrock"``).
    value, grad : callable
        ``f(xy)`` of shape ``(...)`` and its analytic gradient of shape ``(..., 2)``.
    domain : ((xmin, xmax), (ymin, ymax))
        The plotting window.
    minima : tuple of Point
        Every global minimum, with its value. Empty for surfaces unbounded below.
    latex : str
        The formula, for figure titles (mathtext, without dollar signs).
    reference : str
        Where the formula and minima come from.
    start : (x, y)
        Default start point of a teaching figure.
    lr : mapping optimizer name -> learning rate
        Defaults that make a clear figure from ``start``.
    steps : int
        Default number of steps for a figure.
    landmarks : tuple of Point
        Local minima and saddles that teaching uses.
    log_levels : bool
        Draw contours at log-spaced levels of f - f*.
    minibatch : MinibatchSampler or None
        For data-built surfaces: noisy mini-batch gradients.
    params : mapping
        The parameters a factory built the surface with (``{"kappa": 10.0}``).
    hessian : callable or None
        ``H(xy)`` of shape ``(..., 2, 2)``, exact (a formula surface's); None: see
        :meth:`hess`, which differentiates the gradient numerically.
    noise : Noise or None
        Optimizers on this surface see noisy gradients (:meth:`gradient_fn`); the
        value, the contours and the minima are the noiseless surface's.
    """

    name: str
    title: str
    value: Callable[[Array], Array]
    grad: Callable[[Array], Array]
    domain: tuple[tuple[float, float], tuple[float, float]]
    minima: tuple[Point, ...]
    latex: str
    reference: str
    start: tuple[float, float]
    lr: Mapping[str, float]
    steps: int = 200
    landmarks: tuple[Point, ...] = ()
    log_levels: bool = False
    minibatch: MinibatchSampler | None = None
    params: Mapping[str, float] = field(default_factory=dict)
    hessian: Callable[[Array], Array] | None = None
    noise: Noise | None = None

    def __post_init__(self) -> None:
        for axis, (low, high) in zip("xy", self.domain):
            if not low < high:
                raise ValueError(
                    f"domain's {axis} range must be increasing, got {low, high}"
                )
        if any(p.kind != "global minimum" for p in self.minima):
            raise ValueError("minima lists global minima only; use landmarks for the rest")
        for key, lr in self.lr.items():
            if not lr > 0:
                raise ValueError(f"lr[{key!r}] must be > 0, got {lr}")

    @property
    def min_value(self) -> float | None:
        """f* (the global minimum value), or None for a surface unbounded below."""
        return min(p.value for p in self.minima) if self.minima else None

    def gap(self, loss: Array) -> Array:
        """:math:`f - f^*`: ``loss`` minus :attr:`min_value` (``loss`` itself on a
        surface without a known minimum). The one place the gap is made."""
        fmin = self.min_value
        return loss if fmin is None else loss - fmin

    def default_lr(self, optimizer: str) -> float:
        """The surface's learning rate for ``optimizer``: its own if the surface lists
        one, else its family's (the optimizer class's ``family``: nesterov ->
        momentum, adamw -> adam, a user's optimizer -> whichever it declares)."""
        if optimizer in self.lr:
            return self.lr[optimizer]
        from optviz.optimizers import OPTIMIZERS

        family = getattr(OPTIMIZERS.get(optimizer), "family", None)
        if family in self.lr:
            return self.lr[family]
        raise KeyError(f"surface {self.name!r} has no default lr for {optimizer!r}")

    def gradient_fn(self) -> Callable[[Array], Array]:
        """The gradient a run sees: :attr:`grad`, or with :attr:`noise` a freshly
        seeded noisy one (so each run, each optimizer, gets the same noise stream)."""
        return self.grad if self.noise is None else self.noise.around(self.grad)

    @property
    def exact_hessian(self) -> bool:
        """Whether :meth:`hess` is exact (else central differences of the gradient)."""
        return self.hessian is not None

    def hess(self, xy: ArrayLike) -> Array:
        """The Hessian at ``xy`` (``(..., 2)`` -> ``(..., 2, 2)``): the surface's own
        when it has one, else central differences of its analytic gradient (step
        :data:`HESSIAN_STEP` times the domain's span; error of order step^2)."""
        xy = np.asarray(xy, dtype=np.float64)
        if self.hessian is not None:
            return self.hessian(xy)
        h = HESSIAN_STEP * max(hi - lo for lo, hi in self.domain)
        cols = []
        for i in range(2):
            e = np.zeros(2)
            e[i] = h
            cols.append((self.grad(xy + e) - self.grad(xy - e)) / (2 * h))
        hess = np.stack(cols, axis=-1)  # column i: d grad / d xy_i
        return 0.5 * (hess + np.swapaxes(hess, -1, -2))

    @classmethod
    def from_function(
        cls,
        f: Callable,
        grad: Callable | None = None,
        domain=((-5.0, 5.0), (-5.0, 5.0)),
        *,
        name: str | None = None,
        title: str | None = None,
        start: tuple[float, float] | None = None,
        lr: Mapping[str, float] | None = None,
        steps: int = 200,
    ) -> Surface:
        """A surface from a Python function ``f(x, y)`` on NumPy arrays.

        ``grad(x, y)`` returns ``(df/dx, df/dy)``; without it the gradient is taken
        by central differences, and the title says so ("numerical gradient"). The
        minima inside ``domain`` are found numerically (see :mod:`._minima`); the
        start and learning rates follow from the domain and the curvature at the
        start unless given. A scalar-only ``f`` (``math.sin``) is vectorised.

        >>> s = Surface.from_function(lambda x, y: (x - 1) ** 2 + 3 * y**2,
        ...                           domain=((-3, 3), (-2, 2)), name="bowl")
        >>> s.title, [round(v, 6) + 0 for v in s.minima[0].xy]
        ('bowl (numerical gradient)', [1.0, 0.0])
        """
        from ._function import function_parts

        parts = function_parts(f, grad, domain, name=name, title=title, start=start)
        points = [Point(*p) for p in parts.pop("points")]
        rates = parts.pop("rough_lr")
        return cls(
            **parts,
            minima=tuple(p for p in points if p.kind == "global minimum"),
            landmarks=tuple(p for p in points if p.kind != "global minimum"),
            lr=dict(lr) if lr is not None else dict(zip(OPTIMIZER_KEYS, rates)),
            steps=steps,
        )

    def __call__(self, xy: ArrayLike) -> Array:
        return self.value(np.asarray(xy, dtype=np.float64))
