r"""Two lessons on ReLU networks: gradients that grow layer by layer through a deep ReLU
network unless the initialisation is scaled to it (He: Var w = 2/n), and units that die
during training with a large α (their input stays ≤ 0 for every sample, so their
gradient is 0 and they never learn again).

Both use the project's own layers (:mod:`optviz.nn`) and optimizers.
"""

from __future__ import annotations

import numpy as np

from ..nn import Dense, MSELoss, ReLU, Sequential
from ..optimizers import SGD
from ..records import Lesson, Panel
from .claims import Claim, claims_of

__all__ = ["relu_explosion", "dying_relu"]

# -- relu-explosion ------------------------------------------------------------------------
#: Width and depth of the network, its batch, and the weights' standard deviations:
#: N(0, 1), He's sqrt(2/n), and a tenth of 1.
WIDTH, DEPTH, BATCH = 64, 20, 256
STDS = {"N(0, 1)": 1.0, "He: N(0, 2/n)": float(np.sqrt(2 / WIDTH)), "N(0, 0.01)": 0.1}


def _deep_net(std: float, rng) -> Sequential:
    """DEPTH Dense + ReLU layers of WIDTH units, weights N(0, std²), biases 0, then
    one linear output."""
    layers = []
    for _ in range(DEPTH):
        dense = Dense(WIDTH, WIDTH, rng=rng, dtype=np.float64)
        dense.weight[...] = rng.standard_normal(dense.weight.shape) * std
        layers += [dense, ReLU()]
    layers.append(Dense(WIDTH, 1, rng=rng, dtype=np.float64))
    return Sequential(*layers)


def _backward_norms(net: Sequential, x: np.ndarray) -> np.ndarray:
    """‖∂L/∂h_l‖ (the gradient reaching each hidden layer's output h_l, L the mean
    output), l = 1 .. DEPTH, per sample (mean over the batch)."""
    out = net.forward(x)
    grad = np.full_like(out, 1.0 / len(out))
    norms = np.empty(DEPTH)
    layers = net.layers
    grad = layers[-1].backward(grad)  # the output layer: dL/dh_DEPTH
    for k in range(DEPTH, 0, -1):  # layer k, from the output down
        norms[k - 1] = np.mean(np.linalg.norm(grad, axis=1))
        dense, relu = layers[2 * (k - 1)], layers[2 * (k - 1) + 1]
        grad = dense.backward(relu.backward(grad))
    return norms


