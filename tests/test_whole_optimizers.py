"""Adafactor, Muon and Prodigy: the optimizers whose step needs a whole parameter (a
norm, row and column factors, an orthogonalisation) or all of them (Prodigy's shared
estimate d). Hand-computed steps; the golden tests against torch and prodigyopt are in
test_against_zoo.py."""

import math

import numpy as np
import pytest

from optviz.optimizers import Adafactor, Muon, Prodigy
from optviz.optimizers.matrix import NS_COEFFICIENTS


# -- Adafactor ----------------------------------------------------------------------------
def test_adafactor_first_step_on_a_vector_is_alpha_t_times_the_sign():
    # t = 1: 1 - ρ̂2 = 1, so r = g², u = g/|g| = sign(g), RMS(u) = 1 (no clipping);
    # α_t = max(δ2, RMS(w)) min(α, 1) = sqrt((9 + 16)/2) * 0.01
    w = np.array([3.0, -4.0])
    Adafactor(lr=0.01).step(w, np.array([0.5, -2.0]))
    alpha_t = math.sqrt(12.5) * 0.01
    np.testing.assert_allclose(w, [3.0 - alpha_t, -4.0 + alpha_t], rtol=1e-15)


def test_adafactor_factors_a_matrix_into_row_and_column_means():
    # g² = [[1, 4], [9, 16]]: row means R = [2.5, 12.5], column means C = [5, 10];
    # r̂ = R C / mean(R) = R C / 7.5
    opt = Adafactor(lr=0.01)
    w, g = np.ones((2, 2)), np.array([[1.0, 2.0], [3.0, 4.0]])
    opt.step(w, g)
    st = opt.state[0]
    np.testing.assert_allclose(st.R, [[2.5], [12.5]], rtol=1e-15)
    np.testing.assert_allclose(st.C, [[5.0, 10.0]], rtol=1e-15)
    assert st.r is None
    r_hat = np.array([[12.5, 25.0], [62.5, 125.0]]) / 7.5
    u = g / np.sqrt(r_hat)  # RMS(u) = 1.0 here: (1 + 4 + 9 + 16)/4 / ... by hand below
    rms_u = math.sqrt(np.mean(u * u))
    step = 1.0 * 0.01 / max(1.0, rms_u) * u  # α_t = max(δ2, RMS(1)) min(α, 1) = 0.01
    np.testing.assert_allclose(w, 1.0 - step, rtol=1e-14)
    np.testing.assert_allclose(opt.effective_lr() * g, step, rtol=1e-14)


def test_adafactor_points_are_vectors_each_scaled_by_its_own_size():
    w = np.array([[3.0, -4.0], [0.3, 0.4]])
    Adafactor(lr=0.01).step(w, np.ones((2, 2)), points=True)
    a, b = math.sqrt(12.5) * 0.01, math.sqrt(0.125) * 0.01  # RMS of each row
    np.testing.assert_allclose(w, [[3 - a, -4 - a], [0.3 - b, 0.4 - b]], rtol=1e-14)


# -- Muon ---------------------------------------------------------------------------------
def _quintic(x, steps=5):
    a, b, c = NS_COEFFICIENTS
    for _ in range(steps):
        x = a * x + b * x**3 + c * x**5
    return x


def test_muon_on_a_point_steps_along_g_by_what_the_quintic_leaves_of_one():
    # a 1 x 2 matrix has one singular value: normalised, it is 1, and each Newton-Schulz
    # step maps it to a x + b x³ + c x⁵; the direction is g/|g| = (0.6, 0.8)
    w = np.array([1.0, 2.0])
    Muon(lr=0.1, weight_decay=0.0).step(w, np.array([3.0, 4.0]), points=True)
    length = 0.1 * _quintic(1.0)
    np.testing.assert_allclose(w, [1 - 0.6 * length, 2 - 0.8 * length], rtol=1e-14)
    assert 0.5 < _quintic(1.0) < 1.5


