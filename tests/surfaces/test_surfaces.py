"""Tests of single surfaces and the registry: what the contract cannot say generically."""

from dataclasses import replace

import numpy as np
import pytest
from scipy.optimize import rosen, rosen_der

from optviz.surfaces import (
    OPTIMIZER_KEYS,
    SURFACES,
    Point,
    get,
    linear_regression,
    quadratic,
)
from optviz.surfaces._math import d_sqrt_abs, divide_or_zero
from optviz.surfaces._minibatch import minibatches
from optviz.surfaces.linear_regression import TRUE_B, TRUE_W, make_data

# -- registry -------------------------------------------------------------------------


def test_get_returns_the_registered_surface():
    assert get("rosenbrock") is SURFACES["rosenbrock"]


def test_get_unknown_name_lists_close_matches():
    with pytest.raises(ValueError, match="Did you mean rosenbrock"):
        get("rosenbruck")
    with pytest.raises(ValueError, match="unknown surface 'nope'.*Known: ackley, beale"):
        get("nope")


def test_registry_has_the_promised_surfaces():
    assert {"quadratic", "linear_regression", "saddle", "monkey_saddle"} <= set(SURFACES)
    assert len(SURFACES) == 20


# -- Surface and Point validation -----------------------------------------------------


def test_point_rejects_unknown_kind_and_stores_floats():
    with pytest.raises(ValueError, match="kind must be one of"):
        Point(0, 0, 0, "local maximum")
    p = Point(np.float64(1), 2, np.float32(3))
    assert all(type(v) is float for v in (p.x, p.y, p.value))


def test_surface_rejects_inconsistent_metadata():
    s = get("booth")
    with pytest.raises(ValueError, match="increasing"):
        replace(s, domain=((1.0, -1.0), (0.0, 1.0)))
    with pytest.raises(ValueError, match="global minima only"):
        replace(s, minima=(Point(1, 3, 0, "saddle"),))
    with pytest.raises(ValueError, match="lr"):
        replace(s, lr={**s.lr, "sgd": 0.0})


# -- shared maths ---------------------------------------------------------------------


def test_non_smooth_derivatives_are_zero_where_undefined():
    np.testing.assert_array_equal(d_sqrt_abs([0.0, 4.0, -4.0]), [0.0, 0.25, -0.25])
    np.testing.assert_array_equal(divide_or_zero([1.0, 2.0], [0.0, 4.0]), [0.0, 0.5])
    assert np.all(get("ackley").grad([0.0, 0.0]) == 0)
    assert np.all(np.isfinite(get("bukin6").grad([[-10.0, 1.0], [-5.0, 0.25]])))


# -- rosenbrock -----------------------------------------------------------------------


def test_rosenbrock_agrees_with_scipy(rng):
    s = get("rosenbrock")
    xy = rng.uniform(-2, 2, size=(50, 2))
    np.testing.assert_allclose(s.value(xy), rosen(xy.T), rtol=1e-14)
    np.testing.assert_allclose(s.grad(xy), [rosen_der(p) for p in xy], rtol=1e-14)


# -- closed forms -----------------------------------------------------------------------


def test_mccormick_minimum_is_the_closed_form():
    (p,) = get("mccormick").minima
    assert p.xy == pytest.approx((0.5 - np.pi / 3, -0.5 - np.pi / 3), abs=1e-15)
    assert p.value == pytest.approx(-np.sqrt(3) / 2 - np.pi / 3, abs=1e-14)


def test_styblinski_tang_minimum_is_twice_the_1d_one():
    (p,) = get("styblinski_tang").minima
    u = min(np.roots([4, 0, -32, 5]).real)  # h'(u) = 0, the leftmost root
    assert p.x == p.y == pytest.approx(u, abs=1e-12)
    assert p.value == pytest.approx(-39.16616570377 * 2, abs=1e-9)


def test_six_hump_camel_minima_are_mirror_images():
    a, b = get("six_hump_camel").minima
    assert (a.x, a.y) == (-b.x, -b.y) and a.value == b.value
    assert a.value == pytest.approx(-1.0316, abs=1e-4)


def test_himmelblau_has_four_zeros():
    s = get("himmelblau")
    assert len(s.minima) == 4
    np.testing.assert_allclose(s.value(np.array([p.xy for p in s.minima])), 0, atol=1e-20)


# -- quadratic --------------------------------------------------------------------------


