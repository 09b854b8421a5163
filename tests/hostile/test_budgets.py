"""Issue 26, budgets: every command estimates its work before it starts and refuses
above a stated limit in one line that gives the estimate and the option to raise it;
the defaults (every README command) stay well inside; the explorer's step bound is one
number; a run too short for the figure's notes still draws."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error

from optviz import budget
from optviz.cli import _budget as cli_budget
from optviz.cli import main
from optviz.surfaces import get

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
TRAINING_FILES = ("history.csv", "history-steps.csv", "settings.json", "curves.png")


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def assert_only_line(result, *fragments):
    """One ``Error:`` line and nothing else."""
    assert_one_line_error(result, *fragments)
    assert len(result.output.strip().splitlines()) == 1, result.output


@pytest.fixture
def fake_run(tmp_path):
    """A folder with the files `optviz train` writes (the budget is checked before
    any of them is read)."""
    run = tmp_path / "run"
    run.mkdir()
    for name in TRAINING_FILES:
        (run / name).write_text("not read\n")
    return run


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """The current folder, empty; the CNN sweeps' default cache elsewhere."""
    from optviz import cnn_sweep

    cache = tmp_path.parent / f"{tmp_path.name}-cache"
    monkeypatch.setattr(cnn_sweep, "default_cache_dir", lambda: cache)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- refused before any work, in one line, with the estimate and the option ----------
@pytest.mark.parametrize(
    "args, what",
    [
        (["compare", "--steps", "1000000"], "5 optimizers x 1,000,000 steps"),
        (["lr", "--steps", "1000000"], "5 optimizers x 1,000,000 steps"),
        (["sweep", "--steps", "1000000"], "41 learning rates x 1,000,000 steps"),
        (["map", "--grid", "2000", "--steps", "1000000"], "2,000x2,000 starts"),
        (["animate", "--frames", "2000", "--size", "4096x4096"], "2,000 frames"),
        (["train", "--epochs", "10000"], "5 networks x 10,000 epochs"),
        (["cnn-sweep", "--epochs", "10000"], "135 networks x 10,000 epochs"),
        (
            ["tune", "--all", "--starts", "100000"],
            "100 searches of 12,800 settings x 100,000 starts x 1,000 steps",
        ),
        (
            ["tune", "quadratic", "--budget", "10,1000000"],
            "5 searches of 640 settings x 16 starts x 1,000,000 steps",
        ),
        (
            ["lesson", "lr-decay", "--out", "lr-decay.png", "--max-minutes", "0.1"],
            "the lr-decay lesson (one figure)",
        ),
        (
            ["compare", "quadratic", "--tuned", "tuned", "--steps", "1000000"],
            "5 optimizers x 1,000,000 steps",
        ),
    ],  # fmt: skip
)
def test_work_above_the_time_limit_is_refused_before_it_starts(in_tmp, args, what):
    result = invoke(*args)
    assert_only_line(result, what, "about", "above the limit of", "--max-minutes")
    assert result.exit_code == 1
    assert list(in_tmp.iterdir()) == []
    assert not list(in_tmp.parent.glob(f"{in_tmp.name}-cache/*"))  # no run trained


def test_the_landscape_budget_counts_the_plane_and_the_images(fake_run):
    result = invoke("landscape", fake_run, "--grid", "31", "--images", "100000000")
    # 31 x 31 = 961 evaluations of 10^8 images at 0.1 ms: 9.6e6 s, 16 weeks
    assert_only_line(result, "961 loss evaluations x 100,000,000 images", "16 weeks")
    assert sorted(p.name for p in fake_run.iterdir()) == sorted(TRAINING_FILES)


def test_the_estimate_is_the_documented_arithmetic(in_tmp):
    # 5 s + 5 x 10^6 optimizer-steps x 55 us = 280 s = 4.7 min;
    # 120 MB + 5 x 10^6 x 220 B = 1.22 GB, shown as 1.2 GB; 4.7 min -> 4.7
    result = invoke("compare", "--steps", "1000000")
    assert_only_line(
        result,
        "5 optimizers x 1,000,000 steps: about 4.7 min and 1.2 GB, above the limit of "
        "3 min; raise it with --max-minutes 4.7",
    )


