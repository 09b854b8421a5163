r"""Joint grids for the CNN sweep, and who wins after how many epochs.

``optviz cnn-sweep --grid momentum=0.5:0.99:3`` trains each optimizer that searches the
key (momentum and Nesterov: β; RMSprop: ρ; Adam: ρ1, ρ2: :data:`optviz.tuning.grids.
FAMILY_KEYS`) at every value of it with every learning rate of ``--lr``, through the
sweep's joblib/Dask path and cache (:func:`joint_specs` makes the SPECs; each
(optimizer, value) is one label of the :class:`~optviz.records.CnnSweep`). Then, per
optimizer (the SPEC as given, its grid values included) and epoch, the configuration
(α with β or ρ) with the best mean validation accuracy over the seeds (or the lowest
mean validation loss), a configuration where any seed diverged never being best
(the sweep's rule): :func:`cnn_leaderboard`, one row per optimizer and epoch, with
the settings in the columns ``optviz list`` names (lr, momentum, rho, rho1, rho2).

A best at an end of a grid with more than one value (β = ρ = 0 is a limit, not an
end) is "edge" and is never called best; an optimizer whose every configuration
diverged is "failed". The winner after each epoch is the best of the "best" rows;
equal values are a "tie", stated with who tied.

>>> for spec, group in joint_specs(["sgd", "momentum"], {"momentum": [0.5, 0.9]}):
...     print(spec, "<-", group)
sgd <- sgd
momentum:momentum=0.5 <- momentum
momentum:momentum=0.9 <- momentum
"""

from __future__ import annotations

import itertools
from typing import Mapping, Sequence

import numpy as np

from .tuning.grids import FAMILY_KEYS, keys_of

__all__ = ["joint_specs", "cnn_leaderboard", "winners_by_epoch", "SETTING_COLUMNS"]

#: The settings of a leaderboard row, named as ``optviz list`` names them.
SETTING_COLUMNS = ("lr", "momentum", "rho", "rho1", "rho2")
#: The keys a CNN grid may give (α is ``--lr``).
GRID_KEYS = ("momentum", "rho", "rho1", "rho2")


def _spec_value(value: float) -> str:
    return repr(float(value))


def joint_specs(
    specs: Sequence[str], grids: Mapping[str, Sequence[float]] | None
) -> list[tuple[str, str]]:
    """``(spec, group)`` for every SPEC at every combination of the grid values of
    the keys its optimizer searches (Adam's ρ1 and ρ2 as ``betas=ρ1/ρ2``, the other
    from the SPEC or the default); ``group`` is the SPEC as given. A key no optimizer
    searches, ``lr``, or a key a SPEC sets itself is a ``ValueError``."""
    from .optimizers import OPTIMIZERS
    from .spec import parse_spec

    grids = {k: [float(v) for v in vs] for k, vs in (grids or {}).items()}
    for key in grids:
        if key not in GRID_KEYS:
            raise ValueError(
                f"a CNN grid key must be one of {', '.join(GRID_KEYS)} (α is --lr); "
                f"got {key!r}"
            )
    out, used = [], set()
    for spec in specs:
        name, given = parse_spec(spec)
        keys = [k for k in keys_of(OPTIMIZERS[name]) if k in grids]
        used.update(keys)
        for key in keys:
            if key in given or (key in ("rho1", "rho2") and "betas" in given):
                raise ValueError(
                    f"in {spec!r}: --grid {key} sets {key} itself; drop it from the SPEC"
                )
        if not keys:
            out.append((spec, spec))
            continue
        for values in itertools.product(*(grids[k] for k in keys)):
            setting = dict(zip(keys, values))
            parts = [f"{k}={_spec_value(setting[k])}" for k in ("momentum", "rho")
                     if k in setting]  # fmt: skip
            if "rho1" in setting or "rho2" in setting:
                rho1, rho2 = OPTIMIZERS[name].defaults["betas"]
                rho1, rho2 = setting.get("rho1", rho1), setting.get("rho2", rho2)
                parts.append(f"betas={_spec_value(rho1)}/{_spec_value(rho2)}")
            sep = "," if ":" in spec else ":"
            out.append((spec + sep + ",".join(parts), spec))
    unused = [k for k in grids if k not in used]
    if unused:
        searched = sorted({k for ks in FAMILY_KEYS.values() for k in ks[1:]})
        raise ValueError(
            f"no optimizer given searches {unused[0]} (keys searched: "
            f"{', '.join(searched)} by momentum/Nesterov, RMSprop and Adam)"
        )
    return out


