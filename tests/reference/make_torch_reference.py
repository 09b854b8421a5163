r"""Record the ``torch.optim`` iterates that ``tests/test_against_torch.py`` checks.

Run once, with the PyTorch development venv (torch is never a dependency of optviz or of
its tests)::

    python tests/reference/make_torch_reference.py   # in a venv with torch==2.13.0

It writes ``torch_reference.npz`` beside this file. The script is deterministic (seeded
gradients, float64, ``foreach=False``), so running it again gives the same numbers.

Two settings, every case in :data:`CASES` in each:

* ``random``: 50 steps on two parameters (shapes ``(3, 4)`` and ``(5,)``) with stored
  random gradients whose element scales span 1e-6..1e3; every iterate is stored.
* four surfaces (:data:`SURFACES`): 500 steps from two starts at once (a ``(2, 2)``
  parameter), the gradient computed from the current iterate, so whole trajectories are
  compared; every :data:`STRIDE`-th iterate is stored (errors carry forward, so a
  difference at any step shows at the next stored one). Each path is run again from a
  start one ulp away, and the script refuses a path that moves by more than
  :data:`CONDITIONING_LIMIT`: the tests' 1e-10 then measures the implementation, not
  how chaotic the path is.

The test imports this module (without torch: torch is imported inside the functions that
need it) for the case table, the surfaces' gradients and :func:`drive`, so nothing is
written twice.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

__all__ = [
    "CASES",
    "FAMILIES",
    "LR",
    "SURFACES",
    "STARTS",
    "PARAM_SHAPES",
    "RANDOM_STEPS",
    "SURFACE_STEPS",
    "STRIDE",
    "OUTPUT",
    "lr_for",
    "relative_error",
    "drive",
    "random_grad_fn",
    "surface_grad_fn",
    "torch_stepper",
    "torch_surface_path",
    "well_conditioned",
    "meta",
    "make_reference",
]

SEED = 20261126
OUTPUT = Path(__file__).with_name("torch_reference.npz")

PARAM_SHAPES = ((3, 4), (5,))  # the random setting's two parameters
RANDOM_STEPS = 50
GRAD_LOG10_SCALES = (-6.0, 3.0)  # each gradient element is N(0, 1) * 10**U(-6, 3)
SURFACE_STEPS = 500
STRIDE = 5  # surfaces: store iterates 0, 5, 10, ..., 500
SCHEDULE_DECAY = 0.995  # schedule cases: lr_t = lr * 0.995**t, t = 1, 2, ...
#: A stored surface path must be this insensitive to a one-ulp change of its start, so
#: that the tests' 1e-10 measures the implementation, not the dynamics' chaos.
CONDITIONING_LIMIT = 1e-12


# -- the surfaces, in plain numpy (vectorised over xy of shape (..., 2)) ----------------
def rosenbrock_grad(xy):
    """f = (1 - x)^2 + 100 (y - x^2)^2."""
    x, y = xy[..., 0], xy[..., 1]
    return np.stack([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)], axis=-1)


def beale_grad(xy):
    """f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2."""
    x, y = xy[..., 0], xy[..., 1]
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y**2
    c = 2.625 - x + x * y**3
    gx = 2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1)
    gy = 2 * a * x + 4 * b * x * y + 6 * c * x * y**2
    return np.stack([gx, gy], axis=-1)


def quadratic_grad(xy):
    """f = 0.5 (x^2 + 10 y^2)."""
    x, y = xy[..., 0], xy[..., 1]
    return np.stack([x, 10 * y], axis=-1)


def saddle_grad(xy):
    """f = x^2 - y^2 (y escapes: lr and steps are chosen so it stays finite)."""
    x, y = xy[..., 0], xy[..., 1]
    return np.stack([2 * x, -2 * y], axis=-1)


SURFACES = {
    "rosenbrock": rosenbrock_grad,
    "beale": beale_grad,
    "quadratic": quadratic_grad,
    "saddle": saddle_grad,
}

#: Two starts per surface, advanced together as one (2, 2) parameter.
STARTS = {
    # Not the textbook (-1.5, 2.0): from there RMSprop's path (lr 0.01) is so sensitive
    # that moving the start by one ulp moves step 500 by 3e-6 (see well_conditioned).
    "rosenbrock": ((-0.5, 1.5), (1.5, 1.0)),
    "beale": ((1.0, 1.5), (-1.0, -1.0)),
    "quadratic": ((-3.0, 1.0), (2.0, -2.0)),
    "saddle": ((1.0, 1e-3), (-0.5, -0.01)),
}

#: Learning rate per setting and optimizer family (modest: no start diverges).
FAMILIES = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
LR = {
    setting: dict(zip(FAMILIES, lrs))
    for setting, lrs in {
        #             sgd   momentum adagrad rmsprop adam
        "random":     (1e-2, 1e-2,    1e-1,   1e-2,   1e-2),
        "rosenbrock": (1e-3, 1e-4,    0.5,    1e-2,   0.05),
        "beale":      (1e-3, 1e-4,    0.5,    1e-2,   0.05),
        "quadratic":  (0.1,  0.05,    0.5,    0.02,   0.05),
        "saddle":     (1e-2, 5e-3,    0.1,    1e-2,   1e-2),
    }.items()
}  # fmt: skip

# -- the cases: optviz class and keywords <-> torch.optim class and keywords -----------
# Each case: family (for LR), optviz (class name, keywords without lr), torch (class name,
# keywords without lr), schedule (lr_t = lr * SCHEDULE_DECAY**t instead of a constant).


def _case(family, optviz, torch, schedule=False):
    return {"family": family, "optviz": optviz, "torch": torch, "schedule": schedule}


_SGD_M = {"momentum": 0.9}
_SGD_N = {"momentum": 0.9, "nesterov": True}
_RMS = {"alpha": 0.99, "eps": 1e-8}  # torch's alpha is optviz's rho
_ADAM = {"betas": (0.9, 0.999), "eps": 1e-8}

CASES = {
    "sgd": _case("sgd", ("SGD", {}), ("SGD", {})),
    "momentum_notes": _case(
        "momentum", ("Momentum", {"momentum": 0.9, "form": "notes"}), ("SGD", _SGD_M)
    ),
    "momentum_pytorch": _case(
        "momentum", ("Momentum", {"momentum": 0.9, "form": "pytorch"}), ("SGD", _SGD_M)
    ),
    "nesterov_notes": _case(
        "momentum", ("Nesterov", {"momentum": 0.9, "form": "notes"}), ("SGD", _SGD_N)
    ),
    "nesterov_pytorch": _case(
        "momentum",
        ("Momentum", {"momentum": 0.9, "nesterov": True, "form": "pytorch"}),
        ("SGD", _SGD_N),
    ),
    "momentum_pytorch_schedule": _case(
        "momentum",
        ("Momentum", {"momentum": 0.9, "form": "pytorch"}),
        ("SGD", _SGD_M),
        schedule=True,
    ),
    "adagrad": _case("adagrad", ("Adagrad", {"eps": 1e-10}), ("Adagrad", {"eps": 1e-10})),
    "adagrad_initial_accumulator": _case(
        "adagrad",
        ("Adagrad", {"eps": 1e-10, "initial_accumulator_value": 0.1}),
        ("Adagrad", {"eps": 1e-10, "initial_accumulator_value": 0.1}),
    ),
    "rmsprop": _case("rmsprop", ("RMSprop", {"rho": 0.99, "eps": 1e-8}), ("RMSprop", _RMS)),
    "rmsprop_centered": _case(
        "rmsprop",
        ("RMSprop", {"rho": 0.99, "eps": 1e-8, "centered": True}),
        ("RMSprop", {**_RMS, "centered": True}),
    ),
    "rmsprop_momentum": _case(
        "rmsprop",
        ("RMSprop", {"rho": 0.99, "eps": 1e-8, "momentum": 0.9}),
        ("RMSprop", {**_RMS, "momentum": 0.9}),
    ),
    "rmsprop_centered_momentum": _case(
        "rmsprop",
        ("RMSprop", {"rho": 0.99, "eps": 1e-8, "momentum": 0.9, "centered": True}),
        ("RMSprop", {**_RMS, "momentum": 0.9, "centered": True}),
    ),
    "adam": _case("adam", ("Adam", _ADAM), ("Adam", _ADAM)),
    "adam_amsgrad": _case(
        "adam", ("Adam", {**_ADAM, "amsgrad": True}), ("Adam", {**_ADAM, "amsgrad": True})
    ),
    "adam_weight_decay": _case(
        "adam",
        ("Adam", {**_ADAM, "weight_decay": 0.1}),
        ("Adam", {**_ADAM, "weight_decay": 0.1}),
    ),
    "adam_schedule": _case("adam", ("Adam", _ADAM), ("Adam", _ADAM), schedule=True),
    "adamw": _case(
        "adam",
        ("AdamW", {**_ADAM, "weight_decay": 0.05}),
        ("AdamW", {**_ADAM, "weight_decay": 0.05}),
    ),
    "adamw_amsgrad": _case(
        "adam",
        ("AdamW", {**_ADAM, "weight_decay": 0.05, "amsgrad": True}),
        ("AdamW", {**_ADAM, "weight_decay": 0.05, "amsgrad": True}),
    ),
}


def lr_for(case: str, setting: str):
    """The constant learning rate of ``case`` in ``setting``, and its schedule or None.

    The schedule is a callable ``t -> lr`` with ``t`` counted from 1, as optviz's.
    """
    lr = LR[setting][CASES[case]["family"]]
    if not CASES[case]["schedule"]:
        return lr, None
    return lr, lambda t: lr * SCHEDULE_DECAY**t


# -- driving a run (shared by the generator and the tests) ------------------------------
def relative_error(ours, ref) -> float:
    """Largest norm-wise relative difference over the iterates stacked on axis 0:
    ``max_t max|ours_t - ref_t| / max|ref_t|``.

    Norm-wise, not element-wise: torch fuses multiply-adds and uses ``lerp``, so its
    rounding error is a few ulps of the largest term in an update, and an element that
    passes near 0 (the saddle's x, the quadratic's y) would otherwise show a large
    relative error that is only rounding.
    """
    ours, ref = np.asarray(ours), np.asarray(ref)
    if ours.shape != ref.shape:
        raise ValueError(f"shapes differ: {ours.shape} vs {ref.shape}")
    axes = tuple(range(1, ref.ndim))
    scale = np.max(np.abs(ref), axis=axes)
    diff = np.max(np.abs(ours - ref), axis=axes)
    return float(np.max(diff / np.where(scale > 0, scale, 1.0)))


def drive(params, step, grad_fn, steps, stride=1):
    """Advance the float arrays ``params`` (a list) in place by ``step(t, grads)`` for
    ``t = 1..steps``, ``grads = grad_fn(t, params)``; return each parameter's iterates
    0, stride, 2 stride, ..., stacked along a new first axis."""
    traj = [[w.copy()] for w in params]
    for t in range(1, steps + 1):
        step(t, grad_fn(t, params))
        if t % stride == 0:
            for tr, w in zip(traj, params):
                tr.append(w.copy())
    return [np.stack(tr) for tr in traj]


def random_grad_fn(grads):
    """``grads[j]`` of shape ``(steps, *shape_j)``: the stored gradients at step t."""
    return lambda t, params: [g[t - 1] for g in grads]


def surface_grad_fn(surface: str):
    """The surface's gradient at the current iterate."""
    grad = SURFACES[surface]
    return lambda t, params: [grad(params[0])]


