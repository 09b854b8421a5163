"""Every value a record file holds is range-checked on load: whole numbers (2**64 was
an OverflowError), accuracies in [0, 1], steps within the run and increasing, moments
never negative, starts and grids finite. Each failure is one ``ValueError`` naming the
file, the field and the allowed range; the CLI shows it as ``Error: ...``, exit 1.

Also: a device (a symlink to /dev/zero) is named as such and never read, and the
landscape's inputs are checked before the SVD or the contour levels see them."""

import json
import os
import zipfile

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error
from records_makers import record_of

import optviz.records._base as base
from optviz.cli import main
from optviz.landscape import (
    MAX_PATH_STEPS,
    evaluate_plane,
    paths_by_step,
    pca_plane,
    training_interpolation,
)
from optviz.records import (
    CnnSweep,
    History,
    Landscape,
    Run,
    StartMap,
    Sweep,
    TrainingRun,
)


def one_line_error(call, path, *fragments):
    with pytest.raises(ValueError) as err:
        call()
    message = str(err.value)
    assert "\n" not in message and len(message) <= base.MAX_MESSAGE, message
    assert message.startswith(f"cannot read {path}"), message
    for fragment in fragments:
        assert fragment in message, message
    return message


def edit_sidecar(path, change):
    side = path.with_suffix(".json")
    info = json.loads(side.read_text())
    change(info)
    side.write_text(json.dumps(info))


def edit_npz(path, change):
    with np.load(path) as npz:
        arrays = dict(npz)
    change(arrays)
    with zipfile.ZipFile(path, "w") as zf:  # same member names, new values
        for name, value in arrays.items():
            with zf.open(f"{name}.npy", "w") as fh:
                np.lib.format.write_array(fh, np.asarray(value))


def edit_csv(path, change):
    frame = pd.read_csv(path, dtype={"label": str})
    frame = change(frame) if change(frame) is not None else frame
    frame.to_csv(path, index=False)


def set_cell(column, value, row=0):
    def change(frame):
        frame[column] = frame[column].astype(object)
        frame.loc[row, column] = value

    return change


# -- one case per field: (record type, suffix, how the file is changed, message) -------
def _sidecar(change):
    return lambda path: edit_sidecar(path, change)


def _npz(change):
    return lambda path: edit_npz(path, change)


def _csv(change):
    return lambda path: edit_csv(path, change)


def _set(key, value):
    def change(arrays):
        arrays[key] = np.full_like(arrays[key], value) if np.ndim(value) == 0 else value

    return change


