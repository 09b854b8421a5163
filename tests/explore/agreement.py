"""The agreement matrix shared by test_agreement.py and benchmarks/bench_explore.py:
which optimizer variants, which starts, and how a page run is compared to Python's."""

import numpy as np

from optviz.explore.page import _page_optimizer
from optviz.run import run_one
from optviz.spec import build_optimizer

#: Every optimizer the page runs, in every convention it offers (lr: the surface's).
VARIANTS = (
    "sgd",
    "momentum",
    "momentum:form=pytorch",
    "momentum:nesterov=true",
    "momentum:form=pytorch,nesterov=true",
    "nesterov",
    "adagrad",
    "adagrad:eps_inside_sqrt=true,initial_accumulator_value=0.1",
    "rmsprop",
    "rmsprop:centered=true,momentum=0.5",
    "rmsprop:eps_inside_sqrt=true,rho=0.9",
    "adam",
    "adam:bias_correction=false",
    "adam:amsgrad=true,weight_decay=0.01,betas=0.8/0.99",
    "adamw",
    # beyond the notes' five and their relatives (issue 22)
    "adadelta",
    "adamax",
    "nadam:decoupled_weight_decay=true,weight_decay=0.01",
    "radam",
    "rprop",
    "asgd:t0=10",
    "lion",
    "adabelief",
    "adabelief:rectify=false,amsgrad=true",
    "sfsgd",
    "sfadamw:warmup_steps=5",
)
STEPS = 1000
RTOL = 1e-9


def starts(surface, n_random: int = 2, seed: int = 0) -> list:
    """The surface's default start and ``n_random`` seeded starts inside its domain."""
    rng = np.random.default_rng(seed)
    (x0, x1), (y0, y1) = surface.domain
    out = [tuple(map(float, surface.start))]
    for _ in range(n_random):
        u = rng.uniform(0.1, 0.9, 2)
        out.append((float(x0 + u[0] * (x1 - x0)), float(y0 + u[1] * (y1 - y0))))
    return out


def python_run(surface, spec, start, steps=STEPS):
    """optviz's Python iterates (run_one, one start)."""
    _, opt = build_optimizer(spec, surface, steps=steps)
    return run_one(surface, opt, np.array(start), steps)


def page_cfg(surface, spec, steps=STEPS) -> dict:
    label, opt = build_optimizer(spec, surface, steps=steps)
    return _page_optimizer(label, opt)


def span(surface) -> float:
    (x0, x1), (y0, y1) = surface.domain
    return max(x1 - x0, y1 - y0)


def rel_error(page: np.ndarray, ref: np.ndarray, scale: float) -> np.ndarray:
    """|page - ref| relative to |ref|, with a floor of 1e-3 of the domain's width for
    coordinates near 0 (far below a pixel); 0 where both are NaN, inf where only one is."""
    page, ref = np.asarray(page, float), np.asarray(ref, float)
    both = np.isnan(page) & np.isnan(ref)
    with np.errstate(invalid="ignore"):
        err = np.abs(page - ref) / np.maximum(np.abs(ref), 1e-3 * scale)
    err = np.where(both, 0.0, err)
    return np.where(np.isnan(err), np.inf, err)


def first_departure(err_xy: np.ndarray, rtol: float = RTOL) -> int:
    """The first step where the iterates differ by more than ``rtol`` (-1 if none)."""
    bad = np.flatnonzero(np.max(err_xy.reshape(len(err_xy), -1), axis=-1) > rtol)
    return int(bad[0]) if len(bad) else -1


def ulp_shadow(surface, spec, start, steps=STEPS, seed=0):
    """Python's own run with every gradient evaluated one ulp away from the iterate (a
    random nextafter per coordinate, seeded): how far the dynamics carry a difference
    in the last bit, such as one between two libm's sin or pow (which, after the
    cancellation inside a gradient near a minimum, is many ulps of the gradient)."""
    rng = np.random.default_rng(seed)
    _, opt = build_optimizer(spec, surface, steps=steps)

    def grad_fn(xy):
        toward = np.where(rng.random(xy.shape) < 0.5, -np.inf, np.inf)
        return surface.grad(np.nextafter(xy, toward))

    return run_one(surface, opt, np.array(start), steps, grad_fn=grad_fn)
