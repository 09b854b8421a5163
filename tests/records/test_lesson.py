"""A Lesson (the data of one teaching figure) keeps its arrays' shapes, dtypes and
NaNs and its facts through both file formats, and redraws through the recipe its
sidecar names."""

import numpy as np
import pytest

from optviz import recipes
from optviz.records import Lesson, Panel


@pytest.mark.parametrize("suffix", [".csv", ".npz"])
def test_arrays_and_facts_come_back_as_they_were(makers, tmp_path, suffix):
    rec = makers["lesson"]()
    back = Lesson.load(rec.save(tmp_path / f"lesson{suffix}"))
    grid = back["left"].arrays["grid"]
    assert grid.shape == (3, 4) and grid.dtype == np.float64
    assert np.isnan(grid[1, 2]) and grid[2, 3] == 11.0
    assert back["left"].arrays["counts"].tolist() == [3, 0, 7]
    assert back["left"].arrays["counts"].dtype.kind == "i"
    assert back["right"].arrays["alive"].tolist() == [True, False]
    assert back["right"].facts == {"words": ["a", "b"]}
    assert back["empty"].facts == {"none": None} and back["empty"].arrays == {}
    assert back.settings == {"alpha": 0.1, "steps": 5}


def test_a_sidecar_declaring_another_shape_is_refused(makers, tmp_path):
    path = makers["lesson"]().save(tmp_path / "l.npz")
    side = tmp_path / "l.json"
    side.write_text(
        side.read_text().replace('"shape": [\n            3,', '"shape": [\n            4,')
    )
    with pytest.raises(ValueError, match="cannot read .*grid"):
        Lesson.load(path)


def test_bad_panels_are_refused():
    with pytest.raises(ValueError, match="unique"):
        Lesson("x", [Panel("a"), Panel("a")])
    with pytest.raises(ValueError, match="'/'"):
        Panel("a", {"x/y": np.zeros(2)})
    with pytest.raises(TypeError, match="numeric"):
        Panel("a", {"s": np.array(["text"])})


def test_redraw_calls_the_recipe_the_sidecar_names_and_nothing_else():
    rec = Lesson("x", [Panel("a")], meta={"figure": {"recipe": "os:system"}})
    with pytest.raises(ValueError, match="no recipe 'os:system'"):
        recipes.redraw(rec)
    rec.meta["figure"]["recipe"] = "../x:y"
    with pytest.raises(ValueError, match="no recipe"):
        recipes.redraw(rec)
