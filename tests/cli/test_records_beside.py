"""The data behind every output: each figure command writes its record beside the
figure under the figure's name (NAME.npz and its sidecar NAME.json), or where --csv
says; the record loads back and redraws the figure."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from optviz.cli import main
from optviz.records import Run, StartMap, Sweep

COMMANDS = [
    ("compare", ["-o", "sgd", "--steps", "8"], "c.png", Run),
    ("animate", ["-o", "sgd", "--steps", "8", "--frames", "2", "-q"], "a.gif", Run),
    ("lr", ["-o", "adam", "--steps", "8"], "l.svg", Run),
    ("sweep", ["-o", "sgd", "--steps", "8", "--lr", "1e-3:1:3"], "s.png", Sweep),
    ("map", ["-o", "sgd", "--steps", "8", "--grid", "3"], "m.pdf", StartMap),
]


@pytest.mark.parametrize("command, args, figure, kind", COMMANDS)
def test_the_record_is_beside_the_figure_under_its_name(
    tmp_path, command, args, figure, kind
):
    out = tmp_path / figure
    result = CliRunner().invoke(main, [command, "quadratic", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    stem = out.with_suffix("")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [figure, stem.name + ".npz", stem.name + ".json"]
    )
    record = kind.load(stem.with_suffix(".npz"))
    assert record.surface == "quadratic" and record.steps == 8
    side = json.loads(stem.with_suffix(".json").read_text())
    assert side["record"] == kind.__name__
    if command != "animate":
        assert f"wrote {stem}.npz and {stem}.json" in result.output


def test_csv_puts_the_record_where_it_says(tmp_path):
    out, csv = tmp_path / "c.png", tmp_path / "data" / "run.csv"
    csv.parent.mkdir()
    args = ["compare", "quadratic", "-o", "sgd", "--steps", "8", "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--csv", str(csv)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.png", "data"]
    assert Run.load(csv).labels == ["sgd"]
    assert json.loads((csv.parent / "run.json").read_text())["record"] == "Run"


def test_the_record_beside_a_comparison_redraws_it(tmp_path):
    out = tmp_path / "c.png"
    args = ["compare", "beale", "-o", "adam", "--steps", "30", "--out", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    again = tmp_path / "again.png"
    result = CliRunner().invoke(
        main, ["redraw", str(tmp_path / "c.npz"), "--out", str(again)]
    )
    assert result.exit_code == 0, result.output
    assert again.read_bytes() == out.read_bytes()
