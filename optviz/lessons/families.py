"""The optimizer families: which optimizer adds what to which, read from the classes'
own facts (each class's ``ideas``, :mod:`optviz.optimizers.ideas`); the figure holds
no table of its own.

Each optimizer *builds on* the registered optimizer whose ideas are the largest strict
subset of its own (the first registered on a tie), and *adds* the rest: Adam builds on
momentum and adds per-coordinate scaling and bias correction.

>>> lesson = optimizer_families(["sgd", "momentum", "adam", "adamw"])
>>> lesson["adamw"].facts["builds_on"], lesson["adamw"].facts["adds"]
('adam', ['decoupled decay'])
"""

from __future__ import annotations

import numpy as np

from ..optimizers import OPTIMIZERS
from ..optimizers.ideas import IDEAS, ideas_of
from ..records import Lesson, Panel
from .claims import Claim, claims_of

__all__ = ["optimizer_families", "builds_on"]


def builds_on(name: str, names) -> str | None:
    """The optimizer of ``names`` whose ideas are the largest strict subset of
    ``name``'s (the first in ``names`` on a tie); None when there is none."""
    own = set(ideas_of(name))
    best = None
    for other in names:
        theirs = set(ideas_of(other))
        if other != name and theirs < own:
            if best is None or len(theirs) > len(ideas_of(best)):
                best = other
    return best


def optimizer_families(names=None) -> Lesson:
    """One panel per optimizer of ``names`` (default: every registered one, in
    registry order): array ``has`` (1 where it has the idea of
    :data:`~optviz.optimizers.ideas.IDEAS` at that index), facts ``ideas`` (its
    class's), ``builds_on`` (:func:`builds_on`) and ``adds`` (its ideas that one
    lacks)."""
    names = list(OPTIMIZERS) if names is None else list(names)
    panels = []
    for name in names:
        ideas = ideas_of(name)
        parent = builds_on(name, names)
        before = set(ideas_of(parent)) if parent else set()
        facts = {
            "ideas": list(ideas),
            "builds_on": parent,
            "adds": [i for i in IDEAS if i in ideas and i not in before],
        }
        has = np.array([i in ideas for i in IDEAS], dtype=np.int64)
        panels.append(Panel(name, {"has": has}, facts))
    return Lesson("optimizer-families", panels, {"names": names, "ideas": list(IDEAS)})


@claims_of("optimizer-families")
def _families_claims(lesson) -> list[Claim]:
    """Every row is its class's facts: its ideas, the one it builds on, what it adds."""
    names = [p.label for p in lesson.panels]
    out = [Claim("the columns are the ideas", lesson.settings["ideas"] == list(IDEAS))]
    for p in lesson.panels:
        ideas = list(ideas_of(p.label))
        parent = builds_on(p.label, names)
        before = set(ideas_of(parent)) if parent else set()
        row = [i in ideas for i in IDEAS]
        out.append(
            Claim(
                f"{p.label}: its class's ideas, built on {parent}",
                p.facts["ideas"] == ideas
                and p.arrays["has"].astype(bool).tolist() == row
                and p.facts["builds_on"] == parent
                and set(p.facts["adds"]) == set(ideas) - before,
                {"ideas": ideas, "builds_on": parent},
            )
        )
    return out
