"""Every ``--csv`` writes a record that its type loads back: the numbers behind the
figure, not a table beside it."""

import json

from click.testing import CliRunner

from optviz.cli import main
from optviz.records import StartMap, Sweep


def test_sweep_csv_is_a_sweep_record(tmp_path):
    csv = tmp_path / "sweep.csv"
    args = ["sweep", "quadratic", "-o", "sgd", "-o", "adam", "--lr", "1e-3:1:4"]
    args += ["--steps", "30", "--tol", "1e-3", "--out", str(tmp_path / "s.png")]
    result = CliRunner().invoke(main, [*args, "--csv", str(csv), "-q"])
    assert result.exit_code == 0, result.output
    sweep = Sweep.load(csv)
    assert sweep.labels == ["sgd", "adam"]
    assert sweep.steps == 30 and sweep.tol == 1e-3
    assert [len(c.lr) for c in sweep] == [4, 4]
    assert sweep.curves[0].lr[0] == 1e-3 and sweep.curves[0].lr[-1] == 1.0
    side = json.loads((tmp_path / "sweep.json").read_text())
    assert side["record"] == "Sweep"


def test_map_csv_is_a_start_map_record(tmp_path):
    csv = tmp_path / "map.csv"
    args = ["map", "himmelblau", "-o", "sgd", "--grid", "3", "--steps", "20"]
    args += ["--metric", "basin", "--out", str(tmp_path / "m.png")]
    result = CliRunner().invoke(main, [*args, "--csv", str(csv), "-q"])
    assert result.exit_code == 0, result.output
    smap = StartMap.load(csv)
    assert smap.labels == ["sgd"]
    assert len(smap.to_frame()) == 3 * 3  # one row per start
    assert json.loads(csv.with_suffix(".json").read_text())["record"] == "StartMap"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.png", "map.csv", "map.json"]


def test_map_csv_may_not_replace_the_figure(tmp_path):
    out = tmp_path / "m.png"
    args = ["map", "himmelblau", "--grid", "3", "--out", str(out), "--csv", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert "Error:" in result.output and not out.exists()