def _settings(job) -> dict[str, float]:
    from .spec import parse_spec

    name, given = parse_spec(job.spec)
    out = {"lr": float(job.lr)}
    for key in ("momentum", "rho"):
        if key in given:
            out[key] = float(given[key])
    if "betas" in given:
        out["rho1"], out["rho2"] = (float(b) for b in given["betas"])
    return out


def _configurations(sweep, groups: Mapping[str, str]):
    """Per group: ``(settings list, (configs, epochs) values, ok mask, seeds)``."""
    key = sweep.criterion
    table: dict[str, dict[tuple, list]] = {}
    settings_of: dict[tuple, dict] = {}
    for job, res in zip(sweep.jobs, sweep.results):
        group = groups.get(job.label, job.label)
        s = _settings(job)
        ident = tuple(sorted(s.items()))
        settings_of[(group, ident)] = s
        curve = [np.nan if v is None else v for v in res[key]]
        table.setdefault(group, {}).setdefault(ident, []).append(
            (curve, res["diverged_at"] >= 0)
        )
    out = {}
    for group, configs in table.items():
        idents = list(configs)
        values = np.array(
            [np.mean([c for c, _ in configs[i]], axis=0) for i in idents], dtype=float
        )
        ok = np.array([not any(d for _, d in configs[i]) for i in idents])
        seeds = len(next(iter(configs.values())))
        out[group] = ([settings_of[(group, i)] for i in idents], values, ok, seeds)
    return out


def _edges(settings: list[dict], chosen: dict) -> list[str]:
    """The keys whose chosen value is an end of their grid (β, ρ = 0: a limit)."""
    out = []
    for key, value in chosen.items():
        grid = sorted({s[key] for s in settings if key in s})
        if len(grid) > 1 and value in (grid[0], grid[-1]):
            if not (key != "lr" and value == 0.0):
                out.append(key)
    return out


def cnn_leaderboard(sweep, groups: Mapping[str, str] | None = None):
    """One row per optimizer (``groups``: label -> the SPEC as given; default each
    label its own) and epoch: the best configuration's settings, its mean ``value``
    over the seeds of the sweep's criterion at that epoch, ``status`` (best, edge,
    failed), ``edges`` (the keys at an end), and ``winner`` (this row wins the epoch:
    see :func:`winners_by_epoch`)."""
    import pandas as pd

    groups = dict(groups or {})
    higher = sweep.criterion == "val_accuracy"
    rows = []
    for group, (settings, values, ok, seeds) in _configurations(sweep, groups).items():
        for e in range(values.shape[1]):
            v = np.where(ok & np.isfinite(values[:, e]), values[:, e], np.nan)
            row = {"optimizer": group, "epoch": e + 1, "seeds": seeds}
            row.update({k: np.nan for k in SETTING_COLUMNS})
            if np.isnan(v).all():
                row.update(value=np.nan, status="failed", edges="")
            else:
                i = int(np.nanargmax(v) if higher else np.nanargmin(v))
                edges = _edges(settings, settings[i])
                row.update(settings[i])
                row.update(
                    value=float(v[i]),
                    status="edge" if edges else "best",
                    edges=",".join(edges),
                )
            rows.append(row)
    columns = ["optimizer", "epoch", *SETTING_COLUMNS, "value", "seeds", "status"]
    frame = pd.DataFrame(rows, columns=[*columns, "edges"])
    frame["criterion"] = sweep.criterion
    return _with_winners(frame, higher)


def _with_winners(frame, higher: bool):
    frame["winner"] = False
    frame["tied"] = ""
    for _, rows in frame.groupby("epoch"):
        best = rows[rows.status == "best"]
        if best.empty:
            continue
        top = best.value.max() if higher else best.value.min()
        at = best[best.value == top]
        frame.loc[at.index, "winner"] = True
        if len(at) > 1:
            frame.loc[at.index, "tied"] = " = ".join(at.optimizer)
    return frame


def winners_by_epoch(board) -> list[tuple[int, str | None]]:
    """``(epoch, who)`` from :func:`cnn_leaderboard`'s table: the winning optimizer,
    ``"tie: a = b"``, or None (no optimizer's best is interior)."""
    out = []
    for epoch, rows in board.groupby("epoch", sort=True):
        win = rows[rows.winner]
        if win.empty:
            out.append((int(epoch), None))
        elif len(win) > 1:
            out.append((int(epoch), "tie: " + win.tied.iloc[0]))
        else:
            out.append((int(epoch), str(win.optimizer.iloc[0])))
    return out
