"""The explorer page: how fast a drag redraws, how big the file is, how long it takes to
write, and (``--agreement``) the full table of page-vs-Python agreement.

Drag: the page for the default surface (Rosenbrock) with the five optimizers and 1,000
steps, opened in Debian's chromium (headless, Playwright). Each "drag event" is what the
page does on a pointer move: recompute every path from the new start and redraw the map,
the two charts, the cards and the step readout; timed inside the page with
``performance.now()``. Also timed: a real mouse drag, 60 moves, each handled in one
animation frame (the page coalesces moves with ``requestAnimationFrame``).

Agreement: every surface of ``optviz list`` x every variant of
tests/explore/agreement.py x three starts x 1,000 steps, page (in chromium) against
``optviz.run.run_one``; for each run that differs by more than 1e-9, the step where it
departs and where Python's own run with 1-ulp gradient noise departs.

    python benchmarks/bench_explore.py               # speed, size, write time
    python benchmarks/bench_explore.py --agreement   # + the agreement table (minutes)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from optviz.explore.chromium import ARGS, CHROMIUM

STEPS = 1000
EVENTS = 200


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def write_and_size() -> None:
    from optviz.explore import explore
    from optviz.surfaces import SURFACES

    with tempfile.TemporaryDirectory() as tmp:
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            explore("rosenbrock").save(Path(tmp) / "e.html")
            times.append(time.perf_counter() - t0)
        size = (Path(tmp) / "e.html").stat().st_size
        median = statistics.median(times)
        print(f"write the default page (rosenbrock): median {median:.2f} s")
        print(f"file size, default page: {size / 1e3:.0f} kB")
        sizes = {}
        for name in SURFACES:
            sizes[name] = len(explore(name).html.encode())
        big = max(sizes, key=sizes.get)
        print(
            f"file size over all {len(sizes)} surfaces: {min(sizes.values()) / 1e3:.0f}"
            f"-{sizes[big] / 1e3:.0f} kB (largest: {big})"
        )


def drag(browser) -> None:
    from optviz.explore import explore

    with tempfile.TemporaryDirectory() as tmp:
        path = explore("rosenbrock", steps=STEPS).save(Path(tmp) / "e.html")
        page = browser.new_page(viewport={"width": 1150, "height": 1250})
        page.goto(path.as_uri())
        page.wait_for_function("() => window.OPTVIZ !== undefined")
        page.evaluate("OPTVIZ.bench(20)")  # warm up the JIT
        total = page.evaluate(f"OPTVIZ.bench({EVENTS})")
        split = page.evaluate(
            f"""(() => {{ const c = [], d = [];
            for (let j = 0; j < {EVENTS}; j++) {{
              OPTVIZ.setStart(-1.5 + j / {EVENTS}, 2.5 - j / {EVENTS});
              c.push(OPTVIZ.view.stats.compute); d.push(OPTVIZ.view.stats.draw); }}
            return [c, d]; }})()"""
        )
        print(
            f"drag event, 5 optimizers x {STEPS} steps, recompute + redraw "
            f"({EVENTS} events): median {statistics.median(total):.1f} ms, "
            f"95th percentile {_pct(total, 0.95):.1f} ms, max {max(total):.1f} ms"
        )
        print(
            f"  of which recompute: median {statistics.median(split[0]):.1f} ms; "
            f"redraw: median {statistics.median(split[1]):.1f} ms"
        )
        # a real mouse drag through the browser's input pipeline
        box = page.locator("#map").bounding_box()
        page.mouse.move(box["x"] + 150, box["y"] + 150)
        page.mouse.down()
        t0 = time.perf_counter()
        for j in range(60):
            page.mouse.move(box["x"] + 150 + 5 * j, box["y"] + 150 + 3 * j)
        page.mouse.up()
        wall = time.perf_counter() - t0
        print(
            f"real mouse drag, 60 moves through playwright: {wall * 1e3 / 60:.1f} ms per "
            "move end to end (includes playwright's round trip)"
        )
        page.close()


def agreement(browser) -> None:
    import numpy as np

    sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "explore"))
    from importlib import resources

    import agreement as A

    from optviz.explore.page import _surface_module
    from optviz.explore.rules_js import rules_module
    from optviz.optimizers import OPTIMIZERS
    from optviz.surfaces import SURFACES

    engine = resources.files("optviz.explore").joinpath("engine.js").read_text("utf-8")
    engine = rules_module(OPTIMIZERS.values()) + "\n" + engine
    page = browser.new_page()
    page.set_content("<html></html>")
    nan = lambda v: np.array([np.nan if a is None else a for a in v], float)  # noqa: E731
    runs = exact = within = amplified = 0
    rows = []
    for name, surface in SURFACES.items():
        key = "R_" + name
        page.add_script_tag(
            content=f"window.{key} = (function () {{ {_surface_module(surface)}\n{engine}\n"
            "return (c, s, n) => runAll(SURFACE, c, s, n).map(T => "
            "[Array.from(T.x), Array.from(T.y)]); })();"
        )
        worst = 0.0
        for spec in A.VARIANTS:
            for start in A.starts(surface):
                ref = A.python_run(surface, spec, start)
                out = page.evaluate(
                    f"([c, s, n]) => window.{key}(c, s, n)",
                    [[A.page_cfg(surface, spec)], list(start), A.STEPS],
                )[0]
                xy = np.column_stack([nan(out[0]), nan(out[1])])
                err = A.rel_error(xy, ref.xy, A.span(surface))
                runs += 1
                exact += bool(np.all((xy == ref.xy) | (np.isnan(xy) & np.isnan(ref.xy))))
                m = float(np.max(err))
                worst = max(worst, m)
                if m <= A.RTOL:
                    within += 1
                    continue
                shadow = A.ulp_shadow(surface, spec, start)
                es = A.rel_error(shadow.xy, ref.xy, A.span(surface))
                amplified += float(np.max(es)) > A.RTOL
                rows.append(
                    f"| {name} | {spec} | ({start[0]:.4g}, {start[1]:.4g}) | "
                    f"{A.first_departure(err)} | {A.first_departure(es)} |"
                )
        print(f"{name:18s} worst relative difference {worst:.1e}", flush=True)
    print(
        f"\n{runs} runs of {A.STEPS} steps: {exact} bit-identical, {within} within "
        f"{A.RTOL:g}, {runs - within} beyond it, of which {amplified} where Python's own "
        "run with 1-ulp gradient noise departs too (amplified rounding)"
    )
    print("\n| surface | SPEC | start | page departs at step | Python + 1 ulp departs at |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreement", action="store_true", help="the full agreement table")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    write_and_size()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(ARGS))
        drag(browser)
        if args.agreement:
            agreement(browser)
        browser.close()


if __name__ == "__main__":
    main()
