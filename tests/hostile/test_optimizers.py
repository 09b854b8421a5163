"""Hostile input to the optimizers, SPECs and schedules: a one-line ValueError that says
what was wrong and what is allowed, and nothing changed (no parameter, no state, no
hyper-parameter) when it is raised."""

import copy

import numpy as np
import pytest

from optviz.optimizers import OPTIMIZERS, SGD, Adam, Momentum, RMSprop
from optviz.spec import build_optimizer, build_optimizers, parse_spec

NAMES = sorted(OPTIMIZERS)
#: The ones that take vectors (Muon takes matrices: tests/test_whole_optimizers.py)
VECTOR_NAMES = [name for name in NAMES if name != "muon"]


def snapshot(opt, params):
    """Everything a failed step must leave alone."""
    return copy.deepcopy((opt.state_dict(), [np.array(w, copy=True) for w in params]))


def assert_unchanged(opt, params, before):
    state, values = before
    now = opt.state_dict()
    assert now.keys() == state.keys() and now["hyper"].keys() == state["hyper"].keys()
    for key, value in state["hyper"].items():
        np.testing.assert_array_equal(now["hyper"][key], value)
    assert len(now["state"]) == len(state["state"])
    for a, b in zip(now["state"], state["state"]):
        assert a.keys() == b.keys()
        for key in a:
            np.testing.assert_array_equal(a[key], b[key])
    for w, old in zip(params, values):
        np.testing.assert_array_equal(w, old)


def one_line(excinfo, *fragments):
    text = str(excinfo.value)
    assert "\n" not in text and len(text) < 240, text
    for fragment in fragments:
        assert fragment in text, text


def stepped(name, rng, n=2):
    """An optimizer after one step on ``n`` parameters, and those parameters."""
    opt = OPTIMIZERS[name](lr=0.1)
    params = [rng.standard_normal(3) for _ in range(n)]
    opt.step(params, [rng.standard_normal(3) for _ in range(n)])
    return opt, params


# -- step: everything is checked before anything changes ---------------------------------
@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_a_read_only_parameter_changes_nothing(rng, name):
    opt, params = stepped(name, rng)
    params[1].flags.writeable = False
    before = snapshot(opt, params)
    with pytest.raises(ValueError) as excinfo:
        opt.step(params, [np.ones(3), np.ones(3)])
    one_line(excinfo, "parameter 1 is read-only")
    assert_unchanged(opt, params, before)
    assert [st.t for st in opt.state] == [1, 1]


@pytest.mark.parametrize("name", VECTOR_NAMES)
@pytest.mark.parametrize(
    ("grad", "message"),
    [
        (np.array(["a", "b", "c"]), "gradient 1 must hold real numbers, got dtype <U1"),
        (["1", "2", "3"], "gradient 1 must hold real numbers, got dtype <U1"),
        (np.array([1, None, 2], dtype=object), "got dtype object"),
        (np.ones(3) * 1j, "got dtype complex128"),
        (np.ones(3, dtype=bool), "got dtype bool"),
        ([[1.0], [2.0, 3.0]], "gradient 1 is not an array of numbers"),
        (np.ones(4), "gradient 1 has shape (4,), parameter has shape (3,)"),
    ],
    ids=["str", "str-list", "object", "complex", "bool", "ragged", "shape"],
)
def test_a_bad_gradient_changes_nothing(rng, name, grad, message):
    opt, params = stepped(name, rng)
    before = snapshot(opt, params)
    with pytest.raises(ValueError) as excinfo:
        opt.step(params, [np.ones(3), grad])
    one_line(excinfo, message)
    assert_unchanged(opt, params, before)


@pytest.mark.parametrize("name", NAMES)
def test_the_same_array_twice_is_refused(rng, name):
    w = rng.standard_normal(3)
    opt = OPTIMIZERS[name](lr=0.1)
    before = snapshot(opt, [w])
    with pytest.raises(ValueError) as excinfo:
        opt.step([w, w], [np.ones(3), np.ones(3)])
    one_line(excinfo, "parameters 0 and 1 share memory", "its own array")
    assert_unchanged(opt, [w], before)
    assert opt.state == []


