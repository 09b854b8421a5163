"""Each training path on a plane of its own: the honest small multiples of the CNN's
loss landscape.

One plane shared by several paths (the top two principal directions of all of them)
can hold a small share of one path's motion (3% of SGD's, in the gallery's run), so
where that path seems to go on the plane is not where it went. The plane of one
path's own top two principal directions holds most of that path (typically over 90%
for a short training run), so each optimizer is drawn on its own plane, beside the
true loss at its recorded parameters and the loss on the straight line from the start
to its end (which needs no plane at all).

:func:`own_planes` computes the planes (one :class:`~optviz.records.Landscape` each);
:func:`own_planes_lesson` gathers them and the straight lines into one
:class:`~optviz.records.Lesson`, the record the figure is drawn from
(:func:`optviz.plot.own_planes.own_planes_figure`).
"""

from __future__ import annotations

import numpy as np

from .landscape import landscape, network_loss, snapshot_paths
from .records import Lesson, Panel

__all__ = ["own_planes", "own_planes_lesson", "DEFAULT_OWN_GRID", "LINE_PANEL"]

#: Grid points per side of each small plane: five planes of 9 x 9 cost what one
#: 21 x 21 plane does.
DEFAULT_OWN_GRID = 9
#: The label of the lesson's panel of straight lines.
LINE_PANEL = "straight lines"


def own_planes(run, model, x, y, *, grid: int = DEFAULT_OWN_GRID, callback=None) -> dict:
    """label -> the :class:`~optviz.records.Landscape` of that history's path on the
    plane of its own top two principal directions (the loss on ``(x, y)``); the
    model's parameters are restored."""
    paths = snapshot_paths(run)
    start = model.get_flat()
    steps = {h.label: h.snapshot_steps for h in run}
    optimizers = {h.label: h.optimizer for h in run}
    out = {}
    try:
        loss_fn = network_loss(model, x, y)
        for label, path in paths.items():
            land = landscape(loss_fn, {label: path}, grid=grid, callback=callback)
            land.meta = {
                "captured": land.meta["captured"],
                "dataset": run.dataset,
                "evaluated_on": int(len(y)),
                "grid": grid,
                "snapshot_steps": {label: steps[label][: len(path)].tolist()},
                "optimizers": {label: optimizers[label]},
                "explained_variance": land.plane.explained.tolist(),
                "own": label,
            }
            out[label] = land
    finally:
        model.set_flat(start)
    return out


def own_planes_lesson(lands: dict, line, *, recipe: str | None = None) -> Lesson:
    """One :class:`~optviz.records.Lesson` of the planes (one panel per path: the
    grid ``a``, ``b``, its ``loss``, the projected ``path``, the true ``path_loss``
    at the recorded ``steps``; facts: the optimizer, the share of the path in its
    plane, the plane's explained variance) and the straight lines ``line``
    (:class:`~optviz.landscape.LineLoss`: ``t`` and one ``loss.K`` per path)."""
    panels = []
    labels = list(lands)
    for label, land in lands.items():
        path = land.paths[label]
        panels.append(
            Panel(
                label,
                {
                    "a": land.a,
                    "b": land.b,
                    "loss": land.loss,
                    "path": path,
                    "path_loss": land.path_loss[label],
                    "steps": np.asarray(land.meta["snapshot_steps"][label], np.int64),
                },
                {
                    "optimizer": land.meta["optimizers"][label],
                    "captured": float(land.meta["captured"][label]),
                    "explained": [float(v) for v in land.plane.explained],
                    "start_loss": float(land.path_loss[label][0]),
                    "end_loss": float(land.path_loss[label][-1]),
                },
            )
        )
    arrays = {"t": line.t}
    arrays.update({f"loss.{k}": line.loss[label] for k, label in enumerate(labels)})
    panels.append(Panel(LINE_PANEL, arrays, {"labels": labels}))
    first = next(iter(lands.values()))
    settings = {
        "grid": first.meta["grid"],
        "evaluated_on": first.meta["evaluated_on"],
        "dataset": first.meta["dataset"],
    }
    meta = {"figure": {"recipe": recipe}} if recipe else {}
    return Lesson("own-planes", panels, settings, meta)
