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


def main(argv=None) -> None:
    args = parse_args(argv)
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
