"""The explorer page in a real browser: loads offline and clean, reacts to the mouse
and the sliders, shows Python's numbers, reproduces itself as a command, and looks
like the still figures."""

import io
import shlex
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
import agreement as A  # noqa: E402

from optviz.cli import main  # noqa: E402
from optviz.explore import explore  # noqa: E402
from optviz.plot.style import COLORS  # noqa: E402
from optviz.records import Run  # noqa: E402
from optviz.run import run_one, run_surface  # noqa: E402
from optviz.spec import build_optimizer, build_optimizers  # noqa: E402
from optviz.surfaces import get  # noqa: E402

# End-to-end: drives the page in chromium.
# Runs with the slow tests (`pytest -m slow`, as CI does).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rosenbrock(open_page):
    return open_page(explore("rosenbrock"))


def _traj(page, i):
    t = f"OPTVIZ.view.trajs[{i}]"
    return page.js(f"[{t}.x, {t}.y].map(a => Array.from(a))")


def _map_point(page, x, y):
    """Page coordinates of the data point (x, y) on the map."""
    box = page.page.locator("#map").bounding_box()
    cx, cy = page.js(f"OPTVIZ.toPx({x}, {y})")
    return box["x"] + cx, box["y"] + cy


def test_page_loads_offline_without_errors(rosenbrock, tmp_path):
    page = rosenbrock
    assert page.console == []
    assert all(url.startswith("file://") for url in page.requests), page.requests
    assert len(page.requests) == 1  # the page itself, nothing else
    assert page.js("document.querySelectorAll('.card').length") == 5
    size = explore("rosenbrock").save(tmp_path / "e.html").stat().st_size
    assert size < 1_000_000


def test_dragging_the_start_moves_every_path(rosenbrock):
    page = rosenbrock
    before = [_traj(page, i) for i in range(5)]
    x, y = _map_point(page, -1.0, 2.0)
    page.page.mouse.move(x, y)
    page.page.mouse.down()
    page.page.mouse.move(*_map_point(page, -0.5, 2.5), steps=4)
    page.page.mouse.up()
    page.page.wait_for_timeout(50)
    start = page.js("OPTVIZ.view.start")
    assert start == pytest.approx([-0.5, 2.5], abs=0.01)
    for i in range(5):
        after = _traj(page, i)
        assert after[0][0] == start[0] and after[1][0] == start[1]
        assert after != before[i]
    assert page.console == []


def test_each_slider_and_switch_changes_its_path(rosenbrock):
    page = rosenbrock
    page.js("OPTVIZ.setStart(-1.2, 1)")
    inputs = page.js(
        "Array.from(document.querySelectorAll('.card input')).map(e => "
        "[Number(e.closest('.card').dataset.opt), e.dataset.key, e.type])"
    )
    keys = {(i, k) for i, k, _ in inputs}
    for need in [(0, "lr"), (1, "momentum"), (3, "rho"), (4, "rho1"), (4, "rho2")]:
        assert need in keys
    for i, key, kind in inputs:
        if key == "visible":
            continue
        before = _traj(page, i)
        sel = f".card[data-opt='{i}'] input[data-key='{key}']"
        if kind == "range":
            page.js(
                f'(() => {{ const e = document.querySelector("{sel}"); '
                "e.value = (Number(e.min) + Number(e.max)) / 2 + Number(e.step) * 7; "
                "e.dispatchEvent(new Event('input')); })()"
            )
        else:
            page.page.locator(sel).click()
        after = _traj(page, i)
        if key == "form":  # the two forms are the same iterates under a constant lr
            assert "form=pytorch" in page.js("OPTVIZ.commands().compare")
            continue
        assert after != before, f"{key} of optimizer {i} did not change its path"
    assert page.console == []


