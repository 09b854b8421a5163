"""An animation's HTML page: a player (play, pause, step, first and last frame, a
scrubber) whose every frame is the GIF's frame, pixel for pixel; its words in English
or Chinese (drawn with the embedded font)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from PIL import Image

from optviz import recipes
from optviz.plot.webfont import WEB_FAMILY

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def animation():
    kw = dict(steps=60, frames=12, fps=10, hold=(0.5, 1.0), size=(320, 240))
    return recipes.animate("quadratic", ["sgd", "adam"], lang="zh", **kw).animation


@pytest.fixture(scope="module")
def files(animation, tmp_path_factory):
    folder = tmp_path_factory.mktemp("player")
    return animation.save(folder / "a.html"), animation.save(folder / "a.gif")


def test_the_page_holds_every_frame_and_its_words(files, animation):
    page = files[0].read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="frames" type="application/json">(.*?)</script>',
                                page, re.S).group(1))  # fmt: skip
    assert len(data["patches"]) == len(animation) == 12
    assert data["steps"] == animation.steps.tolist()
    assert data["durations"] == [500] + [100] * 10 + [1000]  # held first and last
    for word in ("播放", "后退一步", "前进一步", "第一帧", "最后一帧"):
        assert word in page
    assert f"font-family:'{WEB_FAMILY}'" in page  # the Chinese travels with the page
    assert "http" not in page.split("<body>")[1]  # nothing to load


def _gif_frames(path) -> list[np.ndarray]:
    out = []
    with Image.open(path) as im:
        for i in range(im.n_frames):
            im.seek(i)
            out.append(np.asarray(im.convert("RGB")))
    return out


def test_every_frame_of_the_player_is_the_gifs(browser, files, animation):
    html, gif = files
    frames = _gif_frames(gif)
    page = browser.new_page()
    page.goto(html.as_uri())
    page.wait_for_function("() => window.OPTVIZ_PLAYER && OPTVIZ_PLAYER.shown() === 0")
    read = """() => Array.from(document.getElementById("view").getContext("2d")
        .getImageData(0, 0, 320, 240).data)"""
    for k in (0, 5, 11, 3, 0, 11):  # forwards, then seeks back and forth
        page.evaluate(f"() => OPTVIZ_PLAYER.paint({k})")
        shown = np.array(page.evaluate(read), dtype=np.uint8).reshape(240, 320, 4)[..., :3]
        assert np.array_equal(shown, frames[k]), f"frame {k}"
    page.click("#last")
    assert page.text_content("#counter") == "步数 60 / 60"
    page.click("#back")
    assert page.evaluate("() => OPTVIZ_PLAYER.shown()") == 10
    page.click("#first")
    page.click("#forward")
    assert page.evaluate("() => OPTVIZ_PLAYER.shown()") == 1
    page.click("#play")
    assert page.text_content("#play") == "暂停"
    page.wait_for_function("() => OPTVIZ_PLAYER.shown() >= 3")
    page.click("#play")
    assert page.text_content("#play") == "播放"
    page.close()


def test_the_english_page_says_play(tmp_path):
    anim = recipes.animate("quadratic", ["sgd"], steps=10, frames=3).animation
    page = anim.save(tmp_path / "a.html").read_text(encoding="utf-8")
    assert ">play</button>" in page and "@font-face" not in page
