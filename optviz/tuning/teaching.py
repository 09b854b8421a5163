r"""The teaching tuner: each optimizer's best hyper-parameters from a grid, one start.

A comparison of optimizers is only as fair as the settings it runs them at. :func:`tune`
runs, per optimizer, every point of a grid over its hyper-parameters (``lr`` = α and,
where it matters, ``momentum`` = β, ``rho`` = ρ, ``rho1``/``rho2`` = Adam's ρ1, ρ2) as
one vectorised batch (hyper-parameters broadcast against the batch of starts, so a grid
over (α, β) is one run), and keeps the best point by the criterion of
:mod:`optviz.sweep` (fewest steps to f - f* < tol within the budget; lowest final
f - f* when none reaches it; diverged runs never). It returns the chosen settings and the
rule in words, for the figure to state.

:func:`equal_step` is the other fair rule: momentum at α(1-β), so that its effective
step α/(1-β) on a steady slope equals SGD's α.

>>> from optviz.surfaces.quadratic import quadratic
>>> from optviz.optimizers import SGD
>>> tuned = tune(quadratic(kappa=10), {"sgd": SGD()},
...              {"sgd": {"lr": np.linspace(0.05, 0.25, 41)}}, steps=100, tol=1e-6)
>>> round(tuned.settings["sgd"]["lr"], 3)  # 2/(L + mu) = 2/11 = 0.18
0.18
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_range
from ..notation import SYMBOLS, assignments
from ..optimizers import Optimizer
from ..run import labelled_optimizers
from ..sweep import DEFAULT_TOL, track

__all__ = [
    "Chosen",
    "tune",
    "equal_step",
    "effective_step",
    "TUNABLE",
    "describe",
    "with_values",
]

#: Grid keys and the notes' symbol each stands for.
TUNABLE = {k: SYMBOLS[k] for k in ("lr", "momentum", "rho", "rho1", "rho2")}


@dataclass
class Chosen:
    """The outcome of :func:`tune`: settings per label and the rule that chose them."""

    optimizers: dict[str, Optimizer]  # label -> optimizer at its best setting
    settings: dict[str, dict[str, float]]  # label -> {"lr": ..., "momentum": ...}
    steps_to_tol: dict[str, int]  # label -> steps at the best setting (-1: never)
    final_gap: dict[str, float]  # label -> final f - f* at the best setting
    grid_sizes: dict[str, int]  # label -> points tried
    steps: int
    tol: float
    rule: str
    meta: dict = field(default_factory=dict)


def describe(settings: Mapping[str, float]) -> str:
    """``α=0.18 β=0.62`` in the notes' symbols."""
    return assignments(settings)


def _kwargs(proto: Optimizer) -> dict:
    keys = [k for k in inspect.signature(type(proto).__init__).parameters if k != "self"]
    return {k: getattr(proto, k) for k in keys}


def with_values(proto: Optimizer, values: Mapping[str, ArrayLike]) -> Optimizer:
    """``proto``'s class and keys with the grid's values put in (arrays broadcast)."""
    kwargs = _kwargs(proto)
    for key, value in values.items():
        if key in ("rho1", "rho2"):
            if "betas" not in kwargs:
                raise ValueError(f"{proto.name} has no {key}; only Adam's family does")
            betas = list(kwargs["betas"])
            betas[0 if key == "rho1" else 1] = value
            kwargs["betas"] = tuple(betas)
        elif key in kwargs:
            kwargs[key] = value
        else:
            allowed = ", ".join(k for k in TUNABLE if k in kwargs or k.startswith("rho1"))
            raise ValueError(
                f"cannot tune {key!r} of {proto.name}; tunable keys here: {allowed}"
            )
    return type(proto)(**kwargs)


def tune(
    surface,
    optimizers: Mapping[str, Optimizer] | Sequence[Optimizer],
    grids: Mapping[str, Mapping[str, ArrayLike]],
    *,
    steps: int | None = None,
    start: ArrayLike | None = None,
    tol: float = DEFAULT_TOL,
) -> Chosen:
    """Each optimizer's best point of its grid on ``surface``, all points in one run.

    Parameters
    ----------
    optimizers : mapping label -> Optimizer, or a sequence
        Prototypes: keys not in the grid are kept.
    grids : mapping label -> {key: 1-D values}
        The grid per label (the full product of the values is tried). Keys are
        :data:`TUNABLE`: ``lr``, ``momentum``, ``rho``, ``rho1``, ``rho2``.
    steps : int
        The budget (default: the surface's).
    start : (2,)
        One start for all (default: the surface's).
    tol : float
        f - f* below this counts as converged.
    """
    pairs = labelled_optimizers(optimizers)
    steps = surface.steps if steps is None else steps
    start = np.asarray(surface.start if start is None else start, dtype=np.float64)
    if start.shape != (2,):
        raise ValueError(f"tune runs from one start of shape (2,), got {start.shape}")
    optimizers_out, settings, hits, gaps, sizes = {}, {}, {}, {}, {}
    for label, proto in pairs:
        if label not in grids:
            raise ValueError(f"no grid for {label!r}; grids given for: {', '.join(grids)}")
        grid = {k: np.asarray(v, dtype=np.float64) for k, v in grids[label].items()}
        for key, values in grid.items():
            if values.ndim != 1 or len(values) == 0:
                raise ValueError(f"grid {key!r} of {label!r} must be a non-empty 1-D array")
            check_range(key, values, low=0)
        mesh = np.meshgrid(*grid.values(), indexing="ij")
        flat = {k: m.reshape(-1, 1) for k, m in zip(grid, mesh)}  # (N, 1) each
        n = mesh[0].size
        res = track(
            surface,
            with_values(proto, flat),
            np.broadcast_to(start, (n, 2)),
            steps,
            tol=tol,
        )
        fmin = surface.min_value
        gap = res.final_loss if fmin is None else res.final_loss - fmin
        ok = (res.diverged_at < 0) & np.isfinite(gap)
        if not np.any(ok):
            continue
        idx = np.flatnonzero(ok)
        reached = idx[res.steps_to_tol[idx] >= 0]
        if len(reached):
            best = int(reached[np.lexsort((gap[reached], res.steps_to_tol[reached]))[0]])
        else:
            best = int(idx[np.argmin(gap[idx])])
        chosen = {k: float(v[best, 0]) for k, v in flat.items()}
        settings[label] = chosen
        optimizers_out[label] = with_values(proto, chosen)
        hits[label] = int(res.steps_to_tol[best])
        gaps[label] = float(gap[best])
        sizes[label] = n
    budget = max(sizes.values()) if sizes else 0
    rule = (
        f"each optimizer tuned: best of up to {budget} settings (log-spaced α"
        + (", β or ρ" if any(len(grids[lb]) > 1 for lb, _ in pairs) else "")
        + f"), fewest steps to f - f* < {tol:g} within {steps} steps"
    )
    return Chosen(optimizers_out, settings, hits, gaps, sizes, int(steps), float(tol), rule)


def effective_step(lr: float, momentum: float) -> float:
    """α/(1-β): how far momentum moves per unit of slope once its velocity has built up
    on a steady slope (the sum α(1 + β + β² + ...))."""
    check_range("momentum", momentum, low=0, high=1, high_open=True)
    return lr / (1 - momentum)


def equal_step(sgd_lr: float, momentum: float) -> float:
    """Momentum's α for the same effective step as SGD at ``sgd_lr``: α = lr (1-β)."""
    check_range("momentum", momentum, low=0, high=1, high_open=True)
    return sgd_lr * (1 - momentum)
