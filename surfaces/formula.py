"""A surface from a formula: ``formula_surface("x**2 + 10*y**2")``.

The text is read through a whitelist (:mod:`._formula_parse`: parsed, never run),
differentiated exactly by sympy, and printed as vectorised NumPy functions (value,
gradient, Hessian). Its minima are found numerically inside the domain (damped Newton
from a grid of starts, L-BFGS-B where that does not settle, then Newton's method on the
exact Hessian to machine precision); its domain, start and contour style follow from
them.

>>> s = formula_surface("(x - 1)**2 + 10*(y + 2)**2", lr={"sgd": 0.05})
>>> s.minima[0].xy, s.domain
((1.0, -2.0), ((-1.0, 3.0), (-4.0, 0.0)))
>>> s.grad([[0.0, 0.0]]).tolist()
[[-2.0, 40.0]]
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from ._formula_parse import FormulaError, looks_like_formula, parse
from ._math import split, stack
from ._minima import (
    SEARCH_DOMAIN,
    checked_domain,
    find_minima,
    log_levels,
    rough_lr,
    start_in,
    window_around,
)
from ._surface import OPTIMIZER_KEYS, Point, Surface

__all__ = [
    "formula_surface",
    "formula_name",
    "split_name",
    "parse_domain",
    "compile_formula",
    "looks_like_formula",
    "FormulaError",
    "Compiled",
]

#: Between a domain's name and its formula in a surface's name.
DOMAIN_MARK = " @ "


class Compiled:
    """The expression of a formula and its NumPy value, gradient and Hessian."""

    def __init__(self, expr):
        import sympy

        x, y = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)
        self.expr = expr
        self.gradient_exprs = [sympy.diff(expr, v) for v in (x, y)]
        self.hessian_exprs = [
            [_no_delta(sympy.diff(g, v)) for v in (x, y)] for g in self.gradient_exprs
        ]
        self._value = _numpy(expr, x, y)
        self._grad = [_numpy(g, x, y) for g in self.gradient_exprs]
        self._hess = [[_numpy(h, x, y) for h in row] for row in self.hessian_exprs]

    def js(self) -> str:
        """JavaScript ``value(x, y)`` and ``grad(x, y, out)`` (as the explorer's
        surfaces): sympy's JavaScript code printer of the same expressions whose NumPy
        printing gives :meth:`value` and :meth:`grad`."""
        import sympy

        def code(expr) -> str:
            return " ".join(sympy.jscode(expr).split())

        gx, gy = (code(g) for g in self.gradient_exprs)
        return (
            f"function value(x, y) {{\n  return {code(self.expr)};\n}}\n"
            f"function grad(x, y, out) {{\n  out[0] = {gx};\n  out[1] = {gy};\n"
            "  return out;\n}"
        )

    def value(self, xy):
        x, y = split(xy)
        with np.errstate(all="ignore"):
            return _full(self._value(x, y), x)

    def grad(self, xy):
        x, y = split(xy)
        with np.errstate(all="ignore"):
            return stack(*(_full(g(x, y), x) for g in self._grad))

    def hessian(self, xy):
        x, y = split(xy)
        with np.errstate(all="ignore"):
            rows = [stack(*(_full(h(x, y), x) for h in row)) for row in self._hess]
        return np.stack(rows, axis=-2)  # (..., 2, 2)


def _no_delta(expr):
    """``expr`` with Dirac deltas (the second derivative of abs, min, max at their
    kink) set to 0: the Hessian almost everywhere, as the gradient is 0 at a kink."""
    import sympy

    return expr.replace(sympy.DiracDelta, lambda *args: sympy.S.Zero)


def _numpy(expr, x, y):
    """``f(x, y)`` of NumPy arrays: sympy's NumPy printer of the whitelisted expression."""
    import sympy

    return sympy.lambdify((x, y), expr, modules="numpy")


def _full(v, like):
    """``v`` as a float array shaped as ``like`` (a constant derivative is a scalar)."""
    return np.array(np.broadcast_to(np.asarray(v, dtype=np.float64), np.shape(like)))


