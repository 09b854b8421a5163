"""A figure again from its saved record: what it draws and states is in the record,
so nothing is run anew (a sweep's runs at the best rates aside)."""

from __future__ import annotations

from pathlib import Path

from .result import Result

__all__ = ["redraw", "load_record", "REDRAWN"]

#: Record types a figure can be redrawn from, by the name their sidecar gives.
REDRAWN = (
    "Run",
    "Sweep",
    "StartMap",
    "Lesson",
    "Tuned",
    "TrainingRun",
    "Landscape",
    "LineLoss",
)


def load_record(path):
    """The record saved at ``path`` (.npz or .csv, its .json sidecar beside it), of
    whichever type its sidecar names (one of :data:`REDRAWN`)."""
    import json

    from .. import records
    from ..records import MAX_SIDECAR_BYTES

    path = Path(path)
    side = records.Record.sidecar_path(path)
    if not side.is_file():
        raise ValueError(f"cannot read {path}: no sidecar {side.name} beside it")
    if side.stat().st_size > MAX_SIDECAR_BYTES:
        raise ValueError(f"cannot read {path}: its sidecar {side.name} is too large")
    try:
        kind = json.loads(side.read_text(encoding="utf-8")).get("record")
    except (ValueError, AttributeError):
        raise ValueError(
            f"cannot read {path}: {side.name} is not a record's sidecar"
        ) from None
    if kind not in REDRAWN:
        raise ValueError(
            f"cannot redraw {path}: a {kind} record; figures redraw from "
            f"{', '.join(REDRAWN)}"
        )
    return getattr(records, kind).load(path)


def redraw(record, **overrides) -> Result:
    """The figure ``record`` was drawn as, from what its ``meta["figure"]`` states
    (``overrides``: recipe parameters to change, e.g. ``figure="lecture"`` for a
    sweep)."""
    statement = dict(record.meta.get("figure") or {})
    recipe = statement.pop("recipe", None)
    if recipe is None:
        raise ValueError(
            f"the {type(record).__name__} states no figure: it was not made by a recipe "
            "(optviz compare, sweep or map; or optviz.recipes)"
        )
    if ":" in recipe:  # a Lesson's figure: "module:function" of optviz.recipes
        return _lesson(record, recipe, overrides)
    if recipe == "compare":
        from .compare import compare

        return compare(record=record)
    if recipe == "startmap":
        from .maps import startmap

        return startmap(record=record)
    if recipe == "tune":  # the winner by budget (Result.extra: the profiles)
        from .tune import tune

        return tune(record=record)
    if recipe == "sweep":
        from .sweep import sweep

        kwargs = {
            "figure": statement["figure"],
            "footnote": statement["footnote"],
            "lrs": tuple(statement["lrs"]),
            "lr_how": statement["lr_how"],
        }
        kwargs.update(overrides)
        return sweep(
            record.surface,
            statement["specs"] or (),
            steps=record.steps,
            start=record.start,
            record=record,
            **kwargs,
        )
    raise ValueError(f"no recipe {recipe!r} redraws figures")


def _lesson(record, recipe: str, overrides: dict) -> Result:
    """A lesson figure again: ``recipe`` names ``optviz.recipes.MODULE:FUNCTION``, which
    draws from ``record=`` without computing anything."""
    import importlib

    module, _, function = recipe.partition(":")
    if not module.isidentifier() or not function.isidentifier():
        raise ValueError(f"no recipe {recipe!r} redraws figures")
    try:
        make = getattr(importlib.import_module(f"optviz.recipes.{module}"), function)
    except (ImportError, AttributeError):
        raise ValueError(f"no recipe {recipe!r} redraws figures") from None
    return make(record=record, **overrides)