def test_overlapping_views_are_refused_and_disjoint_ones_accepted(rng):
    w = rng.standard_normal(6)
    before = w.copy()
    with pytest.raises(ValueError) as excinfo:
        SGD(lr=0.1).step([w[:4], w[3:]], [np.ones(4), np.ones(3)])
    one_line(excinfo, "parameters 0 and 1 share memory")
    np.testing.assert_array_equal(w, before)
    # interleaved views share a buffer but no element: each is updated once
    SGD(lr=0.5).step([w[::2], w[1::2]], [np.ones(3), np.ones(3)])
    np.testing.assert_array_equal(w, before - 0.5)


def test_a_gradient_inside_another_parameter_is_refused(rng):
    a, b = rng.standard_normal(3), rng.standard_normal(6)
    opt = Adam(lr=0.1)
    with pytest.raises(ValueError) as excinfo:
        opt.step([a, b], [b[:3], np.ones(6)])
    one_line(excinfo, "gradient 0 shares memory with parameter 1", "pass a copy")
    assert opt.state == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (np.arange(3), "parameter 0 must be a float ndarray (it is updated in place)"),
        ([np.ones(3), [1.0, 2.0, 3.0]], "parameter 1 must be a float ndarray"),
        ({"w": np.ones(3)}, "params must be an ndarray or a list of ndarrays, got dict"),
        (None, "params must be an ndarray or a list of ndarrays, got NoneType"),
    ],
    ids=["int", "list-in-list", "dict", "none"],
)
def test_bad_params(params, message):
    opt = Momentum(lr=0.1)
    with pytest.raises(ValueError) as excinfo:
        opt.step(params, [np.ones(3), np.ones(3)] if isinstance(params, list) else params)
    one_line(excinfo, message)
    assert opt.state == []


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        (lambda t: -1.0 if t == 2 else 0.1, "lr at step 2 must be >= 0, got -1.0"),
        (lambda t: float("nan") if t == 2 else 0.1, "lr at step 2 must be >= 0, got nan"),
        (lambda t: "fast" if t == 2 else 0.1, "lr at step 2 must be a number >= 0"),
        (
            lambda t: np.ones(5) if t == 2 else 0.1,
            "lr at step 2 of shape (5,) does not broadcast against a parameter of shape",
        ),
    ],
    ids=["negative", "nan", "word", "shape"],
)
@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_a_bad_scheduled_lr_changes_nothing(rng, name, schedule, message):
    opt = OPTIMIZERS[name](lr=schedule)
    w = rng.standard_normal(3)
    opt.step(w, np.ones(3))
    before = snapshot(opt, [w])
    with pytest.raises(ValueError) as excinfo:
        opt.step(w, np.ones(3))
    one_line(excinfo, message)
    assert_unchanged(opt, [w], before)
    assert opt.state[0].t == 1


# -- hyper-parameters set after construction ----------------------------------------------
@pytest.mark.parametrize(
    ("name", "key", "value", "message"),
    [
        ("sgd", "lr", -1, "lr must be > 0, got -1"),
        ("adam", "lr", float("inf"), "lr must be > 0, got inf"),
        ("momentum", "momentum", 1.0, "momentum must be in [0, 1), got 1.0"),
        ("adam", "betas", (1.0, 0.9), "betas[0] (rho1) must be in [0, 1), got 1.0"),
        ("adam", "betas", 0.9, "betas must be a pair (rho1, rho2), got 0.9"),
        ("rmsprop", "eps", 0, "eps must be > 0, got 0"),
        ("rmsprop", "rho", "0.9", "rho must be a number in [0, 1), got '0.9'"),
        ("adam", "amsgrad", "yes", "amsgrad must be true or false, got 'yes'"),
        ("momentum", "form", "torch", "form must be one of notes, pytorch; got 'torch'"),
        ("adagrad", "eps", np.ones(5), "eps of shape (5,) does not broadcast"),
        ("adam", "amsgrad", True, "amsgrad cannot change to True after the first step"),
        ("rmsprop", "centered", True, "centered cannot change"),
        ("rmsprop", "momentum", 0.9, "momentum cannot change to 0.9 after the first step"),
        ("momentum", "form", "pytorch", "call reset() first"),
    ],
)
def test_setting_a_bad_hyperparameter_raises_and_keeps_the_old(
    rng, name, key, value, message
):
    opt, params = stepped(name, rng)
    before = snapshot(opt, params)
    with pytest.raises(ValueError) as excinfo:
        setattr(opt, key, value)
    one_line(excinfo, message)
    assert_unchanged(opt, params, before)
    opt.step(params, [np.ones(3), np.ones(3)])  # and it still steps


