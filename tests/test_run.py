"""The run layer: recorded iterates, gradients, learning rates, divergence, batches."""

import numpy as np
import pytest

from optviz.optimizers import SGD, Adagrad, Adam, Momentum, RMSprop
from optviz.run import DIVERGENCE_SPANS, outside, run_one, run_surface
from optviz.surfaces import get

ROSEN = get("rosenbrock")


def test_first_step_by_hand():
    # Rosenbrock at (-1.5, 2): y - x^2 = -0.25,
    # df/dx = -2(1 - x) - 400 x (y - x^2) = -5 - 150 = -155,  df/dy = 200(-0.25) = -50,
    # f = 2.5^2 + 100 * 0.0625 = 12.5. One SGD step with lr 1e-3: (-1.345, 2.05).
    traj = run_one(ROSEN, SGD(lr=1e-3), (-1.5, 2.0), steps=3)
    np.testing.assert_allclose(traj.grad[0], [-155.0, -50.0], rtol=1e-14)
    assert traj.loss[0] == pytest.approx(12.5, rel=1e-14)
    np.testing.assert_allclose(traj.xy[1], [-1.345, 2.05], rtol=1e-14)
    np.testing.assert_allclose(traj.lr[1], [1e-3, 1e-3])
    assert np.isnan(traj.lr[0]).all()
    assert traj.xy.shape == (4, 2) and traj.loss.shape == (4,)
    assert traj.diverged_at == -1 and not traj.diverged


def test_batch_of_starts_equals_separate_runs(rng):
    starts = rng.uniform([-2, -1], [2, 3], size=(3, 4, 2))
    batch = run_one(ROSEN, Adam(lr=0.05), starts, steps=40)
    assert batch.xy.shape == (41, 3, 4, 2)
    for idx in np.ndindex(3, 4):
        one = run_one(ROSEN, Adam(lr=0.05), starts[idx], steps=40)
        np.testing.assert_array_equal(batch.xy[(slice(None), *idx)], one.xy)
        np.testing.assert_array_equal(batch.loss[(slice(None), *idx)], one.loss)


def test_learning_rate_batch_equals_separate_runs():
    lrs = np.array([1e-4, 3e-4, 1e-3])
    starts = np.broadcast_to(ROSEN.start, (3, 2))
    batch = run_one(ROSEN, SGD(lr=lrs[:, None]), starts, steps=30)
    for i, lr in enumerate(lrs):
        one = run_one(ROSEN, SGD(lr=lr), ROSEN.start, steps=30)
        np.testing.assert_array_equal(batch.xy[:, i], one.xy)


def test_divergence_stops_cleanly():
    traj = run_one(ROSEN, SGD(lr=0.01), (-1.5, 2.0), steps=200)
    d = int(traj.diverged_at)
    assert 0 < d < 200 and traj.diverged
    assert np.all(np.isfinite(traj.xy[:d])) and np.all(np.isnan(traj.xy[d:]))
    assert np.all(np.isnan(traj.loss[d:]))
    assert traj.xy.shape == (201, 2)  # full length even though it stopped early
    np.testing.assert_array_equal(traj.last_finite(), traj.xy[d - 1])


def test_divergence_is_per_start():
    starts = np.array([[-1.5, 2.0], [1.0, 1.0]])  # the second sits at the minimum
    traj = run_one(ROSEN, SGD(lr=0.01), starts, steps=100)
    assert traj.diverged_at[0] > 0 and traj.diverged_at[1] == -1
    np.testing.assert_array_equal(traj.xy[-1, 1], [1.0, 1.0])


def test_outside_counts_far_points_and_nan():
    (x0, x1), (y0, y1) = ROSEN.domain
    far = x1 + DIVERGENCE_SPANS * 4.0 + 1.0
    pts = np.array([[0.0, 0.0], [far, 0.0], [np.nan, 0.0], [np.inf, 0.0], [x1 + 1, y1]])
    np.testing.assert_array_equal(outside(ROSEN, pts), [False, True, True, True, False])


def test_effective_lr_is_what_the_step_applied():
    for opt in (SGD(lr=1e-3), Adagrad(lr=0.3), RMSprop(lr=0.01)):
        traj = run_one(ROSEN, opt, ROSEN.start, steps=50)
        applied = np.abs(np.diff(traj.xy, axis=0)) / np.abs(traj.grad[:-1])
        np.testing.assert_allclose(traj.lr[1:], applied, rtol=1e-9)


def test_recorded_state_follows_the_notes():
    traj = run_one(ROSEN, Adagrad(lr=0.3), ROSEN.start, steps=20, record_state=True)
    # Adagrad's r is the running SUM of squared gradients.
    r = np.cumsum(traj.grad[:-1] ** 2, axis=0)
    np.testing.assert_allclose(traj.state["r"][1:], r, rtol=1e-12)
    traj = run_one(ROSEN, Momentum(lr=1e-4), ROSEN.start, steps=20, record_state=True)
    np.testing.assert_allclose(traj.state["v"][1:], np.diff(traj.xy, axis=0), rtol=1e-12)


