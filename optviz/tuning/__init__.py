"""Tuning: the teaching tuner (:mod:`.teaching`: one start, one budget, for the teaching
figures) and the fair comparison protocol (:mod:`.protocol`: joint grids, many seeded
starts, budgets, edges widened; its record is :class:`optviz.records.Tuned`)."""

from ..records.tuned import Tuned, TunedSearch
from .grids import DEFAULT_GRIDS_TEXT, default_axes, parse_grid
from .protocol import (
    DEFAULT_BUDGETS,
    DEFAULT_STARTS,
    random_starts,
    search,
    tune_suite,
)
from .teaching import (
    TUNABLE,
    Chosen,
    describe,
    effective_step,
    equal_step,
    tune,
    with_values,
)

__all__ = [
    "Tuned",
    "TunedSearch",
    "tune_suite",
    "search",
    "random_starts",
    "parse_grid",
    "default_axes",
    "DEFAULT_GRIDS_TEXT",
    "DEFAULT_BUDGETS",
    "DEFAULT_STARTS",
    "Chosen",
    "tune",
    "equal_step",
    "effective_step",
    "TUNABLE",
    "describe",
    "with_values",
]
