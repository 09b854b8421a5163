"""``optviz explore --lang zh`` draws its Chinese without a system CJK font: the page
embeds the subset of the shipped font it needs, and Chromium, started with a font
configuration that holds only matplotlib's DejaVu (no CJK font, whatever the machine
has), draws every Chinese character as its own glyph, never as an empty box."""

from __future__ import annotations

import os
import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image

from optviz.explore import explore
from optviz.explore.chromium import ARGS, CHROMIUM
from optviz.plot.webfont import WEB_FAMILY

pytestmark = pytest.mark.slow

#: Characters of the zh page's own texts (title, hint, step counter).
SAMPLE = "优化器步数损失学习率"
_FACE = re.compile(r"@font-face\{[^}]*\}")


@pytest.fixture(scope="module")
def latin_only_browser(playwright_driver, tmp_path_factory):
    """Chromium whose fontconfig knows only matplotlib's DejaVu fonts, launched from the
    session's one Playwright (tests/explore/conftest.py): a second Playwright in the
    same worker would fail."""
    folder = tmp_path_factory.mktemp("fontconfig")
    latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{latin}</dir><cachedir>{folder / 'cache'}</cachedir>"
        "</fontconfig>\n"
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), FONTCONFIG_PATH=str(folder))
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, args=list(ARGS), env=env
    )
    yield browser
    browser.close()


def _open(browser, html: str, path: Path):
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1150, "height": 900}, device_scale_factor=1)
    page.goto(path.as_uri())
    page.wait_for_function("() => window.OPTVIZ !== undefined")
    page.evaluate(f"() => document.fonts.load(\"16px '{WEB_FAMILY}'\", '步')")
    page.evaluate("() => document.fonts.ready")
    page.wait_for_timeout(300)  # the page lays its text out again with the font
    return page


#: Each character drawn alone on a canvas in the page's font list: its pixels.
_GLYPHS = """(chars) => chars.split("").map((ch) => {
  const c = document.createElement("canvas"); c.width = 40; c.height = 40;
  const ctx = c.getContext("2d");
  ctx.font = "32px 'FAMILY', DejaVu Sans, sans-serif"; ctx.textBaseline = "top";
  ctx.fillText(ch, 2, 2);
  return Array.from(ctx.getImageData(0, 0, 40, 40).data.filter((_, i) => i % 4 === 3));
})""".replace("FAMILY", WEB_FAMILY)


@pytest.fixture(scope="module")
def pages(latin_only_browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("zh")
    html = explore("rosenbrock", lang="zh").html
    assert _FACE.search(html), "the zh page embeds no font"
    with_font = _open(latin_only_browser, html, folder / "with.html")
    without = _open(latin_only_browser, _FACE.sub("", html), folder / "without.html")
    yield with_font, without
    with_font.close()
    without.close()


def test_the_browser_has_no_cjk_font_of_its_own(pages):
    _, without = pages
    glyphs = [np.array(g) for g in without.evaluate(_GLYPHS, SAMPLE)]
    # without the embedded face every character is the same empty box (.notdef)
    assert all(np.array_equal(glyphs[0], g) for g in glyphs[1:])


def test_the_embedded_face_loads_and_draws_every_character(pages):
    with_font, _ = pages
    assert with_font.evaluate(f"() => document.fonts.check(\"16px '{WEB_FAMILY}'\", '步')")
    glyphs = [np.array(g) for g in with_font.evaluate(_GLYPHS, SAMPLE)]
    for i, g in enumerate(glyphs):
        assert g.max() > 0, f"{SAMPLE[i]!r} is blank"
        for j in range(i):
            assert not np.array_equal(g, glyphs[j]), f"{SAMPLE[i]!r} draws as {SAMPLE[j]!r}"


def test_the_screenshot_shows_glyphs_not_boxes(pages, tmp_path):
    with_font, without = pages
    shots = []
    for page, name in ((with_font, "with"), (without, "without")):
        path = tmp_path / f"{name}.png"
        box = page.locator("#title").bounding_box()
        page.screenshot(path=str(path), clip=box)
        shots.append(np.asarray(Image.open(path).convert("L"), dtype=float))
    title = with_font.evaluate("() => document.getElementById('title').textContent")
    assert re.search(r"[\u4e00-\u9fff]", title)  # the title is Chinese
    a, b = shots
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    assert np.abs(a[:h, :w] - b[:h, :w]).mean() > 1  # the glyphs are not the boxes


def test_every_chinese_character_of_the_page_is_in_the_embedded_subset():
    import base64
    import io

    from fontTools.ttLib import TTFont

    html = explore("himmelblau", ["sgd", "adam"], lang="zh").html
    data = re.search(r"base64,([A-Za-z0-9+/=]+)", _FACE.search(html).group()).group(1)
    font = TTFont(io.BytesIO(base64.b64decode(data)))
    have = font.getBestCmap()
    ui = Path(__file__).parents[2] / "optviz" / "explore" / "ui.js"
    zh = ui.read_text(encoding="utf-8").split("zh: {", 1)[1].split("\n  },\n", 1)[0]
    missing = {c for c in zh if "\u4e00" <= c <= "\u9fff" and ord(c) not in have}
    assert not missing
    assert len(html.encode()) < 1_000_000  # the page's size limit


def test_every_element_with_chinese_names_the_embedded_face_first(pages):
    with_font, _ = pages
    wrong = with_font.evaluate(
        """(family) => Array.from(document.querySelectorAll("body *")).filter((el) =>
          Array.from(el.childNodes).some((n) => n.nodeType === 3 &&
            /[\\u4e00-\\u9fff]/.test(n.textContent)) &&
          !getComputedStyle(el).fontFamily.startsWith(`"${family}"`)
        ).map((el) => el.tagName + "#" + el.id + "." + el.className)""",
        WEB_FAMILY,
    )
    assert wrong == []
