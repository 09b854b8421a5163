r"""What an optimizer does inside, per step, for the learning-rate figure: each quantity
from the optimizer's class (its methods, its state, its hyper-parameters), never from
its name, as one ``(T+1, 2)`` array per trajectory (index t: step t; index 0 NaN, before
any step), added to the trajectory's recorded state by :func:`record_inner_state` so
that the figure only draws and a saved record redraws.

- ``divisors``: Adam's bias-correction divisors :math:`(1-\rho_1^t, 1-\rho_2^t)` (x: the
  first moment's, y: the second's) of a class whose ``bias_corrections(t)`` says them
  (Adam, AdamW; ones with ``bias_correction=False``). Lion and Prodigy (whose
  ``use_bias_correction`` is off by default) have no such method: no divisors.
- ``sign``: Lion's :math:`\mathrm{sign}(c)`, :math:`c = \rho_1 s_{t-1} + (1-\rho_1) g`,
  per coordinate, from the recorded :math:`s` and :math:`g` (a class whose ``rule``
  takes the sign of c).
- ``q``: RAdam's rectification :math:`q_t`, 0 while :math:`\ell_t \le 5` (no adaptive
  step yet), from the class's ``rectification(t)``.
- ``c``: Schedule-Free's averaging weight
  :math:`c_t = (W_t - W_{t-1})/W_t` from the recorded sum of weights :math:`W`
  (``weight_sum``; 0 while :math:`W_t = 0`, as the reference).
- ``distance``: Prodigy's :math:`d`, its estimate of the distance to the solution (the
  state's ``d`` of a class whose ``meaning`` calls ``d`` a distance estimate; Adadelta's
  and Rprop's ``d`` are other things).
"""

from __future__ import annotations

import numpy as np

from .optimizers import OPTIMIZERS

__all__ = [
    "INNER_KEYS",
    "adam_divisors",
    "lion_sign",
    "rectification",
    "averaging_weight",
    "distance_estimate",
    "inner_state",
    "record_inner_state",
]

#: The keys :func:`record_inner_state` adds to a trajectory's state.
INNER_KEYS = ("divisors", "sign", "q", "distance", "c")


def _class_of(traj):
    return OPTIMIZERS.get(traj.optimizer)


def _steps(traj) -> np.ndarray:
    return np.arange(len(traj.xy), dtype=float)


def _both(values) -> np.ndarray:
    """A per-step series ``(T+1,)`` as ``(T+1, 2)``, index 0 NaN."""
    out = np.repeat(np.asarray(values, dtype=float)[:, None], 2, axis=1)
    out[0] = np.nan
    return out


def _betas(traj) -> tuple:
    return tuple(float(np.mean(b)) for b in traj.hyperparameters["betas"])


def adam_divisors(traj) -> np.ndarray | None:
    """``(T+1, 2)``: column 0 :math:`1-\\rho_1^t`, column 1 :math:`1-\\rho_2^t`, from
    the class's ``bias_corrections``; None for a class without it."""
    cls = _class_of(traj)
    if cls is None or not callable(getattr(cls, "bias_corrections", None)):
        return None
    hyper = traj.hyperparameters
    keys = [k for k in ("betas", "bias_correction") if k in hyper]
    opt = cls(**{k: (_betas(traj) if k == "betas" else hyper[k]) for k in keys})
    t = _steps(traj)
    c1, c2 = (
        np.broadcast_to(np.asarray(c, float), t.shape) for c in opt.bias_corrections(t)
    )
    out = np.stack([c1, c2], axis=-1)
    out[0] = np.nan
    return out


def _takes_sign(cls) -> bool:
    return any(r"\mathrm{sign}(c)" in line for line in getattr(cls, "rule", ()))


def lion_sign(traj) -> np.ndarray | None:
    """``(T+1, 2)``: :math:`\\mathrm{sign}(\\rho_1 s_{t-1} + (1-\\rho_1) g_{t-1})` per
    coordinate (``s_0 = 0``), for a class that steps by the sign of that mix."""
    cls = _class_of(traj)
    if cls is None or not _takes_sign(cls) or "s" not in traj.state:
        return None
    rho1 = _betas(traj)[0]
    s_before = np.array(traj.state["s"], dtype=float)
    s_before[0] = 0.0
    out = np.full_like(s_before, np.nan)
    out[1:] = np.sign(rho1 * s_before[:-1] + (1 - rho1) * traj.grad[:-1])
    return out


def rectification(traj) -> np.ndarray | None:
    """``(T+1, 2)``: RAdam's :math:`q_t` (0 where :math:`\\ell_t \\le 5`), from the
    class's ``rectification(t)``."""
    cls = _class_of(traj)
    if cls is None or not callable(getattr(cls, "rectification", None)):
        return None
    opt = cls(betas=_betas(traj))
    t = _steps(traj)
    t[0] = 1.0  # index 0 is NaN anyway
    return _both(opt.rectification(t))


def averaging_weight(traj) -> np.ndarray | None:
    """``(T+1, 2)``: :math:`c_t = (W_t - W_{t-1})/W_t` from the recorded ``weight_sum``
    (Schedule-Free's sum of averaging weights); 0 where :math:`W_t = 0`."""
    if "weight_sum" not in traj.state:
        return None
    w = np.array(traj.state["weight_sum"], dtype=float)
    w[0] = 0.0
    out = np.full_like(w, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[1:] = np.where(w[1:] != 0, (w[1:] - w[:-1]) / w[1:], 0.0)
    return out


def distance_estimate(traj) -> np.ndarray | None:
    """``(T+1, 2)``: the state's ``d`` where the class says it is a distance estimate
    (Prodigy)."""
    cls = _class_of(traj)
    meaning = getattr(cls, "meaning", {}).get("d", "")
    if "distance" not in meaning or "d" not in traj.state:
        return None
    return np.array(traj.state["d"], dtype=float)


def inner_state(traj) -> dict[str, np.ndarray]:
    """Every quantity of :data:`INNER_KEYS` this trajectory's optimizer has (NaN after
    the run diverged, as the rest of its state)."""
    gone = ~np.isfinite(np.asarray(traj.loss, dtype=float))
    gone[0] = True  # index 0: before any step
    found = {
        "divisors": adam_divisors(traj),
        "sign": lion_sign(traj),
        "q": rectification(traj),
        "distance": distance_estimate(traj),
        "c": averaging_weight(traj),
    }
    return {
        k: np.where(gone[:, None], np.nan, v) for k, v in found.items() if v is not None
    }


def record_inner_state(run) -> None:
    """Add :func:`inner_state` to each recorded trajectory's ``state`` (in place); a
    run recorded without state is left alone."""
    for traj in run:
        if traj.state:
            traj.state.update(inner_state(traj))
