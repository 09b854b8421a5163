"""Every ``--csv`` of every command writes a record that its record class loads back:
each command run with a tiny budget, ``--csv`` as .csv and as .npz, the file read with
the class its sidecar names (``optviz sweep --csv`` -> ``Sweep.load``, ``optviz map
--csv`` -> ``StartMap.load``, ...)."""

import json

import pytest
from click.testing import CliRunner

from optviz import records
from optviz.cli import main

TWO = ["-o", "sgd:lr=0.1", "-o", "adam"]
TINY_CNN = ["--epochs", "1", "--limit", "60", "--batch-size", "16"]

#: command -> (its arguments but --csv, the record class its --csv writes)
COMMANDS = {
    "compare": (["compare", "quadratic", *TWO, "--steps", "12"], "Run"),
    "animate": (
        ["animate", "quadratic", *TWO, "--steps", "12", "--frames", "3", "--out", "a.gif"],
        "Run",
    ),
    "lr": (["lr", "quadratic", *TWO, "--steps", "12"], "Run"),
    "sweep": (
        ["sweep", "quadratic", "-o", "sgd", "-o", "adam", "--lr", "1e-3:0.1:3",
         "--steps", "12"],
        "Sweep",
    ),
    "map": (["map", "quadratic", *TWO, "--grid", "4", "--steps", "12"], "StartMap"),
    "cnn-sweep": (
        ["cnn-sweep", "-o", "sgd", "-o", "adam", "--lr", "0.01:0.1:2", *TINY_CNN,
         "--jobs", "1", "--cache", "cache"],
        "CnnSweep",
    ),
    "lesson": (["lesson", "losses", "--out", "losses.png"], "Lesson"),
    "train": (["train", *TWO, *TINY_CNN, "--out", "run"], "TrainingRun"),
    "landscape": (["landscape", "RUN", "--grid", "3", "--images", "8"], "Landscape"),
}  # fmt: skip


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A training run with snapshots, for the landscape."""
    out = tmp_path_factory.mktemp("trained") / "run"
    args = ["train", *TWO, *TINY_CNN, "--snapshot-every", "1", "-q", "--out", str(out)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("suffix", [".csv", ".npz"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_the_csv_loads_back_with_its_record_class(
    command, suffix, trained, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    args, kind = COMMANDS[command]
    args = [str(trained) if a == "RUN" else a for a in args]
    path = tmp_path / f"record{suffix}"
    result = CliRunner().invoke(main, [*args, "--csv", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    side = json.loads(path.with_suffix(".json").read_text())
    assert side["record"] == kind
    record = getattr(records, kind).load(path)
    assert type(record).__name__ == kind and len(record) > 0
    if command != "lesson":  # the optimizers asked for, by label
        assert [item.label for item in record][:1] == ["sgd"]
    again = record.save(tmp_path / f"again{suffix}")
    assert getattr(records, kind).load(again) == record
