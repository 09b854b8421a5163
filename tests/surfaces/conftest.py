"""Fixtures for the surface tests."""

import pytest

from optviz.optimizers import OPTIMIZERS
from optviz.run import run_surface
from optviz.surfaces import OPTIMIZER_KEYS


@pytest.fixture
def run_defaults():
    """``run_defaults(surface, **kwargs)``: the five optimizers at the surface's default
    learning rates, from its default start, for its default number of steps."""

    def run(surface, **kwargs):
        optimizers = {k: OPTIMIZERS[k](lr=surface.default_lr(k)) for k in OPTIMIZER_KEYS}
        return run_surface(surface, optimizers, **kwargs)

    return run
