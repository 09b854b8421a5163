"""What an optimizer lesson's figure claims: each :class:`Claim` a predicate over the
figure's record (a :class:`~optviz.records.Lesson`) with the numbers it rests on.

Each lesson module registers the claims of its figure with :func:`claims_of`;
:func:`claims` finds them by the lesson's name (one registry for every lesson: that of
:mod:`optviz.lessons.claims`). The captions (en and zh) state the
claims' numbers; a test evaluates every claim on the full-size record and checks that
each number a caption states is one of them.
"""

from __future__ import annotations

import numpy as np

from ..lessons.claims import CLAIMS, Claim, check_claims, claims, claims_of
from ..records import Panel

__all__ = ["Claim", "claims", "claims_of", "check_claims", "trajectory_panel", "CLAIMS"]


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
