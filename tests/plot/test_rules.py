"""``update-rules`` and ``explain-step``: the numbers drawn are the optimizers' own, and
equal a hand computation; explain-step's claims hold on its record."""

from __future__ import annotations

import io

import numpy as np
import pytest

from optviz import recipes
from optviz.explain import example_steps, explain_steps, one_step, step_lesson
from optviz.lessons import check_claims, claims
from optviz.lessons.rules import update_rules
from optviz.optimizers import SGD, Adagrad, Adam, Momentum, RMSprop
from optviz.plot import i18n, rules
from optviz.records import Lesson
from optviz.surfaces.quadratic import quadratic

# End-to-end: renders the update-rule figures in both languages.
# Runs with the slow tests (`pytest -m slow`, as CI does).
pytestmark = pytest.mark.slow

# 0.5 (x^2 + 10 y^2): at w = (1, 0.1) the gradient is g = (1, 1)
BOWL = quadratic(kappa=10)
W = (1.0, 0.1)


def drawn(fig) -> list[str]:
    return [t.get_text() for t in i18n._texts(fig)]


def five():
    return [SGD(lr=0.1), Momentum(lr=0.1), Adagrad(lr=0.5), RMSprop(lr=0.01), Adam(lr=0.5)]


def test_one_step_reads_the_optimizers_state():
    sgd, mom, ada, rms, adam = (one_step(o, BOWL, W).arrays for o in five())
    np.testing.assert_allclose(sgd["g"], [1.0, 1.0])
    np.testing.assert_allclose(sgd["step"], [-0.1, -0.1])
    np.testing.assert_allclose(mom["after_v"], [-0.1, -0.1])  # 0.9 * 0 - 0.1 * g
    np.testing.assert_allclose(ada["after_r"], [1.0, 1.0])  # 0 + g^2
    np.testing.assert_allclose(ada["step"], [-0.5, -0.5], rtol=1e-9)  # 0.5 g / (1 + 1e-10)
    np.testing.assert_allclose(rms["after_r"], [0.01, 0.01])  # 0.01 g^2
    np.testing.assert_allclose(rms["step"], [-0.1, -0.1], rtol=1e-6)  # 0.01 g / 0.1
    np.testing.assert_allclose(adam["after_s"], [0.1, 0.1])
    np.testing.assert_allclose(adam["after_r"], [0.001, 0.001])
    np.testing.assert_allclose(adam["after_s_hat"], [1.0, 1.0])  # 0.1 / (1 - 0.9)
    np.testing.assert_allclose(adam["after_r_hat"], [1.0, 1.0])  # 0.001 / (1 - 0.999)
    np.testing.assert_allclose(adam["step"], [-0.5, -0.5], rtol=1e-7)  # alpha sign(g)


@pytest.fixture(scope="module")
def example():
    return example_steps()  # (-3, 0.2) on the kappa = 10 bowl, t = 1 and t = 5


def panel(lesson, name, t):
    return lesson[f"{name} t={t}"]


