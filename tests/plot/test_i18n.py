"""Chinese figures: whole-sentence translation, no English left, a font that always
draws them (the system's CJK fonts hidden, as on a machine that has none)."""

from __future__ import annotations

import json
import logging
import re
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from optviz import gallery
from optviz.plot import i18n

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@pytest.fixture
def only_shipped_font(monkeypatch):
    """matplotlib sees its own DejaVu fonts and nothing else: no system font at all."""
    fm = font_manager.fontManager
    data = matplotlib.get_data_path()
    monkeypatch.setattr(fm, "ttflist", [f for f in fm.ttflist if f.fname.startswith(data)])
    monkeypatch.setattr(i18n, "_system_cjk_fonts", lambda: [])
    fm._findfont_cached.cache_clear()
    assert i18n.cjk_font() == "Optviz CJK"
    yield
    fm._findfont_cached.cache_clear()


@pytest.fixture
def no_missing_glyphs(caplog):
    """Fails the test if any glyph is drawn as a placeholder box: matplotlib warns for
    text, and logs for the words around a $...$ formula (mathtext)."""
    caplog.set_level(logging.WARNING, logger="matplotlib.mathtext")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing")
        yield
    records = caplog.get_records("setup") + caplog.get_records("call")
    missing = [r.getMessage() for r in records if "glyph" in r.getMessage()]
    assert not missing, missing[:3]


def rgb(fig) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def text_figure(text: str) -> Figure:
    fig = Figure(figsize=(4, 1), dpi=100)
    fig.text(0.05, 0.4, text, fontsize=20)
    return fig


# -- the catalogue ------------------------------------------------------------------
def test_exact_sentences_and_patterns():
    assert i18n.translate("with bias correction") == "有偏差修正"
    assert i18n.translate("step 7 / 120") == "第 7 / 120 步"
    # a placeholder's value is itself translated: a surface's name, an optimizer's
    assert (
        i18n.translate("the first 12 steps on Quadratic bowl (κ = 10)")
        == "在二次碗形函数（κ = 10）上的前 12 步"
    )
    assert i18n.translate("Momentum  α=0.02") == "动量法  α=0.02"
    assert i18n.translate("Rosenbrock:  $(1-x)^2$") == "Rosenbrock 函数：  $(1-x)^2$"
    # lines that match nothing as a whole are translated one by one
    assert (
        i18n.translate("SGD  α=0.01\nconverged 54%, diverged 0%")
        == "SGD  α=0.01\n收敛 54%，发散 0%"
    )
    assert i18n.translate("no such label") == "no such label"
    assert i18n.translate("with bias correction", "en") == "with bias correction"
    with pytest.raises(ValueError, match="lang must be one of en, zh, got 'fr'"):
        i18n.translate("loss", "fr")


def test_the_notes_terms_and_the_issues_fixes():
    zh = i18n.catalogue("zh")
    assert zh["Momentum"] == "动量法"  # the method, not the quantity
    assert "山谷" in i18n.translate(
        "Momentum in a ravine: SGD zig-zags across it, momentum damps the zig-zag"
    )
    assert "置信度" in zh["confident and wrong:"]
    assert i18n.translate("$s$ (starts at 0)") == "$s$（从 0 开始）"  # not 起点
    assert i18n.translate("training (epoch mean)") == "训练集（每轮的平均值）"
    captions = [c for entry in i18n.captions("zh").values() for c in entry.values()]
    wrong = ("峡谷", "自信", "二元损失", "保持稳定", "平均掉", "直线下降", "到达同一位置")
    for text in [*zh.values(), *captions]:
        assert not [w for w in wrong if w in text], text
    assert any("累加和" in c and "笔记" in c for c in captions)  # the notes are wrong
    assert any("0.999" in c and "0.99）" in c for c in captions)


def test_every_file_of_the_folder_is_merged(tmp_path, monkeypatch):
    folder = tmp_path / "zh"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps({"loss": "损失"}), encoding="utf-8")
    (folder / "b.json").write_text(json.dumps({"step {k}": "第 {k} 步"}), encoding="utf-8")
    (folder / "captions.json").write_text(json.dumps({"loss": {"title": "x"}}))
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert i18n._load("zh") == {"loss": "损失", "step {k}": "第 {k} 步"}
    (folder / "c.json").write_text(json.dumps({"loss": "损失函数"}), encoding="utf-8")
    with pytest.raises(ValueError, match="'loss' is translated differently in a.json"):
        i18n._load("zh")
    (folder / "c.json").write_text(json.dumps({"step {n}": "第 {k} 步"}), encoding="utf-8")
    with pytest.raises(ValueError, match="c.json: 'step {n}' and its translation name"):
        i18n._load("zh")
    (folder / "c.json").write_text(json.dumps({"loss": ["损失"]}), encoding="utf-8")
    with pytest.raises(ValueError, match="c.json must be one flat JSON object"):
        i18n._load("zh")


def test_captions_cover_every_gallery_entry():
    captions = i18n.captions("zh")
    assert set(gallery.NAMES) <= set(captions)
    for name, entry in captions.items():
        assert set(entry) == {"title", "caption"}, name
        assert CJK.search(entry["caption"]), name


