"""Hostile record files: every malformed, pickled or absurdly large file is refused with
one ``ValueError`` line naming the file, before anything big is allocated."""

import io
import json
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from numpy.lib import format as npy
from records_makers import record_of

import optviz.records._base as base
from optviz.cnn_sweep import RunCache, cnn_sweep
from optviz.records import (
    CnnJob,
    CnnSweep,
    Landscape,
    Run,
    StartMap,
    Sweep,
    TrainingRun,
)
from optviz.run import run_surface
from optviz.surfaces import get

#: The address-space cap the absurd-size loads run under.
MEMORY_CAP = 1536 << 20  # 1.5 GiB


def small_run():
    return run_surface(get("rosenbrock"), ["sgd", "adam"], steps=10)


def npy_bytes(shape, descr="<f8", body=b"") -> bytes:
    """A .npy file: a header claiming ``shape`` and ``descr``, then ``body``."""
    buf = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": tuple(shape)}
    npy.write_array_header_1_0(buf, header)
    return buf.getvalue() + body


def rewrite(path, replace=None, drop=(), add=None):
    """Rewrite the .npz ``path`` with members replaced, dropped or added (raw bytes,
    names without .npy)."""
    with zipfile.ZipFile(path) as zf:
        members = {i.filename[:-4]: zf.read(i) for i in zf.infolist()}
    members.update(replace or {})
    members.update(add or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            if name not in drop:
                zf.writestr(name + ".npy", data)


def edit_sidecar(path, change):
    side = path.with_suffix(".json")
    info = json.loads(side.read_text())
    change(info)
    side.write_text(json.dumps(info))


def one_line_error(call, path, *fragments):
    with pytest.raises(ValueError) as err:
        call()
    message = str(err.value)
    assert "\n" not in message and len(message) <= base.MAX_MESSAGE
    assert message.startswith(f"cannot read {path}"), message
    for fragment in fragments:
        assert fragment in message, message
    return message


def load_under_cap(cls: str, path, sidecar=None) -> str:
    """Load ``path`` in a fresh process whose address space is capped at
    :data:`MEMORY_CAP`; return the ValueError's message (fail on anything else)."""
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_CAP}, {MEMORY_CAP}))\n"
        f"from optviz.records import {cls}\n"
        "try:\n"
        f"    {cls}.load(*sys.argv[1:])\n"
        "except ValueError as exc:\n"
        "    print(exc)\n"
        "    sys.exit(0)\n"
        "except MemoryError:\n"
        "    sys.exit('MemoryError')\n"
        "sys.exit('loaded')\n"
    )
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    args = [str(path)] + ([str(sidecar)] if sidecar else [])
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    return lines[0]


# -- absurd sizes: bounded memory ----------------------------------------------------------
def test_a_3_mb_npz_claiming_a_huge_xy_is_refused_from_its_header(tmp_path):
    path = small_run().save(tmp_path / "run.npz")
    # 20000 x 20000 x 2 float64 = 6.4 GB claimed; the body is a few MB of zeros
    rewrite(path, replace={"0/xy": npy_bytes((20000, 20000, 2), body=bytes(3 << 20))})
    assert path.stat().st_size < 4 << 20
    message = load_under_cap("Run", path)
    assert "array 0/xy has shape (20000, 20000, 2); its sidecar says (11, 2)" in message


def test_a_sidecar_declaring_gigabytes_is_refused_before_reading(tmp_path):
    path = small_run().save(tmp_path / "run.npz")
    edit_sidecar(path, lambda info: info["optimizers"][0].update(steps=10**9))
    message = load_under_cap("Run", path)
    assert "declares" in message and "the limit is 1 GiB" in message
    csv = small_run().save(tmp_path / "run.csv")
    edit_sidecar(csv, lambda info: info["optimizers"][1].update(steps=10**12))
    assert "the limit is 1 GiB" in load_under_cap("Run", csv)


@pytest.fixture
def training_files(tmp_path):
    rng = np.random.default_rng(1)
    from optviz.records import History

    def history(name):
        return History(
            name,
            name,
            {"lr": 0.1},
            step_loss=rng.uniform(size=4),
            step_epoch=np.array([1, 1, 2, 2]),
            train_loss=rng.uniform(size=2),
            train_accuracy=rng.uniform(size=2),
            val_loss=rng.uniform(size=2),
            val_accuracy=rng.uniform(size=2),
            snapshot_steps=np.array([0, 2, 4]),
            snapshots=rng.normal(size=(3, 5)),
        )

    run = TrainingRun("digits", [history("sgd"), history("adam")], seed=0)
    folder = run.save(tmp_path / "run")
    names = ("history.csv", "settings.json", "history-snapshots.npz")
    return tuple(folder / name for name in names)


