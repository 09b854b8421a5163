"""The optimizers beyond the notes' five and their relatives equal their reference
implementations (``torch.optim`` 2.13 for the rest of torch's optimizers) step for step,
to rounding error, for every documented option.

The reference, ``tests/reference/zoo_reference.npz``, was recorded once by
``tests/reference/make_zoo_reference.py`` (float64, ``foreach=False``); these tests need
numpy only. The error measure and tolerances are those of ``test_against_torch.py``.
"""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from optviz.optimizers import OPTIMIZERS

GENERATOR = Path(__file__).parent / "reference" / "make_zoo_reference.py"
RANDOM_RTOL = 1e-12
SURFACE_RTOL = 1e-10
DISPLACEMENT_RTOL = 1e-9


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_zoo_reference", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ref = _load_generator()
base = ref.base


@pytest.fixture(scope="module")
def stored():
    with np.load(ref.OUTPUT) as data:
        return {key: data[key] for key in data.files}


@pytest.fixture(scope="module")
def info(stored):
    return json.loads(str(stored["meta"]))


def optimizer(case, lr):
    name, kwargs = ref.CASES[case]["optviz"]
    return OPTIMIZERS[name](lr=lr, **kwargs)


def test_the_reference_holds_every_case_and_was_made_by_torch_2_13(stored, info):
    assert info["torch"].startswith("2.13")
    assert info["packages"] == {
        "lion-pytorch": "0.2.5",
        "adabelief-pytorch": "0.2.1",
        "schedulefree": "1.4.1",
        "prodigyopt": "1.1.2",
    }
    assert set(info["cases"]) == set(ref.CASES)
    for case in ref.CASES:
        assert f"random/{case}/0" in stored
    # the paths with no well-conditioned reference (so not compared): Rprop's sign steps
    # oscillate around the quadratic's minimum (a rounding change flips a sign) and grow
    # without bound on the saddle; RAdam with ρ2 = 0.9 (rectified from step 5 on)
    # leaves Rosenbrock's box at every rate tried
    rprop = {
        f"{s}/{c}" for s in ("quadratic", "saddle") for c in ("rprop", "rprop_etas_sizes")
    }
    # Prodigy: on the saddle (defaults, L2 term) d grows without bound down its
    # unbounded side; on Rosenbrock (decoupled decay, slices) no rate tried gives a
    # path insensitive to a few ulps of the step size
    prodigy = {"saddle/prodigy", "saddle/prodigy_l2"} | {
        f"rosenbrock/prodigy_{c}" for c in ("decoupled", "slice")
    }
    assert set(info["skipped"]) == rprop | prodigy | {"rosenbrock/radam_betas"}


def test_every_keyword_of_every_zoo_optimizer_is_exercised():
    # every keyword but lr appears, away from its default, in some case of its class
    for name in {c["optviz"][0] for c in ref.CASES.values()}:
        cls = OPTIMIZERS[name]
        used = {
            k for c in ref.CASES.values() if c["optviz"][0] == name for k in c["optviz"][1]
        }
        assert used == set(cls.hyper) - {"lr"}, f"{name}: {set(cls.hyper) - {'lr'} - used}"


@pytest.mark.parametrize("case", sorted(ref.CASES))
def test_random_gradients(stored, case):
    init, grads = ref.random_data(case)
    for j, w0 in enumerate(init):  # the same data the reference was made from
        np.testing.assert_array_equal(w0, stored[f"random/{case}/{j}"][0])
    params = [w.copy() for w in init]
    opt = optimizer(case, ref.lr_for(case, "random"))
    paths = base.drive(
        params,
        lambda t, g: opt.step(params, g),
        base.random_grad_fn(grads),
        ref.RANDOM_STEPS,
    )
    for j, path in enumerate(paths):
        want = stored[f"random/{case}/{j}"]
        err = base.relative_error(path, want)
        assert err <= RANDOM_RTOL, f"{case} parameter {j}: {err:.1e}"
        # the displacement too (Prodigy's first steps are tiny against the start)
        err = base.relative_error(path - path[0], want - want[0])
        assert err <= DISPLACEMENT_RTOL, f"{case} parameter {j} moved: {err:.1e}"
    field = ref.CASES[case]["state"]
    if field:  # ASGD's averaged iterate (torch's ax), Schedule-Free's x (after eval())
        for j, st in enumerate(opt.state):
            want = stored[f"random/{case}/state/{j}"]
            err = base.relative_error(getattr(st, field[0])[None], want[None])
            assert err <= RANDOM_RTOL, f"{case} {field[0]} {j}: {err:.1e}"


SURFACE_CASES = [(s, c) for c in sorted(ref.CASES) for s in ref.settings(c)[1:]]


@pytest.mark.parametrize("surface,case", SURFACE_CASES)
def test_surface_paths(stored, info, surface, case):
    key = f"{surface}/{case}"
    if key in info["skipped"]:
        pytest.skip(f"{key}: no well-conditioned reference path")
    params = [np.array(ref.STARTS[surface], dtype=np.float64)]
    opt = optimizer(case, info["surface_lr"][key])
    (path,) = base.drive(  # a point on a surface (Muon's is a 1 x 2 matrix)
        params,
        lambda t, g: opt.step(params, g, points=True),
        base.surface_grad_fn(surface),
        ref.SURFACE_STEPS,
        ref.STRIDE,
    )
    err = base.relative_error(path, stored[key])
    assert err <= SURFACE_RTOL, f"{key}: {err:.1e}"


def test_asgd_averages_only_after_t0():
    # by hand: SGD with λ = 0 and a constant rate; t0 = 2. Step t averages with the
    # weight m_t = 1/max(1, t - 1 - t0) set by the step before: m = 1 for t ≤ 4
    # (w̄ = w), then m_5 = 1/2: w̄_5 = w_4 + (w_5 - w_4)/2
    opt = OPTIMIZERS["asgd"](lr=0.1, lambd=0.0, t0=2.0)
    w, ws = np.array([1.0]), []
    for _ in range(5):
        opt.step(w, np.array([1.0]))
        ws.append(w[0])
        if len(ws) == 4:
            assert opt.state[0].w_bar[0] == w[0]
    np.testing.assert_allclose(ws, [0.9, 0.8, 0.7, 0.6, 0.5])
    assert opt.state[0].w_bar[0] == pytest.approx((0.6 + 0.5) / 2)


def test_radam_steps_as_momentum_until_the_rectification_is_defined():
    # ρ2 = 0.999: ℓ_t = ℓ∞ - 2tρ2^t/(1-ρ2^t) ≤ 5 for t ≤ 5, so w moves by α ŝ = α g
    # (constant g: ŝ = g exactly) and not by α g / |g|
    opt = OPTIMIZERS["radam"](lr=0.1)
    w = np.array([0.0])
    for _ in range(5):
        opt.step(w, np.array([3.0]))
    assert w[0] == pytest.approx(-5 * 0.1 * 3.0, rel=1e-12)
    assert opt.rectification(5) == 0.0 and 0 < opt.rectification(6) < 1


def test_muon_bfloat16_difference_stated_in_its_docstring_is_the_measured_one(info):
    measured = info["muon_bfloat16"]
    doc = " ".join(OPTIMIZERS["muon"].__doc__.split())
    first, path = f"{100 * measured['first_step']:.1f} %", f"{100 * measured['path']:.2f} %"
    assert f"by {first} and their 50-step paths by {path}" in doc
