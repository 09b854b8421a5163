"""The five update rules side by side: the words and numbers of the ``update-rules``
figure, each read from its optimizer class (its ``rule``, ``idea``, ``remark`` and
declared defaults), and one Adagrad step that bears out what the figure says of its
first step (at t = 1, g/√r = sign g: every coordinate moves α)."""

from __future__ import annotations

import numpy as np

from ..optimizers import DEFAULT_OPTIMIZERS, OPTIMIZERS
from ..records import Lesson, Panel
from .claims import Claim, claims_of

__all__ = ["update_rules", "defaults_line", "FIRST_GRADIENT"]

#: The gradient of the Adagrad step the lesson takes: coordinates 300× apart.
FIRST_GRADIENT = (3.0, 0.01)

_SUBSCRIPTS = str.maketrans("₁₂", "12")


def defaults_line(cls) -> str:
    """``defaults: α = 0.01, ρ = 0.99, δ = 1e-08``: each numeric hyper-parameter of
    ``cls`` that has a symbol of the notes, at its declared default (zeros left out:
    an option that is off)."""
    parts = []
    for key, spec in cls.hyper.items():
        value = cls.defaults[key]
        pairs = (
            zip(spec.symbol, value)
            if isinstance(spec.symbol, tuple)
            else [(spec.symbol, value)]
        )
        for sym, v in pairs:
            if sym and isinstance(v, (int, float)) and not isinstance(v, bool) and v:
                parts.append(f"{sym.translate(_SUBSCRIPTS)} = {v:g}")
    return "defaults: " + ", ".join(parts)


def update_rules(names=DEFAULT_OPTIMIZERS) -> Lesson:
    """A panel per optimizer of ``names`` (the notes' five), in order: facts
    ``equations`` (the class's ``rule`` as mathtext lines), ``adds`` (its ``idea``),
    ``defaults`` (:func:`defaults_line`, and ``values``: the numbers) and ``remark``
    (where the notes are wrong, else ""); Adagrad's panel also holds one step of the
    class from a gradient :data:`FIRST_GRADIENT` (arrays ``g``, ``step``)."""
    panels = []
    for name in names:
        cls = OPTIMIZERS[name]
        remark = cls.remark.format(**cls.defaults)
        facts = {
            "equations": [f"${line}$" for line in cls.rule],
            "adds": cls.idea,
            "defaults": defaults_line(cls),
            "values": {k: v for k, v in cls.defaults.items() if not callable(v)},
            "remark": remark if "notes" in remark else "",
        }
        arrays = {}
        if name == "adagrad":
            opt, g = cls(), np.array(FIRST_GRADIENT)
            w = np.zeros(2)
            opt.step(w, g.copy())
            arrays = {"g": g, "step": w}
        panels.append(Panel(name, arrays, facts))
    return Lesson("update-rules", panels, {"names": list(names)})


@claims_of("update-rules")
def _update_rules_claims(lesson) -> list[Claim]:
    out = []
    labels = [p.label for p in lesson.panels]
    if "adagrad" in labels:
        p = lesson["adagrad"]
        alpha, step = p.facts["values"]["lr"], np.abs(p.arrays["step"])
        out.append(
            Claim(
                "at t = 1 Adagrad's g/√r = sign g: every coordinate moves α",
                bool(np.allclose(step, alpha, rtol=1e-6)),
                {"g": p.arrays["g"].tolist(), "step": step.tolist(), "alpha": alpha},
            )
        )
    if "adam" in labels:
        betas = lesson["adam"].facts["values"]["betas"]
        out.append(
            Claim(
                "Adam's published defaults: ρ1 = 0.9, ρ2 = 0.999",
                list(betas) == [0.9, 0.999],
                {"rho1": betas[0], "rho2": betas[1]},
            )
        )
    for p in lesson.panels:  # every default stated is the class's
        stated = defaults_line(OPTIMIZERS[p.label])
        out.append(
            Claim(f"{p.label}'s defaults as declared", p.facts["defaults"] == stated, {})
        )
    return out
