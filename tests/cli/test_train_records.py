"""``optviz train --out FIGURE --csv RECORD`` and ``optviz landscape RECORD``: the run as
one record that loads back, redraws its figure, and feeds the landscape; a .gif --out
flies over the plane; options that cannot go together are refused before any work."""

import json

import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error

from optviz.cli import main
from optviz.records import Lesson, TrainingRun

TINY = ["--epochs", "1", "--limit", "60", "--batch-size", "16", "-o", "sgd", "-o", "adam"]


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def record(tmp_path_factory):
    """Two seeds trained with snapshots; the figure alone and its record beside it."""
    here = tmp_path_factory.mktemp("train")
    out = here / "curves.png"
    result = invoke("train", *TINY, "--seeds", "2", "--snapshot-every", "1", "-q",
                    "--out", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"wrote {out} and {here / 'curves.npz'}" in result.output
    assert sorted(p.name for p in here.iterdir()) == [
        "curves.json",
        "curves.npz",
        "curves.png",
    ]
    return here / "curves.npz"


def test_the_figure_s_record_holds_every_seed_and_redraws_it(record, tmp_path):
    run = TrainingRun.load(record)
    assert [r.seed for r in run.runs] == [0, 1]
    assert run.labels == ["sgd", "adam"]
    assert run.meta["figure"] == {"recipe": "training:curves"}
    assert all(len(h.snapshot_steps) == h.steps + 1 for h in run)  # every step and 0
    again = tmp_path / "again.png"
    result = invoke("redraw", record, "--out", again)
    assert result.exit_code == 0, result.output
    assert again.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_csv_beside_a_folder_run_is_the_folder_s_run(tmp_path):
    out, csv = tmp_path / "run", tmp_path / "run.csv"
    result = invoke("train", *TINY, "-q", "--out", out, "--csv", csv)
    assert result.exit_code == 0, result.output
    assert TrainingRun.load(csv) == TrainingRun.load(out)
    assert (tmp_path / "run.json").is_file() and (tmp_path / "run-steps.csv").is_file()


def test_the_landscape_reads_the_record_and_writes_its_own(record, tmp_path):
    png, gif = tmp_path / "own.png", tmp_path / "own.gif"
    args = ["landscape", record, "--view", "own", "--grid", "3", "--images", "8", "-q"]
    result = invoke(*args, "--out", png, "--csv", tmp_path / "own-record.npz")
    assert result.exit_code == 0, result.output
    lesson = Lesson.load(tmp_path / "own-record.npz")
    assert lesson.meta["figure"] == {"recipe": "landscape:own_planes"}
    assert not (tmp_path / "own.npz").exists()  # --csv said where
    result = invoke(*args, "--frames", "3", "--out", gif)
    assert result.exit_code == 0, result.output
    assert gif.read_bytes()[:6] == b"GIF89a"
    assert Lesson.load(tmp_path / "own.npz") == lesson  # the same numbers again


@pytest.mark.parametrize(
    "args,fragments",
    [
        (["train", "--seeds", "2", "--csv", "x.csv"], ["a run of 2 seeds", ".npz"]),
        (["train", "--palette", "--out", "run"], ["--palette", ".png --out"]),
        (["train", "--out", "run", "--csv", "run/x.npz"], ["inside --out run"]),
        (["landscape", "run.npz", "--view", "interpolate", "--out", "x.gif"],
         ["a .gif --out", "plane or own"]),
        (["landscape", "run.npz", "--palette", "--out", "x.svg"], ["--palette"]),
    ],
)  # fmt: skip
def test_options_that_do_not_go_together_are_usage_errors(
    args, fragments, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "run.npz").write_bytes(b"")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert_one_line_error(result, *fragments)
    assert [p.name for p in tmp_path.iterdir()] == ["run.npz"]  # nothing written


def test_a_file_that_is_no_record_is_named(tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    result = invoke("landscape", other)
    assert result.exit_code == 1
    assert_one_line_error(result, f"{other} is not a folder or a record")


def test_the_record_s_sidecar_says_it_is_a_training_run(record):
    info = json.loads(record.with_suffix(".json").read_text())
    assert info["record"] == "TrainingRun"
    assert [s["seed"] for s in info["more_seeds"]] == [1]


@pytest.mark.parametrize(
    "view,directions",
    [("plane", "pca"), ("both", "pca"), ("interpolate", "pca"), ("plane", "random")],
)
def test_every_landscape_view_redraws_from_its_saved_record(record, view, directions):
    from optviz import recipes
    from optviz.gallery import palette_png

    made = recipes.landscape(
        record, view=view, directions=directions, grid=3, images=8, points=4
    )
    kind = "LineLoss" if view == "interpolate" else "Landscape"
    assert type(made.record).__name__ == kind
    path = made.record.save(record.parent / f"{view}-{directions}.npz")
    loaded = recipes.load_record(path)
    assert loaded == made.record
    if view == "both":
        assert loaded.line is not None and loaded.line == made.extra["line"]
    again = recipes.redraw(loaded).figure
    assert palette_png(again, dpi=30) == palette_png(made.figure, dpi=30)
