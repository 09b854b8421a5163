"""Training: learning happens, runs repeat exactly, divergence is recorded, records
round-trip."""

import numpy as np
import pytest

from optviz.nn import default_cnn
from optviz.nn.data import load_dataset
from optviz.nn.trainer import (
    DEFAULT_LR,
    build_optimizers,
    minibatches,
    train,
    train_optimizers,
)
from optviz.optimizers import DEFAULT_OPTIMIZERS, SGD, Adam
from optviz.records import EPOCH_COLUMNS, TrainingRun


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits", seed=0)


@pytest.fixture(scope="module")
def small():
    return load_dataset("digits", seed=0, limit=300)


def test_adam_learns_the_digits(digits):
    run = train_optimizers(digits, ["adam"], epochs=3, seed=0)
    h = run["adam"]
    assert h.val_accuracy[-1] > 0.85  # chance is 0.10
    assert h.train_loss[-1] < 0.5 * h.train_loss[0]
    assert np.all(np.diff(h.val_loss) < 0)
    per_epoch = h.steps // 3
    assert h.step_loss[-per_epoch:].mean() < 0.3 * h.step_loss[:10].mean()


def test_every_default_optimizer_learns(digits):
    run = train_optimizers(digits, epochs=2, seed=1)
    assert run.labels == list(DEFAULT_OPTIMIZERS)
    for h in run:
        assert not h.diverged
        assert h.val_accuracy[-1] > 0.5, h.label
        assert h.hyperparameters["lr"] == DEFAULT_LR[h.optimizer]


def test_same_seed_same_history_bytes(small, tmp_path):
    paths = []
    for i, seed in enumerate((7, 7, 8)):
        folder = tmp_path / f"run{i}"
        folder.mkdir()
        run = train_optimizers(small, ["sgd", "adam"], epochs=2, batch_size=32, seed=seed)
        paths.append(run.save(folder / "history.csv"))
    same = [p.read_bytes() for p in paths[:2]]
    assert same[0] == same[1]
    steps = [p.with_name("history-steps.csv").read_bytes() for p in paths]
    assert steps[0] == steps[1] != steps[2]


def test_optimizers_start_from_the_same_weights_and_batches(small):
    run = train_optimizers(small, ["sgd:lr=0.1", "sgd:lr=0.1,", "adam"], epochs=1, seed=3)
    a, b, c = run
    np.testing.assert_array_equal(a.step_loss, b.step_loss)  # same start, same batches
    assert a.step_loss[0] == c.step_loss[0]  # same first batch, same weights
    assert a.step_loss[1] != c.step_loss[1]


def test_a_diverging_run_stops_and_is_recorded(small):
    run = train_optimizers(small, ["sgd:lr=1e10", "adam"], epochs=3, seed=0)
    bad, good = run
    assert bad.diverged and bad.diverged_at >= 1
    last = bad.step_loss[bad.diverged_at - 1]  # infinite, or 1e3 x the first loss
    assert not np.isfinite(last) or last > 1e3 * bad.step_loss[0]
    assert bad.steps == bad.diverged_at  # stopped there
    assert np.isnan(bad.val_accuracy[-1])
    frame = run.to_frame()
    assert frame[frame.label == "sgd"].diverged.iloc[-1]
    assert not good.diverged and good.val_accuracy[-1] > 0.3


