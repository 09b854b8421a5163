"""``optviz train`` as a whole process: optviz's own BLAS thread choice against one
thread and against all threads, side by side.

Three settings, run interleaved (A, B, C, C, B, A, ...) so that they share the
machine's moods:

- ``default``: ``optviz train`` as a user runs it (optviz chooses the threads per
  matrix product, :mod:`optviz.nn.threads`);
- ``one``: ``OPENBLAS_NUM_THREADS=1`` (the issue's workaround);
- ``all``: every product on all cores (what OpenBLAS does when nobody chooses; set
  through :func:`optviz.nn.threads.fix_threads`).

Usage::

    python benchmarks/bench_train_threads.py                  # as the machine is
    python benchmarks/bench_train_threads.py --load 1         # plus one busy-loop process
    python benchmarks/bench_train_threads.py --epochs 20 --rounds 3
    python benchmarks/bench_train_threads.py --products        # single products

Prints each run's wall time, the median per setting and the ratios to the best
setting. The default training (five optimizers on the digits) is reduced to
``--epochs`` (default 4): the same matrix sizes, fewer of them. With ``--load N``, N
processes spinning in a Python loop run beside the measurement (and are stopped at the
end), to play a busy machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

SETTINGS = ("default", "one", "all")

#: The child: fix the threads if asked, then run the optviz command line.
CHILD = """
import sys
fixed = sys.argv[1]
if fixed != "choose":
    from optviz.nn.threads import fix_threads
    fix_threads(int(fixed))
from optviz.cli import main
sys.argv = ["optviz", *sys.argv[2:]]
main()
"""


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", type=int, default=4, help="epochs of optviz train")
    p.add_argument("--rounds", type=int, default=3, help="runs of each setting")
    p.add_argument("--load", type=int, default=0, help="busy-loop processes beside")
    p.add_argument(
        "--products",
        action="store_true",
        help="time single matrix products of the CNN's sizes instead (the thresholds)",
    )
    p.add_argument(
        "--settings",
        default=",".join(SETTINGS),
        help="which of default,one,all to run (e.g. default,one: all threads can take "
        "minutes on a loaded machine)",
    )
    args = p.parse_args(argv)
    args.settings = tuple(s.strip() for s in args.settings.split(",") if s.strip())
    unknown = sorted(set(args.settings) - set(SETTINGS))
    if unknown or not args.settings:
        p.error(f"--settings takes names from {', '.join(SETTINGS)}, got {unknown}")
    return args


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def command(setting: str, out: str, epochs: int) -> tuple[list[str], dict]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    }
    fixed = {"default": "choose", "one": "choose", "all": str(cores())}[setting]
    if setting == "one":
        env["OPENBLAS_NUM_THREADS"] = "1"
    args = ["train", "--epochs", str(epochs), "--out", out, "--quiet"]
    return [sys.executable, "-c", CHILD, fixed, *args], env


#: (m, k, n) of products the CNN makes: the digits network at batch 64 (conv 1 forward,
#: conv 2 forward and its two backward products, the dense layer), the same at batch 512,
#: MNIST's second convolution at batch 64, and square ones for scale.
PRODUCTS = (
    (32, 9, 4096),
    (64, 288, 1024),
    (64, 1024, 288),
    (288, 64, 1024),
    (64, 256, 10),
    (32, 9, 32768),
    (64, 288, 8192),
    (16, 72, 25088),
    (256, 256, 256),
    (512, 512, 512),
)


def products(rounds: int) -> None:
    """Single float32 products on 1 thread and on all threads, interleaved; the best
    of ``rounds`` each (the moments the other cores were free), and what optviz's size
    rule picks (``free cores``: as many threads as :func:`free_cores` finds)."""
    import numpy as np

    from optviz.nn import threads

    n_all = cores()
    rng = np.random.default_rng(0)
    print(f"single products, best of {rounds} rounds, 1 vs {n_all} threads:")
    print(
        f"  {'m x k x n':>18s} {'mult-adds':>10s} {'1 thread':>9s} {'all':>9s} "
        f"{'all/1':>6s}  optviz picks"
    )
    for m, k, n in PRODUCTS:
        a = rng.standard_normal((m, k)).astype(np.float32)
        b = rng.standard_normal((k, n)).astype(np.float32)
        reps = max(3, int(2e8 // (m * k * n)))
        best = {1: float("inf"), n_all: float("inf")}
        for _ in range(rounds):
            for t in best:
                threads.fix_threads(t)
                threads.matmul(a, b)
                start = time.perf_counter()
                for _ in range(reps):
                    threads.matmul(a, b)
                best[t] = min(best[t], (time.perf_counter() - start) / reps)
        threads.fix_threads(None)
        picks = "free cores" if threads.big_enough(m, k, n) else "1"
        print(
            f"  {f'{m} x {k} x {n}':>18s} {m * k * n:10.1e} {best[1] * 1e6:7.0f}us "
            f"{best[n_all] * 1e6:7.0f}us {best[n_all] / best[1]:6.2f}  {picks}"
        )


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.products:
        products(args.rounds)
        return
    busy = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(args.load)
    ]
    times: dict[str, list[float]] = {s: [] for s in args.settings}
    try:
        time.sleep(1.0 if busy else 0.0)
        print(
            f"optviz train --epochs {args.epochs} (5 optimizers, digits), {cores()} cores, "
            f"{args.load} busy-loop process(es) beside, load average "
            f"{os.getloadavg()[0]:.1f} at the start"
        )
        with tempfile.TemporaryDirectory() as tmp:
            for r in range(args.rounds):
                # A, B, C then C, B, A: no setting always runs first
                order = args.settings if r % 2 == 0 else args.settings[::-1]
                for setting in order:
                    cmd, env = command(setting, os.path.join(tmp, setting), args.epochs)
                    start = time.perf_counter()
                    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
                    seconds = time.perf_counter() - start
                    times[setting].append(seconds)
                    print(f"  round {r + 1}  {setting:>7s}: {seconds:7.2f} s", flush=True)
    finally:
        for p in busy:
            p.kill()
            p.wait()
    medians = {s: statistics.median(t) for s, t in times.items()}
    best = min(medians.values())
    print("median of the rounds, and the ratio to the best setting:")
    for s in args.settings:
        print(f"  {s:>7s}: {medians[s]:7.2f} s  {medians[s] / best:5.2f}x")
    for other, words in (("one", "one thread"), ("all", "all threads")):
        if "default" in medians and other in medians:
            print(f"default / {words}: {medians['default'] / medians[other]:.2f}")


if __name__ == "__main__":
    main()
