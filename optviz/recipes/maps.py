"""Each optimizer from every start of a grid over the domain."""

from __future__ import annotations

from typing import Mapping, Sequence

from .common import build, get_surface
from .result import SEPARATOR, Progress, Result, footnote
from .sizes import pick, pick_steps

__all__ = ["startmap"]


def startmap(
    surface="rosenbrock",
    specs: Sequence[str] | Mapping = (),
    *,
    grid: int = 100,
    steps: int | None = None,
    metric: str = "steps",
    tol: float | None = None,
    radius: float | None = None,
    explain: bool = False,
    record=None,
    progress: Progress | None = None,
) -> Result:
    """Each optimizer from every start of a ``grid x grid`` grid over the domain.
    ``explain=True``: the footnote says what the colours mean instead of the grid.
    ``record``: draw that :class:`~optviz.records.StartMap` (e.g. a loaded one) again,
    from what its ``meta["figure"]`` states."""
    from ..plot.maps import map_figure
    from ..startmap import start_map
    from ..sweep import DEFAULT_TOL

    if record is not None:
        statement = record.meta.get("figure") or {}
        if statement.get("recipe") != "startmap":
            raise ValueError("the map holds no figure to redraw (made by another recipe)")
        surface, metric = get_surface(record.surface), statement["metric"]
        fig = map_figure(surface, record, metric, footnote=statement["note"])
        return Result(fig, record, dict(record.sidecar(), metric=metric))
    surface = get_surface(surface)
    if metric == "basin" and not surface.minima:
        raise ValueError(f"surface {surface.name!r} has no known minima: no basins to show")
    steps = pick_steps(surface.steps) if steps is None else steps
    grid = pick(grid, 20)
    tol = DEFAULT_TOL if tol is None else tol
    optimizers, lr_how = build(specs, surface, steps)

    smap = start_map(
        surface,
        optimizers,
        grid=grid,
        steps=steps,
        tol=tol,
        radius=radius,
        lr_how=lr_how,
        progress=progress,
    )
    extra = (
        f"{grid}×{grid} starts, edges included{SEPARATOR}"
        f"converged: f − f* < {tol:g} to the end"
    )
    if metric == "basin":
        extra += f"{SEPARATOR}basin: nearest global minimum within {smap.radius:g}"
    note = footnote(lr_how, steps, extra)
    if explain:
        note = _explained(surface, smap, metric)
    smap.meta["figure"] = {"recipe": "startmap", "metric": metric, "note": note}
    if metric == "basin":
        from ..compare_claims import startmap_claims

        claims = startmap_claims(surface, smap)
        smap.meta["figure"]["claims"] = [c.as_dict() for c in claims]
    fig = map_figure(surface, smap, metric, footnote=note)
    info = smap.sidecar()
    info["metric"] = metric
    return Result(fig, smap, info)


def _explained(surface, smap, metric: str) -> str:
    """The footnote of a teaching map: how the optimizers were set, what a colour
    means, and (a basin map) which panel still moves about its minima, and why."""
    from ..claims import DEFAULTS_NOTE
    from ..compare_claims import MOVING_SHARE, moving

    if metric != "basin":
        return (
            f"{DEFAULTS_NOTE}. A start is coloured by its {metric} "
            f"(f - f* < {smap.tol:g} at the end); grey: not converged, black: diverged."
        )
    parts = [
        DEFAULTS_NOTE,
        f"colour: the minimum a start ended at (within {smap.radius:g}); lighter: there, "
        f"but f − f* ≥ {smap.tol:g} after {smap.steps} steps",
    ]
    for panel in smap:
        m = moving(surface, panel)
        if panel.optimizer == "rmsprop" and m["share"] >= MOVING_SHARE:
            parts.append(
                f"RMSprop: {m['share']:.0%} of starts end within {m['max_distance']:.2g} "
                f"of a minimum, still moving (median f − f* {m['median_gap']:.1g}): as "
                "g → 0 its r decays too, so its step α g/(√r + δ) does not shrink with g"
            )
    return SEPARATOR.join(parts)
