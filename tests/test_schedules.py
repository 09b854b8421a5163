"""Learning-rate schedules: hand-computed values, validation, use in every optimizer."""

import math

import numpy as np
import pytest

from optviz.optimizers import OPTIMIZERS, SGD, Momentum
from optviz.run import run_one
from optviz.schedules import (
    SCHEDULES,
    Schedule,
    constant,
    cosine,
    exponential,
    make_schedule,
    step,
    warmup,
)
from optviz.surfaces import get

T = np.arange(1, 8)


def test_constant():
    assert constant(0.1)(1) == 0.1
    np.testing.assert_allclose(constant(0.1)(T), 0.1)


def test_step_hand_computed():
    # lr * gamma ** floor((t - 1) / step_size), t from 1
    np.testing.assert_allclose(
        step(0.8, step_size=3, gamma=0.5)(T), [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2]
    )


def test_exponential_hand_computed():
    np.testing.assert_allclose(exponential(1.0, gamma=0.9)(T), 0.9 ** np.arange(7))
    assert exponential(2.0, gamma=0.5)(1) == 2.0


def test_cosine_hand_computed():
    s = cosine(1.0, total_steps=4, min_lr=0.2)
    # 0.2 + 0.8 * (1 + cos(pi * (t - 1) / 4)) / 2, then flat at 0.2
    expected = [
        1.0,
        0.2 + 0.4 * (1 + math.sqrt(0.5)),
        0.6,
        0.2 + 0.4 * (1 - math.sqrt(0.5)),
        0.2,
        0.2,
        0.2,
    ]
    np.testing.assert_allclose(s(T), expected)


def test_warmup_then_cosine_starts_the_inner_clock_after_the_warmup():
    s = warmup(cosine(1.0, total_steps=2), warmup_steps=3)
    # ramp 1/3, 2/3, 1 (= inner(1)); then inner(1), inner(2), inner(3)...
    np.testing.assert_allclose(s(np.arange(1, 8)), [1 / 3, 2 / 3, 1.0, 1.0, 0.5, 0.0, 0.0])
    np.testing.assert_allclose(warmup(0.4, 2)(np.arange(1, 5)), [0.2, 0.4, 0.4, 0.4])


def test_scalar_step_gives_a_float_and_arrays_broadcast():
    assert isinstance(step(0.1, 2)(3), float)
    lr = np.array([[0.1], [1.0]])
    out = warmup(cosine(lr, 10), 2).with_lr(lr)(1)
    np.testing.assert_allclose(out, lr / 2)
    assert out.shape == (2, 1)


def test_repr_is_readable_and_params_are_json_ready():
    s = warmup(step(0.1, step_size=50, gamma=0.5), warmup_steps=10)
    assert repr(s) == "warmup(step(lr=0.1, step_size=50, gamma=0.5), warmup_steps=10)"
    assert s.params() == {
        "schedule": "warmup",
        "warmup_steps": 10,
        "inner": {"schedule": "step", "lr": 0.1, "step_size": 50, "gamma": 0.5},
    }
    assert "<3 values 0.001..0.1>" in repr(cosine(np.array([1e-3, 1e-2, 0.1]), 5))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: constant(0), "lr must be > 0, got 0"),
        (lambda: step(0.1, step_size=0), "step_size must be in [1, 1e+09], got 0"),
        (lambda: step(0.1, step_size=2.5), "step_size must be a whole number"),
        (lambda: step(0.1, 2, gamma=0), "gamma must be in (0, 1], got 0"),
        (lambda: exponential(0.1, gamma=1.5), "gamma must be in (0, 1], got 1.5"),
        (lambda: cosine(0.1, total_steps=0), "total_steps must be in [1, 1e+09], got 0"),
        (lambda: cosine(0.1, 10, min_lr=0.5), "min_lr must be in [0, lr=0.1], got 0.5"),
        (lambda: warmup(cosine(0.1, 10), 0), "warmup_steps must be in [1, 1e+09], got 0"),
        (lambda: warmup(lambda t: 0.1, 5), "warmup wraps an optviz schedule"),
        (lambda: constant(0.1)(0), "t must be >= 1, got 0"),
        (lambda: make_schedule("cos", 0.1), "schedule must be one of constant, step"),
        (lambda: make_schedule("constant", 0.1, gamma=0.5), "gamma does not apply to"),
    ],
)
def test_bad_arguments_name_parameter_and_range(make, message):
    with pytest.raises(ValueError) as err:
        make()
    assert message in str(err.value)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("kind", sorted(SCHEDULES))
