"""A CNN lesson is a record: saved and loaded, it redraws the same figure without
computing anything (optviz.nn.lesson_records, the CNN recipes' ``record=``)."""

import io

import numpy as np
import pytest

from optviz import recipes
from optviz.nn import cnn_lessons as CL
from optviz.nn import gradient_lessons as GL
from optviz.nn.lesson_records import from_record, to_record
from optviz.records import Lesson

#: Recipes whose lessons need no training (the trained ones: the slow gallery test).
QUICK = (
    "pooling_shift",
    "ce_vs_mse",
    "activations",
    "receptive_field",
    "nonlinearity",
    "losses",
    "rgb_convolution",
    "convolution",
)


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=40, metadata={"Software": None})
    return buf.getvalue()


@pytest.mark.parametrize("name", QUICK)
def test_a_lesson_figure_redraws_from_its_saved_record(name, tmp_path):
    made = getattr(recipes, name)()
    assert made.record.meta["figure"] == {"recipe": f"cnn:{name}"}
    path = made.record.save(tmp_path / f"{name}.npz")
    loaded = recipes.load_record(path)
    assert isinstance(loaded, Lesson)
    again = recipes.redraw(loaded)
    assert _png(again.figure) == _png(made.figure)


def test_a_lesson_keeps_its_numbers_and_nesting_through_csv(tmp_path):
    lesson = CL.activations()
    record = to_record(lesson, "activations", recipe="cnn:activations")
    path = record.save(tmp_path / "a.csv")
    back = from_record(Lesson.load(path))
    assert type(back) is CL.Activations and type(back.curves) is tuple
    assert [c.name for c in back.curves] == [c.name for c in lesson.curves]
    assert back.x_range == lesson.x_range and back.curves[1].slope == 0.1
    np.testing.assert_array_equal(back.curves[3].saturating, lesson.curves[3].saturating)
    assert back.curves[3].saturating.dtype == bool
    np.testing.assert_array_equal(back.x, lesson.x)


def test_a_record_rebuilds_only_lesson_classes():
    record = to_record(GL.ce_vs_mse(), "ce", recipe="cnn:ce_vs_mse")
    record.panels[0].facts["lesson"]["@class"] = "os:system"
    with pytest.raises(ValueError, match="not a lesson of optviz.nn"):
        from_record(record)
    with pytest.raises(TypeError, match="not a lesson of"):
        to_record(Lesson("x", []), "x", recipe="cnn:x")
