"""What a recipe returns, and the small pieces every recipe shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from ..notation import SEPARATOR

__all__ = ["Result", "save_figure", "footnote", "lesson", "SEPARATOR", "Progress"]


Progress = Callable[[int, int], None]


@dataclass
class Result:
    """What a recipe made: ``figure`` (a Figure; an animation's first frame's figure
    for :func:`animate`), ``record``, ``settings`` (JSON-ready), and for some recipes
    an ``animation`` or a second run (``best_run`` of a sweep). :attr:`claims` lists
    what the figure says, each a predicate over the record with its numbers."""

    figure: Any
    record: Any
    settings: dict
    animation: Any = None
    extra: dict = field(default_factory=dict)

    @property
    def claims(self) -> list:
        """What the figure claims: :class:`~optviz.lessons.claims.Claim` s (a lesson's,
        or a comparison's or start map's as stated in its record), none for a figure
        that states no claim."""
        from ..lessons.claims import Claim

        if "claims" in self.extra:
            return list(self.extra["claims"])
        meta = getattr(self.record, "meta", None) or {}
        stated = meta.get("figure", {}).get("claims", ()) if isinstance(meta, dict) else ()
        return [
            Claim(c.get("text", c.get("name")), bool(c["holds"]), c.get("numbers", {}))
            for c in stated
        ]

    @property
    def notes(self) -> list[str]:
        """One line per optimizer that diverged."""
        import numpy as np

        out = []
        for item in self.record if hasattr(self.record, "__iter__") else ():
            diverged, at = (
                getattr(item, "diverged", None),
                getattr(item, "diverged_at", None),
            )
            if not isinstance(diverged, (bool, np.bool_)) or not diverged or at is None:
                continue  # a sweep's or a map's divergence is per rate or start
            out.append(f"{item.label} diverged at step {int(at)}")
        return out

    def _repr_png_(self):
        if self.animation is None and hasattr(self.figure, "_repr_png_"):
            return self.figure._repr_png_()
        return None

    def _repr_html_(self):
        if hasattr(self.animation, "_repr_html_"):
            return self.animation._repr_html_()
        return None

    def __repr__(self) -> str:
        kind = "animation" if self.animation is not None else "figure"
        return f"<optviz Result: {kind} of {type(self.record).__name__}>"


def save_figure(fig, path, dpi: int = 150) -> Path:
    """Save ``fig`` atomically and reproducibly (PNG, SVG or PDF by extension)."""
    from ..plot._figure import save_figure as _save

    return _save(fig, path, dpi=dpi)


def footnote(lr_how: Mapping[str, str], steps: int, extra: str = "") -> str:
    """One line for a figure: steps, how learning rates were chosen, randomness."""
    if all("default" in v for v in lr_how.values()):
        how = "α: the surface's default per optimizer"
    else:
        how = "α: " + "; ".join(f"{k} {v}" for k, v in lr_how.items())
    parts = [f"{steps} steps", how, "no randomness (full-batch gradients)"]
    if extra:
        parts.insert(1, extra)
    return SEPARATOR.join(parts)


def lesson(fig, name: str, data: dict) -> Result:
    """The Result of teaching figure ``name``: ``fig`` under its title and caption
    (:mod:`optviz.recipes.captions`), the run it draws as the record (``data["run"]``,
    where there is one), everything it draws in ``extra``."""
    from ..plot.style import titled
    from .captions import caption, title

    titled(fig, title(name), caption(name))
    return Result(fig, data.get("run"), {"figure": name}, extra=dict(data))


def lesson_result(fig, record, recipe: str, *, name: str | None = None) -> Result:
    """The Result of a lesson figure drawn from ``record`` (a
    :class:`~optviz.records.Lesson`): ``fig`` under the title and caption of entry
    ``name`` (default: the lesson's name), and ``record.meta["figure"]`` naming
    ``recipe`` ("MODULE:FUNCTION" of optviz.recipes), which draws it again from the
    record alone (:func:`optviz.recipes.redraw`)."""
    from ..plot.style import titled
    from .captions import caption, title

    name = name or record.name
    titled(fig, title(name), caption(name))
    record.meta["figure"] = {"recipe": recipe}
    return Result(fig, record, {"figure": name, **record.settings})
