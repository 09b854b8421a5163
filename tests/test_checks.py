"""Bad values are refused with a ValueError that names the parameter, the allowed range
and the value given: the checks themselves, then every optimizer's hyper-parameters."""

import re

import numpy as np
import pytest

from optviz._checks import check_broadcast, check_int, check_range
from optviz.optimizers import (
    OPTIMIZERS,
    SGD,
    Adagrad,
    Adam,
    AdamW,
    Momentum,
    Nesterov,
    RMSprop,
)

NAN = float("nan")


# -- check_range ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, value, message",
    [
        ({"low": 0, "low_open": True}, 0, "x must be > 0, got 0"),
        ({"low": 0, "low_open": True}, -1.5, "x must be > 0, got -1.5"),
        ({"low": 0}, -1e-9, "x must be >= 0, got -1e-09"),
        ({"low": 0, "high": 1, "high_open": True}, 1.0, "x must be in [0, 1), got 1.0"),
        ({"low": 0, "high": 1, "high_open": True}, -0.1, "x must be in [0, 1), got -0.1"),
        ({"low": 0, "high": 1, "low_open": True}, 0.0, "x must be in (0, 1], got 0.0"),
        ({"high": 1}, 2, "x must be in [-inf, 1], got 2"),
        ({"low": 0}, NAN, "x must be >= 0, got nan"),
        ({"low": 0, "low_open": True}, float("inf"), "x must be > 0, got inf"),
        ({}, NAN, "x must be in [-inf, inf], got nan"),
        ({"low": 0}, [0.5, -1.0], "x must be >= 0, got [ 0.5 -1. ]"),
        ({"low": 0}, np.array([[0.1], [NAN]]), "x must be >= 0, got [[0.1]\n [nan]]"),
    ],
)
def test_check_range_message(kwargs, value, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        check_range("x", value, **kwargs)


@pytest.mark.parametrize(
    "value",
    [
        "0.1",
        b"1",
        True,
        np.True_,
        [True, False],
        1 + 0j,
        [0.1, "x"],
        [[1.0], [1.0, 2.0]],
        {},
    ],
    ids=[
        "str",
        "bytes",
        "bool",
        "np.bool",
        "bool-array",
        "complex",
        "mixed",
        "ragged",
        "dict",
    ],
)
def test_check_range_wants_real_numbers(value):
    with pytest.raises(ValueError, match=r"^x must be a number >= 0, got "):
        check_range("x", value, low=0)


def test_check_range_returns_floats_and_copies():
    assert check_range("x", 3, low=0) == 3.0
    assert type(check_range("x", np.float32(0.5), low=0)) is float
    arr = np.array([0.1, 0.2])
    out = check_range("x", arr, low=0)
    np.testing.assert_array_equal(out, arr)
    assert out.dtype == np.float64 and out is not arr
    arr[0] = -1.0  # editing the caller's array later does not reach a checked value
    assert out[0] == 0.1
    assert check_range("x", [[1, 2]], low=0).shape == (1, 2)
    assert check_range("x", 0.0, low=0) == 0.0
    assert check_range("x", 1e300, low=0, low_open=True) == 1e300


def test_check_range_shows_long_arrays_short():
    with pytest.raises(ValueError) as info:
        check_range("x", -np.arange(1000.0), low=0)
    assert len(str(info.value)) < 120


# -- check_int ----------------------------------------------------------------------------
def test_check_int():
    assert check_int("n", 3, low=1) == 3
    assert check_int("n", np.int64(4), low=1) == 4
    assert check_int("n", 5.0, low=1) == 5
    for bad in [1.5, True, "3", None, float("inf"), NAN]:
        with pytest.raises(ValueError, match=r"^n must be a whole number, got "):
            check_int("n", bad, low=1)
    with pytest.raises(ValueError, match=r"^n must be >= 1, got 0$"):
        check_int("n", 0, low=1)
    with pytest.raises(ValueError, match=r"^n must be in \[1, 10\], got 11$"):
        check_int("n", 11, low=1, high=10)


def test_check_int_shows_huge_values_short():
    # 1e300 is a whole number but far out of range: shown as 1e+300, not 301 digits
    with pytest.raises(ValueError, match=r"^n must be in \[1, 10\], got 1e\+300$"):
        check_int("n", 1e300, low=1, high=10)
    with pytest.raises(ValueError) as err:
        check_int("n", 10**400, low=1, high=10)
    assert len(str(err.value)) < 80 and str(err.value).endswith("...")


# -- check_broadcast ----------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(), (1,), (2,), (3, 1), (3, 2), (1, 1)])
def test_check_broadcast_accepts(shape):
    check_broadcast("lr", np.ones(shape), (3, 2))


@pytest.mark.parametrize("shape", [(3,), (2, 2), (4, 3, 2), (1, 3, 2)])
def test_check_broadcast_refuses(shape):
    # (1, 3, 2) broadcasts, but to a bigger shape than the parameter's: refused too
    expected = f"lr of shape {shape} does not broadcast against a parameter of shape (3, 2)"
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        check_broadcast("lr", np.ones(shape), (3, 2))


# -- every optimizer's hyper-parameters --------------------------------------------------
# (class, keywords, the parameter's name, the allowed range, the value as shown)
BAD = [
    (SGD, {"lr": 0}, "lr", "> 0", "0"),
    (SGD, {"lr": -0.1}, "lr", "> 0", "-0.1"),
    (SGD, {"lr": NAN}, "lr", "> 0", "nan"),
    (SGD, {"lr": np.array([[0.1], [-0.1]])}, "lr", "> 0", "[[ 0.1]\n [-0.1]]"),
    (SGD, {"lr": [0.1, NAN]}, "lr", "> 0", "[0.1 nan]"),
    (Momentum, {"lr": 0.0}, "lr", "> 0", "0.0"),
    (Momentum, {"momentum": 1.0}, "momentum", "in [0, 1)", "1.0"),
    (Momentum, {"momentum": -0.5}, "momentum", "in [0, 1)", "-0.5"),
    (Momentum, {"momentum": [0.5, 1.2]}, "momentum", "in [0, 1)", "[0.5 1.2]"),
    (Momentum, {"momentum": NAN}, "momentum", "in [0, 1)", "nan"),
    (Nesterov, {"momentum": 1}, "momentum", "in [0, 1)", "1"),
    (Adagrad, {"lr": -1}, "lr", "> 0", "-1"),
    (Adagrad, {"eps": 0}, "eps", "> 0", "0"),
    (Adagrad, {"eps": np.array([1e-10, 0.0])}, "eps", "> 0", "[1.e-10 0.e+00]"),
    (
        Adagrad,
        {"initial_accumulator_value": -1.0},
        "initial_accumulator_value",
        ">= 0",
        "-1.0",
    ),
    (RMSprop, {"lr": NAN}, "lr", "> 0", "nan"),
    (RMSprop, {"rho": 1}, "rho", "in [0, 1)", "1"),
    (RMSprop, {"rho": -0.01}, "rho", "in [0, 1)", "-0.01"),
    (RMSprop, {"rho": np.array([0.9, 1.5])}, "rho", "in [0, 1)", "[0.9 1.5]"),
    (RMSprop, {"eps": -1e-8}, "eps", "> 0", "-1e-08"),
    (RMSprop, {"momentum": 1.0}, "momentum", "in [0, 1)", "1.0"),
    (Adam, {"lr": 0}, "lr", "> 0", "0"),
    (Adam, {"betas": (1.0, 0.999)}, "betas[0] (rho1)", "in [0, 1)", "1.0"),
    (Adam, {"betas": (0.9, 1.0)}, "betas[1] (rho2)", "in [0, 1)", "1.0"),
    (Adam, {"betas": (-0.1, 0.999)}, "betas[0] (rho1)", "in [0, 1)", "-0.1"),
    (Adam, {"betas": (0.9, NAN)}, "betas[1] (rho2)", "in [0, 1)", "nan"),
    (
        Adam,
        {"betas": (np.array([0.9, 1.1]), 0.999)},
        "betas[0] (rho1)",
        "in [0, 1)",
        "[0.9 1.1]",
    ),
    (Adam, {"eps": 0.0}, "eps", "> 0", "0.0"),
    (Adam, {"weight_decay": -0.01}, "weight_decay", ">= 0", "-0.01"),
    (AdamW, {"weight_decay": NAN}, "weight_decay", ">= 0", "nan"),
    (AdamW, {"betas": (0.9, 2)}, "betas[1] (rho2)", "in [0, 1)", "2"),
]


@pytest.mark.parametrize(
    "cls, kwargs, name, allowed, shown",
    BAD,
    ids=[f"{c.__name__}-{n}-{s}" for c, _, n, _, s in BAD],
)
def test_bad_hyperparameter(cls, kwargs, name, allowed, shown):
    expected = f"{name} must be {allowed}, got {shown}"
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        cls(**kwargs)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("value", ["0.1", True, None, 1j])
def test_lr_must_be_a_number(name, value):
    with pytest.raises(ValueError, match=r"^lr must be (a number )?> 0, got "):
        OPTIMIZERS[name](lr=value)


@pytest.mark.parametrize(
    "cls, flag",
    [
        (Momentum, "nesterov"),
        (Nesterov, "nesterov"),
        (Adagrad, "eps_inside_sqrt"),
        (RMSprop, "centered"),
        (RMSprop, "eps_inside_sqrt"),
        (Adam, "amsgrad"),
        (Adam, "bias_correction"),
        (Adam, "eps_inside_sqrt"),
        (AdamW, "amsgrad"),
    ],
)
@pytest.mark.parametrize("value", [1, 0, "yes", "False", None, np.array([True])])
def test_flags_must_be_bools(cls, flag, value):
    with pytest.raises(ValueError, match=rf"^{flag} must be true or false, got "):
        cls(**{flag: value})


@pytest.mark.parametrize("cls", [Momentum, Adagrad, RMSprop, Adam])
def test_flags_accept_numpy_bools(cls):
    flag = {Momentum: "nesterov", Adagrad: "eps_inside_sqrt", RMSprop: "centered"}
    cls(**{flag.get(cls, "amsgrad"): np.True_})


@pytest.mark.parametrize("form", ["torch", "Notes", "", None, 1])
def test_unknown_momentum_form(form):
    with pytest.raises(ValueError, match=r"^form must be one of notes, pytorch; got "):
        Momentum(form=form)


@pytest.mark.parametrize("betas", [0.9, (0.9,), (0.9, 0.99, 0.999), None])
def test_betas_must_be_a_pair(betas):
    with pytest.raises(ValueError, match=r"^betas must be a pair \(rho1, rho2\), got "):
        Adam(betas=betas)


def test_rmsprop_refuses_alpha():
    # torch's RMSprop calls rho "alpha"; optviz never accepts it (alpha is the lr)
    with pytest.raises(TypeError):
        RMSprop(alpha=0.9)


# -- shapes that do not broadcast (checked at the first step, against the parameter) ------
@pytest.mark.parametrize(
    "cls, kwargs, name, shape",
    [
        (SGD, {"lr": np.full(3, 0.1)}, "lr", (3,)),
        (Momentum, {"momentum": np.full((4, 1), 0.9)}, "momentum", (4, 1)),
        (Adagrad, {"eps": np.full(3, 1e-10)}, "eps", (3,)),
        (
            Adagrad,
            {"initial_accumulator_value": np.zeros(5)},
            "initial_accumulator_value",
            (5,),
        ),
        (RMSprop, {"rho": np.full((3, 2), 0.9)}, "rho", (3, 2)),
        (Adam, {"betas": (np.full(3, 0.9), 0.999)}, "betas", (3,)),
        (Adam, {"weight_decay": np.zeros((1, 2, 2))}, "weight_decay", (1, 2, 2)),
        (AdamW, {"lr": np.full((3, 1), 1e-3)}, "lr", (3, 1)),
    ],
)
def test_hyperparameter_shape_must_broadcast(cls, kwargs, name, shape):
    opt = cls(**kwargs)
    w = np.zeros((2, 2))
    expected = (
        f"{name} of shape {shape} does not broadcast against a parameter of shape (2, 2)"
    )
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        opt.step(w, np.ones((2, 2)))
    np.testing.assert_array_equal(w, 0.0)  # nothing moved
    assert opt.state == []


def test_the_check_applies_to_every_parameter_of_a_list():
    opt = SGD(lr=np.full((2, 1), 0.1))
    with pytest.raises(ValueError, match=r"lr of shape \(2, 1\) .* shape \(3,\)"):
        opt.step([np.zeros((2, 3)), np.zeros(3)], [np.ones((2, 3)), np.ones(3)])


@pytest.mark.parametrize("bad", [-0.1, NAN, [0.1, -0.1]])
def test_a_schedule_must_give_a_valid_lr(bad):
    opt = SGD(lr=lambda t: 0.1 if t < 3 else bad)
    w = np.zeros(2)
    opt.step(w, np.ones(2))
    opt.step(w, np.ones(2))
    with pytest.raises(ValueError, match=r"^lr at step 3 must be >= 0, got "):
        opt.step(w, np.ones(2))
