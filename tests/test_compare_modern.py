"""The compare-modern gallery entry: every statement of its caption held true on the
records its script draws (at full size), by hand where a number is stated."""

import runpy
from pathlib import Path

import numpy as np
import pytest

from optviz import gallery
from optviz.optimizers import OPTIMIZERS
from optviz.recipes import caption
from optviz.recipes.sizes import small_runs
from optviz.surfaces import get

# Runs the entry's tuning twice (two surfaces): with the slow tests.
pytestmark = pytest.mark.slow

GALLERY = Path(__file__).resolve().parents[1] / "gallery"
TOL = 1e-4  # "f − f* < 10⁻⁴", the protocol's tol


@pytest.fixture(scope="module")
def records():
    g = gallery.Gallery(out=Path("."), small=False)
    made = {}
    g.figure = lambda result, name: made.setdefault(name, result.record)
    g.gif = lambda anim, name: None
    with gallery._writing_to(g), small_runs(False):
        runpy.run_path(str(GALLERY / "plot_45_compare_modern.py"))
    return {s: made[f"compare-modern-{s}.png"] for s in ("matyas", "booth")}


def _gaps(run, surface):
    return {t.optimizer: np.asarray(t.loss) - get(surface).min_value for t in run}


def _first(gap):
    hit = np.flatnonzero(gap < TOL)
    return int(hit[0]) if len(hit) else None


def test_the_caption_states_the_surfaces_and_the_protocol(records):
    text = caption("compare-modern")
    assert [(m.x, m.y) for m in get("matyas").minima] == [(0.0, 0.0)]  # "at 0"
    assert [(m.x, m.y) for m in get("booth").minima] == [(1.0, 3.0)]  # "(1, 3)"
    assert "minimum is (1, 3)" in text and "8 random starts" in text
    for run in records.values():
        assert "over 8 random starts" in run.meta["figure"]["note"]
        assert "f − f* < 0.0001" in run.meta["figure"]["note"]
        assert [t.optimizer for t in run] == ["adam", "adamw", "lion", "sfadamw", "radam"]


def test_adamw_first_on_matyas_never_on_booth(records):
    for run in records.values():
        by = {t.optimizer: t.hyperparameters for t in run}
        assert by["adamw"]["weight_decay"] > 0 == by["adam"]["weight_decay"]
    first = {k: _first(g) for k, g in _gaps(records["matyas"], "matyas").items()}
    reached = {k: v for k, v in first.items() if v is not None}
    assert min(reached, key=reached.get) == "adamw"
    assert sorted(reached.values())[0] < sorted(reached.values())[1]  # no tie
    assert _first(_gaps(records["booth"], "booth")["adamw"]) is None


def test_lion_is_back_above_tol_in_its_last_20_steps_on_both(records):
    for surface, run in records.items():
        assert _gaps(run, surface)["lion"][-20:].max() > TOL, surface
    assert "last 20 steps" in caption("compare-modern")


def test_schedule_free_is_drawn_at_y_where_its_gradient_is_evaluated(records):
    surface = get("matyas")
    t = next(t for t in records["matyas"] if t.optimizer == "sfadamw")
    opt = OPTIMIZERS["sfadamw"](**{k: v for k, v in t.hyperparameters.items()})
    w = np.array(t.xy[0], dtype=np.float64)
    for k in range(1, 6):
        opt.step(w, surface.grad(w))  # the gradient is evaluated at w = y
        np.testing.assert_allclose(t.xy[k], w, rtol=1e-12, atol=1e-12)
    assert np.abs(opt.state[0].x - w).max() > 1e-3  # the average x is elsewhere
    assert "drawn at y" in caption("compare-modern")
