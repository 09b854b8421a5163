"""Issue 26, the file system's part: nothing of the user's is ever removed or replaced,
a result is swapped in without a gap, the output target is checked before the work,
and the gallery is written whole or not at all."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error

from optviz import _folders, _io, gallery
from optviz._signals import Terminated
from optviz.cli import main
from optviz.records.training import TrainingRun

#: A tiny training job: one optimizer, one epoch, 60 images.
TINY = ["--limit", "60", "--epochs", "1", "--batch-size", "30", "-q"]

AN_HOUR_AGO = time.time() - 3600


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def dead_pid() -> int:
    """The process id of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def old(path: Path) -> Path:
    os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
    return path


@pytest.fixture
def no_training(monkeypatch):
    """Fail the test if a network is trained (a check must come before the work)."""

    def trained(*args, **kwargs):
        raise AssertionError("trained before refusing")

    import optviz.nn.trainer as trainer

    monkeypatch.setattr(trainer, "train_optimizers", trained)


@pytest.fixture
def run(tmp_path):
    """A training run folder written by `optviz train` (sgd)."""
    out = tmp_path / "run"
    result = invoke("train", *TINY, "-o", "sgd", "--out", out)
    assert result.exit_code == 0, result.output
    return out


# -- only optviz's own temporaries are ever removed -------------------------------------
def user_entries(folder: Path, pid: int) -> list[Path]:
    """Entries a user might keep that look like temporaries, all older than the test."""
    made = []
    thesis = folder / ".thesis.part"
    thesis.mkdir()
    (thesis / "chapter1.tex").write_text("mine")
    made.append(thesis)
    for name in (".download.part", ".backup.123-abc.part", f".x.{pid}-ABCDEFGH.part"):
        (folder / name).write_text("mine")
        made.append(folder / name)
    # the exact form of a dead process, but a folder without optviz's marker
    look_alike = folder / f".notes.{pid}-abcd1234.part"
    look_alike.mkdir()
    (look_alike / "notes.txt").write_text("mine")
    made.append(look_alike)
    return [old(p) for p in made]


def test_only_optviz_temporaries_of_ended_processes_are_removed(tmp_path):
    pid = dead_pid()
    kept = user_entries(tmp_path, pid)
    ours_file = tmp_path / f".fig.png.{pid}-abcd1234.part"
    ours_file.write_bytes(b"half a figure")
    old(ours_file)
    ours_folder = tmp_path / f".run.{pid}-k3_9zq0a.part"
    ours_folder.mkdir()
    (ours_folder / _io.MARKER).write_text('{"kind": "training run"}')
    (ours_folder / "seed-1").mkdir()
    (ours_folder / "seed-1" / "history.csv").write_text("half a run")
    old(ours_folder)
    result = invoke("compare", "-o", "adam", "--steps", "12", "--out", tmp_path / "fig.png")
    assert result.exit_code == 0, result.output
    assert not ours_file.exists() and not ours_folder.exists()
    assert all(p.exists() for p in kept)
    assert (tmp_path / ".thesis.part" / "chapter1.tex").read_text() == "mine"


def test_a_folder_of_optviz_form_is_kept_while_its_process_runs(tmp_path):
    live = tmp_path / f".run.{os.getppid()}-abcdefgh.part"
    live.mkdir()
    (live / _io.MARKER).write_text('{"kind": "training run"}')
    old(live)
    assert _io.clean_stale_parts(tmp_path) == []
    assert live.is_dir()


