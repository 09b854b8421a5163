"""The CLI: the default job, outputs by extension, one-line errors, nothing half-written."""

import json
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error
from PIL import Image

from optviz.cli import main
from optviz.optimizers import Adam
from optviz.surfaces import SURFACES

#: What a figure command writes: the figure, its record beside it and the sidecar.
EXT = ("json", "npz", "png")


def invoke(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def test_compare_defaults_write_the_figure(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("compare")
    assert result.exit_code == 0, result.output
    with Image.open(tmp_path / "compare-rosenbrock.png") as im:
        assert im.format == "PNG" and im.width > 1200 and im.height > 500
        pixels = np.asarray(im.convert("RGB"))
    # Adam's colour (Adam.color) is on the figure: its path and its legend line.
    rgb = [int(Adam.color[i : i + 2], 16) for i in (1, 3, 5)]
    assert np.all(np.abs(pixels.astype(int) - rgb) < 12, axis=-1).sum() > 200
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "compare-rosenbrock.json",  # the record beside the figure, and its sidecar
        "compare-rosenbrock.npz",
        "compare-rosenbrock.png",
    ]


def test_compare_is_deterministic(tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    for path in (a, b):
        assert (
            invoke("compare", "-o", "adam", "--steps", "50", "--out", str(path)).exit_code
            == 0
        )
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("suffix,magic", [(".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_compare_other_formats(tmp_path, suffix, magic):
    out = tmp_path / f"fig{suffix}"
    result = invoke(
        "compare",
        "beale" if "beale" in SURFACES else "rosenbrock",
        "-o",
        "adam",
        "--steps",
        "20",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)


def test_compare_records(tmp_path):
    out, csv = tmp_path / "f.png", tmp_path / "run.csv"
    result = invoke(
        "compare",
        "-o",
        "sgd:lr=0.001",
        "-o",
        "adam:lr=0.05,betas=0.9/0.99",
        "--steps",
        "25",
        "--start",
        "-1,1.5",
        "--out",
        str(out),
        "--csv",
        str(csv),
    )
    assert result.exit_code == 0, result.output
    info = json.loads((tmp_path / "run.json").read_text())
    assert info["start"] == [-1.0, 1.5] and info["steps"] == 25
    adam = info["optimizers"][1]["hyperparameters"]
    assert adam["lr"] == 0.05 and adam["betas"] == [0.9, 0.99]


def test_diverged_run_is_reported_not_crashed(tmp_path):
    result = invoke(
        "compare",
        "-o",
        "sgd:lr=0.01",
        "-o",
        "adam",
        "--steps",
        "100",
        "--out",
        str(tmp_path / "f.png"),
    )
    assert result.exit_code == 0
    assert "sgd diverged at step" in result.output
    assert (tmp_path / "f.png").stat().st_size > 0


@pytest.mark.parametrize(
    "args,fragments",
    [
        (["compare", "rosenbrok"], ["rosenbrock"]),  # close match suggested
        (["compare", "-o", "adamm"], ["adam"]),
        (["compare", "-o", "adam:lrr=0.1"], ["lr"]),
        (["compare", "-o", "adam:lr=fast"], ["lr"]),
        (["compare", "-o", "adam:lr=-1"], ["lr", "> 0", "-1"]),
        (["compare", "-o", "adam:betas=0.9/1.5"], ["rho2", "[0, 1)", "1.5"]),
        (["compare", "-o", "rmsprop:rho=nan"], ["rho", "nan"]),
        (["compare", "-o", "adam:lr"], ["KEY=VALUE"]),
        (["compare", "--steps", "0"], ["steps"]),
        (["compare", "--steps", "100000000000"], ["steps"]),
        (["compare", "--start", "1"], ["X,Y"]),
        (["compare", "--start", "nan,1"], ["finite"]),
    ],
)
def test_bad_input_gets_one_line_error(tmp_path, args, fragments):
    result = invoke(*args, "--out", str(tmp_path / "f.png"))
    assert_one_line_error(result, *fragments)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("out", ["missing/f.png", "f.jpg", "."])
def test_unwritable_output(tmp_path, monkeypatch, out):
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", "-o", "adam", "--steps", "5", "--out", out)
    assert_one_line_error(result, "cannot write")
    assert list(tmp_path.iterdir()) == []


def test_list_names_everything():
    result = invoke("list")
    assert result.exit_code == 0
    for name in SURFACES:
        assert name in result.output
    for name in ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"):
        assert name in result.output
    assert "betas" in invoke("list", "optimizers").output


def test_python_dash_m():
    out = subprocess.run(
        [sys.executable, "-m", "optviz", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "optviz" in out.stdout


def test_default_outputs_are_named_after_the_surface(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("compare", "beale", "-o", "adam", "--steps", "5").exit_code == 0
    assert invoke("compare", "quadratic", "-o", "adam", "--steps", "5").exit_code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"compare-{s}.{e}" for s in ("beale", "quadratic") for e in EXT]


def test_progress_is_drawn_on_a_terminal_only(monkeypatch):
    import io

    from optviz.cli._common import progress_callback

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    for stream, quiet, shown in (
        (Terminal(), False, True),
        (Terminal(), True, False),
        (io.StringIO(), False, False),
    ):
        monkeypatch.setattr(sys, "stderr", stream)
        with progress_callback("running on beale", quiet) as tick:
            for done in range(5):
                tick(done, 4)
        text = stream.getvalue()
        assert ("running on beale" in text and "100%" in text) == shown, text
        assert bool(text) == shown


def test_bare_optviz_shows_the_help_and_the_error_rule():
    result = invoke()
    assert result.exit_code == 0
    assert "Usage: " in result.output and "Exit codes" in result.output
