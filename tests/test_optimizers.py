"""The update rules: a step worked out by hand for each, and the properties they promise.

Hand-computed numbers are chosen so every square root is exact; the working is in the
comment above each check, never computed by the code under test. Tests that hold for
every optimizer are parametrized over ``OPTIMIZERS``: a new optimizer needs one line in
``STATE_FIELDS`` (and values in ``BATCH_VALUES`` only if it brings a new hyper-parameter).

``Signum`` below is a toy optimizer defined and registered here (one class, one
``register`` line in a fixture that restores the registry): every contract test covers
it, and ``test_a_registered_toy_reaches_every_layer`` follows it into ``optviz list``,
the SPECs and the figures.
"""

import copy
import itertools
from dataclasses import dataclass

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import optviz.optimizers._base as optimizers_base
from optviz.optimizers import (
    OPTIMIZERS,
    SGD,
    Adagrad,
    Adam,
    AdamW,
    Momentum,
    Nesterov,
    Optimizer,
    RMSprop,
    fraction,
    learning_rate,
    register,
)
from optviz.schedules import cosine, step, warmup


@dataclass
class SignumState:
    shape: tuple
    m: np.ndarray  # moving average of g
    t: int = 0


class Signum(Optimizer):
    r"""Signum: steps along the sign of a moving average of g (a toy for the tests).

    .. math:: m \leftarrow \beta m + (1-\beta) g, \qquad w \leftarrow w - \alpha\,
        \mathrm{sign}(m)
    """

    name, title, color, cnn_lr, family = "signum", "Signum", "#CC79A7", 1e-3, "sgd"
    hyper = {"lr": learning_rate(1e-2), "momentum": fraction(0.9)}
    State = SignumState

    def _update(self, w, g, st, alpha):
        beta = self.momentum
        st.m[...] = beta * st.m + (1 - beta) * g
        w -= alpha * np.sign(st.m)


@pytest.fixture(autouse=True)
def toy_registered():
    """Signum in the registry for each test here; the registry as it was afterwards."""
    saved = dict(OPTIMIZERS)
    register(Signum)
    yield
    OPTIMIZERS.clear()
    OPTIMIZERS.update(saved)


#: The state fields the notes name, per optimizer (with default options).
STATE_FIELDS = {
    "sgd": {"t"},
    "momentum": {"v", "t"},
    "nesterov": {"v", "t"},
    "adagrad": {"r", "t"},
    "rmsprop": {"r", "t"},
    "adam": {"s", "r", "t"},
    "adamw": {"s", "r", "t"},
    "signum": {"m", "t"},
    "adadelta": {"r", "u", "d", "t"},
    "adamax": {"s", "u", "t"},
    "nadam": {"s", "r", "mu_product", "t"},
    "radam": {"s", "r", "t"},
    "rprop": {"p", "d", "t"},
    "asgd": {"eta", "m", "w_bar", "t"},
    "lion": {"s", "t"},
    "adabelief": {"s", "r", "t"},
    "sfsgd": {"z", "x", "lr_max", "weight_sum", "t"},
    "sfadamw": {"z", "x", "lr_max", "weight_sum", "r", "t"},
    "adafactor": {"r", "alpha_t", "t"},  # a vector's; a matrix's: R, C
    "muon": {"s", "O", "t"},
    "prodigy": {"s", "r", "w0", "a", "d", "d_max", "n", "k", "dlr", "t"},
}
#: One value per row of a 3-row batch, for every hyper-parameter that may be an array.
BATCH_VALUES = {
    "lr": [1e-3, 1e-2, 0.1],
    "momentum": [0.1, 0.5, 0.9],
    "rho": [0.5, 0.9, 0.99],
    "betas": ([0.1, 0.8, 0.9], [0.5, 0.99, 0.999]),
    "eps": [1e-8, 1e-3, 0.5],
    "weight_decay": [0.0, 0.01, 0.3],
    "initial_accumulator_value": [0.0, 0.1, 2.0],
    "momentum_decay": [0.0, 4e-3, 0.1],
    "lambd": [0.0, 1e-4, 0.1],
    "alpha": [0.5, 0.75, 1.0],
    "t0": [0.0, 5.0, 1e6],
    "etas": ([0.3, 0.5, 0.9], [1.1, 1.2, 2.0]),
    "step_sizes": ([1e-6, 1e-4, 0.0], [50.0, 0.05, 1.0]),
    "warmup_steps": [0.0, 3.0, 10.0],
    "r": [0.0, 0.5, 1.0],
    "weight_lr_power": [0.0, 1.0, 2.0],
}
NAMES = sorted({*OPTIMIZERS, Signum.name})
#: The ones that take a vector (Muon takes matrices only: tests/test_whole_optimizers.py)
VECTOR_NAMES = [name for name in NAMES if name != "muon"]


def _grads(rng, shape, steps):
    return [rng.standard_normal(shape) for _ in range(steps)]


def _run(opt, w, grads, points=False):
    for g in grads:
        opt.step(w, g, points=points)
    return w


def test_every_optimizer_has_a_state_line():
    assert set(STATE_FIELDS) == set(OPTIMIZERS)


# -- a step by hand, per optimizer ------------------------------------------------------
def test_sgd_by_hand():
    # w - lr g = [1 - 0.1 * 0.5, -2 - 0.1 * 1] = [0.95, -2.1]
    w = np.array([1.0, -2.0])
    SGD(lr=0.1).step(w, np.array([0.5, 1.0]))
    np.testing.assert_allclose(w, [0.95, -2.1], rtol=1e-15)


