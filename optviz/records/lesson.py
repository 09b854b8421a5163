"""A :class:`Lesson`: the numbers behind one teaching figure, as a record.

A teaching figure (a CNN lesson, a learning-rate lesson, a new gallery entry) draws a
few named arrays per panel and states a few facts (a best rate, a count of dead units).
A :class:`Lesson` holds exactly that: one :class:`Panel` per panel of the figure, each
with named numeric arrays (``arrays``) and JSON facts (``facts``), plus the lesson's
settings and ``meta["figure"]`` (what :func:`optviz.recipes.redraw` needs to draw it
again). It follows the records contract (:mod:`._base`): ``save``/``load`` as ``.npz``
or ``.csv`` with a sidecar, ``to_frame``, ``rec[label]``.

>>> import numpy as np
>>> rec = Lesson("demo", [Panel("a", {"x": np.arange(3.0)}, {"best": 2})])
>>> rec["a"].facts["best"], rec["a"].arrays["x"].tolist()
(2, [0.0, 1.0, 2.0])
>>> rec.to_frame().columns.tolist()
['label', 'array', 'index', 'value']
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from ._base import Record, any_of, item_list, jsonable, rows_by, rows_of, whole

__all__ = ["Lesson", "Panel"]

#: dtype kinds a lesson array may have, by the name its sidecar gives.
_KINDS = {"float": "f", "int": "iu", "bool": "b"}


def _kind(arr: np.ndarray) -> str:
    for name, kinds in _KINDS.items():
        if arr.dtype.kind in kinds:
            return name
    raise TypeError(f"a lesson array must be numeric, not {arr.dtype}")


@dataclass
class Panel:
    """One panel of a lesson figure: ``label``, named numeric ``arrays`` and JSON
    ``facts`` (numbers and words the figure states)."""

    label: str
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)

    def __post_init__(self):
        self.arrays = {str(k): np.asarray(v) for k, v in self.arrays.items()}
        for name, arr in self.arrays.items():
            if "/" in name:
                raise ValueError(f"array name {name!r} must not contain '/'")
            _kind(arr)
        # facts must survive a JSON round trip unchanged
        self.facts = json.loads(json.dumps(self.facts, default=jsonable))


@dataclass(eq=False, repr=False)
class Lesson(Record):
    """The data of one teaching figure (module docstring)."""

    name: str
    panels: list[Panel]
    settings: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    _items = "panels"
    _item_word = "panel"

    def __post_init__(self):
        self.settings = json.loads(json.dumps(self.settings, default=jsonable))
        labels = [p.label for p in self.panels]
        if len(set(labels)) != len(labels):
            raise ValueError(f"panel labels must be unique, got {labels}")

    # -- the contract ----------------------------------------------------------------
    def to_frame(self):
        """Long form: one row per array element (``label``, ``array``, ``index`` in
        C order, ``value`` as float)."""
        import pandas as pd

        parts = []
        for panel in self.panels:
            for name, arr in panel.arrays.items():
                n = arr.size
                parts.append(
                    pd.DataFrame(
                        {
                            "label": [panel.label] * n,
                            "array": [name] * n,
                            "index": np.arange(n, dtype=np.int64),
                            "value": arr.astype(float).ravel(),
                        }
                    )
                )
        if not parts:
            return pd.DataFrame(columns=["label", "array", "index", "value"])
        return pd.concat(parts, ignore_index=True)

    def _settings(self) -> dict:
        return {"lesson": self.name, "settings": self.settings}

    def _item_info(self, panel: Panel) -> dict:
        return {
            "label": panel.label,
            "facts": panel.facts,
            "arrays": {
                k: {"shape": list(a.shape), "kind": _kind(a)}
                for k, a in panel.arrays.items()
            },
        }

    def _item_line(self, panel: Panel) -> str:
        names = ", ".join(panel.arrays) or "nothing drawn"
        return f"{names}; {len(panel.facts)} facts"

    def _title(self) -> str:
        return self.name

    def _arrays(self) -> dict[str, np.ndarray]:
        return {
            f"{i}/{k}": a for i, p in enumerate(self.panels) for k, a in p.arrays.items()
        }

    @classmethod
    def _declared(cls, info) -> dict[str, tuple[tuple, str]]:
        out = {}
        for i, item in enumerate(item_list(info)):
            arrays = any_of(item.get("arrays", {}), dict, "arrays")
            for name, spec in arrays.items():
                spec = any_of(spec, dict, f"arrays.{name}")
                shape = tuple(whole(n, f"shape of {name}") for n in spec["shape"])
                kind = spec["kind"]
                if kind not in _KINDS:
                    raise TypeError(f"kind of {name} must be one of {', '.join(_KINDS)}")
                out[f"{i}/{name}"] = (shape, kind)
        return out

    @classmethod
    def _expected(cls, info) -> dict[str, tuple]:
        return {k: shape for k, (shape, _) in cls._declared(info).items()}

    @classmethod
    def _kinds(cls, info) -> dict[str, str]:
        return {k: _KINDS[kind] for k, (_, kind) in cls._declared(info).items()}

    @classmethod
    def _make(cls, info, get) -> Lesson:
        panels = []
        for i, item in enumerate(item_list(info)):
            label = any_of(item["label"], str, "label")
            names = any_of(item.get("arrays", {}), dict, "arrays")
            arrays = {name: get(i, label, name) for name in names}
            panels.append(
                Panel(label, arrays, any_of(item.get("facts", {}), dict, "facts"))
            )
        return cls(
            any_of(info["lesson"], str, "lesson"),
            panels,
            any_of(info.get("settings", {}), dict, "settings"),
            any_of(info.get("meta", {}), dict, "meta"),
        )

    @classmethod
    def _from_arrays(cls, info, arrays) -> Lesson:
        return cls._make(info, lambda i, label, name: arrays[f"{i}/{name}"])

    @classmethod
    def _from_frame(cls, info, frame) -> Lesson:
        declared = cls._declared(info)
        by_label = rows_by(frame)

        def get(i, label, name):
            shape, kind = declared[f"{i}/{name}"]
            rows = rows_of(frame, by_label, label)
            rows = rows[rows["array"] == name].sort_values("index")
            values = rows["value"].to_numpy(dtype=float)
            if values.size != int(np.prod(shape)):
                raise ValueError(
                    f"{label}/{name} has {values.size} values; its sidecar "
                    f"says shape {shape}"
                )
            dtype = {"float": float, "int": np.int64, "bool": bool}[kind]
            return values.astype(dtype).reshape(shape)

        return cls._make(info, get)