CASES = {
    "integer-beyond-int64-in-a-sidecar": (
        Run,
        ".csv",
        _sidecar(lambda i: i["optimizers"][0].update(diverged_at=2**64)),
        "'sgd': diverged_at must be whole numbers in [-1, 30], got 18446744073709551616",
    ),
    "seed-beyond-int64": (
        Run,
        ".npz",
        _sidecar(lambda i: i.update(seed=2**64)),
        "seed must be a whole number in [0, 2**63) or null",
    ),
    "start-not-finite": (
        Run,
        ".npz",
        _sidecar(lambda i: i.update(start=[float("nan"), 1.0])),
        "start must be finite numbers",
    ),
    "divergence-step-after-the-run": (
        Run,
        ".npz",
        _npz(_set("1/diverged_at", 31)),
        "'adam': diverged_at must be whole numbers in [-1, 30], got 31",
    ),
    "negative-second-moment": (
        Run,
        ".npz",
        _npz(_set("2/state/r", -1.0)),
        "'adagrad': state r must be numbers in [0, inf] (or NaN), got -1.0 at [0, 0]",
    ),
    "negative-effective-learning-rate": (
        Run,
        ".csv",
        _csv(set_cell("lr_x", -0.5, row=3)),
        "'sgd': effective learning rate must be numbers in [0, inf] (or NaN), got -0.5",
    ),
    "accuracy-above-one": (
        TrainingRun,
        ".csv",
        _csv(set_cell("val_accuracy", 2.5)),
        "'sgd': val_accuracy must be numbers in [0, 1] (or NaN), got 2.5 at [0]",
    ),
    "accuracy-below-zero": (
        TrainingRun,
        ".npz",
        _npz(_set("1/train_accuracy", -5.0)),
        "'adam': train_accuracy must be numbers in [0, 1] (or NaN), got -5.0",
    ),
    "snapshot-steps-out-of-the-run": (
        TrainingRun,
        ".npz",
        _npz(_set("0/steps", np.array([10**12, -5, 4]))),
        "'sgd': snapshot steps must be whole numbers in [0, 6], got 1000000000000 at [0]",
    ),
    "snapshot-steps-not-increasing": (
        TrainingRun,
        ".npz",
        _npz(_set("0/steps", np.array([0, 4, 2]))),
        "'sgd': snapshot steps must increase, got 4 then 2 at [1, 2]",
    ),
    "snapshot-not-finite-in-a-run-that-did-not-diverge": (
        TrainingRun,
        ".npz",
        _npz(_set("0/params", np.full((3, 7), np.nan, dtype=np.float32))),
        "'sgd': snapshots must be finite numbers, got nan at [0, 0]",
    ),
    "step-epoch-beyond-int64": (
        TrainingRun,
        ".csv",
        lambda path: edit_csv(path.with_name("rec-steps.csv"), set_cell("epoch", 2**64)),
        "'sgd': epoch must be whole numbers in [1, 2**63 - 1], got 18446744073709551616",
    ),
    "steps-to-tolerance-beyond-int64": (
        Sweep,
        ".csv",
        _csv(set_cell("steps_to_tol", 2**64)),
        "steps_to_tol must be whole numbers in [-1, 2**63 - 1]",
    ),
    "learning-rate-not-positive": (
        Sweep,
        ".npz",
        _npz(_set("0/lr", -1.0)),
        "'sgd': lr must be finite numbers in [0, inf], got -1.0 at [0]",
    ),
    "basin-beyond-the-colours": (
        StartMap,
        ".npz",
        _npz(_set("0/basin", 2**40)),
        "'adam': basin must be whole numbers in [-2, 999], got 1099511627776",
    ),
    "grid-not-increasing": (
        StartMap,
        ".npz",
        _npz(lambda a: a.update(x=a["x"][::-1])),
        "x must increase",
    ),
    "landscape-grid-not-finite": (
        Landscape,
        ".npz",
        _npz(lambda a: a["loss"].__setitem__((1, 1), np.inf)),
        "loss must be finite numbers, got inf at [1, 1]",
    ),
    "landscape-snapshot-steps-out-of-range": (
        Landscape,
        ".npz",
        _sidecar(lambda i: i["meta"].update(snapshot_steps={"a": [10**12, -5] + [0] * 10})),
        "'a': snapshot steps must be whole numbers in [0, 2**63 - 1], got -5 at [1]",
    ),
    "cached-accuracy-above-one": (
        CnnSweep,
        ".npz",
        _sidecar(lambda i: i["run_results"][0]["result"].update(val_accuracy=[0.3, 2.5])),
        "a result's val_accuracy must be numbers in [0, 1] (or NaN), got 2.5 at [1]",
    ),
    "cached-best-accuracy-below-zero": (
        CnnSweep,
        ".csv",
        _sidecar(lambda i: i["run_results"][1]["result"].update(best_val_accuracy=-5)),
        "a result's best_val_accuracy must be numbers in [0, 1] (or NaN), got -5",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_value_out_of_its_range_is_one_line_naming_the_field(tmp_path, case):
    kind, suffix, damage, fragment = CASES[case]
    path = record_of(kind).save(tmp_path / f"rec{suffix}")
    kind.load(path)  # the file as saved loads
    damage(path)
    one_line_error(lambda: kind.load(path), path, fragment)


def test_a_cached_run_with_an_impossible_accuracy_is_retrained(tmp_path, monkeypatch):
    import optviz.cnn_sweep as cs
    from optviz.records import CnnJob

    job = CnnJob("sgd", "sgd", 0.1, 0, epochs=2, limit=60, channels=(2, 4))
    good = record_of(CnnSweep).results[0]
    store = cs.RunCache(tmp_path)
    from dataclasses import asdict

    bad = {**good, "val_accuracy": [0.3, -5.0]}
    store.path(job).write_text(json.dumps({"job": asdict(job), "result": bad}))
    assert store.get(job) is None and store.malformed == [store.path(job)]


# -- devices and folders are named, never read -------------------------------------------
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("which", ["record", "sidecar"])
def test_a_device_given_as_a_record_is_not_a_regular_file(tmp_path, which):
    path = record_of(Run).save(tmp_path / "run.npz")
    target = path if which == "record" else path.with_suffix(".json")
    target.unlink()
    target.symlink_to("/dev/zero")
    one_line_error(
        lambda: Run.load(path), path, f"{target} is not a regular file (it is a device"
    )


def test_a_folder_given_as_a_record_is_not_a_regular_file(tmp_path):
    (tmp_path / "run.csv").mkdir()
    one_line_error(
        lambda: Run.load(tmp_path / "run.csv"), tmp_path / "run.csv", "it is a folder"
    )


# -- the landscape: its inputs checked before the SVD and the contour levels -----------
@pytest.mark.parametrize(
    "value, shown", [(np.nan, "nan"), (np.inf, "inf"), (1e300, "1e+300")]
)
def test_paths_that_are_not_finite_or_too_large_are_refused_by_name(value, shown):
    t = np.linspace(0, 1, 5)[:, None]
    paths = {"a": t * np.ones(4), "b": t * np.arange(4.0)}
    paths["b"][3, 2] = value
    with pytest.raises(ValueError) as err:
        pca_plane(paths)
    assert str(err.value) == (
        "path 'b': parameters must be finite numbers of magnitude <= 1e+100, got "
        f"{shown} at point 3, parameter 2"
    )


def test_a_plane_where_the_loss_overflows_is_refused_before_drawing():
    t = np.linspace(0, 1, 5)[:, None]
    plane = pca_plane({"a": t * np.eye(3)[0] + t**2 * np.eye(3)[1]})
    a = np.linspace(-1, 1, 3)
    values = iter([np.inf, np.nan, -np.inf] + [1.0] * 6)
    with pytest.raises(ValueError, match=r"not a finite number at 3 of its 9 points"):
        evaluate_plane(lambda theta: next(values), plane, a, a)


def test_snapshot_steps_spanning_too_many_steps_are_not_drawn_step_by_step():
    land = record_of(Landscape)
    land.meta["snapshot_steps"] = {"a": [0] + [10**12 + k for k in range(11)]}
    with pytest.raises(ValueError) as err:
        paths_by_step(land)
    assert f"span fewer than {MAX_PATH_STEPS} steps" in str(err.value)
    assert "got 0 to 1e+12" in str(err.value)


def _history(label, snapshots, diverged_at=-1):
    k = len(snapshots)
    return History(
        label,
        label,
        {},
        step_loss=np.ones(k),
        step_epoch=np.ones(k, dtype=np.int64),
        train_loss=np.ones(1),
        train_accuracy=np.ones(1) / 2,
        val_loss=np.ones(1),
        val_accuracy=np.ones(1) / 2,
        diverged_at=diverged_at,
        snapshot_steps=np.arange(k),
        snapshots=np.asarray(snapshots, dtype=np.float64),
    )


def test_a_diverged_runs_path_ends_at_its_last_finite_snapshot():
    class Model:  # only what the straight lines use
        dtype = np.float64
        theta = np.zeros(2)

        def get_flat(self):
            return self.theta.copy()

        def set_flat(self, theta):
            self.theta = np.asarray(theta)

    snaps = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [np.inf, np.nan]]
    run = TrainingRun("digits", [_history("sgd", snaps, diverged_at=4)])
    import optviz.landscape as landscape_module

    def loss(model, x, y, loss=None):
        return lambda theta: float(np.sum(np.asarray(theta) ** 2))

    mp = pytest.MonkeyPatch()
    mp.setattr(landscape_module, "network_loss", loss)
    try:
        line = training_interpolation(run, Model(), None, np.zeros(3), points=2)
    finally:
        mp.undo()
    assert line.distance == {"sgd": 2.0}  # from (0, 0) to (2, 0), not to inf
    assert line.meta["end_step"] == {"sgd": 2}


# -- the CLI: Error: ..., exit 1 ------------------------------------------------------
@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("trained") / "run"
    args = ["train", "-o", "sgd", "--limit", "60", "--epochs", "1", "--batch-size", "30"]
    result = CliRunner().invoke(
        main, [*args, "--snapshot-every", "1", "--out", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    return out


def _copy(trained, tmp_path):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(trained, run)
    return run


def test_landscape_reports_an_integer_beyond_int64_in_one_line(trained, tmp_path):
    run = _copy(trained, tmp_path)
    info = json.loads((run / "settings.json").read_text())
    info["optimizers"][0]["diverged_at"] = 2**64
    (run / "settings.json").write_text(json.dumps(info))
    result = CliRunner().invoke(main, ["landscape", str(run), "--grid", "3", "-q"])
    assert result.exit_code == 1
    assert_one_line_error(result, "diverged_at must be whole numbers in [-1, 2]")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_landscape_names_a_device_among_its_inputs(trained, tmp_path):
    run = _copy(trained, tmp_path)
    (run / "history.csv").unlink()
    (run / "history.csv").symlink_to("/dev/zero")
    result = CliRunner().invoke(main, ["landscape", str(run), "--grid", "3", "-q"])
    assert result.exit_code == 1
    assert_one_line_error(result, "history.csv is not a regular file (it is a device")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_landscape_given_a_device_says_it_is_not_a_folder(tmp_path):
    (tmp_path / "run").symlink_to("/dev/zero")
    result = CliRunner().invoke(main, ["landscape", str(tmp_path / "run"), "-q"])
    assert result.exit_code == 1
    assert_one_line_error(result, "is not a folder")


# -- every number of every sidecar, replaced: a record or one ValueError, nothing else --
def _number_paths(obj, prefix=()):
    """Paths to the numbers and nulls of a sidecar (the first 2 items of each list)."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key != "versions":
                yield from _number_paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for i, value in enumerate(obj[:2]):
            yield from _number_paths(value, (*prefix, i))
    elif obj is None or (isinstance(obj, (int, float)) and not isinstance(obj, bool)):
        yield prefix


@pytest.mark.parametrize(
    "kind",
    [Run, TrainingRun, Sweep, StartMap, Landscape, CnnSweep],
    ids=lambda k: k.__name__,
)
@pytest.mark.parametrize("suffix", [".npz", ".csv"])
def test_any_number_in_a_sidecar_gives_a_record_or_one_value_error(tmp_path, kind, suffix):
    path = record_of(kind).save(tmp_path / f"rec{suffix}")
    side = path.with_suffix(".json")
    original = side.read_text()
    for where in _number_paths(json.loads(original)):
        for value in (2**64, 10**400, -1, "x"):
            info = json.loads(original)
            inner = info
            for key in where[:-1]:
                inner = inner[key]
            inner[where[-1]] = value
            side.write_text(json.dumps(info))
            try:
                kind.load(path)
            except ValueError as exc:
                assert "\n" not in str(exc) and str(exc).startswith("cannot read")
