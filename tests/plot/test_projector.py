"""The projector rules: each fires on a figure broken on purpose and stays quiet on a
clean one (sizes worked out by hand from the figure's inches)."""

import pytest
from matplotlib.figure import Figure

from optviz.plot.projector import (
    LABEL,
    MAX_STRETCH,
    REFERENCE,
    RULES,
    check,
    min_fontsize,
    stretch,
)


def _fig(w=16.0, h=9.0):
    fig = Figure(figsize=(w, h), layout="constrained")
    ax = fig.subplots()
    ax.plot([0, 10], [0, 10], lw=2, label="a line")
    ax.set_xlabel("step t", fontsize=14)
    ax.set_ylabel("loss", fontsize=14)
    ax.tick_params(labelsize=12)
    return fig, ax


def _rules(fig, **kw):
    return sorted({v.rule for v in check(fig, **kw)})


def test_a_clean_slide_breaks_no_rule():
    fig, ax = _fig()
    ax.set_title("a title", fontsize=15)
    ax.text(9.5, 0.5, "a note", ha="right", fontsize=14, bbox=dict(fc="white"))
    ax.legend(loc="upper left", fontsize=12)
    assert check(fig, slide=True) == []


def test_min_fontsize_is_20_px_at_1920_px_wide():
    # a 16-inch figure shown 1920 px wide: 120 px per inch, 1.667 px per point
    assert min_fontsize(Figure(figsize=(16, 9))) == pytest.approx(12.0)
    assert min_fontsize(Figure(figsize=(8, 4.5))) == pytest.approx(6.0)


@pytest.mark.parametrize(("size", "fires"), [(11.9, True), (12.0, False)])
def test_small_text(size, fires):
    fig, ax = _fig()
    ax.text(9, 1, "small", fontsize=size, ha="right")
    found = [v for v in check(fig) if v.rule == "small-text"]
    assert bool(found) == fires
    if fires:  # 11.9 pt x 1920 / (16 x 72) = 19.8 px
        assert found[0].what == "'small' is 19.8 px high"


def test_text_overlapping_text():
    fig, _ = _fig()
    fig.text(0.5, 0.5, "first words", fontsize=14)
    fig.text(0.52, 0.5, "second words", fontsize=14)
    assert "text-overlap" in _rules(fig)


@pytest.mark.parametrize("where", ["note", "legend", "marker"])
def test_text_on_data(where):
    fig, ax = _fig()
    if where == "note":  # a box on the diagonal line
        ax.text(5, 5, "a note box", ha="center", fontsize=14, bbox=dict(fc="white"))
    elif where == "legend":
        ax.plot([0, 10], [10, 10], label="a top line")
        ax.legend(loc="upper right", fontsize=12)
    else:  # markers only (no line): a text on a marker
        ax.plot([2], [8], "o", ms=12)
        ax.text(2, 8, "here", ha="center", va="center", fontsize=14)
    assert "text-on-data" in _rules(fig)


def test_a_reference_line_and_a_note_off_the_line_are_allowed():
    fig, ax = _fig()
    ax.axhline(5, color="grey")  # blended transform: a reference, not data
    ax.plot([0, 10], [2, 2], gid=REFERENCE)
    ax.text(1, 5, "on the reference", fontsize=14, va="center")
    ax.text(0.5, 2, "on the guide", fontsize=14, va="center")
    assert "text-on-data" not in _rules(fig)


def test_text_outside_the_figure():
    fig, _ = _fig()
    fig.text(0.98, 0.5, "words that run off the right edge", fontsize=14)
    assert "text-outside" in _rules(fig)


def test_a_path_leaving_its_axes():
    fig, ax = _fig()
    ax.set_xlim(0, 5)  # the line runs to x = 10
    assert "path-outside" in _rules(fig)


def test_stretch_is_measured_in_the_axis_scale():
    fig, ax = _fig()
    ax.set_xlim(0, 14.5)  # data 0..10
    assert stretch(ax.xaxis, 0, 10) == pytest.approx(0.45)
    ax.set_xscale("log")
    ax.set_xlim(1, 1e4)  # data 1..1000: three decades of four
    assert stretch(ax.xaxis, 1, 1e3) == pytest.approx(1 / 3)
    assert stretch(ax.xaxis, 0, 1e3, minpos=1.0) == pytest.approx(1 / 3)


@pytest.mark.parametrize(("right", "fires"), [(14.5, True), (11.4, False)])
def test_stretched_axis(right, fires):
    fig, ax = _fig()
    ax.set_xlim(0, right)  # 45% past the data (fires), 14% (allowed, under 15%)
    assert MAX_STRETCH == 0.15
    assert ("stretched-axis" in _rules(fig, rules=("stretched-axis",))) == fires


def test_matplotlibs_own_margins_are_not_a_stretch():
    fig, _ = _fig()  # autoscaled: 5% each side
    assert "stretched-axis" not in _rules(fig)


def test_duplicate_labels():
    fig, ax = _fig()
    ax.plot([0, 10], [1, 1], label="a line")
    ax.legend(loc="upper left", fontsize=12)
    assert "duplicate-label" in _rules(fig)
    fig, ax = _fig()
    for y in (7, 8):  # two end labels that say the same
        ax.text(1, y, "SGD α=0.1", fontsize=14, gid=LABEL)
    assert "duplicate-label" in _rules(fig)


@pytest.mark.parametrize(
    ("size", "fires"), [((16, 9), False), ((12, 9), False), ((15, 6.6), True)]
)
def test_slides_are_16_9_or_4_3(size, fires):
    fig, _ = _fig(*size)
    assert ("aspect" in _rules(fig, slide=True)) == fires
    assert "aspect" not in _rules(fig)  # asked of slides only


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("α = 10^-2", True),
        ("g_k² summed", True),
        ("weights ρ^(t-k)", True),
        ("α = $10^{-2}$", False),
        ("$g_k^2$ summed", False),
        ("bias_correction off", False),
        ("x² and 2×2", False),
    ],
)
def test_formulas_in_mathtext(text, fires):
    fig, ax = _fig()
    ax.set_title(text, fontsize=15)
    assert ("raw-formula" in _rules(fig)) == fires


def test_unknown_rule_is_refused():
    fig, _ = _fig()
    with pytest.raises(ValueError, match="unknown projector rule nope; known: small-text"):
        check(fig, rules=("nope",))
    assert len(RULES) == 9