@pytest.mark.parametrize("form", ["notes", "pytorch"])
def test_momentum_by_hand(form):
    # lr 0.1, beta 0.9, g = 1 then 0.5, w0 = 1.
    # notes:   v1 = -0.1,                     w1 = 0.9
    #          v2 = 0.9(-0.1) - 0.05 = -0.14, w2 = 0.76
    # pytorch: b1 = 1, w1 = 1 - 0.1 = 0.9;  b2 = 0.9 + 0.5 = 1.4, w2 = 0.9 - 0.14 = 0.76
    opt = Momentum(lr=0.1, momentum=0.9, form=form)
    w = np.array([1.0])
    opt.step(w, np.array([1.0]))
    np.testing.assert_allclose(w, [0.9], rtol=1e-15)
    np.testing.assert_allclose(opt.state[0].v, [-0.1], rtol=1e-15)
    opt.step(w, np.array([0.5]))
    np.testing.assert_allclose(w, [0.76], rtol=1e-15)
    np.testing.assert_allclose(opt.state[0].v, [-0.14], rtol=1e-14)


@pytest.mark.parametrize("form", ["notes", "pytorch"])
def test_nesterov_by_hand(form):
    # lr 0.1, beta 0.9, g = 1 then 0.5, w0 = 1.
    # notes:   v1 = -0.1,  w1 = 1 + 0.9(-0.1) - 0.1 = 0.81
    #          v2 = -0.14, w2 = 0.81 + 0.9(-0.14) - 0.05 = 0.634
    # pytorch: b1 = 1,   w1 = 1 - 0.1 (1 + 0.9) = 0.81
    #          b2 = 1.4, w2 = 0.81 - 0.1 (0.5 + 1.26) = 0.634
    opt = Nesterov(lr=0.1, momentum=0.9, form=form)
    w = np.array([1.0])
    opt.step(w, np.array([1.0]))
    np.testing.assert_allclose(w, [0.81], rtol=1e-15)
    opt.step(w, np.array([0.5]))
    np.testing.assert_allclose(w, [0.634], rtol=1e-15)


def test_adagrad_by_hand():
    # lr 0.1, g = 3 then 4, w0 = 1 (eps 1e-10 moves the 1e-11 digit only).
    # r1 = 9,  w1 = 1 - 0.1 * 3 / 3 = 0.9
    # r2 = 25, w2 = 0.9 - 0.1 * 4 / 5 = 0.82   (r is a sum: 9 + 16)
    opt = Adagrad(lr=0.1)
    w = np.array([1.0])
    opt.step(w, np.array([3.0]))
    np.testing.assert_allclose(w, [0.9], rtol=1e-10)
    opt.step(w, np.array([4.0]))
    np.testing.assert_allclose(w, [0.82], rtol=1e-10)
    np.testing.assert_allclose(opt.state[0].r, [25.0], rtol=1e-15)


def test_adagrad_initial_accumulator_by_hand():
    # r0 = 16, g = 3: r1 = 25, w1 = 1 - 0.1 * 3 / 5 = 0.94
    w = np.array([1.0])
    Adagrad(lr=0.1, initial_accumulator_value=16.0).step(w, np.array([3.0]))
    np.testing.assert_allclose(w, [0.94], rtol=1e-10)


def test_rmsprop_by_hand():
    # lr 0.1, rho 0.75, g = 2 then 1, w0 = 1.
    # r1 = 0.25 * 4 = 1,          w1 = 1 - 0.1 * 2 / 1 = 0.8
    # r2 = 0.75 + 0.25 * 1 = 1,   w2 = 0.8 - 0.1 * 1 / 1 = 0.7
    opt = RMSprop(lr=0.1, rho=0.75)
    w = np.array([1.0])
    opt.step(w, np.array([2.0]))
    np.testing.assert_allclose(w, [0.8], rtol=1e-7)
    opt.step(w, np.array([1.0]))
    np.testing.assert_allclose(w, [0.7], rtol=1e-7)


def test_rmsprop_centered_by_hand():
    # lr 0.1, rho 0.5, g = 2: r = 0.5 * 4 = 2, s = 0.5 * 2 = 1, r - s^2 = 1,
    # w = 1 - 0.1 * 2 / 1 = 0.8 (uncentered it would be 1 - 0.2 / sqrt(2) = 0.8586)
    opt = RMSprop(lr=0.1, rho=0.5, centered=True)
    w = np.array([1.0])
    opt.step(w, np.array([2.0]))
    np.testing.assert_allclose(w, [0.8], rtol=1e-7)
    np.testing.assert_allclose(opt.state[0].s, [1.0], rtol=1e-15)


def test_rmsprop_momentum_by_hand():
    # lr 0.1, rho 0.75, mu 0.5, g = 2 then 1, w0 = 1.
    # r1 = 1, b1 = 2 / 1 = 2,           w1 = 1 - 0.1 * 2 = 0.8
    # r2 = 1, b2 = 0.5 * 2 + 1 / 1 = 2, w2 = 0.8 - 0.1 * 2 = 0.6
    opt = RMSprop(lr=0.1, rho=0.75, momentum=0.5)
    w = np.array([1.0])
    opt.step(w, np.array([2.0]))
    np.testing.assert_allclose(w, [0.8], rtol=1e-7)
    opt.step(w, np.array([1.0]))
    np.testing.assert_allclose(w, [0.6], rtol=1e-7)


def test_adam_by_hand():
    # lr 0.1, betas (0.5, 0.96), g = 2, w0 = 1.
    # s = 0.5 * 2 = 1, r = 0.04 * 4 = 0.16; s_hat = 1 / 0.5 = 2, r_hat = 0.16 / 0.04 = 4
    # w = 1 - 0.1 * 2 / sqrt(4) = 0.9
    opt = Adam(lr=0.1, betas=(0.5, 0.96))
    w = np.array([1.0])
    opt.step(w, np.array([2.0]))
    np.testing.assert_allclose(w, [0.9], rtol=1e-8)
    np.testing.assert_allclose(opt.state[0].s, [1.0], rtol=1e-15)
    np.testing.assert_allclose(opt.state[0].r, [0.16], rtol=1e-14)


