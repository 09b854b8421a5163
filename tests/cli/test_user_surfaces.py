"""A formula or a user's function wherever a surface's name is accepted."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error

from optviz.cli import main
from optviz.records import Run
from optviz.user_surfaces import LR_GRID, resolve, tuned_lr

BOWL = "x**2 + 10*y**2"


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_compare_takes_a_formula(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", BOWL, "-o", "sgd", "-o", "adam", "--csv", "run.npz")
    assert result.exit_code == 0, result.output
    # the formula, made safe for a file name, with a hash of the whole
    (png,) = tmp_path.glob("compare-*.png")
    assert png.name.startswith("compare-x_2_10_y_2-")
    run = Run.load(tmp_path / "run.npz")
    assert run.surface == BOWL
    # SGD at the swept rate goes down the bowl from the start
    sgd = run["sgd"]
    assert sgd.xy[0].tolist() == [-1.4, 1.4]  # 15% in from the top-left of [-2, 2]^2
    assert sgd.loss[-1] < 1e-6 * sgd.loss[0]


def test_domain_sets_the_window_and_travels_with_the_record(tmp_path):
    out = tmp_path / "r.npz"
    result = invoke(
        "compare", "(1-x)**2 + 100*(y-x**2)**2", "--domain", "-2:2,-1:3", "-o", "adam",
        "--steps", "20", "--out", str(tmp_path / "r.png"), "--csv", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    run = Run.load(out)
    assert run.surface == "(1-x)**2 + 100*(y-x**2)**2 @ -2:2,-1:3"
    again = resolve(run.surface)
    assert again.domain == ((-2.0, 2.0), (-1.0, 3.0))
    assert [p.xy for p in again.minima] == [(1.0, 1.0)]


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["x**2 + z"], "unknown name 'z' at column 8; allowed: x, y"),
        (["__import__('os').system('touch PWNED')"], "attribute access at column 1"),
        (["x" * 10_000], "10,000 characters long; at most 500"),
        (["rosenbrock", "--domain", "-1:1,-1:1"], "rosenbrock has its own"),
        ([BOWL, "--domain", "1:0,0:1"], "must be finite and increasing"),
        ([BOWL, "--domain", "wide"], "is not X0:X1,Y0:Y1"),
        (["rosenbrok"], "Did you mean rosenbrock?"),
    ],
)
def test_a_bad_surface_is_a_usage_error_in_one_line(args, fragment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", *args)
    assert result.exit_code == 2
    assert_one_line_error(result, fragment)
    assert list(tmp_path.iterdir()) == []  # nothing written, nothing run


@pytest.mark.parametrize("command", ["animate", "lr", "sweep", "map", "explore"])
def test_every_surface_command_takes_a_formula(command):
    result = invoke(command, "x**2 + y", "--help")
    assert result.exit_code == 0 and "--domain" in result.output


def test_lr_and_map_run_on_a_formula(tmp_path):
    out = tmp_path / "lr.png"
    result = invoke("lr", BOWL, "-o", "adam", "--steps", "10", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 10_000


def test_the_swept_rates_are_on_the_grid_and_sgd_is_stable():
    surface = resolve(BOWL)
    rates = tuned_lr(surface)
    assert set(rates) == {"sgd", "momentum", "adagrad", "rmsprop", "adam"}
    assert all(r in LR_GRID for r in rates.values())
    # on x^2 + 10 y^2 plain gradient descent is stable below 2 / 20 = 0.1
    assert rates["sgd"] < 0.1
    assert resolve(BOWL) is surface  # made once


def test_help_starts_without_sympy():
    probe = (
        "import sys\nfrom optviz.cli import main\n"
        "try:\n    main(['compare', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('sympy' in sys.modules, 'scipy.optimize' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False False", out.stdout[-300:]


def test_a_record_of_a_formula_redraws(tmp_path):
    result = invoke(
        "compare", BOWL, "-o", "sgd", "--steps", "5", "--out", str(tmp_path / "a.png"),
        "--csv", str(tmp_path / "run.npz"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    sidecar = json.loads((tmp_path / "run.json").read_text())
    assert sidecar["surface"] == BOWL
    redraw = invoke("redraw", str(tmp_path / "run.npz"), "--out", str(tmp_path / "b.png"))
    assert redraw.exit_code == 0, redraw.output
    assert (tmp_path / "b.png").stat().st_size > 10_000
