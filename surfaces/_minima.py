"""What a surface given by its functions alone needs found: its minima in a domain, a
window around them, a start, rough learning rates and its contour style.

Used by formula surfaces (exact Hessian) and :meth:`Surface.from_function` (a Hessian
from differences of the gradient). Every function takes ``value``, ``grad`` and
``hessian`` on ``(..., 2)`` arrays.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "find_minima",
    "window_around",
    "start_in",
    "rough_lr",
    "log_levels",
    "checked_domain",
    "SEARCH_DOMAIN",
]

#: Where minima are looked for when no domain is given.
SEARCH_DOMAIN = ((-5.0, 5.0), (-5.0, 5.0))
#: Starts per axis of the minima search (a grid of SEARCH_GRID**2, the centre included).
SEARCH_GRID = 7
#: Damped Newton steps every start of the search takes together.
DESCENT_STEPS = 60
#: L-BFGS-B's iterations at most, refining one end of the descent.
REFINE_STEPS = 200
#: What the refinement reads where f or its gradient is not finite.
WALL = 1e300
#: At most this many minima are kept (the lowest): a valley of minima is no landmark.
MAX_POINTS = 8
#: Newton steps that polish each minimum found.
NEWTON_STEPS = 8
#: Two minima closer than this fraction of the domain's span are one.
SAME_POINT = 1e-5
#: A point within this fraction of the span from the domain's edge is on the edge.
EDGE = 1e-4
#: Minima whose values differ by less than this (relative) are all global.
SAME_VALUE = 1e-9


def checked_domain(domain):
    """``((x0, x1), (y0, y1))`` as floats, finite and increasing; a ValueError else."""
    try:
        (a, b), (c, d) = ((float(lo), float(hi)) for lo, hi in domain)
    except (TypeError, ValueError):
        raise ValueError(f"domain must be ((x0, x1), (y0, y1)), got {domain!r}") from None
    if not all(np.isfinite([a, b, c, d])) or not (a < b and c < d):
        raise ValueError(f"domain must be finite and increasing, got {domain}")
    return ((a, b), (c, d))


def find_minima(value, grad, hessian, domain) -> list[tuple[float, float, float, str]]:
    """The minima inside ``domain`` as ``(x, y, f, kind)``, lowest first.

    A grid of starts descends together (damped Newton steps, kept inside the domain),
    and each distinct end is polished by Newton's method; an end that is not yet in a
    minimum's quadratic basin is first refined by ``scipy.optimize.minimize``
    (L-BFGS-B, bounded; scipy is imported only then: it takes longer to import than a
    smooth formula takes to solve). The lowest are ``"global minimum"`` (in the
    domain), the rest ``"local minimum"``; a point on the domain's edge is no minimum.
    """
    from threadpoolctl import threadpool_limits

    (x0, x1), (y0, y1) = domain
    span = max(x1 - x0, y1 - y0)
    t = (np.arange(SEARCH_GRID) + 0.5) / SEARCH_GRID
    gx, gy = np.meshgrid(x0 + t * (x1 - x0), y0 + t * (y1 - y0))
    found: list[np.ndarray] = []
    with threadpool_limits(1, user_api="blas"), np.errstate(all="ignore"):
        ends = _descend(
            value, grad, hessian, np.stack([gx.ravel(), gy.ravel()], -1), domain
        )
        for end in ends[np.all(np.isfinite(ends), axis=-1)]:
            if any(np.hypot(*(end - q)) <= 1e-3 * span for q in found):
                continue  # this basin is refined already
            p = _polish(grad, hessian, end)  # the descent ended in a minimum's basin
            if p is None:  # or not: L-BFGS-B takes it on from there
                p = _polish(grad, hessian, _refine(value, grad, end, domain))
            if p is None or _on_edge(p, domain, span):
                continue
            if all(np.hypot(*(p - q)) > SAME_POINT * span for q in found):
                found.append(p)
        values = [float(value(p)) for p in found]
    if not values:
        return []
    low = min(values)
    tol = SAME_VALUE * max(1.0, abs(low))
    order = np.argsort(values, kind="stable")[:MAX_POINTS]
    return [
        (
            float(found[i][0]),
            float(found[i][1]),
            values[i],
            "global minimum" if values[i] - low <= tol else "local minimum",
        )
        for i in order
    ]


def _descend(value, grad, hessian, p, domain):
    """All starts ``p`` (``(n, 2)``) at once: Levenberg-Marquardt-damped Newton steps,
    clipped to the domain; a step is kept only where it lowers f."""
    low, high = np.array(domain).T
    f = value(p)
    mu = np.ones(len(p))
    eye = np.eye(2)
    for _ in range(DESCENT_STEPS):
        g, h = np.nan_to_num(grad(p)), hessian(p)
        scale = 1e-12 + np.max(np.abs(np.nan_to_num(h)), axis=(-2, -1))
        a = h + (mu * scale)[:, None, None] * eye
        a = np.where(np.isfinite(a), a, eye)
        try:
            d = np.linalg.solve(a, -g[..., None])[..., 0]
        except np.linalg.LinAlgError:
            d = -g / scale[:, None]
        q = np.clip(p + d, low, high)
        fq = value(q)
        better = np.isfinite(fq) & (fq < f)
        p[better], f[better] = q[better], fq[better]
        mu = np.where(better, mu * 0.3, mu * 10)
    return p


def _refine(value, grad, p, domain):
    """``p`` refined by ``scipy.optimize.minimize`` (L-BFGS-B inside the domain). A
    point where f or its gradient is not finite reads as a wall (a huge f, no slope):
    L-BFGS-B backs off it instead of stepping on NaN."""
    from scipy.optimize import minimize

    def fun(q):
        f, g = float(value(q)), grad(q)
        if not (np.isfinite(f) and np.all(np.isfinite(g))):
            return WALL, np.zeros(2)
        return f, g

    res = minimize(
        fun,
        p,
        jac=True,
        method="L-BFGS-B",
        bounds=domain,
        options={"maxiter": REFINE_STEPS, "maxfun": 2 * REFINE_STEPS},
    )
    return res.x


def _polish(grad, hessian, p):
    """Newton's method from ``p``; None unless it ends where the gradient is at
    rounding level and the Hessian is positive definite (a strict minimum)."""
    p = np.asarray(p, dtype=np.float64)
    for _ in range(NEWTON_STEPS):
        g, h = grad(p), hessian(p)
        if not (np.all(np.isfinite(g)) and np.all(np.isfinite(h))):
            return None
        try:
            step = np.linalg.solve(h, g)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)) or np.max(np.abs(step)) > 1e-3:
            break  # not in a minimum's quadratic basin: keep the refined point
        p = p - step
        if np.max(np.abs(step)) <= 1e-15 * (1 + np.max(np.abs(p))):
            break
    h, g = hessian(p), grad(p)
    scale = 1 + np.max(np.abs(h)) * (1 + np.max(np.abs(p)))
    if not np.all(np.isfinite(h)) or np.max(np.abs(g)) > 1e-6 * scale:
        return None
    if not np.min(np.linalg.eigvalsh(0.5 * (h + h.T))) > 0:
        return None
    return p


def _on_edge(p, domain, span) -> bool:
    (x0, x1), (y0, y1) = domain
    margin = EDGE * span
    return not (x0 + margin < p[0] < x1 - margin and y0 + margin < p[1] < y1 - margin)


def window_around(best):
    """A window with the points ``best`` (``(x, y, ...)``) well inside: their box
    padded by max(2, a quarter of its span), rounded out to halves; the search domain
    when there are none."""
    if not best:
        return SEARCH_DOMAIN
    xs, ys = [p[0] for p in best], [p[1] for p in best]
    pad = max(2.0, 0.25 * max(max(xs) - min(xs), max(ys) - min(ys)))
    return tuple(
        (  # 1e-9: a minimum at 1e-12 rounds as one at 0
            float(np.floor(2 * (min(v) - pad) + 1e-9) / 2) + 0.0,  # + 0.0: no -0.0
            float(np.ceil(2 * (max(v) + pad) - 1e-9) / 2) + 0.0,
        )
        for v in (xs, ys)
    )


def start_in(value, grad, domain) -> tuple[float, float]:
    """The first of the window's four inner corners (15% in) where f is finite and
    the gradient is finite and not zero."""
    (x0, x1), (y0, y1) = domain
    for a, b in ((0.15, 0.85), (0.85, 0.85), (0.15, 0.15), (0.85, 0.15)):
        p = np.array([x0 + a * (x1 - x0), y0 + b * (y1 - y0)])
        with np.errstate(all="ignore"):
            f, g = value(p), grad(p)
        if np.isfinite(f) and np.all(np.isfinite(g)) and np.any(g != 0):
            return (round(float(p[0]), 10), round(float(p[1]), 10))  # no 3.8499999
    raise ValueError("the function is flat or undefined at every start tried in the domain")


def rough_lr(hessian, start, domain) -> tuple[float, float, float, float, float]:
    """Rates for SGD, momentum, Adagrad, RMSprop and Adam before any sweep: 1/λmax at
    the start for SGD (stable on a quadratic below 2/λmax), a tenth of it for momentum,
    a fraction of the span for the adaptive three (their steps are about α long)."""
    with np.errstate(all="ignore"):
        h = hessian(np.asarray(start, dtype=np.float64))
    lam = 0.0
    if np.all(np.isfinite(h)):
        lam = float(np.max(np.abs(np.linalg.eigvalsh(0.5 * (h + h.T)))))
    span = max(hi - lo for lo, hi in domain)
    slow = 1.0 / lam if lam > 0 else 0.01 * span
    return (slow, 0.1 * slow, span / 4, span / 100, span / 100)


def log_levels(value, domain, f_star: float | None) -> bool:
    """Log-spaced contours when f - f* over the window is far above its median."""
    if f_star is None:
        return False
    (x0, x1), (y0, y1) = domain
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, 41), np.linspace(y0, y1, 41)), -1)
    with np.errstate(all="ignore"):
        gap = value(grid) - f_star
    gap = gap[np.isfinite(gap) & (gap > 0)]
    return bool(gap.size) and float(np.max(gap) / np.median(gap)) > 30
