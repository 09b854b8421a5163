"""Deprecated names of the plotting modules: what the CNN lessons' figures exported
before their numbers moved below them (to :mod:`optviz.nn.cnn_lessons` and
:mod:`optviz.nn.network_lessons`). Each still resolves, with a DeprecationWarning
naming its new home, for one release; new code imports it from there."""

from __future__ import annotations

import importlib
import warnings
from typing import Callable

__all__ = ["moved"]


def _captions() -> dict[str, str]:
    """The old ``CAPTIONS`` dicts: entry name -> the English caption drawn."""
    from .i18n import captions

    return {name: e["caption"].removesuffix(".") for name, e in captions("en").items()}


def moved(module: str, names: dict[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``module`` resolving each of ``names`` (old name
    -> ``"package.module"`` holding it now; ``"captions"`` for the caption table)."""

    def __getattr__(name: str):
        if name not in names:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        home = names[name]
        where = "optviz.recipes.caption(NAME)" if home == "captions" else f"{home}.{name}"
        warnings.warn(
            f"{module}.{name} is deprecated; use {where}", DeprecationWarning, stacklevel=2
        )
        if home == "captions":
            return _captions()
        return getattr(importlib.import_module(home), name)

    return __getattr__
