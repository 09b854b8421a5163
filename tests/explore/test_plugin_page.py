"""A user's own optimizer on the page (tests/plugins/toy_optimizer.py, imported from
Python): its rule translated from its class, its iterates and its step readout equal to
Python's, its controls from its hyper-parameters."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import agreement as A  # noqa: E402

from optviz.explore import explore  # noqa: E402
from optviz.optimizers import OPTIMIZERS  # noqa: E402
from optviz.run import run_one  # noqa: E402
from optviz.spec import build_optimizer  # noqa: E402
from optviz.surfaces import get  # noqa: E402

pytestmark = pytest.mark.slow

TOY = Path(__file__).parents[1] / "plugins" / "toy_optimizer.py"


@pytest.fixture
def toysign():
    """The user's module imported as a user would (its own name), removed after."""
    saved = dict(OPTIMIZERS)
    spec = importlib.util.spec_from_file_location("users_lion", TOY)
    module = importlib.util.module_from_spec(spec)
    sys.modules["users_lion"] = module
    spec.loader.exec_module(module)
    yield module.ToySign
    del sys.modules["users_lion"]
    OPTIMIZERS.clear()
    OPTIMIZERS.update(saved)


def test_a_users_optimizer_runs_in_the_page_as_in_python(open_page, toysign):
    surface = get("himmelblau")
    specs = ["toysign:lr=0.02", "sgd", "toysign:lr=0.01,signed=false,beta1=0.5", "adam"]
    page = open_page(explore(surface, specs, start=(-1.0, 0.5), steps=300))
    assert page.js("OPTVIZ.cfgs.map(c => c.label)") == [
        "toysign (lr=0.02)", "sgd", "toysign (lr=0.01, signed=false, beta1=0.5)", "adam"
    ]  # fmt: skip
    for i, spec in enumerate(specs):
        _, opt = build_optimizer(spec, surface)
        ref = run_one(surface, opt, np.array([-1.0, 0.5]), 300, record_state=True)
        xy = np.array(page.js(f"[OPTVIZ.view.trajs[{i}].x, OPTVIZ.view.trajs[{i}].y]"
                              ".map(a => Array.from(a))")).T  # fmt: skip
        err = A.rel_error(xy, ref.xy, A.span(surface))
        assert np.max(err) <= A.RTOL, f"{spec}: differs by {np.max(err):.1e}"
    # the readout: m (its state) and c (a quantity its rule names), as Python has them
    _, opt = build_optimizer(specs[0], surface)
    ref = run_one(surface, opt, np.array([-1.0, 0.5]), 300, record_state=True)
    k = 5
    page.js(f"OPTVIZ.view.selected = 0; OPTVIZ.setK({k})")
    shown = page.js(
        "Object.fromEntries(Array.from(document.querySelectorAll('#explain .v'))"
        ".map(e => [e.dataset.name, JSON.parse(e.dataset.v)]))"
    )
    m_prev, g = ref.state["m"][k - 1], ref.grad[k - 1]
    np.testing.assert_allclose(shown["m_prev"], m_prev, rtol=A.RTOL)
    np.testing.assert_allclose(shown["m"], ref.state["m"][k], rtol=A.RTOL)
    np.testing.assert_allclose(shown["c"], 0.9 * m_prev + 0.1 * g, rtol=1e-12)
    text = page.js("document.getElementById('explain').textContent")
    assert "c ← β₁ m + (1-β₁) g" in text and "moving average of g" in text
    # its controls: the two fractions with their symbols, the labelled flag
    keys = page.js(
        "Array.from(document.querySelectorAll(\".card[data-opt='0'] input\"))"
        ".map(e => [e.dataset.key, e.type])"
    )
    assert keys == [["visible", "checkbox"], ["lr", "range"], ["beta1", "range"],
                    ["beta2", "range"], ["signed", "checkbox"]]  # fmt: skip
    before = page.js("Array.from(OPTVIZ.view.trajs[0].x)")
    page.page.locator(".card[data-opt='0'] input[data-key='signed']").click()
    assert page.js("Array.from(OPTVIZ.view.trajs[0].x)") != before
    assert "signed=false" in page.js("OPTVIZ.commands().compare")
    assert page.console == []
