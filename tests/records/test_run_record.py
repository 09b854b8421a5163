"""Records: tidy frames, CSV/NPZ round trips, sidecars, atomic writes."""

import json
import os

import numpy as np
import pytest

from optviz._io import OutputError, atomic_path
from optviz.optimizers import SGD, Adagrad, Adam
from optviz.records import Run
from optviz.run import run_surface
from optviz.surfaces import get

ROSEN = get("rosenbrock")


@pytest.fixture
def run():
    # SGD at lr 0.01 diverges from the default start: the records must carry the NaNs.
    return run_surface(
        ROSEN,
        {"sgd": SGD(lr=0.01), "adam": Adam(lr=0.05), "adagrad": Adagrad(lr=0.5)},
        steps=30,
        record_state=True,
    )


def test_to_frame_is_tidy(run):
    frame = run.to_frame()
    assert list(frame.columns) == [
        "optimizer",
        "label",
        "start",
        "step",
        "x",
        "y",
        "loss",
        "grad_x",
        "grad_y",
        "lr_x",
        "lr_y",
        "diverged",
        "state_r_x",  # Adagrad's and Adam's r (record_state=True)
        "state_r_y",
        "state_s_x",  # Adam's s; empty for the others
        "state_s_y",
    ]
    assert len(frame) == 3 * 31
    adam = frame[frame.label == "adam"]
    np.testing.assert_array_equal(adam[["x", "y"]].to_numpy(), run["adam"].xy)
    assert frame[frame.label == "sgd"].diverged.all()
    assert not adam.diverged.any()


def test_batch_frame_numbers_starts():
    starts = np.array([[-1.5, 2.0], [0.5, 0.5], [1.5, 1.5]])
    run = run_surface(ROSEN, [Adam(lr=0.05)], start=starts, steps=4)
    frame = run.to_frame()
    assert len(frame) == 3 * 5
    last = frame[frame.step == 4].sort_values("start")
    np.testing.assert_array_equal(last[["x", "y"]].to_numpy(), run["adam"].xy[-1])


@pytest.mark.parametrize("suffix", [".csv", ".npz"])
def test_round_trip(run, tmp_path, suffix):
    path = run.save(tmp_path / f"run{suffix}")
    back = Run.load(path)
    assert back.surface == "rosenbrock" and back.seed == run.seed
    for a, b in zip(run, back):
        assert (a.label, a.optimizer) == (b.label, b.optimizer)
        assert a.hyperparameters == b.hyperparameters
        for key in ("xy", "loss", "grad", "lr", "diverged_at"):
            np.testing.assert_array_equal(getattr(a, key), getattr(b, key))
    np.testing.assert_array_equal(back["adagrad"].state["r"], run["adagrad"].state["r"])


def test_sidecar_has_everything(run, tmp_path):
    run.save(tmp_path / "run.csv")
    info = json.loads((tmp_path / "run.json").read_text())
    assert info["surface"] == "rosenbrock" and info["start"] == list(ROSEN.start)
    assert info["seed"] == 0 and info["steps"] == 30
    adam = next(o for o in info["optimizers"] if o["label"] == "adam")
    assert adam["hyperparameters"]["lr"] == 0.05
    assert adam["hyperparameters"]["betas"] == [0.9, 0.999]
    sgd = next(o for o in info["optimizers"] if o["label"] == "sgd")
    assert sgd["diverged_at"] > 0
    assert {"optviz", "numpy", "python"} <= set(info["versions"])


def test_save_refuses_bad_paths(run, tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        run.save(tmp_path / "missing" / "run.csv")
    with pytest.raises(OutputError, match="extension"):
        run.save(tmp_path / "run.txt")
    assert list(tmp_path.iterdir()) == []


def test_load_errors(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        Run.load(tmp_path / "nothing.csv")
    with pytest.raises(ValueError, match="expected"):
        Run.load(tmp_path / "nothing.txt")


def test_atomic_path_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("crash mid-write")
    assert target.read_bytes() == b"old"  # the old file survives intact
    assert sorted(os.listdir(tmp_path)) == ["out.bin"]  # no temporary left
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
