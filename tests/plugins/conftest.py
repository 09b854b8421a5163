"""A user's plugin for the tests: toy_optimizer.py (imported by the tests, never
collected: importing it registers ToySign), and the registries restored after each test."""

from pathlib import Path

import pytest

#: Not a test module: importing it registers an optimizer.
collect_ignore = ["toy_optimizer.py"]

TOY = Path(__file__).with_name("toy_optimizer.py")


@pytest.fixture(autouse=True)
def registries():
    """OPTIMIZERS and SURFACES as they were before the test, afterwards."""
    import sys

    from optviz.optimizers import OPTIMIZERS
    from optviz.surfaces import SURFACES

    optimizers, surfaces, modules = dict(OPTIMIZERS), dict(SURFACES), set(sys.modules)
    yield
    OPTIMIZERS.clear()
    OPTIMIZERS.update(optimizers)
    SURFACES.clear()
    SURFACES.update(surfaces)
    for name in set(sys.modules) - modules:
        if name.startswith(("optviz_plugin_", "toy_", "entry_point_")):
            del sys.modules[name]


@pytest.fixture
def toy_path():
    return TOY
