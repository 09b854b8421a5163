"""Numbers you can trust: the page's iterates equal optviz's Python iterates.

The browser runs the page's own engine.js and the surface code translated from the
Python definitions; Python runs optviz.run.run_one. 1,000 steps, every optimizer and
convention the page offers (agreement.VARIANTS), from the default start and from seeded
starts, on every surface of ``optviz list``; agreement within 1e-9 relative (see
agreement.rel_error). The default run covers each surface with a rotating fifth of the
variants from its default start (every variant on four surfaces); OPTVIZ_EXPLORE_FULL=1
runs the whole matrix (all variants x three starts x every surface), as
benchmarks/bench_explore.py --agreement does.

Where they differ, the difference must be amplification of the last bit, not a wrong
rule: Python's own run with every gradient moved by one ulp (agreement.ulp_shadow) must
depart from Python by more than 1e-9 as well. The JavaScript's Math.sin/exp/pow may
differ from NumPy's in the last bit; near a minimum RMSprop's step is about alpha *
sign(g), so the sign of a gradient that is pure rounding noise decides the step.
"""

import os
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import agreement as A  # noqa: E402

from optviz.surfaces import SURFACES  # noqa: E402

# End-to-end: runs the page's numerics in chromium.
# Runs with the slow tests (`pytest -m slow`, as CI does).
pytestmark = pytest.mark.slow

FULL = bool(os.environ.get("OPTVIZ_EXPLORE_FULL"))


def _cases():
    names = list(SURFACES)
    for i, name in enumerate(names):
        variants = [v for j, v in enumerate(A.VARIANTS) if FULL or j % 5 == i % 5]
        yield pytest.param(name, variants, id=name)


@pytest.mark.parametrize("name", list(SURFACES))
def test_translated_surface_equals_python(harness, name):
    surface = SURFACES[name]
    run = harness(surface)
    rng = np.random.default_rng(1)
    (x0, x1), (y0, y1) = surface.domain
    pts = np.column_stack([rng.uniform(x0, x1, 200), rng.uniform(y0, y1, 200)])
    page = run.values(pts)
    ref = np.column_stack([surface.value(pts), surface.grad(pts)])
    # one ulp-level difference is allowed (libm vs V8's sin, exp, pow), nothing more
    scale = np.max(np.abs(ref), axis=0)
    err = np.abs(page - ref) / np.maximum(np.abs(ref), 1e-9 * scale)
    assert np.max(err) < 1e-11, f"{name}: worst relative difference {np.max(err):.2e}"


@pytest.mark.parametrize(("name", "variants"), list(_cases()))
def test_iterates_equal_python(harness, name, variants):
    surface = SURFACES[name]
    run = harness(surface)
    starts = A.starts(surface, n_random=2 if FULL else 0)
    cfgs = [A.page_cfg(surface, spec) for spec in variants]
    report = []
    for start in starts:
        pages = run(cfgs, start, A.STEPS)
        for spec, page in zip(variants, pages):
            ref = A.python_run(surface, spec, start)
            same = page["diverged_at"] == int(ref.diverged_at)
            assert same or _chaotic(surface, spec, start, ref), (
                f"{name} {spec} from {start}: diverged at {page['diverged_at']}, "
                f"python at {ref.diverged_at}"
            )
            err = A.rel_error(page["xy"], ref.xy, A.span(surface))
            err_loss = A.rel_error(page["loss"], ref.loss, np.nanmax(np.abs(ref.loss)))
            err_lr = A.rel_error(page["lr"][1:], ref.lr[1:], np.nanmax(np.abs(ref.lr[1:])))
            worst = max(np.max(err), np.max(err_loss), np.max(err_lr))
            if worst <= A.RTOL:
                continue
            shadow = A.ulp_shadow(surface, spec, start)
            err_shadow = A.rel_error(shadow.xy, ref.xy, A.span(surface))
            report.append(
                f"{spec} from {start}: page departs at step {A.first_departure(err)}, "
                f"python + 1 ulp at {A.first_departure(err_shadow)}"
            )
            assert np.max(err_shadow) > A.RTOL, (
                f"{name} {spec} from {start}: the page differs from Python by "
                f"{worst:.2e} (first at step {A.first_departure(err)}), but Python's own "
                "run with 1-ulp gradient noise agrees: a real difference, not chaos"
            )
    if report:
        print(f"{name}: amplified rounding:\n  " + "\n  ".join(report))


def _chaotic(surface, spec, start, ref) -> bool:
    shadow = A.ulp_shadow(surface, spec, start)
    return int(shadow.diverged_at) != int(ref.diverged_at)