def test_a_good_hyperparameter_set_later_takes_effect():
    # w = 1, g = 1: lr 0.1 then (set) 0.3: w = 1 - 0.1 - 0.3 = 0.6
    opt, w = SGD(lr=0.1), np.ones(1)
    opt.step(w, np.ones(1))
    opt.lr = 0.3
    opt.step(w, np.ones(1))
    np.testing.assert_allclose(w, [0.6], rtol=1e-15)
    opt.reset()
    opt_ams = Adam()
    opt_ams.amsgrad = True  # before the first step: allowed
    opt_ams.step(w, np.ones(1))
    assert opt_ams.state[0].r_max is not None


def test_an_unknown_keyword_names_the_allowed_ones():
    with pytest.raises(
        TypeError, match="Adam has no hyper-parameter 'lrr'; its keys: lr, betas"
    ):
        Adam(lrr=0.1)


# -- checkpoints that do not fit ---------------------------------------------------------
@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda sd: {"x": 1}, "a state dict has the keys name, hyper, state, single"),
        (lambda sd: {**sd, "name": "sgd"}, "this state dict is of 'sgd', not of 'adam'"),
        (lambda sd: {**sd, "hyper": {"lr": 0.1}}, "are not adam's"),
        (
            lambda sd: {**sd, "hyper": {**sd["hyper"], "lr": -1.0}},
            "lr must be > 0, got -1.0",
        ),
        (
            lambda sd: {**sd, "state": [{**sd["state"][0], "r": np.ones(4)}]},
            "state 0: r has shape (4,), the state (3,)",
        ),
        (
            lambda sd: {**sd, "state": [{**sd["state"][0], "t": -2}]},
            "state 0: t must be a whole number >= 0, got -2",
        ),
        (
            lambda sd: {**sd, "hyper": {**sd["hyper"], "amsgrad": True}},
            "state 0 holds ['r', 's'], adam with these hyper-parameters needs",
        ),
        (
            lambda sd: {**sd, "state": [{**sd["state"][0], "s": np.array(["a"] * 3)}]},
            "state 0: s must be floats",
        ),
    ],
    ids=["junk", "class", "keys", "lr", "shape", "t", "layout", "dtype"],
)
def test_a_checkpoint_that_does_not_fit_changes_nothing(rng, edit, message):
    source, _ = stepped("adam", rng, n=1)
    bad = edit(source.state_dict())
    opt, params = stepped("adam", rng, n=1)
    before = snapshot(opt, params)
    with pytest.raises(ValueError) as excinfo:
        opt.load_state_dict(bad)
    one_line(excinfo, message)
    assert_unchanged(opt, params, before)


