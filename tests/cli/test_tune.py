"""``optviz tune``: the folder it writes, its tables, one-line errors, the Dask path."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error
from PIL import Image

from optviz.cli import main
from optviz.cli import tune as cli_tune
from optviz.plot.style import color
from optviz.records import Tuned
from optviz.surfaces import get
from optviz.tuning import DEFAULT_BUDGETS, DEFAULT_STARTS, tune_suite
from optviz.tuning import grids as G
from optviz.tuning.parallel import joblib_runner


def invoke(*args):
    return CliRunner().invoke(main, ["tune", *args], catch_exceptions=False)


SMALL = ("--starts", "2", "--budget", "5,40", "--jobs", "1", "-q")


def test_writes_the_record_the_leaderboards_and_both_figures(tmp_path):
    out = tmp_path / "suite"
    result = invoke("quadratic", "booth", "-o", "sgd", "-o", "momentum", *SMALL,
                    "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "budget.png", "leaderboard.csv", "leaderboard.md", "profile.png", "tuned.json",
        "tuned.npz",
    ]  # fmt: skip
    record = Tuned.load(out / "tuned.npz")
    assert record.surfaces == ["quadratic", "booth"] and record.budgets == [5, 40]
    board = pd.read_csv(out / "leaderboard.csv")
    # one row per surface, optimizer and budget; a column per hyper-parameter
    assert len(board) == 2 * 2 * 2
    for column in ("surface", "label", "budget", "lr", "momentum", "value", "solved"):
        assert column in board.columns
    assert "rho" not in board.columns  # neither optimizer has one
    expected = record.leaderboard()
    numbers = ["budget", "lr", "momentum", "value", "ties", "failures", "diverged"]
    pd.testing.assert_frame_equal(board[numbers], expected[numbers], check_dtype=False)
    assert board.status.tolist() == expected.status.tolist()
    assert board.solved.tolist() == expected.solved.tolist()
    md = (out / "leaderboard.md").read_text()
    assert "## Winner by budget" in md and "| quadratic |" in md
    info = json.loads((out / "tuned.json").read_text())
    assert info["seed"] == 0 and info["budgets"] == [5, 40]
    assert info["grids"]["defaults"] == G.DEFAULT_GRIDS_TEXT
    assert len(info["starts"]["booth"]) == 2
    with Image.open(out / "budget.png") as im:
        pixels = np.asarray(im.convert("RGB")).astype(int)
    # momentum wins on booth at 40 steps: its cell in momentum's colour (35% on white)
    rgb = np.array([int(color("momentum")[i : i + 2], 16) for i in (1, 3, 5)])
    cell = np.round(0.35 * rgb + 0.65 * 255)
    assert record.winners().winner.tolist()[-1] == "momentum"
    assert np.all(np.abs(pixels - cell) < 6, axis=-1).sum() > 1000
    assert "booth: momentum at 40 steps" in result.output


def test_help_states_the_default_grids_budgets_and_starts():
    text = " ".join(invoke("--help").output.split())
    assert " ".join(cli_tune._GRIDS_HELP.split()) in text
    assert cli_tune._GRIDS_HELP == G.DEFAULT_GRIDS_TEXT
    assert cli_tune._DEFAULT_BUDGETS == ",".join(str(b) for b in DEFAULT_BUDGETS)
    assert cli_tune._DEFAULT_STARTS == DEFAULT_STARTS


@pytest.mark.parametrize(
    "args, fragments, code",
    [
        (("quadratic", "--grid", "lr=1:0.1:3"), ["--grid", "reversed"], 2),
        (("quadratic", "--grid", "lr=0.1:1:0"), ["--grid", "empty"], 2),
        (("quadratic", "--grid", "momentum=-1:0.5:3"), ["must lie in [0, 0.9999]"], 2),
        (("quadratic", "--grid", "lr=-1:1:3"), ["MIN > 0"], 2),
        (("quadratic", "--grid", "lr=0.1:1:3", "--grid", "lr=0.2:1:3"), ["twice"], 2),
        (("quadratic", "--budget", "10,x"), ["--budget", "whole numbers"], 2),
        (("quadratic", "--budget", "0"), ["--budget", "in [1,"], 2),
        ((), ["give one or more SURFACEs"], 2),
        (("quadratic", "--all"), ["not both"], 2),
        (("quadratic", "--scheduler", "tcp://127.0.0.1:1", "--jobs", "2"), ["--jobs"], 2),
        (
            (
                "quadratic",
                "--grid",
                "lr=1e-6:1:1000",
                "--grid",
                "momentum=0:0.9:100",
                "--starts",
                "1000",
                "--max-minutes",  # within the time and memory limits, above the cap
                "1000",
                "--max-memory",
                "1000",
            ),
            ["1.26e+11 gradient evaluations", "63x the cap"],
            1,
        ),
    ],
)
def test_bad_input_is_one_line(tmp_path, args, fragments, code):
    result = invoke(*args, "--out", str(tmp_path / "o"))
    assert result.exit_code == code
    assert_one_line_error(result, *fragments)
    assert not (tmp_path / "o").exists()


def test_an_unrelated_folder_is_never_replaced(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep")
    result = invoke("quadratic", "-o", "sgd", *SMALL, "--out", str(out))
    assert_one_line_error(result)
    assert (out / "notes.txt").read_text() == "keep"


def test_local_processes_and_in_process_give_the_same_numbers():
    surfaces = [get("booth"), get("quadratic")]
    kwargs = dict(starts=2, budgets=(5, 20), seed=3)
    here = tune_suite(surfaces, ["sgd", "rmsprop"], **kwargs)
    runner = joblib_runner(2)
    there = tune_suite(surfaces, ["sgd", "rmsprop"], runner=runner, **kwargs)
    assert runner.where == "joblib, 2 local processes"
    assert here == there


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_numbers_as_the_local_run():
    distributed = pytest.importorskip("distributed")
    surfaces = [get("booth"), get("rosenbrock")]
    kwargs = dict(starts=2, budgets=(5, 20), seed=1)
    local = tune_suite(surfaces, ["sgd", "momentum"], **kwargs)
    with (
        distributed.LocalCluster(
            n_workers=2, processes=False, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        runner = joblib_runner(scheduler=client)
        remote = tune_suite(surfaces, ["sgd", "momentum"], runner=runner, **kwargs)
    assert runner.where.startswith("joblib's Dask backend on")
    assert remote == local
    assert remote.leaderboard().equals(local.leaderboard())
