r"""The batch size: how far a mini-batch gradient strays from the full one, what a step
costs, and what drawing the batch without replacement changes.

The per-sample gradients are the project's own: the linear-regression surface's
mini-batch sampler (:func:`optviz.surfaces.linear_regression`) with batches of one
gives every sample's gradient once per epoch.
"""

from __future__ import annotations

import numpy as np

from ..records import Lesson, Panel
from .claims import Claim, claims_of

__all__ = ["batch_size"]

#: Batch sizes drawn, mini-batches drawn per size, where the gradients are taken.
SIZES = (1, 2, 4, 5, 8, 10, 20, 40)
DRAWS = 4000


def _per_sample_gradients(surface, at: np.ndarray) -> np.ndarray:
    """Every sample's gradient at ``at``, ``(n, 2)``, from the surface's own sampler
    (one epoch of batches of one; each sample once, in a shuffled order)."""
    n = surface.params["n"]
    grad = surface.minibatch(1, np.random.default_rng(0))
    return np.array([grad(at) for _ in range(n)])


def batch_size(seed: int = 0) -> Lesson:
    r"""The spread of a mini-batch gradient around the full gradient for batch sizes
    1 .. 40 of the 40 samples of the notes' L(w, b) (at the default start), drawn with
    and without replacement, against the closed forms σ/√B and
    σ/√B · √((n − B)/(n − 1)); and how often each sample is used in one epoch of n
    draws with replacement (about 1/e of them not at all).
    """
    from optviz.surfaces.linear_regression import linear_regression

    surface = linear_regression()
    g = _per_sample_gradients(surface, np.asarray(surface.start, dtype=float))
    n = len(g)
    full = g.mean(axis=0)
    sigma = float(np.sqrt(np.mean(np.sum((g - full) ** 2, axis=1))))  # per sample
    rng = np.random.default_rng(seed)
    spread = {"with": [], "without": []}
    for b in SIZES:
        picks = {
            "with": rng.integers(0, n, size=(DRAWS, b)),
            "without": np.argsort(rng.random((DRAWS, n)), axis=1)[:, :b],
        }
        for how, idx in picks.items():
            err = g[idx].mean(axis=1) - full  # (DRAWS, 2)
            spread[how].append(float(np.sqrt(np.mean(np.sum(err**2, axis=1)))))
    sizes = np.array(SIZES)
    used = np.bincount(rng.integers(0, n, size=n), minlength=n)  # one epoch, n draws
    counts = np.bincount(used)
    panels = [
        Panel(
            "noise",
            {
                "size": sizes,
                "with": np.array(spread["with"]),
                "without": np.array(spread["without"]),
            },
            {"sigma": sigma, "samples": n, "draws": DRAWS},
        ),
        Panel(
            "epoch",
            {"times": np.arange(len(counts)), "samples": counts},
            {
                "unused": int(counts[0]),
                "expected_unused": n * (1 - 1 / n) ** n,
                "most": int(len(counts) - 1),
            },
        ),
    ]
    return Lesson("batch-size", panels, {"seed": seed})


@claims_of("batch-size")
def _batch_claims(lesson: Lesson) -> list[Claim]:
    noise = lesson["noise"]
    f, a = noise.facts, noise.arrays
    n, sigma, b = f["samples"], f["sigma"], a["size"]
    with_theory = sigma / np.sqrt(b)
    without_theory = with_theory * np.sqrt((n - b) / (n - 1))
    epoch = lesson["epoch"].facts
    return [
        Claim(
            "with replacement the spread is σ/√B (within 5%)",
            bool(np.allclose(a["with"], with_theory, rtol=0.05)),
            {"measured": a["with"].tolist()},
        ),
        Claim(
            "without replacement it is σ/√B·√((n − B)/(n − 1)), 0 at B = n",
            bool(np.allclose(a["without"], without_theory, rtol=0.05, atol=1e-12)),
            {"measured": a["without"].tolist()},
        ),
        Claim(
            "one epoch of n draws with replacement leaves about n(1 − 1/n)ⁿ samples out",
            bool(abs(epoch["unused"] - epoch["expected_unused"]) < 3 * np.sqrt(n)),
            {"unused": epoch["unused"], "expected": epoch["expected_unused"]},
        ),
    ]