def test_muon_keeps_g_singular_vectors_and_moves_its_singular_values_near_one(rng):
    g = rng.standard_normal((4, 3)) * np.array([10.0, 1.0, 0.1])
    opt = Muon(lr=0.1)
    opt.step(rng.standard_normal((4, 3)), g)
    U, S, Vt = np.linalg.svd(g, full_matrices=False)
    inner = U.T @ opt.state[0].O @ Vt.T  # diagonal: O = U f(S) V^T
    off = inner - np.diag(np.diag(inner))
    assert np.max(np.abs(off)) < 1e-12
    # each singular value σ/‖g‖ is mapped by five quintic steps
    np.testing.assert_allclose(np.diag(inner), _quintic(S / np.linalg.norm(g)), rtol=1e-12)


@pytest.mark.parametrize("shape", [(3,), (), (2, 2, 2)])
def test_muon_takes_matrices_only(shape):
    w = np.ones(shape)
    opt = Muon()
    with pytest.raises(ValueError, match=r"^muon takes matrices only: parameter 0 has"):
        opt.step(w, np.ones(shape))
    assert opt.state == [] and np.all(w == 1)


def test_muon_refuses_a_read_only_matrix_and_changes_nothing(rng):
    opt, w = Muon(lr=0.1), rng.standard_normal((2, 3))
    opt.step(w, rng.standard_normal((2, 3)))
    w.flags.writeable = False
    s = opt.state[0].s.copy()
    with pytest.raises(ValueError, match="parameter 0 is read-only"):
        opt.step(w, np.ones((2, 3)))
    np.testing.assert_array_equal(opt.state[0].s, s)
    assert opt.state[0].t == 1


def test_muon_float32_stays_float32_and_reset_starts_over(rng):
    w = np.ones((2, 3), dtype=np.float32)
    opt = Muon(lr=0.1)
    opt.step(w, np.ones((2, 3), dtype=np.float32))
    assert w.dtype == np.float32 and np.all(w < 1)
    opt.reset()
    opt.step(np.zeros((3, 2)), np.ones((3, 2)))  # another shape after reset()


def test_points_cannot_change_without_reset(rng):
    opt = Adafactor()
    opt.step(np.ones((2, 2)), np.ones((2, 2)), points=True)
    with pytest.raises(ValueError, match=r"points=False after steps with points=True"):
        opt.step(np.ones((2, 2)), np.ones((2, 2)))


# -- Prodigy ------------------------------------------------------------------------------
def test_prodigy_first_steps_by_hand():
    # step 1: d = d0, s = d0 (1 - ρ1) g, r = d0² (1 - ρ2) g², no distance yet (w = w0)
    # so d stays d0 and w moves by d0 s/(√r + d0 δ) = d0 (1-ρ1) g/(d0 √(1-ρ2)|g| + d0 δ)
    d0, g = 1e-6, np.array([2.0, 0.5])
    w = np.array([1.0, -1.0])
    opt = Prodigy()
    opt.step(w, g.copy())
    delta = 0.1 * g / (math.sqrt(0.001) * np.abs(g) + 1e-8)  # w0 - w, in units of d0
    np.testing.assert_allclose(w, [1.0, -1.0] - d0 * delta, rtol=1e-12)
    assert opt.state[0].d[0] == d0
    # step 2: n = d0 <g, w0 - w1>, a = (ρ3 + 1) d0 g with ρ3 = √ρ2: d = n/‖a‖₁
    moved = np.array([1.0, -1.0]) - w  # w0 - w1 as stored (d0 delta, rounded)
    opt.step(w, g.copy())
    d2 = d0 * np.dot(g, moved) / ((1 + math.sqrt(0.999)) * d0 * np.sum(np.abs(g)))
    np.testing.assert_allclose(opt.state[0].d, d2, rtol=1e-12)
    assert d2 > d0


def test_prodigy_shares_one_estimate_across_parameters(rng):
    # d sums over every parameter: two parameters step as their concatenation does
    a, b = rng.standard_normal(3), rng.standard_normal((2, 2))
    joint, whole = [a.copy(), b.copy()], np.concatenate([a, b.ravel()])
    one, two = Prodigy(d0=1e-2), Prodigy(d0=1e-2)
    for _ in range(20):
        ga, gb = rng.standard_normal(3), rng.standard_normal((2, 2))
        one.step(joint, [ga, gb])
        two.step(whole, np.concatenate([ga, gb.ravel()]))
    np.testing.assert_allclose(np.concatenate([joint[0], joint[1].ravel()]), whole)
    assert one.state[0].d[0] == one.state[1].d[0, 0] > 1e-2


