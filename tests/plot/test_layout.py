"""Layout that cannot break: labels in the margin, notes off the data, labels that say
what ran; the two figures of issue 24 kept as regression cases."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from optviz import recipes
from optviz.plot.i18n import localize
from optviz.plot.layout import box_spots, layout_of, spread
from optviz.plot.projector import check
from optviz.plot.style import legend_label, legend_labels
from optviz.run import run_surface
from optviz.spec import build_optimizers
from optviz.surfaces import get

#: The rules every command's figure keeps (issue 24).
RULES = (
    "small-text",
    "text-overlap",
    "text-on-data",
    "text-outside",
    "stretched-axis",
    "duplicate-label",
)


def test_spread_keeps_order_and_gap_and_stays_in_bounds():
    # three 10-px boxes wanted at 0, 1, 2 with a 2-px gap: centres 12 apart, around 1
    ys = spread([0, 1, 2], [10, 10, 10], -100, 100, gap=2)
    np.testing.assert_allclose(ys, [-11, 1, 13])
    # pushed down from the top bound, order kept
    ys = spread([95, 99, 100], [10, 10, 10], 0, 100)
    np.testing.assert_allclose(ys, [75, 85, 95])
    # boxes far apart do not move
    np.testing.assert_allclose(spread([10, 50], [10, 10], 0, 100), [10, 50])


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("surface", "specs"),
    [("rosenbrock", ["adam", "adam:bias_correction=false"]), ("beale", [])],
    ids=["adam-twice", "beale-defaults"],
)
def test_the_two_broken_figures_of_issue_24_keep_the_rules(surface, specs, lang):
    """``optviz compare -o adam -o adam:bias_correction=false`` drew its loss axis to
    225,000 for 500 steps; ``optviz compare beale``'s plateau note crossed the y label
    and squeezed the loss panel to a third of its width."""
    fig = localize(recipes.compare(surface, specs).figure, lang)
    assert [str(v) for v in check(fig, rules=RULES)] == []
    ax_map, ax_loss = fig.axes[:2]
    steps = 500 if surface == "rosenbrock" else 300
    assert ax_loss.get_xlim() == (0, steps)
    # the loss panel keeps at least 70% of the map's width
    assert ax_loss.get_window_extent().width >= 0.7 * ax_map.get_window_extent().width


def _labels(specs, steps=30):
    surface = get("rosenbrock")
    run = run_surface(surface, build_optimizers(specs, surface, steps=steps), steps=steps)
    return [legend_label(t) for t in run]


def test_labels_name_every_setting_that_differs_from_the_defaults():
    assert _labels(["adam:lr=0.05,bias_correction=false"]) == [
        "Adam  α=0.05 ρ1=0.9 ρ2=0.999 no bias correction"
    ]
    assert _labels(["sgd:lr=0.001,schedule=cosine,warmup=20"]) == [
        "SGD  α=0.001 cosine, warm-up 20"
    ]
    assert _labels(["sgd:lr=0.1,schedule=step,step_size=5,gamma=0.5"]) == [
        "SGD  α=0.1 step ×0.5 every 5"
    ]
    assert _labels(
        ["rmsprop:lr=0.01,centered=true,momentum=0.9", "momentum:nesterov=true"]
    ) == [
        "RMSprop  α=0.01 β=0.9 ρ=0.99 centred",
        "Momentum  α=0.001 β=0.9 Nesterov",
    ]
    assert _labels(["adam:lr=0.1,eps=1e-6,amsgrad=true"]) == [
        "Adam  α=0.1 ρ1=0.9 ρ2=0.999 δ=1e-06 AMSGrad"
    ]


def test_variants_are_said_once_not_echoed_from_the_spec():
    assert _labels(["sgd:lr=0.22", "sgd:lr=0.05"]) == ["SGD  α=0.22", "SGD  α=0.05"]


def test_labels_that_read_the_same_are_numbered():
    surface = get("rosenbrock")
    opts = build_optimizers(["sgd:lr=0.1", "sgd:lr=0.1001"], surface, steps=5)
    run = run_surface(surface, opts, steps=5)
    assert legend_labels(run) == ["SGD  α=0.1 #1", "SGD  α=0.1 #2"]


def test_translated_labels_say_the_switches_in_chinese():
    from optviz.plot.i18n import translate

    assert translate("Adam  α=0.05 ρ1=0.9 ρ2=0.999 no bias correction") == (
        "Adam  α=0.05 ρ1=0.9 ρ2=0.999 无偏差修正"
    )
    assert (
        translate("SGD  α=0.001 cosine, warm-up 20") == "SGD  α=0.001 cos 衰减，预热 20 步"
    )


def _diagonal():
    fig = Figure(figsize=(8, 4.5), layout="constrained")
    ax = fig.subplots()
    ax.plot([0, 10], [0, 10], lw=3)
    return fig, ax


def test_a_note_goes_where_it_covers_no_line():
    fig, ax = _diagonal()
    # its first choice, the centre, is on the line; the next (a corner) is free
    layout = layout_of(fig)
    spots = [(0.5, 0.5, "center", "center"), *box_spots()]
    note = layout.note(ax, "a note of some length", spots=spots)
    layout.apply()
    assert check(fig, rules=("text-on-data", "text-outside")) == []
    assert layout.notes[0].placed == "inside" and note.get_position() != (0.5, 0.5)


def test_a_note_with_no_room_goes_under_its_axes():
    fig, ax = _diagonal()
    ax.fill_between([0, 10], 0, 10, alpha=0.1)
    for y in np.linspace(0, 10, 60):  # lines everywhere
        ax.plot([0, 10], [y, y], lw=3)
    layout = layout_of(fig)
    layout.note(ax, "nowhere to go in the panel", xy=(5, 5))
    layout.apply()
    (note,) = layout.notes
    assert note.placed == "margin"
    assert note.text.get_window_extent().y1 <= ax.xaxis.label.get_window_extent().y0
    assert check(fig, rules=("text-on-data", "text-outside", "text-overlap")) == []
