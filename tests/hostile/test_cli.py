"""Issue 11, the CLI's part: outputs never replace inputs or each other, multi-file
results land whole, every user error is one line with a documented exit code, and no
file changes that should not."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error

from optviz import _io
from optviz.cli import main

#: A tiny training job: one optimizer, one epoch, 60 images.
TINY = ["--limit", "60", "--epochs", "1", "--batch-size", "30"]


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def fake_run(tmp_path):
    """A folder with the files `optviz train` writes (their content does not matter:
    the paths are refused before anything is read)."""
    run = tmp_path / "run"
    run.mkdir()
    for name in ("history.csv", "history-steps.csv", "settings.json", "curves.png"):
        (run / name).write_text(f"the original {name}\n")
    (run / "history-snapshots.npz").write_bytes(b"PK original snapshots")
    return run


# -- outputs never replace inputs or each other --------------------------------------
@pytest.mark.parametrize("name", ["settings.png", "history-snapshots.png", "curves.png"])
def test_landscape_never_writes_over_its_run(fake_run, name):
    before = snapshot(fake_run)
    result = invoke("landscape", fake_run, "--out", fake_run / name)
    assert_one_line_error(result, "would replace the training run")
    assert result.exit_code == 1
    assert snapshot(fake_run) == before


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["lr", "--out", "a.png", "--csv", "a.png"], "same file"),
        (["compare", "--out", "a.png", "--csv", "a.png"], "same file"),
        (["sweep", "--out", "s.png", "--csv", "s.png"], "same file"),
        (["sweep", "--out", "s.png", "--csv", "s.png.csv"], None),  # s.png.json: legal
        (["map", "--out", "m.png.json.png"], None),  # legal: no collision
    ],
)
def test_outputs_that_coincide_are_refused_before_any_work(tmp_path, args, fragment):
    if fragment is None:
        return  # documented as legal; running it is covered elsewhere
    (tmp_path / "a.png").write_bytes(b"keep me")
    os.chdir(tmp_path)
    try:
        result = invoke(*args, "--steps", "5")
    finally:
        os.chdir("/")
    assert_one_line_error(result, fragment)
    assert result.exit_code == 1
    assert snapshot(tmp_path) == {"a.png": b"keep me"}


def test_an_unwritable_sidecar_is_found_before_the_figure_is_replaced(tmp_path):
    (tmp_path / "a.png").write_bytes(b"old figure")
    (tmp_path / "a.json").mkdir()  # the record's sidecar cannot be written
    result = invoke(
        "compare",
        "-o",
        "adam",
        "--steps",
        "5",
        "--out",
        tmp_path / "a.png",
        "--csv",
        tmp_path / "a.csv",
    )
    assert_one_line_error(result, "a.json", "is a folder")
    assert (tmp_path / "a.png").read_bytes() == b"old figure"
    assert not (tmp_path / "a.csv").exists()


# -- impossible outputs: one line each --------------------------------------------------
def test_out_below_a_file_says_so(tmp_path):
    blocker = tmp_path / "f"
    blocker.write_text("a file")
    result = invoke("compare", "--steps", "5", "--out", blocker / "x.png")
    assert_one_line_error(result, "f is a file, not a folder")
    result = invoke("gallery", "--out", blocker, "--only", "losses", "--small")
    assert_one_line_error(result, "is a file, not a folder")
    result = invoke(
        "cnn-sweep",
        "--cache",
        blocker,
        "-o",
        "sgd",
        "--lr",
        "0.1:0.1:1",
        "--seeds",
        "1",
        "--epochs",
        "1",
        "--limit",
        "20",
        "--jobs",
        "1",
        "--out",
        tmp_path / "c.png",
    )
    assert_one_line_error(result, "not a folder")
    assert blocker.read_text() == "a file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


def test_a_251_byte_file_name_can_be_written(tmp_path):
    name = "n" * 247 + ".png"
    assert len(name.encode()) == 251
    result = invoke("compare", "-o", "adam", "--steps", "5", "--out", tmp_path / name)
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).stat().st_size > 0
    stem = name.removesuffix(".png")  # the record beside it: no temporary left
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{stem}.json",
        f"{stem}.npz",
        name,
    ]


def test_a_256_byte_file_name_is_one_line(tmp_path):
    result = invoke("compare", "--steps", "5", "--out", tmp_path / ("n" * 252 + ".png"))
    assert_one_line_error(result, "longer than 255 bytes")


def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_io.os, "replace", full)
    (tmp_path / "f.png").write_bytes(b"old")
    result = invoke("compare", "-o", "adam", "--steps", "5", "--out", tmp_path / "f.png")
    assert_one_line_error(result, "the disk is full")
    assert snapshot(tmp_path) == {"f.png": b"old"}


def test_stale_part_files_of_dead_processes_are_cleaned(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".f.png.{dead.pid}-abcd1234.part"
    stale.write_bytes(b"left by a SIGKILL")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    fresh = tmp_path / f".g.png.{dead.pid}-efgh5678.part"
    fresh.write_bytes(b"written after this process started: perhaps another machine's")
    result = invoke("compare", "-o", "adam", "--steps", "5", "--out", tmp_path / "f.png")
    assert result.exit_code == 0, result.output
    assert not stale.exists() and fresh.exists()


def test_a_live_writers_temporary_is_never_cleaned(tmp_path):
    """Only a dead process's temporaries go, however old: a long training run's
    temporary folder survives a quick command writing beside it."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    an_hour_ago = time.time() - 3600
    live = tmp_path / f".run.{os.getppid()}-abcdefgh.part"
    gone = tmp_path / f".run.{dead.pid}-abcdefgh.part"
    for folder in (live, gone):
        folder.mkdir()
        (folder / "history.csv").write_text("half written")
        (folder / _io.MARKER).write_text('{"kind": "training run"}')
        os.utime(folder, (an_hour_ago, an_hour_ago))
    result = invoke("compare", "-o", "adam", "--steps", "5", "--out", tmp_path / "f.png")
    assert result.exit_code == 0, result.output
    assert live.is_dir() and not gone.exists()


