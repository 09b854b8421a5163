"""The landscape plane: PCA of the paths, the grid's losses, files."""

import numpy as np
import pytest

from optviz.landscape import Landscape, landscape, pca_plane


def quadratic_loss(scales):
    return lambda theta: float(0.5 * np.sum(scales * theta**2))


@pytest.fixture
def planar_paths(rng):
    """Two paths that lie exactly in the plane spanned by e0 and e3 of R^20."""
    t = np.linspace(0, 1, 30)[:, None]
    d1, d2 = np.eye(20)[0], np.eye(20)[3]
    return {
        "a": (1 - t) * (2 * d1 + d2) + t * 0.1 * d2,
        "b": (1 - t) * (2 * d1 + d2) + t * (d1 - 0.5 * d2),
    }


def test_plane_captures_planar_paths(planar_paths):
    plane = pca_plane(planar_paths)
    assert plane.explained.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(plane.directions @ plane.directions.T, np.eye(2), atol=1e-12)
    for path in planar_paths.values():
        # Projecting and lifting back loses nothing for points in the plane.
        np.testing.assert_allclose(plane.point(plane.coords(path)), path, atol=1e-12)


def test_grid_loss_is_the_loss_at_those_parameters(planar_paths, rng):
    scales = rng.uniform(0.5, 3.0, size=20)
    loss_fn = quadratic_loss(scales)
    land = landscape(loss_fn, planar_paths, grid=7)
    for i, j in [(0, 0), (3, 5), (6, 2)]:
        theta = land.plane.origin + land.a[j] * land.plane.directions[0]
        theta += land.b[i] * land.plane.directions[1]
        assert land.loss[i, j] == pytest.approx(loss_fn(theta), rel=1e-14)
    # The grid covers every projected point.
    for xy in land.paths.values():
        assert land.a[0] <= xy[:, 0].min() and xy[:, 0].max() <= land.a[-1]
        assert land.b[0] <= xy[:, 1].min() and xy[:, 1].max() <= land.b[-1]
    np.testing.assert_allclose(land.path_loss["a"][0], loss_fn(planar_paths["a"][0]))


def test_off_plane_paths_report_partial_variance(rng):
    paths = {"x": rng.standard_normal((40, 30)), "y": rng.standard_normal((40, 30))}
    plane = pca_plane(paths)
    assert 0 < plane.explained.sum() < 0.5
    assert plane.explained[0] >= plane.explained[1]


def test_bad_paths():
    with pytest.raises(ValueError, match="never move"):
        pca_plane({"still": np.ones((5, 4))})
    with pytest.raises(ValueError, match="at least 3"):
        pca_plane({"short": np.ones((2, 4))})


def test_round_trip(planar_paths, tmp_path):
    land = landscape(quadratic_loss(np.ones(20)), planar_paths, grid=5)
    land.meta = {"dataset": "test"}
    back = Landscape.load(land.save(tmp_path / "land.npz"))
    np.testing.assert_array_equal(back.loss, land.loss)
    np.testing.assert_array_equal(back.paths["b"], land.paths["b"])
    assert back.meta == {"dataset": "test"}
