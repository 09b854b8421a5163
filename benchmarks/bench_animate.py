"""Animation speed, size and memory: optviz's writer against the tutorial recipe.

The reference scene: Rosenbrock, the five optimizers with the surface's default
learning rates and steps, 200 frames at 20 fps, 640 x 480, the trajectory panel only.

- optviz: ``Animation(...).save("x.gif")`` (background drawn once, moving artists
  blitted, one shared palette, only changed rectangles, frames streamed to the file);
- baseline: what tutorials write: ``plt.subplots``, ``contourf`` + ``contour``, lines and
  head markers updated with ``set_data`` in ``FuncAnimation``, saved with
  ``PillowWriter``. It shows the same frames (same steps), map and colours.

Each measurement runs in a fresh subprocess (imports and the run itself are not timed):
wall time of the render-and-save, file size, and the growth of peak RSS
(``resource.getrusage``) during it. Memory is also shown for 100 and 400 frames.

    python benchmarks/bench_animate.py            # everything (about two minutes)
    python benchmarks/bench_animate.py --quick    # the reference scene only
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

SURFACE = "rosenbrock"
FPS = 20
SIZE = (640, 480)
FRAMES = 200


def _scene():
    from optviz.run import run_surface
    from optviz.spec import build_optimizers
    from optviz.surfaces import get

    surface = get(SURFACE)
    return surface, run_surface(surface, build_optimizers([], surface))


def render_optviz(surface, run, frames: int, path: str) -> None:
    from optviz.plot.animate import Animation

    Animation(surface, run, frames=frames, fps=FPS, size=SIZE).save(path)


def render_baseline(surface, run, frames: int, path: str) -> None:
    """The FuncAnimation + PillowWriter recipe of the tutorials."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation, PillowWriter
    from matplotlib.colors import LogNorm

    from optviz.plot.animate import frame_steps
    from optviz.plot.contours import SURFACE_CMAP, surface_grid
    from optviz.plot.style import color

    steps = frame_steps(run.steps, frames)
    grid = surface_grid(surface)
    norm = LogNorm(grid.levels[0], grid.levels[-1])
    fig, ax = plt.subplots(figsize=(SIZE[0] / 100, SIZE[1] / 100), dpi=100)
    ax.contourf(grid.x, grid.y, grid.z, levels=grid.levels, cmap=SURFACE_CMAP, norm=norm)
    ax.contour(
        grid.x,
        grid.y,
        grid.z,
        levels=grid.levels,
        colors="#4a5a70",
        linewidths=0.5,
        alpha=0.45,
        norm=norm,
    )
    for p in surface.minima:
        ax.plot(p.x, p.y, "*", ms=20, mfc="white", mec="black", zorder=6)
    ax.plot(*run.start, "o", ms=10, mfc="black", mec="white", zorder=7)
    lines, heads = [], []
    for traj in run:
        c = color(traj.optimizer)
        lines += ax.plot([], [], "-", color=c, lw=2.2, label=traj.label)
        heads += ax.plot([], [], "o", ms=9, mfc=c, mec="white", zorder=8)
    ax.legend(loc="upper right")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    counter = ax.set_title("")

    def update(i):
        k = steps[i]
        for traj, line, head in zip(run, lines, heads):
            xy = traj.xy[: k + 1]
            line.set_data(xy[:, 0], xy[:, 1])
            head.set_data([xy[-1, 0]], [xy[-1, 1]])
        counter.set_text(f"step {k} / {run.steps}")
        return lines + heads + [counter]

    anim = FuncAnimation(fig, update, frames=len(steps), interval=1000 / FPS, blit=True)
    anim.save(path, writer=PillowWriter(fps=FPS), dpi=100)
    plt.close(fig)


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes vs KiB


def child(which: str, frames: int, path: str) -> None:
    import matplotlib  # noqa: F401  imports are not part of the measurement
    import matplotlib.animation  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import PIL.GifImagePlugin  # noqa: F401

    import optviz.plot.animate  # noqa: F401

    surface, run = _scene()
    before = _peak_rss_mb()
    start = time.perf_counter()
    (render_optviz if which == "optviz" else render_baseline)(surface, run, frames, path)
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds": seconds,
                "bytes": os.path.getsize(path),
                "rss_growth_mb": _peak_rss_mb() - before,
                "peak_rss_mb": _peak_rss_mb(),
            }
        )
    )


def measure(which: str, frames: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"{which}.gif")
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                which,
                "--frames",
                str(frames),
                "--out",
                path,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="the reference scene only (no 100/400-frame memory runs)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="optviz runs of the reference scene (best time kept)",
    )
    parser.add_argument("--child", choices=["optviz", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--frames", type=int, default=FRAMES, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.frames, args.out)
        return

    print(
        f"reference scene: {SURFACE}, 5 optimizers, {FRAMES} frames, {FPS} fps, "
        f"{SIZE[0]}x{SIZE[1]}, trajectory panel"
    )
    base = measure("baseline", FRAMES)
    ours = min(
        (measure("optviz", FRAMES) for _ in range(args.repeat)), key=lambda r: r["seconds"]
    )
    print(f"{'':10} {'time (s)':>9} {'size (KB)':>10} {'peak RSS growth (MB)':>21}")
    for name, r in (("baseline", base), ("optviz", ours)):
        print(
            f"{name:10} {r['seconds']:9.2f} {r['bytes'] / 1000:10.0f} "
            f"{r['rss_growth_mb']:21.1f}"
        )
    print(
        f"speed-up: {base['seconds'] / ours['seconds']:.1f}x   "
        f"size ratio: {base['bytes'] / ours['bytes']:.1f}x smaller"
    )
    if args.quick:
        return
    print("\npeak RSS growth (MB) by number of frames:")
    print(f"{'frames':>7} {'optviz':>8} {'baseline':>9}")
    for frames in (100, 400):
        o, b = measure("optviz", frames), measure("baseline", frames)
        print(f"{frames:7d} {o['rss_growth_mb']:8.1f} {b['rss_growth_mb']:9.1f}")


if __name__ == "__main__":
    main()