def test_every_optimizer_runs_with_every_schedule(name, kind):
    extra = {
        "step": {"step_size": 5},
        "exponential": {"gamma": 0.9},
        "cosine": {"total_steps": 20},
    }.get(kind, {})
    sched = make_schedule(kind, 1e-3, warmup_steps=3, **extra)
    surface = get("rosenbrock")
    traj = run_one(surface, OPTIMIZERS[name](lr=sched), surface.start, 20)
    assert not traj.diverged
    assert traj.hyperparameters["lr"] == repr(sched)


def test_sgd_applies_the_schedule_value_of_each_step():
    sched = step(1e-3, step_size=2, gamma=0.5)
    surface = get("rosenbrock")
    traj = run_one(surface, SGD(lr=sched), surface.start, 6)
    np.testing.assert_allclose(traj.lr[1:, 0], sched(np.arange(1, 7)))
    assert isinstance(sched, Schedule)


def test_momentum_forms_agree_under_constant_lr_and_differ_under_a_schedule():
    surface = get("rosenbrock")

    def path(lr, form):
        return run_one(
            surface, Momentum(lr=lr, momentum=0.9, form=form), surface.start, 40
        ).xy

    np.testing.assert_allclose(path(2e-4, "notes"), path(2e-4, "pytorch"), rtol=1e-12)
    np.testing.assert_allclose(
        path(constant(2e-4), "notes"), path(constant(2e-4), "pytorch"), rtol=1e-12
    )
    sched = step(2e-4, step_size=10, gamma=0.3)
    notes, pytorch = path(sched, "notes"), path(sched, "pytorch")
    # identical until the learning rate first changes (step 11), different after:
    np.testing.assert_allclose(notes[:11], pytorch[:11], rtol=1e-12)
    assert not np.allclose(notes[12:], pytorch[12:], rtol=1e-6)
    # the notes' velocity keeps the old (larger) learning rate inside it, so its first
    # step after the drop is longer than PyTorch's, which rescales the whole buffer
    step_notes = np.linalg.norm(notes[11] - notes[10])
    step_torch = np.linalg.norm(pytorch[11] - pytorch[10])
    assert step_notes > step_torch


@pytest.mark.parametrize(
    "sched",
    [
        constant(0.1),
        step(0.1, step_size=3, gamma=0.5),
        cosine(np.array([[0.1], [0.2]]), total_steps=7, min_lr=0.01),
        warmup(cosine(0.1, total_steps=480), warmup_steps=20),
    ],
    ids=["constant", "step", "cosine-array", "warmup"],
)
def test_from_params_gives_back_the_schedule(sched):
    from optviz.schedules import from_params

    again = from_params(sched.params())
    assert repr(again) == repr(sched)
    t = np.arange(1, 40)
    np.testing.assert_array_equal(again(t), sched(t))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lr": 0.1}, "a dict with a 'schedule' name"),
        ({"schedule": "warmup", "inner": {}}, "warmup's params are warmup_steps and inner"),
        ({"schedule": "sawtooth", "lr": 0.1}, "unknown schedule params"),
        ({"schedule": "step", "lr": 0.1, "step_size": 1e300}, "step_size must be in [1"),
    ],
)
def test_from_params_refuses_what_no_schedule_gave(params, message):
    from optviz.schedules import from_params

    with pytest.raises(ValueError) as err:
        from_params(params)
    assert message in str(err.value)


def test_step_counts_are_bounded():
    from optviz.schedules import MAX_STEPS

    for make in (
        lambda n: step(0.1, step_size=n),
        lambda n: cosine(0.1, total_steps=n),
        lambda n: warmup(0.1, warmup_steps=n),
    ):
        make(MAX_STEPS)
        with pytest.raises(ValueError, match=r"must be in \[1, 1e\+09\], got 1e\+300"):
            make(1e300)
