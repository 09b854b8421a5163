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
    # Paths inside the plane are captured whole.
    assert land.captured() == pytest.approx({"a": 1.0, "b": 1.0}, abs=1e-12)


def test_a_path_across_the_plane_is_captured_in_part():
    from optviz.landscape import path_variance_captured

    t = np.linspace(0, 1, 20)[:, None]
    e = np.eye(5)
    paths = {"in": t * e[0], "in2": t * e[1], "across": t * (e[0] + e[2])}
    plane = pca_plane({"in": paths["in"], "in2": paths["in2"]})
    share = path_variance_captured(plane, paths)
    assert share["in"] == pytest.approx(1.0) and share["across"] == pytest.approx(0.5)


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


@pytest.fixture(scope="module")
def trained():
    from optviz.nn.data import load_dataset
    from optviz.nn.model import default_cnn
    from optviz.nn.trainer import train_optimizers

    data = load_dataset("digits", seed=0, limit=200, dtype=np.float64)
    run = train_optimizers(
        data, ["sgd", "adam"], epochs=2, seed=0, snapshot_every=2, dtype=np.float64
    )
    model = default_cnn(data.image_shape, data.n_classes, seed=1, dtype=np.float64)
    return run, model, data


def test_cnn_landscape_draws_the_networks_own_loss(trained):
    from optviz.landscape import training_landscape
    from optviz.nn.trainer import evaluate

    run, model, data = trained
    x, y = data.x_train[:64], data.y_train[:64]
    land = training_landscape(run, model, x, y, grid=5)
    assert set(land.paths) == {"sgd", "adam"}
    for i, j in [(0, 0), (2, 3), (4, 1)]:
        theta = land.plane.point(np.array([land.a[j], land.b[i]]))
        model.set_flat(theta)
        assert land.loss[i, j] == pytest.approx(evaluate(model, x, y)[0], rel=1e-12)
    # The recorded paths' own losses are the network's losses at the snapshots.
    model.set_flat(run["adam"].snapshots[-1])
    assert land.path_loss["adam"][-1] == pytest.approx(evaluate(model, x, y)[0])
    assert 0 < land.plane.explained.sum() <= 1 + 1e-12
    assert land.meta["explained_variance"] == land.plane.explained.tolist()


def test_cnn_landscape_needs_snapshots(trained):
    from optviz.landscape import training_landscape
    from optviz.nn.trainer import train_optimizers

    run, model, data = trained
    plain = train_optimizers(data, ["sgd"], epochs=1, seed=0, dtype=np.float64)
    with pytest.raises(ValueError, match="snapshot"):
        training_landscape(plain, model, data.x_train[:8], data.y_train[:8])


def test_landscape_cli(tmp_path):
    from click.testing import CliRunner
    from PIL import Image

    from optviz.cli import main

    runner = CliRunner()
    out = tmp_path / "run"
    result = runner.invoke(
        main,
        [
            "train",
            "-o",
            "sgd",
            "-o",
            "adam",
            "--epochs",
            "2",
            "--limit",
            "200",
            "--snapshot-every",
            "3",
            "--out",
            str(out),
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        main, ["landscape", str(out), "--grid", "5", "--images", "32", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "of the paths' variance" in result.output
    with Image.open(out / "landscape.png") as im:
        assert im.width > 1000
    land = Landscape.load(out / "landscape.npz")
    assert land.loss.shape == (5, 5)
    result = runner.invoke(main, ["landscape", str(tmp_path / "nothing")])
    assert result.exit_code != 0 and "optviz train" in result.output


def test_the_plane_does_not_depend_on_the_blas_threads():
    """The same paths give the same plane bits on one BLAS thread or two (LAPACK's SVD
    moves in the last digits with the thread count; the gallery's figures did too)."""
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    paths = {str(i): np.cumsum(rng.standard_normal((60, 2000)), axis=0) for i in range(3)}
    planes = []
    for threads in (1, 2):
        with threadpool_limits(threads, user_api="blas"):
            planes.append(pca_plane(paths))
    np.testing.assert_array_equal(planes[0].directions, planes[1].directions)
    np.testing.assert_array_equal(planes[0].explained, planes[1].explained)