def relu_explosion(seed: int = 0) -> Lesson:
    r"""‖∂L/∂h_l‖ through a 20-layer ReLU network of width 64 (batch of 256 inputs
    N(0, I), biases 0, L the mean output), for weights N(0, 1), N(0, 2/n) (He) and
    N(0, 0.01).

    Going down one layer multiplies the gradient by Wᵀ and by ReLU's 0 or 1, so
    E‖g_{l−1}‖² = (σ² n/2) E‖g_l‖²: per layer the gradient grows by √(σ² n/2), 5.66
    with σ = 1 and n = 64 (5.66¹⁹ ≈ 2×10¹⁴ over the 19 steps from layer 20 to layer
    1), stays with He's σ² = 2/n, and shrinks by 0.57 with σ = 0.1.
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((BATCH, WIDTH))
    panels = []
    for label, std in STDS.items():
        norms = _backward_norms(_deep_net(std, rng), x)
        ratios = norms[:-1] / norms[1:]  # the factor of each layer going down
        facts = {
            "std": std,
            "factor": float(np.exp(np.mean(np.log(ratios)))),
            "theory": float(np.sqrt(std**2 * WIDTH / 2)),
            "growth": float(norms[0] / norms[-1]),
        }
        panels.append(Panel(label, {"norm": norms, "ratio": ratios}, facts))
    panels.append(Panel("settings", {}, {"width": WIDTH, "depth": DEPTH, "batch": BATCH}))
    return Lesson("relu-explosion", panels, {"seed": seed})


@claims_of("relu-explosion")
def _explosion_claims(lesson: Lesson) -> list[Claim]:
    out = []
    for panel in lesson.panels[:-1]:
        f = panel.facts
        out.append(
            Claim(
                f"{panel.label}: the gradient changes by about √(σ² n/2) per layer",
                abs(f["factor"] / f["theory"] - 1) < 0.1,
                {"measured": f["factor"], "√(σ² n/2)": f["theory"]},
            )
        )
    he = next(p for p in lesson.panels if p.label.startswith("He"))
    big = lesson.panels[0]
    out.append(
        Claim(
            "He's initialisation keeps the gradient within 2x through the depth, "
            "N(0, 1) multiplies it by more than a billion",
            0.5 < he.facts["growth"] < 2 and big.facts["growth"] > 1e9,
            {"He": he.facts["growth"], "N(0, 1)": big.facts["growth"]},
        )
    )
    return out


# -- dying-relu ----------------------------------------------------------------------------
#: The data (n samples in 2-D), the hidden width, the two learning rates compared.
DYING_SAMPLES, DYING_HIDDEN = 256, 64
DYING_ALPHAS = (0.05, 0.1)
#: The dead units are counted again after this many steps (the first, large ones).
EARLY = 10


def _dead(pre: np.ndarray) -> np.ndarray:
    """Which hidden units are dead: their input ≤ 0 for every sample."""
    return np.all(pre <= 0, axis=0)


def dying_relu(steps: int = 200, seed: int = 0) -> Lesson:
    r"""A 2-64-1 ReLU network fitting y = sin(2 x1) + x2 on 256 samples by full-batch
    SGD, at α = 0.05 and at α = 0.1 (He initialisation, the same start; α = 0.2
    diverges).

    A unit is dead when its input w·x + b is ≤ 0 for every sample: its output and its
    gradient are then 0 for the whole data set, so no step changes it again (the
    notes' 神经元死亡). A large step can push many units there at once.
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((DYING_SAMPLES, 2))
    y = (np.sin(2 * x[:, 0]) + x[:, 1])[:, None]
    panels = []
    for alpha in DYING_ALPHAS:
        net = Sequential(
            Dense(2, DYING_HIDDEN),
            ReLU(),
            Dense(DYING_HIDDEN, 1),
            seed=seed,
            dtype=np.float64,
        )
        loss, opt = MSELoss(), SGD(lr=alpha)
        first = net[0]
        dead, losses = [], []
        died_at = np.full(DYING_HIDDEN, -1)
        weights_then = first.weight.copy()
        for t in range(steps + 1):
            out = net.forward(x)
            pre = x @ first.weight.T + first.bias
            now = _dead(pre)
            fresh = now & (died_at < 0)
            died_at[fresh] = t
            weights_then[fresh] = first.weight[fresh]
            dead.append(int(now.sum()))
            losses.append(loss(out, y))
            if t < steps:
                net.backward(loss.backward())
                opt.step(net.parameters(), net.gradients())
        gone = _dead(x @ first.weight.T + first.bias)
        unchanged = bool(np.array_equal(first.weight[gone], weights_then[gone]))
        facts = {
            "alpha": alpha,
            "dead": dead[-1],
            "dead_start": dead[0],
            "dead_early": dead[EARLY],
            "peak": float(np.max(losses)),
            "end_loss": float(losses[-1]),
            "unchanged": unchanged,
        }
        arrays = {"dead": np.array(dead), "loss": np.array(losses), "died_at": died_at}
        panels.append(Panel(f"alpha={alpha:g}", arrays, facts))
    settings = {"hidden": DYING_HIDDEN, "samples": DYING_SAMPLES}
    panels.append(Panel("settings", {}, settings))
    return Lesson("dying-relu", panels, {"steps": steps, "seed": seed})


@claims_of("dying-relu")
def _dying_claims(lesson: Lesson) -> list[Claim]:
    small, large = lesson.panels[0].facts, lesson.panels[1].facts
    return [
        Claim(
            "the large α kills many more units than the small one",
            large["dead"] >= small["dead"] + 10,
            {"small α": small["dead"], "large α": large["dead"]},
        ),
        Claim(
            "a dead unit's weights never change again",
            small["unchanged"] and large["unchanged"],
            {},
        ),
        Claim(
            "the dead count never falls (no unit comes back)",
            all(np.all(np.diff(p.arrays["dead"]) >= 0) for p in lesson.panels[:-1]),
            {},
        ),
    ]
