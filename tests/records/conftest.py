"""Fixtures over one small record of every type (tests/records/makers.py)."""

import importlib.util
import sys
from pathlib import Path

import pytest


def _register(name: str, path: Path):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


MAKERS = _register("records_makers", Path(__file__).with_name("makers.py")).MAKERS


@pytest.fixture(params=list(MAKERS), scope="module")
def record(request):
    return MAKERS[request.param]()


@pytest.fixture(scope="module")
def makers():
    return MAKERS
