"""Vectorised sweep and start map vs the same runs one configuration at a time.

    python benchmarks/bench_sweep.py                 # defaults below, loops sampled
    python benchmarks/bench_sweep.py --loop-all      # time every one-at-a-time run

1. Learning-rate sweep: 5 optimizers x 50 learning rates x 1,000 steps on Rosenbrock,
   from its default start. Vectorised: `lr_sweep`, one (50, 2) batch per optimizer.
2. Start map: a 200 x 200 grid of starts x 5 optimizers x 500 steps on Himmelblau.
   Vectorised: `start_map`, one (200, 200, 2) batch per optimizer.

The one-at-a-time side runs the very same loop (`optviz.sweep.track`, no history) on
one configuration at a time: one learning rate, or one start. Unless --loop-all, it
times a sample of them (--sweep-sample learning rates per optimizer, --map-sample
starts per optimizer), checks they match the batch, and scales the time up to the full
count; the output says so.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from optviz.optimizers import DEFAULT_OPTIMIZERS
from optviz.spec import build_optimizers
from optviz.startmap import start_grid, start_map
from optviz.surfaces import get
from optviz.sweep import lr_grid, lr_sweep, track, with_lr


def bench_sweep(args) -> None:
    surface = get("rosenbrock")
    optimizers = build_optimizers(list(DEFAULT_OPTIMIZERS), surface)
    lrs = lr_grid(1e-6, 10.0, args.lrs)
    t0 = time.perf_counter()
    sweep = lr_sweep(surface, optimizers, lrs, steps=args.sweep_steps)
    t_vec = time.perf_counter() - t0

    n = len(lrs) if args.loop_all else min(args.sweep_sample, len(lrs))
    pick = np.linspace(0, len(lrs) - 1, n).round().astype(int)
    t0 = time.perf_counter()
    for label, proto in optimizers.items():
        for i in pick:
            one = track(surface, with_lr(proto, lrs[i]), surface.start, args.sweep_steps)
            np.testing.assert_allclose(one.final_xy, sweep[label].final_xy[i], rtol=1e-12)
    t_loop = (time.perf_counter() - t0) * len(lrs) / n
    runs = len(optimizers) * len(lrs)
    scaled = "" if n == len(lrs) else f" (timed {n} of {len(lrs)} rates each, scaled)"
    print(
        f"Learning-rate sweep: Rosenbrock, {len(optimizers)} optimizers x {len(lrs)} "
        f"learning rates x {args.sweep_steps} steps = {runs} runs"
    )
    print(f"  vectorised (lr_sweep) : {t_vec:8.2f} s")
    print(f"  one at a time (track) : {t_loop:8.2f} s{scaled}")
    print(f"  ratio                 : {t_loop / t_vec:8.1f}x")


def bench_map(args) -> None:
    surface = get(args.map_surface)
    optimizers = build_optimizers(list(DEFAULT_OPTIMIZERS), surface)
    t0 = time.perf_counter()
    smap = start_map(surface, optimizers, grid=args.grid, steps=args.map_steps)
    t_vec = time.perf_counter() - t0

    starts = start_grid(surface, args.grid).reshape(-1, 2)
    total = len(starts)
    n = total if args.loop_all else min(args.map_sample, total)
    pick = np.random.default_rng(0).choice(total, n, replace=False)
    t0 = time.perf_counter()
    for label, opt in optimizers.items():
        final = smap[label].final_xy.reshape(-1, 2)
        for i in pick:
            one = track(surface, opt, starts[i], args.map_steps)
            np.testing.assert_allclose(one.final_xy, final[i], rtol=1e-12)
    t_loop = (time.perf_counter() - t0) * total / n
    scaled = "" if n == total else f" (timed {n} of {total} starts each, scaled)"
    print(
        f"Start map: {surface.title}, {args.grid}x{args.grid} starts x "
        f"{len(optimizers)} optimizers x {args.map_steps} steps = "
        f"{total * len(optimizers)} runs"
    )
    print(f"  vectorised (start_map): {t_vec:8.2f} s")
    print(f"  one at a time (track) : {t_loop:8.2f} s{scaled}")
    print(f"  ratio                 : {t_loop / t_vec:8.0f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lrs", type=int, default=50)
    parser.add_argument("--sweep-steps", type=int, default=1000)
    parser.add_argument(
        "--sweep-sample",
        type=int,
        default=10,
        help="learning rates per optimizer timed one at a time (default 10)",
    )
    parser.add_argument("--grid", type=int, default=200)
    parser.add_argument("--map-steps", type=int, default=500)
    parser.add_argument("--map-surface", default="himmelblau")
    parser.add_argument(
        "--map-sample",
        type=int,
        default=100,
        help="starts per optimizer timed one at a time (default 100)",
    )
    parser.add_argument(
        "--loop-all",
        action="store_true",
        help="time every one-at-a-time run (the map takes a while)",
    )
    args = parser.parse_args()
    bench_sweep(args)
    print()
    bench_map(args)


if __name__ == "__main__":
    main()
