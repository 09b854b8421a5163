"""``--view 3d`` of ``optviz compare`` and ``optviz animate``: the paths on the surface
in 3-D, a still and a rotating GIF; bad combinations refused in one line, nothing
written."""

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error
from PIL import Image

from optviz import recipes
from optviz.cli import main
from optviz.optimizers import Adam


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _adam_pixels(pixels) -> int:
    rgb = [int(Adam.color[i : i + 2], 16) for i in (1, 3, 5)]
    return int(np.all(np.abs(pixels.astype(int) - rgb) < 12, axis=-1).sum())


def test_the_recipe_draws_a_3d_axes_and_says_so():
    result = recipes.compare("saddle", ["sgd", "adam"], steps=20, view="3d")
    # one 3-D panel per optimizer, named in its title
    assert [ax.name for ax in result.figure.axes] == ["3d", "3d"]
    assert [ax.get_title() for ax in result.figure.axes] == [
        "SGD  α=0.02",
        "Adam  α=0.02 ρ1=0.9 ρ2=0.999",
    ]
    assert result.settings["view"] == "3d"
    flat = recipes.compare("saddle", ["sgd", "adam"], steps=20)
    assert "3d" not in [ax.name for ax in flat.figure.axes]
    # the same run either way: the view changes the picture, not the numbers
    for a, b in zip(result.record, flat.record):
        np.testing.assert_array_equal(a.xy, b.xy)


def test_compare_view_3d_writes_the_surface_figure(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", "saddle", "-o", "sgd", "-o", "adam", "--steps", "40",
                    "--view", "3d")  # fmt: skip
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "compare-saddle-3d.json",
        "compare-saddle-3d.npz",
        "compare-saddle-3d.png",
    ]
    with Image.open(tmp_path / "compare-saddle-3d.png") as im:
        pixels = np.asarray(im.convert("RGB"))
    assert _adam_pixels(pixels) > 100  # Adam's path and legend line are drawn


def test_animate_view_3d_writes_a_rotating_gif(tmp_path):
    out = tmp_path / "turn.gif"
    result = invoke("animate", "saddle", "-o", "adam", "--steps", "30", "--view", "3d",
                    "--frames", "4", "--size", "320x240", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "4 frames" in result.output
    with Image.open(out) as im:
        assert (im.format, im.size, im.n_frames) == ("GIF", (320, 240), 4)
        im.seek(0)
        first = np.asarray(im.convert("RGB"))
        im.seek(3)
        last = np.asarray(im.convert("RGB"))
    assert not np.array_equal(first, last)  # it turns (and the path grows)
    assert _adam_pixels(last) > _adam_pixels(first)


def test_animate_view_3d_default_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("animate", "saddle", "-o", "sgd", "--steps", "10", "--view", "3d",
                    "--frames", "2", "--size", "200x160", "-q")  # fmt: skip
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "animate-saddle-3d.gif",
        "animate-saddle-3d.json",
        "animate-saddle-3d.npz",
    ]


@pytest.mark.parametrize(
    "args,fragments",
    [
        (["--out", "a.mp4"], ["GIF", ".gif", "a.mp4"]),
        (["--out", "a.html"], [".gif"]),
        (["--panels", "trajectory,loss"], ["--panels", "2d"]),
        (["--frames", "1"], ["--frames", "2 to 400", "1"]),
        (["--frames", "401"], ["--frames", "2 to 400"]),
        (["--view", "4d"], ["--view", "4d"]),
    ],
)
def test_animate_view_3d_bad_input(tmp_path, monkeypatch, args, fragments):
    monkeypatch.chdir(tmp_path)
    view = [] if "--view" in args else ["--view", "3d"]
    result = invoke("animate", "saddle", "--steps", "5", *view, *args)
    assert_one_line_error(result, *fragments)
    assert list(tmp_path.iterdir()) == []


def test_compare_bad_view(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_one_line_error(invoke("compare", "--view", "3D!"), "--view", "3D!")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="view must be one of 2d, 3d"):
        recipes.animate("saddle", ["sgd"], steps=5, view="side")