def test_adam_constant_gradient_steps_exactly_lr():
    # betas (0.5, 0.5), g = 2 twice: s2 = 0.5 + 1 = 1.5, r2 = 1 + 2 = 3;
    # s_hat = 1.5 / 0.75 = 2, r_hat = 3 / 0.75 = 4: every step is lr * 2 / 2 = 0.1
    opt = Adam(lr=0.1, betas=(0.5, 0.5))
    w = np.array([1.0])
    opt.step(w, np.array([2.0]))
    opt.step(w, np.array([2.0]))
    np.testing.assert_allclose(w, [0.8], rtol=1e-8)


def test_adam_amsgrad_by_hand():
    # lr 0.1, betas (0.5, 0): r = g^2 (no memory), g = 4 then 1, w0 = 1.
    # step 1: s = 2, s_hat = 4, r = 16 = r_max, w1 = 1 - 0.1 * 4 / 4 = 0.9
    # step 2: s = 1 + 0.5 = 1.5, s_hat = 1.5 / 0.75 = 2, r = 1 but r_max = 16:
    #         amsgrad w2 = 0.9 - 0.1 * 2 / 4 = 0.85; plain Adam w2 = 0.9 - 0.1 * 2 / 1 = 0.7
    for amsgrad, expected in [(True, 0.85), (False, 0.7)]:
        opt = Adam(lr=0.1, betas=(0.5, 0.0), amsgrad=amsgrad)
        w = np.array([1.0])
        opt.step(w, np.array([4.0]))
        opt.step(w, np.array([1.0]))
        np.testing.assert_allclose(w, [expected], rtol=1e-8)


def test_adam_weight_decay_by_hand():
    # L2: g' = g + wd w = 1 + 0.5 * 2 = 2; first step of Adam is lr * sign(g'):
    # w = 2 - 0.1 = 1.9
    w = np.array([2.0])
    Adam(lr=0.1, betas=(0.5, 0.96), weight_decay=0.5).step(w, np.array([1.0]))
    np.testing.assert_allclose(w, [1.9], rtol=1e-8)


def test_adamw_by_hand():
    # decoupled: w = 2 (1 - 0.1 * 0.5) = 1.9, then Adam's first step lr * sign(g) = 0.1:
    # w = 1.8 (the decay never enters s: s = 0.5 * 2 = 1)
    opt = AdamW(lr=0.1, betas=(0.5, 0.96), weight_decay=0.5)
    w = np.array([2.0])
    opt.step(w, np.array([2.0]))
    np.testing.assert_allclose(w, [1.8], rtol=1e-8)
    np.testing.assert_allclose(opt.state[0].s, [1.0], rtol=1e-15)


def test_adagrad_eps_inside_sqrt_by_hand():
    # g = 3, r = 9. Inside: lr g / sqrt(9 + 16) = 0.3 / 5; after: lr g / (3 + 2) = 0.3 / 5
    # both give w = 1 - 0.06 = 0.94; the other placement does not.
    w = np.array([1.0])
    Adagrad(lr=0.1, eps=16.0, eps_inside_sqrt=True).step(w, np.array([3.0]))
    np.testing.assert_allclose(w, [0.94], rtol=1e-15)
    w = np.array([1.0])
    Adagrad(lr=0.1, eps=2.0).step(w, np.array([3.0]))
    np.testing.assert_allclose(w, [0.94], rtol=1e-15)
    w = np.array([1.0])
    Adagrad(lr=0.1, eps=2.0, eps_inside_sqrt=True).step(w, np.array([3.0]))
    # sqrt(9 + 2) = 3.3166248, 1 - 0.3 / 3.3166248 = 1 - 0.0904534 = 0.9095466
    np.testing.assert_allclose(w, [0.9095466], rtol=1e-7)


def test_rmsprop_eps_inside_sqrt_by_hand():
    # rho 0.75, g = 2: r = 1. Inside: sqrt(1 + 3) = 2, w = 1 - 0.1 * 2 / 2 = 0.9
    w = np.array([1.0])
    RMSprop(lr=0.1, rho=0.75, eps=3.0, eps_inside_sqrt=True).step(w, np.array([2.0]))
    np.testing.assert_allclose(w, [0.9], rtol=1e-15)
    # after the root: 1 + 3 = 4, w = 1 - 0.1 * 2 / 4 = 0.95
    w = np.array([1.0])
    RMSprop(lr=0.1, rho=0.75, eps=3.0).step(w, np.array([2.0]))
    np.testing.assert_allclose(w, [0.95], rtol=1e-15)


def test_adam_eps_inside_sqrt_by_hand():
    # betas (0.5, 0.96), g = 2: s_hat = 2, r_hat = 4.
    # inside: sqrt(4 + 12) = 4, w = 1 - 0.1 * 2 / 4 = 0.95; after: 2 + 12 = 14, w = 0.9857
    w = np.array([1.0])
    Adam(lr=0.1, betas=(0.5, 0.96), eps=12.0, eps_inside_sqrt=True).step(w, np.array([2.0]))
    np.testing.assert_allclose(w, [0.95], rtol=1e-14)
    w = np.array([1.0])
    Adam(lr=0.1, betas=(0.5, 0.96), eps=12.0).step(w, np.array([2.0]))
    np.testing.assert_allclose(w, [1 - 0.2 / 14], rtol=1e-14)


def test_adam_without_bias_correction_by_hand():
    # betas (0.5, 0.96), g = 2: s = 1, r = 0.16, sqrt(r) = 0.4 (no division by 1 - rho^t)
    # w = 1 - 0.1 * 1 / 0.4 = 0.75 (with the correction: 0.9). The raw moments start
    # biased towards 0, and the second more so: the first step is 2.5 times too long.
    w = np.array([1.0])
    Adam(lr=0.1, betas=(0.5, 0.96), bias_correction=False).step(w, np.array([2.0]))
    np.testing.assert_allclose(w, [0.75], rtol=1e-7)


