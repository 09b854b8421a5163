"""Classical methods (scipy.optimize) beside the step optimizers: iterates and
evaluation counts as scipy's own, SPECs, records, and `optviz compare -o bfgs`."""

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error
from scipy.optimize import line_search, minimize

from optviz.classical import CLASSICAL, ClassicalMethod
from optviz.cli import main
from optviz.records import Run
from optviz.run import run_surface
from optviz.spec import build_optimizer, parse_spec
from optviz.surfaces import Surface, get
from optviz.sweep import lr_sweep
from optviz.user_surfaces import resolve

BOWL = "x**2 + 10*y**2"
SCIPY = {
    "bfgs": "BFGS",
    "lbfgs": "L-BFGS-B",
    "cg": "CG",
    "newton": "Newton-CG",
    "nelder-mead": "Nelder-Mead",
}


def scipy_reference(surface, name, start, steps):
    """scipy.optimize.minimize on its own: its callback's iterates and its result."""
    seen = []
    kwargs = {}
    if name != "nelder-mead":
        kwargs["jac"] = surface.grad
    if name == "newton":
        kwargs["hess"] = surface.hess
    options = {**CLASSICAL[name][1], "maxiter": steps}
    res = minimize(
        lambda w: float(surface.value(w)),
        np.asarray(start, dtype=float),
        method=SCIPY[name],
        callback=lambda xk: seen.append(np.array(xk)),
        options=options,
        **kwargs,
    )
    return np.array(seen), res


@pytest.mark.parametrize("name", list(SCIPY))
@pytest.mark.parametrize("surface_name", ["rosenbrock", "beale"])
def test_iterates_and_counts_are_scipys_own(name, surface_name):
    surface = get(surface_name)
    traj = ClassicalMethod(name).run(surface, surface.start, 150)
    seen, res = scipy_reference(surface, name, surface.start, 150)
    assert traj.xy[0].tolist() == list(surface.start)
    np.testing.assert_array_equal(traj.xy[1:], seen)
    assert traj.steps == len(seen)
    if name != "nelder-mead":  # scipy's Nelder-Mead counts one more nit than callbacks
        assert traj.steps == res.nit
    for key in ("nfev", "njev", "nhev"):
        assert traj.evaluations[key] == int(getattr(res, key, 0)), key
    # loss and gradient rows are f and grad at the iterates
    np.testing.assert_array_equal(traj.loss, surface.value(traj.xy))
    np.testing.assert_array_equal(traj.grad, surface.grad(traj.xy))
    cumulative = traj.evaluations["cumulative"]
    assert cumulative[0] == 0 and len(cumulative) == traj.steps + 1
    assert np.all(np.diff(cumulative) > 0)
    total = sum(traj.evaluations[k] for k in ("nfev", "njev", "nhev"))
    assert cumulative[-1] <= total


def test_newton_cg_on_a_quadratic_uses_the_exact_hessian():
    # f = x^2 + 10 y^2 from (-1.4, 1.4): g = (-2.8, 28), |g| = 28.14, H = diag(2, 20).
    # The first inner CG step p = -(g.g / g.Hg) g (the Cauchy point) leaves the
    # residual |g + Hp| = 2.53 under scipy's min(0.5, sqrt|g|)|g| = 14.07, so the
    # inner loop stops there and the unit step is taken: x1 = x0 - 791.84/15695.68 g.
    surface = resolve(BOWL)
    traj = ClassicalMethod("newton").run(surface, [-1.4, 1.4], 50)
    g = np.array([-2.8, 28.0])
    np.testing.assert_allclose(traj.xy[1], [-1.4, 1.4] - 791.84 / 15695.68 * g, rtol=1e-12)
    np.testing.assert_allclose(traj.xy[-1], [0.0, 0.0], atol=1e-6)
    assert traj.hyperparameters["hessian"] == "exact"
    bowl = Surface.from_function(lambda x, y: x**2 + 10 * y**2, domain=((-2, 2), (-2, 2)))
    fd = ClassicalMethod("newton").run(bowl, [-1.4, 1.4], 50)
    assert fd.hyperparameters["hessian"] == "finite differences"


