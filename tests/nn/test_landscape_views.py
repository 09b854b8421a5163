"""The honest landscape views: the 1-D line, filter-normalised random planes, each
path's share in the plane, per-step paths for the animation, and the figures."""

import numpy as np
import pytest

from optviz.landscape import (
    CAPTURE_WARNING,
    Landscape,
    Plane,
    filter_normalized_direction,
    interpolate_to_ends,
    network_loss,
    paths_by_step,
    plane_fidelity,
    random_landscape,
    training_interpolation,
    training_landscape,
)
from optviz.nn import default_cnn
from optviz.nn.data import load_dataset
from optviz.nn.trainer import train_optimizers


@pytest.fixture(scope="module")
def trained():
    data = load_dataset("digits", seed=0, limit=120)
    model = default_cnn(data.image_shape, data.n_classes, channels=(4, 8), seed=0)
    run = train_optimizers(
        data, ["sgd", "adam"], model=model, epochs=2, seed=0, snapshot_every=2
    )
    x, y = data.x_train[:40], data.y_train[:40]
    return run, model, x, y


def test_the_line_starts_and_ends_at_the_true_losses(trained):
    run, model, x, y = trained
    line = training_interpolation(run, model, x, y, points=4)
    loss_at = network_loss(model, x, y)
    i0, i1 = list(line.t).index(0.0), list(line.t).index(1.0)
    for h in run:
        start, end = h.snapshots[0], h.snapshots[-1]
        assert line.loss[h.label][i0] == pytest.approx(loss_at(start), rel=1e-6)
        assert line.loss[h.label][i1] == pytest.approx(loss_at(end), rel=1e-6)
        assert line.distance[h.label] == pytest.approx(
            np.linalg.norm(end.astype(float) - start.astype(float))
        )
    # both optimizers lowered the loss from the common start
    assert all(v[i1] < v[i0] for v in line.loss.values())


def test_the_line_of_a_quadratic_is_a_parabola():
    paths = {"p": np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])}
    line = interpolate_to_ends(lambda th: float(th @ th), paths, points=4, beyond=0.25)
    np.testing.assert_allclose(line.loss["p"], 4 * line.t**2)  # |t (2, 0)|^2


def test_filter_normalisation_gives_each_filter_the_weights_norm(rng):
    conv = rng.standard_normal((6, 3, 3, 3))  # 6 filters of 3x3x3
    bias = rng.standard_normal(6)
    dense = rng.standard_normal((10, 24))
    d = filter_normalized_direction([conv, bias, dense], 0)
    d_conv = d[: conv.size].reshape(conv.shape)
    d_bias = d[conv.size : conv.size + 6]
    d_dense = d[conv.size + 6 :].reshape(dense.shape)
    np.testing.assert_allclose(
        np.linalg.norm(d_conv.reshape(6, -1), axis=1),
        np.linalg.norm(conv.reshape(6, -1), axis=1),
    )
    np.testing.assert_allclose(
        np.linalg.norm(d_dense, axis=1), np.linalg.norm(dense, axis=1)
    )
    assert np.all(d_bias == 0)
    # not just the weights again: a random direction
    assert abs(np.corrcoef(d_conv.ravel(), conv.ravel())[0, 1]) < 0.5
    np.testing.assert_array_equal(d, filter_normalized_direction([conv, bias, dense], 0))


def test_the_random_plane_is_centred_on_its_point(trained):
    run, model, x, y = trained
    end = run["adam"].snapshots[-1]
    land = random_landscape(model, x, y, end, grid=3, seed=1, label="adam")
    assert land.meta["view"] == "random" and land.paths == {}
    assert land.loss[1, 1] == pytest.approx(network_loss(model, x, y)(end), rel=1e-5)
    others = np.delete(land.loss.ravel(), 4)
    assert np.all(others > land.loss[1, 1])  # the end point is the lowest of the grid