# -- properties --------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["notes", "pytorch"])
@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_zero_is_sgd(rng, form, nesterov):
    grads = _grads(rng, (4, 2), 20)
    w0 = rng.standard_normal((4, 2))
    ours = _run(
        Momentum(lr=0.05, momentum=0.0, nesterov=nesterov, form=form), w0.copy(), grads
    )
    sgd = _run(SGD(lr=0.05), w0.copy(), grads)
    np.testing.assert_array_equal(ours, sgd)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_forms_agree_under_constant_lr_and_differ_under_schedule(rng, nesterov):
    grads = _grads(rng, (3,), 30)
    w0 = rng.standard_normal(3)

    def both(lr):
        return [
            _run(Momentum(lr=lr, nesterov=nesterov, form=form), w0.copy(), grads)
            for form in ("notes", "pytorch")
        ]

    notes, pytorch = both(0.1)
    np.testing.assert_allclose(notes, pytorch, rtol=1e-12, atol=1e-12)
    notes, pytorch = both(lambda t: 0.1 * 0.5**t)
    assert np.max(np.abs(notes - pytorch)) > 1e-3


def test_momentum_forms_under_schedule_by_hand():
    # lr_t = 0.1 * 0.5**t: 0.05, 0.025; beta 0.9; g = 1, 1; w0 = 0.
    # notes:   v1 = -0.05, v2 = 0.9(-0.05) - 0.025 = -0.07,  w2 = -0.12
    # pytorch: b1 = 1, w1 = -0.05; b2 = 1.9, w2 = -0.05 - 0.025 * 1.9 = -0.0975
    for form, expected in [("notes", -0.12), ("pytorch", -0.0975)]:
        w = np.zeros(1)
        _run(Momentum(lr=lambda t: 0.1 * 0.5**t, form=form), w, [np.ones(1)] * 2)
        np.testing.assert_allclose(w, [expected], rtol=1e-14)


@settings(max_examples=200, deadline=None)
@given(
    g=st.floats(1e-3, 1e4) | st.floats(-1e4, -1e-3),
    lr=st.floats(1e-5, 1.0),
    rho1=st.floats(0.0, 0.999),
    rho2=st.floats(0.0, 0.9999),
    w0=st.floats(-10.0, 10.0),
)
def test_adam_first_step_is_lr_times_sign(g, lr, rho1, rho2, w0):
    # s_hat = g and r_hat = g^2 exactly after one step, so the step is lr g / (|g| + eps):
    # lr sign(g) up to a relative eps / |g| <= 1e-5 (and rounding).
    eps = 1e-8
    w = np.array([w0])
    Adam(lr=lr, betas=(rho1, rho2), eps=eps).step(w, np.array([g]))
    step = w0 - w[0]
    bound = lr * (eps / abs(g) + 1e-12) + 4 * np.spacing(abs(w0) + lr)
    assert abs(step - lr * np.sign(g)) <= bound


def test_adagrad_effective_lr_decreases(rng):
    opt = Adagrad(lr=0.5)
    w = rng.standard_normal(6)
    previous = np.full(6, np.inf)
    for g in _grads(rng, (6,), 100):
        opt.step(w, g)
        lr = opt.effective_lr()
        assert np.all(lr < previous)
        previous = lr


@pytest.mark.parametrize(
    "opt",
    [SGD(lr=0.1), SGD(lr=lambda t: 0.1 / t), Adagrad(lr=0.1), RMSprop(lr=0.01)],
    ids=["sgd", "sgd-schedule", "adagrad", "rmsprop"],
)
def test_effective_lr_is_step_over_gradient(rng, opt):
    # diagonal updates: w_new - w_old = -effective_lr * g, coordinate by coordinate
    w = rng.standard_normal((5, 2))
    for g in _grads(rng, (5, 2), 10):
        before = w.copy()
        opt.step(w, g)
        np.testing.assert_allclose(
            opt.effective_lr(), np.abs(w - before) / np.abs(g), rtol=1e-9
        )


