"""The straight lines' loss is a record (:class:`optviz.records.LineLoss`): the values
worked out by hand survive a save and a load, as .csv and .npz, alone or inside the
landscape they are drawn beside."""

import json

import numpy as np
import pytest

from optviz.landscape import interpolate_to_ends, landscape
from optviz.records import Landscape, LineLoss


def _line() -> LineLoss:
    # f = |theta|^2 on the line from (2, 1) to (0, 0): theta(t) = (1 - t) (2, 1), so
    # f = 5 (1 - t)^2; t from -0.5 to 1.5 in steps of 1/2 (points=2, beyond=0.5)
    path = np.array([[2.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    return interpolate_to_ends(
        lambda th: float(np.sum(th**2)), {"sgd": path}, points=2, beyond=0.5
    )


def test_the_line_s_loss_is_the_hand_computed_one():
    line = _line()
    np.testing.assert_array_equal(line.t, [-0.5, 0.0, 0.5, 1.0, 1.5])
    np.testing.assert_allclose(line["sgd"].loss, [11.25, 5.0, 1.25, 0.0, 1.25])
    assert line["sgd"].distance == pytest.approx(np.sqrt(5))
    assert repr(line).splitlines() == [
        "LineLoss(1 straight lines, 5 points each)",
        "  sgd: |end - start| = 2.236",
    ]


@pytest.mark.parametrize("suffix", [".csv", ".npz"])
def test_a_line_saved_loads_back_equal(tmp_path, suffix):
    line = _line()
    back = LineLoss.load(line.save(tmp_path / f"line{suffix}"))
    assert back == line
    np.testing.assert_allclose(back["sgd"].loss, [11.25, 5.0, 1.25, 0.0, 1.25])
    info = json.loads((tmp_path / "line.json").read_text())
    assert info["record"] == "LineLoss" and info["points"] == 5
    assert info["optimizers"][0]["distance"] == pytest.approx(np.sqrt(5))


def test_the_frame_is_one_row_per_point():
    frame = _line().to_frame()
    assert list(frame.columns) == ["optimizer", "label", "t", "loss"]
    assert frame["t"].tolist() == [-0.5, 0.0, 0.5, 1.0, 1.5]


def test_a_negative_length_is_refused_on_load(tmp_path):
    path = _line().save(tmp_path / "line.npz")
    side = tmp_path / "line.json"
    info = json.loads(side.read_text())
    info["optimizers"][0]["distance"] = -1.0
    side.write_text(json.dumps(info))
    with pytest.raises(ValueError, match=r"cannot read .*line.npz: 'sgd': distance"):
        LineLoss.load(path)


def _landscape_with_line() -> Landscape:
    t = np.linspace(0, 1, 4)[:, None]
    paths = {"sgd": (1 - t) * np.array([2.0, 1.0, 0.0])}
    land = landscape(lambda th: float(np.sum(th**2)), paths, grid=3)
    land.line = interpolate_to_ends(
        lambda th: float(np.sum(th**2)), paths, points=2, beyond=0.5
    )
    return land


@pytest.mark.parametrize("suffix", [".csv", ".npz"])
def test_a_landscape_keeps_its_line(tmp_path, suffix):
    land = _landscape_with_line()
    back = Landscape.load(land.save(tmp_path / f"land{suffix}"))
    assert back == land
    np.testing.assert_allclose(back.line["sgd"].loss, [11.25, 5.0, 1.25, 0.0, 1.25])
    changed = Landscape.load(tmp_path / f"land{suffix}")
    changed.line.loss["sgd"] = changed.line.loss["sgd"] + 1
    assert changed != land


def test_a_landscape_s_frame_holds_the_line_s_t_in_a():
    frame = _landscape_with_line().to_frame()
    rows = frame[frame["part"] == "line"]
    assert rows["a"].tolist() == [-0.5, 0.0, 0.5, 1.0, 1.5]
    assert rows["b"].isna().all() and set(rows["label"]) == {"sgd"}
