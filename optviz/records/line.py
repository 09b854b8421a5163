"""The record of the loss along straight lines in parameter space (made by
:func:`optviz.landscape.interpolate_to_ends`): one line per path, from its start
(``t = 0``) to its end (``t = 1``), a little beyond both."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ._base import Record, any_of, item_list, rows_by, rows_of, whole
from ._valid import floats, in_range, increasing, text

__all__ = ["LineLoss", "Line", "LINE_COLUMNS"]

#: Columns of :meth:`LineLoss.to_frame` (one row per line and point).
LINE_COLUMNS = ("optimizer", "label", "t", "loss")


class Line(NamedTuple):
    """One straight line: ``loss`` ``(n,)`` at the record's ``t``, and the length
    ``distance`` = ``|end - start|`` in parameter units."""

    label: str
    loss: np.ndarray
    distance: float


@dataclass(eq=False, repr=False)
class LineLoss(Record):
    """The loss along straight lines ``theta(t) = start + t (end - start)`` in parameter
    space, one per path: ``t = 0`` is the start, ``t = 1`` the path's end."""

    t: np.ndarray  # (n,), holds 0 and 1 exactly
    loss: dict  # label -> (n,)
    distance: dict  # label -> |end - start| (Euclidean, in parameter units)
    meta: dict = field(default_factory=dict)

    _item_word = "line"

    def _list(self) -> list[Line]:
        return [Line(k, v, self.distance[k]) for k, v in self.loss.items()]

    def to_frame(self):
        """One row per line and point: :data:`LINE_COLUMNS`."""
        import pandas as pd

        optimizers = self.meta.get("optimizers", {})
        frames = [
            pd.DataFrame(
                {
                    "optimizer": optimizers.get(line.label, line.label),
                    "label": line.label,
                    "t": np.asarray(self.t, dtype=np.float64),
                    "loss": np.asarray(line.loss, dtype=np.float64),
                }
            )
            for line in self
        ]
        if not frames:
            return pd.DataFrame(columns=list(LINE_COLUMNS))
        return pd.concat(frames, ignore_index=True)[list(LINE_COLUMNS)]

    # -- the record contract --------------------------------------------------------
    def _title(self) -> str:
        return f"{len(self)} straight lines, {len(self.t)} points each"

    def _item_line(self, line: Line) -> str:
        return f"|end - start| = {line.distance:.4g}"

    def _settings(self) -> dict:
        return {"kind": "straight lines", "points": int(len(self.t))}

    def _item_info(self, line: Line) -> dict:
        return {
            "optimizer": self.meta.get("optimizers", {}).get(line.label, line.label),
            "label": line.label,
            "distance": float(line.distance),
        }

    def _arrays(self) -> dict[str, np.ndarray]:
        arrays = {"t": np.asarray(self.t, dtype=np.float64)}
        for i, line in enumerate(self):
            arrays[f"loss/{i}"] = np.asarray(line.loss, dtype=np.float64)
        return arrays

    def _check(self) -> None:
        in_range("t", self.t, nan=False, finite=True)
        increasing("t", self.t)
        for line in self:
            name = f"{text('label', line.label)!r}"
            in_range(f"{name}: loss", line.loss, 0)
            in_range(f"{name}: distance", line.distance, 0, nan=False, finite=True)
            if np.shape(line.loss) != np.shape(self.t):
                raise ValueError(f"{name}: {len(line.loss)} losses for {len(self.t)} t")

    @classmethod
    def _expected(cls, info) -> dict[str, tuple]:
        n = whole(info["points"], "points")
        out = {"t": (n,)}
        out.update({f"loss/{i}": (n,) for i in range(len(item_list(info)))})
        return out

    @classmethod
    def _make(cls, info, t, losses) -> LineLoss:
        meta = any_of(info.get("meta", {}), dict, "meta")
        entries = item_list(info)
        distance = {o["label"]: float(floats("distance", o["distance"])) for o in entries}
        return cls(t, dict(zip(distance, losses)), distance, meta)

    @classmethod
    def _from_arrays(cls, info, arrays) -> LineLoss:
        losses = [arrays[f"loss/{i}"] for i in range(len(item_list(info)))]
        return cls._make(info, arrays["t"], losses)

    @classmethod
    def _from_frame(cls, info, frame) -> LineLoss:
        n = whole(info["points"], "points")
        groups = rows_by(frame)
        t, losses = None, []
        for o in item_list(info):
            part = rows_of(frame, groups, o["label"]).sort_values("t")
            if len(part) != n:
                raise ValueError(
                    f"line {o['label']!r} has {len(part)} rows; its sidecar says {n}"
                )
            t = part["t"].to_numpy(np.float64) if t is None else t
            losses.append(part["loss"].to_numpy(np.float64))
        return cls._make(info, np.zeros(0) if t is None else t, losses)
