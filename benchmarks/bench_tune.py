"""The fair comparison protocol's speed: ``optviz tune --all`` with its defaults (20
surfaces, 5 optimizers, joint grids of 20 alphas x 6 betas or rhos (Adam: x 3 rho2),
16 starts, budgets up to 1,000 steps, widening and zooms) against the same search one
configuration at a time.

The protocol runs every configuration of an optimizer from every start in one
broadcast run (configurations x starts, shrinking as configurations diverge:
:func:`optviz.tuning.batch.run_grid`). The baseline runs each configuration alone
through the same function (its 16 starts still batched, stopping once they have all
diverged: the kindest loop), for the same number of steps and the same
configurations; it is timed on a sample of configurations per surface and
optimizer and scaled to the number the protocol ran. Prints both and the ratio.

    python benchmarks/bench_tune.py            # the whole suite, in this process
    python benchmarks/bench_tune.py --jobs 2   # on 2 local processes (the CLI's way)
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from optviz.optimizers import DEFAULT_OPTIMIZERS
from optviz.surfaces import SURFACES
from optviz.tuning import tune_suite
from optviz.tuning.batch import run_grid
from optviz.tuning.protocol import plan, random_starts

SAMPLE = 3  # configurations per surface and optimizer timed one at a time


def protocol(jobs: int):
    runner = None
    if jobs != 1:
        from optviz.tuning.parallel import joblib_runner

        runner = joblib_runner(jobs)
    t = time.perf_counter()
    record = tune_suite(None, DEFAULT_OPTIMIZERS, runner=runner)
    return time.perf_counter() - t, record


def one_at_a_time(record) -> float:
    """Seconds the loop would take: per surface and optimizer, SAMPLE configurations
    run alone (16 starts each), scaled to the configurations the protocol ran."""
    rng = np.random.default_rng(0)
    total = 0.0
    surfaces = list(SURFACES.values())
    tasks, _ = plan(surfaces, DEFAULT_OPTIMIZERS, None, record.n_starts, record.budgets)
    for surface, label, proto, _ in tasks:
        search = record[surface.name, label]
        starts = random_starts(surface, record.n_starts, record.seed)
        n = len(search.values)
        pick = rng.choice(n, min(SAMPLE, n), replace=False)
        t = time.perf_counter()
        for i in pick:
            run_grid(surface, proto, search.keys, search.values[i : i + 1], starts,
                     record.budgets, record.tol)  # fmt: skip
        total += (time.perf_counter() - t) * len(search.values) / len(pick)
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    seconds, record = protocol(args.jobs)
    configs = sum(len(s.values) for s in record)
    loop = one_at_a_time(record)
    where = "in this process" if args.jobs == 1 else f"on {args.jobs} local processes"
    print(
        f"optviz tune --all defaults: {len(record.surfaces)} surfaces x "
        f"{len(record.names)} optimizers, {configs:,} configurations x "
        f"{record.n_starts} starts x {max(record.budgets)} steps"
    )
    print(f"  protocol (one broadcast run per optimizer, {where}): {seconds:.1f} s")
    print(f"  one configuration at a time (sampled, scaled): {loop:.0f} s")
    print(f"  ratio: {loop / seconds:.0f}x   (load average at the start: {load:.2f})")


if __name__ == "__main__":
    main()
