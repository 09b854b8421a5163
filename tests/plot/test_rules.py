"""``update-rules`` and ``explain-step``: the numbers drawn are the optimizers' own, and
equal a hand computation."""

from __future__ import annotations

import io

import numpy as np
import pytest

from optviz.explain import example_steps, explain_steps, one_step
from optviz.optimizers import SGD, Adagrad, Adam, Momentum, RMSprop
from optviz.plot import i18n, rules
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
    sgd, mom, ada, rms, adam = (one_step(o, BOWL, W) for o in five())
    np.testing.assert_allclose(sgd.g, [1.0, 1.0])
    np.testing.assert_allclose(sgd.step, [-0.1, -0.1])
    np.testing.assert_allclose(mom.after["v"], [-0.1, -0.1])  # 0.9 * 0 - 0.1 * g
    np.testing.assert_allclose(ada.after["r"], [1.0, 1.0])  # 0 + g^2
    np.testing.assert_allclose(ada.step, [-0.5, -0.5], rtol=1e-9)  # 0.5 g / (1 + 1e-10)
    np.testing.assert_allclose(rms.after["r"], [0.01, 0.01])  # 0.01 g^2
    np.testing.assert_allclose(rms.step, [-0.1, -0.1], rtol=1e-6)  # 0.01 g / 0.1
    np.testing.assert_allclose(adam.after["s"], [0.1, 0.1])
    np.testing.assert_allclose(adam.after["r"], [0.001, 0.001])
    np.testing.assert_allclose(adam.after["s_hat"], [1.0, 1.0])  # 0.1 / (1 - 0.9)
    np.testing.assert_allclose(adam.after["r_hat"], [1.0, 1.0])  # 0.001 / (1 - 0.999)
    np.testing.assert_allclose(adam.step, [-0.5, -0.5], rtol=1e-7)  # alpha sign(g)
    assert adam.t == 1


def test_the_equations_drawn_hold_the_hand_computed_numbers():
    texts = drawn(rules.explain_step_figure(BOWL, explain_steps(BOWL, W, five())))
    # each line: the class's rule, the rule with the numbers, the value it gives
    expected = [
        r"$g = \nabla f(w) = \nabla f\left(1,\ 0.1\right) = \left(1,\ 1\right)$",
        # w - 0.1 g = (1 - 0.1, 0.1 - 0.1)
        r"$w \leftarrow w - \alpha\, g = \left(1,\ 0.1\right) - 0.1\cdot\left(1,\ 1\right)"
        r" = \left(0.9,\ 0\right)$",
        # 0.9 * 0 - 0.1 * 1
        r"$v \leftarrow \beta\, v - \alpha\, g = 0.9\cdot\left(0,\ 0\right) - 0.1\cdot"
        r"\left(1,\ 1\right) = \left(-0.1,\ -0.1\right)$",
        # w + v, with the v just computed
        r"$w \leftarrow w + v = \left(1,\ 0.1\right) + \left(-0.1,\ -0.1\right) = "
        r"\left(0.9,\ 0\right)$",
        r"$r \leftarrow r + g^2 = \left(0,\ 0\right) + \left(1,\ 1\right)^2 = "
        r"\left(1,\ 1\right)$",
        # 1 - 0.5 g / (1 + 1e-10), 0.1 - 0.5 (...)
        r"$w \leftarrow w - \dfrac{\alpha}{\sqrt{r} + \delta}\, g = \left(1,\ 0.1\right) - "
        r"\dfrac{0.5}{\sqrt{\left(1,\ 1\right)} + 1\times 10^{-10}}\cdot\left(1,\ 1\right)"
        r" = \left(0.5,\ -0.4\right)$",
        r"$r \leftarrow \rho\, r + (1-\rho)\, g^2 = 0.99\cdot\left(0,\ 0\right) + "
        r"(1-0.99)\cdot\left(1,\ 1\right)^2 = \left(0.01,\ 0.01\right)$",
        # RMSprop: 0.01 / (0.1 + 1e-8) = 0.1 per coordinate
        r"$\alpha_{\mathrm{eff}} = \left(0.1,\ 0.1\right)$",
        # t = 1: s / (1 - 0.9) = 1, r / (1 - 0.999) = 1
        r"$\hat s = s/(1-\rho_1^t) = \left(0.1,\ 0.1\right)/(1-0.9^{1}) = "
        r"\left(1,\ 1\right), \quad \hat r = r/(1-\rho_2^t) = "
        r"\left(0.001,\ 0.001\right)/(1-0.999^{1}) = "
        r"\left(1,\ 1\right)$",
        r"$w \leftarrow w - \dfrac{\alpha\, \hat s}{\sqrt{\hat r} + \delta} = "
        r"\left(1,\ 0.1\right) - \dfrac{0.5\cdot\left(1,\ 1\right)}"
        r"{\sqrt{\left(1,\ 1\right)} + 1\times 10^{-8}} = \left(0.5,\ -0.4\right)$",
    ]
    for line in expected:
        assert line in texts, line


