r"""Record the reference iterates of the optimizers beyond the notes' five and their
relatives: the rest of ``torch.optim``, and newer optimizers against their authors'
packages (``lion-pytorch``, ``adabelief-pytorch``, ``schedulefree``), for
``tests/test_against_zoo.py``.

Run once, with a development venv that has torch 2.13 (``pip install torch==2.13.0``)
and the reference packages (``pip install lion-pytorch==0.2.5 adabelief-pytorch==0.2.1
schedulefree==1.4.1``, after torch); none of them is a dependency of optviz or of
its tests::

    python tests/reference/make_zoo_reference.py

It writes ``zoo_reference.npz`` beside this file. Everything runs in float64
(``torch.set_default_dtype(torch.float64)``, so that torch's scalar state, such as
NAdam's momentum product and ASGD's rate, is float64 too) with ``foreach=False``.
The settings and the driver are those of ``make_torch_reference.py`` (50 steps of
stored random gradients on two parameters; 500 steps on four surfaces from two starts,
every 5th iterate stored, each path checked to be insensitive to a one-ulp change of
its start and to a change of a few ulps of every gradient along it; where the case's
rate gives no such path, a smaller one is tried, and the
rate used is stored); only the case table and the learning rates are this file's.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
OUTPUT = HERE / "zoo_reference.npz"


def _base():
    spec = importlib.util.spec_from_file_location(
        "make_torch_reference", HERE / "make_torch_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


base = _base()
SURFACES, STARTS = base.SURFACES, base.STARTS
RANDOM_STEPS, SURFACE_STEPS, STRIDE = base.RANDOM_STEPS, base.SURFACE_STEPS, base.STRIDE


def _case(optviz, reference, lr, *, surfaces=True, state=None):
    """``optviz``: (registry name, keywords); ``reference``: ("module:Class",
    keywords); ``lr``: the learning rate of every setting (a number, or a dict by
    setting with key "random" and one per surface); ``surfaces``: whether the case
    runs on the surfaces too (a ``maximize`` case climbs, so only on random
    gradients); ``state``: (optviz state field, reference state key) compared after
    the random run."""
    return {
        "optviz": optviz,
        "reference": reference,
        "lr": lr,
        "surfaces": surfaces,
        "state": state,
    }


_T = "torch.optim:"
_WD = {"weight_decay": 0.1}
_QUIET = {"print_change_log": False}  # adabelief-pytorch prints a table otherwise
_LOOP = {"foreach": False}  # schedulefree: the per-tensor loop, as torch's foreach=False
#: Schedule-Free's averaged iterate: what the reference's eval() puts in the parameters
_X = ("x", "eval")
_SF = {"momentum": 0.5, "warmup_steps": 10, "r": 1.0, "weight_lr_power": 1.0, **_WD}
_SFA = {
    "betas": (0.8, 0.99),
    "eps": 1e-6,
    "warmup_steps": 10,
    "r": 0.5,
    "weight_lr_power": 1.0,
    "weight_decay": 0.01,
}
#: name -> case. Every option ``torch.optim`` documents for a class (besides foreach,
#: capturable, differentiable and fused, which change how, not what, it computes).
CASES = {
    "adadelta": _case(("adadelta", {}), (_T + "Adadelta", {}), 1.0),
    "adadelta_rho_eps": _case(
        ("adadelta", {"rho": 0.5, "eps": 1e-4}),
        (_T + "Adadelta", {"rho": 0.5, "eps": 1e-4}),
        0.5,
    ),
    "adadelta_weight_decay": _case(("adadelta", _WD), (_T + "Adadelta", _WD), 1.0),
    "adadelta_maximize": _case(
        ("adadelta", {"maximize": True}),
        (_T + "Adadelta", {"maximize": True}),
        1.0,
        surfaces=False,
    ),
    "adamax": _case(("adamax", {}), (_T + "Adamax", {}), 0.02),
    "adamax_betas_wd": _case(
        ("adamax", {"betas": (0.8, 0.99), "eps": 1e-6, **_WD}),
        (_T + "Adamax", {"betas": (0.8, 0.99), "eps": 1e-6, **_WD}),
        0.02,
    ),
    "adamax_maximize": _case(
        ("adamax", {"maximize": True}),
        (_T + "Adamax", {"maximize": True}),
        0.02,
        surfaces=False,
    ),
    "nadam": _case(("nadam", {}), (_T + "NAdam", {}), 0.02),
    "nadam_momentum_decay": _case(
        ("nadam", {"momentum_decay": 0.05, "betas": (0.8, 0.99), "eps": 1e-6}),
        (_T + "NAdam", {"momentum_decay": 0.05, "betas": (0.8, 0.99), "eps": 1e-6}),
        0.02,
    ),
    "nadam_weight_decay": _case(("nadam", _WD), (_T + "NAdam", _WD), 0.02),
    "nadam_decoupled": _case(
        ("nadam", {**_WD, "decoupled_weight_decay": True}),
        (_T + "NAdam", {**_WD, "decoupled_weight_decay": True}),
        0.02,
    ),
    "nadam_maximize": _case(
        ("nadam", {"maximize": True}),
        (_T + "NAdam", {"maximize": True}),
        0.02,
        surfaces=False,
    ),
    "radam": _case(("radam", {}), (_T + "RAdam", {}), 0.02),
    "radam_betas": _case(
        ("radam", {"betas": (0.8, 0.9), "eps": 1e-6}),
        (_T + "RAdam", {"betas": (0.8, 0.9), "eps": 1e-6}),
        0.02,
    ),
    "radam_weight_decay": _case(("radam", _WD), (_T + "RAdam", _WD), 0.02),
    "radam_decoupled": _case(
        ("radam", {**_WD, "decoupled_weight_decay": True}),
        (_T + "RAdam", {**_WD, "decoupled_weight_decay": True}),
        0.02,
    ),
    "radam_maximize": _case(
        ("radam", {"maximize": True}),
        (_T + "RAdam", {"maximize": True}),
        0.02,
        surfaces=False,
    ),
    "rprop": _case(("rprop", {}), (_T + "Rprop", {}), 0.01),
    "rprop_etas_sizes": _case(
        ("rprop", {"etas": (0.3, 1.5), "step_sizes": (1e-4, 0.5)}),
        (_T + "Rprop", {"etas": (0.3, 1.5), "step_sizes": (1e-4, 0.5)}),
        0.01,
    ),
    "rprop_maximize": _case(
        ("rprop", {"maximize": True}),
        (_T + "Rprop", {"maximize": True}),
        0.01,
        surfaces=False,
    ),
    "asgd": _case(("asgd", {}), (_T + "ASGD", {}), {"random": 0.01}, state=("w_bar", "ax")),
    "asgd_averaging": _case(
        ("asgd", {"lambd": 0.01, "alpha": 0.5, "t0": 10.0}),
        (_T + "ASGD", {"lambd": 0.01, "alpha": 0.5, "t0": 10.0}),
        {"random": 0.01},
        state=("w_bar", "ax"),
    ),
    "asgd_weight_decay": _case(
        ("asgd", {**_WD, "t0": 5.0}),
        (_T + "ASGD", {**_WD, "t0": 5.0}),
        {"random": 0.01},
        state=("w_bar", "ax"),
    ),
    "asgd_maximize": _case(
        ("asgd", {"maximize": True}),
        (_T + "ASGD", {"maximize": True}),
        0.01,
        surfaces=False,
    ),
    # -- recent optimizers, against their authors' packages --------------------------
    "lion": _case(("lion", {}), ("lion_pytorch:Lion", {}), 0.01),
    "lion_weight_decay": _case(("lion", _WD), ("lion_pytorch:Lion", _WD), 0.01),
    "lion_decoupled": _case(
        (
            "lion",
            {"weight_decay": 1e-3, "decoupled_weight_decay": True, "betas": (0.8, 0.9)},
        ),
        (
            "lion_pytorch:Lion",
            {"weight_decay": 1e-3, "decoupled_weight_decay": True, "betas": (0.8, 0.9)},
        ),
        0.01,
    ),
    "adabelief": _case(("adabelief", {}), ("adabelief_pytorch:AdaBelief", _QUIET), 0.02),
    **{
        f"adabelief_{key}": _case(
            ("adabelief", options),
            ("adabelief_pytorch:AdaBelief", {**_QUIET, **options}),
            0.02,
        )
        for key, options in {
            "eps": {"eps": 1e-8, "betas": (0.8, 0.99)},
            "amsgrad": {"amsgrad": True},
            "not_rectified": {"rectify": False},
            "not_rectified_amsgrad": {"rectify": False, "amsgrad": True},
            "no_sgd_warmup": {"degenerated_to_sgd": False},
            "l2": {"weight_decouple": False, "weight_decay": 0.1},
            "decoupled": {"weight_decay": 0.1},
            "fixed_decay": {"weight_decay": 1e-3, "fixed_decay": True},
        }.items()
    },
    "sfsgd": _case(
        ("sfsgd", {}), ("schedulefree:SGDScheduleFree", _LOOP), {"random": 0.01}, state=_X
    ),
    "sfsgd_options": _case(
        ("sfsgd", _SF),
        ("schedulefree:SGDScheduleFree", {**_LOOP, **_SF}),
        {"random": 0.01},
        state=_X,
    ),
    "sfadamw": _case(
        ("sfadamw", {}), ("schedulefree:AdamWScheduleFree", _LOOP), 0.02, state=_X
    ),
    "sfadamw_options": _case(
        ("sfadamw", _SFA),
        ("schedulefree:AdamWScheduleFree", {**_LOOP, **_SFA}),
        0.02,
        state=_X,
    ),
}

#: Learning rates on the surfaces where a case's single number does not suit them
#: (SGD-like rules need a surface's own scale), by registry name.
SURFACE_LR = {
    "asgd": {"rosenbrock": 1e-3, "beale": 1e-3, "quadratic": 0.05, "saddle": 1e-2},
    "sfsgd": {"rosenbrock": 1e-3, "beale": 1e-3, "quadratic": 0.05, "saddle": 1e-2},
}


def lr_for(case: str, setting: str) -> float:
    c = CASES[case]
    lr = c["lr"]
    if isinstance(lr, dict) and setting in lr:
        return lr[setting]
    if setting != "random" and c["optviz"][0] in SURFACE_LR:
        return SURFACE_LR[c["optviz"][0]][setting]
    return lr


def settings(case: str) -> list[str]:
    """``"random"`` and, unless the case climbs, the four surfaces."""
    return ["random", *(SURFACES if CASES[case]["surfaces"] else ())]


def reference_optimizer(case: str, setting: str, tensors, lr=None):
    """The reference implementation of ``case`` on ``tensors`` (at ``lr``, or the
    case's own)."""
    target, kwargs = CASES[case]["reference"]
    module, _, name = target.partition(":")
    cls = getattr(importlib.import_module(module), name)
    extra = {"foreach": False} if module == "torch.optim" else {}
    lr = lr_for(case, setting) if lr is None else lr
    return cls(tensors, lr=lr, **extra, **kwargs)


def reference_stepper(case: str, setting: str, params, lr=None):
    """``step(t, grads)`` running the reference on ``params`` in place (shared
    memory), and the optimizer."""
    import torch

    tensors = [torch.from_numpy(w).requires_grad_(True) for w in params]
    opt = reference_optimizer(case, setting, tensors, lr)
    if hasattr(opt, "train"):  # Schedule-Free: step in train mode (y in the parameters)
        opt.train()

    def step(t, grads):
        for p, g in zip(tensors, grads):
            p.grad = torch.from_numpy(np.array(g, dtype=np.float64))
        opt.step()

    return step, opt, tensors


def reference_surface_path(case, surface, start=None, lr=None, wobble=0.0):
    """The reference's path; ``wobble``: every gradient scaled by ``1 + wobble``
    (rounding-sized changes all along the path, as another implementation's rounding
    would make them)."""
    params = [np.array(STARTS[surface] if start is None else start, dtype=np.float64)]
    step, _, _ = reference_stepper(case, surface, params, lr)
    grad = base.surface_grad_fn(surface)
    wobbled = (lambda t, p: [g * (1 + wobble) for g in grad(t, p)]) if wobble else grad
    (traj,) = base.drive(params, step, wobbled, SURFACE_STEPS, STRIDE)
    return traj


#: A stored surface path stays within this box (a diverging path compares nothing).
BOUND = 100.0
#: The relative change of every gradient in the second conditioning check (a few ulps).
WOBBLE = 2.0**-50
#: Each surface path is tried at the case's rate, then at these fractions of it, until
#: it stays finite and insensitive to a one-ulp change of its start.
LR_FRACTIONS = (1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01)


def conditioned_path(case, surface):
    """``(lr, path, sensitivity)`` at the first rate of :data:`LR_FRACTIONS` whose path
    is finite and well conditioned, or None if there is none (the case is then not
    compared on that surface, and the file says so)."""
    nudged = np.nextafter(np.array(STARTS[surface], dtype=np.float64), np.inf)
    for fraction in LR_FRACTIONS:
        lr = lr_for(case, surface) * fraction
        traj = reference_surface_path(case, surface, lr=lr)
        if not np.all(np.abs(traj) < BOUND):  # NaN and divergence fail this too
            continue
        moved = max(
            base.relative_error(reference_surface_path(case, surface, nudged, lr), traj),
            base.relative_error(
                reference_surface_path(case, surface, lr=lr, wobble=WOBBLE), traj
            ),
        )
        if moved <= base.CONDITIONING_LIMIT:
            return lr, traj, moved
    return None


def random_data():
    """The random setting's starts and gradients (the same as the base script's)."""
    rng = np.random.default_rng(base.SEED)
    init = [rng.standard_normal(shape) for shape in base.PARAM_SHAPES]
    grads = [
        rng.standard_normal((RANDOM_STEPS, *shape))
        * 10 ** rng.uniform(*base.GRAD_LOG10_SCALES, size=(RANDOM_STEPS, *shape))
        for shape in base.PARAM_SHAPES
    ]
    return init, grads


def make_reference(path=OUTPUT) -> dict:
    import torch

    torch.use_deterministic_algorithms(True)
    torch.set_default_dtype(torch.float64)
    init, grads = random_data()
    out, moved, lrs, skipped = {}, {}, {}, []
    for case, c in CASES.items():
        params = [w.copy() for w in init]
        step, opt, tensors = reference_stepper(case, "random", params)
        traj = base.drive(params, step, base.random_grad_fn(grads), RANDOM_STEPS)
        for j, tr in enumerate(traj):
            out[f"random/{case}/{j}"] = tr
        if c["state"] == _X:
            opt.eval()  # the parameters become the averaged iterate x
        if c["state"]:
            for j, p in enumerate(tensors):
                value = p if c["state"] == _X else opt.state[p][c["state"][1]]
                out[f"random/{case}/state/{j}"] = value.detach().numpy().copy()
        for surface in settings(case)[1:]:
            found = conditioned_path(case, surface)
            if found is None:
                skipped.append(f"{surface}/{case}")
                continue
            (
                lrs[f"{surface}/{case}"],
                out[f"{surface}/{case}"],
                moved[f"{surface}/{case}"],
            ) = found
    from importlib.metadata import version

    packages = {
        p: version(p) for p in ("lion-pytorch", "adabelief-pytorch", "schedulefree")
    }
    versions = {"torch": torch.__version__, "numpy": np.__version__, "packages": packages}
    info = {
        "cases": CASES,
        "surface_lr": lrs,
        "skipped": skipped,
        "sensitivity": moved,
        **versions,
    }
    out["meta"] = np.array(json.dumps(info, sort_keys=True))
    np.savez_compressed(path, **out)
    return out


if __name__ == "__main__":
    result = make_reference()
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size / 1024:.0f} KiB, {len(result)} arrays)")
    info = json.loads(str(result["meta"]))
    print("not compared (no well-conditioned path):", ", ".join(info["skipped"]) or "none")
    for key, lr in sorted(info["surface_lr"].items()):
        print(f"  {key}: lr {lr:g}")
