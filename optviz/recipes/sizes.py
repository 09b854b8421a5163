"""Test-sized runs: a switch of the gallery runner, never a recipe's parameter.

``optviz gallery --small`` (or ``OPTVIZ_GALLERY_SMALL=1``) builds every figure from
short runs, to test the whole gallery in seconds. The runner turns this switch on with
:func:`small_runs`; a recipe asks :func:`pick` for its sizes. A reader's script never
mentions it: run as it is, it makes the full-size figure.
"""

from __future__ import annotations

import contextlib
from typing import Iterator, TypeVar

__all__ = ["small_runs", "is_small", "pick", "pick_steps", "set_small"]

T = TypeVar("T")

_state = {"small": False}


def is_small() -> bool:
    """Whether recipes make test-sized runs now."""
    return _state["small"]


def set_small(on: bool) -> None:
    """Turn test-sized runs on or off for the rest of this process (a script run alone
    with ``OPTVIZ_GALLERY_SMALL=1``)."""
    _state["small"] = bool(on)


@contextlib.contextmanager
def small_runs(on: bool = True) -> Iterator[None]:
    """Within the block, recipes make test-sized runs (``on=False``: full size)."""
    before = _state["small"]
    _state["small"] = bool(on)
    try:
        yield
    finally:
        _state["small"] = before


def pick(full: T, small: T) -> T:
    """``full``, or ``small`` during test-sized runs."""
    return small if _state["small"] else full


def pick_steps(n: int) -> int:
    """``n`` steps, or a tenth (at least 12) during test-sized runs."""
    return max(12, n // 10) if _state["small"] else n
