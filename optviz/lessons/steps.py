r"""How big a step is, four lessons: a learning rate's decay on mini-batches, how long
r remembers (ρ), what δ does near a minimum, and momentum's sum against Adam's average.

Each function runs the project's optimizers (:mod:`optviz.optimizers`) and returns a
:class:`~optviz.records.Lesson`; its claims are registered below.
"""

from __future__ import annotations

import numpy as np

from ..optimizers import SGD, Adam, Momentum, RMSprop
from ..records import Lesson, Panel
from .claims import Claim, claims_of

__all__ = [
    "lr_decay",
    "decay_rates",
    "delta_role",
    "momentum_sum",
    "DECAY_ALPHA",
    "DECAY_BATCH",
]

# -- lr-decay ----------------------------------------------------------------------------
#: The mini-batch linear regression of the gallery (α, batch size), and the halving.
DECAY_ALPHA, DECAY_BATCH = 0.25, 8
DECAY_EVERY, DECAY_GAMMA = 100, 0.5
#: The floor is the mean of L - L* over this many last steps.
FLOOR_STEPS = 200
#: Iterates drawn around the minimum: the last this many.
CLOUD = 100
#: L - L* is drawn as its mean over this many steps (each step's value jumps by 10x).
WINDOW = 20


def lr_decay(steps: int = 600, seed: int = 0) -> Lesson:
    r"""Mini-batch SGD (batches of 8, no repetition within an epoch) on the notes'
    L(w, b), at a constant α = 0.25 and at α halved every 100 steps
    (:func:`optviz.schedules.step`).

    A constant α keeps the step's noise α·(g_batch − g) however close w is: the loss
    settles on a floor. Decay shrinks the noise with α, so the floor goes.
    """
    from optviz.surfaces.linear_regression import linear_regression

    from ..run import run_surface
    from ..schedules import step

    surface = linear_regression()
    decayed = step(DECAY_ALPHA, step_size=DECAY_EVERY, gamma=DECAY_GAMMA)
    runs = {"constant": SGD(lr=DECAY_ALPHA), "decay": SGD(lr=decayed)}
    panels = []
    t = np.arange(1, steps + 1)
    star = np.array(surface.minima[0].xy, dtype=float)
    for label, opt in runs.items():
        run = run_surface(
            surface, {label: opt}, steps=steps, batch_size=DECAY_BATCH, seed=seed
        )
        traj = run[label]
        gap = traj.loss - surface.min_value  # (steps + 1,) from the start
        alpha = np.full(steps, DECAY_ALPHA) if label == "constant" else decayed(t)
        mean = np.convolve(gap, np.ones(WINDOW) / WINDOW, mode="valid")
        cloud = traj.xy[-CLOUD:]
        facts = {
            "end_gap": float(np.mean(gap[-FLOOR_STEPS:])),
            "end_alpha": alpha[-1],
            "radius": float(np.abs(cloud - star).max()),
        }
        arrays = {"gap": gap, "gap_mean": mean, "alpha": alpha, "cloud": cloud}
        panels.append(Panel(label, arrays, facts))
    facts = {
        "alpha": DECAY_ALPHA,
        "batch": DECAY_BATCH,
        "every": DECAY_EVERY,
        "gamma": DECAY_GAMMA,
        "floor_steps": FLOOR_STEPS,
        "samples": int(surface.params["n"]),
        "window": WINDOW,
    }
    panels.append(Panel("minimum", {"star": star}, facts))
    return Lesson("lr-decay", panels, {"steps": steps, "seed": seed})