def test_the_tuning_estimate_is_the_documented_arithmetic(in_tmp, monkeypatch):
    monkeypatch.setattr(cli_budget, "point_seconds", lambda surface: 1e-6)
    args = ["quadratic", "-o", "sgd", "--grid", "lr=0.1:1:4", "--starts", "3"]
    e = cli_budget.tune_cost(
        [get("quadratic")], ["sgd"], {"lr": [0.1, 0.2, 0.5, 1.0]}, 3, [10, 50], 1
    )
    # 5 s + 50 steps x (3 runs x 0.5 ms + 2 x 4 settings x 3 starts x (100 ns + 1 us))
    assert e.seconds == pytest.approx(5 + 50 * (3 * 0.5e-3 + 24 * 1.1e-6))
    # 120 MB + 60 MB (one worker) + 24 points x (112 + 25 x 2 budgets) B
    assert e.bytes == pytest.approx(120e6 + (60 << 20) + 24 * 162)
    assert e.what == "1 search of 4 settings x 3 starts x 50 steps"
    # on two processes: half the searches' time, two workers' memory
    two = cli_budget.tune_cost([get("quadratic")], ["sgd", "adam"], None, 3, [50], 2)
    one = cli_budget.tune_cost([get("quadratic")], ["sgd", "adam"], None, 3, [50], 1)
    assert two.seconds - 5 == pytest.approx((one.seconds - 5) / 2)
    result = invoke("tune", *args, "--budget", "10,50", "--jobs", "1",
                    "--max-minutes", "0.001")  # fmt: skip
    assert_only_line(result, "1 search of 4 settings x 3 starts x 50 steps: about 5.1 s")


def test_a_tuned_folder_is_read_after_the_budget_check(in_tmp):
    # the folder does not exist: the budget refuses first; within it, --tuned's error
    refused = invoke("compare", "quadratic", "--tuned", "nowhere", "--max-minutes", "0.01")
    assert_only_line(refused, "above the limit of 0.6 s")
    bad = invoke("compare", "quadratic", "--tuned", "nowhere", "--steps", "10")
    assert bad.exit_code == 2
    assert_only_line(bad, "--tuned")
    assert list(in_tmp.iterdir()) == []


def test_the_memory_limit_is_checked_and_named(in_tmp):
    result = invoke(
        "compare", "--steps", "1000000", "--max-minutes", "60", "--max-memory", "1"
    )
    # 1.22 GB, rounded up to two digits: 1.3
    assert_only_line(result, "more memory than the limit (1 GB)", "--max-memory 1.3")


def test_raising_the_limit_lets_the_same_work_run(in_tmp):
    refused = invoke("compare", "--steps", "20", "--max-minutes", "0.01")  # 0.6 s < 5 s
    assert_only_line(refused, "above the limit of 0.6 s", "--max-minutes 1")
    assert not (in_tmp / "compare-rosenbrock.png").exists()
    done = invoke("compare", "--steps", "20", "--max-minutes", "1")
    assert done.exit_code == 0, done.output
    assert (in_tmp / "compare-rosenbrock.png").stat().st_size > 0


def test_every_command_states_its_limits_in_its_help():
    for command, minutes in [
        ("compare", 3), ("lr", 3), ("animate", 3), ("sweep", 3), ("map", 3),
        ("train", 30), ("cnn-sweep", 30), ("landscape", 30), ("tune", 10),
        ("lesson", 3),
    ]:  # fmt: skip
        text = " ".join(invoke(command, "--help").output.split())
        assert "--max-minutes MINUTES Refuse, before any work" in text, command
        assert f"[default: {minutes}]" in text, command
        assert "--max-memory GB" in text and "of the memory available" in text, command


