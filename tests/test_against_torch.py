"""optviz's iterates equal ``torch.optim``'s to rounding error, for every class and option.

The reference, ``tests/reference/torch_reference.npz``, was recorded once by
``tests/reference/make_torch_reference.py`` with torch (float64, ``foreach=False``).
These tests need numpy only: they load that script (which imports torch only inside the
functions that run it) for the case table, the surfaces' gradients and the driver, so the
formulas and hyper-parameters are written once. ``test_live_against_torch`` repeats the
comparison with torch itself where torch is installed (not in CI).

Error measure: :func:`relative_error`, the largest norm-wise relative difference
``max|ours - ref| / max|ref|`` over each parameter array at each stored step. torch fuses
multiply-adds and uses ``lerp``, so its rounding is a few ulps of the largest term of an
update; an element passing near 0 would give an element-wise relative error that is
only rounding.
"""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

import optviz.optimizers as optimizers

GENERATOR = Path(__file__).parent / "reference" / "make_torch_reference.py"
#: 50 steps of stored random gradients (scales 1e-6..1e3): errors cannot amplify.
RANDOM_RTOL = 1e-12
#: 500 steps on a surface, gradient from the current iterate: rounding differences are
#: carried along the path (the generator checks each path is well conditioned).
SURFACE_RTOL = 1e-10


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_torch_reference", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ref = _load_generator()
relative_error = ref.relative_error


@pytest.fixture(scope="module")
def stored():
    with np.load(ref.OUTPUT) as data:
        return {key: data[key] for key in data.files}


def optviz_stepper(case, setting, params):
    """``step(t, grads)`` running the optviz side of ``case`` on ``params``."""
    name, kwargs = ref.CASES[case]["optviz"]
    lr, schedule = ref.lr_for(case, setting)
    opt = getattr(optimizers, name)(lr=schedule or lr, **kwargs)
    return lambda t, grads: opt.step(params, grads)


def optviz_random_paths(case, init, grads):
    params = [w.copy() for w in init]
    step = optviz_stepper(case, "random", params)
    return ref.drive(params, step, ref.random_grad_fn(grads), ref.RANDOM_STEPS)


def optviz_surface_path(case, surface):
    params = [np.array(ref.STARTS[surface], dtype=np.float64)]
    step = optviz_stepper(case, surface, params)
    grad_fn = ref.surface_grad_fn(surface)
    (path,) = ref.drive(params, step, grad_fn, ref.SURFACE_STEPS, ref.STRIDE)
    return path


def _random_data(stored):
    n = len(ref.PARAM_SHAPES)
    init = [stored[f"random/init/{j}"] for j in range(n)]
    grads = [stored[f"random/grads/{j}"] for j in range(n)]
    return init, grads


# -- the stored reference ----------------------------------------------------------------
def test_reference_matches_the_generator(stored):
    info = json.loads(str(stored["meta"]))
    current = ref.meta()
    changed = sorted(k for k in current if info.get(k) != current[k])
    assert not changed, (
        f"{changed} changed in make_torch_reference.py since the reference was recorded; "
        "run it again with torch"
    )
    assert ref.OUTPUT.stat().st_size < 1_000_000


def zoo_cases() -> dict:
    path = GENERATOR.with_name("make_zoo_reference.py")
    spec = importlib.util.spec_from_file_location("make_zoo_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CASES


def test_reference_covers_every_class_and_option():
    covered = {
        (name, tuple(sorted(kw))) for name, kw in (c["optviz"] for c in ref.CASES.values())
    }
    names = {name for name, _ in covered}
    # the optimizers beyond these are held to their references by test_against_zoo.py
    zoo = {
        optimizers.OPTIMIZERS[name].__name__
        for name, _ in (c["optviz"] for c in zoo_cases().values())
    }
    assert names | zoo == {cls.__name__ for cls in optimizers.OPTIMIZERS.values()}
    assert not names & zoo
    options = {key for _, keys in covered for key in keys}
    assert {
        "form",
        "momentum",
        "nesterov",
        "initial_accumulator_value",
        "centered",
        "amsgrad",
        "weight_decay",
    } <= options


@pytest.mark.parametrize("name", list(ref.SURFACES))
def test_reference_surfaces_are_the_packages(name, rng):
    # The generator keeps its own plain formulas (it runs where only torch and numpy
    # are); they must be the gradients of the surfaces optviz ships under those names.
    import optviz.surfaces as surfaces

    if name not in surfaces.SURFACES:
        pytest.skip(f"surfaces has no {name!r} yet")
    xy = rng.uniform(-3.0, 3.0, size=(200, 2))
    err = relative_error(ref.SURFACES[name](xy), surfaces.SURFACES[name].grad(xy))
    assert err <= 1e-13, f"{name}: the reference's gradient differs by {err:.1e}"


def test_random_gradients_span_the_scales(stored):
    _, grads = _random_data(stored)
    magnitudes = np.abs(np.concatenate([g.ravel() for g in grads]))
    assert magnitudes.min() < 1e-6 and magnitudes.max() > 1e3


@pytest.mark.parametrize("case", list(ref.CASES))
def test_random_gradients_match_torch(case, stored):
    init, grads = _random_data(stored)
    ours = optviz_random_paths(case, init, grads)
    for j, path in enumerate(ours):
        err = relative_error(path, stored[f"random/{case}/{j}"])
        assert err <= RANDOM_RTOL, f"{case}, parameter {j}: relative error {err:.1e}"


@pytest.mark.parametrize("surface", list(ref.SURFACES))
@pytest.mark.parametrize("case", list(ref.CASES))
def test_surface_paths_match_torch(case, surface, stored):
    ours = optviz_surface_path(case, surface)
    err = relative_error(ours, stored[f"{surface}/{case}"])
    assert err <= SURFACE_RTOL, f"{case} on {surface}: relative error {err:.1e}"


def test_relative_error_is_normwise():
    ref_path = np.array([[1.0, 0.0], [2.0, 1e-300]])
    ours = ref_path + np.array([[1e-16, 1e-16], [0.0, 2e-16]])
    assert relative_error(ours, ref_path) == pytest.approx(1e-16)
    with pytest.raises(ValueError, match="shapes differ"):
        relative_error(ours[:1], ref_path)


# -- live, where torch is installed (development only) -------------------------------
@pytest.mark.parametrize("case", list(ref.CASES))
def test_live_against_torch(case, stored):
    pytest.importorskip("torch")
    init, grads = _random_data(stored)
    params = [w.copy() for w in init]
    step = ref.torch_stepper(case, "random", params)
    theirs = ref.drive(params, step, ref.random_grad_fn(grads), ref.RANDOM_STEPS)
    for j, (path, other) in enumerate(zip(optviz_random_paths(case, init, grads), theirs)):
        err = relative_error(path, other)
        assert err <= RANDOM_RTOL, f"{case}, parameter {j}: relative error {err:.1e}"
    for surface in ref.SURFACES:
        err = relative_error(
            optviz_surface_path(case, surface), ref.torch_surface_path(case, surface)
        )
        assert err <= SURFACE_RTOL, f"{case} on {surface}: relative error {err:.1e}"
