"""SPECs: optimizer keys as before, plus learning-rate schedule keys."""

import numpy as np
import pytest

from optviz.optimizers import SGD, Adam, Momentum
from optviz.schedules import Cosine, Step, Warmup
from optviz.spec import (
    SCHEDULE_KEYS,
    build_optimizer,
    build_optimizers,
    lr_sources,
    parse_spec,
    split_schedule,
)
from optviz.surfaces import get


def test_parse_spec_unchanged():
    assert parse_spec("adam:lr=0.05,betas=0.9/0.99") == (
        "adam",
        {"lr": 0.05, "betas": (0.9, 0.99)},
    )
    assert parse_spec("momentum:form=pytorch,nesterov=true") == (
        "momentum",
        {"form": "pytorch", "nesterov": True},
    )
    name, opt = build_optimizer("adam:bias_correction=false", get("rosenbrock"))
    assert isinstance(opt, Adam) and opt.bias_correction is False
    assert opt.lr == get("rosenbrock").default_lr("adam")


def test_schedule_keys_parse_and_split():
    name, kwargs = parse_spec("sgd:lr=0.01,schedule=cosine,warmup=20")
    assert name == "sgd"
    opt, sched = split_schedule(kwargs)
    assert opt == {"lr": 0.01}
    assert sched == {"schedule": "cosine", "warmup": 20.0}
    assert set(sched) <= set(SCHEDULE_KEYS)


def test_cosine_spans_the_run_minus_the_warmup():
    _, opt = build_optimizer("sgd:lr=0.01,schedule=cosine,warmup=20", steps=500)
    assert isinstance(opt, SGD) and isinstance(opt.lr, Warmup)
    assert isinstance(opt.lr.inner, Cosine) and opt.lr.inner.total_steps == 480
    assert opt.lr(20) == pytest.approx(0.01)
    assert opt.lr(501) == pytest.approx(0.0)


def test_surface_steps_and_default_lr_apply():
    surface = get("rosenbrock")
    _, opt = build_optimizer(
        "momentum:form=pytorch,schedule=step,step_size=10,gamma=0.5", surface
    )
    assert isinstance(opt, Momentum) and isinstance(opt.lr, Step)
    assert opt.lr.lr == surface.default_lr("momentum")
    _, opt = build_optimizer("adam:schedule=cosine", surface)
    assert opt.lr.total_steps == surface.steps
    _, opt = build_optimizer("adam:warmup=5", default_lr=0.3)
    assert opt.lr(5) == pytest.approx(0.3) and opt.lr(1) == pytest.approx(0.06)


@pytest.mark.parametrize(
    "spec, message",
    [
        ("sgd:gamma=0.5", "gamma does not apply to schedule=constant"),
        ("sgd:schedule=cos", "schedule must be one of constant, step, exponential, cosine"),
        ("sgd:schedule=cosine,warmup=600", "warmup must be < the 500 steps of the run"),
        ("sgd:warmup=0", "warmup must be in [1, 1e+09], got 0"),
        ("sgd:schedle=step", "Did you mean schedule?"),
        ("adam:schedule=step,step_size=2.5", "step_size must be a whole number"),
        ("sgd:schedule=exponential,gamma=2", "gamma must be in (0, 1], got 2"),
    ],
)
def test_bad_schedule_keys(spec, message):
    with pytest.raises(ValueError) as err:
        build_optimizer(spec, steps=500)
    assert message in str(err.value)
    assert spec in str(err.value) or "Did you mean" in str(err.value)


def test_cosine_without_a_step_count_is_refused():
    with pytest.raises(ValueError, match="total_steps"):
        build_optimizer("sgd:schedule=cosine")


def test_labels_and_lr_sources():
    surface = get("rosenbrock")
    specs = ["sgd", "sgd:schedule=exponential,gamma=0.99", "adam:lr=0.1"]
    opts = build_optimizers(specs, surface, steps=100)
    assert list(opts) == ["sgd", "sgd (schedule=exponential, gamma=0.99)", "adam"]
    assert lr_sources(specs, surface, steps=100) == {
        "sgd": "rosenbrock's default for sgd",
        "sgd (schedule=exponential, gamma=0.99)": "rosenbrock's default for sgd",
        "adam": "set in the SPEC",
    }
    assert np.isclose(
        opts["sgd (schedule=exponential, gamma=0.99)"].lr(2), 0.99 * opts["sgd"].lr
    )


def test_amsgrad_alias_expands_and_is_listed_in_errors():
    assert parse_spec("amsgrad") == ("adam", {"amsgrad": True})
    _, opt = build_optimizer("amsgrad:lr=0.1,betas=0.5/0.9")
    assert isinstance(opt, Adam) and opt.amsgrad and opt.betas == (0.5, 0.9)
    with pytest.raises(ValueError, match="aliases: amsgrad = adam:amsgrad=true"):
        parse_spec("lamb")


def test_a_repeated_key_is_refused_not_overwritten():
    with pytest.raises(ValueError, match=r"in 'adam:lr=1,lr=2': lr is given twice"):
        parse_spec("adam:lr=1,lr=2")
    with pytest.raises(ValueError, match="warmup is given twice"):
        parse_spec("sgd:warmup=5,schedule=cosine,warmup=6")


def test_relatives_take_their_familys_surface_lr():
    surface = get("rosenbrock")
    assert build_optimizer("nesterov", surface)[1].lr == surface.lr["momentum"]
    assert build_optimizer("adamw", surface)[1].lr == surface.lr["adam"]
    assert build_optimizer("amsgrad", surface)[1].lr == surface.lr["adam"]


def test_keys_are_the_declared_defaults():
    from optviz.spec import allowed_keys

    assert allowed_keys("nesterov") == ["lr", "momentum", "nesterov", "form"]
    assert allowed_keys("adamw") == allowed_keys("adam")