def test_the_fifth_steps_equal_a_hand_computation(example):
    _, lesson = example
    # SGD, alpha = 0.1: x shrinks by 0.9 a step, y by 1 - 0.1 * 10 = 0 (gone at t = 1)
    sgd = panel(lesson, "sgd", 5).arrays
    np.testing.assert_allclose(sgd["w"], [-3 * 0.9**4, 0.0], atol=1e-15)
    np.testing.assert_allclose(sgd["step"], [0.3 * 0.9**4, 0.0], atol=1e-15)
    # heavy ball by hand, v <- 0.9 v - 0.1 g, g = (x, 10 y), from (-3, 0.2):
    # x: v = 0.3, 0.54, 0.702, 0.7776, 0.76788; y: v = -0.2, -0.18, 0.018, 0.1782, 0.14418
    mom = panel(lesson, "momentum", 5).arrays
    np.testing.assert_allclose(mom["after_v"], [0.76788, 0.14418], rtol=1e-12)
    np.testing.assert_allclose(mom["w"], [-0.6804, 0.0162], rtol=1e-12)
    # Adagrad's r at t = 5 is the sum of g^2 over the five points of its path
    ada = panel(lesson, "adagrad", 5).arrays
    g = ada["path"][:-1] * [1.0, 10.0]  # (5, 2): the gradients where it stood
    np.testing.assert_allclose(ada["after_r"], (g**2).sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(
        ada["step"], -0.5 * g[-1] / (np.sqrt((g**2).sum(axis=0)) + 1e-10), rtol=1e-12
    )


def test_explain_step_claims_hold_with_the_hand_computed_numbers(example):
    _, lesson = example
    found = {c.text: c for c in check_claims(lesson)}  # every claim holds
    assert len(found) == 7
    # t = 1: g = (-3, 2); Adagrad, Adam: 0.5 each way; RMSprop 0.05 / sqrt(0.01) = 0.5
    for name in ("adagrad", "rmsprop", "adam"):
        claim = found[f"at t = 1 {name} moves 0.5 in every coordinate"]
        assert claim.numbers["move"] == pytest.approx(0.5)
    later = next(c for c in found.values() if c.text.startswith("at t = 5"))
    lengths = later.numbers["lengths"]
    assert lengths["sgd"] == 0.197  # 0.3 * 0.9^4 = 0.19683
    assert lengths["momentum"] == 0.781  # hypot(0.76788, 0.14418) = 0.78130
    assert later.numbers["t"] == 5 and later.numbers["rho"] == 0.99
    stated = lesson.settings["lengths"]
    assert stated["1"]["sgd"] == 0.361  # hypot(0.3, 0.2)
    assert stated["1"]["adam"] == 0.707  # hypot(0.5, 0.5)


def test_a_claim_fails_when_the_record_says_otherwise(example):
    _, lesson = example
    wrong = Lesson(lesson.name, lesson.panels, dict(lesson.settings))
    wrong.settings["lengths"] = {**lesson.settings["lengths"], "5": {"sgd": 1.0}}
    assert not all(c.holds for c in claims(wrong))
    with pytest.raises(ValueError, match="does not bear out"):
        check_claims(wrong)


def test_the_figure_is_a_slide_with_one_scale_and_the_records_numbers(example):
    fig = rules.explain_step_figure(*example)
    width, height = fig.get_size_inches()
    assert width / height == pytest.approx(16 / 9)
    cells = [ax for ax in fig.axes if ax.get_xlim() != (0.0, 1.0)]
    assert len(cells) == 10  # five optimizers, t = 1 and t = 5
    spans = {round(np.ptp(ax.get_xlim()), 12) for ax in cells}
    assert len(spans) == 1  # every arrow on one scale
    texts = drawn(fig)
    assert r"$|\Delta w| = 0.781$" in texts  # momentum at t = 5
    assert r"$|\Delta w| = 0.197$" in texts  # SGD at t = 5
    assert r"$\hat s = \left(-3,\ 2\right)$" in texts  # Adam at t = 1: s_hat = g


def test_minus_alpha_s_hat_lies_on_top_of_minus_alpha_g(example):
    fig = rules.explain_step_figure(*example)
    adam = next(ax for ax in fig.axes if ax.get_title() == "Adam")  # t = 1
    arrows = [a for a in adam.texts if getattr(a, "arrow_patch", None) is not None]
    widths = [a.arrow_patch.get_linewidth() for a in arrows]
    # drawn in this order: -alpha g (wide, underneath), -alpha s_hat (thin), the step
    assert widths[0] > 2 * widths[1]
    np.testing.assert_allclose(arrows[0].xy, arrows[1].xy)  # at t = 1 they coincide


def test_the_figure_redraws_from_its_saved_record(tmp_path):
    result = recipes.explain_step(
        "quadratic", ["sgd:lr=0.1", "momentum:lr=0.1", "adam:lr=0.5"], start=(-3, 0.2)
    )
    result.record.save(tmp_path / "e.npz")
    again = recipes.redraw(recipes.load_record(tmp_path / "e.npz"))

    def png(fig):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=40)
        return buf.getvalue()

    assert png(again.figure) == png(result.figure)


