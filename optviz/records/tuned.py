r"""The record of a tuning protocol: every optimizer's joint search on every surface.

Made by :func:`optviz.tuning.protocol.tune_suite`. Per surface and optimizer (one
:class:`TunedSearch`), every configuration tried (a point of the joint grid over α and
β, ρ, ρ1 or ρ2, with the widening and zoom points added later) and, per budget, the
statistics over the K starts: the median steps to reach f - f* < tol (a start that does
not reach it, or diverges, counts as +inf), the median final f - f*, the median mean
log10 f - f* over the steps (the area under the log-gap curve, per step), how many
starts reached tol and how many diverged. Everything a table or figure says (the best
setting per budget, ties, failures, "edge", the winner by budget, the performance
profiles) is computed here, from these arrays, so a saved record redraws the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ._base import Record, any_of, count, item_list, item_repr, whole
from ._valid import finite_number, floats, in_range, ints, text

__all__ = [
    "Tuned",
    "TunedSearch",
    "KEYS",
    "OBJECTIVES",
    "STATISTIC",
    "BETA_LIMIT",
    "AUC_FLOOR",
    "STATUS",
]

#: Tunable keys in the notes' order: α, β, ρ, ρ1, ρ2 (``rho1``, ``rho2``: Adam's betas).
KEYS = ("lr", "momentum", "rho", "rho1", "rho2")
#: The objectives, what each measures (lower is better for all).
OBJECTIVES = {
    "steps": "steps to f - f* < tol (failures and divergences +inf)",
    "final": "final f - f* (divergences +inf)",
    "auc": "area under log10(f - f*) per step (divergences +inf)",
}
#: How a configuration's starts are summarised.
STATISTIC = "median over starts"
#: β, ρ, ρ1, ρ2 are searched in [0, BETA_LIMIT]: 1 - β never below 1e-4.
BETA_LIMIT = 1.0 - 1e-4
#: f - f* below this counts as this in the log-gap area (log10(0) is -inf).
AUC_FLOOR = 1e-16
#: What a (surface, optimizer, budget) result is: "best" (an interior optimum, or one
#: at β = 0, which no value passes), "edge" (the best tried sits at an end
#: of the range after every widening: never called best), "failed" (no setting gave a
#: finite objective).
STATUS = ("best", "edge", "failed")
_ARRAYS = ("steps", "gap", "auc", "solved", "diverged")


def _is_beta(key: str) -> bool:
    return key != "lr"


@dataclass
class TunedSearch:
    """One optimizer's search on one surface: C configurations, B budgets."""

    __repr__ = item_repr

    surface: str
    optimizer: str
    name: str  # the optimizer's label (``sgd``, ``adam #2``)
    hyperparameters: dict  # the keys not searched, at their values
    keys: list  # the searched keys, in KEYS order
    values: NDArray  # (C, len(keys)) the configurations
    stage: NDArray  # (C,) int: 0 the first grid, k the k-th widening
    zoom: NDArray  # (C,) bool: added by the zoom around a best
    steps: NDArray  # (C, B) median steps to tol (+inf: median start never)
    gap: NDArray  # (C, B) median f - f* at the budget (+inf: diverged)
    auc: NDArray  # (C, B) median of the mean log10(f - f*) over steps 1..budget
    solved: NDArray  # (C, B) int: starts that reached tol and stayed
    diverged: NDArray  # (C, B) int: starts that diverged by the budget
    first_grid: dict = field(default_factory=dict)  # key -> [min, max, n]

    @property
    def label(self) -> str:
        """``surface/name``: unique in a :class:`Tuned`."""
        return f"{self.surface}/{self.name}"

    def column(self, key: str) -> NDArray:
        return self.values[:, self.keys.index(key)]


