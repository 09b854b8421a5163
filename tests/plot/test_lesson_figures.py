"""The lesson figures say what their records hold: the numbers drawn on each figure and
written in its captions (en and zh) are the record's, as checked by hand in
tests/test_lessons.py; a figure drawn again from its saved record has the same bytes;
every text is translated into Chinese."""

import re

import pytest

from optviz.gallery import palette_png
from optviz.lessons.names import NOTES as NAMES  # the notes' last twelve ideas
from optviz.plot.i18n import localize, untranslated
from optviz.recipes import caption, lessons
from optviz.records import Lesson


@pytest.fixture(scope="module")
def results():
    return {name: lessons.lesson_figure(name) for name in NAMES}


def _texts(fig) -> str:
    found = fig.findobj(lambda a: hasattr(a, "get_text"))
    return "\n".join(a.get_text() for a in found)


#: Per figure: what its record holds, as the figure, its English and its Chinese
#: caption write it (hand-checked values: tests/test_lessons.py).
STATED = {
    "lr-decay": {
        "figure": ["≈ 0.039", r"≈ $8.9\times10^{-5}$", "±0.26", "±0.0074", "α = 0.25"],
        "caption": ["0.039", "8.9×10⁻⁵", "±0.0074", "±0.26", "α = 0.25", "100 steps"],
    },
    "decay-rates": {
        "figure": ["after 34 steps", "after 302 steps", "after 305 steps", "after 1398"],
        "caption": ["34 steps", "302", "305 steps", "1398", "ρ2 = 0.999"],
    },
    "delta-role": {
        "figure": ["±0.005", "±0.002", "t = 187", "α/δ = 0.2"],
        "caption": ["±0.005", "±0.002", "187", "at most 0.2"],
    },
    "momentum-sum-vs-adam-average": {
        "figure": ["total weight 10", "(total 1)", "= 10", "β = 0.9"],
        "caption": ["= 10 times", "β = 0.9", "sum to 1"],
    },
    "padding-coverage": {
        "figure": ["corner 1×, centre 9×", "the corner 4×", "5 × 5 outputs", "7 × 7"],
        "caption": ["in 1 window", "in 3", "in 9", "in 4 windows", "in 6", "5×5", "7×7"],
    },
    "stride-kernel": {
        "figure": ["✗ 3.5", "✗ 4.5", "0, 2, 4", "window 4: past the edge", "= 3.5 is not"],
        "caption": ["10 of the 20", "0, 2, 4 and 6", "9th pixel", "= 3.5 is not a whole"],
    },
    "initialisation": {
        "figure": ["largest difference 0", "ends at 0.74", r"$1.9\times10^{-12}$"],
        "caption": ["largest difference 0", "still 0.74", "1.9×10⁻¹²", "150 steps"],
    },
    "zero-mean-zigzag": {
        "figure": ["100% same way", "42% same way", "path 4.2 long", "path 1.8 long"],
        "caption": ["(100%)", "42%", "4.2 long", "1.8 long", "all 60 updates"],
    },
    "leaky-prelu": {
        "figure": ["stays 0.01", "learns a = 0.1", "from 0.25", "LeakyReLU 0.0057"],
        "caption": ["0.0057", "0.1", "1.4×10⁻⁷", "starts at 0.25", "41 points"],
    },
    "dying-relu": {
        "figure": ["50 of 64", "α = 0.1: 50 dead", "α = 0.05: 0 dead", "ends at 0.11"],
        "caption": ["409", "45 units", "within 10 steps", "50 by step 200", "0.11"],
    },
    "relu-explosion": {
        "figure": ["5.4× per layer", "5.45 / 5.66", "0.97 / 1.00", "0.58 / 0.57"],
        "caption": ["5.45×", "5.66", "9.8×10¹³", "0.58×", "0.57", "0.97 measured"],
    },
    "batch-size": {
        "figure": ["σ = 7", "12 of 40 never drawn", "= 14.5 expected", "drawn 4 times"],
        "caption": ["σ = 7", "4000 batches", "12 samples", "14.5 expected", "4 times"],
    },
}
#: The numbers of the Chinese captions (the same values, in the Chinese sentences).
STATED_ZH = {
    "lr-decay": ["0.039", "8.9×10⁻⁵", "±0.0074", "±0.26", "α = 0.25", "100 步"],
    "decay-rates": ["34 步", "302 步", "305 步", "1398 步", "ρ2 = 0.999"],
    "delta-role": ["±0.005", "±0.002", "187", "至多 0.2"],
    "momentum-sum-vs-adam-average": ["= 10 倍", "β = 0.9", "之和为 1"],
    "padding-coverage": ["1 个窗口", "3 个窗口", "9 个窗口", "4 个窗口", "6 个窗口"],
    "stride-kernel": ["20 种组合中有 10 种", "0、2、4、6", "第 9 个像素", "= 3.5 is not"],
    "initialisation": ["最大差值 0", "仍为 0.74", "1.9×10⁻¹²", "150 步"],
    "zero-mean-zigzag": ["（100%）", "42%", "长 4.2", "长 1.8", "60 次更新"],
    "leaky-prelu": ["0.0057", "斜率 0.1", "1.4×10⁻⁷", "从 0.25 开始", "41 个点"],
    "dying-relu": ["409", "45 个单元", "10 步之内", "共 50 个", "0.11"],
    "relu-explosion": ["5.45 倍", "5.66", "9.8×10¹³", "0.58 倍", "0.57", "实测 0.97"],
    "batch-size": ["σ = 7", "4000 批", "12 个样本", "14.5 个", "4 次"],
}


