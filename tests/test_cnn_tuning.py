"""Joint grids for the CNN sweep and the winner by epoch: the SPECs a grid makes, the
leaderboard of a sweep whose answers are known, and a tiny run through the command."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error
from PIL import Image

from optviz.cli import main
from optviz.cnn_sweep import CnnJob
from optviz.cnn_tuning import cnn_leaderboard, joint_specs, winners_by_epoch
from optviz.recipes.cnn_sweep import cnn_tables
from optviz.records import CnnSweep


def test_a_grid_gives_each_optimizer_that_searches_the_key_every_value():
    specs = joint_specs(
        ["sgd", "momentum:nesterov=true", "rmsprop", "adam:eps=1e-6"],
        {"momentum": [0.0, 0.9], "rho": [0.5], "rho1": [0.8, 0.9]},
    )
    assert specs == [
        ("sgd", "sgd"),
        ("momentum:nesterov=true,momentum=0.0", "momentum:nesterov=true"),
        ("momentum:nesterov=true,momentum=0.9", "momentum:nesterov=true"),
        ("rmsprop:rho=0.5", "rmsprop"),
        # ρ2 stays Adam's default, 0.999
        ("adam:eps=1e-6,betas=0.8/0.999", "adam:eps=1e-6"),
        ("adam:eps=1e-6,betas=0.9/0.999", "adam:eps=1e-6"),
    ]


@pytest.mark.parametrize(
    "specs, grids, message",
    [
        (["sgd"], {"lr": [0.1]}, "α is --lr"),
        (["momentum:momentum=0.5"], {"momentum": [0.9]}, "sets momentum itself"),
        (["sgd", "adam"], {"rho": [0.9]}, "no optimizer given searches rho"),
    ],
)
def test_a_grid_no_optimizer_can_take_is_refused(specs, grids, message):
    with pytest.raises(ValueError, match=message):
        joint_specs(specs, grids)


def _run(acc, diverged=False):
    n = len(acc)
    return {
        "optimizer": "x",
        "hyperparameters": {},
        "train_loss": [1.0] * n,
        "val_loss": [1.0 - a for a in acc],
        "val_accuracy": list(acc),
        "diverged_at": 3 if diverged else -1,
        "steps": 6,
        "best_val_accuracy": max(acc),
        "seconds": 0.1,
        "data": {"name": "digits", "n_train": 48},
        "network": ["Conv2D(1, 2, kernel_size=3, padding=1)"],
    }


def _sweep():
    """SGD at α = 0.01, 0.1, 1 and momentum at the same α with β = 0, 0.5, 0.9, one
    seed, three epochs, accuracies chosen so that each epoch's answer is known."""
    jobs, results = [], []

    def add(spec, label, lr, acc, diverged=False):
        jobs.append(CnnJob(spec, label, lr, 0, epochs=3, limit=60))
        results.append(_run(acc, diverged))

    for lr, acc in [
        (0.01, [0.1, 0.1, 0.1]),
        (0.1, [0.6, 0.8, 0.8]),
        (1.0, [0.2, 0.3, 0.3]),
    ]:
        add("sgd", "sgd", lr, acc)
    for beta in (0.0, 0.5, 0.9):
        for lr in (0.01, 0.1, 1.0):
            acc = [0.1, 0.1, 0.1]
            if (beta, lr) == (0.5, 0.1):
                acc = [0.7, 0.5, 0.8]  # epoch 1: the best, interior; epoch 3: ties SGD
            if (beta, lr) == (0.5, 1.0):
                acc = [0.1, 0.9, 0.1]  # epoch 2: the best, at the α grid's end
            diverged = (beta, lr) == (0.5, 0.01)
            if diverged:
                acc = [0.95, 0.95, 0.95]  # highest, but a seed diverged: never best
            add(f"momentum:momentum={beta}", f"momentum (momentum={beta})", lr, acc,
                diverged)  # fmt: skip
    groups = {j.label: j.spec.split(":")[0] for j in jobs}
    return CnnSweep(jobs, results, meta={"lr_how": "given", "parallel": "joblib, 1",
                                         "groups": groups})  # fmt: skip


def test_the_leaderboard_names_each_epochs_best_edge_and_winner():
    board = cnn_leaderboard(_sweep(), _sweep().meta["groups"])
    assert len(board) == 2 * 3
    rows = board.set_index(["optimizer", "epoch"])
    # epoch 1: momentum at α = 0.1, β = 0.5 (interior in both) beats SGD's 0.6
    m1 = rows.loc[("momentum", 1)]
    assert (m1.lr, m1.momentum, m1.value, m1.status) == (0.1, 0.5, 0.7, "best")
    assert rows.loc[("sgd", 1)].value == 0.6 and not rows.loc[("sgd", 1)].winner
    assert m1.winner
    # epoch 2: momentum's best is at α = 1, the end of the α grid: edge, not the winner
    m2 = rows.loc[("momentum", 2)]
    assert (m2.lr, m2.value, m2.status, m2.edges) == (1.0, 0.9, "edge", "lr")
    assert rows.loc[("sgd", 2)].winner and not m2.winner
    # epoch 3: 0.8 and 0.8: a tie, stated
    assert winners_by_epoch(board) == [
        (1, "momentum"),
        (2, "sgd"),
        (3, "tie: sgd = momentum"),
    ]
    # the diverged configuration (0.95 every epoch) is never anyone's best
    assert (board.value < 0.95).all()
    assert np.isnan(board[board.optimizer == "sgd"].momentum).all()


