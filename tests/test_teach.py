"""The optimizer lessons' records (optviz.lessons): hand-computed values, the claims
their figures make, the numbers their captions state, and redraws from saved
records."""

from __future__ import annotations

import re

import numpy as np
import pytest

from optviz import gallery, lessons, recipes
from optviz.lessons import (
    adaptive,
    bias,
    learning_rate,
    linear_regression,
    momentum,
    ravine,
)
from optviz.recipes.captions import caption
from optviz.recipes.sizes import small_runs
from optviz.records import Lesson

#: Numbers a caption writes inside a formula, not claims: ((√κ−1)/(√κ+1))², 1/√t ...
FORMULA_CONSTANTS = {1.0, 2.0}
_SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def caption_numbers(text: str) -> list[str]:
    """The numbers a caption states, as written ("10⁻⁴" -> "1e-4")."""
    text = re.sub(
        r"10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: "1e" + m[1].translate(_SUPERSCRIPT), text
    )
    text = re.sub(r"[ρβδ]\d", "", text)  # ρ1, ρ2: names, not numbers
    return re.findall(r"\d+(?:\.\d+)?(?:e-?\d+)?", text)


def stated_by(number: str, claims) -> bool:
    """Whether ``number`` (as a caption writes it) is one of the claims' numbers, to
    the precision written."""
    value = float(number)
    digits = len(number.split(".")[1]) if "." in number and "e" not in number else 0
    for claim in claims:
        for v in claim.numbers.values():
            if isinstance(v, (int, float)) and v is not None:
                if np.isclose(v, value, rtol=1e-9) or round(v, digits) == value:
                    return True
    return value in FORMULA_CONSTANTS


def assert_caption_is_claimed(name: str, lesson) -> None:
    found = lessons.check_claims(lesson)  # every claim holds
    for lang in ("en", "zh"):
        for number in caption_numbers(caption(name, lang)):
            assert stated_by(number, found), (name, lang, number, [str(c) for c in found])


def test_caption_numbers_read_what_is_written():
    text = "β = 0.5 at κ = 20 reaches f − f* < 10⁻⁴ in 60 steps, ρ2 = 0.999"
    assert caption_numbers(text) == ["0.5", "20", "1e-4", "60", "0.999"]


# -- momentum-beta -------------------------------------------------------------------
def test_best_beta_is_polyaks():
    # κ = 20: √20 = 4.47214, (3.47214 / 5.47214)² = 0.634512² = 0.402605
    assert momentum.best_beta(20.0) == pytest.approx(0.402605, abs=1e-6)
    assert momentum.best_beta(1.0) == 0.0  # a round bowl needs no momentum


def test_arrow_steps_keep_every_arrow_inside_the_map():
    # a straight path along x with unit steps: β v = 0.5, the push -α g = (0.5, 0)
    xy = np.column_stack([np.arange(8.0), np.zeros(8)])
    grad = np.tile([-1.0, 0.0], (8, 1))
    steps = momentum.arrow_steps(xy, grad, 0.5, 0.5, ((0, 6.2), (-1, 1)))
    # steps 1..5 end at most at x = 6 inside; step 6 ends at 7, outside; two apart
    assert steps == [1, 3, 5]
    assert momentum.arrow_steps(xy, grad, 0.5, 0.5, ((0, 1000), (-1, 1))) == []  # short


@pytest.fixture(scope="module")
def beta_lesson():
    return momentum.momentum_beta()


def test_momentum_beta_claims_hold_and_the_caption_states_them(beta_lesson):
    by = {p.facts["beta"]: p for p in beta_lesson.panels}
    assert sorted(by) == [0.0, 0.5, 0.9, 0.99]
    assert by[0.5].facts["steps_to_tol"] > 0
    assert [by[b].facts["steps_to_tol"] for b in (0.0, 0.9, 0.99)] == [-1, -1, -1]
    assert by[0.9].facts["final_gap"] > by[0.0].facts["final_gap"]
    assert_caption_is_claimed("momentum-beta", beta_lesson)


def test_a_false_claim_is_named(beta_lesson):
    import copy

    broken = copy.deepcopy(beta_lesson)
    for p in broken.panels:
        if p.facts["beta"] == 0.9:
            p.facts["final_gap"] = 0.0  # as if β = 0.9 had won
    with pytest.raises(ValueError, match="β = 0.9 ends further"):
        lessons.check_claims(broken)


# -- adaptive-lr ---------------------------------------------------------------------
def test_rate_facts_by_hand():
    f = adaptive.rate_facts([4.0, 2.0, 1.0, 2.0])
    assert (f["fall"], f["lowest_at"], f["rise"], f["never_rises"]) == (4.0, 3, 2.0, False)
    assert adaptive.rate_facts([3.0, 2.0, 2.0])["never_rises"]


def test_adaptive_lr_claims_hold_and_the_caption_states_them():
    lesson = adaptive.adaptive_lr()
    rms = lesson["rmsprop"].facts["rate"]
    # RMSprop's first rate equals Adagrad's (same first step): α√(1-ρ)/√((1-ρ)g²)
    ada = lesson["adagrad"].facts["rate"]
    assert rms["w"]["first"] == pytest.approx(ada["w"]["first"], rel=1e-6)
    assert lesson["adagrad"].arrays["weights"].sum() == 50  # t = 50, one each
    assert_caption_is_claimed("adaptive-lr", lesson)


