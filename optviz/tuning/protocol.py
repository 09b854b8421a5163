r"""A fair comparison protocol: every optimizer tuned jointly, over many starts and
budgets, with failures, ties and grid edges stated.

Per surface, K random starts are drawn uniformly in the surface's domain (seeded, the
same for every optimizer). Per optimizer, every configuration of its joint grid (α with
β for momentum and Nesterov, α with ρ for RMSprop, α with ρ1 and ρ2 for Adam; α alone
for SGD and Adagrad: :mod:`.grids`) runs from every start in ONE vectorised run
(configurations x starts broadcast), for the largest budget; the smaller budgets are
read from the same runs as they pass (so every configuration and every optimizer gets
exactly ``budget`` gradient evaluations per start). Per configuration and budget the
starts are summarised by their median (:data:`~optviz.records.tuned.STATISTIC`): steps
to f - f* < tol (+inf for a start that fails or diverges), final f - f*, or the mean
log10 f - f* over the steps (the area under the log-gap curve).

A best that sits at an end of its range widens that range (:data:`.grids.WIDEN` times at
most, only the new configurations run); then :data:`.grids.ZOOMS` zooms add the
midpoints around each budget's best, halving the spacing there each time. A best still
at an end is "edge", never "best" (:meth:`optviz.records.Tuned.choice`).

>>> from optviz.surfaces.quadratic import quadratic
>>> t = tune_suite([quadratic(10.0)], ["sgd"], starts=4, budgets=(100,), seed=0)
>>> c = t.choice(t["quadratic/sgd"])
>>> c["status"], round(c["settings"]["lr"], 2)  # 2/(L + mu) = 2/11
('best', 0.18)
"""

from __future__ import annotations

import itertools
import zlib
from typing import Callable, Mapping, Sequence

import numpy as np

from .._checks import check_int, check_range
from .._shared import MAX_STEPS
from ..optimizers import DEFAULT_OPTIMIZERS
from ..records.tuned import OBJECTIVES, Tuned, TunedSearch
from ..run import DEFAULT_TOL, labelled_optimizers
from .batch import run_grid
from .grids import (
    ALPHA_DECADES,
    ALPHA_POINTS,
    BETA_POINTS,
    BETA_RANGE,
    DEFAULT_GRIDS_TEXT,
    RHO2_POINTS,
    RHO2_RANGE,
    WIDEN,
    ZOOMS,
    check_work,
    default_axes,
    keys_of,
    widened,
    zoom_values,
)

__all__ = [
    "tune_suite",
    "search",
    "random_starts",
    "DEFAULT_BUDGETS",
    "DEFAULT_STARTS",
]

DEFAULT_BUDGETS = (10, 30, 100, 300, 1000)
DEFAULT_STARTS = 16

Progress = Callable[[int, int], None]


def random_starts(surface, k: int, seed: int | None) -> np.ndarray:
    """``(k, 2)`` starts uniform in the surface's domain, from ``seed`` and the
    surface's name (so a surface's starts do not depend on which others are tuned)."""
    key = zlib.crc32(surface.name.encode())
    rng = np.random.default_rng([0 if seed is None else int(seed), key])
    (x0, x1), (y0, y1) = surface.domain
    return np.column_stack([rng.uniform(x0, x1, k), rng.uniform(y0, y1, k)])


def _run_configs(surface, proto, keys, configs, starts, budgets, tol, progress=None):
    """Every configuration (rows of ``configs``) from every start in one run
    (:func:`.batch.run_grid`) -> ``(C, B)`` arrays: median steps, gap, auc; counts
    solved, diverged."""
    out = run_grid(surface, proto, keys, configs, starts, budgets, tol, progress)
    hit = out["hit"]
    steps = np.where(hit >= 0, hit, np.inf).astype(np.float64)
    gap = np.where(np.isnan(out["gap"]), np.inf, out["gap"])
    auc = np.where(np.isnan(out["auc"]), np.inf, out["auc"])
    return {
        "steps": np.median(steps, axis=2).T,
        "gap": np.median(gap, axis=2).T,
        "auc": np.median(auc, axis=2).T,
        "solved": (hit >= 0).sum(axis=2).T.astype(np.int64),
        "diverged": out["diverged"].sum(axis=2).T.astype(np.int64),
    }