def test_a_later_step_shows_the_state_it_started_from():
    mom = Momentum(lr=0.1, momentum=0.9)
    mom.step(np.array(W), np.array([1.0, 1.0]))  # v = (-0.1, -0.1), w = (0.9, 0)
    texts = drawn(rules.explain_step_figure(BOWL, explain_steps(BOWL, (0.9, 0.0), [mom])))
    # v = 0.9 * (-0.1, -0.1) - 0.1 * (0.9, 0) = (-0.18, -0.09)
    assert (
        r"$v \leftarrow \beta\, v - \alpha\, g = 0.9\cdot\left(-0.1,\ -0.1\right) - "
        r"0.1\cdot\left(0.9,\ 0\right) = \left(-0.18,\ -0.09\right)$" in texts
    )


def test_update_rules_say_where_the_notes_are_wrong():
    texts = " ".join(drawn(rules.update_rules_figure()))
    assert "running sum, not the moving average the notes say" in texts
    assert "ρ1 = 0.9, ρ2 = 0.999, δ = 1e-08" in texts  # read from Adam's signature
    zh = " ".join(drawn(i18n.localize(rules.update_rules_figure(), "zh")))
    assert "累加和，而不是笔记所说的指数移动平均" in zh
    assert "ρ2 = 0.999" in zh


def test_chinese_keeps_every_formula_as_it_is():
    """A formula is never translated, nor cut by a pattern (the line
    "$t = 1: \\quad ...$" once matched "{label}: {name}" and lost its colon)."""
    english = drawn(rules.explain_step_figure(BOWL, explain_steps(BOWL, W, five())))
    records = explain_steps(BOWL, W, five())
    chinese = drawn(i18n.localize(rules.explain_step_figure(BOWL, records), "zh"))
    formulas = [t for t in english if t.startswith("$") and t.endswith("$")]
    assert len(formulas) >= 10
    for formula in formulas:
        assert formula.count("$") == 2
        assert formula in chinese, formula


@pytest.mark.parametrize("name", ["update-rules.png", "explain-step.png"])
def test_no_english_left_in_chinese(name):
    figures = {
        "update-rules.png": rules.update_rules_figure,
        "explain-step.png": lambda: rules.explain_step_figure(*example_steps()),
    }
    fig = i18n.localize(figures[name](), "zh")
    assert i18n.untranslated(fig) == []


def test_bad_input_is_one_line():
    with pytest.raises(ValueError, match=r"point must be two finite numbers \(x, y\), got"):
        explain_steps(BOWL, (1.0, np.nan))
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


def test_same_bytes_twice():
    def png():
        buf = io.BytesIO()
        fig = rules.explain_step_figure(BOWL, explain_steps(BOWL, W, five()))
        fig.savefig(buf, format="png", dpi=40)
        return buf.getvalue()

    assert png() == png()