def torch_stepper(case: str, setting: str, params):
    """``step(t, grads)`` running ``torch.optim`` on ``params`` in place (shared memory)."""
    import torch

    name, kwargs = CASES[case]["torch"]
    tensors = [torch.from_numpy(w).requires_grad_(True) for w in params]
    lr, schedule = lr_for(case, setting)
    opt = getattr(torch.optim, name)(tensors, lr=lr, foreach=False, **kwargs)

    def step(t, grads):
        if schedule is not None:
            for group in opt.param_groups:
                group["lr"] = schedule(t)
        for p, g in zip(tensors, grads):
            p.grad = torch.from_numpy(np.array(g, dtype=np.float64))
        opt.step()

    return step


def meta() -> dict:
    """Everything the stored numbers depend on besides the data (JSON-able)."""
    return json.loads(
        json.dumps(
            {
                "cases": CASES,
                "lr": LR,
                "starts": STARTS,
                "schedule_decay": SCHEDULE_DECAY,
                "random_steps": RANDOM_STEPS,
                "surface_steps": SURFACE_STEPS,
                "stride": STRIDE,
                "seed": SEED,
            }
        )
    )


def torch_surface_path(case: str, surface: str, start=None):
    """``case``'s iterates on ``surface`` (every STRIDE-th) with torch."""
    params = [np.array(STARTS[surface] if start is None else start, dtype=np.float64)]
    step = torch_stepper(case, surface, params)
    (traj,) = drive(params, step, surface_grad_fn(surface), SURFACE_STEPS, STRIDE)
    return traj


