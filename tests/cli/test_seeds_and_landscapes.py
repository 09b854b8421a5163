"""``optviz train --seeds N`` and ``optviz landscape --view/--directions``: the files
they write, numbers equal to the library called directly, options checked first."""

import json

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error

from optviz import recipes
from optviz.cli import landscape as cli_landscape
from optviz.cli import main
from optviz.landscape import random_landscape, training_interpolation
from optviz.nn import load_dataset, train_seeds
from optviz.records import LineLoss, TrainingRun

# End-to-end: trains networks and draws their landscapes.
# Runs with the slow tests (`pytest -m slow`, as CI does).
pytestmark = pytest.mark.slow

SMALL = ["--epochs", "2", "--limit", "200", "-o", "sgd:lr=0.1", "-o", "adam", "-q"]


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "run"
    result = invoke("train", *SMALL, "--snapshot-every", "epoch", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_seeds_write_one_folder_per_further_seed(tmp_path):
    out = tmp_path / "run"
    result = invoke("train", *SMALL, "--seed", "5", "--seeds", "3", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["seed-6", "seed-7"]
    assert "over 3 seeds" in result.output and "trained 6 networks" in result.output
    first = TrainingRun.load(out)
    seventh = TrainingRun.load(out / "seed-7")
    assert [r.seed for r in first.runs] == [5, 6, 7]
    assert first.more_seeds[1] == seventh
    assert first.meta["settings"]["seed"] == 5 and seventh.meta["settings"]["seed"] == 7
    assert seventh.meta["settings"]["data_seed"] == 5  # one split for all seeds
    # seed 7 of the three is seed 7 trained alone (on seed 5's split)
    alone = tmp_path / "alone"
    assert invoke("train", *SMALL, "--seed", "5", "--out", str(alone)).exit_code == 0
    data = load_dataset("digits", seed=5, limit=200, dtype=np.float32)
    (direct,) = train_seeds(data, ["sgd:lr=0.1", "adam"], seeds=[7], epochs=2)
    for label in ("sgd", "adam"):
        np.testing.assert_array_equal(seventh[label].val_loss, direct[label].val_loss)
        assert not np.array_equal(first[label].val_loss, seventh[label].val_loss)
    a = TrainingRun.load(alone)
    np.testing.assert_array_equal(a["adam"].val_loss, first["adam"].val_loss)
    settings = json.loads((out / "settings.json").read_text())
    assert settings["meta"]["settings"]["seeds"] == [5, 6, 7]


def test_a_folder_of_seeds_is_replaced_whole(tmp_path):
    out = tmp_path / "run"
    assert invoke("train", *SMALL, "--seeds", "3", "--out", str(out)).exit_code == 0
    assert invoke("train", *SMALL, "--seeds", "2", "--out", str(out)).exit_code == 0
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["seed-1"]


@pytest.mark.parametrize("args,fragments", [
    (["--seeds", "0"], ["--seeds", "0"]),
    (["--seeds", "101"], ["--seeds", "101"]),
    (["--seeds", "two"], ["--seeds", "two"]),
])  # fmt: skip
def test_bad_seeds(tmp_path, args, fragments):
    result = invoke("train", *SMALL, *args, "--out", str(tmp_path / "run"))
    assert_one_line_error(result, *fragments)
    assert list(tmp_path.iterdir()) == []


def test_landscape_views_equal_the_library(trained, tmp_path):
    run, model, data = recipes.load_training(trained)
    x, y = data.x_train[:60], data.y_train[:60]
    out = tmp_path / "line.png"
    result = invoke("landscape", str(trained), "--view", "interpolate", "--points", "7",
                    "--images", "60", "-q", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "line.json",
        "line.npz",
        "line.png",
    ]
    line = recipes.landscape(trained, view="interpolate", points=7, images=60)
    direct = training_interpolation(run, model, x, y, points=7)
    np.testing.assert_array_equal(line.extra["line"].loss["adam"], direct.loss["adam"])
    saved = LineLoss.load(tmp_path / "line.npz")  # the figure's record
    np.testing.assert_array_equal(saved.loss["adam"], direct.loss["adam"])
    np.testing.assert_array_equal(saved.t, direct.t)
    both = recipes.landscape(trained, view="both", grid=5, points=7, images=60)
    assert len([ax for ax in both.figure.axes if ax.get_label() != "<colorbar>"]) >= 3
    out = tmp_path / "random.png"
    result = invoke("landscape", str(trained), "--directions", "random", "--seed", "4",
                    "--around", "adam", "--grid", "5", "--images", "60", "-q",
                    "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "around adam" in result.output
    saved = np.load(tmp_path / "random.npz")
    expected = random_landscape(model, x, y, run["adam"].snapshots[-1], grid=5, seed=4)
    np.testing.assert_allclose(saved["loss"], expected.loss, rtol=1e-6)


@pytest.mark.parametrize("args,fragments", [
    (["--view", "interpolate", "--directions", "random"], ["random", "--view plane"]),
    (["--seed", "3"], ["--seed", "--directions random"]),
    (["--around", "adam"], ["--around", "--directions random"]),
    (["--points", "9"], ["--points", "interpolate"]),
    (["--view", "sideways"], ["--view", "sideways"]),
    (["--directions", "random", "--around", "nadam"], ["nadam", "sgd"]),
])  # fmt: skip
def test_bad_landscape_options(trained, tmp_path, args, fragments):
    out = tmp_path / "f.png"
    result = invoke("landscape", str(trained), "--grid", "3", *args, "--out", str(out))
    assert_one_line_error(result, *fragments)
    assert list(tmp_path.iterdir()) == []


def test_the_cli_repeats_the_library_choices():
    assert cli_landscape.VIEWS == recipes.LANDSCAPE_VIEWS
    assert cli_landscape.DIRECTIONS == recipes.LANDSCAPE_DIRECTIONS


def test_a_hostile_builder_is_one_line(trained, tmp_path):
    import shutil

    bad = tmp_path / "bad"
    shutil.copytree(trained, bad)
    settings = json.loads((bad / "settings.json").read_text())
    settings["meta"]["builder"]["arguments"]["channels"] = [4, 10**6]
    (bad / "settings.json").write_text(json.dumps(settings))
    result = invoke("landscape", str(bad), "--grid", "3", "--out", str(tmp_path / "f.png"))
    assert_one_line_error(result, "settings.json", "MAX_CHANNELS")
    assert not (tmp_path / "f.png").exists()


def test_views_have_their_own_default_names_and_train_replaces_them(trained, tmp_path):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(trained, run)
    for args in (["--view", "interpolate", "--points", "3"],
                 ["--directions", "random"]):  # fmt: skip
        result = invoke("landscape", str(run), "--grid", "3", "--images", "30", "-q", *args)
        assert result.exit_code == 0, result.output
    made = {p.name for p in run.iterdir()} - {"history-snapshots.npz"}
    assert {"landscape-interpolate.png", "landscape-random.png"} <= made
    assert "landscape.png" not in made  # the PCA view's name is left alone
    (run / "notes.txt").write_text("mine")
    assert_one_line_error(invoke("train", *SMALL, "--out", str(run)), "notes.txt")
    (run / "notes.txt").unlink()
    result = invoke("train", *SMALL, "--out", str(run))
    assert result.exit_code == 0, result.output
    assert not (run / "landscape-random.png").exists()  # the old run replaced whole


def test_each_path_on_its_own_plane(trained, tmp_path):
    """--view own: one plane per path, the share of the path it holds worked out by
    hand (the path's variance about its mean along its top two principal directions
    over all of it), the true loss at the snapshots, a record that redraws."""
    run, model, data = recipes.load_training(trained)
    out = tmp_path / "own.png"
    result = invoke("landscape", str(trained), "--view", "own", "--grid", "5",
                    "--points", "7", "--images", "60", "-q", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["own.json", "own.npz", "own.png"]
    made = recipes.landscape(trained, view="own", grid=5, points=7, images=60)
    record = made.record
    assert [p.label for p in record.panels] == ["sgd", "adam", "straight lines"]
    for h in run:
        path = h.snapshots
        centred = path - path.mean(axis=0)
        s = np.linalg.svd(centred, compute_uv=False)
        share = (s[0] ** 2 + s[1] ** 2) / (s**2).sum()
        panel = record[h.label]
        assert panel.facts["captured"] == pytest.approx(share, rel=1e-9)
        titles = [
            t.get_text() for t in made.figure.findobj(lambda a: a.get_gid() == "captured")
        ]
        assert f"{100 * share:.0f}% of its path in its plane" in "\n".join(titles)
    loaded = recipes.load_record(tmp_path / "own.npz")
    assert recipes.redraw(loaded).figure is not None
