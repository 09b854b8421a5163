"""--lang, --dpi, --size/--aspect and --style on every figure command (one decorator,
one FigureSettings); animate's --hold, --pacing and its sizes in pixels."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from PIL import Image

from optviz.cli import _common, main
from optviz.plot import look
from optviz.plot._figure import Figure, save_figure
from optviz.plot.look import FigureSettings
from optviz.plot.style import TALK_LINE, TALK_TEXT, style

#: Every command that writes a figure (gallery: its own fixed settings; explore: a page).
FIGURE_COMMANDS = (
    "compare",
    "animate",
    "lr",
    "sweep",
    "map",
    "train",
    "landscape",
    "cnn-sweep",
    "redraw",
)
OPTIONS = ("--lang", "--dpi", "--size", "--aspect", "--style")


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("name", FIGURE_COMMANDS)
def test_every_figure_command_has_the_options_documented(name):
    command = main.commands[name]
    shown = {opt for p in command.params for opt in p.opts}
    assert set(OPTIONS) <= shown
    text = invoke(name, "--help").output
    for option in OPTIONS:
        assert option in text
    assert "talk: larger text and thicker lines" in " ".join(text.split())


def test_the_clis_limits_are_the_librarys():
    assert _common.DPI_RANGE == look.DPI_RANGE
    assert _common.SIZE_RANGE_INCHES == look.SIZE_RANGE_INCHES
    assert _common.STYLES == look.STYLES
    assert tuple(_common.ASPECTS) == look.ASPECTS
    assert _common.ANIMATION_DPI == look.ANIMATION_DPI


def _figure(size=(6.0, 4.0)):
    with style():  # as every optviz figure is drawn
        fig = Figure(figsize=size, layout="constrained")
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1], linewidth=2.0)
        ax.set_title("a title", fontsize=10)
    return fig


def test_the_defaults_leave_the_figure_as_drawn(tmp_path):
    a = save_figure(_figure(), tmp_path / "a.png")
    b = FigureSettings().save(_figure(), tmp_path / "b.png")
    assert a.read_bytes() == b.read_bytes()
    assert FigureSettings().is_default


def test_size_aspect_and_dpi_give_the_pixels_asked_for(tmp_path):
    path = FigureSettings(size=(4.0, 3.0), dpi=50).save(_figure(), tmp_path / "s.png")
    assert Image.open(path).size == (200, 150)
    path = FigureSettings(aspect=(16, 9), dpi=100).save(_figure(), tmp_path / "a.png")
    assert Image.open(path).size == (600, 337)  # 6 x 3.375 inches, whole pixels
    path = FigureSettings(aspect=(4, 3)).save(_figure(), tmp_path / "b.png")
    assert Image.open(path).size == (900, 675)  # 6 x 4.5 inches at 150 dpi


def test_talk_scales_every_text_and_line():
    fig = FigureSettings(style="talk").finish(_figure())
    ax = fig.axes[0]
    assert ax.title.get_fontsize() == pytest.approx(10 * TALK_TEXT)
    assert ax.lines[0].get_linewidth() == pytest.approx(2.0 * TALK_LINE)
    tick = ax.xaxis.get_ticklabels()[0].get_fontsize()
    assert tick == pytest.approx(12 * TALK_TEXT)  # the house's 12 pt tick labels


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lang": "fr"}, "lang must be one of en, zh"),
        ({"style": "poster"}, "style must be one of paper, talk"),
        ({"dpi": 10}, "dpi must be 50 to 600"),
        ({"size": (4, 3), "aspect": (16, 9)}, "a size or an aspect, not both"),
    ],
)
def test_bad_settings_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        FigureSettings(**kwargs)


def test_compare_writes_the_size_dpi_and_style_asked_for(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["compare", "quadratic", "-o", "sgd", "--steps", "10", "-q"]
    r = invoke(*args, "--size", "8x4.5", "--dpi", "60", "--style", "talk", "--out", "t.png")
    assert r.exit_code == 0, r.output
    assert Image.open("t.png").size == (480, 270)
    r = invoke(*args, "--aspect", "4:3", "--dpi", "50", "--lang", "zh", "--out", "z.png")
    assert r.exit_code == 0, r.output
    w, h = Image.open("z.png").size
    assert abs(w / h - 4 / 3) < 0.01


@pytest.mark.parametrize(
    "args, fragments",
    [
        (["--size", "8x4.5", "--aspect", "16:9"], ["--size or --aspect, not both"]),
        (["--size", "800x600"], ["--size", "2 to 40 inches"]),
        (["--size", "wide"], ["--size", "WIDTHxHEIGHT"]),
        (["--dpi", "5000"], ["--dpi", "50<=x<=600"]),
        (["--style", "poster"], ["--style", "paper", "talk"]),
        (["--aspect", "21:9"], ["--aspect", "16:9", "4:3"]),
    ],
)
def test_bad_figure_options_are_usage_errors(tmp_path, monkeypatch, args, fragments):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["lr", "-o", "sgd", "--steps", "5", *args])
    assert r.exit_code == 2, r.output
    line = r.output.strip()
    assert line.startswith("Error:") and "\n" not in line
    for fragment in fragments:
        assert fragment in line
    assert list(tmp_path.iterdir()) == []


# -- animate ------------------------------------------------------------------------------
def _gif(tmp_path, *args):
    r = invoke("animate", "-o", "sgd", "--steps", "40", "--frames", "6", "--fps", "10",
               "--out", str(tmp_path / "a.gif"), "-q", *args)  # fmt: skip
    assert r.exit_code == 0, r.output
    return Image.open(io.BytesIO((tmp_path / "a.gif").read_bytes()))


def _durations(im):
    out = []
    for i in range(im.n_frames):
        im.seek(i)
        out.append(im.info["duration"])
    return out


def test_animate_hold_holds_the_first_and_last_frames(tmp_path):
    assert _durations(_gif(tmp_path)) == [
        1500,
        100,
        100,
        100,
        100,
        1500,
    ]  # both ends held by default
    assert _durations(_gif(tmp_path, "--hold", "2.5")) == [2500, 100, 100, 100, 100, 2500]


def test_animate_sizes_in_inches_pixels_and_aspects(tmp_path):
    assert _gif(tmp_path, "--size", "4x3").size == (400, 300)  # inches at 100 dpi
    assert _gif(tmp_path, "--size", "4x3", "--dpi", "80").size == (320, 240)
    assert _gif(tmp_path, "--size", "400x240").size == (400, 240)  # pixels, as before
    assert _gif(tmp_path, "--aspect", "16:9").size == (640, 360)
    assert _gif(tmp_path, "--dpi", "50").size == (320, 240)


def test_animate_pacing_is_the_animations_spacing(tmp_path, monkeypatch):
    from optviz.plot.animate import Animation

    seen = []
    real = Animation.__init__

    def spy(self, *args, **kwargs):
        real(self, *args, **kwargs)
        seen.append(self.steps.tolist())

    monkeypatch.setattr(Animation, "__init__", spy)
    _gif(tmp_path, "--pacing", "linear")
    _gif(tmp_path)
    assert seen[0] == [0, 8, 16, 24, 32, 40]  # evenly spaced, by hand
    assert seen[1][:2] == [0, 1] and seen[1][-1] == 40  # geometric: dense at the start


def test_animate_pacing_is_2d_only(tmp_path):
    r = CliRunner().invoke(main, ["animate", "--view", "3d", "--pacing", "linear"])
    assert r.exit_code == 2 and "--pacing applies to --view 2d only" in r.output


def test_animate_talk_is_larger_text(tmp_path):
    from optviz import recipes

    kw = dict(steps=10, frames=2)
    paper = recipes.animate("quadratic", ["sgd"], **kw).animation
    talk = recipes.animate("quadratic", ["sgd"], figure_style="talk", **kw).animation
    size = [a.axes["trajectory"].xaxis.label.get_fontsize() for a in (paper, talk)]
    assert size[1] == pytest.approx(size[0] * TALK_TEXT)
