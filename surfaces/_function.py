"""The pieces of a surface given as a Python function (:meth:`Surface.from_function`):
vectorised value, an exact or a numerical gradient, a Hessian, minima and a start."""

from __future__ import annotations

import numpy as np

from ._math import split, stack
from ._minima import checked_domain, find_minima, log_levels, rough_lr, start_in

__all__ = ["function_parts", "GRAD_STEP", "NUMERICAL"]

#: The step of the central-difference gradient, as a fraction of the domain's span.
GRAD_STEP = 1e-6
#: What the title of a surface with a numerical gradient says.
NUMERICAL = "numerical gradient"


def function_parts(f, grad, domain, *, name=None, title=None, start=None) -> dict:
    """Everything :class:`Surface` needs from ``f(x, y)`` (and ``grad(x, y)``, if
    given), with its minima as ``(x, y, f, kind)`` under ``"points"`` and rough rates
    under ``"rough_lr"``."""
    if not callable(f):
        raise ValueError(f"f must be a function f(x, y), got {type(f).__name__}")
    if grad is not None and not callable(grad):
        raise ValueError(f"grad must be a function grad(x, y), got {type(grad).__name__}")
    domain = checked_domain(domain)
    name = name or getattr(f, "__name__", "f")
    if name == "<lambda>":
        name = "f"
    value = _vectorised(f)
    span = max(hi - lo for lo, hi in domain)
    gradient = _given_grad(grad) if grad is not None else _numerical_grad(value, span)
    hessian = _difference_hessian(gradient, span)
    points = find_minima(value, gradient, hessian, domain)
    best = [p for p in points if p[3] == "global minimum"]
    start = start_in(value, gradient, domain) if start is None else start
    how = "exact (given)" if grad is not None else "central differences (numerical)"
    return {
        "name": name,
        "title": title or (name if grad is not None else f"{name} ({NUMERICAL})"),
        "value": value,
        "grad": gradient,
        "domain": domain,
        "latex": "f(x, y)",  # a name is no formula (and may hold _ or ^)
        "reference": f"a Python function; gradient: {how}; minima by scipy.optimize",
        "start": (float(start[0]), float(start[1])),
        "log_levels": log_levels(value, domain, best[0][2] if best else None),
        "points": points,
        "rough_lr": rough_lr(hessian, start, domain),
    }


def _on_arrays(f, outputs: int = 1):
    """``f`` itself if it takes arrays, else through ``np.vectorize`` (a scalar-only
    function such as ``math.sin`` fails on arrays)."""
    probe = np.array([0.25, 0.75]), np.array([0.5, 1.0])
    try:
        with np.errstate(all="ignore"):
            out = f(*probe)
        shapes = [np.shape(v) for v in (out if outputs > 1 else [out])]
        if len(shapes) == outputs and all(s == (2,) for s in shapes):
            return f
    except Exception:  # the user's function: any error means "not on arrays"
        pass
    return np.vectorize(f, otypes=[np.float64] * outputs)


def _vectorised(f):
    """``value(xy)`` from ``f(x, y)``."""
    g = _on_arrays(f)

    def value(xy):
        x, y = split(xy)
        return np.array(np.broadcast_to(np.asarray(g(x, y), dtype=np.float64), x.shape))

    return value


def _given_grad(grad):
    grad = _on_arrays(grad, outputs=2)

    def gradient(xy):
        x, y = split(xy)
        out = grad(x, y)
        if isinstance(out, np.ndarray) and out.shape == (*x.shape, 2):
            return out.astype(np.float64)
        gx, gy = out
        return stack(np.broadcast_to(gx, x.shape), np.broadcast_to(gy, x.shape))

    return gradient


def _numerical_grad(value, span):
    h = GRAD_STEP * span

    def gradient(xy):
        xy = np.asarray(xy, dtype=np.float64)
        dx, dy = np.array([h, 0.0]), np.array([0.0, h])
        return stack(
            (value(xy + dx) - value(xy - dx)) / (2 * h),
            (value(xy + dy) - value(xy - dy)) / (2 * h),
        )

    return gradient


def _difference_hessian(gradient, span):
    h = 1e3 * GRAD_STEP * span  # differences of a gradient: a larger step

    def hessian(xy):
        xy = np.asarray(xy, dtype=np.float64)
        cols = [
            (gradient(xy + e) - gradient(xy - e)) / (2 * h)
            for e in (np.array([h, 0.0]), np.array([0.0, h]))
        ]
        hess = np.stack(cols, axis=-1)
        return 0.5 * (hess + np.swapaxes(hess, -1, -2))

    return hessian
