"""The contract every registered surface keeps: parametrized over SURFACES, so a new
surface needs no new test line (only a NON_SMOOTH entry if it has kinks)."""

import numpy as np
import pytest
from matplotlib.mathtext import MathTextParser

from optviz.surfaces import KINDS, OPTIMIZER_KEYS, SURFACES

ALL = pytest.mark.parametrize("surface", list(SURFACES.values()), ids=list(SURFACES))

N_RANDOM = 40  # random points per surface for the gradient check
FD_STEP = 1e-6  # central-difference step, as a fraction of the domain's span
GRAD_RTOL = 1e-6  # analytic vs central differences, relative to the surface's gradients
STATIONARY_TOL = 1e-6  # |grad| at a listed point, relative to the surface's gradients
VALUE_TOL = 1e-9  # listed values vs computed ones
GRID = 401  # points per axis of the grid that no point may undercut f*
PROBE = 1e-3  # radius (fraction of the span) of the circle that classifies a landmark

# Where a surface is not differentiable: a distance-like measure to the bad set, and
# the margin (fraction of the span) that random points keep from it.
NON_SMOOTH = {
    "ackley": lambda x, y: np.hypot(x, y),  # the cone's tip
    "bukin6": lambda x, y: np.minimum(np.abs(y - 0.01 * x**2), np.abs(x + 10)),
    "eggholder": lambda x, y: np.minimum(np.abs(x / 2 + y + 47), np.abs(x - y - 47)),
}
NON_SMOOTH_MARGIN = 5e-3


def span(surface):
    (x0, x1), (y0, y1) = surface.domain
    return max(x1 - x0, y1 - y0)


def uniform_points(surface, rng, n):
    (x0, x1), (y0, y1) = surface.domain
    return np.stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)], axis=-1)


def grid(surface, n=GRID):
    (x0, x1), (y0, y1) = surface.domain
    x, y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return np.stack([x, y], axis=-1)


def grad_scale(surface):
    """A typical gradient size of the surface: the largest on a coarse grid."""
    return float(np.max(np.abs(surface.grad(grid(surface, 21)))))


def central_differences(surface, xy, h):
    steps = h * np.eye(2)  # (2, 2): one row per coordinate
    plus = surface.value(xy[..., None, :] + steps)  # (N, 2)
    minus = surface.value(xy[..., None, :] - steps)
    return (plus - minus) / (2 * h)


def on_boundary(surface, xy):
    """Per coordinate: -1 on the low edge, +1 on the high edge, 0 inside."""
    return np.array(
        [(c >= hi) - (c <= lo) for c, (lo, hi) in zip(xy, surface.domain)], dtype=float
    )


# -- gradients ------------------------------------------------------------------------


@ALL
def test_gradient_matches_central_differences(surface, rng):
    xy = uniform_points(surface, rng, 4 * N_RANDOM)
    if surface.name in NON_SMOOTH:
        far = NON_SMOOTH[surface.name](xy[:, 0], xy[:, 1]) > NON_SMOOTH_MARGIN * span(
            surface
        )
        xy = xy[far]
    xy = xy[:N_RANDOM]
    assert len(xy) == N_RANDOM
    fd = central_differences(surface, xy, FD_STEP * span(surface))
    np.testing.assert_allclose(
        surface.grad(xy), fd, rtol=GRAD_RTOL, atol=GRAD_RTOL * grad_scale(surface)
    )


# -- minima and landmarks -------------------------------------------------------------


@ALL
def test_listed_values_are_the_values_there(surface):
    for p in surface.minima + surface.landmarks:
        np.testing.assert_allclose(
            surface.value(np.array(p.xy)), p.value, rtol=VALUE_TOL, atol=VALUE_TOL
        )


@ALL
def test_listed_points_are_stationary(surface):
    """grad = 0 at every minimum and landmark; on the domain's edge (eggholder) only
    the gradient along the edge vanishes, and the one across it points outwards."""
    tol = STATIONARY_TOL * grad_scale(surface)
    for p in surface.minima + surface.landmarks:
        g = surface.grad(np.array(p.xy))
        edge = on_boundary(surface, p.xy)
        assert np.all(np.abs(g[edge == 0]) <= tol), (p, g)
        assert np.all(g[edge != 0] * edge[edge != 0] <= tol), (p, g)  # -g points out


