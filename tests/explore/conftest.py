"""A real browser for the explorer's tests: Debian's chromium, headless, driven by
Playwright; one Playwright and one browser per session.

Skipped only where chromium (or playwright) is absent AND the environment variable
``CI`` is unset: in CI a missing browser is a failure, never a skip.
"""

import json
import os
from importlib import resources

import numpy as np
import pytest

from optviz.explore.chromium import ARGS, CHROMIUM

#: The page's iterates equal Python's within this, relative (see tolerance()).
RTOL = 1e-9


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: needs chromium (tests/explore)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/explore" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright_driver():
    """The one Playwright (sync API) of this process. Playwright's sync API runs an
    event loop of its own, so a second ``sync_playwright()`` started while this one
    runs fails ("using Playwright Sync API inside the asyncio loop"): every browser of
    the explorer's tests is launched from this one."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            raise RuntimeError(f"chromium not found at {CHROMIUM}; CI must install it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_driver):
    b = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=list(ARGS))
    yield b
    b.close()


class Page:
    """A loaded page with its console messages and requests recorded."""

    def __init__(self, page):
        self.page = page
        self.console = []
        self.requests = []
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.console.append(("pageerror", str(e))))
        page.on("request", lambda r: self.requests.append(r.url))

    def js(self, expr, arg=None):
        return self.page.evaluate(expr, arg)


@pytest.fixture(scope="session")
def open_page(browser, tmp_path_factory):
    """open_page(explorer) -> Page: the explorer saved to disk and opened from file://."""
    folder = tmp_path_factory.mktemp("pages")
    count = [0]

    def _open(explorer, viewport=(1150, 1250)):
        count[0] += 1
        path = explorer.save(folder / f"page{count[0]}.html")
        context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, device_scale_factor=1
        )
        page = Page(context.new_page())
        page.page.goto(path.as_uri())
        page.page.wait_for_function("() => window.OPTVIZ !== undefined")
        page.page.wait_for_timeout(50)  # the background image decodes
        return page

    return _open


@pytest.fixture(scope="session")
def harness(browser):
    """harness(surface) -> run(cfgs, start, steps): the page's engine and the surface's
    translated code in a blank page, without the UI (fast, for the big agreement
    matrix). The same files the page embeds."""
    from optviz.explore.page import _surface_module
    from optviz.explore.rules_js import rules_module
    from optviz.optimizers import OPTIMIZERS

    engine = resources.files("optviz.explore").joinpath("engine.js").read_text("utf-8")
    page = browser.new_page()
    page.set_content("<!DOCTYPE html><html><body></body></html>")
    loaded = set()

    def _for(surface):
        key = f"RUN_{surface.name}_{id(surface)}"
        if key not in loaded:
            page.add_script_tag(
                content=f"window.{key} = (function () {{\n{_surface_module(surface)}\n"
                f"{rules_module(OPTIMIZERS.values())}\n"
                f"{engine}\nreturn {{ run: (c, s, n) => runAll(SURFACE, c, s, n), "
                f"surface: SURFACE }};\n}})();"
            )
            loaded.add(key)

        def run(cfgs, start, steps):
            out = page.evaluate(
                f"([c, s, n]) => window.{key}.run(c, s, n).map(T => ({{"
                "x: Array.from(T.x), y: Array.from(T.y), loss: Array.from(T.loss),"
                "lrx: Array.from(T.lrx), lry: Array.from(T.lry), d: T.divergedAt}))",
                [cfgs, list(map(float, start)), steps],
            )
            return [
                {
                    "xy": np.column_stack([_nan(o["x"]), _nan(o["y"])]),
                    "loss": _nan(o["loss"]),
                    "lr": np.column_stack([_nan(o["lrx"]), _nan(o["lry"])]),
                    "diverged_at": o["d"],
                }
                for o in out
            ]

        def values(points):
            return np.array(
                page.evaluate(
                    f"(P) => P.map(p => [window.{key}.surface.value(p[0], p[1]), "
                    f"...window.{key}.surface.grad(p[0], p[1], [0, 0])])",
                    np.asarray(points).tolist(),
                )
            )

        run.values = values
        return run

    yield _for
    page.close()


def _nan(values):
    """JSON turns NaN into null; back to NaN."""
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def page_cfg(label, opt) -> dict:
    """The page's description of an optimizer (what explore() embeds)."""
    from optviz.explore.page import _page_optimizer

    return _page_optimizer(label, opt)


def tolerance(reference: np.ndarray, span: float) -> np.ndarray:
    """RTOL relative, with a floor of RTOL * 1e-3 of the domain's width for
    coordinates that converge to 0 (far below a pixel)."""
    return RTOL * np.maximum(np.abs(reference), 1e-3 * span)


@pytest.fixture
def cfg():
    return page_cfg


def dumps(value) -> str:
    return json.dumps(value)