def test_removing_a_temporary_folder_takes_its_marker_last(tmp_path, monkeypatch):
    """A removal cut short leaves the marker, so that the next write finishes it."""
    folder = _io.temp_folder(tmp_path, "run", "training run")
    (folder / "a.csv").write_text("x")
    (folder / "b.csv").write_text("y")
    real_unlink = os.unlink
    calls = []

    def unlink_once(path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise PermissionError(13, "Permission denied")
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(_io.os, "unlink", unlink_once)
    assert not _io.remove_ours(folder)
    assert (folder / _io.MARKER).is_file()
    monkeypatch.undo()
    assert _io.remove_ours(folder) and not folder.exists()


# -- only a folder optviz wrote is replaced ---------------------------------------------
def test_a_result_folder_carries_a_marker_with_its_kind_and_version(run):
    marker = json.loads((run / _io.MARKER).read_text())
    from optviz import __version__

    assert marker["kind"] == "training run" and marker["version"] == __version__


def test_a_folder_without_the_marker_is_never_replaced(tmp_path, no_training):
    """Seed folders and a history.csv by name are not enough."""
    out = tmp_path / "mine"
    (out / "seed-1").mkdir(parents=True)
    (out / "seed-1" / "thesis.tex").write_text("mine")
    (out / "history.csv").write_text("my own history\n")
    before = snapshot(out)
    result = invoke("train", *TINY, "-o", "sgd", "--out", out)
    assert_one_line_error(result, f"will not replace {out}", "no .optviz.json marker")
    assert result.exit_code == 1
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_a_run_saved_without_a_marker_still_loads_but_is_not_replaced(run, no_training):
    (run / _io.MARKER).unlink()  # as a run saved by an earlier release
    loaded = TrainingRun.load(run)
    assert [h.optimizer for h in loaded] == ["sgd"]
    before = snapshot(run)
    result = invoke("train", *TINY, "-o", "adam", "--out", run)
    assert_one_line_error(result, f"will not replace {run}")
    assert snapshot(run) == before


def test_a_run_folder_holding_a_users_file_is_not_replaced(run, no_training):
    (run / "seed-3").mkdir()
    (run / "seed-3" / "notes.txt").write_text("mine")
    before = snapshot(run)
    result = invoke("train", *TINY, "-o", "adam", "--out", run)
    assert_one_line_error(result, f"will not replace {run}", "seed-3/notes.txt")
    assert snapshot(run) == before


def test_a_folder_of_another_kind_is_not_replaced(tmp_path, no_training):
    out = tmp_path / "g"
    out.mkdir()
    (out / _io.MARKER).write_text('{"kind": "gallery build"}')
    result = invoke("train", *TINY, "-o", "sgd", "--out", out)
    assert_one_line_error(result, "holds an optviz gallery build, not a training run")


def test_a_run_folder_is_replaced_whole_by_the_next_run(run):
    (run / "landscape.png").write_bytes(b"drawn from the first run")
    result = invoke("train", *TINY, "-o", "adam", "--out", run)
    assert result.exit_code == 0, result.output
    assert "\nadam," in (run / "history.csv").read_text()
    assert not (run / "landscape.png").exists()
    assert sorted(p.name for p in run.parent.iterdir()) == ["run"]


# -- swapped in without a gap -------------------------------------------------------------
def test_the_two_folders_are_exchanged_where_the_system_can(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, text in ((a, "new"), (b, "old")):
        folder.mkdir()
        (folder / "f").write_text(text)
    if not _folders._exchange(a, b):
        pytest.skip("no atomic exchange on this system")
    assert (b / "f").read_text() == "new" and (a / "f").read_text() == "old"


def test_without_exchange_the_old_folder_moves_aside_before_the_new_one_comes(
    run, monkeypatch
):
    monkeypatch.setattr(_folders, "_exchange", lambda a, b: False)
    renames, removed = [], []
    real_rename, real_remove = os.rename, _folders.remove_ours

    def rename(src, dst):
        renames.append((Path(src).name, Path(dst).name))
        return real_rename(src, dst)

    def remove(folder):
        removed.append(folder)
        assert (run / "history.csv").is_file()  # the new run is in place first
        return real_remove(folder)

    monkeypatch.setattr(_folders.os, "rename", rename)
    monkeypatch.setattr(_folders, "remove_ours", remove)
    result = invoke("train", *TINY, "-o", "adam", "--out", run)
    assert result.exit_code == 0, result.output
    moves = [(s, d) for s, d in renames if "run" in (s, d)]
    aside = moves[-2][1]
    assert moves[-2] == ("run", aside) and moves[-1][1] == "run"
    assert aside.startswith(f".run.{os.getpid()}-") and aside.endswith(".part")
    assert [p.name for p in removed if p is not None] == [aside]
    assert "\nadam," in (run / "history.csv").read_text()


def test_a_failed_move_into_place_brings_the_old_folder_back(run, monkeypatch):
    monkeypatch.setattr(_folders, "_exchange", lambda a, b: False)
    real_rename = os.rename

    def rename(src, dst):
        if Path(dst).name == "run" and Path(src).name.startswith(".run."):
            if (Path(src) / "history.csv").is_file() and "adam" in (
                Path(src) / "history.csv"
            ).read_text():
                raise OSError(28, "No space left on device")
        return real_rename(src, dst)

    before = snapshot(run)
    monkeypatch.setattr(_folders.os, "rename", rename)
    result = invoke("train", *TINY, "-o", "adam", "--out", run)
    assert_one_line_error(result, f"cannot write {run}: the disk is full")
    assert snapshot(run) == before
    assert sorted(p.name for p in run.parent.iterdir()) == ["run"]


def test_an_interrupt_after_the_swap_says_the_new_run_was_written(run, monkeypatch):
    calls = []
    real_remove = _folders.remove_ours

    def interrupted_once(folder):
        calls.append(folder)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return real_remove(folder)

    monkeypatch.setattr(_folders, "remove_ours", interrupted_once)
    result = invoke("train", *TINY, "-o", "adam", "--out", run)
    assert result.exit_code == 130
    last = result.output.strip().splitlines()[-1]
    assert last == (
        f"Error: interrupted; {run} was written whole; nothing else was changed"
    )
    assert "\nadam," in (run / "history.csv").read_text()
    assert sorted(p.name for p in run.parent.iterdir()) == ["run"]


@pytest.mark.parametrize(
    "exc,code,head",
    [
        (KeyboardInterrupt(), 130, "interrupted"),
        (Terminated(signal.SIGTERM), 143, "terminated (SIGTERM)"),
    ],
)
def test_an_interrupt_before_the_swap_leaves_the_old_run_and_says_so(
    run, monkeypatch, exc, code, head
):
    from optviz.cli import train as train_module

    def stopped(*args, **kwargs):
        raise exc

    monkeypatch.setattr(train_module, "write_figure", stopped)
    before = snapshot(run)
    result = invoke("train", *TINY, "-o", "adam", "--out", run)
    assert result.exit_code == code
    assert result.output.strip().splitlines()[-1] == f"Error: {head}; nothing was written"
    assert snapshot(run) == before
    assert sorted(p.name for p in run.parent.iterdir()) == ["run"]


# -- the target is checked before the work ----------------------------------------------
def test_a_link_to_a_run_folder_replaces_the_folder_it_points_to(run, tmp_path):
    link = tmp_path / "latest"
    link.symlink_to(run, target_is_directory=True)
    result = invoke("train", *TINY, "-o", "adam", "--out", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == run.resolve()
    assert "\nadam," in (run / "history.csv").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest", "run"]


def test_a_mount_point_is_refused_before_training(tmp_path, monkeypatch, no_training):
    out = tmp_path / "disk"
    out.mkdir()
    real = os.path.ismount
    monkeypatch.setattr(
        _folders.os.path, "ismount", lambda p: Path(p) == out.resolve() or real(p)
    )
    result = invoke("train", *TINY, "-o", "sgd", "--out", out)
    assert_one_line_error(result, f"cannot write into {out}: it is a mount point")
    assert str(out / "run") in result.output


def test_too_little_free_space_is_refused_before_training(
    tmp_path, monkeypatch, no_training
):
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(
        _folders.shutil, "disk_usage", lambda p: usage._replace(free=100_000)
    )
    result = invoke("train", *TINY, "-o", "sgd", "--out", tmp_path / "run")
    assert_one_line_error(result, "it needs about", "0.1 MB free")
    assert list(tmp_path.iterdir()) == []


def test_the_size_estimate_counts_the_snapshots():
    from optviz.records.training import estimate_bytes

    plain = estimate_bytes(2, steps=100, epochs=5)
    # 2 optimizers x 11 snapshots x 1000 float32 numbers = 88,000 bytes more
    assert estimate_bytes(2, 100, 5, snapshots=11, parameters=1000, itemsize=4) == (
        plain + 88_000
    )


def test_an_unwritable_run_folder_is_refused_before_training(run, no_training):
    os.chmod(run, 0o555)
    try:
        if os.access(run, os.W_OK):
            pytest.skip("running as a user who may write anywhere")
        result = invoke("train", *TINY, "-o", "adam", "--out", run)
    finally:
        os.chmod(run, 0o755)
    assert_one_line_error(result, f"cannot replace {run}: the folder is not writable")


# -- the gallery writes whole or not at all -----------------------------------------------
NAMES = ("activations.png", "losses.png", "pooling-shift.png")


@pytest.fixture
def three_figures(monkeypatch):
    """Every gallery script writes the same small figure under one of three names;
    the folders the scripts wrote into are collected."""
    folders = []
    calls = []

    def run_path(path, run_name):
        from optviz.nn.cnn_lessons import activations
        from optviz.plot.nn_figures import activations_figure

        g = gallery.output()
        folders.append(g.out)
        calls.append(path)
        if len(calls) <= len(NAMES):
            g.figure(activations_figure(activations()), NAMES[len(calls) - 1])

    monkeypatch.setattr(gallery.runpy, "run_path", run_path)
    return folders


def build_three(out):
    return invoke(
        "gallery",
        "--out",
        out,
        "--small",
        "-q",
        "--jobs",
        "1",
        *[x for n in ("activations", "losses", "pooling-shift") for x in ("--only", n)],
    )


def test_a_gallery_failing_while_moving_files_changes_nothing(
    tmp_path, three_figures, monkeypatch
):
    out = tmp_path / "g"
    out.mkdir()
    for name in NAMES:
        (out / name).write_bytes(b"old " + name.encode())
    before = snapshot(out)
    real_rename = os.rename

    def rename(src, dst):
        if Path(dst) == out.resolve() / NAMES[2] and Path(src).name == NAMES[2]:
            raise PermissionError(13, "Permission denied", str(src))
        return real_rename(src, dst)

    monkeypatch.setattr(_folders.os, "rename", rename)
    result = build_three(out)
    assert_one_line_error(
        result, f"cannot write {out.resolve() / NAMES[2]}", f"nothing in {out} was changed"
    )
    assert ".part" not in result.output
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g"]


def test_files_moved_together_are_all_put_back_after_an_error(tmp_path, monkeypatch):
    src, dst, scratch = tmp_path / "new", tmp_path / "out", tmp_path / "scratch"
    for folder in (src / "zh", dst, scratch):
        folder.mkdir(parents=True)
    for name in ("a.png", "b.png", "zh/c.png"):
        (src / name).write_text(f"new {name}")
    (dst / "a.png").write_text("old a.png")
    real_rename = os.rename

    def rename(a, b):
        if Path(b).name == "c.png":
            raise OSError(28, "No space left on device")
        return real_rename(a, b)

    monkeypatch.setattr(_folders.os, "rename", rename)
    moves = [(src / n, dst / n) for n in ("a.png", "b.png", "zh/c.png")]
    with pytest.raises(_io.OutputError) as caught:
        _folders.move_all(moves, scratch, dst)
    assert str(caught.value) == (
        f"cannot write {dst / 'zh' / 'c.png'}: the disk is full; nothing in {dst} was "
        "changed"
    )
    assert snapshot(dst) == {"a.png": b"old a.png"}  # no zh/ folder left either
    assert sorted(snapshot(src)) == ["a.png", "b.png", "zh/c.png"]


def test_a_gallery_is_built_inside_its_folder(tmp_path, three_figures):
    """So a mount point or a folder on another disk takes it (no move across disks)."""
    out = tmp_path / "g"
    result = build_three(out)
    assert result.exit_code == 0, result.output
    assert all(Path(f).resolve().parent == out.resolve() for f in three_figures)
    assert sorted(p.name for p in out.iterdir()) == sorted(NAMES)


def test_a_gallery_folder_on_another_file_system_is_refused_before_building(
    tmp_path, three_figures, monkeypatch
):
    out = tmp_path / "g"
    (out / "zh").mkdir(parents=True)
    real_stat = Path.stat

    def stat(self, *args, **kwargs):
        st = real_stat(self, *args, **kwargs)
        if self.name != "zh":
            return st
        fields = list(st[:10])
        fields[2] += 1  # st_dev: another device
        return os.stat_result(fields)

    monkeypatch.setattr(_folders.Path, "stat", stat)
    result = invoke("gallery", "--out", out, "--small", "-q", "--lang", "zh")
    assert_one_line_error(result, "is on another file system")
    assert three_figures == []  # nothing built


def test_a_gallery_target_that_is_a_folder_where_a_file_goes_is_refused_first(
    tmp_path, three_figures
):
    out = tmp_path / "g"
    (out / "losses.png").mkdir(parents=True)
    result = build_three(out)
    assert_one_line_error(result, f"cannot write {out / 'losses.png'}: it is a folder")
    assert three_figures == []


# -- workers are stopped, not waited for -------------------------------------------------
def test_stopping_workers_does_not_wait_for_their_task():
    import threading
    from concurrent.futures import ProcessPoolExecutor

    from optviz._signals import stop_workers

    pool = ProcessPoolExecutor(max_workers=1)
    pool.submit(time.sleep, 3600).add_done_callback(lambda f: None)
    workers = []
    while not workers:  # the worker has started
        workers = list(pool._processes.values())
        time.sleep(0.01)
    stopper = threading.Thread(target=stop_workers, args=(pool,), daemon=True)
    stopper.start()
    stopper.join(timeout=120)  # an hour if it waited
    assert not stopper.is_alive()
    assert not any(p.is_alive() for p in workers)


# -- signals: held back around a swap, never lost ------------------------------------------
def test_a_signal_inside_a_deferred_block_is_raised_after_it():
    import threading

    from optviz._signals import deferred, terminate_like_interrupt

    steps = []
    waiter = threading.Event()
    helper = threading.Thread(target=waiter.wait, daemon=True)  # another thread too
    helper.start()
    with pytest.raises(Terminated) as caught, terminate_like_interrupt():
        with deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.2)  # Python would run a handler in here
            steps.append("renamed")
        steps.append("after")
    waiter.set()
    assert steps == ["renamed"] and caught.value.signum == signal.SIGTERM


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_interrupt_lost_in_a_finalizer_is_raised_again():
    """Python runs a handler anywhere, a finalizer included, which only prints what
    it raises: the next look at the signals raises it again."""
    import gc

    from optviz._signals import raise_pending, take_pending, terminate_like_interrupt

    class SignalledWhileCollected:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.2)  # the handler runs here; its exception is only printed

    with pytest.raises(Terminated), terminate_like_interrupt():
        SignalledWhileCollected()
        gc.collect()
        raise_pending()
    assert take_pending() == signal.SIGTERM