def test_run_surface_labels_and_defaults():
    run = run_surface(ROSEN, [SGD(lr=1e-3), SGD(lr=2e-3), Adam(lr=0.05)], steps=5)
    assert [t.label for t in run] == ["sgd #1", "sgd #2", "adam"]
    np.testing.assert_array_equal(run.start, ROSEN.start)
    run = run_surface(ROSEN, {"fast": SGD(lr=2e-3)}, steps=5)
    assert run["fast"].optimizer == "sgd"
    with pytest.raises(KeyError, match="fast"):
        run["slow"]


def test_bad_input():
    with pytest.raises(ValueError, match="steps"):
        run_one(ROSEN, SGD(), ROSEN.start, steps=0)
    with pytest.raises(ValueError, match="shape"):
        run_one(ROSEN, SGD(), (1.0, 2.0, 3.0), steps=3)
    with pytest.raises(ValueError, match="finite"):
        run_one(ROSEN, SGD(), (np.nan, 0.0), steps=3)
    with pytest.raises(ValueError, match="batch_size"):
        run_surface(ROSEN, [SGD()], steps=3, batch_size=4)
    with pytest.raises(ValueError, match="no optimizers"):
        run_surface(ROSEN, [], steps=3)


# -- one loop, two recorders ------------------------------------------------------------
def test_run_surface_accepts_registry_names_and_specs():
    by_name = run_surface(ROSEN, "adam", steps=20)
    by_hand = run_surface(ROSEN, {"adam": Adam(lr=ROSEN.default_lr("adam"))}, steps=20)
    assert by_name.labels == ["adam"]
    np.testing.assert_array_equal(by_name["adam"].xy, by_hand["adam"].xy)
    several = run_surface(ROSEN, ["sgd", "adam", "adam:lr=0.1"], steps=5)
    assert several.labels == ["sgd", "adam", "adam (lr=0.1)"]
    assert several["adam (lr=0.1)"].hyperparameters["lr"] == 0.1
    assert several["sgd"].hyperparameters["lr"] == ROSEN.default_lr("sgd")
    mixed = run_surface(ROSEN, [SGD(lr=1e-3), "adam"], steps=5)
    assert mixed.labels == ["sgd", "adam"]


@pytest.mark.parametrize("bad, message", [([3], "got int"), (["adma"], "Did you mean")])
def test_run_surface_rejects_what_is_not_an_optimizer(bad, message):
    with pytest.raises(ValueError, match=message):
        run_surface(ROSEN, bad, steps=5)


def test_final_recorder_agrees_with_the_full_history(rng):
    from optviz.run import track

    starts = rng.uniform([-2, -1], [2, 3], size=(25, 2))
    full = run_one(ROSEN, Adam(lr=0.1), starts, steps=300)
    final = track(ROSEN, Adam(lr=0.1), starts, steps=300, tol=1e-3)
    np.testing.assert_array_equal(final.final_xy, full.xy[-1])
    np.testing.assert_array_equal(final.final_loss, full.loss[-1])
    np.testing.assert_array_equal(final.diverged_at, full.diverged_at)
    # steps to tol from the history: the first step from which f - f* < tol to the end
    below = full.loss - ROSEN.min_value < 1e-3  # (T+1, B)
    tail = np.logical_and.accumulate(below[::-1], axis=0)[::-1]
    expected = np.where(tail[-1], np.argmax(tail, axis=0), -1)
    np.testing.assert_array_equal(final.steps_to_tol, expected)
    assert (expected >= 0).any() and (expected < 0).any()  # both cases are covered


def test_loss_gap_is_the_loss_where_no_minimum_is_known():
    from optviz.run import loss_gap

    loss = np.array([1.0, -2.0])
    assert loss_gap(get("saddle"), loss) is loss
    np.testing.assert_array_equal(loss_gap(ROSEN, loss), loss - ROSEN.min_value)


def test_the_plots_take_the_gap_from_the_surface_they_are_given():
    from optviz.plot.contours import gap

    loss = np.array([1.0, 3.0])
    assert gap(get("saddle"), loss) is loss
    np.testing.assert_array_equal(gap(ROSEN, loss), [1.0, 3.0])  # Rosenbrock's f* = 0
    np.testing.assert_array_equal(gap(get("easom"), loss), [2.0, 4.0])  # f* = -1


def test_progress_is_reported_over_all_optimizers():
    from optviz.startmap import start_map
    from optviz.sweep import lr_sweep

    seen = []
    run_surface(
        ROSEN, ["sgd", "adam"], steps=250, progress=lambda d, n: seen.append((d, n))
    )
    assert {n for _, n in seen} == {500}
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == 500 and 250 in done
    assert 4 <= len(done) <= 2 * 101  # every few steps, not every step
    seen.clear()
    lr_sweep(ROSEN, ["adam"], [0.01, 0.1], steps=40, progress=lambda d, n: seen.append(d))
    assert seen[-1] == 40
    seen.clear()
    start_map(
        ROSEN,
        ["sgd", "adam", "rmsprop"],
        grid=3,
        steps=7,
        progress=lambda d, n: seen.append((d, n)),
    )
    assert seen[-1] == (21, 21) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_run_that_diverges_early_still_reports_its_end():
    seen = []
    traj = run_one(
        ROSEN, SGD(lr=0.01), ROSEN.start, 500, progress=lambda d, n: seen.append(d)
    )
    assert traj.diverged and traj.diverged_at < 500
    assert seen[-1] == 500