def test_a_snapshot_header_claiming_75_gib_is_refused(training_files):
    path, side, snaps = training_files
    # a sidecar of an older optviz gives no parameter count: the header is the bound
    info = json.loads(side.read_text())
    for o in info["optimizers"]:
        del o["parameters"]
    side.write_text(json.dumps(info))
    huge = npy_bytes((3, 10_000_000_000 // 3), body=bytes(1 << 20))  # 75 GiB claimed
    rewrite(snaps, replace={"1/params": huge})
    message = load_under_cap("TrainingRun", path.parent)
    assert "its arrays need 74.5 GiB; the limit is 1 GiB" in message


def test_stale_snapshots_of_an_earlier_run_are_not_read(training_files):
    path, side, snaps = training_files
    info = json.loads(side.read_text())
    for o in info["optimizers"]:
        o["snapshots"] = o["parameters"] = 0
    side.write_text(json.dumps(info))
    run = TrainingRun.load(path.parent)
    assert all(len(h.snapshot_steps) == 0 for h in run)


def test_snapshots_of_the_wrong_size_are_refused(training_files):
    path, side, snaps = training_files
    rewrite(snaps, replace={"0/params": npy_bytes((3, 6), body=bytes(8 * 18))})
    one_line_error(
        lambda: TrainingRun.load(path.parent),
        snaps,
        "array 0/params has shape (3, 6); its sidecar says (3, 5)",
    )


# -- malformed files: one line each ------------------------------------------------------
def _saved_npz(tmp_path):
    return small_run().save(tmp_path / "run.npz")


def _pickle(path):
    buf = io.BytesIO()
    np.save(buf, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    rewrite(path, replace={"0/loss": buf.getvalue()})


def _not_a_zip(path):
    path.write_bytes(b"PK but not really a zip file" * 10)


def _truncated(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _plain_npy(path):
    path.write_bytes(npy_bytes((3,), body=bytes(24)))


def _missing(path):
    rewrite(path, drop=("1/grad",))


def _extra(path):
    rewrite(path, add={"2/xy": npy_bytes((11, 2), body=bytes(176))})


def _text_array(path):
    rewrite(path, replace={"0/loss": npy_bytes((11,), descr="<U4", body=bytes(176))})


def _bad_header(path):
    rewrite(path, replace={"0/loss": b"\x93NUMPY\x01\x00\x10\x00{'descr': <<<<<<<   }\n"})


def _short_body(path):
    rewrite(path, replace={"0/loss": npy_bytes((11,), body=bytes(16))})


def _not_npy(path):
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("notes.txt", "hello")


@pytest.mark.parametrize(
    "damage, fragment",
    [
        (_pickle, "holds Python objects (a pickle)"),
        (_not_a_zip, "not a readable .npz file"),
        (_truncated, "not a readable .npz file"),
        (_plain_npy, "not a readable .npz file"),
        (_missing, "missing arrays: 1/grad"),
        (_extra, "unexpected arrays: 2/xy"),
        (_text_array, "array 0/loss has dtype <U4, not a number"),
        (_bad_header, "header is malformed"),
        (_short_body, "an array is damaged"),
        (_not_npy, "member 'notes.txt' is not a .npy array"),
    ],
)
def test_a_damaged_npz_is_one_line(tmp_path, damage, fragment):
    path = _saved_npz(tmp_path)
    damage(path)
    one_line_error(lambda: Run.load(path), path, fragment)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        ('{"record": "Sweep"}', "it holds a Sweep, not a Run"),
        ('{"surface": "rosenbrock"}', "missing 'start'"),
        ('{"surface": "x", "start": [0, 1], "optimizers": 3}', "must be a list of objects"),
        (
            '{"surface": "x", "start": [0, 1], "optimizers": [{"steps": "ten"}]}',
            "steps in the sidecar must be a whole number",
        ),
        ('{"surface": "x", "start": [[[0]]], "optimizers": []}', "start must have shape"),
        ("\udcff".encode("utf-8", "surrogatepass").decode("latin-1"), "not valid JSON"),
    ],
)
@pytest.mark.parametrize("suffix", [".npz", ".csv"])
def test_a_malformed_sidecar_is_one_line(tmp_path, text, fragment, suffix):
    path = small_run().save(tmp_path / f"run{suffix}")
    path.with_suffix(".json").write_text(text)
    one_line_error(lambda: Run.load(path), path, fragment)


def test_a_missing_or_huge_sidecar_is_one_line(tmp_path, monkeypatch):
    path = _saved_npz(tmp_path)
    monkeypatch.setattr(base, "MAX_SIDECAR_BYTES", 100)
    one_line_error(lambda: Run.load(path), path, "the limit is 100")
    path.with_suffix(".json").unlink()
    one_line_error(lambda: Run.load(path), path, "run.json does not exist")


def test_a_csv_with_missing_rows_or_garbage_is_one_line(tmp_path):
    path = small_run().save(tmp_path / "run.csv")
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-3]) + "\n")
    one_line_error(lambda: Run.load(path), path, "'adam' has 8 rows; its sidecar says 11")
    path.write_bytes(b"\x00\xff" * 100)
    one_line_error(lambda: Run.load(path), path)


