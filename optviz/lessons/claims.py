"""What a lesson figure claims: each :class:`Claim` a predicate over the figure's
record, with the numbers it rests on. :func:`claims` finds a lesson's claims by its
name; each lesson module registers its own with :func:`claims_of`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..records import Panel

__all__ = ["Claim", "claims", "claims_of", "check_claims", "trajectory_panel", "CLAIMS"]


@dataclass(frozen=True)
class Claim:
    """One thing a figure says (``text``), whether its record bears it out
    (``holds``), and the numbers it rests on (``numbers``)."""

    text: str
    holds: bool
    numbers: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The claim as JSON-ready data (a record's ``meta["figure"]["claims"]``)."""
        return {"text": self.text, "holds": self.holds, "numbers": self.numbers}

    def __str__(self) -> str:
        mark = "holds" if self.holds else "FALSE"
        return f"[{mark}] {self.text} {self.numbers}"


#: Lesson name -> the function listing its claims.
CLAIMS: dict[str, Callable] = {}


def claims_of(name: str):
    """Register the decorated function as the claims of lesson ``name``."""

    def register(function):
        CLAIMS[name] = function
        return function

    return register


def claims(lesson) -> list[Claim]:
    """The claims the figure of ``lesson`` (a :class:`~optviz.records.Lesson`) makes."""
    if lesson.name not in CLAIMS:
        raise ValueError(
            f"no claims for lesson {lesson.name!r}; known: {', '.join(sorted(CLAIMS))}"
        )
    return CLAIMS[lesson.name](lesson)


def check_claims(lesson) -> list[Claim]:
    """The claims of ``lesson``; ``ValueError`` naming the first that is false."""
    found = claims(lesson)
    for claim in found:
        if not claim.holds:
            raise ValueError(f"{lesson.name}: the record does not bear out: {claim}")
    return found


def trajectory_panel(traj, label: str | None = None, **facts) -> Panel:
    """A single-start trajectory as a panel: its arrays (``xy``, ``loss``, ``grad``,
    ``lr``, ``diverged_at``) and facts (``optimizer``, ``label``,
    ``hyperparameters``, ``color`` and ``facts`` given)."""
    arrays = {k: getattr(traj, k) for k in ("xy", "loss", "grad", "lr")}
    arrays["diverged_at"] = np.asarray(traj.diverged_at, dtype=np.int64)
    facts = {
        "optimizer": traj.optimizer,
        "label": traj.label,
        "hyperparameters": {
            k: v for k, v in traj.hyperparameters.items() if not callable(v)
        },
        "color": traj.color,
        **facts,
    }
    return Panel(label or traj.label, arrays, facts)
