"""A comparison with a classical method counts evaluations on its loss panel's x axis
(the fair count: BFGS spends a function and a gradient evaluation per try), and says so;
with step optimizers alone the axis counts steps."""

import numpy as np
import pytest
from scipy.optimize import minimize

from optviz.plot.compare import compare_figure
from optviz.plot.curves import EVALUATIONS_LABEL
from optviz.run import run_surface
from optviz.surfaces import get

STEPS = 40


@pytest.fixture(scope="module")
def quadratic():
    return get("quadratic")


def loss_lines(fig, run):
    """The loss panel's curves, in the run's order (the floor line and crosses aside)."""
    lines = [ln for ln in fig.axes[1].get_lines() if len(ln.get_xdata()) > 2]
    assert [len(ln.get_ydata()) for ln in lines] == [t.steps + 1 for t in run]
    return lines


def test_a_mixed_comparison_draws_loss_over_evaluations(quadratic):
    start = np.array(quadratic.start, dtype=np.float64)
    run = run_surface(quadratic, ["sgd", "bfgs"], start=start, steps=STEPS)
    fig = compare_figure(quadratic, run)
    assert fig.axes[1].get_xlabel() == EVALUATIONS_LABEL
    sgd, bfgs = loss_lines(fig, run)
    # a step optimizer spends one gradient per step
    np.testing.assert_array_equal(sgd.get_xdata(), np.arange(STEPS + 1))
    # BFGS: as many as scipy's own run spends (function + gradient evaluations)
    ref = minimize(
        lambda w: float(quadratic.value(w)),
        start,
        jac=lambda w: np.asarray(quadratic.grad(w), dtype=np.float64),
        method="BFGS",
        options={"gtol": 1e-5, "maxiter": STEPS},
    )
    x = bfgs.get_xdata()
    assert x[0] == 0 and np.all(np.diff(x) > 0)
    assert x[-1] == ref.nfev + ref.njev
    assert len(x) == ref.nit + 1
    assert fig.axes[1].get_xlim() == (0, STEPS)  # the longer of the two counts


def test_step_optimizers_alone_count_steps(quadratic):
    run = run_surface(quadratic, ["sgd", "adam"], steps=STEPS)
    fig = compare_figure(quadratic, run)
    assert fig.axes[1].get_xlabel() == "step t"
    for line in loss_lines(fig, run):
        np.testing.assert_array_equal(line.get_xdata(), np.arange(STEPS + 1))


def test_the_zh_figure_translates_the_axis(quadratic):
    from optviz.plot.i18n import localize

    run = run_surface(quadratic, ["sgd", "bfgs"], steps=STEPS)
    fig = compare_figure(quadratic, run)
    localize(fig, "zh")
    assert fig.axes[1].get_xlabel() == "f、∇f 与 ∇²f 的求值次数（每步一次 ∇f）"