@pytest.mark.parametrize("kappa", [0.25, 1.0, 10.0, 100.0])
def test_quadratic_kappa(kappa, run_defaults):
    s = quadratic(kappa=kappa)
    assert s.name == "quadratic" and s.params == {"kappa": kappa}
    assert float(s([2.0, 1.0])) == pytest.approx(0.5 * (4 + kappa))
    np.testing.assert_allclose(s.grad([2.0, 1.0]), [2.0, kappa])
    assert s.lr["sgd"] < 2 / max(1.0, kappa)  # gradient descent's stability limit
    run = run_defaults(s)
    for k in OPTIMIZER_KEYS:
        assert int(run[k].diverged_at) == -1, k
        assert run[k].loss[-1] < run[k].loss[0], k


def test_quadratic_registry_entry_is_the_default():
    assert SURFACES["quadratic"].params == {"kappa": 10.0}


@pytest.mark.parametrize("kappa", [0.0, -1.0, np.inf, np.nan])
def test_quadratic_rejects_bad_kappa(kappa):
    with pytest.raises(ValueError, match="kappa"):
        quadratic(kappa=kappa)


# -- linear regression ------------------------------------------------------------------

N, BATCH = 40, 8


@pytest.fixture
def lin():
    return linear_regression(n=N, seed=3, noise=0.4)


def test_linear_regression_minimum_is_least_squares(lin):
    x, y = make_data(**lin.params)
    design = np.stack([x, np.ones_like(x)], axis=-1)
    (w, b), *_ = np.linalg.lstsq(design, y, rcond=None)
    (p,) = lin.minima
    np.testing.assert_allclose(p.xy, (w, b), rtol=1e-12)
    assert p.value == pytest.approx(np.mean((w * x + b - y) ** 2), rel=1e-12)
    np.testing.assert_allclose(lin.grad(np.array(p.xy)), 0, atol=1e-12)
    assert lin.params == {"n": N, "seed": 3, "noise": 0.4}


def test_linear_regression_without_noise_recovers_the_line():
    (p,) = linear_regression(n=10, seed=0, noise=0.0).minima
    np.testing.assert_allclose(p.xy, (TRUE_W, TRUE_B), atol=1e-12)
    assert p.value == pytest.approx(0, abs=1e-24)


def test_linear_regression_seed_decides_the_data():
    a, b, c = (linear_regression(seed=s).minima[0] for s in (1, 1, 2))
    assert a == b and a != c


@pytest.mark.parametrize("batch_size", [BATCH, 16])  # 16 does not divide 40
def test_minibatch_gradients_average_to_the_full_gradient_over_an_epoch(lin, batch_size):
    xy = np.array([[0.5, -1.0], [3.0, 2.0]])  # two points share each mini-batch
    grad_fn = lin.minibatch(batch_size, np.random.default_rng(0))
    sizes = [min(batch_size, N - start) for start in range(0, N, batch_size)]
    epoch = sum(size * grad_fn(xy) for size in sizes) / N
    np.testing.assert_allclose(epoch, lin.grad(xy), rtol=1e-12)


def test_minibatch_gradients_are_noisy(lin):
    grad_fn = lin.minibatch(BATCH, np.random.default_rng(0))
    xy = np.array([0.5, -1.0])
    first, second = grad_fn(xy), grad_fn(xy)
    assert not np.allclose(first, second)


def test_each_epoch_visits_every_sample_once():
    batches = minibatches(N, 16, np.random.default_rng(5))
    orders = []
    for _ in range(3):
        epoch = [next(batches) for _ in range(3)]  # 16 + 16 + 8
        assert [len(i) for i in epoch] == [16, 16, 8]
        order = np.concatenate(epoch)
        np.testing.assert_array_equal(np.sort(order), np.arange(N))
        orders.append(order)
    assert not np.array_equal(orders[0], orders[1])  # a fresh permutation per epoch


def test_same_seed_same_batches(lin):
    xy = np.array([1.0, 1.0])

    def grads(seed):
        grad_fn = lin.minibatch(BATCH, np.random.default_rng(seed))
        return np.array([grad_fn(xy) for _ in range(12)])

    np.testing.assert_array_equal(grads(7), grads(7))
    assert not np.allclose(grads(7), grads(8))


@pytest.mark.parametrize("batch_size", [0, N + 1])
def test_batch_size_out_of_range(lin, batch_size):
    with pytest.raises(ValueError, match=rf"batch_size must be in \[1, {N}\]"):
        lin.minibatch(batch_size, np.random.default_rng(0))


def test_minibatch_runs_do_not_diverge(run_defaults):
    s = get("linear_regression")
    run = run_defaults(s, batch_size=BATCH, seed=1)
    for k in OPTIMIZER_KEYS:
        assert int(run[k].diverged_at) == -1, k
        assert run[k].loss[-1] < run[k].loss[0], k


@pytest.mark.parametrize(
    "kwargs, match",
    [({"n": 1}, "n must"), ({"n": 2.5}, "n must"), ({"noise": -1}, "noise")],
)
def test_linear_regression_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        linear_regression(**kwargs)
