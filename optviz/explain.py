"""One step of each optimizer, taken apart: the numbers the explain-step figure draws.

:func:`one_step` runs an optimizer class one step from a point and reads what it did
from its own state (``opt.state[0]``) and its public helpers (Adam's
``bias_corrections``), never from the formulas written again here;
:func:`explain_steps` does so for several optimizers from one point, by default the
notes' five at the surface's learning rates. The figure
(:func:`optviz.plot.rules.explain_step_figure`) only draws these records.

>>> from optviz.optimizers import SGD
>>> from optviz.surfaces import quadratic
>>> rec = one_step(SGD(lr=0.1), quadratic(kappa=10), (1.0, 0.1))
>>> rec.step.round(12).tolist()  # -0.1 g, g = (1, 1)
[-0.1, -0.1]
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Sequence

import numpy as np

from .optimizers import DEFAULT_OPTIMIZERS, OPTIMIZERS

__all__ = [
    "StepRecord",
    "NOTES_FORM",
    "LATEX",
    "one_step",
    "explain_steps",
    "example_steps",
]

#: The notes' symbols of the hyper-parameters (``Hyper.symbol``) in LaTeX.
LATEX = {
    "α": r"\alpha",
    "β": r"\beta",
    "β₁": r"\beta_1",
    "β₂": r"\beta_2",
    "ρ": r"\rho",
    "ρ₁": r"\rho_1",
    "ρ₂": r"\rho_2",
    "δ": r"\delta",
    "λ": r"\lambda",
    "μ": r"\mu",
}


@dataclass
class StepRecord:
    """One step of one optimizer at ``w``, as the optimizer itself recorded it."""

    name: str
    hyper: dict
    w: np.ndarray  # (2,) before the step
    g: np.ndarray  # (2,) the gradient at w
    w_new: np.ndarray  # (2,) after the step
    before: dict  # the state's vectors before the step (zeros on a fresh optimizer)
    after: dict  # ... and after it: v; r; s, r, s_hat, r_hat
    t: int
    effective_lr: np.ndarray  # (2,) what multiplies g (s_hat for Adam)
    divisors: tuple = ()  # Adam: its bias-correction divisors (1 - rho1^t, 1 - rho2^t)
    rule: tuple = ()  # the class's rule, LaTeX lines in the notes' notation
    symbols: dict = field(default_factory=dict)  # LaTeX symbol -> its value: \alpha -> lr

    @property
    def step(self) -> np.ndarray:
        return self.w_new - self.w


#: The notes' form of each rule the figure writes out: the settings it needs.
NOTES_FORM = {
    "sgd": {},
    "momentum": {"nesterov": False, "form": "notes"},
    "adagrad": {"initial_accumulator_value": 0.0, "eps_inside_sqrt": False},
    "rmsprop": {"momentum": 0.0, "centered": False, "eps_inside_sqrt": False},
    "adam": {
        "weight_decay": 0.0,
        "amsgrad": False,
        "bias_correction": True,
        "eps_inside_sqrt": False,
    },
}


def _check_notes_form(opt) -> None:
    """``opt`` must be one of the five in the notes' form, with scalar settings."""
    if opt.name not in NOTES_FORM:
        raise ValueError(f"explain-step draws {', '.join(NOTES_FORM)}; got {opt.name}")
    hyper = opt.hyperparameters()
    for key in ("lr", "momentum", "rho", "eps", "betas"):
        if key not in hyper:
            continue
        value = hyper[key]
        numbers = value if key == "betas" else [value]
        if not all(isinstance(v, (int, float)) for v in numbers):
            raise ValueError(
                f"explain-step needs a constant scalar {key} for {opt.name}, got {value!r}"
            )
    for key, want in NOTES_FORM[opt.name].items():
        if hyper[key] != want:
            raise ValueError(
                f"explain-step writes the notes' form: {opt.name} needs {key}={want!r}, "
                f"got {hyper[key]!r}"
            )


def _arrays(state) -> dict:
    """The state's arrays (the notes' symbols), as float copies."""
    return {
        f.name: np.array(getattr(state, f.name), dtype=float)
        for f in fields(state)
        if isinstance(getattr(state, f.name), np.ndarray)
    }


def one_step(opt, surface, w) -> StepRecord:
    """Run ``opt`` one step from ``w`` on ``surface``; read what it did from its state."""
    _check_notes_form(opt)
    w = np.array(w, dtype=float)
    g = np.asarray(surface.grad(w), dtype=float)
    before = _arrays(opt.state[0]) if opt.state else None
    params = w.copy()
    opt.step(params, g.copy())
    state = opt.state[0]
    after = _arrays(state)
    if before is None:  # a fresh optimizer: its state started at zero
        before = {k: np.zeros_like(v) for k, v in after.items()}
    divisors = ()
    if hasattr(opt, "bias_corrections"):  # Adam's ŝ and r̂, by its own divisors
        divisors = tuple(float(d) for d in opt.bias_corrections(state.t))
        after["s_hat"] = after["s"] / divisors[0]
        after["r_hat"] = after["r"] / divisors[1]
    return StepRecord(
        opt.name, opt.hyperparameters(), w, g, params, before, after, state.t,
        np.asarray(opt.effective_lr(), dtype=float), divisors, tuple(type(opt).rule),
        _symbols(opt),
    )  # fmt: skip


def _symbols(opt) -> dict:
    """Each hyper-parameter's notes' symbol in LaTeX -> its value (``betas``: one
    symbol per member)."""
    out = {}
    for key, spec in type(opt).hyper.items():
        value = getattr(opt, key)
        pairs = [(spec.symbol, value)]
        if isinstance(spec.symbol, tuple):
            pairs = zip(spec.symbol, value)
        for sym, v in pairs:
            if sym in LATEX and np.ndim(v) == 0 and not callable(v):
                out[LATEX[sym]] = float(v)
    return out


def explain_steps(surface, point, optimizers: Sequence | None = None) -> list[StepRecord]:
    """One step of each optimizer from ``point`` on ``surface``.

    ``optimizers``: optimizer instances (fresh, or carrying state to show a later step);
    by default the notes' five at the surface's own learning rates.
    """
    point = np.asarray(point, dtype=float)
    if point.shape != (2,) or not np.all(np.isfinite(point)):
        raise ValueError(f"point must be two finite numbers (x, y), got {point.tolist()}")
    if optimizers is None:
        names = DEFAULT_OPTIMIZERS
        optimizers = [OPTIMIZERS[name](lr=_lr(surface, name)) for name in names]
    return [one_step(opt, surface, point) for opt in optimizers]


def _lr(surface, name: str) -> float:
    try:
        return surface.default_lr(name)
    except KeyError:
        return OPTIMIZERS[name].defaults["lr"]


def example_steps() -> tuple:
    """The gallery's example: the quadratic bowl (κ = 10) from (-3, 0.2), the five at
    the learning rates the figure shows. Returns ``(surface, records)``."""
    from .optimizers import SGD, Adagrad, Adam, Momentum, RMSprop
    from .surfaces import get

    surface = get("quadratic")
    opts = [SGD(lr=0.1), Momentum(lr=0.1), Adagrad(lr=0.5), RMSprop(lr=0.05), Adam(lr=0.5)]
    return surface, explain_steps(surface, (-3.0, 0.2), opts)