# -- SPECs and schedules -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("adam:lr=1,lr=2", "in 'adam:lr=1,lr=2': lr is given twice"),
        ("amsgrad:amsgrad=false", "amsgrad is given twice"),
        ("sgd:warmup=1e300", "warmup must be in [1, 1e+09], got 1e+300"),
        (
            "sgd:schedule=step,step_size=1e300",
            "step_size must be in [1, 1e+09], got 1e+300",
        ),
        ("sgd:schedule=cosine,total_steps=1e19", "total_steps must be in [1, 1e+09]"),
        ("sgd:schedule=cosine,warmup=1e300", "warmup must be in [1, 1e+09]"),
        ("sgd:schedule=exponential,gamma=1e300", "gamma must be in (0, 1], got 1e+300"),
        ("sgd:lr=1e999", "lr must be > 0, got inf"),
        ("amsgrd", "Did you mean amsgrad (= adam:amsgrad=true)"),
        ("adam:betas=0.9", "betas must be a pair (rho1, rho2), got 0.9"),
    ],
)
def test_bad_specs_are_one_line(spec, message):
    with pytest.raises(ValueError) as excinfo:
        build_optimizer(spec, steps=100)
    one_line(excinfo, message)


@pytest.mark.parametrize(
    "spec",
    [
        "adam:" + "x" * 100_000 + "=1",
        "adam:lr=" + "9" * 100_000,
        "x" * 100_000,
        "adam:lr=1," + "lr=2," * 20_000,
        "sgd:warmup=" + "1" * 5000,
        "adam:" + "lr" * 50_000,
    ],
    ids=["key", "value", "name", "repeated", "long-int", "no-equals"],
)
def test_a_huge_spec_is_quoted_short(spec):
    with pytest.raises(ValueError) as excinfo:
        build_optimizers([spec], steps=100)
    text = str(excinfo.value)
    assert "\n" not in text and len(text) < 400, text[:500]
    assert spec[:200] not in text


def test_amsgrad_is_an_alias_and_labels_tell_it_apart():
    assert parse_spec("amsgrad:lr=0.1") == ("adam", {"amsgrad": True, "lr": 0.1})
    opts = build_optimizers(["adam", "amsgrad"], steps=10)
    assert list(opts) == ["adam", "adam (amsgrad=true)"]
    assert opts["adam (amsgrad=true)"].amsgrad and not opts["adam"].amsgrad


def test_a_schedule_never_overflows_at_any_step():
    # the largest step counts allowed, far into the run: finite learning rates
    _, opt = build_optimizer(
        "sgd:schedule=step,step_size=1e9,gamma=0.5,warmup=1e9", steps=10
    )
    for t in (1, 10**9, 2 * 10**9 + 1, 10**15):
        assert np.isfinite(opt.lr(t))
    _, opt = build_optimizer("sgd:schedule=cosine,total_steps=1e9", steps=10)
    assert opt.lr(10**15) == 0.0


def test_rmsprop_momentum_array_keeps_its_buffer(rng):
    # momentum as an array with some rows 0: the buffer exists for all rows
    opt = RMSprop(lr=0.1, momentum=np.array([[0.0], [0.9]]))
    w = rng.standard_normal((2, 2))
    opt.step(w, np.ones((2, 2)))
    assert opt.state[0].b.shape == (2, 2)


# -- crafted checkpoints: only ValueError naming the field, never a moment out of range ---
def _deep(depth, leaf):
    for _ in range(depth):
        leaf = [leaf]
    return leaf


def _nested_warmups(depth):
    params = {"schedule": "constant", "lr": 0.1}
    for _ in range(depth):
        params = {"schedule": "warmup", "warmup_steps": 1, "inner": params}
    return params


