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