@ALL
def test_no_grid_point_is_below_the_global_minimum(surface):
    if not surface.minima:
        pytest.skip("unbounded below")
    f_star = surface.min_value
    lowest = float(np.min(surface.value(grid(surface))))
    assert lowest >= f_star - VALUE_TOL * (1 + abs(f_star))
    # the global minima share one value
    np.testing.assert_allclose([p.value for p in surface.minima], f_star, rtol=VALUE_TOL)


@ALL
def test_landmarks_are_what_they_say(surface):
    """On a small circle around a local minimum f is higher everywhere; around a saddle
    it is higher somewhere and lower somewhere (also for the degenerate monkey saddle)."""
    angles = np.linspace(0, 2 * np.pi, 64, endpoint=False)
    circle = PROBE * span(surface) * np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    for p in surface.minima + surface.landmarks:
        around = surface.value(np.array(p.xy) + circle) - surface.value(np.array(p.xy))
        inside = np.all(on_boundary(surface, p.xy) == 0)
        if p.kind == "saddle":
            assert around.min() < 0 < around.max(), p
        elif inside:
            assert around.min() > 0, p


# -- shapes ---------------------------------------------------------------------------


@ALL
@pytest.mark.parametrize("shape", [(2,), (5, 2), (3, 4, 2)])
def test_shapes_and_pointwise_agreement(surface, shape, rng):
    xy = uniform_points(surface, rng, int(np.prod(shape[:-1]))).reshape(shape)
    before = xy.copy()
    value, grad = surface.value(xy), surface.grad(xy)
    assert value.shape == shape[:-1]
    assert grad.shape == shape
    assert value.dtype == grad.dtype == np.float64
    np.testing.assert_array_equal(xy, before)  # the caller's array is not touched
    for i in np.ndindex(shape[:-1]):
        np.testing.assert_array_equal(value[i], surface.value(xy[i]))
        np.testing.assert_array_equal(grad[i], surface.grad(xy[i]))


@ALL
def test_accepts_lists_and_rejects_bad_shapes(surface):
    x, y = surface.start
    assert float(surface([x, y])) == float(surface.value(np.array([x, y])))
    for bad in (np.zeros(3), np.zeros((4, 3))):
        with pytest.raises(ValueError, match="shape"):
            surface.value(bad)
        with pytest.raises(ValueError, match="shape"):
            surface.grad(bad)


# -- metadata -------------------------------------------------------------------------


def inside(surface, xy):
    return all(lo <= c <= hi for c, (lo, hi) in zip(xy, surface.domain))


@ALL
def test_metadata(surface):
    assert SURFACES[surface.name] is surface
    assert surface.name.isidentifier() and surface.name.islower()
    assert surface.title and surface.reference
    assert set(surface.lr) == set(OPTIMIZER_KEYS)
    assert all(surface.default_lr(k) > 0 for k in OPTIMIZER_KEYS)
    assert isinstance(surface.steps, int) and surface.steps >= 1
    assert isinstance(surface.log_levels, bool)
    assert inside(surface, surface.start)
    for p in surface.minima + surface.landmarks:
        assert inside(surface, p.xy), p
        assert p.kind in KINDS
    assert all(p.kind == "global minimum" for p in surface.minima)
    assert all(p.kind != "global minimum" for p in surface.landmarks)
    if surface.minima:
        assert surface.min_value == min(p.value for p in surface.minima)
    else:
        assert surface.min_value is None


@ALL
def test_latex_renders_with_mathtext(surface):
    assert "$" not in surface.latex
    MathTextParser("path").parse(f"${surface.latex}$")


# -- default learning rates -----------------------------------------------------------

# Where the defaults must also get close: (optimizers, loss above f* at the end).
CONVERGES = {
    "booth": (OPTIMIZER_KEYS, 1e-2),
    "matyas": (OPTIMIZER_KEYS, 1e-3),
    "quadratic": (OPTIMIZER_KEYS, 1e-2),
    "linear_regression": (OPTIMIZER_KEYS, 1e-2),
    "beale": (OPTIMIZER_KEYS, 1e-2),
    "rosenbrock": (("momentum", "adam"), 1e-2),
}


@ALL
def test_default_learning_rates_do_not_diverge(surface, run_defaults):
    run = run_defaults(surface)
    for k in OPTIMIZER_KEYS:
        assert int(run[k].diverged_at) == -1, k
        assert np.all(np.isfinite(run[k].loss)), k
    if surface.name in CONVERGES:
        keys, gap = CONVERGES[surface.name]
        for k in keys:
            assert run[k].loss[-1] - surface.min_value < gap, k
