r"""Three lessons on units and their inputs: random initial weights break the symmetry
between hidden units (equal ones never do), inputs that are all positive make every
update move all of a unit's weights the same way (a zig-zag), and PReLU learns the
slope ``a`` that LeakyReLU keeps fixed.

Each trains the project's own layers (:mod:`optviz.nn`) with its optimizers
(:mod:`optviz.optimizers`) and returns a :class:`~optviz.records.Lesson`.
"""

from __future__ import annotations

import numpy as np

from ..nn import Dense, LeakyReLU, MSELoss, PReLU, Sequential, Tanh
from ..optimizers import SGD
from ..records import Lesson, Panel
from .claims import Claim, claims_of

__all__ = ["initialisation", "zero_mean_zigzag", "leaky_prelu"]


# -- initialisation ----------------------------------------------------------------------
#: XOR's four points (targets ±1): no single tanh unit fits them.
XOR_X = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
XOR_Y = np.array([[-1.0], [1.0], [1.0], [-1.0]])
HIDDEN, INIT_ALPHA, EQUAL_WEIGHT = 3, 0.2, 0.5


def _train_xor(net, steps: int):
    """Full-batch SGD on XOR; (each hidden unit's incoming weights per step
    ``(steps + 1, HIDDEN, 2)``, the loss per step ``(steps + 1,)``)."""
    loss, opt = MSELoss(), SGD(lr=INIT_ALPHA)
    first = net[0]
    weights, losses = [first.weight.copy()], []
    for _ in range(steps):
        losses.append(loss(net.forward(XOR_X), XOR_Y))
        net.backward(loss.backward())
        opt.step(net.parameters(), net.gradients())
        weights.append(first.weight.copy())
    losses.append(loss(net.forward(XOR_X), XOR_Y))
    return np.array(weights), np.array(losses)


def initialisation(steps: int = 150, seed: int = 1) -> Lesson:
    r"""A 2-3-1 tanh network trained on XOR by full-batch SGD (α = 0.2), from equal
    weights (every weight 0.5) and from random ones (Xavier, ``seed``), biases 0 in
    both.

    With equal weights every hidden unit computes the same output and gets the same
    gradient, so the units stay equal for ever: the layer works as one unit, and XOR
    needs more. Random weights make the units differ from the first step. The biases
    start equal (0) in both: the notes' "the bias breaks symmetry" is wrong, the
    random weights do.
    """
    panels = []
    for label in ("equal", "random"):
        net = Sequential(
            Dense(2, HIDDEN, init="xavier", rng=seed, dtype=np.float64),
            Tanh(),
            Dense(HIDDEN, 1, init="xavier", rng=seed + 1, dtype=np.float64),
        )
        if label == "equal":
            for p in net.parameters():
                p[...] = EQUAL_WEIGHT if p.ndim == 2 else 0.0
        weights, losses = _train_xor(net, steps)
        spread = np.abs(weights - weights[:, :1]).max(axis=(1, 2))  # units apart
        facts = {
            "spread": float(spread.max()),
            "end_loss": float(losses[-1]),
            "biases_start": 0.0,
        }
        panels.append(Panel(label, {"weights": weights, "loss": losses}, facts))
    settings = {"alpha": INIT_ALPHA, "hidden": HIDDEN, "equal": EQUAL_WEIGHT, "seed": seed}
    panels.append(Panel("settings", {}, settings))
    return Lesson("initialisation", panels, {"steps": steps, "seed": seed})


@claims_of("initialisation")
def _initialisation_claims(lesson: Lesson) -> list[Claim]:
    equal, random = lesson["equal"].facts, lesson["random"].facts
    return [
        Claim(
            "from equal weights the hidden units stay exactly equal at every step",
            equal["spread"] == 0.0,
            {"largest difference": equal["spread"]},
        ),
        Claim(
            "from random weights they differ",
            random["spread"] > 0.1,
            {"largest difference": random["spread"]},
        ),
        Claim(
            "the equal units fit XOR worse (they act as one unit)",
            equal["end_loss"] > 10 * random["end_loss"],
            {"equal": equal["end_loss"], "random": random["end_loss"]},
        ),
    ]


# -- zero-mean-zigzag ---------------------------------------------------------------------
#: One linear unit y = w·x, its target weights, per-sample SGD's α, the samples.
ZIGZAG_TARGET = np.array([1.0, -1.0])
ZIGZAG_ALPHA, ZIGZAG_SAMPLES = 0.5, 200
#: Arrived: |w - w*| below this.
ZIGZAG_NEAR = 0.1


