"""Start-point maps: Himmelblau's basins, batch equals one-at-a-time, the CLI."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from optviz.cli import main
from optviz.optimizers import SGD, Adam, Momentum
from optviz.plot.maps import map_figure
from optviz.run import run_one
from optviz.startmap import (
    DIVERGED,
    NONE,
    classify_basins,
    default_radius,
    start_grid,
    start_map,
)
from optviz.surfaces import get
from optviz.sweep import track

# Himmelblau's four minima (Himmelblau 1972): (3, 2) exactly, the others numerically.
MINIMA = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]


def test_classify_points_near_each_minimum():
    surface = get("himmelblau")
    index = {tuple(np.round(p.xy, 3)): k for k, p in enumerate(surface.minima)}
    for xy in MINIMA:
        k = index[tuple(np.round(xy, 3))]
        near = np.array(xy) + np.array([[0.05, -0.05], [-0.1, 0.0], [0.0, 0.2]])
        assert classify_basins(surface, near).tolist() == [k, k, k]
    far = [[0.0, 0.0], [np.nan, np.nan], [np.inf, 1.0]]
    assert classify_basins(surface, far).tolist() == [NONE, DIVERGED, DIVERGED]
    assert default_radius(surface) == pytest.approx(0.5)


@pytest.mark.parametrize("opt", [SGD(lr=0.01), Adam(lr=0.05)], ids=repr)
def test_runs_started_near_each_minimum_end_in_its_basin(opt):
    surface = get("himmelblau")
    starts = np.array(MINIMA) + 0.3  # (4, 2), each within its own basin
    res = track(surface, opt, starts, 300, tol=1e-6)
    expected = classify_basins(surface, np.array(MINIMA))
    assert classify_basins(surface, res.final_xy).tolist() == expected.tolist()
    assert sorted(expected.tolist()) == [0, 1, 2, 3]


def test_start_grid_covers_the_domain():
    surface = get("himmelblau")
    g = start_grid(surface, 5)
    assert g.shape == (5, 5, 2)
    assert g[0, 0].tolist() == [-5.0, -5.0] and g[-1, -1].tolist() == [5.0, 5.0]
    assert g[0, 1].tolist() == [-2.5, -5.0]  # rows are y, columns x
    with pytest.raises(ValueError, match="grid must be in"):
        start_grid(surface, 1)


def test_map_equals_one_at_a_time_runs():
    surface = get("himmelblau")
    opts = {"sgd": SGD(lr=0.01), "momentum": Momentum(lr=0.02)}  # momentum 0.02 diverges
    smap = start_map(surface, opts, grid=4, steps=40, tol=1e-6)
    starts = start_grid(surface, 4)
    for panel in smap:
        for i in range(4):
            for j in range(4):
                traj = run_one(surface, opts[panel.label], starts[i, j], 40)
                assert panel.diverged_at[i, j] == traj.diverged_at
                np.testing.assert_allclose(panel.final_xy[i, j], traj.xy[-1], rtol=1e-12)
    assert smap["momentum"].summary()["diverged"] > 0
    assert smap["sgd"].summary()["diverged"] == 0
    assert np.all(smap["momentum"].basin[smap["momentum"].diverged_at >= 0] == DIVERGED)


@pytest.mark.parametrize("metric", ["steps", "loss", "basin"])
def test_map_figure(metric):
    surface = get("himmelblau")
    smap = start_map(surface, [SGD(lr=0.01), Adam(lr=0.1)], grid=6, steps=30)
    fig = map_figure(surface, smap, metric, footnote="test")
    assert len(fig.axes) >= 3  # two panels and the legend row (+ colour bar)


def test_cli_map_basin(tmp_path):
    out = tmp_path / "map.svg"
    result = CliRunner().invoke(
        main,
        [
            "map",
            "himmelblau",
            "-o",
            "sgd",
            "-o",
            "adam:lr=0.1",
            "--grid",
            "8",
            "--steps",
            "50",
            "--metric",
            "basin",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<?xml")
    side = json.loads((tmp_path / "map.json").read_text())  # map.npz's, beside the figure
    assert side["meta"]["figure"]["metric"] == "basin"
    assert side["grid"]["n"] == 8 and side["steps"] == 50
    assert side["learning_rates"] == {
        "sgd": "himmelblau's default for sgd",
        "adam": "set in the SPEC",
    }
    basins = side["optimizers"][0]["summary"]["basins"]
    assert sum(basins.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--grid", "1"], "Invalid value for '--grid'"),
        (["--metric", "colour"], "Invalid value for '--metric'"),
        (["saddle", "--metric", "basin"], "no known minima"),
        (["-o", "adam:betas=0.9"], "betas must be a pair"),
    ],
)
def test_cli_map_bad_input_is_one_line(tmp_path, args, message):
    result = CliRunner().invoke(main, ["map", *args, "--out", str(tmp_path / "m.png")])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "m.png").exists()
