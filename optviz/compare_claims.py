"""What the comparison figures (compare-*, animate-*, saddle-3d) claim, as predicates
over their runs, each with the numbers it rests on.

A :class:`Claim` is a name (the caption's sentence it backs), whether it holds for the
run, and its numbers (JSON-ready). The recipes keep the claims of a figure in its
record (``meta["figure"]["claims"]``) and write the numbers into its notes; a test
evaluates them on the gallery's records, so a caption cannot say what its data does
not show. Numerics only: no matplotlib.
"""

from __future__ import annotations

import numpy as np

from .lessons.claims import Claim

__all__ = [
    "Claim",
    "claims",
    "first_step_angle",
    "descent_at_start",
    "escape_steps",
    "ends_at",
    "same_rate",
    "failing",
    "moving",
    "startmap_claims",
    "free_corner",
    "box_size",
    "CORNERS",
    "exits",
    "spike",
    "ADAPTIVE",
    "ANGLE_TOL",
    "ESCAPED",
    "NEAR_MINIMUM",
    "MINIMUM_NAMES",
]

#: The optimizers that divide g by √r per coordinate.
ADAPTIVE = ("adagrad", "rmsprop", "adam")
#: A first step "along" a direction: within this many degrees of it.
ANGLE_TOL = 1.0
#: Below this value a run has escaped the saddle.
ESCAPED = -1.0
#: A run "reaches" a minimum when it ends this close to it.
NEAR_MINIMUM = 0.05
#: A spike: the loss rises by 100x or more within this many steps.
SPIKE_WINDOW = 10
#: Names of a surface's minima in the order it lists them (the start map's too).
MINIMUM_NAMES = "ABCDEFGH"


def _by_optimizer(run) -> dict:
    return {t.optimizer: t for t in run}


def first_step_angle(traj) -> float:
    """The direction of the first step ``xy[1] - xy[0]``, in degrees from +x."""
    dx, dy = np.asarray(traj.xy[1], float) - np.asarray(traj.xy[0], float)
    return float(np.degrees(np.arctan2(dy, dx)))


def _angle(v) -> float:
    return float(np.degrees(np.arctan2(v[1], v[0])))


def _gap(a: float, b: float) -> float:
    """|a - b| in degrees, the short way round."""
    return abs((a - b + 180.0) % 360.0 - 180.0)


def descent_at_start(run) -> np.ndarray:
    """-g at the start (every trajectory of a run starts at one point)."""
    return -np.asarray(run.trajectories[0].grad[0], dtype=float)


def nearest_minimum(surface, xy) -> int:
    """Index of the minimum of ``surface`` nearest ``xy``."""
    minima = np.array([(m.x, m.y) for m in surface.minima])
    return int(np.argmin(np.linalg.norm(minima - np.asarray(xy, float), axis=-1)))


def ends_at(surface, traj) -> str | None:
    """The name (A, B, ...) of the minimum a run ends within :data:`NEAR_MINIMUM` of,
    or None."""
    end = traj.last_finite()
    i = nearest_minimum(surface, end)
    m = surface.minima[i]
    if traj.diverged or np.hypot(end[0] - m.x, end[1] - m.y) > NEAR_MINIMUM:
        return None
    return MINIMUM_NAMES[i]


def escape_steps(run, below: float = ESCAPED) -> dict[str, int | None]:
    """Optimizer -> the first step with f < ``below`` (None: not within the run)."""
    out = {}
    for t in run:
        idx = np.flatnonzero(np.asarray(t.loss) < below)
        out[t.optimizer] = int(idx[0]) if len(idx) else None
    return out


def same_rate(run) -> float | None:
    """The one α every optimizer runs at (momentum's counted as α/(1-β), its steady
    step on a constant slope), or None when they differ."""
    rates = []
    for t in run:
        h = t.hyperparameters
        if not isinstance(h.get("lr"), (int, float)):  # a classical method, a schedule
            return None
        lr = float(h["lr"])
        if t.optimizer == "momentum":
            lr /= 1.0 - float(h["momentum"])
        rates.append(lr)
    if rates and np.allclose(rates, rates[0], rtol=1e-9):
        return rates[0]
    return None


