"""The optimizer-families figure: every class's ``ideas`` against what is known of each
optimizer by hand (the papers, torch.optim), the record built from them, its claims,
and the figure drawn from the record alone."""

import numpy as np
import pytest

from optviz import recipes
from optviz.lessons import check_claims
from optviz.lessons.families import builds_on, optimizer_families
from optviz.optimizers import OPTIMIZERS
from optviz.optimizers.ideas import IDEAS, ideas_of

#: Known by hand, from each paper's update (not read from the classes).
KNOWN = {
    "sgd": set(),
    "momentum": {"momentum"},
    "adagrad": {"per-coordinate scaling"},
    "rmsprop": {"per-coordinate scaling"},
    "adam": {"momentum", "per-coordinate scaling", "bias correction"},
    "adamw": {"momentum", "per-coordinate scaling", "bias correction", "decoupled decay"},
    "radam": {"momentum", "per-coordinate scaling", "bias correction", "rectification"},
    "asgd": {"averaging"},
    "sfsgd": {"momentum", "averaging"},
}


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_the_classes_ideas_are_the_known_ones(name):
    assert set(ideas_of(name)) == KNOWN[name]


def test_the_one_idea_each_newer_optimizer_is_known_for():
    assert "sign" in ideas_of("lion") and "sign" in ideas_of("rprop")
    assert "rectification" in ideas_of("radam")
    assert "orthogonalisation" in ideas_of("muon")
    assert "factored second moment" in ideas_of("adafactor")
    assert "distance estimate" in ideas_of("prodigy")
    assert "look-ahead" in ideas_of("nesterov") and "look-ahead" in ideas_of("nadam")
    assert "belief" in ideas_of("adabelief")
    assert "averaging" in ideas_of("sfadamw")
    # the sign replaces the division by √r: Lion has no per-coordinate scaling
    assert "per-coordinate scaling" not in ideas_of("lion")


def test_every_idea_is_named_once_and_used():
    used = {i for cls in OPTIMIZERS.values() for i in ideas_of(cls)}
    assert used == set(IDEAS) and len(set(IDEAS)) == len(IDEAS)


def test_an_unknown_idea_is_one_error_naming_the_allowed():
    class Odd(OPTIMIZERS["sgd"]):
        name, ideas = "odd", ("telepathy",)

    with pytest.raises(ValueError, match=r"odd: unknown ideas \['telepathy'\]; allowed: "):
        ideas_of(Odd)


def test_who_builds_on_whom_by_hand():
    names = list(OPTIMIZERS)
    assert builds_on("sgd", names) is None
    assert builds_on("adam", names) == "momentum"  # first of momentum, adagrad: registry
    assert builds_on("adamw", names) == "adam"
    assert builds_on("radam", names) == "adam"
    assert builds_on("lion", names) == "momentum"
    assert builds_on("sfadamw", names) == "adamw"
    assert builds_on("adam", ["sgd", "adagrad", "adam"]) == "adagrad"


def test_the_record_holds_each_class_and_its_claims_hold():
    lesson = optimizer_families()
    assert [p.label for p in lesson.panels] == list(OPTIMIZERS)
    adam = lesson["adam"]
    assert adam.facts["builds_on"] == "momentum"
    assert adam.facts["adds"] == ["per-coordinate scaling", "bias correction"]
    row = np.zeros(len(IDEAS), dtype=int)
    row[[IDEAS.index(i) for i in KNOWN["adam"]]] = 1
    np.testing.assert_array_equal(adam.arrays["has"], row)
    assert lesson["radam"].facts["adds"] == ["rectification"]
    claims = check_claims(lesson)
    assert len(claims) == 1 + len(OPTIMIZERS)


def test_a_record_that_strays_from_its_class_is_a_false_claim():
    lesson = optimizer_families(["sgd", "momentum", "adam"])
    lesson["adam"].facts["adds"] = ["momentum"]
    with pytest.raises(ValueError, match="adam: its class's ideas"):
        check_claims(lesson)


def test_the_figure_draws_the_record_and_redraws_it_to_the_same_bytes(tmp_path):
    from optviz.gallery import palette_png

    result = recipes.optimizer_families()
    texts = {t.get_text() for ax in result.figure.axes for t in ax.texts}
    assert {"per-coordinate\nscaling", "sign", "rectification", "Lion"} <= texts
    path = tmp_path / "families.npz"
    result.record.save(path)
    again = recipes.redraw(recipes.load_record(path))
    assert palette_png(again.figure, dpi=50) == palette_png(result.figure, dpi=50)