# -- learning-rate -------------------------------------------------------------------
def test_two_d_rates_by_hand():
    r = learning_rate.two_d_rates(1.0, 3.0)  # α* = 2/4, 2/λmax = 2/3
    assert r["alpha_star"] == 0.5 and r["stable"] == pytest.approx(2 / 3)
    assert r["rates"]["too small"] == pytest.approx(0.05)
    assert r["rates"]["too large"] == pytest.approx(0.5 + 0.8 * (2 / 3 - 0.5))
    assert r["rates"]["diverging"] == pytest.approx(1.2 * 2 / 3)


def test_learning_rate_claims_hold_and_the_caption_states_them():
    lesson = learning_rate.learning_rate()
    s = lesson.settings
    # the Hessian of mean((w x + b - y)²) is 2 [[mean x², mean x], [mean x, 1]]
    x = lesson_data_x()
    hess = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    lam = np.linalg.eigvalsh(hess)
    assert (s["lam_min"], s["lam_max"]) == pytest.approx(tuple(lam))
    assert s["alpha_star"] == pytest.approx(2 / lam.sum())
    assert_caption_is_claimed("learning-rate", lesson)


def lesson_data_x():
    from optviz.surfaces.linear_regression import linear_regression as surface_of
    from optviz.surfaces.linear_regression import make_data

    return make_data(**surface_of().params)[0]


# -- bias-correction -----------------------------------------------------------------
def test_uncorrected_ratio_by_hand():
    assert bias.uncorrected_ratio(0.9, 0.999, 1) == pytest.approx(0.1 / np.sqrt(0.001))
    # t = 2: (1 - 0.81) / √(1 - 0.998001) = 0.19 / 0.0447102 = 4.24959
    assert bias.uncorrected_ratio(0.9, 0.999, 2) == pytest.approx(4.24959, rel=1e-5)


def test_bias_correction_claims_hold_and_the_caption_states_them():
    lesson = bias.bias_correction()
    assert lesson["moments"].facts["peak_at"] == 12
    assert_caption_is_claimed("bias-correction", lesson)


# -- linear-regression ---------------------------------------------------------------
def test_per_epoch_is_a_geometric_mean_by_hand():
    gap = np.array([5.0, 1.0, 100.0, 10.0, 1000.0, 7.0])  # the last, half an epoch
    assert linear_regression.per_epoch(gap, 2).tolist() == pytest.approx([10.0, 100.0])


def test_linear_regression_claims_hold_and_the_caption_states_them():
    lesson = linear_regression.linear_regression()
    full, mini = lesson.panels[:2]
    assert len(mini.arrays["xy"]) - 1 == 5 * len(full.arrays["xy"][1:])  # 5 per epoch
    assert_caption_is_claimed("linear-regression", lesson)


def _png(result) -> bytes:
    return gallery.palette_png(result.figure, dpi=30)


@pytest.mark.parametrize(
    "recipe",
    [
        "momentum_beta",
        "adaptive_lr",
        "learning_rate",
        "bias_correction",
        "linear_regression",
        "rate_map",
        "momentum_ravine",
        "explain_step",
    ],
)
def test_a_lesson_figure_redraws_from_its_saved_record(recipe, tmp_path):
    with small_runs():
        made = getattr(recipes, recipe)()
    path = tmp_path / "lesson.npz"
    made.record.save(path)
    loaded = recipes.load_record(path)
    assert isinstance(loaded, Lesson)
    assert _png(recipes.redraw(loaded)) == _png(made)


# -- rate-map and momentum-ravine ----------------------------------------------------------
def test_rate_map_claims_by_hand():
    with small_runs():
        lesson = recipes.rate_map().record
    found = {c.text: c for c in lessons.check_claims(lesson)}
    fewer = found["tuning β with α cuts the steps by about √κ"].numbers
    # κ = 20: SGD's best rate 19/21, momentum's (√20 − 1)/(√20 + 1) = 0.634512;
    # steps ∝ 1/−ln(rate): 0.454958 / 0.100083 = 4.5458 times fewer, √20 = 4.4721
    assert fewer["fewer"] == pytest.approx(4.5458, abs=1e-3)
    assert fewer["sqrt_kappa"] == pytest.approx(4.4721, abs=1e-4)
    facts = lesson["theory"].facts
    assert facts["b_mom"] == pytest.approx(0.634512**2, abs=1e-6)  # β* = 0.402605
    assert facts["a_mom"] == pytest.approx((2 / (np.sqrt(20) + 1)) ** 2)  # 0.133582


def test_momentum_ravine_claims_hold_and_the_caption_states_them():
    lesson = ravine.momentum_ravine()
    found = lessons.check_claims(lesson)
    assert len(found) == 3
    assert_caption_is_claimed("momentum-ravine", lesson)
    # the rates predicted for the tuned settings are the spectral radii, by hand for
    # SGD: |1 − α λ| at λ = 1 and κ = 20, the larger
    sgd = lesson["sgd"].facts
    alpha = sgd["hyperparameters"]["lr"]
    assert sgd["predicted"] == pytest.approx(max(abs(1 - alpha), abs(1 - 20 * alpha)))
    assert lesson.settings["fewer"]["measured"] > 3