def test_beta_zero_is_a_limit_and_every_diverged_configuration_is_failed():
    jobs = [CnnJob("momentum:momentum=0.0", "m0", lr, 0, epochs=1, limit=60)
            for lr in (0.01, 0.1, 1.0)]  # fmt: skip
    jobs.append(CnnJob("sgd", "sgd", 0.1, 0, epochs=1, limit=60))
    results = [_run([0.1]), _run([0.5]), _run([0.2]), _run([0.9], diverged=True)]
    board = cnn_leaderboard(CnnSweep(jobs, results), {"m0": "momentum"})
    rows = board.set_index("optimizer")
    assert rows.loc["momentum"].status == "best" and rows.loc["momentum"].momentum == 0.0
    assert rows.loc["sgd"].status == "failed" and np.isnan(rows.loc["sgd"].value)
    assert rows.loc["momentum"].winner


def test_a_tiny_joint_sweep_writes_the_tables_and_the_winner_figure(tmp_path):
    args = ["cnn-sweep", "-o", "sgd", "-o", "momentum", "--lr", "0.01:0.3:3",
            "--grid", "momentum=0:0.9:3", "--seeds", "1", "--epochs", "2",
            "--limit", "60", "--jobs", "1", "--cache", str(tmp_path / "cache"),
            "--out", str(tmp_path / "sweep.png"), "-q"]  # fmt: skip
    tables = ["--csv", str(tmp_path / "sweep.npz"), "--tables", str(tmp_path / "board")]
    result = CliRunner().invoke(main, args + tables, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "12 runs, 0 from the cache" in result.output  # SGD 3 + momentum 3 x 3
    record = CnnSweep.load(tmp_path / "sweep.npz")
    betas = ("0.0", "0.6838", "0.9")  # 0:0.9:3 even in log(1 - β), 4 digits
    assert record.labels == ["sgd", *(f"momentum (momentum={b})" for b in betas)]
    # momentum at β = 0 is SGD, to the last bit, at every α and epoch
    for lr in sorted({j.lr for j in record.jobs}):
        np.testing.assert_array_equal(
            record.curves("sgd", lr), record.curves("momentum (momentum=0.0)", lr)
        )
    board = pd.read_csv(tmp_path / "board" / "leaderboard.csv")
    assert list(board.optimizer) == ["sgd", "sgd", "momentum", "momentum"]
    assert list(board.epoch) == [1, 2, 1, 2]
    # each row is its optimizer's best mean accuracy at that epoch, read from the curves
    for row in board.itertuples():
        labels = [lab for lab in record.labels if lab.split(" ")[0] == row.optimizer]
        best = max(
            record.curves(lab, lr)[:, row.epoch - 1].mean()
            for lab in labels
            for lr in sorted({j.lr for j in record.jobs})
        )
        assert row.value == pytest.approx(best, abs=0, rel=1e-15)
    expected, _ = cnn_tables(record)
    assert list(expected.value) == list(board.value)
    text = (tmp_path / "board" / "leaderboard.md").read_text(encoding="utf-8")
    assert "## Winner by epoch" in text and "momentum 3 values 0..0.9" in text
    with Image.open(tmp_path / "board" / "winners.png") as im:
        assert im.width > 800 and im.height > 500
    again = CliRunner().invoke(main, args, catch_exceptions=False)
    assert "12 runs, 12 from the cache" in again.output


def test_bad_cnn_grids_are_one_line(tmp_path):
    base = ["cnn-sweep", "--epochs", "1", "--limit", "60", "--jobs", "1",
            "--cache", str(tmp_path / "c"), "--out", str(tmp_path / "s.png")]  # fmt: skip
    r = CliRunner().invoke(main, [*base, "--grid", "lr=0.1:1:3"])
    assert r.exit_code == 2
    assert_one_line_error(r, "--grid", "α is --lr")
    r = CliRunner().invoke(main, [*base, "-o", "sgd", "--grid", "rho=0.5:0.9:2"])
    assert r.exit_code == 1
    assert_one_line_error(r, "no optimizer given searches rho")
    r = CliRunner().invoke(main, [*base, "--grid", "momentum=0.9:0.5:2"])
    assert r.exit_code == 2
    assert_one_line_error(r, "reversed")


def test_tables_never_replace_an_unrelated_folder_and_refuse_before_training(tmp_path):
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine\n")
    args = ["cnn-sweep", "-o", "sgd", "--lr", "0.1:0.1:1", "--seeds", "1", "--epochs",
            "1", "--limit", "60", "--jobs", "1", "--cache", str(tmp_path / "cache"),
            "--out", str(tmp_path / "s.png"), "--tables", str(mine)]  # fmt: skip
    r = CliRunner().invoke(main, args)
    assert r.exit_code != 0
    assert_one_line_error(r, str(mine.name))
    assert (mine / "keep.txt").read_text() == "mine\n"
    assert not (tmp_path / "s.png").exists()
    assert not list((tmp_path / "cache").glob("*.json"))  # nothing trained