def test_adam_effective_lr_times_s_hat_is_the_step(rng):
    opt = Adam(lr=0.01, betas=(0.8, 0.99))
    w = rng.standard_normal(7)
    for t, g in enumerate(_grads(rng, (7,), 20), start=1):
        before = w.copy()
        opt.step(w, g)
        s_hat = opt.state[0].s / (1 - 0.8**t)
        np.testing.assert_allclose(opt.effective_lr() * s_hat, before - w, rtol=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_batch_of_hyperparameters_equals_separate_runs(rng, name):
    cls = OPTIMIZERS[name]
    arrays = [k for k, h in cls.hyper.items() if h.array]
    keys = [k for k in arrays if k in BATCH_VALUES]
    assert keys == arrays, f"add values for {set(arrays) - set(keys)}"

    def column(values):
        return np.array(values)[:, None]  # (N,) -> (N, 1), against params (N, 2)

    def batch_kwargs():
        return {
            k: tuple(column(v) for v in BATCH_VALUES[k])
            if isinstance(BATCH_VALUES[k], tuple)
            else column(BATCH_VALUES[k])
            for k in keys
        }

    def row_kwargs(i):
        return {
            k: tuple(v[i] for v in BATCH_VALUES[k])
            if isinstance(BATCH_VALUES[k], tuple)
            else BATCH_VALUES[k][i]
            for k in keys
        }

    n = len(BATCH_VALUES["lr"])
    w0 = rng.standard_normal((n, 2))
    grads = _grads(rng, (n, 2), 25)
    # points=True: each row is a problem of its own (an element-wise rule ignores it)
    batch = _run(cls(**batch_kwargs()), w0.copy(), grads, points=True)
    for i in range(n):
        row = _run(cls(**row_kwargs(i)), w0[i].copy(), [g[i] for g in grads], True)
        # not bit for bit: Adam's rho**t on an array and on a float may differ by an ulp
        np.testing.assert_allclose(batch[i], row, rtol=1e-14, atol=0)


@pytest.mark.parametrize("name", NAMES)
def test_batch_of_starts_with_an_lr_column(rng, name):
    # the contract's example: lr of shape (N, 1) against params of shape (N, 2)
    lrs = np.array([[1e-3], [1e-2], [1e-1], [0.3]])
    w0 = rng.standard_normal((4, 2))
    grads = _grads(rng, (4, 2), 15)
    batch = _run(OPTIMIZERS[name](lr=lrs), w0.copy(), grads, points=True)
    for i in range(4):
        row = _run(
            OPTIMIZERS[name](lr=lrs[i, 0]), w0[i].copy(), [g[i] for g in grads], True
        )
        np.testing.assert_array_equal(batch[i], row)


@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_list_of_params_equals_separate_runs(rng, name):
    shapes = [(3,), (2, 4), ()]
    w0 = [rng.standard_normal(s) for s in shapes]
    grads = [_grads(rng, s, 12) for s in shapes]
    together = [w.copy() for w in w0]
    opt = OPTIMIZERS[name](lr=0.05)
    for t in range(12):
        out = opt.step(together, [g[t] for g in grads])
        assert out is together
    assert isinstance(opt.effective_lr(), list)
    for w, g, joint in zip(w0, grads, together):
        alone = _run(OPTIMIZERS[name](lr=0.05), w.copy(), g)
        np.testing.assert_array_equal(joint, alone)


@pytest.mark.parametrize("name", NAMES)
def test_step_updates_in_place_and_returns_params(rng, name):
    opt = OPTIMIZERS[name](lr=0.1)
    w = rng.standard_normal((2, 3))
    before = w.copy()
    g = rng.standard_normal((2, 3))
    g_before = g.copy()
    assert opt.step(w, g) is w
    assert not np.array_equal(w, before)
    np.testing.assert_array_equal(g, g_before)  # the gradient is not touched


@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_state_names(rng, name):
    opt = OPTIMIZERS[name](lr=0.1)
    w = rng.standard_normal(3)
    for _ in range(3):
        opt.step(w, rng.standard_normal(3))
    state = opt.state[0]
    present = {k for k, v in vars(state).items() if v is not None and k != "shape"}
    assert present == STATE_FIELDS[name]
    assert state.t == 3
    for field in STATE_FIELDS[name] - {"t"}:
        # one number per step (NAdam's Π): shaped as the (scalar) hyper-parameters
        per_step = field in OPTIMIZERS[name].per_step
        assert getattr(state, field).shape == (() if per_step else (3,))


def test_optional_state_appears_with_its_option(rng):
    w, g = rng.standard_normal(3), rng.standard_normal(3)
    opt = RMSprop(centered=True, momentum=0.9)
    opt.step(w, g)
    assert opt.state[0].s.shape == opt.state[0].b.shape == (3,)
    opt = Adam(amsgrad=True)
    opt.step(w, g)
    np.testing.assert_array_equal(opt.state[0].r_max, opt.state[0].r)
    opt = Momentum(form="pytorch")
    opt.step(w, g)
    np.testing.assert_array_equal(opt.state[0].b, g)


@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_reset_starts_over(rng, name):
    grads = _grads(rng, (4,), 5)
    w0 = rng.standard_normal(4)
    opt = OPTIMIZERS[name](lr=0.1)
    _run(opt, w0.copy(), grads)
    opt.reset()
    assert opt.state == []
    with pytest.raises(ValueError, match="at least one step"):
        opt.effective_lr()
    again = _run(opt, w0.copy(), grads)
    fresh = _run(OPTIMIZERS[name](lr=0.1), w0.copy(), grads)
    np.testing.assert_array_equal(again, fresh)
    # after reset() the same optimizer takes parameters of another shape
    opt.reset()
    _run(opt, np.zeros((2, 2)), [np.ones((2, 2))])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "params",
    [np.arange(3), np.array([1, 2], dtype=np.int32), [0.5, 1.0], np.array([True])],
    ids=["int64", "int32", "list", "bool"],
)
def test_params_must_be_float_arrays(name, params):
    with pytest.raises(ValueError, match="parameter 0 must be a float ndarray"):
        OPTIMIZERS[name]().step(params, np.ones(np.shape(params)))


@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_float32_params_stay_float32(name):
    w = np.ones(3, dtype=np.float32)
    OPTIMIZERS[name](lr=0.1).step(w, np.ones(3, dtype=np.float32))
    assert w.dtype == np.float32 and np.all(w < 1)


@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_a_bad_gradient_changes_nothing(rng, name):
    opt = OPTIMIZERS[name](lr=0.1)
    ws = [rng.standard_normal(2), rng.standard_normal(3)]
    before = [w.copy() for w in ws]
    with pytest.raises(ValueError, match="gradient 1 has shape"):
        opt.step(ws, [np.ones(2), np.ones(4)])
    assert opt.state == []
    opt.step(ws, [np.ones(2), np.ones(3)])
    after_one = [w.copy() for w in ws]
    with pytest.raises(ValueError, match="gradient 1 has shape"):
        opt.step(ws, [np.ones(2), np.ones(4)])
    for w, a in zip(ws, after_one):
        np.testing.assert_array_equal(w, a)
    assert [s.t for s in opt.state] == [1, 1]
    assert not np.array_equal(ws[0], before[0])


@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_state_shape_and_count_must_match(rng, name):
    opt = OPTIMIZERS[name](lr=0.1)
    opt.step(np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match=r"shape \(3,\).*state has shape \(2,\).*reset"):
        opt.step(np.zeros(3), np.ones(3))
    with pytest.raises(ValueError, match="holds state for 1 parameters, got 2"):
        opt.step([np.zeros(2), np.zeros(2)], [np.ones(2), np.ones(2)])
    with pytest.raises(ValueError, match="got 2 parameters but 1 gradients"):
        OPTIMIZERS[name]().step([np.zeros(2), np.zeros(2)], [np.ones(2)])


