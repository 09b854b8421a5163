"""How long a formula surface takes to be ready, in a fresh process and from the command.

    python benchmarks/bench_formula.py
    python benchmarks/bench_formula.py --repeat 5 --no-command

Per formula, in its own subprocess (best of ``--repeat``): after the run layer that
every command imports anyway, the import of sympy, then the build (:func:`optviz.
user_surfaces.resolve`: parse, exact derivatives, NumPy functions, minima search, the
quick learning-rate sweep, and whatever they import on the way, such as sympy's own
lazy imports or ``scipy.optimize`` where the minima search needs it). Times are CPU
seconds of the process, so a busy machine inflates them less than wall time (printed
beside).

Then the whole command, ``optviz compare FORMULA -o sgd`` against ``optviz compare
quadratic -o sgd`` (the same figure on a built-in surface), interleaved, best of
``--repeat``: the difference is what the formula costs the user.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMULAS = (
    "x**2 + 10*y**2",
    "(1 - x)**2 + 100*(y - x**2)**2",
    "(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
    "x**2 + y**2 + 3*sin(3*x)**2",
    "abs(x) + 2*abs(y - 1)",
)

PROBE = """
import json, sys, time
import optviz.run, optviz.user_surfaces
t0, c0 = time.perf_counter(), time.process_time()
import sympy
t1, c1 = time.perf_counter(), time.process_time()
optviz.user_surfaces.resolve({formula!r})
t2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({{"import_cpu": c1 - c0, "build_cpu": c2 - c1,
                  "import_wall": t1 - t0, "build_wall": t2 - t1,
                  "scipy": "scipy.optimize" in sys.modules}}))
"""


def measure(formula: str, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(formula=formula)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return min(runs, key=lambda r: r["import_cpu"] + r["build_cpu"])


def command(surface: str, out: Path) -> tuple[float, float]:
    """(CPU, wall) seconds of ``optviz compare SURFACE -o sgd`` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "optviz", "compare", surface, "-o", "sgd", "--out",
         str(out)],
        capture_output=True,
        check=True,
    )  # fmt: skip
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-command", action="store_true")
    args = parser.parse_args()
    print(f"{'formula':42} {'sympy':>6} {'build':>6} {'ready':>6}  (CPU s; wall) scipy")
    for formula in FORMULAS:
        r = measure(formula, args.repeat)
        total = r["import_cpu"] + r["build_cpu"]
        wall = r["import_wall"] + r["build_wall"]
        print(
            f"{formula:42} {r['import_cpu']:6.2f} {r['build_cpu']:6.2f} {total:6.2f}"
            f"  ({wall:.2f})  {'imported' if r['scipy'] else 'not needed'}"
        )
    if args.no_command:
        return
    with tempfile.TemporaryDirectory() as tmp:
        runs = {"x**2 + 10*y**2": [], "quadratic": []}
        for _ in range(args.repeat):
            for surface, times in runs.items():
                times.append(command(surface, Path(tmp) / "figure.png"))
    best = {surface: min(times) for surface, times in runs.items()}
    (fc, fw), (qc, qw) = best.values()
    print(f"\noptviz compare SURFACE -o sgd, best of {args.repeat} (CPU s; wall):")
    print(f"  'x**2 + 10*y**2'  {fc:.2f}  ({fw:.2f})")
    print(f"  quadratic         {qc:.2f}  ({qw:.2f})")
    print(f"  the formula costs {fc - qc:.2f}  ({fw - qw:.2f})")


if __name__ == "__main__":
    main()
