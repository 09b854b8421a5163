"""The runs a lesson record holds, as the trajectories the drawing helpers take: a
panel made by :func:`optviz.lessons.claims.trajectory_panel` back as a
:class:`~optviz.records.Trajectory`. Nothing is computed."""

from __future__ import annotations

import numpy as np

from ..records import Run, Trajectory

__all__ = ["trajectory_of", "run_of"]


def trajectory_of(panel) -> Trajectory:
    """The trajectory a panel holds (its ``xy``, ``loss``, ``grad``, ``lr``)."""
    a, f = panel.arrays, panel.facts
    return Trajectory(
        f["optimizer"],
        f["label"],
        dict(f["hyperparameters"]),
        a["xy"],
        a["loss"],
        a["grad"],
        a["lr"],
        np.asarray(a["diverged_at"]),
        color=f.get("color"),
    )


def run_of(panels, surface: str, start) -> Run:
    """The trajectories of ``panels`` as one :class:`~optviz.records.Run`."""
    return Run(surface, np.asarray(start, dtype=float), [trajectory_of(p) for p in panels])