def _product(axes: Mapping[str, np.ndarray], keys) -> np.ndarray:
    return np.array(list(itertools.product(*(axes[k] for k in keys))), dtype=np.float64)


class _Search:
    """The growing set of configurations of one optimizer on one surface."""

    def __init__(self, surface, label, proto, axes, starts, budgets, tol, objective):
        self.surface, self.label, self.proto = surface, label, proto
        self.keys = [k for k in axes]
        self.axes = {k: np.asarray(v, dtype=np.float64) for k, v in axes.items()}
        self.starts, self.budgets, self.tol = starts, list(budgets), tol
        self.objective = objective
        self.parts: list[tuple[np.ndarray, int, bool, dict]] = []
        self.tried: set = set()

    def run(self, configs: np.ndarray, stage: int, zoom: bool, progress=None) -> None:
        configs = np.array([c for c in configs if tuple(c) not in self.tried])
        if not len(configs):
            return
        self.tried.update(tuple(c) for c in configs)
        res = _run_configs(
            self.surface,
            self.proto,
            self.keys,
            configs,
            self.starts,
            self.budgets,
            self.tol,
            progress,
        )
        self.parts.append((configs, stage, zoom, res))

    def record(self) -> TunedSearch:
        cat = np.concatenate
        hyper = {
            k: v
            for k, v in self.proto.hyperparameters().items()
            if k not in self.keys and not (k == "betas" and "rho1" in self.keys)
        }
        return TunedSearch(
            surface=self.surface.name,
            optimizer=self.proto.name,
            name=self.label,
            hyperparameters=hyper,
            keys=list(self.keys),
            values=cat([p[0] for p in self.parts]),
            stage=cat([np.full(len(p[0]), p[1], dtype=np.int64) for p in self.parts]),
            zoom=cat([np.full(len(p[0]), p[2], dtype=bool) for p in self.parts]),
            **{
                k: cat([p[3][k] for p in self.parts])
                for k in ("steps", "gap", "auc", "solved", "diverged")
            },
            first_grid={
                k: [float(v.min()), float(v.max()), int(len(v))]
                for k, v in self.first.items()
            },
        )

    def view(self) -> Tuned:
        """A one-search record, to ask it what it chose (one rule, the record's)."""
        return Tuned(
            [self.surface.name],
            {self.surface.name: self.starts},
            self.budgets,
            self.tol,
            self.objective,
            None,
            [self.record()],
        )


def _edges(view: Tuned, budgets) -> set[str]:
    """The ends to widen: those where a budget's best sits; where every setting
    failed, those where the lowest median final f - f* sits (the way towards one)."""
    out = set()
    item = view.searches[0]
    for j, b in enumerate(budgets):
        c = view.choice(item, b)
        if c["index"] is not None:
            out.update(c["edges"])
            continue
        gap = item.gap[:, j]
        if np.isfinite(gap).any():
            out.update(view.edges(item, int(np.argmin(gap))))
    return out