def test_untranslated_finds_english_outside_maths_and_names():
    fig = Figure()
    ax = fig.subplots()
    ax.set_title("Adam  α=0.1: $\\hat s = s/(1-\\rho_1^t)$")  # a name and maths: fine
    ax.set_xlabel("步数 t")
    ax.set_ylabel("learning rate")
    assert i18n.untranslated(fig) == ["learning rate"]


# -- the font -------------------------------------------------------------------------
def catalogue_strings() -> list[str]:
    out = list(i18n.catalogue("zh").values())
    for entry in i18n.captions("zh").values():
        out += list(entry.values())
    return out


def test_the_shipped_font_has_every_character_of_the_catalogue():
    cmap = TTFont(i18n.SHIPPED_FONT).getBestCmap()
    missing = {
        c
        for text in catalogue_strings()
        for c in "".join(text.split("$")[::2])  # maths is drawn by mathtext's fonts
        if ord(c) not in cmap and not c.isspace()
    }
    assert not missing, (
        f"the shipped font lacks {''.join(sorted(missing))}: "
        "run `python -m optviz.plot.fonts.make_subset`"
    )


def test_the_shipped_font_is_small():
    assert i18n.SHIPPED_FONT.stat().st_size < 200_000
    names = {n.nameID: n.toUnicode() for n in TTFont(i18n.SHIPPED_FONT)["name"].names}
    assert names[1] == "Optviz CJK"
    for licence in ("LICENSE.txt", "LICENSE-DejaVu.txt"):
        assert (i18n.FONT_DIR / licence).stat().st_size > 1000


def test_chinese_renders_without_any_system_font(only_shipped_font, no_missing_glyphs):
    rc = dict(matplotlib.rcParams)
    fig = i18n.localize(text_figure("with bias correction"), "zh")
    assert dict(matplotlib.rcParams) == rc  # fonts set per text, not globally
    assert fig.texts[0].get_text() == "有偏差修正"
    other = i18n.localize(text_figure("without bias correction"), "zh")
    blank = np.full_like(rgb(fig), 255)
    drawn, drawn_other = rgb(fig), rgb(other)
    ink = np.any(drawn < 128, axis=-1).sum()
    assert ink > 300  # five characters of 20 pt
    # placeholder boxes would look alike; real glyphs do not
    assert not np.array_equal(drawn, drawn_other) and not np.array_equal(drawn, blank)


def test_words_around_a_formula_render(only_shipped_font, no_missing_glyphs):
    # mathtext draws "卷积：边缘填充" and "= 1" in one font, without fallback
    fig = i18n.localize(text_figure("convolution: padding $P$ = 1, stride $S$ = 1"), "zh")
    assert fig.texts[0].get_text() == "卷积：边缘填充 $P$ = 1，滑动步长 $S$ = 1"
    assert np.any(rgb(fig) < 128, axis=-1).sum() > 300


def test_a_whole_figure_renders(only_shipped_font, no_missing_glyphs):
    from optviz.plot.nn_figures import losses_figure

    fig = i18n.localize(losses_figure(), "zh")
    assert i18n.untranslated(fig) == []
    rgb(fig)


def test_the_animation_counter(only_shipped_font, no_missing_glyphs):
    from optviz.optimizers import SGD
    from optviz.plot.animate import Animation
    from optviz.run import run_surface
    from optviz.surfaces import get

    surface = get("quadratic")
    run = run_surface(surface, {"sgd": SGD(lr=0.1)}, steps=12)
    anim = Animation(surface, run, panels=("trajectory",), frames=4, size=(320, 240))
    english = anim._counter.image(anim.fig.dpi, 12)
    i18n.localize(anim.fig, "zh")
    assert anim._counter.text(12) == "第 12 / 12 步"
    assert i18n.untranslated(anim.fig) == []
    chinese = anim._counter.image(anim.fig.dpi, 12)
    assert chinese.shape != english.shape or not np.array_equal(chinese, english)
    assert (chinese[..., 3] > 128).sum() > 50
    frame = next(iter(anim.iter_frames()))
    assert frame.shape[:2] == (240, 320)


# -- every figure, in Chinese -------------------------------------------------------
class Collect(gallery.Gallery):
    """Builds the gallery's figures (small) without writing them."""

    def __init__(self, out: Path):
        super().__init__(out, small=True, lang="zh")
        self.left: dict[str, list[str]] = {}

    def figure(self, fig, name):
        self.left[name] = i18n.untranslated(i18n.localize(fig, "zh"))

    def animation(self, surface, run, name, panels, frames=120):
        from optviz.plot.animate import Animation

        anim = Animation(surface, run, panels=panels, frames=4, size=(480, 240))
        self.left[name] = i18n.untranslated(i18n.localize(anim.fig, "zh"))


def test_no_english_left_in_any_figure(tmp_path):
    g = Collect(tmp_path)
    for entry in gallery.ENTRIES:
        entry.build(g)
    from optviz.plot import rules

    for name, fig in rules.example_figures().items():
        g.figure(fig, name)
    assert len(g.left) >= len(gallery.ENTRIES)
    left = {name: texts for name, texts in g.left.items() if texts}
    assert not left, left
