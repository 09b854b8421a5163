r"""Record the reference iterates of the optimizers beyond the notes' five and their
relatives: the rest of ``torch.optim``, and newer optimizers against their authors'
packages (``lion-pytorch``, ``adabelief-pytorch``, ``schedulefree``, ``prodigyopt``),
for ``tests/test_against_zoo.py``.

Run once, with a development venv that has torch 2.13 (``pip install torch==2.13.0``)
and the reference packages (``pip install lion-pytorch==0.2.5 adabelief-pytorch==0.2.1
schedulefree==1.4.1 prodigyopt==1.1.2``, after torch); none of them is a dependency of
optviz or of its tests::

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

Muon: torch runs its Newton-Schulz iteration in bfloat16; the golden data is made with
that one function replaced by :func:`newton_schulz_float64` (torch's code with float64
in place of bfloat16), and the file records how far bfloat16 moves the steps
(``meta["muon_bfloat16"]``). On a surface, Muon's parameter is the point as a 1 x 2
matrix.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
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


def _case(optviz, reference, lr, *, surfaces=True, state=None, shapes=None):
    """``optviz``: (registry name, keywords); ``reference``: ("module:Class",
    keywords); ``lr``: the learning rate of every setting (a number, or a dict by
    setting with key "random" and one per surface); ``surfaces``: whether the case
    runs on the surfaces too (a ``maximize`` case climbs, so only on random
    gradients); ``state``: (optviz state field, reference state key) compared after
    the random run; ``shapes``: the random setting's parameter shapes where the base
    script's do not suit (Muon takes matrices only: a wide and a tall one)."""
    return {
        "optviz": optviz,
        "reference": reference,
        "lr": lr,
        "surfaces": surfaces,
        "state": state,
        "shapes": shapes,
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

_MATRICES = ((3, 4), (5, 2))  # Muon: wide, and tall (orthogonalised transposed)
_PRODIGY = "prodigyopt:Prodigy"


def _adafactor(key, options, lr=0.05):
    return {
        f"adafactor{key}": _case(("adafactor", options), (_T + "Adafactor", options), lr)
    }


def _muon(key, options, lr=0.02):
    return {
        f"muon{key}": _case(("muon", options), (_T + "Muon", options), lr, shapes=_MATRICES)
    }


def _prodigy(key, options, lr=1.0):
    return {f"prodigy{key}": _case(("prodigy", options), (_PRODIGY, options), lr)}


# -- optimizers whose step depends on a whole parameter or on all of them ---------------
CASES.update(
    {
        **_adafactor("", {}),
        **_adafactor("_beta2_decay_d", {"beta2_decay": -0.5, "d": 2.0}),
        **_adafactor("_eps", {"eps": (1e-3, 1e-2)}, lr=0.5),
        **_adafactor("_weight_decay", {"weight_decay": 0.1}),
        **_adafactor("_maximize", {"maximize": True}),
        **_muon("", {}),
        **_muon("_plain_momentum", {"nesterov": False, "momentum": 0.8}),
        **_muon("_no_decay", {"weight_decay": 0.0, "eps": 1e-3}),
        **_muon("_coefficients", {"ns_coefficients": (2.0, -1.5, 0.5), "ns_steps": 8}),
        **_muon("_original", {"adjust_lr_fn": "original"}),
        **_muon("_match_adamw", {"adjust_lr_fn": "match_rms_adamw"}),
        **_prodigy("", {}),
        **_prodigy("_betas", {"betas": (0.8, 0.99), "beta3": 0.9, "eps": 1e-6}),
        **_prodigy("_no_first_moment", {"betas": (0.0, 0.99)}),
        **_prodigy("_l2", {"weight_decay": 0.1, "decouple": False}),
        **_prodigy("_decoupled", {"weight_decay": 0.1}),
        **_prodigy("_bias_correction", {"use_bias_correction": True}),
        **_prodigy("_safeguard", {"safeguard_warmup": True, "d0": 1e-3}),
        **_prodigy("_growth", {"growth_rate": 1.05, "d_coef": 0.5}),
        **_prodigy("_slice", {"slice_p": 3}),
    }
)
for _name in ("adafactor_maximize",):
    CASES[_name]["surfaces"] = False

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
    loop = "foreach" in inspect.signature(cls).parameters and module == "torch.optim"
    extra = {"foreach": False} if loop else {}
    lr = lr_for(case, setting) if lr is None else lr
    return cls(tensors, lr=lr, **extra, **kwargs)


def reference_stepper(case: str, setting: str, params, lr=None):
    """``step(t, grads)`` running the reference on ``params`` in place (shared
    memory), and the optimizer."""
    import torch

    # Muon on a surface: the point is a 1 x 2 matrix (a view: the memory is shared)
    rows = CASES[case]["optviz"][0] == "muon" and setting != "random"
    arrays = [w.reshape(1, -1) if rows else w for w in params]
    tensors = [torch.from_numpy(w).requires_grad_(True) for w in arrays]
    opt = reference_optimizer(case, setting, tensors, lr)
    if hasattr(opt, "train"):  # Schedule-Free: step in train mode (y in the parameters)
        opt.train()

    def step(t, grads):
        for p, g in zip(tensors, grads):
            p.grad = torch.from_numpy(np.array(g, dtype=np.float64).reshape(p.shape))
        opt.step()

    return step, opt, tensors


#: The optimizers whose step reduces over a parameter: the reference runs each start on
#: its own (both in one tensor would be one 2 x 2 problem), as optviz's points do.
PER_POINT = {"adafactor", "muon", "prodigy"}


def reference_surface_path(case, surface, start=None, lr=None, wobble=0.0):
    """The reference's path; ``wobble``: every gradient scaled by ``1 + wobble``
    (rounding-sized changes all along the path, as another implementation's rounding
    would make them)."""
    starts = np.array(STARTS[surface] if start is None else start, dtype=np.float64)
    if CASES[case]["optviz"][0] in PER_POINT and starts.ndim > 1:
        paths = [reference_surface_path(case, surface, s, lr, wobble) for s in starts]
        return np.stack(paths, axis=1)
    params = [starts]
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
        if CASES[case]["optviz"][0] in PER_POINT:
            # a step reduced over the parameter rounds differently from torch's (its
            # norm and lerp use fused multiply-adds): a few ulps of every step's size
            # must not move the path either
            wobbled = reference_surface_path(case, surface, lr=lr * (1 + WOBBLE))
            moved = max(moved, base.relative_error(wobbled, traj))
        if moved <= base.CONDITIONING_LIMIT:
            return lr, traj, moved
    return None


def random_data(case=None):
    """The random setting's starts and gradients (the same as the base script's, or
    drawn the same way for the case's own ``shapes``)."""
    shapes = (CASES[case]["shapes"] if case else None) or base.PARAM_SHAPES
    rng = np.random.default_rng(base.SEED)
    init = [rng.standard_normal(shape) for shape in shapes]
    grads = [
        rng.standard_normal((RANDOM_STEPS, *shape))
        * 10 ** rng.uniform(*base.GRAD_LOG10_SCALES, size=(RANDOM_STEPS, *shape))
        for shape in shapes
    ]
    return init, grads


def newton_schulz_float64(grad, ns_coefficients, ns_steps, eps):
    """torch.optim.Muon's Newton-Schulz iteration (``_zeropower_via_newtonschulz``,
    torch 2.13) with its ``grad.bfloat16()`` replaced by float64: the algorithm
    optviz holds itself to. Everything else is torch's code, line for line."""
    import torch

    a, b, c = ns_coefficients
    ortho_grad = grad.to(torch.float64)
    if grad.size(0) > grad.size(1):
        ortho_grad = ortho_grad.T
    ortho_grad = ortho_grad / ortho_grad.norm().clamp(min=eps)
    for _ in range(ns_steps):
        gram_matrix = ortho_grad @ ortho_grad.T
        gram_update = torch.addmm(gram_matrix, gram_matrix, gram_matrix, beta=b, alpha=c)
        ortho_grad = torch.addmm(ortho_grad, gram_update, ortho_grad, beta=a)
    if grad.size(0) > grad.size(1):
        ortho_grad = ortho_grad.T
    return ortho_grad


def bfloat16_difference() -> dict:
    """How far torch's bfloat16 iteration moves Muon from the float64 one: on the
    random setting's matrices (default options), the largest relative difference of
    the first step's direction (norm-wise, as :func:`base.relative_error`) and of the
    50-step path."""
    import torch.optim._muon as muon

    out = {}
    for label, ns in (("bfloat16", muon.__dict__["_ORIGINAL_NS"]), ("float64", None)):
        if ns is not None:
            muon._zeropower_via_newtonschulz = ns
        init, grads = random_data("muon")
        params = [w.copy() for w in init]
        step, _, _ = reference_stepper("muon", "random", params)
        out[label] = base.drive(params, step, base.random_grad_fn(grads), RANDOM_STEPS)
        muon._zeropower_via_newtonschulz = newton_schulz_float64
    first = max(
        base.relative_error((b[1] - b[0])[None], (f[1] - f[0])[None])
        for b, f in zip(out["bfloat16"], out["float64"])
    )
    path = max(base.relative_error(b, f) for b, f in zip(out["bfloat16"], out["float64"]))
    return {"first_step": first, "path": path}


def make_reference(path=OUTPUT) -> dict:
    import torch
    import torch.optim._muon as muon

    torch.use_deterministic_algorithms(True)
    torch.set_default_dtype(torch.float64)
    muon.__dict__.setdefault("_ORIGINAL_NS", muon._zeropower_via_newtonschulz)
    muon._zeropower_via_newtonschulz = newton_schulz_float64
    out, moved, lrs, skipped = {}, {}, {}, []
    for case, c in CASES.items():
        init, grads = random_data(case)
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
        p: version(p)
        for p in ("lion-pytorch", "adabelief-pytorch", "schedulefree", "prodigyopt")
    }
    versions = {"torch": torch.__version__, "numpy": np.__version__, "packages": packages}
    info = {
        "cases": CASES,
        "surface_lr": lrs,
        "skipped": skipped,
        "sensitivity": moved,
        "muon_bfloat16": bfloat16_difference(),
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
    print("Muon, bfloat16 against float64:", info["muon_bfloat16"])
