"""The projector rules (:mod:`optviz.plot.projector`) on every still of the gallery,
English and Chinese, drawn at the small size (the rules are in display units at 1920
px wide, so the size of the runs changes the data, not the type).

:data:`STILL_FAILING` names each figure that still breaks rules, and which. It may only
shrink: a figure that breaks a rule not listed fails, and so does a listed rule the
figure no longer breaks (delete it from the list when you fix it). Run one figure with
``pytest -m slow tests/plot/test_projector_gallery.py -k compare-beale``.
"""

import pytest

from optviz import gallery
from optviz.plot.projector import RULES, check

# Draws every still of the gallery (about 45 s per language): with the slow tests.
pytestmark = pytest.mark.slow

ENTRIES = [e for e in gallery.entries() if any(f.endswith(".png") for f in e.files)]
PNGS = {f for e in ENTRIES for f in e.files if f.endswith(".png")}

#: Figure -> the rules it still breaks (both languages unless STILL_FAILING_ZH says).
STILL_FAILING = {
    "activations.png": {"path-outside", "stretched-axis"},
    "adaptive-lr.png": {"small-text", "text-on-data"},
    "bias-correction.png": {"small-text", "stretched-axis"},
    "ce-vs-mse.png": {"path-outside", "stretched-axis"},
    "cnn-architecture.png": {"small-text", "stretched-axis"},
    "cnn-landscape.png": {"small-text"},
    "cnn-training.png": {"stretched-axis", "text-on-data", "text-overlap"},
    "compare-beale.png": {"aspect"},
    "compare-himmelblau.png": {"aspect", "text-overlap"},
    "compare-modern-booth.png": {"aspect"},
    "compare-modern-matyas.png": {"aspect", "text-overlap"},
    "compare-quadratic.png": {"aspect"},
    "compare-rosenbrock.png": {"aspect", "text-on-data", "text-overlap"},
    "compare-saddle.png": {"aspect"},
    "convolution.png": {"text-overlap"},
    "cross-entropy.png": {"small-text"},
    "fully-connected.png": {"small-text"},
    "learning-rate.png": {"small-text", "text-on-data"},
    "linear-regression.png": {"small-text"},
    "losses.png": {"path-outside", "stretched-axis", "text-on-data"},
    "momentum-beta.png": {"small-text"},
    "momentum-ravine.png": {"aspect", "path-outside", "small-text", "stretched-axis"},
    "rate-map.png": {
        "aspect",
        "path-outside",
        "raw-formula",
        "small-text",
        "stretched-axis",
        "text-on-data",
    },
    "receptive-field.png": {"small-text", "stretched-axis"},
    "startmap-himmelblau.png": {"aspect", "text-on-data"},
    "sweep-rosenbrock-detailed.png": {"aspect", "path-outside"},
    "sweep-rosenbrock.png": {"aspect", "small-text", "stretched-axis"},
    "vanishing-gradients.png": {"stretched-axis", "text-on-data", "text-outside"},
}
#: Where the Chinese figure differs from the English one: its own rules (none: it
#: keeps them all).
STILL_FAILING_ZH: dict[str, set[str]] = {
    "compare-rosenbrock.png": {"aspect"},
    "convolution.png": set(),
    "learning-rate.png": {"small-text"},
    "vanishing-gradients.png": {"stretched-axis", "text-outside"},
}


def test_the_lists_name_gallery_figures_and_rules():
    for listed in (STILL_FAILING, STILL_FAILING_ZH):
        assert set(listed) <= PNGS, set(listed) - PNGS
        assert all(rules <= set(RULES) for rules in listed.values())
    assert all(STILL_FAILING.values())  # a figure that keeps every rule is not listed
    assert all(STILL_FAILING_ZH[n] != STILL_FAILING.get(n) for n in STILL_FAILING_ZH)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_gallery_figure_keeps_the_projector_rules(entry, lang):
    figures = gallery.drawn_figures(entry.name, small=True, lang=lang)
    assert set(figures) == {f for f in entry.files if f.endswith(".png")}
    for name, fig in figures.items():
        found = check(fig, slide=True)
        broken = {v.rule for v in found}
        expected = STILL_FAILING.get(name, set())
        if lang == "zh":
            expected = STILL_FAILING_ZH.get(name, expected)
        said = "\n".join(str(v) for v in found)
        assert not broken - expected, f"{name} ({lang}) breaks new rules:\n{said}"
        assert not expected - broken, (
            f"{name} ({lang}) keeps {sorted(expected - broken)} now: "
            "delete them from STILL_FAILING"
        )