def search(
    surface,
    label,
    proto,
    axes,
    starts,
    budgets,
    *,
    tol=DEFAULT_TOL,
    objective="steps",
    widen=WIDEN,
    progress: Progress | None = None,
) -> TunedSearch:
    """One optimizer's joint search on one surface: the grid ``axes`` (key -> values),
    widened where a budget's best is at an end, then zoomed around each budget's
    best."""
    s = _Search(surface, label, proto, axes, starts, budgets, tol, objective)
    s.first = dict(s.axes)
    s.run(_product(s.axes, s.keys), 0, False, progress)
    for stage in range(1, widen + 1):
        edges = _edges(s.view(), budgets)
        if not edges:
            break
        for edge in sorted(edges):
            key, end = edge[:-1], edge[-1]
            s.axes[key] = widened(key, s.axes[key], end, proto)
        s.run(_product(s.axes, s.keys), stage, False)
    for _ in range(ZOOMS):
        view = s.view()
        zoom = []
        for b in budgets:
            c = view.choice(view.searches[0], b)
            if c["index"] is not None:
                near = {k: zoom_values(k, s.axes[k], c["settings"][k]) for k in s.keys}
                zoom.append(_product(near, s.keys))
        if not zoom:
            break
        zoom = np.unique(np.concatenate(zoom), axis=0)
        for i, k in enumerate(s.keys):
            s.axes[k] = np.unique(np.concatenate([s.axes[k], zoom[:, i]]))
        s.run(zoom, s.parts[-1][1], True)
    return s.record()


def _surfaces(surfaces) -> list:
    from ..surfaces import SURFACES, get

    if surfaces is None:
        return list(SURFACES.values())
    return [get(s) if isinstance(s, str) else s for s in surfaces]


def plan(surfaces, optimizers, grids, starts: int, budgets):
    """The tasks of a suite: ``(surface, label, proto, axes)`` each, and the work (the
    gradient evaluations of the first grids). ``grids``: key -> values that replace the
    default axis of that key wherever an optimizer searches it."""
    tasks, work = [], 0
    for surface in surfaces:
        for label, proto in labelled_optimizers(optimizers, surface, max(budgets)):
            keys = keys_of(proto)
            try:
                default = surface.default_lr(proto.name)
            except KeyError:
                default = float(proto.lr)
            axes = default_axes(proto, default)
            axes = {k: axes[k] for k in keys}
            for key, values in (grids or {}).items():
                if key in axes:
                    axes[key] = np.asarray(values, dtype=np.float64)
            work += _size(axes) * starts * max(budgets)
            tasks.append((surface, label, proto, axes))
    return tasks, work


def tune_suite(
    surfaces=None,
    optimizers=DEFAULT_OPTIMIZERS,
    *,
    grids: Mapping[str, Sequence[float]] | None = None,
    starts: int = DEFAULT_STARTS,
    budgets: Sequence[int] = DEFAULT_BUDGETS,
    objective: str = "steps",
    seed: int | None = 0,
    tol: float = DEFAULT_TOL,
    widen: int = WIDEN,
    progress: Progress | None = None,
    runner=None,
) -> Tuned:
    """Tune every optimizer on every surface by the protocol (module docstring).

    Parameters
    ----------
    surfaces : sequence of Surface or names, optional
        Default: every registered surface.
    optimizers : names, SPECs or Optimizers
        Prototypes: the keys not searched keep their values.
    grids : mapping key -> values, optional
        Replaces the default values of a key (``lr``, ``momentum``, ``rho``, ``rho1``,
        ``rho2``) for every optimizer that searches it.
    starts : int
        K, the random starts per surface (the same for every optimizer).
    budgets : sequence of int
        Steps; the winner is found per budget.
    objective : {"steps", "final", "auc"}
    seed : int
    tol : float
    widen : int
        How many times a best at an end of its range widens it.
    progress : callable, optional
        ``progress(done, total)`` over the tasks (surface x optimizer).
    runner : callable, optional
        ``runner(fn, jobs, progress) -> [fn(*job) for job in jobs]`` elsewhere
        (:func:`optviz.tuning.parallel.joblib_runner`: local processes or Dask);
        default in this process.
    """
    budgets, tol = _checked(objective, starts, budgets, tol, widen)
    surfaces = _surfaces(surfaces)
    tasks, work = plan(surfaces, optimizers, grids, starts, budgets)
    if not tasks:
        raise ValueError("no surfaces or no optimizers to tune")
    check_work(work)
    start_of = {s.name: random_starts(s, starts, seed) for s in surfaces}
    jobs = [
        (surface, label, proto, axes, start_of[surface.name], budgets, tol, objective)
        + (widen,)
        for surface, label, proto, axes in tasks
    ]
    if runner is None:
        results = []
        for i, job in enumerate(jobs):
            results.append(_task(*job))
            if progress is not None:
                progress(i + 1, len(jobs))
    else:
        # the largest searches first, so that no worker is left with a long one at
        # the end; the results come back in the tasks' order
        order = sorted(range(len(jobs)), key=lambda i: -_size(jobs[i][3]))
        done = runner(_task, [jobs[i] for i in order], progress)
        results = [None] * len(jobs)
        for i, result in zip(order, done):
            results[i] = result
    return Tuned(
        [s.name for s in surfaces],
        start_of,
        list(budgets),
        float(tol),
        objective,
        seed,
        list(results),
        _grid_info(grids, tasks, widen),
        widen,
    )


