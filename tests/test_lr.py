"""The effective learning rate is what the update applied; the lr figure and command."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from optviz.cli import main
from optviz.inner_state import adam_divisors
from optviz.optimizers import SGD, Adagrad, Adam, Momentum, RMSprop
from optviz.plot.lr import lr_figure, variant_styles
from optviz.run import run_surface
from optviz.schedules import cosine, step
from optviz.surfaces import get

STEPS = 30


def _run(opt, record_state=True, steps=STEPS):
    surface = get("rosenbrock")
    run = run_surface(surface, {"x": opt}, steps=steps, record_state=record_state)
    return run["x"]


@pytest.mark.parametrize(
    "opt",
    [
        SGD(lr=1e-3),
        SGD(lr=step(1e-3, step_size=5, gamma=0.5)),
        Adagrad(lr=0.1),
        Adagrad(lr=0.1, eps_inside_sqrt=True, initial_accumulator_value=0.1),
        RMSprop(lr=0.01),
        RMSprop(lr=cosine(0.01, 30), eps_inside_sqrt=True),
    ],
    ids=repr,
)
def test_effective_lr_is_step_over_gradient_for_diagonal_updates(opt):
    traj = _run(opt)
    dw = np.abs(np.diff(traj.xy, axis=0))  # step k moved by dw[k-1]
    g = np.abs(traj.grad[:-1])  # grad[k-1] drove step k
    np.testing.assert_allclose(traj.lr[1:], dw / g, rtol=1e-9)


@pytest.mark.parametrize("bias_correction", [True, False])
def test_adam_effective_lr_multiplies_s_hat(bias_correction):
    opt = Adam(lr=0.05, betas=(0.9, 0.99), bias_correction=bias_correction)
    traj = _run(opt)
    t = np.arange(1, STEPS + 1)[:, None]
    s_hat = traj.state["s"][1:] / ((1 - 0.9**t) if bias_correction else 1.0)
    dw = np.abs(np.diff(traj.xy, axis=0))
    np.testing.assert_allclose(traj.lr[1:] * np.abs(s_hat), dw, rtol=1e-9)
    # and it is alpha / (sqrt(r_hat) + delta)
    r_hat = traj.state["r"][1:] / ((1 - 0.99**t) if bias_correction else 1.0)
    np.testing.assert_allclose(traj.lr[1:], 0.05 / (np.sqrt(r_hat) + 1e-8), rtol=1e-12)


@pytest.mark.parametrize("form", ["notes", "pytorch"])
def test_momentum_effective_lr_is_alpha_and_v_is_the_step(form):
    sched = step(2e-4, step_size=10, gamma=0.5)
    traj = _run(Momentum(lr=sched, form=form))
    np.testing.assert_allclose(traj.lr[1:, 0], sched(np.arange(1, STEPS + 1)))
    np.testing.assert_allclose(traj.state["v"][1:], np.diff(traj.xy, axis=0), rtol=1e-9)


def test_bias_corrections():
    traj = _run(Adam(lr=0.05), steps=3)
    c1, c2 = adam_divisors(traj)[1:].T
    np.testing.assert_allclose(c1, [0.1, 0.19, 0.271])
    np.testing.assert_allclose(c2, 1 - 0.999 ** np.arange(1, 4))
    off = _run(Adam(lr=0.05, bias_correction=False), steps=3)
    np.testing.assert_allclose(adam_divisors(off)[1:], 1.0)
    assert adam_divisors(_run(SGD(lr=1e-3), steps=3)) is None


def test_lr_figure_draws_every_optimizer_and_variant():
    surface = get("rosenbrock")
    opts = {
        "adam": Adam(lr=0.05),
        "adam (bias_correction=false)": Adam(lr=0.05, bias_correction=False),
        "adagrad": Adagrad(lr=0.5),
        "sgd": SGD(lr=1e-3),
    }
    run = run_surface(surface, opts, steps=20, record_state=True)
    assert variant_styles(run) == {
        "adam": "-",
        "adam (bias_correction=false)": "--",
        "adagrad": "-",
        "sgd": "-",
    }
    fig = lr_figure(surface, run, footnote="20 steps")
    ax_lr = fig.axes[0]
    assert len(ax_lr.get_lines()) == len(opts)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert not any("not recorded" in t for t in texts)


def test_lr_figure_without_state_says_so():
    surface = get("rosenbrock")
    run = run_surface(surface, {"sgd": SGD(lr=1e-3)}, steps=5)
    fig = lr_figure(surface, run)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("state not recorded" in t for t in texts)


def test_cli_lr_writes_figure_and_sidecar(tmp_path):
    out = tmp_path / "lr.png"
    result = CliRunner().invoke(
        main,
        [
            "lr",
            "-o",
            "adam",
            "-o",
            "adam:bias_correction=false",
            "-o",
            "sgd:lr=0.001,schedule=cosine,warmup=5",
            "--steps",
            "20",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 10_000
    side = json.loads((tmp_path / "lr.json").read_text())  # its record's sidecar
    assert side["steps"] == 20 and side["seed"] == 0
    assert side["meta"]["learning_rates"]["sgd"] == "set in the SPEC"
    assert side["meta"]["learning_rates"]["adam"] == "rosenbrock's default for adam"
    labels = [o["label"] for o in side["optimizers"]]
    assert labels == ["adam", "adam (bias_correction=false)", "sgd"]
    sgd = side["optimizers"][2]["hyperparameters"]["lr"]
    assert sgd == "warmup(cosine(lr=0.001, total_steps=15, min_lr=0), warmup_steps=5)"
    assert not list(tmp_path.glob(".*part"))


@pytest.mark.parametrize(
    "args, message",
    [
        (["-o", "adam:bias_corection=false"], "Did you mean bias_correction?"),
        (["-o", "sgd:schedule=cosine,warmup=50", "--steps", "20"], "warmup must be <"),
        (["--start", "1,x"], "is not two numbers"),
        (["--out", "lr.gif"], "unknown extension"),
        (["nosuchsurface"], "unknown surface"),
    ],
)
def test_cli_lr_bad_input_is_one_line(tmp_path, args, message):
    result = CliRunner().invoke(
        main,
        ["lr", *args, "--out", str(tmp_path / "x.png")]
        if "--out" not in args
        else ["lr", *args],
    )
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.png").exists()
