"""Learning-rate sweeps: the batch equals one-at-a-time runs; best-rate rules; the CLI."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from optviz.cli import main
from optviz.optimizers import SGD, Adagrad, Adam, Momentum, RMSprop
from optviz.run import run_one
from optviz.schedules import cosine, warmup
from optviz.surfaces import get
from optviz.sweep import (
    SweepCurve,
    lr_grid,
    lr_sweep,
    parse_lr_range,
    track,
    with_lr,
)

STEPS = 120
TOL = 1e-3


def _steps_to_tol(surface, traj, tol):
    """From the full history: the step from which f - f* < tol holds to the end."""
    gap = traj.loss - surface.min_value
    below = gap < tol  # NaN (diverged) is False
    if not below[-1]:
        return -1
    above = np.flatnonzero(~below)
    return 0 if len(above) == 0 else int(above[-1]) + 1


PROTOTYPES = {
    "sgd": SGD(),
    "momentum": Momentum(form="pytorch", nesterov=True),
    "adagrad": Adagrad(),
    "rmsprop": RMSprop(),
    "adam": Adam(bias_correction=False),
    "sgd-sched": SGD(lr=warmup(cosine(1.0, 100), 10)),
}


@pytest.mark.parametrize("label", sorted(PROTOTYPES))
def test_batched_sweep_equals_one_at_a_time(label):
    surface = get("rosenbrock")
    lrs = np.geomspace(1e-4, 100.0, 7)  # the large ones diverge
    sweep = lr_sweep(surface, {label: PROTOTYPES[label]}, lrs, steps=STEPS, tol=TOL)
    curve = sweep[label]
    for i, lr in enumerate(lrs):
        traj = run_one(surface, with_lr(PROTOTYPES[label], lr), surface.start, STEPS)
        assert curve.diverged_at[i] == traj.diverged_at
        np.testing.assert_allclose(curve.final_xy[i], traj.xy[-1], rtol=1e-12)
        np.testing.assert_allclose(curve.final_loss[i], traj.loss[-1], rtol=1e-12)
        assert curve.steps_to_tol[i] == _steps_to_tol(surface, traj, TOL)
    assert curve.diverged.any() and (~curve.diverged).any()


def test_with_lr_keeps_every_other_key_and_the_schedule_shape():
    proto = Adam(betas=(0.8, 0.9), eps=1e-6, bias_correction=False)
    new = with_lr(proto, 0.3)
    assert new.hyperparameters() == {**proto.hyperparameters(), "lr": 0.3}
    sched = with_lr(SGD(lr=warmup(cosine(1.0, 50), 5)), 0.2).lr
    assert repr(sched) == "warmup(cosine(lr=0.2, total_steps=50, min_lr=0), warmup_steps=5)"
    with pytest.raises(ValueError, match="plain callable"):
        with_lr(SGD(lr=lambda t: 0.1), 0.2)


def test_track_reports_a_run_that_leaves_the_tolerance_as_not_converged():
    surface = get("rosenbrock")
    # start at the minimum: f - f* = 0 at step 0, then a too-large step throws it out
    res = track(surface, SGD(lr=0.01), np.array([[1.0, 1.0], [1.001, 1.0]]), 5, tol=1e-12)
    assert res.steps_to_tol[0] == 0  # a minimum stays put (zero gradient)
    assert res.steps_to_tol[1] == -1


def _curve(steps_to_tol, gap, diverged_at):
    n = len(gap)
    return SweepCurve(
        "sgd",
        "sgd",
        {},
        np.geomspace(1e-3, 1, n),
        np.asarray(gap, float),
        np.asarray(gap, float),
        np.asarray(steps_to_tol),
        np.asarray(diverged_at),
        np.zeros((n, 2)),
    )


def test_best_rate_rules():
    c = _curve([50, 30, 30, -1], [1e-7, 1e-8, 1e-9, 1e-12], [-1, -1, -1, -1])
    assert c.best_index("steps") == 2  # fewest steps, tie broken by final loss
    assert c.best_index("loss") == 3
    c = _curve([-1, -1, -1], [1e-1, 1e-3, np.nan], [-1, -1, 4])
    assert c.best_index("steps") == 1  # none reached tol: lowest final loss, not diverged
    c = _curve([-1, -1], [np.nan, np.nan], [3, 4])
    assert c.best_index("steps") is None


def test_lr_ranges():
    assert parse_lr_range("1e-4:1:50") == (1e-4, 1.0, 50)
    np.testing.assert_allclose(lr_grid(1e-4, 1, 5), [1e-4, 1e-3, 1e-2, 1e-1, 1])
    for bad, message in [
        ("1e-4:1", "MIN:MAX:N"),
        ("a:1:3", "with numbers"),
        ("1:0.1:5", "0 < MIN < MAX"),
        ("0:1:5", "lowest lr must be > 0"),
        ("1e-3:1:0", r"number of learning rates must be in \[1, "),
    ]:
        with pytest.raises(ValueError, match=message):
            parse_lr_range(bad)


def test_frame_and_sidecar():
    surface = get("rosenbrock")
    sweep = lr_sweep(surface, [SGD(), Adam()], np.geomspace(1e-3, 10, 5), steps=50)
    frame = sweep.to_frame()
    assert list(frame.columns[:5]) == [
        "optimizer",
        "label",
        "lr",
        "final_loss",
        "final_gap",
    ]
    assert {"steps_to_tol", "diverged"} <= set(frame.columns)
    assert len(frame) == 10 and frame["best"].sum() == 2
    side = sweep.sidecar()
    assert side["steps"] == 50 and side["learning_rates"]["n"] == 5
    assert side["criterion_text"].startswith("fewest steps")
    json.dumps(side)


def test_cli_sweep_writes_figure_csv_and_sidecar(tmp_path):
    out, csv = tmp_path / "sweep.png", tmp_path / "sweep.csv"
    result = CliRunner().invoke(
        main,
        [
            "sweep",
            "-o",
            "sgd",
            "-o",
            "adam",
            "-o",
            "adam:bias_correction=false",
            "--lr",
            "1e-4:1:6",
            "--steps",
            "60",
            "--tol",
            "1e-3",
            "--out",
            str(out),
            "--csv",
            str(csv),
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 10_000
    frame = pd.read_csv(csv)
    assert {"optimizer", "lr", "final_loss", "steps_to_tol", "diverged"} <= set(
        frame.columns
    )
    assert len(frame) == 3 * 6
    side = json.loads((tmp_path / "sweep.json").read_text())  # the record's sidecar
    assert side["learning_rates"]["how"] == "given"
    assert side["steps"] == 60 and side["tol"] == 1e-3 and side["seed"] is None
    assert [o["label"] for o in side["optimizers"]] == [
        "sgd",
        "adam",
        "adam (bias_correction=false)",
    ]
    assert all("best_lr" in o for o in side["optimizers"])
    assert "best lr" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--lr", "1:0.1:5"], "0 < MIN < MAX"),
        (["--lr", "x"], "MIN:MAX:N"),
        (["-o", "adam:lr=0.1"], "a sweep sets lr itself"),
        (["--criterion", "fastest"], "Invalid value for '--criterion'"),
        (["--csv", "out.txt"], "unknown extension"),
    ],
)
def test_cli_sweep_bad_input_is_one_line(tmp_path, args, message):
    result = CliRunner().invoke(main, ["sweep", *args, "--out", str(tmp_path / "s.png")])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "s.png").exists()
