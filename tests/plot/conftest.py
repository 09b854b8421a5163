import pytest

from optviz.surfaces import get


@pytest.fixture(scope="module")
def surface():
    return get("rosenbrock")