@claims_of("lr-decay")
def _lr_decay_claims(lesson: Lesson) -> list[Claim]:
    const, decay = lesson["constant"], lesson["decay"]
    floor, end = const.facts["end_gap"], decay.facts["end_gap"]
    k = lesson["minimum"].facts["floor_steps"]
    gap = const.arrays["gap"]
    half = len(gap) // 2
    earlier = float(np.mean(gap[half - k : half]))
    return [
        Claim(
            "the constant α's loss has stopped falling: its mean over the last steps "
            "is within 2x of the same mean half-way",
            0.5 < floor / earlier < 2,
            {"floor": floor, "half-way": earlier},
        ),
        Claim(
            "decay ends at least 100x below the constant α's floor",
            end * 100 <= floor,
            {"floor": floor, "decay": end},
        ),
        Claim(
            "the decayed α ends smaller than the constant one",
            decay.facts["end_alpha"] < const.facts["end_alpha"],
            {"decay": decay.facts["end_alpha"], "constant": const.facts["end_alpha"]},
        ),
    ]


# -- decay-rates -------------------------------------------------------------------------
#: The gradient: 1 for the first SWITCH steps, then 10x smaller (as near a minimum).
SWITCH, G_BEFORE, G_AFTER = 100, 1.0, 0.1
#: "Recovered": the step is back to at least this share of α.
RECOVERED = 0.5


def _step_sizes(opt, g: np.ndarray, width: int) -> np.ndarray:
    """|Δw| / α of each step of ``opt`` under the gradients ``g`` (one per step, the
    same for each of ``width`` coordinates, whose hyper-parameters may differ)."""
    w = np.zeros(width)
    out = np.empty((len(g), width))
    for i, gi in enumerate(g):
        before = w.copy()
        opt.step(w, np.full(width, gi))
        out[i] = np.abs(w - before) / opt.lr
    return out


def _recovered_after(size: np.ndarray) -> list[int | None]:
    """Steps after the switch until each column's |Δw|/α, once below RECOVERED, is
    back to it (None: not within the run)."""
    out = []
    for col in size[SWITCH:].T:
        low = int(np.argmax(col < RECOVERED))
        back = np.flatnonzero(col[low:] >= RECOVERED)
        out.append(int(low + back[0]) + 1 if len(back) else None)
    return out


def decay_rates(steps: int = 5000, lr: float = 0.01) -> Lesson:
    r"""RMSprop with ρ = 0.9 and 0.99, and Adam with ρ2 = 0.99 and 0.999 (ρ1 = 0.9),
    under a gradient that is 1 for 50 steps, then 0.1.

    The step is α·g/√r: right after the gradient shrinks, r still remembers the old
    g², so the step shrinks 10x and grows back only as r forgets, over about
    1/(1 − ρ) steps.
    """
    g = np.where(np.arange(1, steps + 1) <= SWITCH, G_BEFORE, G_AFTER)
    rhos = np.array([0.9, 0.99])
    rho2s = np.array([0.99, 0.999])
    rms = _step_sizes(RMSprop(lr=lr, rho=rhos), g, 2)
    adam = _step_sizes(Adam(lr=lr, betas=(0.9, rho2s)), g, 2)
    panels = [
        Panel(
            "rmsprop",
            {"step": rms, "rho": rhos},
            {"rho": rhos.tolist(), "recovered": _recovered_after(rms)},
        ),
        Panel(
            "adam",
            {"step": adam, "rho": rho2s},
            {"rho": rho2s.tolist(), "rho1": 0.9, "recovered": _recovered_after(adam)},
        ),
        Panel(
            "gradient",
            {"g": g},
            {
                "switch": SWITCH,
                "before": G_BEFORE,
                "after": G_AFTER,
                "share": RECOVERED,
                "smallest": [float(rms[SWITCH:].min()), float(adam[SWITCH:].min())],
            },
        ),
    ]
    return Lesson("decay-rates", panels, {"steps": steps, "lr": lr})


@claims_of("decay-rates")
def _decay_rates_claims(lesson: Lesson) -> list[Claim]:
    out = []
    for label in ("rmsprop", "adam"):
        facts = lesson[label].facts
        slow, fast = facts["recovered"][1], facts["recovered"][0]
        out.append(
            Claim(
                f"{label}: each recovers within the run, the larger decay rate later",
                fast is not None and slow is not None and slow > fast,
                {"rho": facts["rho"], "steps": facts["recovered"]},
            )
        )
        step = lesson[label].arrays["step"]
        low = step[lesson["gradient"].facts["switch"] :].min(axis=0)
        out.append(
            Claim(
                f"{label}: after g shrinks 10x, the step falls below 0.2 α",
                bool(np.all(low < 0.2)),
                {"smallest step/α": low.tolist()},
            )
        )
    return out