def _size(axes) -> int:
    """The configurations of a first grid."""
    return int(np.prod([len(v) for v in axes.values()]))


def _checked(objective, starts, budgets, tol, widen):
    """``(sorted budgets, tol)`` after checking every setting of a suite."""
    if objective not in OBJECTIVES:
        raise ValueError(
            f"objective must be one of {', '.join(OBJECTIVES)}; got {objective!r}"
        )
    check_int("starts", starts, low=1, high=100_000)
    check_int("widen", widen, low=0, high=100)
    budgets = sorted({check_int("budget", b, low=1, high=MAX_STEPS) for b in budgets})
    if not budgets:
        raise ValueError("budgets must name at least one number of steps")
    return budgets, check_range("tol", tol, low=0, low_open=True)


def _grid_info(grids, tasks, widen) -> dict:
    """How the grids were made, for the sidecar and the footnotes."""
    keys = list(dict.fromkeys(k for t in tasks for k in t[3]))
    given = {k: np.asarray(v, np.float64) for k, v in (grids or {}).items()}
    parts, betas = [], []
    for key in keys:
        if key in given:
            v = given[key]
            parts.append(f"{key} {len(v)} values {v.min():g}..{v.max():g} (given)")
        elif key == "lr":
            parts.append(
                f"α {ALPHA_POINTS} log-spaced values from 10^-{ALPHA_DECADES[0]:g} to "
                f"10^{ALPHA_DECADES[1]:g} × the surface's default"
            )
        elif key == "rho2":
            parts.append(f"ρ2 {RHO2_POINTS} values {RHO2_RANGE[0]:g}..{RHO2_RANGE[1]:g}")
        else:
            betas.append({"momentum": "β", "rho": "ρ", "rho1": "ρ1"}[key])
    if betas:
        refused = sorted(
            {
                t[2].name
                for t in tasks
                for k, v in t[3].items()
                if k not in ("lr", "rho2") and k not in given and v.min() > BETA_RANGE[0]
            }
        )
        parts.insert(
            1,
            f"{', '.join(betas)} {BETA_POINTS} values {BETA_RANGE[0]:g}..{BETA_RANGE[1]:g}"
            " even in log(1 - β)"
            + (f" ({', '.join(refused)} without 0, which it refuses)" if refused else ""),
        )
    parts.append(f"an edge widened up to {widen} times, then {ZOOMS} zooms")
    summary = "; ".join(parts)
    return {
        "summary": summary,
        "parts": parts,
        "how": "default grids"
        if not grids
        else "given grids for " + ", ".join(grids) + " (others default)",
        "given": {k: v.tolist() for k, v in given.items()},
        "defaults": DEFAULT_GRIDS_TEXT,
    }


def _task(surface, label, proto, axes, starts, budgets, tol, objective, widen):
    return search(
        surface,
        label,
        proto,
        axes,
        starts,
        budgets,
        tol=tol,
        objective=objective,
        widen=widen,
    )
