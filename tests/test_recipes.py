"""The figure recipes: the same numbers as the library called directly, the settings
that made them, progress reported, and a picture a notebook can show."""

import numpy as np
import pytest

from optviz import recipes
from optviz.run import run_surface
from optviz.spec import build_optimizers
from optviz.startmap import start_map
from optviz.surfaces import get


def test_compare_runs_what_run_surface_runs():
    surface = get("beale")
    ticks = []
    specs = ["sgd", "adam:lr=0.05"]
    result = recipes.compare(
        "beale", specs, steps=40, progress=lambda d, t: ticks.append((d, t))
    )
    direct = run_surface(
        surface, build_optimizers(["sgd", "adam:lr=0.05"], surface, steps=40), steps=40
    )
    assert [t.label for t in result.record] == [t.label for t in direct]
    for a, b in zip(result.record, direct):
        np.testing.assert_array_equal(a.xy, b.xy)
        np.testing.assert_array_equal(a.loss, b.loss)
    # the stepping loop's own progress: steps of both optimizers, 2 x 40, in order
    assert {t for _, t in ticks} == {80} and ticks[-1] == (80, 80)
    assert all(a < b for (a, _), (b, _) in zip(ticks, ticks[1:]))
    assert (result.settings["surface"], result.settings["steps"]) == ("beale", 40)
    assert result.settings["start"] == [float(v) for v in surface.start]
    assert result.settings["learning_rates"]["adam"] == "set in the SPEC"
    assert len(result.figure.axes) >= 2


def test_a_mapping_of_optimizers_is_used_as_given():
    from optviz.optimizers import SGD

    result = recipes.compare("quadratic", {"slow": SGD(lr=0.01)}, steps=5)
    assert [t.label for t in result.record] == ["slow"]
    assert result.settings["learning_rates"] == {"slow": "given"}


def test_startmap_panels_equal_one_call_of_start_map():
    surface = get("himmelblau")
    optimizers = build_optimizers(["sgd", "adam"], surface, steps=30)
    result = recipes.startmap(surface, ["sgd", "adam"], grid=6, steps=30, metric="basin")
    direct = start_map(surface, optimizers, grid=6, steps=30)
    for a, b in zip(result.record, direct):
        assert a.label == b.label
        np.testing.assert_array_equal(a.final_xy, b.final_xy)
        np.testing.assert_array_equal(a.basin, b.basin)
    assert result.settings["metric"] == "basin"


def test_a_sweep_reports_one_total_and_ends_at_it():
    """The ladder of tolerances is one job: a sweep that stops at the first rung still
    ends the bar, in the loop's units (steps), never a second total."""
    ticks = []
    recipes.sweep(
        "quadratic", ["sgd", "adam"], lrs=(1e-3, 1.0, 5), steps=30,
        progress=lambda d, t: ticks.append((d, t)),
    )  # fmt: skip
    (total,) = {t for _, t in ticks}
    assert ticks[-1] == (total, total) and len(ticks) > 3
    assert all(a <= b for (a, _), (b, _) in zip(ticks, ticks[1:]))


def test_sweep_picks_a_tolerance_half_the_optimizers_reach():
    """The README's `optviz sweep rosenbrock --lr 1e-5:10:41`: nothing reaches 1e-6 in
    the default 500 steps, so the "how fast" panel would be empty."""
    result = recipes.sweep("rosenbrock", lrs=(1e-5, 10.0, 41))
    sweep = result.record
    assert sweep.tol in recipes.TOL_LADDER[1:]
    reached = [bool((c.steps_to_tol >= 0).any()) for c in sweep]
    assert sum(reached) >= 3  # of five
    assert "chosen automatically" in sweep.meta["tol_how"]
    from matplotlib.text import Text

    texts = result.figure.findobj(Text)
    assert any("chosen automatically" in t.get_text() for t in texts)  # on the figure


def test_sweep_keeps_a_given_tolerance():
    result = recipes.sweep("quadratic", ["adam"], lrs=(1e-2, 1.0, 5), tol=1e-6)
    assert result.record.tol == 1e-6 and "tol_how" not in result.record.meta


def test_animate_sizes_schedules_by_its_steps():
    result = recipes.animate(
        "quadratic",
        ["sgd:schedule=cosine,warmup=600"],
        steps=1000,
        frames=2,
        size=(160, 128),
    )
    assert result.record.steps == 1000 and len(result.animation) == 2
    with pytest.raises(ValueError, match="warmup"):
        recipes.animate("quadratic", ["sgd:schedule=cosine,warmup=200"], steps=100)


def test_a_result_shows_itself_in_a_notebook():
    result = recipes.compare("quadratic", ["adam"], steps=5)
    png = result._repr_png_()
    assert png.startswith(b"\x89PNG")
    assert "Result" in repr(result) and len(repr(result)) < 80


def test_diverged_runs_become_notes():
    result = recipes.compare("rosenbrock", ["sgd:lr=0.01"], steps=100)
    assert result.notes and result.notes[0].startswith("sgd diverged at step")


def test_records_without_one_divergence_step_give_no_notes():
    sweep = recipes.sweep("quadratic", ["sgd"], lrs=(1e-2, 10.0, 5), tol=1e-6)
    assert (sweep.record.curves[0].diverged_at >= 0).any()  # some rates diverged
    assert sweep.notes == []
    assert recipes.startmap("quadratic", ["sgd"], grid=3, steps=5).notes == []
