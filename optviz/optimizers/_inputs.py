"""The checks of ``Optimizer.step``'s input, all made before anything is updated."""

from __future__ import annotations

import numpy as np
from numpy.lib.array_utils import byte_bounds

__all__ = ["as_list", "check_params", "check_grads", "check_no_overlap"]


def as_list(values, what: str) -> list:
    try:
        if isinstance(values, (str, bytes, dict)):
            raise TypeError
        return list(values)
    except TypeError:
        raise ValueError(
            f"{what} must be an ndarray or a list of ndarrays, got {type(values).__name__}"
        ) from None


def check_params(ws: list) -> None:
    for i, w in enumerate(ws):
        if not isinstance(w, np.ndarray) or w.dtype.kind != "f":
            raise ValueError(
                f"parameter {i} must be a float ndarray (it is updated in place), "
                f"got {type(w).__name__}"
                + (f" of dtype {w.dtype}" if isinstance(w, np.ndarray) else "")
            )
        if not w.flags.writeable:
            raise ValueError(
                f"parameter {i} is read-only; step updates parameters in place"
            )


def check_grads(ws: list, gs: list) -> list:
    out = []
    for i, (w, g) in enumerate(zip(ws, gs)):
        try:
            g = np.asarray(g)
        except (TypeError, ValueError) as exc:
            reason = str(exc).split(".")[0]
            raise ValueError(f"gradient {i} is not an array of numbers: {reason}") from None
        if g.dtype.kind not in "fiu":
            raise ValueError(f"gradient {i} must hold real numbers, got dtype {g.dtype}")
        if g.shape != w.shape:
            raise ValueError(
                f"gradient {i} has shape {g.shape}, parameter has shape {w.shape}"
            )
        out.append(g)
    return out


def check_no_overlap(ws: list, gs: list) -> None:
    """No two parameters share memory (one would be updated twice), and no gradient
    shares memory with another parameter (it would change half-way through a step)."""
    if len(ws) < 2:
        return
    arrays = [(*byte_bounds(w), "parameter", i, w) for i, w in enumerate(ws)]
    arrays += [(*byte_bounds(g), "gradient", i, g) for i, g in enumerate(gs)]
    arrays.sort(key=lambda a: a[0])  # by start address: only neighbours can overlap
    for k, (_, end, kind, i, a) in enumerate(arrays):
        for start2, _, kind2, j, b in arrays[k + 1 :]:
            if start2 >= end:
                break
            if kind == kind2 == "gradient" or (kind != kind2 and i == j):
                continue
            try:
                shared = np.shares_memory(a, b, max_work=100_000)
            except np.exceptions.TooHardError:
                shared = True
            if shared:
                raise ValueError(_overlap_message((kind, i), (kind2, j)))


def _overlap_message(one, other) -> str:
    (kind, i), (kind2, j) = sorted([one, other], key=_parameters_first)  # by kind, index
    if kind2 == "parameter":
        return (
            f"parameters {i} and {j} share memory, so a step would update it twice; "
            "give every parameter its own array"
        )
    return (
        f"gradient {j} shares memory with parameter {i}, which the step updates "
        "before it reads that gradient; pass a copy of the gradient"
    )


def _parameters_first(item) -> tuple:
    return item[0] != "parameter", item[1]
