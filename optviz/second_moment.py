r"""How much each past squared gradient counts in ``r``: a sum or an average.

Unrolling the updates of ``r`` (the notes' second moment) at step ``t`` gives
:math:`r_t = \sum_{k=1}^{t} c_k\, g_k^2` with

- Adagrad: :math:`c_k = 1` -- a plain sum, which grows with ``t``;
- RMSprop: :math:`c_k = (1-\rho)\rho^{t-k}` -- an exponential moving average (weights
  sum to :math:`1-\rho^t \le 1`);
- Adam (with bias correction, :math:`\hat r = r/(1-\rho_2^t)`):
  :math:`c_k = (1-\rho_2)\rho_2^{t-k}/(1-\rho_2^t)` -- weights that sum to exactly 1.

The notes call Adagrad's ``r`` a moving average; it is a sum, which is why its step
:math:`\alpha/\sqrt{r}` keeps shrinking (like :math:`1/\sqrt t` when the gradients keep
their size).

>>> past_weights("adagrad", 3).tolist()
[1.0, 1.0, 1.0]
>>> round(float(past_weights("adam", 50, rho=0.999).sum()), 12)
1.0
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ._checks import check_int, check_range

__all__ = ["past_weights", "KINDS"]

KINDS = ("adagrad", "rmsprop", "adam")


def past_weights(kind: str, t: int, rho: float = 0.9) -> NDArray:
    """The weights ``c_1 ... c_t`` of ``g_1^2 ... g_t^2`` in ``r`` (Adam: in ``r_hat``)
    at step ``t``; ``rho`` is RMSprop's ρ or Adam's ρ2 (unused for Adagrad)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    t = check_int("t", t, low=1)
    rho = check_range("rho", rho, low=0, high=1, high_open=True)
    k = np.arange(1, t + 1)
    if kind == "adagrad":
        return np.ones(t)
    weights = (1 - rho) * rho ** (t - k)
    return weights / (1 - rho**t) if kind == "adam" else weights
