r"""The protocol's broadcast run: every configuration of a grid from every start in one
vectorised run, shrinking as whole configurations diverge.

The iterates are laid out ``(C, K, 2)`` (configurations x starts) and each searched
hyper-parameter as a ``(C, 1, 1)`` array, so a per-configuration quantity (Adam's
:math:`1 - \rho^t`) is computed once per configuration rather than once per start. The
step is :func:`optviz.run.step_loop`'s, with the same divergence test
(:func:`optviz.run.mark_diverged`); what differs is that a configuration whose every
start has diverged is dropped from the arrays (its remaining budgets read "diverged",
as they would), and the optimizer continues on the survivors through its
``state_dict``. Every operation is elementwise, so each configuration's numbers are
exactly those of a run of that configuration alone. On a surface with noisy gradients
(whose noise stream depends on the batch), and for a rule over a whole problem
(``Optimizer.whole``: its state is not one array per iterate), nothing is dropped.

At each budget it keeps, per configuration and start: the step from which
:math:`|f - f^*| <` ``tol`` holds (-1: not then), :math:`|f - f^*|` (+inf once
diverged), the mean :math:`\log_{10}(f - f^*)` over the steps so far (+inf once
diverged or without a known minimum) and who diverged.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from ..records.tuned import AUC_FLOOR
from ..run import mark_diverged, progress_every
from .teaching import with_values

__all__ = ["run_grid", "DROP_FRACTION", "DROP_EVERY"]

#: The arrays shrink once at least this fraction of the configurations still run has
#: diverged entirely ...
DROP_FRACTION = 0.125
#: ... checked every this many steps.
DROP_EVERY = 8

Progress = Callable[[int, int], None]


class _Keep:
    """What the run keeps, for every configuration (dropped ones included)."""

    def __init__(self, surface, budgets, c, k, loss, tol):
        self.fmin = surface.min_value
        self.budgets, self.tol = list(budgets), tol
        nb = len(self.budgets)
        self.out = {
            "hit": np.full((nb, c, k), -1, dtype=np.int64),
            "gap": np.full((nb, c, k), np.inf),
            "auc": np.full((nb, c, k), np.inf),
            "diverged": np.ones((nb, c, k), dtype=bool),
        }
        self.hit = np.full((c, k), -1, dtype=np.int64)
        self.area = np.zeros((c, k))
        self.buf = np.empty((c, k))
        if self.fmin is not None:
            self.hit[np.abs(loss - self.fmin) < tol] = 0

    def gap(self, loss):
        """|f - f*| into the buffer (``loss`` itself without a known minimum): outside
        the domain f can fall below the domain's f* (Eggholder); such a point is not at
        the minimum, whatever its value."""
        if self.fmin is None:
            return loss
        np.subtract(loss, self.fmin, out=self.buf)
        return np.abs(self.buf, out=self.buf)

    def step(self, k, loss, alive, rows):
        gap = self.gap(loss)
        if self.fmin is not None:
            below = gap < self.tol
            below &= alive
            self.hit = np.where(below, np.where(self.hit < 0, k, self.hit), -1)
        if k in self.budgets:
            self.keep(self.budgets.index(k), gap, alive, rows, k)
        if self.fmin is not None:
            np.maximum(gap, AUC_FLOOR, out=self.buf)
            self.area += np.log10(self.buf, out=self.buf)

    def keep(self, j, gap, alive, rows, k):
        # the area so far still lacks this step's term: added here, as the loop would
        out = self.out
        out["hit"][j, rows] = self.hit
        out["gap"][j, rows] = np.where(alive, gap, np.inf)
        if self.fmin is not None:
            area = self.area + np.log10(np.maximum(gap, AUC_FLOOR))
            out["auc"][j, rows] = np.where(alive, area / k, np.inf)
        out["diverged"][j, rows] = ~alive

    def drop(self, keep):
        self.hit, self.area = self.hit[keep], self.area[keep]
        self.buf = np.empty(self.hit.shape)


def _compacted(opt, proto, values, keep, xy):
    """The optimizer on the surviving configurations ``keep``, its state carried over
    bit for bit; None if the state cannot be carried (then nothing is dropped)."""
    sd = opt.state_dict()
    dead = ~np.isfinite(xy[keep]).all(axis=-1)  # (C', K): rows frozen at NaN
    for entry in sd["state"]:
        for key, value in entry.items():
            if isinstance(value, np.ndarray) and value.shape == xy.shape:
                part = value[keep]
                part[dead] = 0.0  # a frozen start's state no longer matters
                entry[key] = part
        entry["shape"] = xy[keep].shape
    new = with_values(proto, {key: v[keep] for key, v in values.items()})
    sd["hyper"] = new.state_dict()["hyper"]
    try:
        new.load_state_dict(sd)
    except ValueError:  # e.g. an overflowed (infinite) second moment: keep all
        return None
    return new


def run_grid(
    surface,
    proto,
    keys: Sequence[str],
    configs: np.ndarray,
    starts: np.ndarray,
    budgets: Sequence[int],
    tol: float,
    progress: Progress | None = None,
) -> dict:
    """Every configuration (rows of ``configs``, columns ``keys``) from every start
    (``(K, 2)``) for ``max(budgets)`` steps -> arrays ``(B, C, K)``: ``hit``, ``gap``,
    ``auc``, ``diverged`` (see the module docstring)."""
    c, k = len(configs), len(starts)
    values = {key: configs[:, i].reshape(c, 1, 1) for i, key in enumerate(keys)}
    opt = with_values(proto, values)
    grad = surface.gradient_fn()
    # noisy gradients draw per batch; a rule over a whole problem keeps other state
    droppable = surface.noise is None and not getattr(opt, "whole", False)
    steps = max(budgets)
    every = progress_every(steps)
    xy = np.broadcast_to(np.asarray(starts, dtype=np.float64), (c, k, 2)).copy()
    rows = np.arange(c)
    alive = np.ones((c, k), dtype=bool)
    with np.errstate(all="ignore"):
        keep = _Keep(surface, budgets, c, k, surface.value(xy), tol)
        for t in range(1, steps + 1):
            opt.step(xy, grad(xy), points=True)  # each start a problem of its own
            loss = surface.value(xy)
            mark_diverged(surface, xy, loss, alive)
            keep.step(t, loss, alive, rows)
            if progress is not None and t % every == 0 and t < steps:
                progress(t, steps)
            if t % DROP_EVERY or not droppable:
                continue
            gone = ~alive.any(axis=1)
            n = int(gone.sum())
            if n == len(rows):
                break
            if n and n >= DROP_FRACTION * len(rows):
                live = ~gone
                new = _compacted(opt, proto, values, live, xy)
                if new is None:
                    droppable = False
                    continue
                opt, xy, alive, rows = new, xy[live], alive[live], rows[live]
                values = {key: v[live] for key, v in values.items()}
                keep.drop(live)
    if progress is not None:
        progress(steps, steps)
    return keep.out
