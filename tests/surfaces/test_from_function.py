"""Surface.from_function and FILE.py:NAME: a surface from the user's own Python."""

import math

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error

from optviz.cli import main
from optviz.records import Run
from optviz.surfaces import Surface, get
from optviz.user_surfaces import resolve


def rosen(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def rosen_grad(x, y):
    return -2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)


def test_an_exact_gradient_is_used_as_given(rng):
    s = Surface.from_function(rosen, rosen_grad, domain=((-2, 2), (-1, 3)))
    xy = rng.uniform(-1, 1, (50, 2))
    np.testing.assert_array_equal(s.grad(xy), get("rosenbrock").grad(xy))
    assert s.title == "rosen" and "exact (given)" in s.reference
    np.testing.assert_allclose([p.xy for p in s.minima], [(1.0, 1.0)], atol=1e-10)


def test_without_a_gradient_it_is_numerical_and_says_so(rng):
    s = Surface.from_function(rosen, domain=((-2, 2), (-1, 3)))
    assert s.title == "rosen (numerical gradient)"
    assert "central differences (numerical)" in s.reference
    xy = rng.uniform(-1, 1, (50, 2))
    g = get("rosenbrock").grad(xy)
    np.testing.assert_allclose(s.grad(xy), g, rtol=1e-6, atol=1e-6 * np.max(np.abs(g)))
    np.testing.assert_allclose([p.xy for p in s.minima], [(1.0, 1.0)], atol=1e-6)


def test_a_scalar_only_function_is_vectorised():
    s = Surface.from_function(
        lambda x, y: math.sin(x) ** 2 + y**2, domain=((-1, 2), (-1, 1)), name="wave"
    )
    assert s.value(np.zeros((3, 4, 2))).shape == (3, 4)
    assert s.grad(np.zeros((3, 2))).shape == (3, 2)
    assert s.name == "wave"


def test_bad_arguments_are_one_line_errors():
    with pytest.raises(ValueError, match="f must be a function"):
        Surface.from_function(3)
    with pytest.raises(ValueError, match="domain must be finite and increasing"):
        Surface.from_function(rosen, domain=((1, 0), (0, 1)))


USER_FILE = """
import numpy as np

def bowl(x, y):
    return (x - 1) ** 2 + 4 * (y + 1) ** 2

def bowl_grad(x, y):
    return 2 * (x - 1), 8 * (y + 1)

def broken(x, y):
    raise RuntimeError("no")
"""


def test_file_colon_name_is_a_surface_on_the_command_line(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text(USER_FILE)
    surface = resolve(f"{path}:bowl")
    assert surface.title == "bowl"  # bowl_grad beside it: exact
    assert [p.xy for p in surface.minima] == [(1.0, -1.0)]
    result = CliRunner().invoke(
        main,
        ["compare", f"{path}:bowl", "--domain", "-2:3,-3:1", "-o", "adam", "--steps", "30",
         "--out", str(tmp_path / "b.png"), "--csv", str(tmp_path / "b.npz")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    run = Run.load(tmp_path / "b.npz")
    assert run.surface == f"{path}:bowl @ -2:3,-3:1"
    assert resolve(run.surface).domain == ((-2.0, 3.0), (-3.0, 1.0))


@pytest.mark.parametrize(
    "name, fragment",
    [("missing", "has no 'missing'"), ("broken", "RuntimeError: no")],
)
def test_a_bad_user_function_is_a_usage_error(tmp_path, name, fragment):
    path = tmp_path / "mine.py"
    path.write_text(USER_FILE)
    result = CliRunner().invoke(main, ["compare", f"{path}:{name}"])
    assert result.exit_code == 2
    assert_one_line_error(result, fragment)
