"""A formula surface in the browser: sympy's JavaScript printer of the same expressions
the NumPy functions print; values to 1e-11 and iterates to 1e-9 as for the built-ins."""

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import agreement as A  # noqa: E402

from optviz.user_surfaces import resolve  # noqa: E402

pytestmark = pytest.mark.slow

FORMULAS = {
    "rosen": "(1 - x)**2 + 100*(y - x**2)**2",
    "bowl": "x**2 + 10*y**2",
    "waves": "x**2 + y**2 + 3*sin(3*x)**2 + exp(-y)/3 + sqrt(x**2 + 1)",
}


def _surface(key):
    # the harness names its script after the surface: a JS identifier
    return replace(resolve(FORMULAS[key]), name=f"formula_{key}")


@pytest.mark.parametrize("key", sorted(FORMULAS))
def test_a_formulas_page_values_equal_python(harness, key):
    surface = _surface(key)
    run = harness(surface)
    rng = np.random.default_rng(2)
    (x0, x1), (y0, y1) = surface.domain
    pts = np.column_stack([rng.uniform(x0, x1, 200), rng.uniform(y0, y1, 200)])
    page = run.values(pts)
    ref = np.column_stack([surface.value(pts), surface.grad(pts)])
    scale = np.max(np.abs(ref), axis=0)
    err = np.abs(page - ref) / np.maximum(np.abs(ref), 1e-9 * scale)
    assert np.max(err) < 1e-11, f"{key}: worst relative difference {np.max(err):.2e}"


@pytest.mark.parametrize("key", sorted(FORMULAS))
def test_a_formulas_page_iterates_equal_python(harness, key):
    surface = _surface(key)
    run = harness(surface)
    start = surface.start
    variants = ["sgd", "momentum", "adam"]
    pages = run([A.page_cfg(surface, spec) for spec in variants], start, A.STEPS)
    for spec, page in zip(variants, pages):
        ref = A.python_run(surface, spec, start)
        err = A.rel_error(page["xy"], ref.xy, A.span(surface))
        if np.max(err) <= A.RTOL:
            continue
        shadow = A.ulp_shadow(surface, spec, start)  # amplified rounding, not a wrong rule
        assert np.max(A.rel_error(shadow.xy, ref.xy, A.span(surface))) > A.RTOL, spec


def test_the_explorer_page_of_a_formula_loads_without_errors(open_page):
    from optviz.explore import explore

    page = open_page(explore("x**2 + 10*y**2", ["sgd", "adam"], steps=50))
    assert page.js("() => window.OPTVIZ !== undefined")
    assert not [m for m in page.console if m[0] in ("error", "pageerror")], page.console
