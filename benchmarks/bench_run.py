"""Vectorised run vs a Python loop: Adam on 10,000 Rosenbrock starts for 1,000 steps.

    python benchmarks/bench_run.py              # loop over a 200-start sample, scaled up
    python benchmarks/bench_run.py --loop-all   # loop over all 10,000 (minutes)

Both sides call the same `run_one`; the vectorised side advances every start in one
NumPy step, the loop side one start at a time. Prints times and the ratio.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from optviz.optimizers import Adam
from optviz.run import run_one
from optviz.surfaces import get


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=1_000)
    parser.add_argument(
        "--sample",
        type=int,
        default=200,
        help="starts timed in the loop, then scaled (default 200)",
    )
    parser.add_argument("--loop-all", action="store_true")
    args = parser.parse_args()

    surface = get("rosenbrock")
    rng = np.random.default_rng(0)
    (x0, x1), (y0, y1) = surface.domain
    starts = rng.uniform([x0, y0], [x1, y1], size=(args.starts, 2))

    t0 = time.perf_counter()
    batch = run_one(surface, Adam(lr=0.01), starts, args.steps)
    t_vec = time.perf_counter() - t0

    n_loop = args.starts if args.loop_all else min(args.sample, args.starts)
    t0 = time.perf_counter()
    for i in range(n_loop):
        one = run_one(surface, Adam(lr=0.01), starts[i], args.steps)
        if i == 0:
            np.testing.assert_array_equal(one.xy, batch.xy[:, 0])
    t_loop = (time.perf_counter() - t0) * args.starts / n_loop

    scaled = "" if n_loop == args.starts else f" (timed {n_loop} starts, scaled)"
    print(f"Adam, Rosenbrock, {args.starts} starts x {args.steps} steps")
    print(f"  vectorised run : {t_vec:8.2f} s")
    print(f"  one at a time  : {t_loop:8.2f} s{scaled}")
    print(f"  ratio          : {t_loop / t_vec:8.0f}x")


if __name__ == "__main__":
    main()
