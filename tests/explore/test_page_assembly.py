"""The page's assembly: placeholders are replaced once, in one pass, and data is only
data: a surface's title or name renders as text whatever it holds (issue: a surface
titled ``/*UI*/`` or ``<!--<script>``, or named ``{{TITLE}}``, broke the page)."""

import dataclasses
import re

import pytest

from optviz.explore import explore
from optviz.surfaces import get

HOSTILE = [
    "/*UI*/",
    "<!--<script>",
    "</script><script>alert(1)</script>",
    "{{TITLE}}",
    "/*DATA*/ {{LANG}} $& $1 \\1 \\g<0>",
]


def _page(text):
    surface = dataclasses.replace(get("booth"), name=text, title=text)
    return explore(surface, ["sgd", "adam"], steps=40).html


@pytest.mark.parametrize("text", HOSTILE)
def test_data_never_opens_or_closes_a_script(text):
    html = _page(text)
    assert html.count("<script") == 2 and html.count("</script>") == 2
    data = html.split('<script id="optviz-data" type="application/json">')[1]
    data = data.split("</script>")[0]
    assert "<" not in data  # every < of the data is \u003c
    # each placeholder was replaced once, the template's, never one in the data
    for code in ("window.OPTVIZ = {", "const RULES", "function runOne(", "header h1 {"):
        assert html.count(code) == 1, code
    assert re.findall(r"<title>(.*)</title>", html) == [
        "optviz explorer: " + text.replace("&", "&amp;").replace("<", "&lt;")
        .replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;")
    ]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("text", HOSTILE)
def test_a_surface_title_or_name_is_only_text(open_page, text):
    surface = dataclasses.replace(get("booth"), name=text, title=text)
    page = open_page(explore(surface, ["sgd", "adam"], steps=40))
    assert page.console == []
    assert page.js("document.title") == f"optviz explorer: {text}"
    assert page.js("document.getElementById('title').textContent").endswith(f": {text}")
    assert page.js("OPTVIZ.data.surface.name") == text
    assert page.js("OPTVIZ.view.trajs.length") == 2
    assert page.js("document.querySelectorAll('script').length") == 2
    assert f"optviz compare {text}" in page.js("document.getElementById('cmd').textContent")