def _readme_commands():
    for line in re.findall(r"^(optviz .*)$", README, re.M):
        for part in line.split("#")[0].split("&&"):
            args = shlex.split(part)[1:]
            if args and args[0] in budget_commands():
                yield args


def budget_commands():
    return (
        "compare", "lr", "animate", "sweep", "map", "train", "cnn-sweep", "tune", "lesson",
    )  # fmt: skip


class _Stop(Exception):
    """Raised in place of the work, once the budget was seen."""


def test_every_readme_command_is_well_inside_its_budget(in_tmp, monkeypatch):
    seen = []

    def record(estimate, *, max_minutes, max_memory_gb):
        seen.append((estimate, max_minutes))
        raise _Stop

    monkeypatch.setattr(cli_budget, "check", record)
    commands = list(_readme_commands())
    assert len(commands) >= 10
    for args in commands:
        with pytest.raises(_Stop):
            CliRunner().invoke(main, args, catch_exceptions=False)
        estimate, minutes = seen[-1]
        assert estimate.seconds < 60 * minutes / 2, (args, estimate)
        assert estimate.bytes < 1e9, (args, estimate)


# -- the explorer page: one bound, stated, agreed --------------------------------------
def test_the_page_step_bound_is_one_number_in_cli_page_and_help():
    from optviz.explore import MAX_STEPS

    assert budget.PAGE_MAX_STEPS == MAX_STEPS
    text = " ".join(invoke("explore", "--help").output.split())
    assert f"1 to {MAX_STEPS:,}" in text
    assert f"at most {budget.PAGE_MAX_OPTIMIZER_STEPS:,}" in text
    result = invoke("explore", "--steps", MAX_STEPS + 1)
    assert result.exit_code == 2
    assert_only_line(result, f"1<=x<={MAX_STEPS}")


def test_a_page_with_too_many_optimizer_steps_is_refused(in_tmp):
    specs = [a for k in range(6) for a in ("-o", f"sgd:lr={0.001 * (k + 1):g}")]
    result = invoke("explore", *specs, "--steps", "20000")
    assert_only_line(result, "6 optimizers x 20,000 steps = 120,000", "limit of 100,000")
    assert result.exit_code == 1
    assert list(in_tmp.iterdir()) == []


def test_the_pages_largest_default_run_is_written(in_tmp):
    result = invoke("explore", "--steps", budget.PAGE_MAX_STEPS, "--out", "page.html")
    assert result.exit_code == 0, result.output
    assert (in_tmp / "page.html").stat().st_size > 0


# -- short runs, odd folders -------------------------------------------------------------
@pytest.mark.parametrize("surface", ["rosenbrock", "beale", "saddle", "himmelblau"])
@pytest.mark.parametrize("steps", [1, 9])
def test_a_run_shorter_than_the_notes_window_still_draws(in_tmp, surface, steps):
    result = invoke("compare", surface, "--steps", steps, "--out", "c.png")
    assert result.exit_code == 0, result.output
    assert (in_tmp / "c.png").stat().st_size > 0


@pytest.mark.parametrize("out", [".", "..", "/", "sub/.."])
def test_a_training_folder_that_is_no_folder_of_its_own_is_one_line(in_tmp, out):
    result = invoke("train", "--out", out, "--epochs", "1", "--limit", "30")
    assert result.exit_code == 2
    assert_only_line(result, "is the current, parent or root folder")
    assert list(in_tmp.iterdir()) == []


def test_the_explorer_page_from_python_refuses_more_steps_than_the_browser_reruns():
    """The bound holds for the Python API too, not only the command line: 2,000
    optimizers would never load in a tab."""
    from optviz.budget import BudgetError
    from optviz.explore import explore

    with pytest.raises(BudgetError, match=r"2,000 optimizers x 100 steps = 200,000"):
        explore("quadratic", [f"sgd:lr={i + 1}e-3" for i in range(2000)], steps=100)