def _unit_path(x: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-sample SGD on a linear unit (a Dense(2, 1) without its bias moving) fitting
    y = w*·x from w = 0: the weights per step and the updates."""
    unit, loss, opt = Dense(2, 1, rng=0, dtype=np.float64), MSELoss(), SGD(lr=ZIGZAG_ALPHA)
    unit.weight[...] = 0.0
    y = x @ ZIGZAG_TARGET
    path = [unit.weight[0].copy()]
    for i in range(steps):
        xi = x[i % len(x)][None]  # one sample: (1, 2)
        loss(unit.forward(xi), y[i % len(x)].reshape(1, 1))
        unit.backward(loss.backward())
        opt.step([unit.weight], [unit.grad_weight])  # the bias stays 0
        path.append(unit.weight[0].copy())
    path = np.array(path)
    return path, np.diff(path, axis=0)


def zero_mean_zigzag(steps: int = 60, seed: int = 0) -> Lesson:
    r"""One linear unit y = w·x learning w* = (1, −1) by per-sample SGD (α = 0.5),
    from inputs that are all positive (x ~ U(0, 1)², like the outputs of a sigmoid or a
    ReLU) and from the same inputs centred (x − 0.5).

    The update of one sample is Δw = −α (w·x − y) x: with x > 0 both components have
    the sign of −(w·x − y), so every step moves w1 and w2 the same way, and reaching
    w* (w1 up, w2 down) takes a zig-zag. Centred inputs allow any direction.
    """
    x = np.random.default_rng(seed).uniform(0, 1, size=(ZIGZAG_SAMPLES, 2))
    panels = []
    for label, inputs in (("positive", x), ("centred", x - 0.5)):
        path, updates = _unit_path(inputs, steps)
        same = np.sign(updates[:, 0]) == np.sign(updates[:, 1])
        dist = np.linalg.norm(path - ZIGZAG_TARGET, axis=1)
        near = np.flatnonzero(dist < ZIGZAG_NEAR)
        facts = {
            "same_sign": float(same.mean()),
            "mean": inputs.mean(axis=0).tolist(),
            "arrived": int(near[0]) if len(near) else None,
            "length": float(np.linalg.norm(updates, axis=1).sum()),
        }
        panels.append(Panel(label, {"path": path, "updates": updates}, facts))
    settings = {
        "alpha": ZIGZAG_ALPHA,
        "target": ZIGZAG_TARGET.tolist(),
        "near": ZIGZAG_NEAR,
    }
    panels.append(Panel("settings", {}, settings))
    return Lesson("zero-mean-zigzag", panels, {"steps": steps, "seed": seed})


@claims_of("zero-mean-zigzag")
def _zigzag_claims(lesson: Lesson) -> list[Claim]:
    pos, cen = lesson["positive"].facts, lesson["centred"].facts
    return [
        Claim(
            "with all-positive inputs every update moves both weights the same way",
            pos["same_sign"] == 1.0,
            {"share": pos["same_sign"]},
        ),
        Claim(
            "with centred inputs about half of the updates move them opposite ways",
            0.25 < 1 - cen["same_sign"] < 0.75,
            {"share same way": cen["same_sign"]},
        ),
        Claim(
            "the path from all-positive inputs is the longer one (it zig-zags)",
            pos["length"] > 1.2 * cen["length"],
            {"positive": pos["length"], "centred": cen["length"]},
        ),
    ]


# -- leaky-prelu -------------------------------------------------------------------------
#: The slope of the data for x <= 0, LeakyReLU's fixed a, PReLU's initial a, SGD's α.
TRUE_SLOPE, LEAKY_A, PRELU_INIT, PRELU_ALPHA = 0.1, 0.01, 0.25, 0.05
PRELU_SAMPLES = 41


def leaky_prelu(steps: int = 80) -> Lesson:
    r"""Fitting y = x (x > 0), 0.1 x (x ≤ 0) on 41 points of [−2, 2] with a LeakyReLU
    (a = 0.01, a hyper-parameter: nothing to learn) and a PReLU (a from 0.25, learned
    by SGD, α = 0.05, through ∂L/∂a = Σ_{x ≤ 0} g·x).

    PReLU's a follows a_{t+1} − a* = (1 − α c)(a_t − a*), c = (2/n) Σ_{x ≤ 0} x²,
    to the least-squares slope a* = 0.1; LeakyReLU's stays 0.01 and its loss with it.
    """
    x = np.linspace(-2, 2, PRELU_SAMPLES)[:, None]  # (n, 1)
    y = np.where(x > 0, x, TRUE_SLOPE * x)
    loss = MSELoss()
    leaky = LeakyReLU(LEAKY_A)
    prelu = PReLU(init=PRELU_INIT, dtype=np.float64)
    opt = SGD(lr=PRELU_ALPHA)
    a, losses = [prelu.a[0]], []
    for _ in range(steps):
        losses.append(loss(prelu.forward(x), y))
        prelu.backward(loss.backward(), input_grad=False)
        opt.step(prelu.parameters(), prelu.gradients())
        a.append(prelu.a[0])
    losses.append(loss(prelu.forward(x), y))
    leaky_loss = loss(leaky.forward(x), y)
    grid = np.linspace(-2, 2, 201)[:, None]
    panels = [
        Panel(
            "data",
            {"x": x[:, 0], "y": y[:, 0], "grid": grid[:, 0]},
            {"slope": TRUE_SLOPE, "samples": PRELU_SAMPLES},
        ),
        Panel(
            "leaky",
            {"a": np.full(steps + 1, LEAKY_A), "f": leaky.forward(grid)[:, 0]},
            {"a": LEAKY_A, "loss": float(leaky_loss)},
        ),
        Panel(
            "prelu",
            {"a": np.array(a), "loss": np.array(losses), "f": prelu.forward(grid)[:, 0]},
            {"a0": PRELU_INIT, "a": float(a[-1]), "loss": float(losses[-1])},
        ),
        Panel("settings", {}, {"alpha": PRELU_ALPHA}),
    ]
    return Lesson("leaky-prelu", panels, {"steps": steps})


@claims_of("leaky-prelu")
def _leaky_prelu_claims(lesson: Lesson) -> list[Claim]:
    leaky, prelu = lesson["leaky"], lesson["prelu"]
    slope = lesson["data"].facts["slope"]
    return [
        Claim(
            "LeakyReLU's a never changes",
            bool(np.all(leaky.arrays["a"] == leaky.facts["a"])),
            {"a": leaky.facts["a"]},
        ),
        Claim(
            "PReLU learns the data's slope",
            abs(prelu.facts["a"] - slope) < 1e-3,
            {"learned a": prelu.facts["a"], "slope": slope},
        ),
        Claim(
            "PReLU ends with a far smaller loss than LeakyReLU",
            prelu.facts["loss"] * 100 < leaky.facts["loss"],
            {"PReLU": prelu.facts["loss"], "LeakyReLU": leaky.facts["loss"]},
        ),
    ]
