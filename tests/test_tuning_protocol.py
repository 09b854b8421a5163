"""The fair comparison protocol (issue 20): known answers on quadratics, widening,
edges, the same starts and the same gradient evaluations for every optimizer, and the
same tables from the same seed."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from optviz.optimizers import OPTIMIZERS, SGD
from optviz.surfaces import get
from optviz.surfaces.quadratic import quadratic
from optviz.tuning import parse_grid, random_starts, tune_suite
from optviz.tuning.batch import run_grid
from optviz.tuning.grids import (
    MAX_WORK,
    accepts,
    axis_values,
    default_axes,
    widened,
    zoom_values,
)
from optviz.tuning.teaching import with_values

QUAD = get("quadratic")  # 0.5 (x^2 + 10 y^2): curvatures 1 and 10


def _closed_forms(lmin: float, lmax: float) -> tuple[float, float, float]:
    """SGD's α* = 2/(L + μ); heavy ball's α* = 4/(√L + √μ)², β* = ((√κ-1)/(√κ+1))²."""
    kappa = lmax / lmin
    sgd = 2 / (lmax + lmin)
    alpha = 4 / (math.sqrt(lmax) + math.sqrt(lmin)) ** 2
    beta = ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2
    return sgd, alpha, beta


def test_the_closed_forms_of_kappa_10_by_hand():
    sgd, alpha, beta = _closed_forms(1.0, 10.0)
    assert sgd == pytest.approx(2 / 11)
    assert alpha == pytest.approx(4 / (1 + 10**0.5) ** 2) and alpha == pytest.approx(
        0.2309, abs=1e-4
    )
    assert beta == pytest.approx(0.2699, abs=1e-4)


@pytest.mark.parametrize("seed", [0, 1])
def test_tuned_momentum_and_sgd_match_the_closed_forms_on_the_built_in_quadratic(seed):
    # the target: 8 starts, budget 300, default grids
    t = tune_suite([QUAD], ["sgd", "momentum"], starts=8, budgets=(300,), seed=seed)
    sgd, alpha, beta = _closed_forms(1.0, 10.0)
    mom = t.choice(t["quadratic", "momentum"])
    assert mom["status"] == "best"
    assert 1 / 1.5 < mom["settings"]["lr"] / alpha < 1.5
    assert abs(mom["settings"]["momentum"] - beta) < 0.15
    plain = t.choice(t["quadratic", "sgd"])
    assert plain["status"] == "best"
    assert 1 / 1.3 < plain["settings"]["lr"] / sgd < 1.3  # the zoomed spacing, 1.27


def test_tuned_sgd_follows_the_closed_form_as_kappa_changes():
    for kappa in (4.0, 25.0):
        t = tune_suite([quadratic(kappa)], ["sgd"], starts=4, budgets=(300,), seed=0)
        lr = t.choice(t["quadratic", "sgd"])["settings"]["lr"]
        assert 1 / 1.3 < lr / (2 / (1 + kappa)) < 1.3


def test_an_optimum_beyond_the_first_grid_is_found_by_widening():
    # α from 1e-4 to 1e-2: the best, 2/11, is 1.3 decades above the grid
    grid = dict([parse_grid("lr=1e-4:1e-2:5")])
    t = tune_suite([QUAD], ["sgd"], grids=grid, starts=4, budgets=(300,), seed=0)
    s = t["quadratic", "sgd"]
    c = t.choice(s)
    assert c["status"] == "best" and not c["edges"]
    assert s.stage[c["index"]] >= 1  # found among the widened values
    assert s.column("lr").max() > 0.18 > 1e-2 == s.first_grid["lr"][1]
    assert 1 / 1.5 < c["settings"]["lr"] / (2 / 11) < 1.5


def test_a_best_that_stays_at_an_edge_is_marked_edge_and_never_called_best():
    grid = dict([parse_grid("lr=1e-3:1e-2:3")])
    t = tune_suite(
        [QUAD], ["sgd", "momentum"], grids=grid, starts=4, budgets=(1000,), seed=0, widen=0
    )
    c = t.choice(t["quadratic", "sgd"])
    assert c["status"] == "edge" and c["edges"] == ["lr>"]
    board = t.leaderboard()
    row = board[board.label == "sgd"].iloc[0]
    assert row.status == "edge" and row.edge == "lr>"
    assert "sgd" not in set(t.winners().winner)
    assert "edge" in repr(t).splitlines()[1]


def test_beta_zero_is_a_limit_not_an_edge():
    # β = 0 is the least momentum can have: a best there is no grid edge
    t = tune_suite(
        [QUAD], ["momentum"], grids={"momentum": [0.0]}, starts=2, budgets=(100,), seed=0
    )
    c = t.choice(t["quadratic", "momentum"])
    assert c["status"] == "best" and c["settings"]["momentum"] == 0.0


def test_every_optimizer_sees_the_same_starts_and_the_same_gradient_evaluations():
    seen: dict[str, list] = {}
    current = {"label": None}

    def counting(xy):
        seen.setdefault(current["label"], []).append(np.array(xy))
        return QUAD.grad(xy)

    surface = dataclasses.replace(QUAD, grad=counting)
    budget, k = 20, 3
    small = {"lr": np.geomspace(1e-3, 1e-2, 4)}  # nothing diverges: nothing dropped
    for label in ("sgd", "momentum", "rmsprop", "adam"):
        current["label"] = label
        t = tune_suite(
            [surface], [label], grids=small, starts=k, budgets=(5, budget), seed=7,
            widen=0,
        )  # fmt: skip
        s = t["quadratic", label]
        calls = seen[label]
        # every run (one per widening or zoom stage) takes `budget` gradients, each call
        # over all its configurations x starts at once: (C, K, 2)
        rows = sum(c.shape[0] * c.shape[1] for c in calls)
        assert rows == len(s.values) * k * budget
        first = calls[0][0]
        np.testing.assert_array_equal(first, random_starts(QUAD, k, 7))
        np.testing.assert_array_equal(first, t.starts["quadratic"])
        # each configuration starts from the same K starts, in order
        np.testing.assert_array_equal(calls[0], np.broadcast_to(first, calls[0].shape))
    assert t.sidecar()["gradient_evaluations_per_run"] == budget


def test_a_configuration_whose_starts_all_diverged_is_dropped_and_changes_no_number():
    calls = []

    def counting(xy):
        calls.append(xy.shape[0])
        return QUAD.grad(xy)

    surface = dataclasses.replace(QUAD, grad=counting)
    starts = random_starts(QUAD, 4, 0)
    # α = 0.05 converges, 0.5 and 5 leave the domain within a few steps (λmax = 10)
    configs = np.array([[0.05], [0.5], [5.0], [0.1]])
    proto = SGD(lr=0.1)
    together = run_grid(surface, proto, ["lr"], configs, starts, [10, 200], 1e-6)
    assert calls[0] == 4 and calls[-1] == 2  # the two diverged ones were dropped
    assert len(calls) == 200
    for i in range(len(configs)):
        alone = run_grid(QUAD, proto, ["lr"], configs[i : i + 1], starts, [10, 200], 1e-6)
        for key in ("hit", "gap", "auc", "diverged"):
            np.testing.assert_array_equal(together[key][:, i], alone[key][:, 0])
    assert together["diverged"][1, 1:3].all() and not together["diverged"][1, [0, 3]].any()
    assert np.isinf(together["gap"][1, 1:3]).all()
    assert (together["hit"][1, 1:3] == -1).all()
    # SGD at α = 0.1 on λ = (1, 10): |1 - αλ| = 0.9 on the slow axis, hits 1e-6 in time
    assert (together["hit"][1, 3] > 0).all()


def test_starts_lie_in_the_domain_and_follow_the_seed():
    s = random_starts(get("rosenbrock"), 50, 3)
    (x0, x1), (y0, y1) = get("rosenbrock").domain
    assert s.shape == (50, 2)
    assert np.all((s[:, 0] >= x0) & (s[:, 0] <= x1) & (s[:, 1] >= y0) & (s[:, 1] <= y1))
    np.testing.assert_array_equal(s, random_starts(get("rosenbrock"), 50, 3))
    assert not np.array_equal(s, random_starts(get("rosenbrock"), 50, 4))


def test_the_same_seed_gives_the_same_tables():
    def run(seed):
        return tune_suite(
            [QUAD, get("booth")], ["sgd", "rmsprop"], starts=3, budgets=(10, 50), seed=seed
        )

    a, b = run(5), run(5)
    assert a == b
    assert a.leaderboard().equals(b.leaderboard())
    assert a.winners().equals(b.winners())
    assert not run(6).to_frame().equals(a.to_frame())


def test_failures_and_divergences_are_reported_not_hidden():
    # SGD on Rosenbrock reaches no f - f* < 1e-6 in 30 steps from any start
    t = tune_suite([get("rosenbrock")], ["sgd"], starts=4, budgets=(30,), seed=0, widen=0)
    s = t["rosenbrock", "sgd"]
    c = t.choice(s)
    assert c["status"] == "failed" and c["index"] is None and c["value"] == math.inf
    row = t.leaderboard().iloc[0]
    assert not row.solved and row.status == "failed" and row.failed_configs == len(s.values)
    assert s.diverged.max() == 4  # the largest α send every start away
    assert t.winners().iloc[0].winner == ""


def test_a_surface_without_a_minimum_solves_nothing():
    t = tune_suite([get("saddle")], ["sgd"], starts=2, budgets=(20,), seed=0, widen=0)
    assert t.choice(t["saddle", "sgd"])["status"] == "failed"


def test_the_final_gap_objective_picks_the_lowest_median_gap():
    t = tune_suite([QUAD], ["sgd"], starts=4, budgets=(15,), seed=0, objective="final")
    s = t["quadratic", "sgd"]
    i = t.choice(s)["index"]
    assert s.gap[i, 0] == np.min(s.gap[:, 0])
    lr = s.values[i, 0]
    assert 0.1 < lr < 0.2  # both curvatures shrink fastest near 2/11


def test_ties_are_counted():
    # every start within tol of the minimum already: every α "reaches" it at step 0
    tiny = dataclasses.replace(QUAD, domain=((-1e-4, 1e-4), (-1e-4, 1e-4)))
    t = tune_suite(
        [tiny],
        ["sgd"],
        grids={"lr": axis_values("lr", 0.01, 0.1, 4)},
        starts=2,
        budgets=(5,),
        seed=0,
        widen=0,
    )
    c = t.choice(t["quadratic", "sgd"])
    assert c["value"] == 0 and c["ties"] == len(t["quadratic", "sgd"].values) >= 4
    assert t.leaderboard().iloc[0].ties == c["ties"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("lr=1:0.1:5", "reversed"),
        ("lr=-1:1:5", "MIN > 0"),
        ("lr=0.1:1:0", "empty"),
        ("momentum=0.5:1.5:4", "must lie in [0, 0.9999]"),
        ("momentum=-0.5:0.5:4", "must lie in"),
        ("eps=1:2:3", "grid key must be one of lr, momentum, rho, rho1, rho2"),
        ("lr=a:1:3", "with numbers"),
        ("lr=0.1:1", "KEY=MIN:MAX:N"),
        ("lr=0.1:1:5000", "at most 1000"),
    ],
)
def test_bad_grids_are_one_line_errors(text, message):
    with pytest.raises(ValueError, match=None) as err:
        parse_grid(text)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_too_much_work_is_refused_saying_by_how_much():
    grids = {"lr": axis_values("lr", 1e-3, 1, 1000)}
    with pytest.raises(ValueError) as err:
        tune_suite([QUAD], ["sgd"], grids=grids, starts=10_000, budgets=(1000,))
    # 1000 x 10,000 x 1000 = 1e10 = 5x the cap
    assert "1e+10 gradient evaluations" in str(err.value)
    assert f"{1e10 / MAX_WORK:.3g}x the cap" in str(err.value)


def test_grids_are_even_in_log_alpha_and_log_one_minus_beta():
    np.testing.assert_allclose(axis_values("lr", 1e-3, 1e-1, 3), [1e-3, 1e-2, 1e-1])
    np.testing.assert_allclose(axis_values("momentum", 0.0, 0.99, 3), [0, 0.9, 0.99])
    # widening adds values at the same spacing beyond the end, β never past 0.9999
    np.testing.assert_allclose(widened("lr", np.array([1e-3, 1e-2]), ">")[-1], 1e3)
    np.testing.assert_allclose(
        widened("momentum", np.array([0.9, 0.99]), ">"), [0.9, 0.99, 0.999, 0.9999]
    )
    np.testing.assert_allclose(
        widened("momentum", np.array([0.9, 0.99]), "<"), [0, 0.9, 0.99]
    )
    np.testing.assert_allclose(
        zoom_values("lr", np.array([1e-2, 1.0, 100.0]), 1.0), [1e-2, 0.1, 1, 10, 100]
    )


def test_a_value_below_the_minimum_is_not_counted_as_reaching_it():
    # f* stated 1 above the bowl's true minimum: iterates converge to f = 0, where
    # f - f* = -1 < tol; |f - f*| = 1 is no success (outside a domain, Eggholder
    # falls below its f* the same way)
    from optviz.surfaces._surface import Point

    wrong = dataclasses.replace(QUAD, minima=(Point(0.0, 0.0, 1.0),))
    t = tune_suite([wrong], ["sgd"], starts=2, budgets=(100,), seed=0, widen=0)
    s = t["quadratic", "sgd"]
    assert t.choice(s)["status"] == "failed" and s.solved.max() == 0


def test_a_runner_gets_the_largest_searches_first_and_the_record_keeps_their_order():
    seen = []

    def runner(fn, jobs, progress):
        seen.extend(job[1] for job in jobs)
        return [fn(*job) for job in jobs]

    kw = dict(starts=2, budgets=(5,), seed=0, widen=0)
    t = tune_suite([QUAD], ["sgd", "adam", "momentum"], runner=runner, **kw)
    assert seen == ["adam", "momentum", "sgd"]  # 20 x 6 x 3, 20 x 6, 20 settings
    assert [s.name for s in t] == ["sgd", "adam", "momentum"]
    here = tune_suite([QUAD], ["sgd", "adam", "momentum"], **kw)
    for a, b in zip(t, here):
        np.testing.assert_array_equal(a.steps, b.steps)
        np.testing.assert_array_equal(a.values, b.values)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_default_grid_value_is_one_its_optimizer_accepts(name):
    # the grid is cut by the class's own checks, not by its name
    proto = OPTIMIZERS[name]()
    for key, values in default_axes(proto, 1e-2).items():
        for v in values:
            with_values(proto, {key: float(v)})  # raises on a refused value


def test_schedule_free_searches_the_default_grid_without_beta_zero():
    # Schedule-Free's β (ρ1) must be in (0, 1); the other points of the grid stay
    momentum = default_axes("momentum", 1.0)["momentum"]
    assert momentum[0] == 0.0
    np.testing.assert_array_equal(
        default_axes(OPTIMIZERS["sfsgd"](), 1.0)["momentum"], momentum[1:]
    )
    sf, adam = default_axes(OPTIMIZERS["sfadamw"](), 1.0), default_axes("adam", 1.0)
    np.testing.assert_array_equal(sf["rho1"], adam["rho1"][1:])
    np.testing.assert_array_equal(sf["rho2"], [0.9, 0.99, 0.999])
    assert not accepts(OPTIMIZERS["sfsgd"](), "momentum", 0.0)
    assert accepts(OPTIMIZERS["momentum"](), "momentum", 0.0)
    # widening below the grid's lowest β would reach 0: refused, nothing added
    axis = np.array([0.9, 0.99])
    np.testing.assert_array_equal(
        widened("momentum", axis, "<", OPTIMIZERS["sfsgd"]()), axis
    )


def test_schedule_free_tunes_by_the_default_protocol():
    t = tune_suite([QUAD], ["sfsgd", "sfadamw"], starts=2, budgets=(50,), seed=0)
    for label, key in (("sfsgd", "momentum"), ("sfadamw", "rho1")):
        assert t["quadratic", label].column(key).min() > 0.6
    assert "sfadamw, sfsgd without 0, which it refuses" in t.grids["summary"]