# -- delta-role --------------------------------------------------------------------------
#: f(w) = w²/2 (g = w, curvature 1), from w = 1; RMSprop's α and ρ.
DELTA_ALPHA, DELTA_RHO, DELTA_START = 0.01, 0.5, 1.0
DELTAS = (1e-8, 3e-3, 5e-2)
#: |w| below this counts as arrived (and is not drawn further: it would leave the axes).
ARRIVED = 1e-8


def _arrived(dist: np.ndarray) -> int | None:
    """The step from which |w| stays below ARRIVED (None: it does not)."""
    above = np.flatnonzero(dist >= ARRIVED)
    if len(above) and above[-1] == len(dist) - 1:
        return None
    return int(above[-1]) + 1 if len(above) else 0


def delta_role(steps: int = 400) -> Lesson:
    r"""RMSprop (α = 0.01, ρ = 0.5: r follows g² closely) on f(w) = w²/2 from w = 1,
    for δ = 1e-8, 3e-3 and 0.05: the effective rate α/(√r + δ) and the distance |w|
    to the minimum.

    Near the minimum g → 0 and √r → |g| with it, so the rate α/(√r + δ) grows until the
    step overshoots: with δ < α/2 the iterate ends in the 2-cycle w = ±(α/2 − δ)
    (step α·c/(c + δ) = 2c at c = α/2 − δ), the rate exactly 2 (= 2/λ, the stability
    limit). δ caps the rate at α/δ: with δ ≥ α/2 the iterate settles.
    """
    deltas = np.array(DELTAS)
    w = np.full(len(deltas), DELTA_START)
    opt = RMSprop(lr=DELTA_ALPHA, rho=DELTA_RHO, eps=deltas)
    dist = np.empty((steps + 1, len(deltas)))
    rate = np.empty((steps, len(deltas)))
    dist[0] = np.abs(w)
    for i in range(steps):
        opt.step(w, w.copy())  # g = f'(w) = w
        rate[i] = DELTA_ALPHA / (np.sqrt(opt.state[0].r) + deltas)
        dist[i + 1] = np.abs(w)
    arrived = [_arrived(col) for col in dist.T]
    for j, k in enumerate(arrived):  # not drawn past arrival
        if k is not None:
            dist[k + 1 :, j] = np.nan
            rate[k:, j] = np.nan
    panels = [
        Panel(
            f"delta={d:g}",
            {"dist": dist[:, j], "rate": rate[:, j]},
            {
                "delta": d,
                "arrived": arrived[j],
                "hover": float(np.nanmax(dist[-50:, j])) if arrived[j] is None else None,
                "cap": DELTA_ALPHA / d,
            },
        )
        for j, d in enumerate(DELTAS)
    ]
    facts = {"alpha": DELTA_ALPHA, "rho": DELTA_RHO, "start": DELTA_START}
    facts["arrived_below"] = ARRIVED
    panels.append(Panel("settings", {}, facts))
    return Lesson("delta-role", panels, {"steps": steps})


@claims_of("delta-role")
def _delta_role_claims(lesson: Lesson) -> list[Claim]:
    alpha = lesson["settings"].facts["alpha"]
    out = []
    for panel in lesson.panels[:-1]:
        delta, hover = panel.facts["delta"], panel.facts["hover"]
        rate = panel.arrays["rate"]
        out.append(
            Claim(
                f"δ = {delta:g}: the rate never passes α/δ",
                bool(np.nanmax(rate) <= alpha / delta),
                {"max rate": float(np.nanmax(rate)), "α/δ": alpha / delta},
            )
        )
        if delta < alpha / 2:
            out.append(
                Claim(
                    f"δ = {delta:g} < α/2: |w| ends at α/2 − δ",
                    hover is not None and abs(hover / (alpha / 2 - delta) - 1) < 0.01,
                    {"|w|": hover, "α/2 − δ": alpha / 2 - delta},
                )
            )
        else:
            out.append(
                Claim(
                    f"δ = {delta:g} ≥ α/2: |w| falls below the arrival mark",
                    panel.facts["arrived"] is not None,
                    {"arrived at step": panel.facts["arrived"]},
                )
            )
    return out