def test_temporary_names_carry_the_process_id(tmp_path):
    with _io.atomic_path(tmp_path / ("n" * 251)) as tmp:
        assert len(tmp.name.encode()) <= 255
        assert f".{os.getpid()}-" in tmp.name and tmp.name.endswith(".part")
        tmp.write_text("x")
    assert (tmp_path / ("n" * 251)).read_text() == "x"


# -- multi-file results land whole ------------------------------------------------------
def test_a_second_training_run_leaves_no_stale_snapshots(tmp_path):
    out = tmp_path / "run"
    first = invoke("train", *TINY, "-o", "sgd", "--snapshot-every", "1", "--out", out, "-q")
    assert first.exit_code == 0, first.output
    assert (out / "history-snapshots.npz").is_file()
    (out / "landscape.png").write_bytes(b"drawn from the first run")
    second = invoke("train", *TINY, "-o", "adam", "--out", out, "-q")
    assert second.exit_code == 0, second.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        _io.MARKER,
        "curves.png",
        "history-steps.csv",
        "history.csv",
        "settings.json",
    ]
    assert "adam" in (out / "history.csv").read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_training_refuses_to_replace_a_folder_of_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = invoke("train", *TINY, "-o", "sgd", "--out", tmp_path, "-q")
    assert_one_line_error(result, "will not replace", "no .optviz.json marker")
    assert snapshot(tmp_path) == {"notes.txt": b"mine"}


@pytest.mark.slow
def test_two_trainings_into_one_folder_end_with_one_complete_run(tmp_path):
    out = tmp_path / "run"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "optviz",
                "train",
                *TINY,
                "-o",
                name,
                "--out",
                str(out),
                "-q",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=dict(os.environ, MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1"),
        )
        for name in ("sgd", "adam")
    ]
    for p in procs:
        p.wait(timeout=120)
    assert all(p.returncode == 0 for p in procs)
    settings = json.loads((out / "settings.json").read_text())
    (name,) = settings["meta"]["settings"]["optimizers"]
    history = (out / "history.csv").read_text()
    steps = (out / "history-steps.csv").read_text()
    other = {"sgd": "adam", "adam": "sgd"}[name]
    assert f"\n{name}," in history and f"\n{other}," not in history
    assert f"\n{name}," in steps and f"\n{other}," not in steps
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_interrupted_gallery_says_what_was_written(tmp_path, monkeypatch):
    from optviz import gallery

    calls = []

    def run_path(path, run_name):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        from optviz.nn.cnn_lessons import activations
        from optviz.plot.nn_figures import activations_figure

        gallery.output().figure(activations_figure(activations()), "activations.png")

    monkeypatch.setattr(gallery.runpy, "run_path", run_path)
    out = tmp_path / "g"
    result = invoke("gallery", "--out", out, "--small", "-q", "--jobs", "1")
    assert result.exit_code == 130
    assert result.output.strip().splitlines()[-1] == (
        f"Error: interrupted; nothing was written to {out}/"
    )
    assert list(out.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g"]  # no temporary left


# -- animate sizes schedules by --steps (issue 11, item 6) ------------------------------
def test_animate_sizes_schedules_by_steps(tmp_path):
    out = tmp_path / "a.gif"
    common = ["animate", "quadratic", "--frames", "2", "--size", "160x128", "-q"]
    ok = invoke(
        *common, "-o", "sgd:schedule=cosine,warmup=600", "--steps", "1000", "--out", out
    )
    assert ok.exit_code == 0, ok.output
    assert out.stat().st_size > 0
    bad = invoke(
        *common,
        "-o",
        "sgd:schedule=cosine,warmup=200",
        "--steps",
        "100",
        "--out",
        tmp_path / "b.gif",
    )
    assert_one_line_error(bad, "warmup")
    assert not (tmp_path / "b.gif").exists()


# -- one error rule ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "args,code,fragment",
    [
        (["compare", "--bogus"], 2, "No such option"),
        (["nope"], 2, "No such command"),
        (["map", "--metric", "x"], 2, "'x' is not one of"),
        (["compare", "--steps", "0"], 2, "steps"),
        (["compare", "rosenbrok"], 2, "rosenbrock"),
        (["compare", "-o", "adamm"], 2, "adam"),  # an unknown name: a usage error
    ],
)
def test_every_error_is_one_line_with_a_documented_code(tmp_path, args, code, fragment):
    result = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "x.png")])
    assert result.exit_code == code
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert fragment in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_a_usage_error_is_one_line_on_stderr_from_the_shell():
    result = subprocess.run(
        [sys.executable, "-m", "optviz", "nope"], capture_output=True, text=True
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: No such command 'nope'.")
    assert result.stderr.count("\n") == 1


def test_the_error_rule_is_in_the_help():
    text = invoke("--help").output
    assert "Exit codes" in " ".join(text.split())
