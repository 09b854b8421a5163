"""A figure redraws from its saved record: what it draws and states (footnote,
subtitle, the notes found in the run) is in the record, and the same bytes come back,
from Python and from ``optviz redraw``."""

import pytest
from click.testing import CliRunner

from optviz import recipes
from optviz.cli import main
from optviz.plot._figure import save_figure
from optviz.recipes.sizes import small_runs


def _png(fig, path):
    return save_figure(fig, path).read_bytes()


@pytest.mark.parametrize("suffix, tune", [(".npz", True), (".csv", False)])
def test_a_comparison_redraws_from_its_saved_run(tmp_path, suffix, tune):
    with small_runs():
        result = recipes.compare(
            "rosenbrock", tune=tune, subtitle=recipes.caption("compare-rosenbrock")
        )
    statement = result.record.meta["figure"]
    assert statement["note"].startswith("Fair settings" if tune else "default settings")
    claims = [c["text"] for c in statement["claims"]]  # what it says, as predicates
    assert "all drop into the curved valley at once" in claims
    assert statement["subtitle"] == recipes.caption("compare-rosenbrock")
    result.record.save(tmp_path / f"run{suffix}")
    again = recipes.redraw(recipes.load_record(tmp_path / f"run{suffix}"))
    assert _png(again.figure, tmp_path / "b.png") == _png(result.figure, tmp_path / "a.png")


def test_a_sweep_redraws_both_its_figures(tmp_path):
    lrs = (1e-3, 1.0, 5)
    result = recipes.sweep("quadratic", ["sgd", "adam"], lrs=lrs, steps=40, tol=1e-3)
    detailed = _png(result.figure, tmp_path / "a.png")
    lecture = recipes.sweep(
        "quadratic", ["sgd", "adam"], lrs=lrs, steps=40, figure="lecture",
        record=result.record,
    )  # fmt: skip
    result.record.save(tmp_path / "sweep.npz")
    loaded = recipes.load_record(tmp_path / "sweep.npz")
    assert loaded.meta["figure"]["figure"] == "lecture"  # the last one drawn
    assert _png(recipes.redraw(loaded).figure, tmp_path / "b.png") == _png(
        lecture.figure, tmp_path / "c.png"
    )
    again = recipes.redraw(loaded, figure="detailed")
    assert _png(again.figure, tmp_path / "d.png") == detailed


def test_a_basin_map_redraws_with_its_footnote(tmp_path):
    result = recipes.startmap(
        "himmelblau", ["sgd"], grid=4, steps=20, metric="basin", explain=True
    )
    note = result.record.meta["figure"]["note"]
    assert "colour: the minimum a start ended at (within 0.5)" in note
    result.record.save(tmp_path / "map.npz")
    again = recipes.redraw(recipes.load_record(tmp_path / "map.npz"))
    assert _png(again.figure, tmp_path / "b.png") == _png(result.figure, tmp_path / "a.png")


def test_optviz_redraw_writes_the_commands_bytes(tmp_path):
    first, record = tmp_path / "a.png", tmp_path / "run.npz"
    args = ["compare", "quadratic", "-o", "sgd", "-o", "adam", "--steps", "30"]
    result = CliRunner().invoke(main, [*args, "--out", str(first), "--csv", str(record)])
    assert result.exit_code == 0, result.output
    second = tmp_path / "b.png"
    result = CliRunner().invoke(main, ["redraw", str(record), "--out", str(second)])
    assert result.exit_code == 0, result.output
    assert second.read_bytes() == first.read_bytes()


def test_redraw_refuses_what_it_cannot_draw(tmp_path):
    from optviz.optimizers import SGD
    from optviz.run import run_surface
    from optviz.surfaces import get

    run_surface(get("quadratic"), [SGD(lr=0.1)], steps=5).save(tmp_path / "plain.npz")
    result = CliRunner().invoke(
        main, ["redraw", str(tmp_path / "plain.npz"), "--out", str(tmp_path / "x.png")]
    )
    assert result.exit_code == 1
    assert "states no figure: it was not made by a recipe" in result.output
    result = CliRunner().invoke(
        main, ["redraw", str(tmp_path / "none.npz"), "--out", str(tmp_path / "x.png")]
    )
    assert result.exit_code == 1 and "no sidecar none.json" in result.output
    assert not (tmp_path / "x.png").exists()
