"""One exit code per kind of error: an unknown name (surface, optimizer, hyper-parameter
key, schedule, data set) is a usage error, exit 2, on every command; a "did you mean"
names the key people mean (learning_rate -> lr); lists of names are never cut inside
a name."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from optviz.cli import main
from optviz.cli._common import one_line

#: Every command that takes -o SPEC, with the arguments that keep it short.
SPEC_COMMANDS = {
    "compare": ["--steps", "5"],
    "animate": ["--steps", "5"],
    "lr": ["--steps", "5"],
    "sweep": ["--steps", "5"],
    "map": ["--steps", "5", "--grid", "3"],
    "explore": ["--steps", "5"],
    "train": ["--epochs", "1", "--limit", "40"],
    "cnn-sweep": ["--epochs", "1", "--limit", "40", "--seeds", "1"],
}


def run(*args):
    return CliRunner().invoke(main, list(args), prog_name="optviz")


def one_error_line(result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


@pytest.mark.parametrize("command", sorted(SPEC_COMMANDS))
@pytest.mark.parametrize(
    "spec, fragments",
    [
        ("adamm", ["unknown optimizer 'adamm'", "Did you mean adam or radam?"]),
        ("adam:learning_rate=0.1", ["key for adam 'learning_rate'", "Did you mean lr?"]),
        ("momentum:beta=0.9", ["key for momentum 'beta'", "Did you mean momentum?"]),
        ("adam:epsilon=1e-6", ["Did you mean eps?"]),
        ("sgd:schedule=cosin", ["schedule must be one of", "did you mean cosine?"]),
    ],
)  # fmt: skip
def test_unknown_names_are_usage_errors_everywhere(
    tmp_path, monkeypatch, command, spec, fragments
):
    monkeypatch.chdir(tmp_path)
    result = run(command, "-o", spec, *SPEC_COMMANDS[command])
    assert result.exit_code == 2, result.output
    line = one_error_line(result)
    for fragment in fragments:
        assert fragment in line
    assert f"(see optviz {command} --help)" in line
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize("command", ["compare", "animate", "lr", "sweep", "map", "explore"])
def test_unknown_surface_is_a_usage_error(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = run(command, "rosenbrok")
    assert result.exit_code == 2
    line = one_error_line(result)
    assert "unknown surface 'rosenbrok'. Did you mean rosenbrock?" in line


@pytest.mark.parametrize("command", ["train", "cnn-sweep"])
def test_unknown_dataset_is_a_usage_error(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = run(command, "--dataset", "digit")
    assert result.exit_code == 2
    assert "unknown dataset 'digit'. Did you mean digits?" in one_error_line(result)


def test_a_bad_value_of_a_known_key_stays_exit_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("compare", "-o", "adam:lr=-1", "--steps", "5")
    assert result.exit_code == 1
    assert "lr" in one_error_line(result)


def test_the_list_of_surfaces_is_never_cut_inside_a_name(tmp_path, monkeypatch):
    from optviz.surfaces import SURFACES

    monkeypatch.chdir(tmp_path)
    line = one_error_line(run("compare", "nosuch"))
    listed = line.split("Known: ")[1].split(" (see ")[0].removesuffix(" ...")
    for name in listed.split(", "):
        assert name in SURFACES  # whole names only


def test_one_line_cuts_between_words():
    names = ", ".join(f"surface_number_{i}" for i in range(40))
    text = one_line("unknown surface 'x'. Known: " + names, limit=100)
    assert len(text) <= 100 and text.endswith(" ...")
    listed = text.removesuffix(" ...").split("Known: ")[1].rstrip(",").split(", ")
    assert listed == [f"surface_number_{i}" for i in range(len(listed))]
    assert one_line("a" * 30, limit=20) == "a" * 16 + "..."  # one long word: cut in it
    assert one_line("short", limit=20) == "short"


def test_cnn_sweep_lr_help_speaks_of_the_cnn():
    text = " ".join(run("cnn-sweep", "--help").output.split())
    assert "surface's default rates" not in text
    assert "--lr MIN:MAX:N" in text
    assert "each optimizer's default rate for the CNN" in text