def test_snapshots_every_n_steps_and_every_epoch(small):
    model = default_cnn(small.image_shape, 10, seed=0)
    start = model.get_flat()
    h = train(model, Adam(lr=1e-3), small, epochs=2, batch_size=60, snapshot_every=3)
    per_epoch = -(-len(small.y_train) // 60)  # 4
    assert h.steps == 2 * per_epoch
    np.testing.assert_array_equal(h.snapshot_steps, [0, 3, 6])
    assert h.snapshots.shape == (3, model.size)
    np.testing.assert_array_equal(h.snapshots[0], start)
    assert not np.array_equal(h.snapshots[1], start)

    model.set_flat(start)
    h = train(model, SGD(lr=0.1), small, epochs=2, batch_size=60, snapshot_every="epoch")
    np.testing.assert_array_equal(h.snapshot_steps, [0, per_epoch, 2 * per_epoch])
    np.testing.assert_array_equal(h.snapshots[-1], model.get_flat())


def test_callback_sees_every_step_and_epoch(small):
    events = []
    run = train_optimizers(small, ["sgd"], epochs=2, batch_size=100, callback=events.append)
    h = run["sgd"]
    steps = [e for e in events if e.kind == "step"]
    epochs = [e for e in events if e.kind == "epoch"]
    assert [e.step for e in steps] == list(range(1, h.steps + 1))
    assert [e.epoch for e in epochs] == [1, 2]
    assert epochs[-1].val_accuracy == pytest.approx(h.val_accuracy[-1])
    assert steps[0].loss == pytest.approx(h.step_loss[0])


def test_minibatches_use_each_image_once_and_reshuffle():
    rng = np.random.default_rng(0)
    first = list(minibatches(10, 4, rng))
    second = list(minibatches(10, 4, rng))
    assert [len(b) for b in first] == [4, 4, 2]
    assert sorted(np.concatenate(first).tolist()) == list(range(10))
    assert not np.array_equal(np.concatenate(first), np.concatenate(second))


def test_history_round_trips_through_csv(small, tmp_path):
    run = train_optimizers(small, ["sgd", "adam"], epochs=2, seed=0, snapshot_every="epoch")
    path = run.save(tmp_path / "run")
    assert (path / "history-snapshots.npz").is_file()
    back = TrainingRun.load(path)
    frame = back.to_frame()
    assert list(frame.columns) == list(EPOCH_COLUMNS)
    assert frame.equals(run.to_frame())
    assert back.steps_frame().equals(run.steps_frame())
    np.testing.assert_array_equal(back["adam"].snapshots, run["adam"].snapshots)
    assert back.meta["batch_size"] == 64 and back.seed == 0
    assert back["adam"].hyperparameters["lr"] == DEFAULT_LR["adam"]
    # the sidecar can rebuild the network the snapshots belong to
    net = default_cnn(**back.meta["builder"]["arguments"])
    net.set_flat(back["adam"].snapshots[-1])
    assert net.size == back["adam"].snapshots.shape[1]


def test_training_rejects_bad_settings(small):
    model = default_cnn(small.image_shape, 10, seed=0)
    with pytest.raises(ValueError, match="epochs must be in"):
        train(model, Adam(), small, epochs=0)
    with pytest.raises(ValueError, match="batch_size must be in"):
        train(model, Adam(), small, batch_size=0)
    with pytest.raises(ValueError, match="snapshot_every must be"):
        train(model, Adam(), small, snapshot_every=0)
    with pytest.raises(ValueError, match="the data set has 10 classes"):
        train(default_cnn(small.image_shape, 3), Adam(), small)
    with pytest.raises(ValueError, match="does not fit"):
        train(default_cnn((1, 9, 9), 10), Adam(), small)


def test_build_optimizers_uses_the_network_defaults():
    opts = build_optimizers(["sgd", "adam:lr=0.01", "adam"])
    assert opts["sgd"].lr == DEFAULT_LR["sgd"]
    assert opts["adam (lr=0.01)"].lr == 0.01
    assert opts["adam"].lr == DEFAULT_LR["adam"]
    with pytest.raises(ValueError, match="unknown optimizer 'adma'"):
        build_optimizers(["adma"])
    with pytest.raises(ValueError, match="lr must be > 0"):
        build_optimizers(["sgd:lr=-1"])


def test_an_exploding_loss_is_divergence(small):
    """lr=1e6: the losses stay finite (they reach 1e17 and more) but explode; the run
    stops at the first step above EXPLOSION_FACTOR x the first loss."""
    from optviz.nn.trainer import EXPLOSION_FACTOR

    run = train_optimizers(small, {"sgd": SGD(lr=1e6)}, epochs=3, seed=0)
    h = run["sgd"]
    assert h.diverged
    first = h.step_loss[0]
    over = np.flatnonzero(h.step_loss > EXPLOSION_FACTOR * first)
    assert h.diverged_at == over[0] + 1 == h.steps  # stopped right there
    assert np.all(np.isfinite(h.step_loss))  # finite, yet diverged
    assert np.all(np.isnan(h.val_accuracy))  # no epoch completed


def test_a_loss_that_rises_tenfold_is_not_divergence():
    from optviz.nn.trainer import exploded

    assert not exploded(23.0, 2.3)
    assert exploded(2301.0, 2.3)
    assert not exploded(999.0, 1e-4)  # the floor: a near-perfect start
    assert exploded(float("inf"), 2.3) and exploded(float("nan"), 2.3)
