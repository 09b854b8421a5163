"""Tuning speed: a grid over (alpha, beta) as one broadcast run against one run per setting.

``optviz.tuning.tune`` puts every setting of the grid in one batch (hyper-parameters are
``(N, 1)`` columns against ``(N, 2)`` parameters). The baseline tunes the way a loop
would: one ``track`` per setting. Scene: heavy-ball momentum on the kappa = 20 ravine
(the momentum-ravine figure), 61 alphas x 20 betas = 1,220 settings, 60 steps. The loop
is timed on a sample of settings and scaled; both are timed alternately, three rounds,
and the ratio of the medians printed.

    python benchmarks/bench_tuning.py
"""

from __future__ import annotations

import time

import numpy as np

from optviz.optimizers import Momentum
from optviz.surfaces.quadratic import quadratic
from optviz.sweep import track
from optviz.tuning import tune

ALPHAS = np.geomspace(1e-3, 1.0, 61)
BETAS = np.linspace(0.0, 0.95, 20)
STEPS, START, TOL = 60, (-4.5, 2.5), 1e-4
SAMPLE = 100  # settings timed one at a time, then scaled to the whole grid


def batched(surface) -> float:
    t = time.perf_counter()
    tune(surface, {"m": Momentum()}, {"m": {"lr": ALPHAS, "momentum": BETAS}},
         steps=STEPS, start=START, tol=TOL)  # fmt: skip
    return time.perf_counter() - t


def looped(surface) -> float:
    grid = [(a, b) for a in ALPHAS for b in BETAS]
    pick = np.random.default_rng(0).choice(len(grid), SAMPLE, replace=False)
    t = time.perf_counter()
    for i in pick:
        a, b = grid[i]
        track(surface, Momentum(lr=a, momentum=b), np.array(START), STEPS, tol=TOL)
    return (time.perf_counter() - t) * len(grid) / SAMPLE


def main() -> None:
    surface = quadratic(kappa=20)
    batched(surface)  # warm up
    a, b = [], []
    for _ in range(3):  # alternate, so a busy moment hits both
        a.append(batched(surface))
        b.append(looped(surface))
    ta, tb = float(np.median(a)), float(np.median(b))
    print(
        f"{len(ALPHAS) * len(BETAS)} settings x {STEPS} steps: one broadcast run "
        f"{ta:.3f} s, one run per setting {tb:.2f} s (sampled, scaled): {tb / ta:.0f}x"
    )


if __name__ == "__main__":
    main()
