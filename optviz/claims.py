"""What a figure claims, found in its records: the per-surface notes a comparison
writes where things happen, and whether a run used the surface's default rates.

Numerics only: these take records and return plain data (text, coordinates), so a
figure draws them and a test checks them against the same records.
"""

from __future__ import annotations

import numpy as np

from .compare_claims import (
    CORNERS,
    ESCAPED,
    claims,
    escape_steps,
    exits,
    free_corner,
    same_rate,
    spike,
)

__all__ = ["surface_notes", "uses_defaults", "DEFAULTS_NOTE"]

#: The footnote of a comparison at untuned default rates.
DEFAULTS_NOTE = "default settings (the surface's learning rates), not a ranking"
#: A plateau: f - f* (above PLATEAU_ABOVE) changes by less than this in 10 steps.
PLATEAU_CHANGE, PLATEAU_ABOVE = 0.1, 1e-3
#: Adagrad's first 10 steps cut f - f* by this factor or more: a lucky jump.
LUCKY_DROP = 1e-3


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
    notes += _exit_notes(surface, run, notes)
    if surface.name in _NOTES_OF:
        notes += _NOTES_OF[surface.name](surface, run, notes)
    return notes


def _exit_notes(surface, run, before=()) -> list[dict]:
    """Where a path leaves the map (an arrow; the path is clipped there), and, in one
    box, where it went: out and back, or where it ended."""
    found = exits(surface, run)
    if not found:
        return []
    names = {t.label: title(t.optimizer) for t in run}
    notes: list[dict] = [
        {
            "panel": "map-exit",
            "xy": tuple(e["at"]),
            "direction": tuple(e["direction"]),
            "step": e["step"],
            "label": e["label"],
            "text": "",
        }
        for e in found
    ]
    lines = []
    for e in found:
        name = names[e["label"]]
        if e["back"]:
            x, y = e["out"]
            lines.append(
                f"{name}: out to ({_short(x)}, {_short(y)}) at step {e['step']}, then back"
            )
        else:
            x, y = e["ended"]
            lines.append(f"{name}: ended at ({_short(x)}, {_short(y)})")
    text = "left the map (arrows):\n" + "\n".join(lines)
    corner = free_corner(surface, run, _landmarks(surface, run), text, _taken(before))
    notes.append({"panel": "map-box", "xy": CORNERS[corner], "label": None, "text": text})
    return notes


def _taken(notes) -> list[str]:
    """The map's corners that boxes of ``notes`` already hold, with their texts."""
    return [
        (c, n["text"])
        for c, xy in CORNERS.items()
        for n in notes
        if n["panel"] == "map-box" and tuple(n["xy"]) == xy
    ]


def _landmarks(surface, run) -> list[tuple[float, float]]:
    """The points a note box must not hide: minima, saddles, the start."""
    points = [(p.x, p.y) for p in (*surface.minima, *surface.landmarks)]
    return points + [tuple(float(v) for v in run.start)]


def _short(v: float) -> str:
    """A coordinate in 3 significant digits, large ones in powers of ten."""
    if abs(v) >= 1e4 or 0 < abs(v) < 1e-3:
        m, e = f"{v:.1e}".split("e")
        return f"${m}\\times10^{{{int(e)}}}$"
    return f"{v:.3g}"


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
            lucky = loss[min(10, len(loss) - 1)] < loss[0] * LUCKY_DROP
            text = (
                "Adagrad: a lucky jump close to the\nminimum; then its r only grows, so"
                if lucky
                else "Adagrad: its r only grows, so"
            ) + f"\nits steps shrink: almost stuck\nhere from step {k} on"
            place = free_corner(surface, run, _landmarks(surface, run), text)
            notes.append(
                {
                    "panel": "map-box",
                    "xy": CORNERS[place],
                    "target": tuple(float(v) for v in traj.xy[k]),
                    "label": traj.label,
                    "text": text,
                }
            )
    return notes


def _rosenbrock_notes(surface, run, before=()) -> list[dict]:
    """The largest upward spike (100x or more within SPIKE_WINDOW steps) of an
    adaptive method's loss (the curved valley is the caption's: the map has no room
    for a third box)."""
    notes: list[dict] = []
    best = None
    for traj in run:
        if traj.optimizer not in ("rmsprop", "adam", "adagrad"):
            continue
        found = spike(traj)
        if found is not None and (best is None or found[1] > best[0]):
            best = (found[1], found[0], traj)
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


def _beale_notes(surface, run, before=()) -> list[dict]:
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


def _saddle_notes(surface, run, before=()) -> list[dict]:
    """The saddle itself, and the step where each run escaped (f below
    :data:`~optviz.compare_claims.ESCAPED`), the first to escape first."""
    notes: list[dict] = []
    text = (
        "saddle: g ≈ 0 along y near here.\nRMSprop and Adam divide g by √r:"
        "\ntheir steps do not shrink with g.\nAdagrad's r sums every g²:"
        "\nits steps shrink as t grows."
    )
    corner = free_corner(surface, run, _landmarks(surface, run), text, _taken(before))
    notes.append(
        {
            "panel": "map-box",
            "xy": CORNERS[corner],
            "label": None,
            "target": (0.0, 0.0),
            "text": text,
        }
    )
    rate = same_rate(run)
    steps = escape_steps(run)
    order = sorted(steps, key=lambda n: (steps[n] is None, steps[n] or 0))
    head = f"escaped (f < {ESCAPED:g}) at step:"
    if rate is not None:
        head = f"all at α = {rate:g}; " + head
    text = (
        head
        + "\n"
        + "\n".join(
            f"  {title(n)}: {steps[n] if steps[n] is not None else 'not yet'}"
            for n in order
        )
    )
    notes.append({"panel": "loss-box", "xy": (0.98, 0.62), "label": None, "text": text})
    return notes


def _himmelblau_notes(surface, run, before=()) -> list[dict]:
    """Where the first steps go: -g at the start and the adaptive methods' diagonal
    (:func:`optviz.compare_claims.claims`' numbers)."""
    if not surface.minima:
        return []
    found = {c.text: c for c in claims(surface, run)}
    turn = found["the adaptive first step turns onto the diagonal"]
    gx, gy = turn.numbers["neg_grad"]
    start = ", ".join(f"{v:g}" for v in np.asarray(run.start, dtype=float))
    text = (
        f"at ({start}): −g = ({gx:.0f}, {gy:.0f}), almost along x;\n"
        "adaptive first step: sign(−g), the diagonal"
    )
    corner = free_corner(surface, run, _landmarks(surface, run), text, _taken(before))
    return [{"panel": "map-box", "xy": CORNERS[corner], "label": None, "text": text}]


#: The notes of each surface that has its own, beside Adagrad's (any surface).
_NOTES_OF = {
    "rosenbrock": _rosenbrock_notes,
    "beale": _beale_notes,
    "saddle": _saddle_notes,
    "himmelblau": _himmelblau_notes,
}
