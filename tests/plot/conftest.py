import pytest

from surfaces import get


@pytest.fixture(scope="module")
def surface():
    return get("rosenbrock")