def exits(surface, run) -> list[dict]:
    """Where each path first leaves the surface's domain (the map's view): the
    trajectory's ``label``, the ``step`` outside, the point ``at`` on the boundary
    where it crossed, the ``direction`` (unit) it went, the point ``out`` where that
    first stretch outside went (its farthest from the map), whether it came ``back``
    by the end, and where it ``ended`` (its last finite point)."""
    (x0, x1), (y0, y1) = surface.domain
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    out = []
    for t in run:
        xy = np.asarray(t.xy, float)
        finite = np.all(np.isfinite(xy), axis=1)
        inside = finite & (xy[:, 0] >= x0) & (xy[:, 0] <= x1)
        inside &= (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
        outside = np.flatnonzero(~inside)
        if not len(outside) or outside[0] == 0:
            continue  # never out (or a start off the map: nothing to say)
        k = int(outside[0])
        a, b = xy[k - 1], xy[k] if finite[k] else t.last_finite()
        d = b - a
        # the largest s in [0, 1] with a + s d inside the box
        s = 1.0
        for i, (lo, hi) in enumerate(((x0, x1), (y0, y1))):
            if d[i] > 0 and a[i] + d[i] > hi:
                s = min(s, (hi - a[i]) / d[i])
            elif d[i] < 0 and a[i] + d[i] < lo:
                s = min(s, (lo - a[i]) / d[i])
        back = np.flatnonzero(inside[k:])
        stretch = xy[k : k + int(back[0])] if len(back) else xy[k:]
        stretch = stretch[np.all(np.isfinite(stretch), axis=1)]
        far = (
            stretch[np.argmax(np.linalg.norm(stretch - centre, axis=1))]
            if len(stretch)
            else b
        )
        out.append(
            {
                "label": t.label,
                "step": k,
                "at": [float(v) for v in a + s * d],
                "direction": [float(v) for v in d / (np.hypot(*d) or 1.0)],
                "out": [float(v) for v in far],
                "back": bool(inside[-1]),
                "ended": [float(v) for v in t.last_finite()],
            }
        )
    return out


#: The places on a map a note box may take (axes fractions of its anchor, aligned to
#: the nearer sides), the legend's (lower right) left out, in order of preference.
CORNERS = {
    "upper left": (0.02, 0.97),
    "upper right": (0.98, 0.97),
    "lower left": (0.02, 0.03),
    "upper center": (0.5, 0.97),
    "lower center": (0.5, 0.03),
}
#: A landmark's marker reaches this far (axes fractions) around its point.
MARKER = 0.05
#: The map's legend (lower right): its left edge and top, in axes fractions.
LEGEND = (0.7, 0.25)
#: A note's box on a map, in axes fractions: per character of its longest line, per
#: line, and the padding (12 pt text on the comparison's map panel).
CHAR_W, LINE_H, PAD = 0.0125, 0.055, 0.015


def box_size(text: str) -> tuple[float, float]:
    """About how much of the map (width, height in axes fractions) ``text`` takes."""
    lines = text.split("\n")
    return CHAR_W * max(len(ln) for ln in lines) + PAD, LINE_H * len(lines) + PAD


#: Points per step along a path where a note box is looked for (a long step crosses
#: a box with no iterate in it).
DENSE = 8


def _dense(xy) -> np.ndarray:
    """The path ``xy`` with DENSE points along each step."""
    xy = np.asarray(xy, float)
    if len(xy) < 2:
        return xy
    s = np.linspace(0.0, 1.0, DENSE, endpoint=False)[:, None, None]
    pts = xy[:-1] + s * (xy[1:] - xy[:-1])  # (DENSE, T, 2)
    return np.concatenate([pts.transpose(1, 0, 2).reshape(-1, 2), xy[-1:]])


def free_corner(surface, run, points=(), text: str = "", taken=()) -> str:
    """The place on the map (:data:`CORNERS`, but not those ``taken``: names, or
    ``(name, text)`` of the boxes already there, which it must not overlap) where a
    box of ``text`` covers the fewest path points (and ``points``, e.g. minima and saddles,
    each with a margin of :data:`MARKER` for its marker: each counts as 20 path
    points); the first in order of preference among equals."""
    (x0, x1), (y0, y1) = surface.domain
    xy = np.concatenate([_dense(t.xy) for t in run])
    xy = xy[np.all(np.isfinite(xy), axis=1)]
    u = (xy - (x0, y0)) / (x1 - x0, y1 - y0)  # axes fractions
    p = (np.asarray(points, float).reshape(-1, 2) - (x0, y0)) / (x1 - x0, y1 - y0)
    w, h = box_size(text) if text else (0.45, 0.3)

    def count(corner):
        cx, cy = CORNERS[corner]
        left = cx - w / 2 if abs(cx - 0.5) < 0.01 else (cx if cx < 0.5 else cx - w)
        low = cy if cy < 0.5 else cy - h
        lo, hi = np.array([left, low]), np.array([left + w, low + h])

        def inside(q, margin=0.0):
            return int(np.all((q >= lo - margin) & (q <= hi + margin), axis=1).sum())

        lx, ly = LEGEND
        on_legend = lo[0] + w > lx and lo[1] < ly
        return inside(u) + 20 * inside(p, MARKER) + 1000 * on_legend

    def covers(corner, other_text):  # does this box overlap the box at ``other``?
        a, b = _box(corner, (w, h)), _box(other_text[0], box_size(other_text[1]))
        return bool(np.all(a[0] < b[1]) and np.all(b[0] < a[1]))

    held = [(c, t) for c, t in taken] if taken and isinstance(taken[0], tuple) else []
    names = {c for c, _ in held} if held else set(taken)
    free = [c for c in CORNERS if c not in names]
    return min(free, key=lambda c: count(c) + 1000 * any(covers(c, o) for o in held))


def _box(corner: str, size) -> tuple[np.ndarray, np.ndarray]:
    """The (lower left, upper right) of a box of ``size`` at ``corner``."""
    (cx, cy), (w, h) = CORNERS[corner], size
    left = cx - w / 2 if abs(cx - 0.5) < 0.01 else (cx if cx < 0.5 else cx - w)
    low = cy if cy < 0.5 else cy - h
    return np.array([left, low]), np.array([left + w, low + h])


# -- one function per surface ------------------------------------------------------
def _himmelblau(surface, run) -> list[Claim]:
    """From the start, -g points almost along x: SGD and momentum step along it, the
    adaptive methods onto the diagonal sign(-g) (g/√r = sign g at t = 1); they end at
    different minima, the adaptive ones not at the nearest."""
    by = _by_optimizer(run)
    d = descent_at_start(run)
    along, diagonal = _angle(d), _angle(np.sign(d))
    angles = {name: first_step_angle(t) for name, t in by.items()}
    turns = all(
        _gap(a, diagonal if name in ADAPTIVE else along) <= ANGLE_TOL
        for name, a in angles.items()
    )
    ends = {name: ends_at(surface, t) for name, t in by.items()}
    home = MINIMUM_NAMES[nearest_minimum(surface, run.start)]
    adaptive_ends = {ends[n] for n in by if n in ADAPTIVE}
    plain_ends = {ends[n] for n in by if n not in ADAPTIVE}
    elsewhere = (
        len(adaptive_ends) == 1
        and None not in adaptive_ends
        and home not in adaptive_ends
        and plain_ends <= {home}
    )
    return [
        Claim(
            "the adaptive first step turns onto the diagonal",
            turns,
            {
                "neg_grad": [float(v) for v in d],
                "along": along,
                "diagonal": diagonal,
                "angles": angles,
            },
        ),
        Claim(
            "the adaptive methods reach another minimum than SGD and momentum",
            elsewhere,
            {"ends": ends, "nearest": home},
        ),
    ]


def _saddle(surface, run) -> list[Claim]:
    """At one α for all: RMSprop and Adam escape (f < -1) before SGD and momentum;
    Adagrad, whose r sums every g², after all the others or not at all."""
    steps = escape_steps(run)
    never = run.steps + 1

    def at(name):
        k = steps.get(name)
        return never if k is None else k

    plain = [at(n) for n in ("sgd", "momentum") if n in steps]
    fast = [at(n) for n in ("rmsprop", "adam") if n in steps]
    first = bool(plain and fast and max(fast) < min(plain))
    others = [at(n) for n in steps if n != "adagrad"]
    slow = "adagrad" in steps and (
        steps["adagrad"] is None or at("adagrad") > max(others, default=never)
    )
    rate = same_rate(run)
    return [
        Claim("every optimizer at one α", rate is not None, {"lr": rate}),
        Claim(
            "RMSprop and Adam escape before SGD and momentum; Adagrad last",
            first and slow,
            {"escaped": steps, "below": ESCAPED},
        ),
    ]


def _beale(surface, run) -> list[Claim]:
    """All end near the minimum; Adam's final f - f* is the lowest, SGD's the
    highest."""
    by = _by_optimizer(run)
    gaps = {n: float(t.loss[-1] - surface.min_value) for n, t in by.items()}
    reached = {n: ends_at(surface, t) is not None for n, t in by.items()}
    order = sorted(gaps, key=gaps.get)
    return [
        Claim("every run ends at the minimum", all(reached.values()), {"reached": reached}),
        Claim(
            "Adam ends lowest, SGD highest",
            bool(order) and order[0] == "adam" and order[-1] == "sgd",
            {"final_gap": gaps, "order": order},
        ),
    ]


def spike(traj) -> tuple[int, float] | None:
    """The largest upward spike of ``traj``'s loss after its first tenth (10 steps at
    least): the step at its top and the factor it rose by within SPIKE_WINDOW steps,
    or None when it never rises 100x."""
    with np.errstate(invalid="ignore", divide="ignore"):
        logl = np.log(np.maximum(traj.loss, 1e-300))
    rise = np.full(len(logl), -np.inf)
    for k in range(max(10, len(logl) // 10), len(logl) - 1):
        ahead = logl[k + 1 : k + 1 + SPIKE_WINDOW]
        if np.all(np.isfinite(ahead)) and np.isfinite(logl[k]):
            rise[k] = ahead.max() - logl[k]
    k = int(np.argmax(rise))
    if not rise[k] > np.log(100):
        return None
    top = k + 1 + int(np.argmax(logl[k + 1 : k + 1 + SPIKE_WINDOW]))
    return top, float(np.exp(rise[k]))


#: Where a run is "in the valley" y = x² of Rosenbrock: |y - x²| below this.
VALLEY = 0.3
#: ... within this many steps ("at once").
VALLEY_STEPS = 30


def _rosenbrock(surface, run) -> list[Claim]:
    """Every run is in the curved valley within VALLEY_STEPS steps; RMSprop's loss
    spikes (100x within 10 steps) after its first tenth."""
    entered = {}
    for t in run:
        xy = np.asarray(t.xy, float)
        inside = np.flatnonzero(np.abs(xy[:, 1] - xy[:, 0] ** 2) < VALLEY)
        entered[t.optimizer] = int(inside[0]) if len(inside) else None
    soon = all(k is not None and k <= VALLEY_STEPS for k in entered.values())
    by = _by_optimizer(run)
    found = spike(by["rmsprop"]) if "rmsprop" in by else None
    return [
        Claim(
            "all drop into the curved valley at once",
            soon,
            {"entered": entered, "within": VALLEY_STEPS, "band": VALLEY},
        ),
        Claim(
            "RMSprop's step grows when r forgets the steep wall",
            found is not None,
            {"spike": None if found is None else list(found)},
        ),
    ]


def _quadratic(surface, run) -> list[Claim]:
    """On ½(x² + κy²): SGD's and momentum's tuned settings near their closed forms
    (α within a factor 1.5, β within 0.15); Adagrad leaves the map on its first step
    and is back near the minimum by its third (f - f* below 1% of the start's); RMSprop
    and Adam at an edge of their range."""
    kappa = float(surface.params.get("kappa", 1.0))
    root = np.sqrt(kappa)
    closed = {
        "sgd": {"lr": 2 / (1 + kappa)},
        "momentum": {"lr": 4 / (1 + root) ** 2, "momentum": ((root - 1) / (root + 1)) ** 2},
    }
    by = _by_optimizer(run)
    tuned, near = {}, True
    for name, want in closed.items():
        if name not in by:
            near = False
            continue
        h = by[name].hyperparameters
        if not all(isinstance(h.get(k), (int, float)) for k in want):
            near = False  # a schedule's rate (a string) is no tuned constant
            continue
        tuned[name] = {k: float(h[k]) for k in want}
        near &= 1 / 1.5 <= tuned[name]["lr"] / want["lr"] <= 1.5
        if "momentum" in want:
            near &= abs(tuned[name]["momentum"] - want["momentum"]) <= 0.15
    jump = False
    numbers: dict = {}
    if "adagrad" in by:
        t = by["adagrad"]
        gap = np.asarray(t.loss, float) - surface.min_value
        left = [e for e in exits(surface, run) if e["label"] == t.label]
        numbers = {"lr": float(t.hyperparameters["lr"]), "gap": gap[:4].tolist()}
        if left:
            numbers.update(out=left[0]["out"], step=left[0]["step"])
        jump = bool(
            left
            and left[0]["step"] == 1
            and left[0]["back"]
            and len(gap) > 3
            and gap[3] < 0.01 * gap[0]
        )
    edges = {n: "(edge)" in t.label for n, t in by.items()}
    same = {}
    if "rmsprop" in by and "adagrad" in by:
        h = by["rmsprop"].hyperparameters
        scaled = float(h["lr"]) / np.sqrt(1 - float(h["rho"]))
        a, b = np.asarray(by["rmsprop"].xy, float), np.asarray(by["adagrad"].xy, float)
        same = {
            "scaled_lr": scaled,
            "adagrad_lr": float(by["adagrad"].hyperparameters["lr"]),
            "largest_gap": float(np.nanmax(np.linalg.norm(a - b, axis=1)[2:])),
        }
    return [
        Claim(
            "SGD's and momentum's settings near their closed forms",
            near,
            {"tuned": tuned, "closed": closed},
        ),
        Claim("Adagrad jumps off the map and back to the minimum", jump, numbers),
        Claim(
            "RMSprop and Adam at the end of their range (edge)",
            edges.get("rmsprop", False) and edges.get("adam", False),
            {"edge": edges},
        ),
        Claim(  # r ≈ (1 - ρ) Σ g² while t << 1/(1 - ρ): Adagrad at α/√(1 - ρ)
            "RMSprop at its ρ edge takes Adagrad's path",
            bool(same)
            and abs(same["scaled_lr"] / same["adagrad_lr"] - 1) < 0.1
            and same["largest_gap"] < 0.5,
            same,
        ),
    ]


_CLAIMS_OF = {
    "quadratic": _quadratic,
    "himmelblau": _himmelblau,
    "saddle": _saddle,
    "beale": _beale,
    "rosenbrock": _rosenbrock,
}


def claims(surface, run) -> list[Claim]:
    """The claims a comparison of ``run`` on ``surface`` makes (none for a surface
    without its own)."""
    fn = _CLAIMS_OF.get(surface.name)
    return [] if fn is None else fn(surface, run)


# -- the start map ------------------------------------------------------------------
#: A start map's panel "moves about a minimum" from this share of starts or more.
MOVING_SHARE = 0.05


def moving(surface, panel) -> dict:
    """The starts of a start-map ``panel`` that ended at a minimum (within the map's
    radius) but not within tol: their ``share``, and their median and largest final
    distance to the nearest minimum and median final f - f*."""
    mask = (panel.basin >= 0) & (panel.steps_to_tol < 0)
    if not mask.any():
        return {"share": 0.0, "median_distance": None, "max_distance": None}
    minima = np.array([(m.x, m.y) for m in surface.minima])
    d = np.linalg.norm(panel.final_xy[mask][:, None, :] - minima, axis=-1).min(axis=-1)
    return {
        "share": float(mask.mean()),
        "median_distance": float(np.median(d)),
        "max_distance": float(d.max()),
        "median_gap": float(np.median(panel.final_gap[mask])),
    }


def startmap_claims(surface, smap) -> list[Claim]:
    """The basins differ between optimizers (a start whose minimum is not SGD's, for
    1% of starts or more); RMSprop moves about a minimum from more starts than any
    other (:data:`MOVING_SHARE` at least)."""
    by = {p.optimizer: p for p in smap}
    differ = {}
    if "sgd" in by:
        for name, p in by.items():
            differ[name] = float(np.mean(p.basin != by["sgd"].basin))
    shares = {name: moving(surface, p)["share"] for name, p in by.items()}
    most = max(shares, key=shares.get) if shares else None
    return [
        Claim(
            "the basins differ between optimizers",
            bool(differ) and max(differ.values()) >= 0.01,
            {"differ_from_sgd": differ},
        ),
        Claim(
            "RMSprop still moves about a minimum from many starts",
            most == "rmsprop" and shares[most] >= MOVING_SHARE,
            {"moving": shares},
        ),
    ]


def failing(statement: dict) -> list[str]:
    """The names of the claims in a figure's statement (``meta["figure"]``) that do
    not hold."""
    return [
        c.get("text", c.get("name")) for c in statement.get("claims", ()) if not c["holds"]
    ]
