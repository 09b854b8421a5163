"""What a figure claims, found in its records: the per-surface notes a comparison
writes where things happen, and whether a run used the surface's default rates.

Numerics only: these take records and return plain data (text, coordinates), so a
figure draws them and a test checks them against the same records.
"""

from __future__ import annotations

import numpy as np

__all__ = ["surface_notes", "uses_defaults", "DEFAULTS_NOTE"]

#: The footnote of a comparison at untuned default rates.
DEFAULTS_NOTE = "default settings (the surface's learning rates), not a ranking"
#: A spike: the loss rises by 100x or more within this many steps.
SPIKE_WINDOW = 10
#: A plateau: f - f* (above PLATEAU_ABOVE) changes by less than this in 10 steps.
PLATEAU_CHANGE, PLATEAU_ABOVE = 0.1, 1e-3
#: Adagrad's first 10 steps cut f - f* by this factor or more: a lucky jump.
LUCKY_DROP = 1e-3
#: Below this value a run has escaped the saddle.
SADDLE_ESCAPED = -1.0


def title(name: str) -> str:
    """Display name of optimizer ``name`` (``"adam"`` -> ``"Adam"``), from its class."""
    from .optimizers import OPTIMIZERS

    key, _, rest = name.partition(" ")
    cls = OPTIMIZERS.get(key.lower())
    return (cls.title if cls is not None else key) + (f" {rest}" if rest else "")


def uses_defaults(surface, run) -> bool:
    """True when every trajectory runs at the surface's default learning rate."""
    for traj in run:
        try:
            if traj.hyperparameters.get("lr") != surface.default_lr(traj.optimizer):
                return False
        except KeyError:
            return False
    return True


def _first(mask) -> int | None:
    idx = np.flatnonzero(mask)
    return int(idx[0]) if len(idx) else None


def surface_notes(surface, run) -> list[dict]:
    """Annotations of what happens where, found in the records: each a dict with
    ``panel`` ("map" or "loss"), ``xy`` (data coordinates), ``text``, ``label`` (the
    trajectory, or None).

    - rosenbrock: the curved valley; the largest upward spike of an adaptive method's
      loss (RMSprop's, typically: r forgot the steep walls, so the step grew);
    - beale: the plateau (the longest stretch where a run's f - f* > 1e-3 changes by
      less than 10% in 10 steps);
    - saddle: the step where each run has escaped (f below -1), per-coordinate scaling
      escaping first;
    - himmelblau: runs that end at a minimum other than the one nearest the start.
    """
    notes = _adagrad_notes(surface, run)
    if surface.name in _NOTES_OF:
        notes += _NOTES_OF[surface.name](surface, run)
    return notes


