"""Start-up: ``optviz --help`` against importing pyplot, and ``optviz animate`` of the
reference scene against the FuncAnimation + PillowWriter baseline, as whole processes
started from the shell (imports included).

Runs are interleaved (A, B, A, B, ...) so that a busy machine slows both alike; the
ratio of the medians is what counts, never the absolute times.

    python benchmarks/bench_startup.py              # both comparisons
    python benchmarks/bench_startup.py --help-only  # the quick one
    python benchmarks/bench_startup.py --repeats 5

Targets (issue 10): ``optviz --help`` at most 0.25x ``import matplotlib.pyplot``;
``optviz animate`` at least 15x faster than the baseline whole-process (the in-process
ratio, imports excluded, is printed by ``bench_animate.py``; target 30x).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: The reference scene of bench_animate.py, as a command.
ANIMATE = ["animate", "rosenbrock", "--frames", "200", "--fps", "20", "--size", "640x480"]

BASELINE = """
import sys
sys.path.insert(0, {here!r})
import bench_animate as b
surface, run = b._scene()
b.render_baseline(surface, run, 200, {out!r})
"""


def _optviz() -> list[str]:
    found = shutil.which("optviz")
    return [found] if found else [sys.executable, "-m", "optviz"]


def _time(cmd: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def interleaved(a: list[str], b: list[str], repeats: int, env: dict):
    """Median wall times of commands ``a`` and ``b``, run alternately."""
    _time(a, env), _time(b, env)  # warm the file cache
    ta, tb = [], []
    for _ in range(repeats):
        ta.append(_time(a, env))
        tb.append(_time(b, env))
    return statistics.median(ta), statistics.median(tb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--help-only", action="store_true")
    args = parser.parse_args()
    env = dict(os.environ, MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1")
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")

    a, b = interleaved(
        [*_optviz(), "--help"],
        [sys.executable, "-c", "import matplotlib.pyplot"],
        args.repeats,
        env,
    )
    print(
        f"optviz --help {a:.3f} s vs import matplotlib.pyplot {b:.3f} s: "
        f"ratio {a / b:.2f} (target <= 0.25)"
    )
    if args.help_only:
        return
    with tempfile.TemporaryDirectory() as tmp:
        ours = [*_optviz(), *ANIMATE, "--out", f"{tmp}/a.gif", "-q"]
        base = [
            sys.executable,
            "-c",
            BASELINE.format(here=str(HERE), out=f"{tmp}/b.gif"),
        ]
        a, b = interleaved(ours, base, max(1, args.repeats // 2), env)
    print(
        f"optviz animate {a:.2f} s vs FuncAnimation + PillowWriter {b:.2f} s "
        f"(whole processes): {b / a:.1f}x faster (target >= 15x)"
    )


if __name__ == "__main__":
    main()
