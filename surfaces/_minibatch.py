"""Mini-batches the way the notes draw them: random, without repetition within an epoch."""

from __future__ import annotations

from typing import Iterator

import numpy as np

__all__ = ["minibatches"]


def minibatches(n: int, batch_size: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Endless index batches: each epoch a fresh permutation of ``range(n)``, cut in order.

    Every sample appears exactly once per epoch; when ``batch_size`` does not divide
    ``n`` the last batch of an epoch is smaller (as ``torch.utils.data.DataLoader``).

    >>> batches = minibatches(4, 2, np.random.default_rng(0))
    >>> sorted(np.concatenate([next(batches), next(batches)]).tolist())
    [0, 1, 2, 3]
    """
    if not 1 <= batch_size <= n:  # checked now, not at the first draw
        raise ValueError(f"batch_size must be in [1, {n}], got {batch_size}")
    return _epochs(n, batch_size, rng)


def _epochs(n: int, batch_size: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    while True:
        order = rng.permutation(n)
        for begin in range(0, n, batch_size):
            yield order[begin : begin + batch_size]