def compile_formula(text: str) -> Compiled:
    """The checked expression of ``text`` and its NumPy functions (:class:`Compiled`)."""
    return Compiled(parse(text))


def formula_name(text: str, domain=None) -> str:
    """The surface's name: the formula with single spaces, and ``@ X0:X1,Y0:Y1`` when a
    domain is given; :func:`split_name` reads it back, so a record names its surface."""
    name = " ".join(str(text).split())
    if domain is None:
        return name
    (a, b), (c, d) = domain
    return f"{name}{DOMAIN_MARK}{a:g}:{b:g},{c:g}:{d:g}"


def split_name(name: str):
    """``(formula, domain or None)`` of a name made by :func:`formula_name`."""
    formula, mark, domain = name.rpartition(DOMAIN_MARK)
    if not mark:
        return name, None
    return formula, parse_domain(domain)


def parse_domain(text: str):
    """``"X0:X1,Y0:Y1"`` -> ((x0, x1), (y0, y1)), increasing and finite."""
    try:
        pairs = [tuple(float(v) for v in part.split(":")) for part in text.split(",")]
        (a, b), (c, d) = pairs
    except ValueError:
        raise ValueError(f"domain {text!r} is not X0:X1,Y0:Y1 (e.g. -2:2,-1:3)") from None
    if not all(np.isfinite([a, b, c, d])) or not (a < b and c < d):
        raise ValueError(f"domain {text!r} must be finite and increasing (e.g. -2:2,-1:3)")
    return ((a, b), (c, d))


def formula_surface(
    text: str,
    domain=None,
    *,
    lr: Mapping[str, float] | None = None,
    steps: int = 200,
) -> Surface:
    """The :class:`Surface` of the formula ``text`` in ``x`` and ``y``.

    Parameters
    ----------
    text : str
        Numbers, ``x``, ``y``, ``pi``, ``e``, ``+ - * / **``, brackets and the functions
        of :data:`~._formula_parse.FUNCTIONS`. Anything else is a one-line ValueError.
    domain : ((x0, x1), (y0, y1)), optional
        The window; by default a box around the minima found in [-5, 5]^2.
    lr : mapping, optional
        Learning rates by optimizer; by default rough rates from the curvature at the
        start (:func:`optviz.user_surfaces.formula` tunes them with a quick sweep).
    steps : int
        The default number of steps of a figure.
    """
    compiled = compile_formula(text)
    search = SEARCH_DOMAIN if domain is None else checked_domain(domain)
    points = find_minima(compiled.value, compiled.grad, compiled.hessian, search)
    best = [p for p in points if p[3] == "global minimum"]
    window = search if domain is not None else window_around(best)
    try:
        start = start_in(compiled.value, compiled.grad, window)
    except ValueError as exc:
        raise FormulaError(str(exc).replace("function", "formula")) from None
    import sympy

    rates = (
        lr
        if lr is not None
        else dict(zip(OPTIMIZER_KEYS, rough_lr(compiled.hessian, start, window)))
    )
    return Surface(
        name=formula_name(text, domain),
        title="f(x, y)",
        value=compiled.value,
        grad=compiled.grad,
        hessian=compiled.hessian,
        domain=window,
        minima=tuple(Point(*p) for p in best),
        latex=sympy.latex(compiled.expr),
        reference="a formula: derivatives by sympy (exact); minima by damped Newton "
        "from a grid of starts (scipy.optimize's L-BFGS-B where it does not settle), "
        "polished by Newton's method",
        start=start,
        lr=dict(rates),
        steps=steps,
        landmarks=tuple(
            Point(*p) for p in points if p[3] != "global minimum" and _inside(p, window)
        ),
        log_levels=log_levels(compiled.value, window, best[0][2] if best else None),
    )


def _inside(point, domain) -> bool:
    (x0, x1), (y0, y1) = domain
    return x0 <= point[0] <= x1 and y0 <= point[1] <= y1