def _state(sd, **fields):
    return {**sd, "state": [{**sd["state"][0], **fields}, *sd["state"][1:]]}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda sd: {**sd, "state": 5}, "the state dict's state must be a list"),
        (lambda sd: {**sd, "state": [[1, 2]]}, "state 0 must be a dict"),
        (lambda sd: {**sd, "hyper": 5}, "the state dict's hyper must be a dict"),
        (lambda sd: {**sd, "hyper": {**sd["hyper"], 1: 2}}, "hyper must be a dict"),
        (lambda sd: {**sd, "name": np.array(["adam", "x"])}, "this state dict is of"),
        (lambda sd: {**sd, "single": np.array([1, 2])}, "single must be true or false"),
        (
            lambda sd: {**sd, "state": [{"shape": (10**6, 10**6), "t": 1}]},
            "state 0 holds [], adam with these hyper-parameters needs ['r', 's']",
        ),
        (lambda sd: _state(sd, shape=(2**64,)), "state 0: shape must be a tuple of sizes"),
        (lambda sd: _state(sd, shape=(-3,)), "state 0: shape must be a tuple of sizes"),
        (lambda sd: _state(sd, t=2**64), "state 0: t must be below 2**63"),
        (
            lambda sd: {**sd, "hyper": {**sd["hyper"], "lr": _nested_warmups(5000)}},
            "lr is nested more than 8 levels deep",
        ),
        (
            lambda sd: {**sd, "hyper": {**sd["hyper"], "betas": _deep(100_000, 0.9)}},
            "betas is nested more than 8 levels deep",
        ),
        (lambda sd: _state(sd, r=_deep(100_000, 1.0)), "state 0: r must be an array"),
        (lambda sd: _state(sd, r=[[1.0], [1.0, 2.0]]), "state 0: r must be an array"),
        (
            lambda sd: _state(sd, r=np.array([1.0, np.nan, 1.0])),
            "state 0: r must be finite and >= 0 (it accumulates g^2), got nan at [1]",
        ),
        (
            lambda sd: _state(sd, r=-np.ones(3)),
            "state 0: r must be finite and >= 0 (it accumulates g^2), got -1.0 at [0]",
        ),
        (
            lambda sd: _state(sd, s=np.array([0.0, 0.0, np.inf])),
            "state 0: s must be finite, got inf at [2]",
        ),
        (lambda sd: {**sd, "name": "x" * 100_000}, "this state dict is of 'xxx"),
    ],
    ids=[
        "state-not-a-list",
        "entry-not-a-dict",
        "hyper-not-a-dict",
        "hyper-key-not-text",
        "name-an-array",
        "single-an-array",
        "huge-shape-without-arrays",
        "size-beyond-int64",
        "negative-size",
        "t-beyond-int64",
        "schedule-nested-5000-deep",
        "betas-nested-100000-deep",
        "array-nested-100000-deep",
        "ragged-array",
        "nan-moment",
        "negative-second-moment",
        "infinite-first-moment",
        "huge-name",
    ],
)
def test_a_crafted_checkpoint_raises_one_value_error_naming_the_field(rng, edit, message):
    source, _ = stepped("adam", rng, n=1)
    bad = edit(source.state_dict())
    opt, params = stepped("adam", rng, n=1)
    before = snapshot(opt, params)
    with pytest.raises(ValueError) as excinfo:
        opt.load_state_dict(bad)
    one_line(excinfo, message)
    assert_unchanged(opt, params, before)


@pytest.mark.parametrize("name", ["adagrad", "rmsprop", "adam", "amsgrad"])
def test_a_checkpoint_with_a_negative_sum_of_squares_is_refused(name):
    """Adagrad with r = -1 once moved w by -1e8 (the root of a negative number)."""
    _, opt = build_optimizer(name, steps=10)
    w = np.ones(1)
    opt.step(w, np.ones(1))
    checkpoint = opt.state_dict()
    for field in ("r", "r_max"):
        if field in checkpoint["state"][0]:
            bad = copy.deepcopy(checkpoint)
            bad["state"][0][field] = np.array([-1.0])
            with pytest.raises(ValueError) as excinfo:
                opt.load_state_dict(bad)
            one_line(excinfo, f"state 0: {field} must be finite and >= 0")


def test_a_checkpoint_of_a_huge_parameter_without_arrays_allocates_nothing():
    """SGD's state holds no arrays: a claimed 10^14-element shape is only a shape."""
    opt = SGD(lr=0.1)
    opt.load_state_dict(
        {
            "name": "sgd",
            "hyper": SGD().state_dict()["hyper"],
            "single": True,
            "state": [{"shape": (10**7, 10**7), "t": 3}],
        }  # fmt: skip
    )
    assert opt.state[0].shape == (10**7, 10**7) and opt.state[0].t == 3
    with pytest.raises(ValueError, match="parameter 0 has shape"):
        opt.step(np.ones(2), np.ones(2))