def test_schedule_is_called_with_the_step_from_one():
    seen = []

    def schedule(t):
        seen.append(t)
        return 0.1 * t

    w = np.zeros(1)
    opt = SGD(lr=schedule)
    _run(opt, w, [np.ones(1)] * 3)
    # w = -(0.1 + 0.2 + 0.3) = -0.6
    np.testing.assert_allclose(w, [-0.6], rtol=1e-15)
    assert seen[:3] == [1, 2, 3]
    assert opt.effective_lr() == pytest.approx(0.3)


@pytest.mark.parametrize("name", NAMES)
def test_hyperparameters_and_repr(name):
    opt = OPTIMIZERS[name](lr=np.array([[0.1], [0.2]]))
    assert opt.hyperparameters()["lr"] == [[0.1], [0.2]]
    assert repr(opt).startswith(type(opt).__name__ + "(lr=")
    assert OPTIMIZERS[name].name == name


def test_nesterov_is_momentum_with_look_ahead(rng):
    grads = _grads(rng, (3,), 10)
    w0 = rng.standard_normal(3)
    a = _run(Nesterov(lr=0.05), w0.copy(), grads)
    b = _run(Momentum(lr=0.05, nesterov=True), w0.copy(), grads)
    np.testing.assert_array_equal(a, b)


# -- one class, one registry line ----------------------------------------------------------
def test_signum_by_hand():
    # beta 0.5, g = 2 then -1: m1 = 1, w1 = 1 - 0.1 = 0.9; m2 = 0.5 - 0.5 = 0 (sign 0),
    # w2 = 0.9; g = -4: m3 = -2, w3 = 1.0
    opt = Signum(lr=0.1, momentum=0.5)
    w = np.array([1.0])
    for g, expected in [(2.0, 0.9), (-1.0, 0.9), (-4.0, 1.0)]:
        opt.step(w, np.array([g]))
        np.testing.assert_allclose(w, [expected], rtol=1e-15)


