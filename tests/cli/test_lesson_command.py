"""``optviz lesson NAME``: the figure of one lesson, its record, its errors."""

from click.testing import CliRunner
from helpers import assert_one_line_error
from PIL import Image

from optviz.cli import main
from optviz.records import Lesson


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_lesson_writes_the_figure_and_its_record(tmp_path):
    out, rec = tmp_path / "m.png", tmp_path / "m.npz"
    result = invoke(
        "lesson", "momentum-sum-vs-adam-average", "--out", str(out), "--csv", str(rec)
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    with Image.open(out) as im:  # a 16:9 slide at 150 dpi
        assert im.size == (1920, 1080)
    back = Lesson.load(rec)
    assert back.name == "momentum-sum-vs-adam-average"
    assert back.meta["figure"] == {"recipe": "lessons:momentum_sum"}
    again = tmp_path / "again.png"
    assert invoke("redraw", str(rec), "--out", str(again)).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_lesson_refuses_an_unknown_name(tmp_path):
    result = CliRunner().invoke(main, ["lesson", "nope", "--out", str(tmp_path / "a.png")])
    assert result.exit_code == 2
    assert_one_line_error(result, "'nope' is not one of 'cnn-architecture'")
    assert not (tmp_path / "a.png").exists()


def test_lesson_refuses_a_record_over_its_figure(tmp_path):
    out = tmp_path / "a.png"
    result = CliRunner().invoke(
        main, ["lesson", "delta-role", "--out", str(out), "--csv", str(tmp_path / "a.txt")]
    )
    assert result.exit_code == 1
    assert_one_line_error(result, ".csv")
    assert not out.exists()


def test_lesson_writes_the_sliding_window_as_a_gif(tmp_path):
    out = tmp_path / "w.gif"
    result = invoke("lesson", "sliding-window", "--out", str(out))
    assert result.exit_code == 0, result.output
    with Image.open(out) as im:
        assert im.format == "GIF" and im.n_frames > 1


def test_lesson_refuses_a_gif_of_a_still_lesson(tmp_path):
    out = tmp_path / "a.gif"
    result = CliRunner().invoke(main, ["lesson", "delta-role", "--out", str(out)])
    assert result.exit_code == 2
    assert_one_line_error(result, "delta-role has no animation")
    assert not out.exists()


def test_lesson_refuses_a_still_of_the_sliding_window(tmp_path):
    out = tmp_path / "a.png"
    result = CliRunner().invoke(main, ["lesson", "sliding-window", "--out", str(out)])
    assert result.exit_code == 2
    assert_one_line_error(result, "must be a .gif")
    assert not out.exists()


def test_lesson_refuses_still_options_for_a_gif(tmp_path):
    out = tmp_path / "a.gif"
    args = ["lesson", "sliding-window", "--palette", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert_one_line_error(result, "--palette applies to a still figure")
    assert not out.exists()