def test_hiding_an_optimizer_removes_it_from_the_command(open_page):
    page = open_page(explore("booth", ["sgd", "adam"]))
    page.page.locator(".card[data-opt='0'] input[data-key='visible']").click()
    assert " -o sgd" not in page.js("OPTVIZ.commands().compare")
    assert " -o adam" in page.js("OPTVIZ.commands().compare")


def test_the_copied_command_gives_the_same_end_points(rosenbrock, tmp_path):
    page = rosenbrock
    page.js("OPTVIZ.setStart(-0.75, 2.25)")
    page.js("OPTVIZ.setHp(4, 'lr', 0.05)")
    page.js("OPTVIZ.setHp(1, 'nesterov', true)")
    page.page.locator("#copy-cli").click()
    # the clipboard answers asynchronously (or the fallback copies at once)
    copied = "() => document.getElementById('copied').textContent === 'copied'"
    page.page.wait_for_function(copied, timeout=5000)
    assert page.console == []
    lines = page.js("document.getElementById('cmd').textContent").splitlines()
    compare = next(line for line in lines if line.startswith("optviz compare"))
    args = shlex.split(compare)[1:] + ["--out", str(tmp_path / "c.png")]
    args += ["--csv", str(tmp_path / "run.npz")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    run = Run.load(tmp_path / "run.npz")
    trajs = page.js("OPTVIZ.view.trajs.map(T => [T.x[T.steps], T.y[T.steps]])")
    assert len(run.trajectories) == 5
    for traj, end in zip(run.trajectories, trajs):
        np.testing.assert_allclose(end, traj.xy[-1], rtol=A.RTOL)
    # and the Python lines
    scope = {}
    exec(page.js("document.getElementById('py').textContent"), scope)
    for traj, end in zip(scope["run"].trajectories, trajs):
        np.testing.assert_allclose(end, traj.xy[-1], rtol=A.RTOL)


def test_the_step_readout_shows_pythons_numbers(open_page):
    specs = ["sgd:lr=0.02", "momentum:lr=0.004,form=pytorch", "adagrad:lr=0.4"]
    specs += ["rmsprop:lr=0.03,rho=0.9", "adam:lr=0.1,bias_correction=false"]
    surface = get("himmelblau")
    page = open_page(explore(surface, specs, start=(-1.0, 0.5), steps=200))
    page.js("OPTVIZ.setHp(4, 'bias_correction', true)")
    page.js("OPTVIZ.setHp(4, 'rho2', 0.99)")
    specs[4] = "adam:lr=0.1,betas=0.9/0.99"
    for i, spec in enumerate(specs):
        _, opt = build_optimizer(spec, surface)
        ref = run_one(surface, opt, np.array([-1.0, 0.5]), 200, record_state=True)
        for k in (1, 2, 37):
            page.js(f"OPTVIZ.view.selected = {i}; OPTVIZ.setK({k})")
            shown = page.js(
                "Array.from(document.querySelectorAll('#explain .v')).map(e => "
                "[e.dataset.name, JSON.parse(e.dataset.v), e.textContent])"
            )
            values = {name: (v, text) for name, v, text in shown}
            want = {
                "g": ref.grad[k - 1],
                "w_prev": ref.xy[k - 1],
                "w": ref.xy[k],
                "dw": ref.xy[k] - ref.xy[k - 1],
                "f": [ref.loss[k]],
            }
            for key in ("v", "b", "r", "s"):
                if key in ref.state and key in values:
                    want[key] = ref.state[key][k]
            if "lr" in values:
                want["lr"] = ref.lr[k]
            for name, expected in want.items():
                got, text = values[name]
                np.testing.assert_allclose(got, expected, rtol=A.RTOL, err_msg=name)
                # the text is Python's number to 6 significant digits
                numbers = [float(t) for t in text.strip("()").split(",")]
                np.testing.assert_array_equal(
                    numbers, [float(f"{e:.6g}") for e in np.ravel(expected)], err_msg=name
                )
    assert page.console == []


def test_chinese_page(open_page):
    page = open_page(explore("rosenbrock", ["adam"], lang="zh"))
    page.js("OPTVIZ.setK(3)")
    text = page.js("document.getElementById('explain').textContent")
    assert "梯度" in text and "二阶矩" in text and "偏差修正" in text
    assert page.js("document.documentElement.lang") == "zh-Hans"
    assert page.console == []


def test_divergence_is_stopped_and_marked(open_page):
    surface = get("quadratic")
    page = open_page(explore(surface, ["sgd:lr=2.5", "adam"]))
    _, opt = build_optimizer("sgd:lr=2.5", surface)
    ref = run_one(surface, opt, np.array(surface.start), surface.steps)
    assert ref.diverged_at > 0
    assert page.js("OPTVIZ.view.trajs[0].divergedAt") == int(ref.diverged_at)
    status = page.js("document.querySelector(\".card[data-opt='0'] .status\").textContent")
    assert status == f"diverged (step {int(ref.diverged_at)})"
    page.js(f"OPTVIZ.view.selected = 0; OPTVIZ.setK({int(ref.diverged_at) + 5})")
    assert "diverged at step" in page.js("document.getElementById('explain').textContent")
    assert page.js("OPTVIZ.view.k") == int(ref.diverged_at) + 5  # still responsive
    assert page.console == []


def _still_background(surface, w, h) -> np.ndarray:
    """The still figures' contour map at w x h pixels, drawn with optviz.plot."""
    from matplotlib.figure import Figure
    from PIL import Image

    from optviz.plot.contours import draw_landmarks, draw_surface
    from optviz.plot.style import style

    with style():
        fig = Figure(figsize=(w / 100, h / 100), dpi=100)
        ax = fig.add_axes((0, 0, 1, 1))
        draw_surface(ax, surface)
        draw_landmarks(ax, surface)
        ax.set_axis_off()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
    return np.asarray(Image.open(buf).convert("RGB"), dtype=float)


def test_screenshot_background_matches_the_still_figure(open_page):
    from PIL import Image

    surface = get("himmelblau")
    page = open_page(explore(surface, ["sgd", "adam"]))
    w, h = page.js("[OPTVIZ.data.map.w, OPTVIZ.data.map.h]")
    box = page.page.locator("#map").bounding_box()
    (x0, _), (_, y1) = surface.domain
    left, top = page.js(f"OPTVIZ.toPx({x0!r}, {y1!r})")
    clip = {"x": box["x"] + left, "y": box["y"] + top, "width": w, "height": h}
    shot = np.asarray(
        Image.open(io.BytesIO(page.page.screenshot(clip=clip))).convert("RGB"), dtype=float
    )
    still = _still_background(surface, w, h)
    # paths and the start dot are on top: compare where neither is drawn
    mask = np.ones((h, w), bool)
    for i in range(2):
        xs, ys = page.js(
            f"[Array.from(OPTVIZ.view.trajs[{i}].x), Array.from(OPTVIZ.view.trajs[{i}].y)]"
        )
        for x, y in zip(xs, ys):
            cx, cy = page.js(f"OPTVIZ.toPx({x}, {y})")
            cx, cy = int(cx - left), int(cy - top)
            mask[max(cy - 9, 0) : cy + 10, max(cx - 9, 0) : cx + 10] = False
    diff = np.abs(shot - still).max(axis=-1)[mask]
    assert mask.mean() > 0.7
    assert diff.mean() < 1.0, diff.mean()
    assert np.mean(diff <= 8) > 0.995
    # the paths in optviz's colours: SGD's first segment is drawn in its blue
    xs, ys = page.js(
        "[OPTVIZ.view.trajs[0].x, OPTVIZ.view.trajs[0].y].map(a => [...a.slice(0, 3)])"
    )
    cx, cy = page.js(f"OPTVIZ.toPx({(xs[1] + xs[2]) / 2}, {(ys[1] + ys[2]) / 2})")
    pixel = shot[int(cy - top), int(cx - left)]
    blue = np.array([int(COLORS["sgd"][k : k + 2], 16) for k in (1, 3, 5)])
    assert np.abs(pixel - blue).max() < 40, pixel


def test_the_first_view_is_optviz_compares_default_run(open_page):
    page = open_page(explore("rosenbrock"))
    surface = get("rosenbrock")
    run = run_surface(surface, build_optimizers([], surface))
    ends = page.js("OPTVIZ.view.trajs.map(T => [T.x[T.steps], T.y[T.steps]])")
    for traj, end in zip(run.trajectories, ends):
        np.testing.assert_allclose(end, traj.xy[-1], rtol=A.RTOL)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_other_kinds_of_surface_open_cleanly(browser, tmp_path, lang):
    """One surface of each kind the page treats differently (no minimum: a linear loss
    axis; f* far from 0; a huge domain; data-built; a cusp), in both languages: no
    console error, every path computed, the readout filled. (Every surface's code and
    iterates are checked in test_agreement.py.)"""
    context = browser.new_context(viewport={"width": 1150, "height": 900})
    kinds = ["monkey_saddle", "goldstein_price", "eggholder"]
    kinds += ["linear_regression", "bukin6", "easom"]
    names = kinds[::2] if lang == "en" else kinds[1::2]
    for name in names:
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        path = explore(name, lang=lang).save(tmp_path / f"{name}.html")
        page.goto(path.as_uri())
        page.evaluate("OPTVIZ.setK(1)")
        assert errors == [], (name, errors)
        assert page.evaluate("OPTVIZ.view.trajs.every(T => isFinite(T.x[0]))"), name
        assert page.evaluate("document.querySelectorAll('#explain .v').length") > 4, name
        page.close()
    context.close()


def test_play_pause_step_and_the_optimizer_under_the_cursor(open_page):
    page = open_page(explore("himmelblau", ["sgd", "adam"], steps=400))
    page.js("OPTVIZ.setK(0)")
    page.page.locator("#play").click()
    page.page.wait_for_function("() => OPTVIZ.view.k > 20")
    page.page.locator("#play").click()  # pause
    k = page.js("OPTVIZ.view.k")
    assert not page.js("OPTVIZ.view.playing")
    page.page.wait_for_timeout(100)
    assert page.js("OPTVIZ.view.k") == k  # paused means paused
    page.page.locator("#fwd").click()
    assert page.js("OPTVIZ.view.k") == k + 1
    assert page.js("Number(document.getElementById('scrub').value)") == k + 1
    page.page.locator("#back").click()
    page.page.locator("#back").click()
    assert page.js("OPTVIZ.view.k") == k - 1
    # hovering Adam's path explains Adam, hovering SGD's explains SGD
    for i, title in ((1, "Adam"), (0, "SGD")):
        x, y = page.js(
            f"[OPTVIZ.view.trajs[{i}].x[{k - 1}], OPTVIZ.view.trajs[{i}].y[{k - 1}]]"
        )
        page.page.mouse.move(*_map_point(page, x, y))
        assert page.js("document.querySelector('#explain h3').textContent").startswith(
            f"The step explained: {title}, t = {k - 1}"
        )
    assert page.console == []


@pytest.mark.parametrize(("lang", "words"), [("en", "Not on this page"), ("zh", "未列出")])
def test_a_rule_the_page_cannot_run_is_named_in_its_footer(open_page, lang, words):
    # Adafactor's and Prodigy's steps need both coordinates at once: the page runs Adam
    # and says which it left out, in the page's language
    page = open_page(explore("rosenbrock", ["adafactor", "adam", "prodigy"], lang=lang))
    assert page.console == []
    assert page.js("document.querySelectorAll('.card').length") == 1
    footer = page.js("document.getElementById('footer').textContent")
    assert words in footer and footer.endswith("adafactor, prodigy.")
