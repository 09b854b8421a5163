"""Formula surfaces: exact derivatives, the built-in surfaces again, minima, and a
whitelist that refuses everything else in one line without running it."""

import ast
import builtins
from pathlib import Path

import numpy as np
import pytest

from optviz.surfaces import get
from optviz.surfaces.formula import (
    FormulaError,
    compile_formula,
    formula_name,
    formula_surface,
    parse_domain,
    split_name,
)

#: Built-in surfaces and the same formula, typed as a user would.
SAME = {
    "rosenbrock": "(1 - x)**2 + 100*(y - x**2)**2",
    "beale": "(1.5 - x + x*y)**2 + (2.25 - x + x*y**2)**2 + (2.625 - x + x*y**3)**2",
    "himmelblau": "(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
    "booth": "(x + 2*y - 7)**2 + (2*x + y - 5)**2",
    "matyas": "0.26*(x**2 + y**2) - 0.48*x*y",
    "three_hump_camel": "2*x**2 - 1.05*x**4 + x**6/6 + x*y + y**2",
}


def _points(surface, rng, n=200):
    (x0, x1), (y0, y1) = surface.domain
    return np.stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)], axis=-1)


@pytest.mark.parametrize("name", sorted(SAME))
def test_a_formula_equals_the_built_in_surface_to_1e_12(name, rng):
    builtin, compiled = get(name), compile_formula(SAME[name])
    xy = _points(builtin, rng)
    f, g = builtin.value(xy), builtin.grad(xy)
    np.testing.assert_allclose(compiled.value(xy), f, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        compiled.grad(xy), g, rtol=1e-12, atol=1e-12 * np.max(np.abs(g))
    )