def test_a_registered_toy_reaches_every_layer(tmp_path):
    from optviz.cli import main
    from optviz.plot import style
    from optviz.spec import build_optimizer, build_optimizers
    from optviz.surfaces import get

    listing = CliRunner().invoke(main, ["list", "optimizers"], catch_exceptions=False)
    assert "signum    Signum: steps along the sign" in listing.output
    assert "lr=0.01, momentum=0.9" in listing.output

    surface = get("rosenbrock")
    name, opt = build_optimizer("signum:momentum=0.5", surface)
    assert name == "signum" and isinstance(opt, Signum) and opt.momentum == 0.5
    assert opt.lr == surface.default_lr("sgd")  # its family's learning rate
    assert list(build_optimizers(["signum", "signum:lr=0.1"], surface)) == [
        "signum",
        "signum (lr=0.1)",
    ]
    assert style.color("signum") == style.COLORS["signum"] == "#CC79A7"
    assert style.title("signum (lr=0.1)") == "Signum (lr=0.1)"

    out = tmp_path / "toy.png"
    result = CliRunner().invoke(
        main, ["compare", "-o", "signum:lr=0.02", "-o", "sgd", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with Image.open(out) as im:
        pixels = np.asarray(im.convert("RGB")).astype(int)
    # Signum's own colour (#CC79A7) is drawn: its path and its legend line.
    assert np.all(np.abs(pixels - [0xCC, 0x79, 0xA7]) < 12, axis=-1).sum() > 200


def test_the_registry_holds_the_seven_the_rest_of_torch_optim_and_the_toy():
    assert set(OPTIMIZERS) == {
        *"sgd momentum nesterov adagrad rmsprop adam adamw".split(),
        *"adadelta adamax nadam radam rprop asgd".split(),
        *"lion adabelief sfsgd sfadamw".split(),
        *"adafactor muon prodigy".split(),
        "signum",
    }


def test_register_refuses_what_is_not_an_optimizer():
    with pytest.raises(ValueError, match="only Optimizer subclasses"):
        register(dict)

    class Shouting(Signum):
        name = "Signum!"

    with pytest.raises(ValueError, match="lower-case word"):
        register(Shouting)


def test_defaults_are_declared_and_relatives_inherit_them():
    assert Nesterov.defaults == {**Momentum.defaults, "nesterov": True}
    assert AdamW.defaults == {**Adam.defaults, "weight_decay": 1e-2}
    assert list(SGD.defaults) == ["lr"]
    assert Nesterov.family == "momentum" and AdamW.family == "adam"
    for name, cls in OPTIMIZERS.items():
        assert cls.name == name and cls.title and cls.cnn_lr > 0
        assert cls.family in ("sgd", "momentum", "adagrad", "rmsprop", "adam")


# -- colours a projector and colour-blind viewers can tell apart ---------------------------
#: Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB.
CVD = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
}
#: Lines this far apart in CIELAB lightness stay apart in greyscale.
MIN_LIGHTNESS_GAP = 11.0
#: And this far apart in CIELAB (Delta E 1976) for every viewer.
MIN_DELTA_E = 20.0


def _linear_rgb(hex_color):
    c = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(rgb):
    srgb_to_xyz = np.array(
        [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    )
    xyz = srgb_to_xyz @ np.clip(rgb, 0, 1) / srgb_to_xyz.sum(axis=1)  # D65 white = 1
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_lab_of_known_colours():
    # white L* = 100, black 0, sRGB mid grey #777777 L* = 50.0 (published tables)
    np.testing.assert_allclose(_lab(_linear_rgb("#FFFFFF")), [100, 0, 0], atol=1e-6)
    np.testing.assert_allclose(_lab(_linear_rgb("#000000")), [0, 0, 0], atol=1e-9)
    assert _lab(_linear_rgb("#777777"))[0] == pytest.approx(50.0, abs=0.1)
    # the simulations keep greys grey (their rows sum to 1)
    for m in CVD.values():
        np.testing.assert_allclose(m.sum(axis=1), 1, atol=1e-5)


def test_the_seven_colours_differ_in_greyscale_and_for_colour_blind_viewers():
    seven = "sgd momentum nesterov adagrad rmsprop adam adamw".split()
    builtin = {n: OPTIMIZERS[n] for n in seven}
    colors = {n: _linear_rgb(c.color) for n, c in builtin.items()}
    assert len(set(c.color for c in builtin.values())) == 7
    for (a, ca), (b, cb) in itertools.combinations(colors.items(), 2):
        gap = abs(_lab(ca)[0] - _lab(cb)[0])
        assert gap >= MIN_LIGHTNESS_GAP, f"{a} and {b}: lightness differs by {gap:.1f}"
        for viewer, m in {"normal": np.eye(3), **CVD}.items():
            de = np.linalg.norm(_lab(m @ ca) - _lab(m @ cb))
            assert de >= MIN_DELTA_E, f"{a} and {b} for {viewer}: Delta E {de:.1f}"
    # none too pale for a white slide: L* at most 85
    assert max(_lab(c)[0] for c in colors.values()) <= 85


#: Shades of one optimizer's colour (its variants in one figure) stay this far apart in
#: CIELAB for every viewer; each variant also has its own line style.
MIN_SHADE_DELTA_E = 18.0


def test_variants_of_one_optimizer_get_shades_of_its_hue_that_differ():
    """The first three runs of one optimizer (its colour and two shades) differ in
    greyscale and for colour-blind viewers, as the palette does (Delta E at least
    MIN_SHADE_DELTA_E, not 20: a variant also has its own dashes)."""
    from optviz.plot.style import SHADE_RANGE, shade

    builtin = {n: c for n, c in OPTIMIZERS.items() if n != "signum"}
    for name, cls in builtin.items():
        shades = [shade(cls.color, k) for k in range(3)]
        assert shades[0] == cls.color and len(set(shades)) == 3, name
        rgb = [_linear_rgb(c) for c in shades]
        for (i, a), (j, b) in itertools.combinations(enumerate(rgb), 2):
            gap = abs(_lab(a)[0] - _lab(b)[0])
            assert gap >= MIN_LIGHTNESS_GAP, f"{name} shades {i}, {j}: lightness {gap:.1f}"
            for viewer, m in {"normal": np.eye(3), **CVD}.items():
                de = np.linalg.norm(_lab(m @ a) - _lab(m @ b))
                assert de >= MIN_SHADE_DELTA_E, f"{name} {i}, {j} for {viewer}: {de:.1f}"
        for c in shades[1:]:  # same hue: a* and b* keep their signs (or go grey)
            lo, hi = SHADE_RANGE
            assert lo - 1 <= _lab(_linear_rgb(c))[0] <= hi + 1, (name, c)
            base, here = _lab(rgb[0])[1:], _lab(_linear_rgb(c))[1:]
            assert all(x * y >= -1e-6 or abs(y) < 2 for x, y in zip(base, here)), (name, c)


#: Optimizers drawn together: each family with its new members, and compare-modern.
DRAWN_TOGETHER = (
    ("adam", "adamw", "adamax", "nadam", "radam", "adabelief", "prodigy"),
    ("adam", "adamw", "lion", "sfadamw", "radam", "prodigy"),
    ("rmsprop", "adadelta"),
    ("adagrad", "rmsprop", "adadelta", "adafactor"),
    ("sgd", "momentum", "nesterov", "rprop", "asgd", "sfsgd", "muon"),
)
#: A new optimizer's hue (CIELAB) lies this close to its family's (a family palette).
FAMILY_HUE = 45.0


def _hue(rgb):
    _, a, b = _lab(rgb)
    return np.degrees(np.arctan2(b, a)) % 360


def test_the_new_optimizers_are_told_apart_where_they_are_drawn_together():
    seven = "sgd momentum nesterov adagrad rmsprop adam adamw".split()
    colours = [c.color for n, c in OPTIMIZERS.items() if n != "signum"]
    assert len(set(colours)) == len(colours)
    for group in DRAWN_TOGETHER:
        for a, b in itertools.combinations(group, 2):
            ca, cb = _linear_rgb(OPTIMIZERS[a].color), _linear_rgb(OPTIMIZERS[b].color)
            for viewer, m in {"normal": np.eye(3), **CVD}.items():
                de = np.linalg.norm(_lab(m @ ca) - _lab(m @ cb))
                assert de >= MIN_DELTA_E, f"{a} and {b} for {viewer}: Delta E {de:.1f}"
    for name, cls in OPTIMIZERS.items():
        if name in seven or name == "signum":
            continue
        ours = _linear_rgb(cls.color)
        assert _lab(ours)[0] <= 85, f"{name} is too pale for a white slide"
        base = _hue(_linear_rgb(OPTIMIZERS[cls.family].color))
        gap = abs(_hue(ours) - base) % 360
        assert min(gap, 360 - gap) <= FAMILY_HUE, f"{name}: hue {gap:.0f} from its family"


# -- checkpoints ---------------------------------------------------------------------------
VARIANTS = [
    ("sgd", {}),
    ("momentum", {}),
    ("momentum", {"form": "pytorch"}),
    ("momentum", {"form": "pytorch", "nesterov": True}),
    ("nesterov", {}),
    ("adagrad", {"initial_accumulator_value": 0.1}),
    ("adagrad", {"eps_inside_sqrt": True}),
    ("rmsprop", {}),
    ("rmsprop", {"centered": True, "momentum": 0.9}),
    ("rmsprop", {"eps_inside_sqrt": True}),
    ("adam", {}),
    ("adam", {"amsgrad": True, "weight_decay": 0.1}),
    ("adam", {"bias_correction": False, "eps_inside_sqrt": True}),
    ("adamw", {}),
    ("adamw", {"amsgrad": True}),
    ("signum", {}),
]
VARIANT_IDS = [f"{n}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for n, kw in VARIANTS]
LRS = {
    "constant": 0.05,
    "warmup-cosine": warmup(cosine(0.05, total_steps=10), warmup_steps=3),
    "step": step(0.05, step_size=4, gamma=0.5),
    "array": np.array([[0.01], [0.05], [0.1], [0.2]]),
}


def _plain(value) -> bool:
    """Only dicts, lists, tuples, strings, numbers, bools and arrays."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return isinstance(value, (str, int, float, bool, np.ndarray, np.floating))


@pytest.mark.parametrize("lr", list(LRS), ids=list(LRS))
@pytest.mark.parametrize(("name", "kwargs"), VARIANTS, ids=VARIANT_IDS)
def test_resuming_from_a_checkpoint_is_bit_identical(rng, name, kwargs, lr):
    cls = OPTIMIZERS[name]
    w0 = [rng.standard_normal((4, 3)), rng.standard_normal((4, 1))]
    grads = [[rng.standard_normal(w.shape) for w in w0] for _ in range(12)]

    through = [w.copy() for w in w0]
    opt = cls(lr=LRS[lr], **kwargs)
    for gs in grads:
        opt.step(through, gs)

    resumed = [w.copy() for w in w0]
    first = cls(lr=LRS[lr], **kwargs)
    for gs in grads[:6]:
        first.step(resumed, gs)
    checkpoint = copy.deepcopy(first.state_dict())
    assert _plain(checkpoint)
    second = cls()  # the class's defaults: the checkpoint brings the hyper-parameters
    second.load_state_dict(checkpoint)
    assert second.hyperparameters() == first.hyperparameters()
    for gs in grads[6:]:
        second.step(resumed, gs)

    for a, b in zip(resumed, through):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(second.state, opt.state):
        assert vars(a).keys() == vars(b).keys() and a.t == b.t == 12
        for key, value in vars(a).items():
            if isinstance(value, np.ndarray):
                np.testing.assert_array_equal(value, getattr(b, key))
    for a, b in zip(second.effective_lr(), opt.effective_lr()):
        np.testing.assert_array_equal(a, b)


def test_a_checkpoint_is_a_copy_and_names_the_notes_symbols(rng):
    opt = Adam(lr=0.1)
    w = rng.standard_normal(3)
    opt.step(w, rng.standard_normal(3))
    checkpoint = opt.state_dict()
    saved = copy.deepcopy(checkpoint)
    opt.step(w, rng.standard_normal(3))
    np.testing.assert_array_equal(checkpoint["state"][0]["r"], saved["state"][0]["r"])
    assert set(checkpoint["state"][0]) == {"s", "r", "t", "shape"}
    assert checkpoint["hyper"]["betas"] == (0.9, 0.999) and checkpoint["name"] == "adam"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_checkpoint_keeps_the_dtype(dtype):
    opt = RMSprop(lr=0.1, centered=True)
    w = np.ones(3, dtype=dtype)
    opt.step(w, np.ones(3, dtype=dtype))
    other = RMSprop()
    other.load_state_dict(opt.state_dict())
    assert other.state[0].r.dtype == other.state[0].s.dtype == dtype


# -- speed: blocks give the same bits ---------------------------------------------------
@pytest.mark.parametrize(("name", "kwargs"), VARIANTS, ids=VARIANT_IDS)
def test_blocked_updates_equal_whole_array_updates(rng, monkeypatch, name, kwargs):
    # step() hands a large parameter to _update in blocks (cache-sized temporaries);
    # element-wise arithmetic gives the same bits whichever way it is cut.
    w0 = rng.standard_normal((30, 7))  # 210 elements: blocks of 64, 64, 64, 18
    grads = _grads(rng, w0.shape, 8)
    runs = {}
    for block in (64, 10**9):
        monkeypatch.setattr(optimizers_base, "BLOCK", block)
        opt = OPTIMIZERS[name](lr=0.05, **kwargs)
        runs[block] = (_run(opt, w0.copy(), grads), opt)
    (w_blocks, blocked), (w_whole, whole) = runs.values()
    np.testing.assert_array_equal(w_blocks, w_whole)
    for key, value in vars(blocked.state[0]).items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, getattr(whole.state[0], key))


def test_blocks_are_used_for_large_contiguous_parameters(rng, monkeypatch):
    sizes = []

    class Recording(SGD):
        def _update(self, w, g, st, alpha):
            sizes.append(w.size)
            super()._update(w, g, st, alpha)

    monkeypatch.setattr(optimizers_base, "BLOCK", 64)
    w = np.zeros(150)
    Recording(lr=0.1).step(w, np.ones(150))
    assert sizes == [64, 64, 22]
    np.testing.assert_array_equal(w, -0.1)
    sizes.clear()
    Recording(lr=np.full(150, 0.1)).step(np.zeros(150), np.ones(150))  # array lr: whole
    assert sizes == [150]


@pytest.mark.parametrize("name", NAMES)
def test_float32_state_stays_float32_with_array_hyperparameters(name):
    w = np.ones((2, 3), dtype=np.float32)
    opt = OPTIMIZERS[name](lr=np.array([[0.1], [0.2]]))
    for _ in range(3):  # two rows, each a problem of its own
        opt.step(w, np.ones((2, 3), dtype=np.float32), points=True)
    assert w.dtype == np.float32
    for value in vars(opt.state[0]).values():
        if isinstance(value, np.ndarray):
            assert value.dtype == np.float32
