"""Curvature: eigenvalues against numpy.linalg.eigvalsh of finite-difference Hessians;
the quadratic's condition number exactly."""

import numpy as np
import pytest

from optviz.curvature import condition_map, condition_number, eigen, path_eigenvalues
from optviz.optimizers import SGD
from optviz.run import run_one
from optviz.surfaces import get, quadratic
from optviz.user_surfaces import resolve


def _second_differences(surface, p, h=1e-4):
    """The Hessian from values only (second differences of f), as numpy would."""
    f = lambda q: float(surface.value(np.asarray(q, dtype=float)))  # noqa: E731
    e = np.eye(2) * h
    hess = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            hess[i, j] = (
                f(p + e[i] + e[j])
                - f(p + e[i] - e[j])
                - f(p - e[i] + e[j])
                + f(p - e[i] - e[j])
            ) / (4 * h * h)
    return hess


@pytest.mark.parametrize("name", ["rosenbrock", "beale", "himmelblau", "six_hump_camel"])
def test_eigenvalues_match_eigvalsh_of_finite_difference_hessians(name, rng):
    surface = get(name)
    (x0, x1), (y0, y1) = surface.domain
    points = np.stack([rng.uniform(x0, x1, 20), rng.uniform(y0, y1, 20)], -1) * 0.5
    lam, vec = eigen(surface, points)
    for p, got in zip(points, lam):
        expected = np.linalg.eigvalsh(_second_differences(surface, p))
        np.testing.assert_allclose(
            got, expected, rtol=1e-4, atol=1e-3 * (1 + np.abs(expected).max())
        )
    # the eigenvectors are orthonormal and diagonalise the Hessian
    h = surface.hess(points)
    np.testing.assert_allclose(
        np.swapaxes(vec, -1, -2) @ h @ vec,
        lam[..., None] * np.eye(2),
        atol=1e-6 * np.abs(h).max(),
    )


def test_a_formulas_exact_hessian_gives_the_quadratics_kappa_exactly():
    surface = resolve("0.5*(x**2 + 10*y**2)")
    cmap = condition_map(surface, n=11)
    assert np.all(cmap.kappa == 10.0)
    assert np.all(cmap.lam == [1.0, 10.0]) and cmap.convex.all()


def test_the_built_in_quadratics_kappa_from_differences():
    cmap = condition_map(quadratic(kappa=25.0), n=5)
    np.testing.assert_allclose(cmap.kappa, 25.0, rtol=1e-8)


def test_condition_number_conventions():
    assert condition_number([[-2.0, 1.0]]).tolist() == [2.0]  # a saddle: |λ| ratio
    assert condition_number([[0.0, 3.0]]).tolist() == [np.inf]


def test_path_eigenvalues_follow_the_iterates():
    surface = get("rosenbrock")
    traj = run_one(surface, SGD(lr=1e-3), surface.start, 30)
    lam = path_eigenvalues(surface, traj.xy)
    assert lam.shape == (31, 2)
    x, y = traj.xy[5]
    exact = np.linalg.eigvalsh(
        [[2 - 400 * (y - x**2) + 800 * x**2, -400 * x], [-400 * x, 200]]
    )
    np.testing.assert_allclose(lam[5], exact, rtol=1e-6)
    stopped = path_eigenvalues(surface, np.array([[0.0, 0.0], [np.nan, np.nan]]))
    assert np.isnan(stopped[1]).all() and np.isfinite(stopped[0]).all()
