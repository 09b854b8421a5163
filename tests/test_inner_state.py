"""What the lr view records of each optimizer's inside: Adam's divisors (not Lion's, not
Prodigy's), Lion's sign, RAdam's rectification, Prodigy's d, Schedule-Free's c_t;
checked against values by hand; the figure draws each from the record."""

import math

import numpy as np
import pytest

from optviz.inner_state import inner_state, record_inner_state
from optviz.optimizers import OPTIMIZERS, Adam, Lion, Prodigy, RAdam, ScheduleFreeAdamW
from optviz.plot.lr import lr_figure
from optviz.run import run_surface
from optviz.surfaces import get


def _traj(opt, steps=12, surface="rosenbrock"):
    run = run_surface(get(surface), {"x": opt}, steps=steps, record_state=True)
    return run["x"]


def test_adam_has_divisors_lion_and_prodigy_with_defaults_do_not():
    divisors = inner_state(_traj(Adam(lr=0.05), steps=3))["divisors"]
    np.testing.assert_allclose(divisors[1:, 0], [0.1, 0.19, 0.271])
    np.testing.assert_allclose(divisors[1:, 1], [0.001, 0.001999, 0.002997001])
    off = inner_state(_traj(Adam(lr=0.05, bias_correction=False), steps=3))["divisors"]
    assert np.all(off[1:] == 1.0)
    assert "betas" in Lion.hyper and "betas" in Prodigy.hyper  # yet no Adam divisors
    for opt in (Lion(lr=1e-3), Prodigy()):
        assert "divisors" not in inner_state(_traj(opt, steps=3))


def test_radam_rectification_at_t_10_from_the_closed_form():
    q = inner_state(_traj(RAdam(lr=1e-3), steps=10))["q"]
    rho2 = 0.999
    ell_inf = 2 / (1 - rho2) - 1
    ell = ell_inf - 2 * 10 * rho2**10 / (1 - rho2**10)  # 9.99: above 5
    by_hand = math.sqrt(
        (ell - 4) * (ell - 2) * ell_inf / ((ell_inf - 4) * (ell_inf - 2) * ell)
    )
    assert q[10, 0] == pytest.approx(by_hand, rel=1e-12)
    assert q[10, 0] == pytest.approx(0.0490, abs=1e-4)  # sqrt(6·8·1999/(1995·1997·10))
    ell4 = ell_inf - 2 * 4 * rho2**4 / (1 - rho2**4)  # 4.0
    assert ell4 < 5 and q[4, 0] == 0.0  # a momentum step


def test_lion_sign_is_the_sign_of_the_mix():
    # Rosenbrock at (-1.2, 1): g = (-215.6, -88); s_0 = 0, so step 1 moves by sign(g)
    traj = _traj(Lion(lr=1e-3), steps=2)
    sign = inner_state(traj)["sign"]
    assert sign[1].tolist() == [-1.0, -1.0]
    np.testing.assert_allclose(traj.xy[1] - traj.xy[0], 1e-3 * np.ones(2), rtol=1e-12)


def test_prodigy_d_after_one_step_by_hand():
    # the quadratic bowl f = (x^2 + 10 y^2)/2 from (-4.5, 2): g = (-4.5, 20).
    # Step 1 (d = d0 = 1e-6, ρ1 = 0.9, ρ2 = 0.999, ρ3 = sqrt(ρ2)): w moves by
    # dα s/(sqrt(r) + dδ) with s = (1-ρ1) d g,
    # r = (1-ρ2) d² g²: each coordinate by 1e-6 (0.1/sqrt(0.001)) = 3.1623e-6 against g.
    # Then <g, w0 - w> = 0 at step 1 (w = w0 when g is taken), so n = 0 and d stays
    # d0; at step 2 n = (d/d0) d α <g2, w0 - w1> > 0 and d = n/||a||_1 grows.
    traj = _traj(Prodigy(), steps=2, surface="quadratic")
    d = inner_state(traj)["distance"]
    assert d[1].tolist() == [1e-6, 1e-6]
    step = traj.xy[0] - traj.xy[1]
    np.testing.assert_allclose(step, [-3.16227766e-6, 3.16227766e-6], rtol=1e-6)
    # step 2 by hand: g2 = (x1, 10 y1); n = ρ3·0 + d α <g2, w0 - w1>, a = ρ3 a1 + d α g2
    rho3 = math.sqrt(0.999)
    w1, g1 = traj.xy[1], np.array([-4.5, 20.0])
    g2 = np.array([1.0, 10.0]) * w1
    n = 1e-6 * float(g2 @ (traj.xy[0] - w1))
    a = rho3 * 1e-6 * g1 + 1e-6 * g2
    assert d[2, 0] == pytest.approx(max(1e-6, n / np.abs(a).sum()), rel=1e-9)


def test_schedule_free_weight_is_one_over_t_without_warmup():
    # r = 0, weight_lr_power = 2, constant α: every weight is α², c_t = 1/t
    c = inner_state(_traj(ScheduleFreeAdamW(lr=1e-3), steps=5))["c"]
    np.testing.assert_allclose(c[1:, 0], 1 / np.arange(1, 6), rtol=1e-12)


def test_the_figure_draws_one_panel_per_inner_quantity():
    surface = get("rosenbrock")
    names = ["adam", "lion", "radam", "prodigy", "sfadamw"]
    run = run_surface(
        surface,
        {n: OPTIMIZERS[n](lr=1e-3) for n in names},
        steps=20,
        record_state=True,
    )
    record_inner_state(run)
    fig = lr_figure(surface, run)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    for word in (
        "step direction",
        "rectification",
        "distance estimate",
        "averaging weight",
    ):
        assert sum(word in t for t in titles) == 1, word
    bias = next(ax for ax in fig.axes if "bias correction" in ax.get_title(loc="left"))
    assert len(bias.get_lines()) == 2  # Adam's two divisors only
