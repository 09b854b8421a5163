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
>>> rec.arrays["step"].round(12).tolist()  # -0.1 g, g = (1, 1)
[-0.1, -0.1]
"""

from __future__ import annotations

from dataclasses import fields
from typing import Sequence

import numpy as np

from .lessons.claims import Claim, claims_of
from .optimizers import DEFAULT_OPTIMIZERS, OPTIMIZERS
from .records import Lesson, Panel

__all__ = [
    "NOTES_FORM",
    "LATEX",
    "EXAMPLE",
    "MAX_T",
    "one_step",
    "explain_steps",
    "step_lesson",
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


def one_step(opt, surface, w, path=None) -> Panel:
    """Run ``opt`` one step from ``w`` on ``surface``; read what it did from its state.

    The step as a :class:`~optviz.records.Panel` (label ``"NAME t=T"``): arrays ``w``
    (before), ``g`` (the gradient at ``w``), ``w_new``, ``step`` (``w_new - w``),
    ``effective_lr`` (what multiplies g; ŝ for Adam), the state's vectors before and
    after (``before_v``, ``after_v``; Adam's ``after_s_hat``, ``after_r_hat``) and
    ``path`` (the iterates so far, ``w_new`` last; ``path`` given: the iterates up to
    ``w``, which it ends with);
    facts ``optimizer``, ``t``, ``hyper``, ``divisors`` (Adam's 1 − ρ1ᵗ, 1 − ρ2ᵗ),
    ``rule`` (the class's LaTeX lines) and ``symbols`` (LaTeX symbol -> value)."""
    _check_notes_form(opt)
    w = np.array(w, dtype=float)
    g = np.asarray(surface.grad(w), dtype=float)
    before = _arrays(opt.state[0]) if opt.state else None
    params = w.copy()
    opt.step(params, g.copy(), points=True)
    state = opt.state[0]
    after = _arrays(state)
    if before is None:  # a fresh optimizer: its state started at zero
        before = {k: np.zeros_like(v) for k, v in after.items()}
    divisors = []
    if hasattr(opt, "bias_corrections"):  # Adam's ŝ and r̂, by its own divisors
        divisors = [float(d) for d in opt.bias_corrections(state.t)]
        after["s_hat"] = after["s"] / divisors[0]
        after["r_hat"] = after["r"] / divisors[1]
    path = [w] if path is None else list(path)[:-1] + [w]
    arrays = {
        "w": w,
        "g": g,
        "w_new": params,
        "step": params - w,
        "effective_lr": np.asarray(opt.effective_lr(), dtype=float),
        "path": np.array([*path, params]),
        **{f"before_{k}": v for k, v in before.items()},
        **{f"after_{k}": v for k, v in after.items()},
    }
    hyper = {
        k: v
        for k, v in opt.hyperparameters().items()
        if isinstance(v, (bool, int, float, str, tuple, list)) or v is None
    }
    facts = {
        "optimizer": opt.name,
        "t": int(state.t),
        "hyper": hyper,
        "divisors": divisors,
        "rule": list(type(opt).rule),
        "symbols": _symbols(opt),
    }
    return Panel(f"{opt.name} t={int(state.t)}", arrays, facts)


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


def explain_steps(
    surface, point, optimizers: Sequence | None = None, *, at: Sequence[int] = (1,)
) -> list[Panel]:
    """The steps ``at`` (step counts t, from 1) of each optimizer, all starting from
    ``point`` on ``surface``: one :class:`~optviz.records.Panel` per optimizer and
    step, in the order of ``optimizers`` then of ``at``.

    ``optimizers``: fresh optimizer instances (each is stepped up to ``max(at)``);
    by default the notes' five at the surface's own learning rates.
    """
    point = np.asarray(point, dtype=float)
    if point.shape != (2,) or not np.all(np.isfinite(point)):
        raise ValueError(f"point must be two finite numbers (x, y), got {point.tolist()}")
    at = sorted({int(t) for t in at})
    if not at or at[0] < 1 or at[-1] > MAX_T:
        raise ValueError(f"at must be step counts 1 to {MAX_T}, got {at}")
    if optimizers is None:
        names = DEFAULT_OPTIMIZERS
        optimizers = [OPTIMIZERS[name](lr=_lr(surface, name)) for name in names]
    panels = []
    for opt in optimizers:
        path = [point]  # the iterates so far, the current one last
        for t in range(1, at[-1] + 1):
            panel = one_step(opt, surface, path[-1], path)
            path = list(panel.arrays["path"])
            if t in at:
                panels.append(panel)
    return panels


#: The latest step :func:`explain_steps` takes apart.
MAX_T = 1000


def _lr(surface, name: str) -> float:
    try:
        return surface.default_lr(name)
    except KeyError:
        return OPTIMIZERS[name].defaults["lr"]


#: The gallery's example: where on which bowl, the five at which rates, which steps.
EXAMPLE = {
    "kappa": 10.0,
    "start": (-3.0, 0.2),
    "specs": ("sgd:lr=0.1", "momentum:lr=0.1", "adagrad:lr=0.5", "rmsprop:lr=0.05",
              "adam:lr=0.5"),
    "at": (1, 5),
}  # fmt: skip


def example_steps() -> tuple:
    """The gallery's example (:data:`EXAMPLE`): the quadratic bowl (κ = 10) from
    (-3, 0.2), the five at the learning rates the figure shows, their steps t = 1 and
    t = 5. Returns ``(surface, lesson)``."""
    from .surfaces.quadratic import quadratic

    surface = quadratic(kappa=EXAMPLE["kappa"])
    return surface, step_lesson(surface, EXAMPLE["start"], _example_optimizers())


def _example_optimizers() -> list:
    from .optimizers import SGD, Adagrad, Adam, Momentum, RMSprop

    return [SGD(lr=0.1), Momentum(lr=0.1), Adagrad(lr=0.5), RMSprop(lr=0.05), Adam(lr=0.5)]


def step_lesson(surface, point, optimizers=None, *, at=(1, 5)) -> Lesson:
    """The :class:`~optviz.records.Lesson` ``"explain-step"``: :func:`explain_steps`'s
    panels, with the surface and the start in its settings."""
    panels = explain_steps(surface, point, optimizers, at=at)
    at = sorted({int(t) for t in at})
    settings = {
        "surface": surface.name,
        "params": dict(getattr(surface, "params", None) or {}),
        "start": [float(v) for v in point],
        "at": at,
        "lengths": {str(t): _lengths(panels, t) for t in at},
    }
    return Lesson("explain-step", panels, settings)


#: The adaptive methods, whose first steps are sign-like.
ADAPTIVE = ("adagrad", "rmsprop", "adam")


def _lengths(panels, t: int) -> dict:
    """|Δw| of each optimizer's step ``t`` (what the figure states), 3 digits."""
    return {
        p.facts["optimizer"]: float(f"{np.hypot(*p.arrays['step']):.3g}")
        for p in panels
        if p.facts["t"] == t
    }


def _rho(hyper: dict) -> dict:
    return {"rho": hyper["rho"]} if "rho" in hyper else {}


def _panel(lesson, name: str, t: int):
    return next(
        (p for p in lesson.panels if p.facts["optimizer"] == name and p.facts["t"] == t),
        None,
    )


@claims_of("explain-step")
def explain_step_claims(lesson) -> list[Claim]:
    """What explain-step says: at t = 1 momentum's v is −αg (SGD's step), Adam's ŝ is
    g, and each adaptive step is sign-like (Adagrad and Adam move α in every
    coordinate, RMSprop α/√(1−ρ)); at the later step the three differ (the lengths
    stated are the steps')."""
    out = []
    mom, adam = _panel(lesson, "momentum", 1), _panel(lesson, "adam", 1)
    if mom is not None:
        v, g, lr = mom.arrays["after_v"], mom.arrays["g"], mom.facts["hyper"]["lr"]
        out.append(
            Claim(
                "at t = 1 momentum's v is −αg, the SGD step",
                bool(np.allclose(v, -lr * g, rtol=1e-12, atol=0)),
                {"v": v.tolist(), "alpha": lr},
            )
        )
    if adam is not None:
        s_hat, g = adam.arrays["after_s_hat"], adam.arrays["g"]
        out.append(
            Claim(
                "at t = 1 Adam's ŝ is g",
                bool(np.allclose(s_hat, g)),
                {"s_hat": s_hat.tolist()},
            )
        )
    for name in ADAPTIVE:
        p = _panel(lesson, name, 1)
        if p is None:
            continue
        hyper = p.facts["hyper"]
        move = hyper["lr"] / np.sqrt(1 - hyper["rho"]) if name == "rmsprop" else hyper["lr"]
        step = np.abs(p.arrays["step"])
        out.append(
            Claim(
                f"at t = 1 {name} moves {move:.3g} in every coordinate",
                bool(np.allclose(step, move, rtol=1e-6)),
                {"step": step.tolist(), "move": float(move), **_rho(hyper)},
            )
        )
    stated = lesson.settings["lengths"]
    out.append(
        Claim(
            "each |Δw| written under a step is that step's length",
            all(
                stated[str(t)] == _lengths(lesson.panels, t) for t in lesson.settings["at"]
            ),
            {"lengths": stated},
        )
    )
    later = lesson.settings["at"][-1]
    real = _lengths(lesson.panels, later)
    if later > 1 and {"sgd", "momentum", "adagrad", "rmsprop", "adam"} <= set(real):
        out.append(
            Claim(
                f"at t = {later} the methods differ: momentum's step is over twice "
                "SGD's, Adam's over twice Adagrad's; RMSprop (ρ = 0.99, α/√(1−ρ) = "
                "Adagrad's α) is within 5% of Adagrad, its r ≈ (1−ρ)Σg² while ρᵗ ≈ 1",
                real == lesson.settings["lengths"][str(later)]
                and real["momentum"] > 2 * real["sgd"]
                and real["adam"] > 2 * real["adagrad"]
                and abs(real["rmsprop"] - real["adagrad"]) < 0.05 * real["adagrad"],
                {
                    "lengths": real,
                    "t": later,
                    **_rho(_panel(lesson, "rmsprop", later).facts["hyper"]),
                },
            )
        )
    return out
