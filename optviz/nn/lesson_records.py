"""The CNN lessons' numbers as records: a lesson object (one frozen dataclass of
:mod:`optviz.nn.cnn_lessons`, :mod:`optviz.nn.gradient_lessons` or
:mod:`optviz.nn.network_lessons`) <-> an :class:`optviz.records.Lesson`.

:func:`to_record` keeps every array of the lesson (nested dataclasses, tuples, lists
and dicts included) as a named array of one :class:`~optviz.records.Panel`, and
everything else (numbers, words, the nesting) as that panel's JSON facts;
:func:`from_record` rebuilds the same object from a record, saved and loaded or not,
so a figure drawn from it is the same figure. Only the lesson classes of those three
modules are rebuilt (a record names its class; nothing else is imported).

>>> from optviz.nn import cnn_lessons
>>> lesson = cnn_lessons.pooling_shift()
>>> rec = to_record(lesson, "pooling-shift", recipe="cnn:pooling_shift")
>>> from_record(rec).strongest
1.0
"""

from __future__ import annotations

import dataclasses
import importlib

import numpy as np

from ..records import Lesson, Panel

__all__ = ["to_record", "from_record", "LESSON_MODULES", "FACTS_KEY"]

#: The modules whose lesson classes a record may name.
LESSON_MODULES = (
    "optviz.nn.cnn_lessons",
    "optviz.nn.gradient_lessons",
    "optviz.nn.network_lessons",
)
#: The panel fact holding the lesson's structure.
FACTS_KEY = "lesson"


def _encode(value, path: str, arrays: dict):
    """``value`` as JSON, its arrays moved into ``arrays`` under names from ``path``."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        if cls.__module__ not in LESSON_MODULES:
            raise TypeError(
                f"{cls.__name__} is not a lesson of {', '.join(LESSON_MODULES)}"
            )
        fields = {
            f.name: _encode(getattr(value, f.name), f"{path}{f.name}.", arrays)
            for f in dataclasses.fields(value)
        }
        return {"@class": f"{cls.__module__}:{cls.__qualname__}", "fields": fields}
    if isinstance(value, np.ndarray):
        name = path.rstrip(".")
        arrays[name] = value
        return {"@array": name}
    if isinstance(value, (tuple, list)):
        kind = "@tuple" if isinstance(value, tuple) else "@list"
        return {kind: [_encode(v, f"{path}{i}.", arrays) for i, v in enumerate(value)]}
    if isinstance(value, dict):
        items = [
            [k, _encode(v, f"{path}{i}.", arrays)] for i, (k, v) in enumerate(value.items())
        ]
        return {"@dict": items}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"a lesson cannot hold {type(value).__name__} ({path.rstrip('.')})")


def _decode(value, arrays: dict):
    if isinstance(value, dict):
        if "@array" in value:
            return arrays[value["@array"]]
        if "@tuple" in value:
            return tuple(_decode(v, arrays) for v in value["@tuple"])
        if "@list" in value:
            return [_decode(v, arrays) for v in value["@list"]]
        if "@dict" in value:
            return {k: _decode(v, arrays) for k, v in value["@dict"]}
        if "@class" in value:
            return _lesson_class(value["@class"])(
                **{k: _decode(v, arrays) for k, v in value["fields"].items()}
            )
        raise ValueError(f"a lesson record holds an unknown entry {sorted(value)}")
    return value


def _lesson_class(name: str):
    """The dataclass ``module:Name`` of one of :data:`LESSON_MODULES`, or an error."""
    module, _, qualname = str(name).partition(":")
    if module not in LESSON_MODULES:
        raise ValueError(f"a lesson record names {name!r}, not a lesson of optviz.nn")
    cls = getattr(importlib.import_module(module), qualname, None)
    if cls is None or not dataclasses.is_dataclass(cls):
        raise ValueError(f"a lesson record names {name!r}, which is no lesson class")
    return cls


def to_record(lesson, name: str, *, recipe: str, settings: dict | None = None) -> Lesson:
    """The :class:`~optviz.records.Lesson` of ``lesson`` (a lesson object), named
    ``name``, redrawn by ``recipe`` (``"MODULE:FUNCTION"`` of :mod:`optviz.recipes`)."""
    arrays: dict = {}
    facts = {FACTS_KEY: _encode(lesson, "", arrays)}
    panel = Panel(type(lesson).__name__, arrays, facts)
    return Lesson(name, [panel], dict(settings or {}), {"figure": {"recipe": recipe}})


def from_record(record: Lesson):
    """The lesson object ``record`` holds (:func:`to_record`)."""
    if len(record.panels) != 1 or FACTS_KEY not in record.panels[0].facts:
        raise ValueError(f"the Lesson {record.name!r} holds no CNN lesson object")
    panel = record.panels[0]
    return _decode(panel.facts[FACTS_KEY], panel.arrays)