def test_update_rules_say_where_the_notes_are_wrong():
    texts = " ".join(drawn(rules.update_rules_figure(update_rules())))
    assert "running sum, not the moving average the notes say" in texts
    assert "at t = 1 g/√r = ±1, so every coordinate moves α" in texts
    assert "÷ √r̂" in texts  # Adam divides by the corrected r
    assert "ρ1 = 0.9, ρ2 = 0.999, δ = 1e-08" in texts  # read from Adam's signature
    assert "defaults: α = 0.01, δ = 1e-10" in texts  # Adagrad's
    zh = " ".join(drawn(i18n.localize(rules.update_rules_figure(update_rules()), "zh")))
    assert "累加和，而不是笔记所说的指数移动平均" in zh
    assert "ρ2 = 0.999" in zh


def test_chinese_keeps_every_formula_as_it_is(example):
    english = drawn(rules.explain_step_figure(*example))
    chinese = drawn(i18n.localize(rules.explain_step_figure(*example), "zh"))
    formulas = [t for t in english if t.startswith("$") and t.endswith("$")]
    assert len(formulas) >= 30
    for formula in formulas:
        assert formula in chinese, formula


@pytest.mark.parametrize("name", ["update-rules.png", "explain-step.png"])
def test_no_english_left_in_chinese(name):
    figures = {
        "update-rules.png": lambda: rules.update_rules_figure(update_rules()),
        "explain-step.png": lambda: rules.explain_step_figure(*example_steps()),
    }
    fig = i18n.localize(figures[name](), "zh")
    assert i18n.untranslated(fig) == []


def test_bad_input_is_one_line():
    with pytest.raises(ValueError, match=r"point must be two finite numbers \(x, y\), got"):
        explain_steps(BOWL, (1.0, np.nan))
    with pytest.raises(ValueError, match=r"at must be step counts 1 to 1000, got \[0, 5\]"):
        step_lesson(BOWL, W, five(), at=(0, 5))
    from optviz.optimizers import AdamW, Nesterov

    with pytest.raises(
        ValueError, match="explain-step draws sgd, momentum, .*got nesterov"
    ):
        one_step(Nesterov(), BOWL, W)
    with pytest.raises(ValueError, match="got adamw"):
        one_step(AdamW(), BOWL, W)
    with pytest.raises(ValueError, match="adam needs amsgrad=False, got True"):
        one_step(Adam(amsgrad=True), BOWL, W)
    with pytest.raises(ValueError, match="adagrad needs initial_accumulator_value=0.0"):
        one_step(Adagrad(initial_accumulator_value=0.1), BOWL, W)
    with pytest.raises(ValueError, match="needs a constant scalar lr for sgd"):
        one_step(SGD(lr=np.array([0.1, 0.2])), BOWL, W)


def test_same_bytes_twice(example):
    def png():
        buf = io.BytesIO()
        rules.explain_step_figure(*example_steps()).savefig(buf, format="png", dpi=40)
        return buf.getvalue()

    assert png() == png()


def test_update_rules_claims_hold_by_hand():
    lesson = update_rules()
    found = {c.text: c for c in check_claims(lesson)}
    first = found["at t = 1 Adagrad's g/√r = sign g: every coordinate moves α"]
    # g = (3, 0.01): r = g², so α g / (|g| + 1e-10) = 0.01 · (1, 1) to 1e-8
    np.testing.assert_allclose(first.numbers["step"], [0.01, 0.01], rtol=1e-7)
    assert [p.label for p in lesson.panels] == [
        "sgd",
        "momentum",
        "adagrad",
        "rmsprop",
        "adam",
    ]
    assert lesson["rmsprop"].facts["defaults"] == "defaults: α = 0.01, ρ = 0.99, δ = 1e-08"
    wrong = update_rules()
    wrong["adagrad"].arrays["step"] = np.array([0.01, 3.0])
    assert not all(c.holds for c in claims(wrong))


def test_update_rules_redraw_from_the_saved_record(tmp_path):
    made = recipes.update_rules()
    made.record.save(tmp_path / "u.npz")
    again = recipes.redraw(recipes.load_record(tmp_path / "u.npz"))

    def png(fig):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=30)
        return buf.getvalue()

    assert png(again.figure) == png(made.figure)