# -- momentum-sum-vs-adam-average ------------------------------------------------------
SUM_ALPHA, SUM_BETA, SUM_G = 0.1, 0.9, 1.0
#: Past gradients whose weights are drawn.
WEIGHTS_SHOWN = 40


def momentum_sum(steps: int = 60) -> Lesson:
    r"""Heavy-ball momentum (β = 0.9) and Adam (ρ1 = 0.9) under a constant gradient
    g = 1, α = 0.1: the step each takes, in units of α·g, and the weight each gives the
    gradient of k steps ago.

    Momentum's v = −α Σ β^k g_{t−k} is an unnormalised sum (weights summing to
    1/(1 − β) = 10: the step grows to 10 α g); Adam's s = (1 − ρ1) Σ ρ1^k g_{t−k} is
    a normalised average (weights summing to 1 − ρ1^t, which ŝ divides out: the step
    stays α). The notes stop at "此处并没有计算梯度的一阶矩，因为实际上" (momentum computes
    no first moment, because in fact ...): because v is a sum, not an average.
    """
    g = np.full(1, SUM_G)
    mom, adam = Momentum(lr=SUM_ALPHA, momentum=SUM_BETA), Adam(lr=SUM_ALPHA)
    wm, wa = np.zeros(1), np.zeros(1)
    heavy, s, s_hat = (np.empty(steps) for _ in range(3))
    rho1 = adam.betas[0]
    for i in range(steps):
        mom.step(wm, g)
        adam.step(wa, g)
        heavy[i] = -mom.state[0].v[0] / (SUM_ALPHA * SUM_G)
        s[i] = adam.state[0].s[0] / SUM_G
        s_hat[i] = s[i] / (1 - rho1 ** (i + 1))
    k = np.arange(WEIGHTS_SHOWN)
    panels = [
        Panel(
            "momentum",
            {"step": heavy, "weights": SUM_BETA**k},
            {"beta": SUM_BETA, "sum": 1 / (1 - SUM_BETA), "end": float(heavy[-1])},
        ),
        Panel(
            "adam",
            {"s": s, "s_hat": s_hat, "weights": (1 - rho1) * rho1**k},
            {"rho1": rho1, "sum": 1.0, "end": float(s_hat[-1])},
        ),
        Panel("settings", {}, {"alpha": SUM_ALPHA, "g": SUM_G, "steps": steps}),
    ]
    return Lesson("momentum-sum-vs-adam-average", panels, {"steps": steps})


@claims_of("momentum-sum-vs-adam-average")
def _momentum_sum_claims(lesson: Lesson) -> list[Claim]:
    mom, adam = lesson["momentum"], lesson["adam"]
    beta, rho1 = mom.facts["beta"], adam.facts["rho1"]
    t = len(mom.arrays["step"])
    return [
        Claim(
            "momentum's step after t steps is (1 − β^t)/(1 − β) α g",
            bool(np.isclose(mom.facts["end"], (1 - beta**t) / (1 - beta))),
            {"measured": mom.facts["end"], "closed form": (1 - beta**t) / (1 - beta)},
        ),
        Claim(
            "Adam's ŝ equals g at every step (its weights sum to 1)",
            bool(np.allclose(adam.arrays["s_hat"], 1.0)),
            {"ŝ/g at the end": adam.facts["end"]},
        ),
        Claim(
            "Adam's s (uncorrected) is (1 − ρ1^t) g",
            bool(np.allclose(adam.arrays["s"], 1 - rho1 ** np.arange(1, t + 1))),
            {"s/g at t = 1": float(adam.arrays["s"][0])},
        ),
    ]