def well_conditioned(case: str, surface: str, traj) -> float:
    """How far the path moves when the start moves by one ulp; raise past the limit."""
    nudged = np.nextafter(np.array(STARTS[surface], dtype=np.float64), np.inf)
    sensitivity = relative_error(torch_surface_path(case, surface, nudged), traj)
    if not sensitivity <= CONDITIONING_LIMIT:
        raise RuntimeError(
            f"{case} on {surface}: a one-ulp change of the start moves the path by "
            f"{sensitivity:.1e} > {CONDITIONING_LIMIT:g}; choose another start or lr"
        )
    return sensitivity


def make_reference(path=OUTPUT) -> dict:
    """Run every case in every setting with torch and save the iterates to ``path``."""
    import torch

    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(SEED)
    out = {}
    init = [rng.standard_normal(shape) for shape in PARAM_SHAPES]
    grads = [
        rng.standard_normal((RANDOM_STEPS, *shape))
        * 10 ** rng.uniform(*GRAD_LOG10_SCALES, size=(RANDOM_STEPS, *shape))
        for shape in PARAM_SHAPES
    ]
    for j, (w0, g) in enumerate(zip(init, grads)):
        out[f"random/init/{j}"] = w0
        out[f"random/grads/{j}"] = g
    for case in CASES:
        params = [w.copy() for w in init]
        step = torch_stepper(case, "random", params)
        traj = drive(params, step, random_grad_fn(grads), RANDOM_STEPS)
        for j, tr in enumerate(traj):
            out[f"random/{case}/{j}"] = tr
    sensitivity = {}
    for surface in SURFACES:
        for case in CASES:
            traj = torch_surface_path(case, surface)
            if not np.all(np.isfinite(traj)):
                raise RuntimeError(f"{case} on {surface} left the finite numbers")
            sensitivity[f"{surface}/{case}"] = well_conditioned(case, surface, traj)
            out[f"{surface}/{case}"] = traj
    info = {
        **meta(),
        "sensitivity": sensitivity,
        "torch": torch.__version__,
        "numpy": np.__version__,
    }
    out["meta"] = np.array(json.dumps(info, sort_keys=True))
    np.savez_compressed(path, **out)
    return out


if __name__ == "__main__":
    result = make_reference()
    size = OUTPUT.stat().st_size
    print(f"wrote {OUTPUT} ({size / 1024:.0f} KiB, {len(result)} arrays)")
    info = json.loads(str(result["meta"]))
    for surface in SURFACES:
        worst = max(CASES, key=lambda c: info["sensitivity"][f"{surface}/{c}"])
        print(
            f"  {surface}: largest one-ulp sensitivity "
            f"{info['sensitivity'][f'{surface}/{worst}']:.1e} ({worst})"
        )
