r"""How the trainer steps an optimizer on a network's parameters.

Every optimizer takes every parameter as it is, except Muon, which orthogonalises
matrices only. The trainer then does what Muon's reference practice does (Jordan's
``muon.py``; ``torch.optim.Muon``'s documentation: "use AdamW for the others"):

- Muon takes every weight of two or more dimensions as a matrix: a conv kernel
  ``(F, C, FH, FW)`` is flattened to ``(F, C·FH·FW)`` for the orthogonalisation and
  the step lands on the kernel in its own shape (the matrix is a view of it); a dense
  weight ``(out, in)`` is already one. The step is ``torch.optim.Muon``'s on that
  matrix, so its scale :math:`\sqrt{\max(1, m/n)}` is the flattened matrix's (Jordan's
  reference takes it from the kernel's last two axes, FH/FW: the same 1 for square
  kernels whenever F <= C·FH·FW, as in every network of optviz).
- :class:`~optviz.optimizers.AdamW` with its defaults (torch's: α = 1e-3,
  (ρ1, ρ2) = (0.9, 0.999), δ = 1e-8, λ = 1e-2) takes the biases and every other
  parameter of fewer than two dimensions.

Jordan's reference also gives the network's first and last layers to AdamW; optviz's
networks are so small that the last (dense) layer is Muon's here, as its matrix.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..optimizers import AdamW, Muon, Optimizer

__all__ = ["MATRIX_ONLY", "optimizer_step", "split_matrices"]

#: Optimizers that take matrices only; the trainer gives them the weights as matrices
#: and the other parameters to AdamW with its defaults.
MATRIX_ONLY = (Muon,)


def _as_matrix(a: np.ndarray, what: str) -> np.ndarray:
    """``a`` of shape ``(F, ...)`` as the matrix ``(F, rest)``: a view, so that a step
    on it lands on ``a``."""
    m = a.reshape(len(a), -1)
    if not np.shares_memory(m, a):
        raise ValueError(f"{what} of shape {a.shape} is not contiguous: cannot step it")
    return m


def split_matrices(params: list, grads: list) -> tuple[list, list, list, list]:
    """``(matrices, their gradients, others, their gradients)``: each parameter of two
    or more dimensions as a matrix (a view; a conv kernel flattened to
    ``(F, C·FH·FW)``), the rest (biases) as they are."""
    mats, mat_grads, others, other_grads = [], [], [], []
    for i, (w, g) in enumerate(zip(params, grads)):
        if w.ndim >= 2:
            mats.append(_as_matrix(w, f"parameter {i}"))
            mat_grads.append(_as_matrix(g, f"gradient {i}"))
        else:
            others.append(w)
            other_grads.append(g)
    return mats, mat_grads, others, other_grads


def optimizer_step(optimizer: Optimizer, params: list, grads: list) -> Callable[[], None]:
    """A function taking one step of ``optimizer`` on ``params`` against ``grads``
    (arrays the network updates in place). A matrix-only optimizer (Muon) steps the
    weights as matrices and a fresh :class:`~optviz.optimizers.AdamW` with its defaults
    steps the biases (see this module)."""
    if not isinstance(optimizer, MATRIX_ONLY):
        return lambda: optimizer.step(params, grads)
    mats, mat_grads, others, other_grads = split_matrices(params, grads)
    aux = AdamW()

    def step() -> None:
        if mats:
            optimizer.step(mats, mat_grads)
        if others:
            aux.step(others, other_grads)

    return step