def _adagrad_notes(surface, run) -> list[dict]:
    """Adagrad's loss almost flat late in the run (its r only grows, so its steps
    shrink), after a lucky jump when its first 10 steps cut f - f* by LUCKY_DROP."""
    notes: list[dict] = []
    for traj in run:
        if traj.optimizer != "adagrad" or surface.min_value is None or traj.diverged:
            continue
        loss = traj.loss - surface.min_value
        k = max(10, len(loss) // 10)
        if len(loss) <= k:  # too short a run to call it flat from step k on
            continue
        if loss[-1] > 1e-4 and loss[-1] > 0.3 * loss[k]:
            notes.append(
                {
                    "panel": "loss",
                    "xy": (len(loss) // 4, loss[len(loss) // 4]),
                    "label": traj.label,
                    "offset": (20, -70),
                    "text": (
                        "Adagrad: a lucky jump close to the minimum, then\n"
                        if loss[min(10, len(loss) - 1)] < loss[0] * LUCKY_DROP
                        else "Adagrad: "
                    )
                    + "its r only grows, so its steps shrink:\n"
                    f"almost flat from step {k} on",
                }
            )
    return notes


def _rosenbrock_notes(surface, run) -> list[dict]:
    """The curved valley, and the largest upward spike (100x or more within
    SPIKE_WINDOW steps) of an adaptive method's loss."""
    notes: list[dict] = []
    notes.append(
        {
            "panel": "map",
            "xy": (-0.6, 0.36),
            "label": None,
            "text": "the curved valley y = x²:\neasy to find, slow to follow",
        }
    )
    best = None
    for traj in run:
        if traj.optimizer not in ("rmsprop", "adam", "adagrad"):
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            logl = np.log(np.maximum(traj.loss, 1e-300))
        window = SPIKE_WINDOW
        rise = np.full(len(logl), -np.inf)
        for k in range(max(10, len(logl) // 10), len(logl) - 1):
            ahead = logl[k + 1 : k + 1 + window]
            if np.all(np.isfinite(ahead)) and np.isfinite(logl[k]):
                rise[k] = ahead.max() - logl[k]
        k = int(np.argmax(rise))
        if rise[k] > np.log(100) and (best is None or rise[k] > best[0]):
            top = k + 1 + int(np.argmax(logl[k + 1 : k + 1 + window]))
            best = (rise[k], top, traj)
    if best is not None:
        _, k, traj = best
        notes.append(
            {
                "panel": "loss",
                "xy": (k, traj.loss[k] - surface.min_value),
                "label": traj.label,
                "text": f"{title(traj.optimizer)}'s spike: r forgot the steep wall,\n"
                "so its step grew and it jumped out of the valley",
            }
        )
    return notes


def _beale_notes(surface, run) -> list[dict]:
    """The plateau: the longest stretch (20 steps or more) where a run's f - f* above
    PLATEAU_ABOVE changes by less than PLATEAU_CHANGE in 10 steps."""
    notes: list[dict] = []
    best = None
    for traj in run:
        loss = traj.loss - surface.min_value
        with np.errstate(invalid="ignore", divide="ignore"):
            change = np.abs(loss[10:] / loss[:-10] - 1)
        flat = np.r_[(change < PLATEAU_CHANGE) & (loss[:-10] > PLATEAU_ABOVE), False]
        # the longest run of flat steps
        k, length, start = 0, 0, None
        for i, f in enumerate(flat):
            if f and start is None:
                start = i
            elif not f and start is not None:
                if i - start > length:
                    k, length = start, i - start
                start = None
        if length >= 20 and (best is None or length > best[0]):
            best = (length, k, traj)
    if best is not None:
        length, k, traj = best
        notes.append(
            {
                "panel": "loss",
                "xy": (k + length // 2, traj.loss[k] - surface.min_value),
                "label": traj.label,
                "text": f"plateau: tiny gradients; {title(traj.optimizer)}'s loss "
                f"falls < {PLATEAU_CHANGE:.0%} per 10 steps for {length} steps",
            }
        )
    return notes


def _saddle_notes(surface, run) -> list[dict]:
    """The saddle itself, and the step where each run escaped (f below
    SADDLE_ESCAPED), the first to escape first."""
    notes: list[dict] = []
    notes.append(
        {
            "panel": "map",
            "xy": (0.0, 0.0),
            "label": None,
            "text": "saddle: g ≈ 0 along y near here;\ndividing g by √r scales the "
            "small\ncoordinate up, so adaptive methods escape",
        }
    )
    escaped = []
    for traj in run:
        k = _first(traj.loss < SADDLE_ESCAPED)
        escaped.append((k if k is not None else np.inf, title(traj.optimizer), k))
    escaped.sort()
    text = f"escaped (f < {SADDLE_ESCAPED:g}) at step:\n" + "\n".join(
        f"  {name}: {k if k is not None else 'not yet'}" for _, name, k in escaped
    )
    notes.append({"panel": "loss-box", "xy": (0.98, 0.97), "label": None, "text": text})
    return notes


def _himmelblau_notes(surface, run) -> list[dict]:
    """Runs that end at a minimum other than the one nearest the start."""
    if not surface.minima:
        return []
    notes: list[dict] = []
    minima = np.array([m.xy for m in surface.minima])
    start = np.asarray(run.start, dtype=float)
    home = int(np.argmin(np.linalg.norm(minima - start, axis=-1)))
    away: dict[int, list] = {}
    for traj in run:
        end = traj.last_finite()
        there = int(np.argmin(np.linalg.norm(minima - end, axis=-1)))
        if there != home and not traj.diverged:
            away.setdefault(there, []).append(traj)
    for there, trajs in away.items():
        names = " and ".join(title(t.optimizer) for t in trajs)
        verb = "overshoots" if len(trajs) == 1 else "overshoot"
        notes.append(
            {
                "panel": "map",
                "xy": tuple(minima[there]),
                "label": trajs[0].label,
                "text": f"{names} {verb} into another basin\n(the nearest minimum "
                "to the start is another)",
            }
        )
    return notes


#: The notes of each surface that has its own, beside Adagrad's (any surface).
_NOTES_OF = {
    "rosenbrock": _rosenbrock_notes,
    "beale": _beale_notes,
    "saddle": _saddle_notes,
    "himmelblau": _himmelblau_notes,
}
