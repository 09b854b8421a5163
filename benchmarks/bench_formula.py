"""How long a formula surface takes to be ready: in a fresh process, the import of
what it needs (sympy, scipy.optimize, optviz's run layer) and the build (parse, exact
derivatives, NumPy functions, minima search, the quick learning-rate sweep).

Each formula is measured in its own subprocess, best of ``--repeat`` (CPU time of the
process, so a busy machine does not inflate it; wall time is printed beside).

    python benchmarks/bench_formula.py
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

FORMULAS = (
    "x**2 + 10*y**2",
    "(1 - x)**2 + 100*(y - x**2)**2",
    "(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
    "x**2 + y**2 + 3*sin(3*x)**2",
)

PROBE = """
import json, time
t0, c0 = time.perf_counter(), time.process_time()
import optviz.user_surfaces, optviz.run, sympy, scipy.optimize
t1, c1 = time.perf_counter(), time.process_time()
optviz.user_surfaces.resolve({formula!r})
t2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({{"import_cpu": c1 - c0, "build_cpu": c2 - c1,
                  "import_wall": t1 - t0, "build_wall": t2 - t1}}))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'formula':42} {'import':>8} {'build':>8} {'total':>8}  (CPU s; wall)")
    for formula in FORMULAS:
        r = measure(formula, args.repeat)
        total = r["import_cpu"] + r["build_cpu"]
        wall = r["import_wall"] + r["build_wall"]
        print(
            f"{formula:42} {r['import_cpu']:8.2f} {r['build_cpu']:8.2f} {total:8.2f}"
            f"  ({wall:.2f})"
        )


if __name__ == "__main__":
    main()