def test_rosenbrocks_hessian_is_the_hand_derived_one(rng):
    compiled = compile_formula(SAME["rosenbrock"])
    xy = _points(get("rosenbrock"), rng)
    x, y = xy[:, 0], xy[:, 1]
    expected = np.empty((len(x), 2, 2))
    expected[:, 0, 0] = 2 - 400 * (y - x**2) + 800 * x**2
    expected[:, 0, 1] = expected[:, 1, 0] = -400 * x
    expected[:, 1, 1] = 200
    np.testing.assert_allclose(compiled.hessian(xy), expected, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize(
    "text",
    [
        *SAME.values(),
        "sin(x)*cos(y) + exp(-x**2)",
        "log(1 + x**2) + sqrt(y**2 + 1)",
        "tanh(x) + sinh(y/3) + cosh(x/4) + arctan(x*y) + pi*e*x + tan(y/4)",
    ],
)
def test_gradient_and_hessian_agree_with_finite_differences(text, rng):
    compiled = compile_formula(text)
    xy = np.stack([rng.uniform(-1.5, 1.5, 50), rng.uniform(-1.5, 1.5, 50)], axis=-1)
    h = 1e-6
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        df = (compiled.value(xy + e) - compiled.value(xy - e)) / (2 * h)
        dg = (compiled.grad(xy + e) - compiled.grad(xy - e)) / (2 * h)
        g, hess = compiled.grad(xy)[:, i], compiled.hessian(xy)[:, :, i]
        np.testing.assert_allclose(g, df, rtol=1e-6, atol=1e-5 * (1 + np.max(np.abs(g))))
        np.testing.assert_allclose(
            hess, dg, rtol=1e-5, atol=1e-4 * (1 + np.max(np.abs(hess)))
        )
    np.testing.assert_array_equal(
        compiled.hessian(xy), np.swapaxes(compiled.hessian(xy), 1, 2)
    )


def test_constant_derivatives_come_out_in_the_batch_shape():
    compiled = compile_formula("x**2 + 10*y**2")
    xy = np.zeros((3, 4, 2))
    assert compiled.grad(xy).shape == (3, 4, 2)
    np.testing.assert_array_equal(
        compiled.hessian(xy), np.broadcast_to([[2, 0], [0, 20]], (3, 4, 2, 2))
    )


def test_decimals_are_the_numbers_written():
    # 2.625 and 0.1 as exact rationals: the printed function divides, as a user would
    assert float(compile_formula("0.1*x").value(np.array([3.0, 0.0]))) == 0.1 * 3.0


@pytest.mark.parametrize("name", ["rosenbrock", "beale", "himmelblau", "booth"])
def test_the_minima_found_are_the_built_in_surfaces(name):
    builtin = get(name)
    surface = formula_surface(SAME[name], builtin.domain, lr={"sgd": 0.1})
    found = sorted(p.xy for p in surface.minima)
    known = sorted(p.xy for p in builtin.minima)
    np.testing.assert_allclose(found, known, atol=1e-10)
    assert all(p.value < 1e-20 for p in surface.minima)


def test_local_minima_are_landmarks_and_the_global_one_is_the_minimum():
    # f = x^2 + y^2 + 3 sin^2(3x): global minimum 0 at the origin, local ones near +-1
    s = formula_surface("x**2 + y**2 + 3*sin(3*x)**2", lr={"sgd": 0.1})
    assert [p.xy for p in s.minima] == [(0.0, 0.0)]
    assert {p.kind for p in s.landmarks} == {"local minimum"}
    (x0, x1), (y0, y1) = s.domain
    assert all(x0 <= p.x <= x1 and y0 <= p.y <= y1 for p in s.landmarks)


def test_no_minimum_inside_the_domain_means_no_minima():
    assert formula_surface("x**2 - y**2", lr={"sgd": 0.1}).minima == ()
    assert formula_surface("x - y", lr={"sgd": 0.1}).minima == ()


def test_default_domain_start_and_texts():
    s = formula_surface("(x - 1)**2 + 10*(y + 2)**2", lr={"sgd": 0.05})
    assert s.domain == ((-1.0, 3.0), (-4.0, 0.0))  # the minimum, padded by 2
    assert s.start == (-0.4, -0.6)  # 15% in from the top-left corner
    assert s.latex == r"\left(x - 1\right)^{2} + 10 \left(y + 2\right)^{2}"
    assert s.name == "(x - 1)**2 + 10*(y + 2)**2" and s.title == "f(x, y)"


def test_a_domain_is_part_of_the_name_and_reads_back():
    name = formula_name("x**2  +  y**2", ((-2, 2), (-1, 3)))
    assert name == "x**2 + y**2 @ -2:2,-1:3"
    assert split_name(name) == ("x**2 + y**2", ((-2.0, 2.0), (-1.0, 3.0)))
    assert split_name("x**2") == ("x**2", None)
    with pytest.raises(ValueError, match="X0:X1,Y0:Y1"):
        parse_domain("1,2")
    with pytest.raises(ValueError, match="increasing"):
        parse_domain("2:1,0:1")


# -- the whitelist ------------------------------------------------------------------------
HOSTILE = {
    "__import__('os').system('touch PWNED')": "attribute access at column 1",
    "__import__('os')": "unknown function '__import__' at column 1",
    "x.__class__": "attribute access at column 1",
    "().__class__.__bases__[0].__subclasses__()": "not a function name",
    "(lambda: 0)()": "not a function name",
    "lambda: x": "a lambda at column 1",
    "[x for x in (1, 2)]": "a comprehension at column 1",
    "sum(t for t in (x, y))": "unknown function 'sum'",
    "x + z": "unknown name 'z' at column 5; allowed: x, y, pi, e,",
    "x + y*z": "unknown name 'z' at column 7",
    "eval('1')": "unknown function 'eval'",
    "open('/etc/passwd')": "unknown function 'open'",
    "x" * 10_000: "10,000 characters long; at most 500",
    "x**" * 60 + "x": "nested deeper than 40 levels",
    "9**9**9**9": "too large",
    "10**10**10": "too large",
    "(x**2)**1e9": "exponent of the power",
    "1e999": "too large",
    "x^2": "operator ^ (write ** for a power)",
    "x if y else 1": "if/else at column 1",
    "x < y": "a comparison",
    "'x'": "str 'x' at column 1 is not a number",
    "x, y": "a tuple",
    "x[0]": "indexing",
    "sin": "sin at column 1 is a function: write sin(...)",
    "sin(x, y)": "takes one argument, got 2",
    "max(x)": "takes two or more arguments, got 1",
    "sin(x=1)": "plain arguments only",
    "x +": "not a formula at column",
    "": "the formula is empty",
    "x\ny": "is not allowed",
    "1/0": "division by zero",
    "(x := 2)": ":=",
    "x @ y": "operator @",
}


@pytest.mark.parametrize("text", list(HOSTILE), ids=lambda t: t[:30])
def test_hostile_formulas_end_in_one_line_and_run_nothing(text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    calls = []
    real_compile = builtins.compile

    def spy_compile(source, filename, mode, flags=0, *args, **kwargs):
        calls.append(("compile", bool(flags & ast.PyCF_ONLY_AST)))  # ast.parse: parse only
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "compile", spy_compile)
    monkeypatch.setattr(builtins, "eval", lambda *a, **k: calls.append(("eval", a)))
    monkeypatch.setattr(builtins, "exec", lambda *a, **k: calls.append(("exec", a)))
    with pytest.raises(FormulaError) as caught:
        compile_formula(text)
    monkeypatch.undo()
    message = str(caught.value)
    assert HOSTILE[text] in message
    assert "\n" not in message and len(message) < 300
    assert all(call == ("compile", True) for call in calls), calls
    assert not (tmp_path / "PWNED").exists()


def test_the_parser_never_evaluates_user_text():
    """The module that reads the text calls no eval, exec, sympify or parse_expr."""
    source = Path(__file__).parents[2] / "surfaces" / "_formula_parse.py"
    names = {
        n.id if isinstance(n, ast.Name) else n.attr
        for n in ast.walk(ast.parse(source.read_text()))
        if isinstance(n, (ast.Name, ast.Attribute))
    }
    assert not names & {"eval", "exec", "sympify", "parse_expr", "S", "compile"}