def test_prodigy_refuses_an_array_rate_unless_points():
    opt = Prodigy(lr=np.array([[1.0], [0.5]]))
    with pytest.raises(ValueError, match="^prodigy shares one estimate d .* lr must be"):
        opt.step(np.ones((2, 2)), np.ones((2, 2)))
    opt.step(np.ones((2, 2)), np.ones((2, 2)), points=True)  # each row its own d
    assert opt.state[0].d.shape == (2, 2)


def test_prodigy_moves_nothing_while_the_gradient_sum_is_zero():
    # the reference returns before the step while ‖a‖₁ = 0
    w = np.array([1.0, 2.0])
    opt = Prodigy()
    opt.step(w, np.zeros(2))
    np.testing.assert_array_equal(w, [1.0, 2.0])
    assert opt.state[0].k[0] == 0


@pytest.mark.parametrize(
    ("name", "shapes"),
    [
        ("adafactor", [(3,)]),
        ("adafactor", [(4, 3), (3,), (2, 2, 3)]),  # row and column factors
        ("muon", [(2, 3)]),
        ("prodigy", [(3,), (2, 2)]),
    ],
)
def test_a_checkpoint_resumes_bit_for_bit(rng, name, shapes):
    from optviz.optimizers import OPTIMIZERS

    cls = OPTIMIZERS[name]
    w0 = [rng.standard_normal(s) for s in shapes]
    grads = [[rng.standard_normal(s) for s in shapes] for _ in range(6)]
    straight, paused = [w.copy() for w in w0], [w.copy() for w in w0]
    one, two = cls(lr=0.1), cls(lr=0.1)
    for g in grads:
        one.step(straight, g)
    for g in grads[:3]:
        two.step(paused, g)
    resumed = cls(lr=0.1)
    resumed.load_state_dict(two.state_dict())
    for g in grads[3:]:
        resumed.step(paused, g)
    for a, b in zip(straight, paused):
        np.testing.assert_array_equal(a, b)


def test_adafactor_checkpoints_say_their_form_and_bad_factors_are_refused(rng):
    from optviz.optimizers import Adafactor

    # a matrix of points (points=True) keeps r, not factors: it resumes as points
    w0, grads = rng.standard_normal((5, 2)), rng.standard_normal((4, 5, 2))
    straight, paused = w0.copy(), w0.copy()
    one, two = Adafactor(lr=0.1), Adafactor(lr=0.1)
    for g in grads:
        one.step(straight, g, points=True)
    for g in grads[:2]:
        two.step(paused, g, points=True)
    assert sorted(two.state_dict()["state"][0]) == ["alpha_t", "r", "shape", "t"]
    resumed = Adafactor(lr=0.1)
    resumed.load_state_dict(two.state_dict())
    for g in grads[2:]:
        resumed.step(paused, g, points=True)
    np.testing.assert_array_equal(straight, paused)
    # a matrix's checkpoint: R is (4, 1), C is (1, 3); a wrong one names the field
    opt = Adafactor()
    opt.step(np.ones((4, 3)), rng.standard_normal((4, 3)))
    checkpoint = opt.state_dict()
    assert checkpoint["state"][0]["R"].shape == (4, 1)
    assert checkpoint["state"][0]["C"].shape == (1, 3)
    checkpoint["state"][0]["C"] = np.ones((3, 1))
    with pytest.raises(
        ValueError, match=r"^state 0: C has shape \(3, 1\), the state \(1, 3\)$"
    ):
        Adafactor().load_state_dict(checkpoint)
    checkpoint["state"][0]["C"] = -np.ones((1, 3))
    with pytest.raises(ValueError, match=r"^state 0: C must be finite and >= 0"):
        Adafactor().load_state_dict(checkpoint)
