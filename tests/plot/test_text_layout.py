"""Text a lecturer reads stays off the data and off other text: legends beside the
maps, end labels inside their panel, a short symlog label, plain wording."""

import pytest

from optviz import recipes
from optviz.optimizers import SGD, Adam
from optviz.plot.compare import compare_figure
from optviz.plot.curves import loss_axis
from optviz.plot.i18n import translate
from optviz.plot.landscape import path_note
from optviz.recipes.sizes import small_runs
from optviz.run import run_surface
from optviz.surfaces import get


def _box(artist):
    return artist.get_window_extent()


def _overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_rate_map_legend_sits_below_the_map():
    with small_runs():
        fig = recipes.rate_map().figure
    ax = fig.axes[0]
    fig.draw_without_rendering()
    legend = ax.get_legend()
    assert legend is not None
    assert _box(legend).y1 <= _box(ax).y0  # entirely under the map, not over it


def test_learning_rate_legend_is_beside_the_map_not_on_its_note():
    with small_runs():
        fig = recipes.learning_rate().figure
    ax = next(a for a in fig.axes if a.get_title(loc="left").startswith("L(w, b)"))
    fig.draw_without_rendering()
    legend = _box(ax.get_legend())
    assert legend.x1 <= _box(ax).x0  # left of the map
    for text in ax.texts:
        assert not _overlaps(legend, _box(text)), text.get_text()


@pytest.mark.parametrize("name", ["saddle", "beale"])
def test_compare_end_labels_sit_in_the_margin_right_of_the_loss_panel(name):
    surface = get(name)
    opts = {"sgd": SGD(lr=0.002), "adam": Adam(lr=0.02, betas=(0.9, 0.999))}
    run = run_surface(surface, opts, steps=40)
    fig = compare_figure(surface, run)
    ax_loss = fig.axes[1]
    fig.draw_without_rendering()
    panel = _box(ax_loss)
    ends = [t for t in ax_loss.texts if t.get_text().startswith(("SGD", "Adam"))]
    assert len(ends) == 2
    for t in ends:  # in the margin right of the panel, inside the figure
        assert panel.x1 < _box(t).x0 and _box(t).x1 <= fig.bbox.x1, t.get_text()


def test_symlog_label_is_short_and_the_range_is_said_in_the_panel():
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    loss_axis(ax, get("saddle"))  # no known minimum: symlog
    assert ax.get_yscale() == "symlog"
    assert len(ax.get_ylabel()) <= 12
    assert any("±0.01" in t.get_text() for t in ax.texts)
    assert translate(ax.get_ylabel(), "zh") != ax.get_ylabel()
    assert all(translate(t.get_text(), "zh") != t.get_text() for t in ax.texts)


def test_path_note_says_which_loss_is_the_planes_and_which_is_true():
    fact = {
        "warn": True,
        "captured": 0.07,
        "uphill": True,
        "end_loss": 0.05,
        "plane_end_loss": 0.38,
        "lowest_loss": 0.045,
    }
    note = path_note("adam", fact)
    assert "the plane shows 0.38 at its end's projection" in note
    assert "its true end loss is 0.05: it did not end uphill" in note
    zh = translate(note, "zh")
    assert "0.38" in zh and "0.05" in zh and "投影" in zh and "plane" not in zh


def test_zh_receptive_field_caption_breaks_its_aside_onto_a_second_line():
    zh = translate("it sees 7×7 here (numbers: paths to the unit)", "zh")
    first, second = zh.split("\n")
    assert "7×7" in first and second.startswith("（")


def test_a_long_end_label_never_stretches_the_loss_axis():
    """One optimizer twice, one with a long switch in its label: the loss panel once
    ran to x = 226,000 for 500 steps (every curve a vertical line at 0); the labels go
    in the margin and the axis ends at the last step."""
    from optviz import recipes

    fig = recipes.compare(
        "rosenbrock", ["adam", "adam:bias_correction=false"], steps=500
    ).figure
    ax_loss = fig.axes[1]
    assert ax_loss.get_xlim() == (0, 500)