def _toy(paths, loss_value):
    """A landscape on the (x0, x1) plane of 3-D paths with loss(theta) given."""
    plane = Plane(np.zeros(3), np.eye(3)[:2], np.array([0.5, 0.5]))
    from optviz.landscape import path_variance_captured

    a = b = np.linspace(-2, 2, 9)
    grid = np.array([[loss_value(np.array([ai, bi, 0.0])) for ai in a] for bi in b])
    return Landscape(
        plane,
        a,
        b,
        grid,
        {k: plane.coords(p) for k, p in paths.items()},
        {k: np.array([loss_value(t) for t in p]) for k, p in paths.items()},
        meta={"captured": path_variance_captured(plane, paths)},
    )


def test_a_path_out_of_the_plane_is_flagged_and_one_inside_is_not():
    def bowl(t):  # lowest at (0, 0, 2): off the plane
        return float(t[0] ** 2 + t[1] ** 2 + (t[2] - 2) ** 2) + 0.01

    inside = np.array([[1.0, 1.0, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 0.0]])
    across = np.array([[0.0, 0.0, 0.0], [0.0, 0.05, 1.0], [0.0, 0.1, 2.0]])
    facts = plane_fidelity(_toy({"in": inside, "out": across}, bowl))
    assert facts["in"]["captured"] == pytest.approx(1.0) and not facts["in"]["warn"]
    assert facts["out"]["captured"] < CAPTURE_WARNING and facts["out"]["warn"]
    # it ended near the true minimum, but the plane shows 4 there: "uphill"
    assert facts["out"]["end_loss"] == pytest.approx(0.02)
    assert facts["out"]["plane_end_loss"] == pytest.approx(bowl([0.0, 0.1, 0.0]), rel=0.05)
    assert facts["out"]["uphill"]


def test_the_animation_counts_training_steps(trained):
    run, model, x, y = trained
    land = training_landscape(run, model, x, y, grid=3)
    steps_run = paths_by_step(land)
    for h in run:
        traj = steps_run[h.label]
        assert traj.steps == h.snapshot_steps[-1] == h.steps  # rows: steps, not snapshots
        np.testing.assert_allclose(traj.xy[h.snapshot_steps], land.paths[h.label])
        np.testing.assert_allclose(traj.loss[h.snapshot_steps], land.path_loss[h.label])


def test_the_figures_say_what_the_data_say(trained):
    from optviz.plot.landscape import (
        landscape_animation,
        landscape_figure,
        random_plane_figure,
    )

    run, model, x, y = trained
    land = training_landscape(run, model, x, y, grid=5)
    line = training_interpolation(run, model, x, y, points=2)
    fig = landscape_figure(land, line)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    for label, share in land.captured().items():
        assert any(f"{100 * share:.0f}% in the plane" in t for t in texts)
    assert any(ax.get_ylabel() == "loss (log scale)" for ax in fig.axes)  # colour bar
    map_ax = fig.axes[0]
    assert map_ax.get_xlabel().startswith("PCA direction 1 (")
    clabels = [t for t in map_ax.texts if t.get_text().replace(".", "").isdigit()]
    assert clabels  # contour values
    warned = [lb for lb, f in plane_fidelity(land).items() if f["warn"]]
    notes = [t.get_text() for sub in fig.subfigs for t in sub.texts] if warned else []
    for lb in warned:
        assert any(lb.upper() in n.upper() for n in notes)
    rl = random_landscape(model, x, y, run["sgd"].snapshots[-1], grid=3)
    assert "random direction 1" in random_plane_figure(rl).axes[0].get_xlabel()
    anim = landscape_animation(land, frames=3, size=(480, 240))
    assert anim.axes["trajectory"].get_xlabel() == map_ax.get_xlabel()
    assert anim.steps[-1] == run["sgd"].steps


def test_the_warning_says_uphill_only_from_the_true_losses():
    from optviz.plot.landscape import path_note

    fact = {"captured": 0.07, "end_loss": 0.04, "lowest_loss": 0.04}
    fact |= {"plane_end_loss": 0.3, "uphill": True, "warn": True}
    note = path_note("sgd", fact)
    assert "only 7% of its path" in note and "did not end uphill" in note
    rose = fact | {"lowest_loss": 0.01}  # its loss did rise at the end
    assert "did not end uphill" not in path_note("sgd", rose)
    inside = fact | {"captured": 0.9, "uphill": False, "warn": False}
    assert path_note("sgd", inside) == ""
