"""The command line a gallery figure states makes that figure: each script's
``.. command:`` line, run as it is (test-sized, as ``optviz gallery --small`` runs the
script), writes the same bytes as the script, in English and in Chinese."""

import os
import shlex
import subprocess
import sys

import pytest

from optviz import gallery
from optviz.lessons.names import NAMES as LESSONS

# End-to-end: runs every stated command and its script.
# Runs with the slow tests (`pytest -m slow`, as CI does).
pytestmark = pytest.mark.slow

ENTRIES = gallery.entries()
STATED = [e for e in ENTRIES if e.command]
#: Scripts whose command line does not (yet) write their files.
NOT_YET: set[str] = set()


def _run_commands(entry, here, lang: str) -> None:
    env = dict(os.environ, OPTVIZ_GALLERY_SMALL="1", MPLBACKEND="Agg")
    for command in entry.command.split("; "):
        args = shlex.split(command)
        assert args[0] == "optviz", command
        if lang != "en":
            args += ["--lang", lang]
        done = subprocess.run(
            [sys.executable, "-m", "optviz", *args[1:]],
            cwd=here,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, (command, done.stderr)


def test_the_stated_commands_are_the_expected_ones():
    names = {e.name for e in STATED}
    assert {f"compare-{s}" for s in ("quadratic", "beale", "saddle")} <= names
    assert {"saddle-3d", "sweep-rosenbrock", "startmap-himmelblau"} <= names
    assert set(LESSONS) <= names  # every lesson, the CNN's and the optimizers' too
    for e in STATED:  # every command names the files the script writes, in order
        if e.name in NOT_YET:
            continue
        outs = [a.split()[0].rstrip(";") for a in e.command.split("--out ")[1:]]
        assert outs == list(e.files), e.name


@pytest.mark.parametrize(
    "entry",
    [e for e in STATED if e.name not in NOT_YET],
    ids=lambda e: e.name,
)
def test_the_stated_command_writes_the_scripts_bytes(entry, tmp_path):
    built = tmp_path / "gallery"
    gallery.build(built, only=[entry.name], small=True, jobs=1)
    here = tmp_path / "cli"
    here.mkdir()
    _run_commands(entry, here, "en")
    for name in entry.files:
        assert (here / name).read_bytes() == (built / name).read_bytes(), name


@pytest.mark.parametrize(
    "entry",
    [e for e in STATED if e.name in ("startmap-himmelblau", *LESSONS)],
    ids=lambda e: e.name,
)
def test_the_stated_command_writes_the_chinese_scripts_bytes(entry, tmp_path):
    built = tmp_path / "gallery"
    gallery.build(built, only=[entry.name], small=True, lang="zh", jobs=1)
    here = tmp_path / "cli"
    here.mkdir()
    _run_commands(entry, here, "zh")
    for name in entry.files:
        assert (here / name).read_bytes() == (built / "zh" / name).read_bytes(), name