@dataclass(eq=False, repr=False)
class Tuned(Record):
    """A tuning protocol's results (see the module docstring). ``tuned[surface, label]``
    or ``tuned["surface/label"]`` is one :class:`TunedSearch`."""

    surfaces: list
    starts: dict  # surface -> (K, 2) the same starts for every optimizer
    budgets: list
    tol: float
    objective: str
    seed: int | None
    searches: list
    grids: dict = field(default_factory=dict)  # how the grids were made, in words
    widen: int = 0  # how many times an edge may be widened
    meta: dict = field(default_factory=dict)

    _items = "searches"
    _item_word = "search"

    # -- access ---------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        """The optimizers' labels, each once, in order."""
        return list(dict.fromkeys(s.name for s in self.searches))

    def __getitem__(self, key):
        """``tuned["quadratic/sgd"]``, ``tuned["quadratic", "sgd"]``, or ``tuned["sgd"]``
        when one surface was tuned."""
        if isinstance(key, tuple):
            key = "/".join(key)
        if len(self.surfaces) == 1 and "/" not in str(key):
            key = f"{self.surfaces[0]}/{key}"
        return super().__getitem__(key)

    @property
    def n_starts(self) -> int:
        return len(next(iter(self.starts.values()))) if self.starts else 0

    def budget_index(self, budget: int | None) -> int:
        if budget is None:
            return len(self.budgets) - 1
        if budget not in self.budgets:
            raise ValueError(
                f"budget {budget} was not tuned; budgets: "
                + ", ".join(str(b) for b in self.budgets)
            )
        return self.budgets.index(budget)

    # -- the choice -------------------------------------------------------------------
    def values_of(self, s: TunedSearch) -> NDArray:
        """(C, B) the objective per configuration and budget (lower is better; +inf a
        failure). ``auc`` is the mean log10 gap."""
        return {"steps": s.steps, "final": s.gap, "auc": s.auc}[self.objective]

    def choice(self, s: TunedSearch, budget: int | None = None) -> dict:
        """The chosen configuration of ``s`` at ``budget`` (default: the largest):
        ``index`` (None when every one failed), ``status`` (:data:`STATUS`),
        ``value`` (the objective), ``ties`` (configurations sharing that value; the
        lower median final gap, then the first tried, breaks them), ``edges`` (the
        keys at an end of their range), ``settings``, ``solved`` (the median start
        reached tol), ``failures`` and ``diverged`` (of the starts at that setting)."""
        j = self.budget_index(budget)
        obj = self.values_of(s)[:, j]
        finite = np.isfinite(obj)
        if not finite.any():
            return {
                "index": None,
                "status": "failed",
                "value": math.inf,
                "ties": 0,
                "edges": [],
                "settings": {},
                "solved": False,
                "failures": self.n_starts,
                "diverged": int(s.diverged[:, j].min()),
            }
        best = obj[finite].min()
        tied = np.flatnonzero(finite & (obj == best))
        gaps = np.where(np.isnan(s.gap[tied, j]), np.inf, s.gap[tied, j])
        i = int(tied[np.lexsort((tied, gaps))[0]])
        edges = self.edges(s, i)
        return {
            "index": i,
            "status": "edge" if edges else "best",
            "value": float(best),
            "ties": int(len(tied)),
            "edges": edges,
            "settings": {k: float(v) for k, v in zip(s.keys, s.values[i])},
            "solved": bool(np.isfinite(s.steps[i, j])),
            "failures": int(self.n_starts - s.solved[i, j]),
            "diverged": int(s.diverged[i, j]),
        }

    @staticmethod
    def edges(s: TunedSearch, i: int) -> list[str]:
        """The keys whose value at configuration ``i`` is the smallest or largest
        tried: ``["lr>"]`` (the largest α tried), ``["momentum<"]``. β = 0 (ρ = 0) is
        not an edge: no smaller value exists; :data:`BETA_LIMIT`, where widening stops,
        is one."""
        out = []
        for k, key in enumerate(s.keys):
            col = s.values[:, k]
            if col.min() == col.max():
                continue  # one value: fixed, not searched
            v = col[i]
            if v == col.min() and not (_is_beta(key) and v <= 0.0):
                out.append(f"{key}<")
            if v == col.max():
                out.append(f"{key}>")
        return out

    def settings(self, surface: str, label: str, budget: int | None = None) -> dict:
        """``{"lr": ..., "momentum": ...}`` of ``label`` on ``surface`` at ``budget``
        (empty when every setting failed), and the choice's status."""
        c = self.choice(self[surface, label], budget)
        return {"settings": c["settings"], "status": c["status"]}

    # -- tables ---------------------------------------------------------------------------
    def hyper_columns(self) -> list[str]:
        return [k for k in KEYS if any(k in s.keys for s in self.searches)]

    def leaderboard(self):
        """One row per surface, optimizer and budget: the chosen setting (a column per
        hyper-parameter), the objective's value, solved, status, ties, failures and
        divergences of its starts, configurations tried and how many of them failed."""
        import pandas as pd

        rows = []
        for s in self.searches:
            for b in self.budgets:
                c = self.choice(s, b)
                j = self.budgets.index(b)
                row = {
                    "surface": s.surface,
                    "optimizer": s.optimizer,
                    "label": s.name,
                    "budget": b,
                }
                row.update(
                    {k: c["settings"].get(k, math.nan) for k in self.hyper_columns()}
                )
                row.update(
                    {
                        "objective": self.objective,
                        "value": c["value"],
                        "solved": c["solved"],
                        "status": c["status"],
                        "edge": " ".join(c["edges"]),
                        "ties": c["ties"],
                        "failures": c["failures"],
                        "diverged": c["diverged"],
                        "configs": len(s.values),
                        "failed_configs": int(
                            (~np.isfinite(self.values_of(s)[:, j])).sum()
                        ),
                    }
                )
                rows.append(row)
        return pd.DataFrame(rows)

    def winners(self):
        """Per surface and budget: the optimizer with the lowest objective among those
        whose choice is "best" (an "edge" never wins), ``tie`` when several share it,
        none when every one failed or sits at an edge."""
        import pandas as pd

        rows = []
        for surface in self.surfaces:
            for b in self.budgets:
                cands = {}
                for s in self.searches:
                    if s.surface == surface:
                        c = self.choice(s, b)
                        if c["status"] == "best":
                            cands[s.name] = c
                best = min((c["value"] for c in cands.values()), default=math.inf)
                who = [lb for lb, c in cands.items() if c["value"] == best]
                rows.append(
                    {
                        "surface": surface,
                        "budget": b,
                        "winner": who[0] if len(who) == 1 else ("tie" if who else ""),
                        "tied": " ".join(who) if len(who) > 1 else "",
                        "value": best,
                        "settings": cands[who[0]]["settings"] if who else {},
                    }
                )
        return pd.DataFrame(rows)

    def costs(self, budget: int | None = None) -> dict[str, NDArray]:
        """label -> (surfaces,) the cost each optimizer pays per problem for the
        performance profile: the objective at its chosen setting (for ``auc`` the
        geometric-mean gap, 10**auc; steps counted from 1), +inf where it failed."""
        out = {}
        for label in self.names:
            vals = []
            for surface in self.surfaces:
                try:
                    s = self[surface, label]
                except KeyError:
                    vals.append(math.inf)
                    continue
                v = self.choice(s, budget)["value"]
                if self.objective == "auc":
                    v = 10.0**v
                elif self.objective == "steps":
                    v = max(v, 1.0)
                else:
                    v = max(v, AUC_FLOOR)
                vals.append(v)
            out[label] = np.array(vals, dtype=np.float64)
        return out

    def profile(self, budget: int | None = None, taus=None) -> dict:
        """Dolan and Moré (2002) performance profiles at ``budget``: for each optimizer,
        the fraction of surfaces on which its cost (:meth:`costs`) is within a factor τ
        of the best optimizer's on that surface. A surface no optimizer solves counts
        for none. Returns ``{"tau": (T,), label: (T,) ...}``."""
        costs = self.costs(budget)
        table = np.array(list(costs.values()))  # (optimizers, surfaces)
        best = table.min(axis=0) if len(table) else np.array([])
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(np.isfinite(best), table / best, np.inf)
        if taus is None:
            finite = ratio[np.isfinite(ratio)]
            top = max(2.0, float(finite.max()) * 1.5) if finite.size else 2.0
            taus = np.geomspace(1.0, top, 200)
        taus = np.asarray(taus, dtype=np.float64)
        n = max(len(self.surfaces), 1)
        out = {"tau": taus}
        for label, r in zip(costs, ratio):
            out[label] = (r[None, :] <= taus[:, None]).sum(axis=1) / n
        return out

    def profile_taus(self, n: int = 200) -> NDArray:
        """One τ axis for the profiles of every budget: from 1 to past the largest
        finite ratio of any (at least 2)."""
        top = 2.0
        for b in self.budgets:
            table = np.array(list(self.costs(b).values()))
            best = table.min(axis=0)
            ok = np.isfinite(best) & np.isfinite(table)
            if ok.any():
                ratio = table[ok] / np.broadcast_to(best, table.shape)[ok]
                top = max(top, float(ratio.max()) * 1.5)
        return np.geomspace(1.0, top, n)

    def rule_parts(self, budget: int | None = None) -> list[str]:
        """The protocol in a few parts, for a footnote (joined by its separator); for
        one ``budget``, or (None) for each of the budgets."""
        if budget is None and len(self.budgets) > 1:
            spent = ", ".join(str(b) for b in self.budgets)
            spent = f"budgets {spent} steps, each tuned on its own"
        else:
            spent = f"budget {self.budgets[self.budget_index(budget)]} steps"
        grid = list(self.grids.get("parts") or [self.grids.get("summary", "a grid")])
        return [
            f"tuned jointly: {grid[0]}",
            *grid[1:],
            f"{self.n_starts} random starts in the domain (seed {self.seed}), the same "
            "for every optimizer",
            spent,
            f"objective: {OBJECTIVES[self.objective].replace('tol', f'{self.tol:g}')}, "
            f"{STATISTIC}",
        ]

    def rule(self, budget: int | None = None) -> str:
        """The protocol in one sentence."""
        return "; ".join(self.rule_parts(budget))

    # -- the record contract --------------------------------------------------------
    def to_frame(self):
        """One row per surface, optimizer, configuration and budget: ``surface,
        optimizer, label, config, stage, zoom,`` a column per hyper-parameter (empty
        where the optimizer has none), ``budget, steps, gap, auc, solved,
        diverged``."""
        import pandas as pd

        cols = self.hyper_columns()
        frames = []
        nb = len(self.budgets)
        for s in self.searches:
            n = len(s.values)
            data = {
                "surface": s.surface,
                "optimizer": s.optimizer,
                "label": s.name,
                "config": np.repeat(np.arange(n), nb),
                "stage": np.repeat(s.stage, nb),
                "zoom": np.repeat(s.zoom, nb),
            }
            for k in cols:
                data[k] = np.repeat(s.column(k), nb) if k in s.keys else math.nan
            data["budget"] = np.tile(np.asarray(self.budgets, dtype=np.int64), n)
            for key in _ARRAYS:
                data[key] = getattr(s, key).reshape(-1)
            frames.append(pd.DataFrame(data))
        if not frames:
            return pd.DataFrame(columns=["surface", "optimizer", "label", "config"])
        return pd.concat(frames, ignore_index=True)

    def _title(self) -> str:
        return (
            f"{count(len(self.surfaces), 'surface')}, "
            f"{count(len(self.names), 'optimizer')}, {self.n_starts} starts, "
            f"budgets {'/'.join(str(b) for b in self.budgets)}, objective {self.objective}"
        )

    def _item_line(self, s: TunedSearch) -> str:
        c = self.choice(s)
        if c["index"] is None:
            return f"{len(s.values)} settings; every one failed"
        shown = " ".join(f"{k}={v:.3g}" for k, v in c["settings"].items())
        return (
            f"{len(s.values)} settings; {c['status']} {shown} "
            f"({self.objective} {c['value']:.4g} at {self.budgets[-1]} steps)"
        )

    def _settings(self) -> dict:
        return {
            "kind": "tuning protocol",
            "surfaces": list(self.surfaces),
            "starts": {k: np.asarray(v).tolist() for k, v in self.starts.items()},
            "budgets": list(self.budgets),
            "tol": self.tol,
            "objective": self.objective,
            "objective_text": OBJECTIVES[self.objective],
            "statistic": STATISTIC,
            "seed": self.seed,
            "grids": self.grids,
            "widen": self.widen,
            "gradient_evaluations_per_run": max(self.budgets) if self.budgets else 0,
        }

    def _item_info(self, s: TunedSearch) -> dict:
        return {
            "surface": s.surface,
            "optimizer": s.optimizer,
            "label": s.label,
            "name": s.name,
            "hyperparameters": s.hyperparameters,
            "keys": list(s.keys),
            "n": int(len(s.values)),
            "first_grid": s.first_grid,
            "widenings": int(s.stage.max()) if len(s.stage) else 0,
            "gradient_evaluations": int(len(s.values) * self.n_starts * max(self.budgets)),
        }

    def _arrays(self) -> dict[str, np.ndarray]:
        arrays = {f"starts/{k}": np.asarray(v, np.float64) for k, v in self.starts.items()}
        for i, s in enumerate(self.searches):
            arrays[f"{i}/values"] = np.asarray(s.values, np.float64)
            arrays[f"{i}/stage"] = np.asarray(s.stage, np.int64)
            arrays[f"{i}/zoom"] = np.asarray(s.zoom, bool)
            for key in _ARRAYS:
                arrays[f"{i}/{key}"] = np.asarray(getattr(s, key))
        return arrays

    def _check(self) -> None:
        finite_number("tol", self.tol, 0)
        if self.objective not in OBJECTIVES:
            raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}")
        ints("budgets", self.budgets, 1)
        for name, st in self.starts.items():
            in_range(f"starts of {name}", st, nan=False, finite=True)
        for s in self.searches:
            name = repr(text("label", s.label))
            for k, key in enumerate(s.keys):
                if key not in KEYS:
                    raise ValueError(f"{name}: key must be one of {', '.join(KEYS)}")
                high = BETA_LIMIT if _is_beta(key) else None
                in_range(f"{name}: {key}", s.values[:, k], 0, high, nan=False, finite=True)
            steps = floats("steps", s.steps)
            in_range(
                f"{name}: steps",
                np.where(steps == np.inf, 0, steps),
                0,
                max(self.budgets),
                nan=False,
            )
            for key in ("gap", "auc"):
                in_range(f"{name}: {key}", getattr(s, key), nan=False)
            ints(f"{name}: solved", s.solved, 0, self.n_starts)
            ints(f"{name}: diverged", s.diverged, 0, self.n_starts)

    @classmethod
    def _shapes(cls, info) -> list[tuple[int, int]]:
        return [
            (whole(o["n"], "n"), len(any_of(o["keys"], list, "keys")))
            for o in item_list(info, "optimizers")
        ]

    @classmethod
    def _expected(cls, info) -> dict[str, tuple]:
        nb = len(any_of(info["budgets"], list, "budgets"))
        out = {}
        for name, st in any_of(info["starts"], dict, "starts").items():
            out[f"starts/{name}"] = (len(any_of(st, list, "starts")), 2)
        for i, (n, d) in enumerate(cls._shapes(info)):
            out[f"{i}/values"] = (n, d)
            out[f"{i}/stage"] = (n,)
            out[f"{i}/zoom"] = (n,)
            for key in _ARRAYS:
                out[f"{i}/{key}"] = (n, nb)
        return out

    @classmethod
    def _kinds(cls, info) -> dict[str, str]:
        n = len(info["optimizers"])
        out = {f"{i}/{k}": "iu" for i in range(n) for k in ("stage", "solved", "diverged")}
        out.update({f"{i}/zoom": "b" for i in range(n)})
        return out

    @classmethod
    def _make(cls, info, searches) -> Tuned:
        starts = {
            text("surface", k): floats("starts", v).reshape(-1, 2)
            for k, v in info["starts"].items()
        }
        return cls(
            [text("surface", s) for s in any_of(info["surfaces"], list, "surfaces")],
            starts,
            [whole(b, "budget", 1) for b in info["budgets"]],
            finite_number("tol", info["tol"], 0),
            text("objective", info["objective"]),
            info.get("seed"),
            searches,
            any_of(info.get("grids", {}), dict, "grids"),
            whole(info.get("widen", 0), "widen"),
            any_of(info.get("meta", {}), dict, "meta"),
        )

    @classmethod
    def _search(cls, o, **arrays) -> TunedSearch:
        return TunedSearch(
            text("surface", o["surface"]),
            text("optimizer", o["optimizer"]),
            text("name", o["name"]),
            any_of(o["hyperparameters"], dict, "hyperparameters"),
            [text("key", k) for k in o["keys"]],
            first_grid=any_of(o.get("first_grid", {}), dict, "first_grid"),
            **arrays,
        )

    @classmethod
    def _from_arrays(cls, info, arrays) -> Tuned:
        searches = []
        for i, o in enumerate(item_list(info)):
            parts = {k: arrays[f"{i}/{k}"] for k in ("values", "stage", *_ARRAYS)}
            parts["zoom"] = arrays[f"{i}/zoom"].astype(bool)
            searches.append(cls._search(o, **parts))
        tuned = cls._make(info, searches)
        tuned.starts = {k: arrays[f"starts/{k}"] for k in tuned.starts}
        return tuned

    @classmethod
    def _from_frame(cls, info, frame) -> Tuned:
        nb = len(info["budgets"])
        groups = frame.groupby(["surface", "label"], sort=False).indices
        searches = []
        for o, (n, _) in zip(item_list(info), cls._shapes(info)):
            rows = groups.get((o["surface"], o["name"]), np.zeros(0, dtype=np.intp))
            part = frame.iloc[rows].sort_values(["config", "budget"], kind="stable")
            if len(part) != n * nb:
                raise ValueError(
                    f"{o['label']!r} on {o['surface']} has {len(part)} rows; its "
                    f"sidecar says {n * nb}"
                )
            first = part.iloc[::nb]
            searches.append(
                cls._search(
                    o,
                    values=first[list(o["keys"])].to_numpy(np.float64).reshape(n, -1),
                    stage=ints("stage", first["stage"].to_numpy(), 0),
                    zoom=first["zoom"].to_numpy(bool),
                    **{
                        k: part[k]
                        .to_numpy(np.float64 if k in ("steps", "gap", "auc") else np.int64)
                        .reshape(n, nb)
                        for k in _ARRAYS
                    },
                )
            )
        return cls._make(info, searches)
