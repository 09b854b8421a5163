"""Issue 26, signals: Ctrl-C, SIGTERM or a closed terminal at any moment leave the old
or the new complete result and say which; SIGTERM is handled like Ctrl-C (one line,
exit 128 + the signal, worker processes stopped). Each test runs optviz in a process
of its own and signals it (Linux: readiness is read from /proc)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from optviz.cli import main

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc"),
]

TINY = ["--limit", "60", "--epochs", "1", "--batch-size", "30", "-q"]
CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}
HEADS = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated (SIGTERM)"}
#: Longest wait for a subprocess to reach a state (not a timing assertion).
PATIENCE = 180


def _default_signals():
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)  # not inherited as ignored


def start(*args, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "optviz", *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_signals,
        env=dict(os.environ, MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", **env),
    )


def wait_for(condition, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"ended before {what}: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"never {what}")
        time.sleep(0.05)


def handles_sigterm(pid: int) -> bool:
    """Whether process ``pid`` has its SIGTERM handler installed (optviz has started)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signal.SIGTERM - 1) & 1)
    return False


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found.update(int(c) for c in text.split())
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def finish(proc: subprocess.Popen) -> str:
    """The last line on stderr, once ``proc`` has ended (all of it in a failure)."""
    try:
        _, err = proc.communicate(timeout=PATIENCE)
    except subprocess.TimeoutExpired:  # or it has ended and its workers hold stderr
        proc.kill()
        raise AssertionError("still running, or its workers are") from None
    print(err)  # shown if the test fails
    return err.strip().splitlines()[-1]


@pytest.fixture
def run(tmp_path):
    out = tmp_path / "run"
    result = CliRunner().invoke(main, ["train", *TINY, "-o", "sgd", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def optimizers_of(run: Path) -> list[str]:
    return json.loads((run / "settings.json").read_text())["meta"]["settings"]["optimizers"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_a_signal_inside_the_swap_window_leaves_the_new_run_and_says_so(run, signum):
    """The old run moved aside, the new one not yet in: the signal waits for the
    second rename (two renames are what a system without an atomic exchange does)."""
    proc = start("train", *TINY, "-o", "adam", "--out", run, OPTVIZ_TEST_SWAP_PAUSE="2")
    wait_for(lambda: not run.exists(), proc, "moved the old run aside")
    proc.send_signal(signum)
    last = finish(proc)
    assert proc.returncode == CODES[signum]
    said = f"{run} was written whole; nothing else was changed"
    assert last == f"Error: {HEADS[signum]}; {said}"
    assert optimizers_of(run) == ["adam"]
    assert sorted(p.name for p in run.parent.iterdir()) == ["run"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_a_signal_during_training_keeps_the_old_run_and_says_so(run, signum):
    before = {p.name: p.read_bytes() for p in run.iterdir() if p.is_file()}
    proc = start("train", "--limit", "600", "--epochs", "500", "-o", "adam", "--out", run)
    wait_for(lambda: handles_sigterm(proc.pid), proc, "started")
    time.sleep(1.0)  # somewhere in the imports or the training; either must hold
    proc.send_signal(signum)
    last = finish(proc)
    assert proc.returncode == CODES[signum]
    assert last == f"Error: {HEADS[signum]}; nothing was written"
    assert {p.name: p.read_bytes() for p in run.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in run.parent.iterdir()) == ["run"]


def test_sigterm_stops_the_gallery_workers(tmp_path):
    out = tmp_path / "g"
    proc = start("gallery", "--out", out, "--small", "--jobs", "2", "-q")
    wait_for(
        lambda: handles_sigterm(proc.pid) and len(children(proc.pid)) >= 2,
        proc,
        "started its workers",
    )
    workers = children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    last = finish(proc)
    assert proc.returncode == 143, last
    assert last == f"Error: terminated (SIGTERM); nothing was written to {out}/"
    deadline = time.monotonic() + 30
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if alive(w)]
    assert list(out.iterdir()) == []


def test_sigterm_stops_the_cnn_sweep_workers(tmp_path):
    out = tmp_path / "sweep.png"
    args = ["cnn-sweep", "-o", "sgd", "--lr", "1e-3:1e-1:4", "--seeds", "1"]
    args += ["--epochs", "200", "--limit", "600", "--jobs", "2", "-q"]
    proc = start(*args, "--cache", tmp_path / "cache", "--out", out)
    wait_for(
        lambda: handles_sigterm(proc.pid) and len(children(proc.pid)) >= 2,
        proc,
        "started its workers",
    )
    time.sleep(1.0)  # the workers at work
    workers = set()
    for child in children(proc.pid):  # loky's workers, and whatever they started
        workers |= {child} | children(child)
    proc.send_signal(signal.SIGTERM)
    last = finish(proc)
    assert proc.returncode == 143
    assert last == "Error: terminated (SIGTERM); nothing was written"
    deadline = time.monotonic() + 30
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if alive(w)]
    assert not out.exists()
