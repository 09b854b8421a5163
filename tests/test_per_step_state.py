"""The per-step numbers of a state (NAdam's Π, ASGD's η and m, Schedule-Free's largest
rate and sum of weights): one number per step, shaped as the hyper-parameters, moved on
once per step however many blocks a large parameter is cut into, and held at the
parameter's shape in checkpoints (the layout of earlier versions, which still loads)."""

import numpy as np
import pytest

from optviz.optimizers import ASGD, BLOCK, OPTIMIZERS, NAdam, ScheduleFreeSGD

PER_STEP = sorted(name for name, cls in OPTIMIZERS.items() if cls.per_step)


def test_the_classes_that_keep_per_step_numbers():
    assert NAdam.per_step == ("mu_product",)
    assert ASGD.per_step == ("eta", "m")
    assert OPTIMIZERS["sfsgd"].per_step == OPTIMIZERS["sfadamw"].per_step
    assert PER_STEP == ["asgd", "nadam", "sfadamw", "sfsgd"]


def test_nadams_product_by_hand():
    # ψ = 0: μ_t = ρ1 (1 − 0.5) = 0.45 every step, so Π_3 = 0.45³
    opt = NAdam(momentum_decay=0.0)
    w = np.zeros(5)
    for _ in range(3):
        opt.step(w, np.ones(5))
    assert opt.state[0].mu_product.shape == ()
    assert opt.state[0].mu_product == pytest.approx(0.45**3, rel=1e-15)


def test_asgds_rate_by_hand():
    # η_{t+1} = α / (1 + λ α t)^c: after 2 steps with α = 0.1, λ = 1, c = 1: 0.1 / 1.2
    opt = ASGD(lr=0.1, lambd=1.0, alpha=1.0, t0=0.0)
    w = np.zeros(4)
    for _ in range(2):
        opt.step(w, np.ones(4))
    assert float(opt.state[0].eta) == pytest.approx(0.1 / 1.2, rel=1e-15)
    assert float(opt.state[0].m) == 0.5  # 1 / max(1, t − t0) at t = 2


@pytest.mark.parametrize("name", PER_STEP)
def test_one_large_parameter_steps_as_its_pieces(rng, name):
    # a parameter cut into blocks moves exactly as its pieces stepped apart: the
    # per-step numbers move once per step, not once per block
    n = 2 * BLOCK + 7
    w = rng.standard_normal(n)
    grads = [rng.standard_normal(n) for _ in range(4)]
    whole, parts = OPTIMIZERS[name](), OPTIMIZERS[name]()
    cuts = [slice(0, 5), slice(5, BLOCK), slice(BLOCK, n)]
    pieces = [w[c].copy() for c in cuts]
    for g in grads:
        whole.step(w, g)
        parts.step(pieces, [g[c] for c in cuts])
    np.testing.assert_array_equal(w, np.concatenate(pieces))
    for key in OPTIMIZERS[name].per_step:
        assert getattr(whole.state[0], key) == getattr(parts.state[1], key)


@pytest.mark.parametrize("name", PER_STEP)
def test_batched_hyper_parameters_give_one_number_per_configuration(rng, name):
    cls = OPTIMIZERS[name]
    key, values = {
        "nadam": ("momentum_decay", [0.0, 4e-3, 0.1]),
        "asgd": ("t0", [0.0, 2.0, 1e6]),
    }.get(name, ("warmup_steps", [0.0, 3.0, 10.0]))
    w0 = rng.standard_normal((3, 5))
    grads = [rng.standard_normal((3, 5)) for _ in range(5)]
    opt, w = cls(**{key: np.array(values)[:, None]}), w0.copy()
    for g in grads:
        opt.step(w, g)
    for field in cls.per_step:
        assert getattr(opt.state[0], field).shape == (3, 1)
    for row, value in enumerate(values):  # each configuration alone, a number each
        alone, v = cls(**{key: value}), w0[row].copy()
        for g in grads:
            alone.step(v, g[row])
        # NumPy's power of an array and of a number may differ in the last bit
        np.testing.assert_allclose(w[row], v, rtol=1e-13)
        for field in cls.per_step:
            held = getattr(opt.state[0], field)[row, 0]
            assert held == pytest.approx(float(getattr(alone.state[0], field)), rel=1e-14)


@pytest.mark.parametrize("name", PER_STEP)
def test_checkpoints_hold_the_parameters_shape_and_resume(rng, name):
    cls = OPTIMIZERS[name]
    w, grads = rng.standard_normal(6), [rng.standard_normal(6) for _ in range(6)]
    straight, w_straight = cls(), w.copy()
    for g in grads:
        straight.step(w_straight, g)
    first = cls()
    for g in grads[:3]:
        first.step(w, g)
    saved = first.state_dict()
    for field in cls.per_step:  # the layout of earlier versions: one value per element
        assert saved["state"][0][field].shape == (6,)
        assert np.all(saved["state"][0][field] == getattr(first.state[0], field))
    resumed = cls()
    resumed.load_state_dict(saved)
    for field in cls.per_step:
        assert getattr(resumed.state[0], field).shape == ()
    for g in grads[3:]:
        resumed.step(w, g)
    np.testing.assert_array_equal(w, w_straight)


def test_a_checkpoint_whose_per_step_number_differs_is_refused(rng):
    opt, w = NAdam(), rng.standard_normal(4)
    opt.step(w, rng.standard_normal(4))
    saved = opt.state_dict()
    saved["state"][0]["mu_product"][2] = 0.5
    fresh = NAdam()
    with pytest.raises(ValueError, match="state 0: mu_product must be one number per"):
        fresh.load_state_dict(saved)
    assert fresh.state == []


def test_schedule_free_reads_the_step_before(rng):
    # c_1 = 1 (the only weight so far), c_2 = 1/2 with r = 0 and a constant rate
    opt, w = ScheduleFreeSGD(lr=0.1), rng.standard_normal(3)
    opt.step(w, rng.standard_normal(3))
    assert float(opt.state[0].weight_sum) == pytest.approx(0.1**2)
    lr, lr_max, weight_sum, c = opt._weight(_next(opt.state[0]), 0.1)
    assert (lr, lr_max, c) == pytest.approx((0.1, 0.1, 0.5))
    assert weight_sum == pytest.approx(2 * 0.1**2)


def _next(st):
    import copy

    st = copy.copy(st)
    st.t += 1
    return st


@pytest.mark.parametrize("name", PER_STEP)
def test_a_batched_checkpoint_resumes_with_one_number_per_configuration(rng, name):
    cls = OPTIMIZERS[name]
    key = {"nadam": "momentum_decay", "asgd": "t0"}.get(name, "warmup_steps")
    kw = {key: np.array([[0.0], [2.0], [10.0]]) * (1e-2 if name == "nadam" else 1)}
    w, grads = rng.standard_normal((3, 4)), [rng.standard_normal((3, 4)) for _ in range(6)]
    straight, w_straight = cls(**kw), w.copy()
    for g in grads:
        straight.step(w_straight, g, points=True)
    first = cls(**kw)
    for g in grads[:3]:
        first.step(w, g, points=True)
    resumed = cls(**kw)
    resumed.load_state_dict(first.state_dict())
    for field in cls.per_step:
        assert getattr(resumed.state[0], field).shape == (3, 1)
    for g in grads[3:]:
        resumed.step(w, g, points=True)
    np.testing.assert_array_equal(w, w_straight)