def test_gd_linesearch_steps_along_minus_g_with_wolfe_steps():
    surface = get("rosenbrock")
    traj = ClassicalMethod("gd-linesearch").run(surface, surface.start, 60)
    assert traj.steps == 60  # gradient descent on Rosenbrock is slow: all 60 used
    for k in range(traj.steps):
        x, x_new = traj.xy[k], traj.xy[k + 1]
        g = surface.grad(x)
        step = x_new - x
        alpha = step @ -g / (g @ g)
        np.testing.assert_allclose(step, -alpha * g, rtol=1e-9, atol=1e-15)
        # Wolfe (c1 = 1e-4, c2 = 0.9): sufficient decrease and curvature
        assert surface.value(x_new) <= surface.value(x) - 1e-4 * alpha * (g @ g)
        assert surface.grad(x_new) @ -g >= 0.9 * (g @ -g)
    # each iterate is scipy's line_search from the one before (the first 3)
    f = lambda w: float(surface.value(w))  # noqa: E731
    x = np.asarray(surface.start, dtype=float)
    old_old, fx = None, f(x)
    for k in range(3):
        g = surface.grad(x)
        alpha, *_, f_new, _, _ = line_search(
            f, surface.grad, x, -g, gfk=g, old_fval=fx, old_old_fval=old_old
        )
        x, old_old, fx = x - alpha * g, fx, f_new
        np.testing.assert_array_equal(traj.xy[k + 1], x)


def test_gd_linesearch_stops_at_gtol_on_a_bowl():
    surface = resolve(BOWL)
    traj = ClassicalMethod("gd-linesearch", gtol=1e-8).run(surface, [-1.4, 1.4], 500)
    assert traj.steps < 500
    assert np.max(np.abs(surface.grad(traj.xy[-1]))) < 1e-8
    assert np.max(np.abs(surface.grad(traj.xy[-2]))) >= 1e-8


def test_specs_and_mixed_runs():
    name, kwargs = parse_spec("bfgs:gtol=1e-8")
    assert (name, kwargs) == ("bfgs", {"gtol": 1e-8})
    surface = resolve(BOWL)
    run = run_surface(surface, ["sgd", "bfgs:gtol=1e-8", "nelder-mead"], steps=100)
    assert run.labels == ["sgd", "bfgs", "nelder-mead"]
    assert run["sgd"].steps == 100 and run["sgd"].evaluations is None
    assert run["bfgs"].steps < 100  # stopped at gtol: its own length
    assert run["bfgs"].hyperparameters["gtol"] == 1e-8
    assert run.steps == 100
    assert run["nelder-mead"].evaluations["njev"] == 0


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ("bfgs:lr=0.1", "unknown key for bfgs 'lr'. Allowed: gtol"),
        ("bfgs:gtol=-1", "gtol must be > 0, got -1"),
        ("gd-linesearch:c1=0.5,c2=0.4", "need 0 < c1 < c2 < 1"),
        ("cg:gtol=fast", "gtol must be a number"),
        ("bfgz", "Did you mean bfgs or lbfgs?"),
    ],
)
def test_bad_method_options_are_one_line(spec, fragment):
    with pytest.raises(ValueError) as info:
        build_optimizer(spec, resolve(BOWL))
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_classical_methods_are_refused_where_they_cannot_step():
    with pytest.raises(ValueError, match="bfgs is a classical method") as info:
        lr_sweep(get("rosenbrock"), ["bfgs"], [0.1], steps=10)
    assert "\n" not in str(info.value)


def test_batch_of_starts_is_refused():
    with pytest.raises(ValueError, match=r"runs from one start \(shape \(2,\)\)"):
        ClassicalMethod("bfgs").run(get("rosenbrock"), np.zeros((3, 2)), 10)


@pytest.mark.parametrize("suffix", [".npz", ".csv"])
def test_evaluations_travel_with_the_record(tmp_path, suffix):
    surface = resolve(BOWL)
    run = run_surface(surface, ["adam", "lbfgs"], steps=30)
    run.save(tmp_path / f"run{suffix}")
    back = Run.load(tmp_path / f"run{suffix}")
    assert back["lbfgs"].evaluations == run["lbfgs"].evaluations
    assert back["adam"].evaluations is None
    np.testing.assert_array_equal(back["lbfgs"].xy, run["lbfgs"].xy)


def test_compare_draws_sgd_beside_bfgs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["compare", BOWL, "-o", "sgd", "-o", "bfgs", "--out", "c.png", "--csv", "r.npz"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    run = Run.load(tmp_path / "r.npz")
    assert run.labels == ["sgd", "bfgs"]
    np.testing.assert_allclose(run["bfgs"].xy[-1], [0.0, 0.0], atol=1e-5)


def test_compare_bad_method_option_is_one_line(tmp_path):
    # as for a step optimizer's bad key: a usage error, one "Error: ..." line
    args = ["compare", BOWL, "-o", "bfgs:tol=1", "--out", str(tmp_path / "c.png")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert_one_line_error(result, "unknown key for bfgs 'tol'. Did you mean gtol?")
    assert not (tmp_path / "c.png").exists()