def test_every_lesson_is_checked_here():
    assert set(STATED) == set(NAMES) == set(STATED_ZH)


@pytest.mark.parametrize("name", NAMES)
def test_the_figure_states_its_records_numbers(results, name):
    drawn = _texts(results[name].figure)
    for text in STATED[name]["figure"]:
        assert text in drawn, (name, text)


@pytest.mark.parametrize("name", NAMES)
def test_the_captions_state_the_records_numbers(name):
    for text in STATED[name]["caption"]:
        assert text in caption(name), (name, text)
    for text in STATED_ZH[name]:
        assert text in caption(name, "zh"), (name, text)


@pytest.mark.parametrize("name", NAMES)
def test_every_number_of_a_caption_is_one_the_tests_check(name):
    # a caption may state only numbers listed above or settings the tests pin
    settings = {"0.5", "0.9", "0.99", "0.999", "0.01", "0.05", "0.003", "1", "2", "8"}
    settings |= {"40", "100", "0.1", "10⁻⁸", "10", "0.25", "3", "5", "6", "7", "9"}
    settings |= {"1-5", "1-4", "0", "4", "20", "3.5"}  # stride-kernel's table and case
    settings |= {"0.2", "150", "60"}  # initialisation's α and steps, the zig-zag's
    settings |= {"64", "256", "200", "0.3", "32"}  # the networks' sizes, √32 = 5.66
    listed = " ".join(STATED[name]["caption"] + STATED[name]["figure"])
    for number in re.findall(r"\d+(?:\.\d+)?(?:×10[⁻⁰-⁹]+)?", caption(name)):
        assert number in settings or number in listed, (name, number)


@pytest.mark.parametrize("name", NAMES)
def test_every_drawn_text_is_translated(name):
    assert untranslated(localize(lessons.lesson_figure(name).figure, "zh")) == []


@pytest.mark.parametrize("name", NAMES)
def test_the_figure_states_itself_and_redraws_with_the_same_bytes(name, tmp_path):
    from optviz.recipes import redraw

    result = lessons.lesson_figure(name)  # not one localized by another test
    assert result.record.meta["figure"]["recipe"].startswith("lessons:")
    result.record.save(tmp_path / "r.npz")
    again = redraw(Lesson.load(tmp_path / "r.npz"))
    assert palette_png(again.figure, dpi=40) == palette_png(result.figure, dpi=40)


def test_a_recipe_refuses_another_lessons_record(results):
    with pytest.raises(ValueError, match="draws a 'lr-decay' lesson, not 'delta-role'"):
        lessons.lr_decay(record=results["delta-role"].record)
    with pytest.raises(
        ValueError, match="no lesson figure 'nope'; known: cnn-architecture"
    ):
        lessons.lesson_figure("nope")


@pytest.mark.parametrize("name", NAMES)
def test_a_slide_is_16_by_9(results, name):
    w, h = results[name].figure.get_size_inches()
    assert w / h == pytest.approx(16 / 9)
    # every text at least 20 px high when shown 1920 px wide
    sizes = [
        t.get_fontsize()
        for t in results[name].figure.findobj(
            lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text") and a.get_text()
        )
    ]
    assert min(sizes) * 1920 / (w * 72) >= 20
