"""The update rules translated from the optimizer classes (no browser: what the
translation accepts and refuses; the browser tests hold the iterates to Python's)."""

from dataclasses import dataclass

import numpy as np
import pytest

from optviz.explore import explore
from optviz.explore.rules_js import rule_js
from optviz.explore.translate import TranslationError
from optviz.optimizers import OPTIMIZERS, Optimizer, learning_rate


@dataclass
class _State:
    shape: tuple
    m: np.ndarray
    t: int = 0


def _optimizer(update):
    return type("Custom", (Optimizer,), {"name": "custom", "hyper": {"lr":
                learning_rate(0.1)}, "State": _State, "_update": update})  # fmt: skip


@pytest.mark.parametrize("name", sorted(n for n, c in OPTIMIZERS.items() if not c.whole))
def test_every_registered_optimizer_translates_without_a_hand_written_rule(name):
    js = rule_js(OPTIMIZERS[name])
    assert js.startswith("(function () {") and "update:" in js


@pytest.mark.parametrize("name", ["adafactor", "muon", "prodigy"])
def test_a_rule_that_needs_the_whole_parameter_is_refused_by_name(name):
    with pytest.raises(TranslationError, match=f"{name}: its step needs the whole"):
        rule_js(OPTIMIZERS[name])


def test_the_translation_is_the_python_line_by_line():
    js = rule_js(OPTIMIZERS["rmsprop"])
    assert "st.r = (st.r * rho);\n  st.r = (st.r + (((1 - rho) * g) * g));" in js
    assert "w.v = (w.v - ((alpha * g) / denominator_" in js
    assert "RULES" not in js and '"rmsprop"' not in js  # nothing keyed by name


def _loop(self, w, g, st, alpha):
    for _ in range(2):
        w -= alpha * g


def _sum(self, w, g, st, alpha):
    w -= alpha * np.sum(g)


def _index(self, w, g, st, alpha):
    w -= alpha * g[0]


def _unknown_name(self, w, g, st, alpha):
    w -= alpha * some_global_array  # noqa: F821


@pytest.mark.parametrize(
    ("update", "message"),
    [
        (_loop, "the statement For"),
        (_sum, "np.sum is not supported"),
        (_index, "the subscript 'g[0]'"),
        (_unknown_name, "the name 'some_global_array'"),
    ],
)
def test_an_unsupported_construct_is_named(update, message):
    with pytest.raises(TranslationError, match=f"optimizer 'custom', {update.__name__}"):
        rule_js(_optimizer(update))
    with pytest.raises(TranslationError) as err:
        rule_js(_optimizer(update))
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_a_class_without_source_is_a_clear_error():
    scope = {"np": np}
    exec("def update(self, w, g, st, alpha):\n    w -= alpha * g\n", scope)
    with pytest.raises(TranslationError, match="source of update cannot be read"):
        rule_js(_optimizer(scope["update"]))


def test_explore_refuses_an_untranslatable_optimizer_in_one_line():
    from optviz.optimizers import register

    cls = register(_optimizer(_sum))
    try:
        with pytest.raises(TranslationError, match="np.sum is not supported"):
            explore("booth", ["custom"], steps=5)
    finally:
        del OPTIMIZERS[cls.name]
