"""Chinese typography (issue 19): no bold in a Chinese figure, full-width brackets
without gaps, lists of names joined with 、, the CNN captions drawn from the caption
tables alone."""

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from fontTools.ttLib import TTFont  # noqa: E402

from optviz.plot import i18n  # noqa: E402
from optviz.plot._figure import Figure  # noqa: E402


def test_a_chinese_figure_has_no_bold_text():
    fig = Figure()
    ax = fig.subplots()
    ax.set_title("loss", fontweight="bold")
    ax.text(0.5, 0.5, "SGD", fontweight="bold")
    i18n.localize(fig, "zh")
    weights = {t.get_text(): t.get_fontweight() for t in fig.findobj(matplotlib.text.Text)}
    assert weights["SGD"] == "normal"
    assert all(w == "normal" for t, w in weights.items() if t)
    assert "损失" in weights  # the title was translated too


def test_an_english_figure_keeps_its_bold():
    fig = Figure()
    ax = fig.subplots()
    t = ax.text(0.5, 0.5, "SGD", fontweight="bold")
    i18n.localize(fig, "en")
    assert t.get_fontweight() == "bold"


def test_a_list_of_names_is_joined_with_the_enumeration_comma():
    momentum = i18n.translate("Momentum", "zh")
    assert momentum != "Momentum"  # the names are translated item by item
    both = i18n.translate("SGD, Momentum and Adam", "zh")
    assert both == f"SGD、{momentum} 和 Adam"
    assert i18n.translate("Adagrad and RMSprop", "zh") == "Adagrad 和 RMSprop"
    # not a list of names: a formula's arguments keep their comma
    assert i18n.translate("L(w, b) and f", "zh") == "L(w, b) 和 f"


def test_full_width_brackets_sit_close_to_their_text():
    font = TTFont(i18n.SHIPPED_FONT)
    cmap, hmtx, glyf = font.getBestCmap(), font["hmtx"], font["glyf"]
    em = font["head"].unitsPerEm
    for char in "（）":
        name = cmap[ord(char)]
        advance, lsb = hmtx[name]
        glyph = glyf[name]
        assert advance < 0.6 * em  # Droid's is a whole em, 0.3-0.4 em of it white
        assert lsb == glyph.xMin == 160 and advance - glyph.xMax == 160


def test_a_cnn_caption_is_translated_from_the_caption_table_alone():
    locale = Path(i18n.LOCALE_DIR)
    en = json.loads((locale / "en" / "captions.json").read_text(encoding="utf-8"))
    zh = json.loads((locale / "zh" / "captions.json").read_text(encoding="utf-8"))
    cnn = json.loads((locale / "zh" / "cnn.json").read_text(encoding="utf-8"))
    drawn = i18n.drawn_captions("zh")
    for name in ("pooling-shift", "fully-connected", "cnn-architecture"):
        text = en[name]["caption"].removesuffix(".")  # drawn as a title, no full stop
        assert text not in cnn  # stored once: in captions.json
        assert drawn[text] == zh[name]["caption"].removesuffix("。")
        assert i18n.translate(text, "zh") == zh[name]["caption"].removesuffix("。")