RECORD_TYPES = [Sweep, StartMap, Landscape, CnnSweep, TrainingRun, Run]


@pytest.mark.parametrize("kind", RECORD_TYPES, ids=lambda k: k.__name__)
def test_every_record_type_refuses_a_header_that_disagrees(tmp_path, kind):
    """For each type: the first array gets a header claiming one more row."""
    rec = record_of(kind)
    path = rec.save(tmp_path / "rec.npz")
    with zipfile.ZipFile(path) as zf:
        name = zf.infolist()[0].filename[:-4]
        version = zf.open(zf.infolist()[0])
        npy.read_magic(version)
        shape, _, dtype = npy.read_array_header_1_0(version)
    claimed = (shape[0] + 1, *shape[1:]) if shape else (1,)
    rewrite(path, replace={name: npy_bytes(claimed, dtype.str, bytes(8))})
    one_line_error(lambda: kind.load(path), path, f"array {name} has shape")


@pytest.mark.parametrize("kind", RECORD_TYPES, ids=lambda k: k.__name__)
def test_every_record_type_refuses_a_sidecar_of_the_wrong_shape(tmp_path, kind):
    path = record_of(kind).save(tmp_path / "rec.npz")
    path.with_suffix(".json").write_text('{"optimizers": [{"label": 1}]}')
    one_line_error(lambda: kind.load(path), path, "malformed record or sidecar")


# -- the CNN sweep's cache --------------------------------------------------------------
def _job():
    return CnnJob("sgd", "sgd", 0.1, 0, epochs=2, limit=60, channels=(2, 4))


def _result():
    return {
        "optimizer": "sgd",
        "hyperparameters": {"lr": 0.1},
        "train_loss": [2.0, 1.0],
        "val_loss": [2.1, 1.1],
        "val_accuracy": [0.3, 0.6],
        "diverged_at": -1,
        "steps": 8,
        "best_val_accuracy": 0.6,
        "seconds": 0.5,
        "data": {"name": "digits"},
        "network": ["Conv2D(1, 2, kernel_size=3, padding=1)"],
    }


def _entry(job, result):
    from dataclasses import asdict

    return json.dumps({"job": asdict(job), "result": result})


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[1, 2, 3]",
        '{"job": 1, "result": 2}',
        "JOB_WITH_RESULT_MISSING_KEYS",
        "JOB_WITH_SHORT_CURVE",
        "JOB_WITH_TEXT_STEPS",
        "HUGE",
    ],
)
def test_a_malformed_cache_entry_is_reported_and_retrained(tmp_path, monkeypatch, text):
    import optviz.cnn_sweep as cs

    job = _job()
    result = _result()
    if text == "JOB_WITH_RESULT_MISSING_KEYS":
        text = _entry(job, {"optimizer": "sgd"})
    elif text == "JOB_WITH_SHORT_CURVE":
        text = _entry(job, {**result, "val_accuracy": [0.3]})
    elif text == "JOB_WITH_TEXT_STEPS":
        text = _entry(job, {**result, "steps": "many"})
    elif text == "HUGE":
        text = " " * (cs.MAX_ENTRY_BYTES + 1) + _entry(job, result)
    store = RunCache(tmp_path)
    store.path(job).write_text(text)
    assert store.get(job) is None
    assert store.malformed == [store.path(job)]
    monkeypatch.setattr(cs, "train_job", lambda job: _result())
    sweep = cnn_sweep([job], n_jobs=1, cache=tmp_path)
    assert sweep.meta["malformed_cache_entries"] == [store.path(job).name]
    assert not sweep.frame["cached"].any()
    assert RunCache(tmp_path).get(job) == _result()  # replaced by the new run


def test_a_npy_header_claiming_gigabytes_of_header_is_refused(tmp_path):
    path = _saved_npz(tmp_path)
    # a version 2 header whose length field claims 4 GiB - 1 of header text
    rewrite(path, replace={"0/loss": b"\x93NUMPY\x02\x00\xff\xff\xff\xff" + bytes(64)})
    one_line_error(
        lambda: Run.load(path), path, "header is malformed (a header of 4294967295 bytes)"
    )
