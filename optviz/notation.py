"""The notes' symbols for hyper-parameters, and the one way optviz writes them:
``α=0.05 β=0.9``, ``α=0.01 ρ1=0.9 ρ2=0.999``.

Figure labels (:func:`optviz.plot.style.legend_label`), footnotes and the tuning's
reports all format settings through :func:`assignments`.

>>> assignments({"lr": 0.18, "momentum": 0.6172})
'α=0.18 β=0.617'
>>> assignments(shaping("adam", {"lr": 0.05, "betas": (0.9, 0.999), "eps": 1e-8}))
'α=0.05 ρ1=0.9 ρ2=0.999'
"""

from __future__ import annotations

import re
from typing import Mapping

__all__ = ["SYMBOLS", "SEPARATOR", "number", "assignments", "shaping"]

#: Footnote parts are joined by this; a footnote's lines break between parts.
SEPARATOR = "   ·   "
#: Keyword -> the notes' symbol (``rho1``, ``rho2``: Adam's ``betas``).
SYMBOLS = {"lr": "α", "momentum": "β", "rho": "ρ", "rho1": "ρ1", "rho2": "ρ2", "eps": "δ"}


def number(value) -> str:
    """A setting as written in a label: three significant digits (more for a value
    that would read 1 and is not: ``0.9999``), a list as ``a/b``.

    >>> number(0.123456), number(0.9999), number(1.0), number([0.9, 0.999])
    ('0.123', '0.9999', '1', '0.9/0.999')
    """
    if isinstance(value, (list, tuple)):
        return "/".join(number(v) for v in value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = 3
        # a rate just below 1 (ρ = 0.9999) keeps the digits that tell it from 1
        while f"{value:.{digits}g}" == "1" and value != 1 and digits < 8:
            digits += 1
        return f"{value:.{digits}g}"
    return str(value)


def assignments(settings: Mapping) -> str:
    """``key=value`` pairs in the notes' symbols, in the order given."""
    return " ".join(f"{SYMBOLS.get(k, k)}={number(v)}" for k, v in settings.items())


def _shown(value, lists: bool) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or (lists and isinstance(value, (list, tuple)))


def shaping(family: str, hyper: Mapping, *, lists: bool = True) -> dict:
    """The hyper-parameters that shape the path of an optimizer of ``family``
    (:attr:`optviz.optimizers.Optimizer.family`), as ``{key: value}`` in the notes'
    order (α, β, ρ, ρ1, ρ2): momentum outside the momentum family (RMSprop's optional
    one) only when on; a learning rate given per run (a list) only when ``lists``."""
    out = {}
    lr = hyper.get("lr")
    if _shown(lr, lists):
        out["lr"] = lr
    for key in ("momentum", "rho"):
        value = hyper.get(key)
        if key == "momentum" and family != "momentum" and not value:
            continue  # RMSprop's optional momentum, off
        if _shown(value, False):
            out[key] = value
    betas = hyper.get("betas")
    if isinstance(betas, (list, tuple)) and len(betas) == 2:
        out["rho1"], out["rho2"] = betas
    return out


# -- what differs from an optimizer's defaults -------------------------------------------
__all__ += ["differing", "describe", "schedule_words", "SWITCHES", "SETTING_WORDS"]

#: A switch's words when on; off reads "no ..." (``bias_correction=False``: "no bias
#: correction").
SWITCHES = {
    "bias_correction": "bias correction",
    "amsgrad": "AMSGrad",
    "nesterov": "Nesterov",
    "centered": "centred",
    "eps_inside_sqrt": "δ inside √",
}
#: Settings without a symbol of the notes, by the words a label writes before the value.
SETTING_WORDS = {
    "weight_decay": "weight decay",
    "initial_accumulator_value": "r₀",
    "form": "form",
}


def _same(a, b) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b))
    return a == b


def differing(hyper: Mapping, defaults: Mapping, shown=()) -> dict:
    """The settings of ``hyper`` that differ from ``defaults``, except those in
    ``shown`` (already written) and ``lr`` (always written, or a schedule)."""
    return {
        k: v
        for k, v in hyper.items()
        if k not in shown and k != "lr" and k in defaults and not _same(v, defaults[k])
    }


_CALL = re.compile(r"(\w+)\(")
_ARG = re.compile(r"(\w+)=([^,()]+)")


def schedule_words(text: str) -> tuple[float | None, str]:
    """(base α, words) of a schedule written as its repr, ``"warmup(cosine(lr=0.001,
    total_steps=10, min_lr=0), warmup_steps=20)"`` -> ``(0.001, "cosine, warm-up 20")``;
    ``(None, text)`` for what it cannot read.

    >>> schedule_words("step(lr=0.1, step_size=4, gamma=0.5)")
    (0.1, 'step ×0.5 every 4')
    """
    names = _CALL.findall(text)
    args = {k: v.strip() for k, v in _ARG.findall(text)}
    try:
        lr = float(args["lr"])
    except (KeyError, ValueError):
        return None, text
    parts = []
    for name in names:
        if name == "cosine":
            low = args.get("min_lr", "0")
            parts.append(
                "cosine" + ("" if float(low) == 0 else f" to {number(float(low))}")
            )
        elif name == "step":
            parts.append(f"step ×{args.get('gamma', '0.1')} every {args.get('step_size')}")
        elif name == "exponential":
            parts.append(f"×{args.get('gamma')} per step")
        elif name == "warmup":
            parts.append(f"warm-up {args.get('warmup_steps')}")
    order = sorted(parts, key=lambda p: p.startswith("warm-up"))  # the shape, then warm-up
    return lr, ", ".join(order)


def describe(settings: Mapping) -> str:
    """``settings`` (from :func:`differing`) in the notes' words: symbols where the
    notes have one (``δ=1e-06``), switches by name (``no bias correction``)."""
    out = []
    for key, value in settings.items():
        if key in SWITCHES and isinstance(value, bool):
            out.append(SWITCHES[key] if value else f"no {SWITCHES[key]}")
        elif key == "betas" and isinstance(value, (list, tuple)) and len(value) == 2:
            out.append(assignments({"rho1": value[0], "rho2": value[1]}))
        elif key in SYMBOLS:
            out.append(assignments({key: value}))
        else:
            out.append(f"{SETTING_WORDS.get(key, key)}={number(value)}")
    return " ".join(out)
