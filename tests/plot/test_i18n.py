"""Chinese figures: whole-sentence translation, no English left, a font that always
draws them (the system's CJK fonts hidden, as on a machine that has none)."""

from __future__ import annotations

import io
import json
import logging
import re
import warnings

import matplotlib
import numpy as np
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from optviz.plot import i18n

# End-to-end: renders figures in Chinese with only the shipped font.
# Runs with the slow tests (`pytest -m slow`, as CI does).
pytestmark = pytest.mark.slow

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
    # a footnote's parts, joined by " · ", are translated one by one (before the
    # patterns, whose placeholders would swallow the separators)
    assert (
        i18n.translate("30 steps   ·   no randomness (full-batch gradients)")
        == "30 步   ·   无随机性（全批量梯度）"
    )
    # a pattern never cuts a formula: "{label}: {name}" does not match inside $...$
    maths = r"$t = 1: \quad \hat s = s/(1-\rho_1^t)$"
    assert i18n.translate(maths) == maths
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
    start = i18n.translate(
        "Adam's bias correction: s and r start at 0, so early on both are biased towards 0;"
    )
    assert "从 0 开始" in start and "起点" not in start  # the verb, not the noun
    assert i18n.translate("training (epoch mean)") == "训练集（每轮的平均值）"
    captions = [c for entry in i18n.captions("zh").values() for c in entry.values()]
    wrong = ("峡谷", "自信", "二元损失", "保持稳定", "平均掉", "直线下降", "到达同一位置")
    for text in [*zh.values(), *captions]:
        assert not [w for w in wrong if w in text], text
    assert any("累加和" in c and "笔记" in c for c in captions)  # the notes are wrong
    assert any("0.999" in c and "0.99）" in c for c in captions)


def test_a_placeholder_used_twice_must_match_the_same_text(tmp_path, monkeypatch):
    folder = tmp_path / "zh"
    folder.mkdir()
    table = {"{h}×{h} pool": "{h}×{h} 池化"}
    (folder / "a.json").write_text(json.dumps(table), encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    i18n._patterns.cache_clear()
    try:
        assert i18n.translate("2×2 pool") == "2×2 池化"
        assert i18n.translate("2×3 pool") == "2×3 pool"  # not a square: no match
    finally:
        i18n.catalogue.cache_clear()
        i18n._patterns.cache_clear()


def test_conditional_texts_of_the_training_and_landscape_figures():
    """Texts a small test run does not draw (a divergence, a path out of the plane)."""
    from optviz.plot.landscape import path_note
    from optviz.plot.training import divergence_text

    class H:
        def __init__(self, at):
            self.diverged, self.diverged_at = at > 0, at

    fact = {"captured": 0.07, "end_loss": 0.04, "lowest_loss": 0.04}
    fact |= {"plane_end_loss": 0.3, "uphill": True, "warn": True}
    notes = [
        path_note("sgd", fact),
        path_note("sgd", fact | {"lowest_loss": 0.01}),
        path_note("sgd", fact | {"uphill": False}),
        path_note("momentum", fact | {"captured": 0.5, "uphill": False}),
    ]
    assert notes[0].startswith("⚠ SGD: only 7% of its path")  # the English is drawn
    labels = [
        f"SGD  α=0.1 ({divergence_text([H(5)])})",
        f"SGD  α=0.1 ({divergence_text([H(5), H(0), H(9)])})",
        f"SGD  α=0.1 ({divergence_text([H(5), H(0)])})",
    ]
    zh = [i18n.translate(t) for t in [*notes, *labels]]
    for english, chinese in zip([*notes, *labels], zh):
        assert not i18n.english_words(chinese), (english, chinese)
    assert zh[0] == (
        "⚠ SGD：路径只有 7% 位于平面内；平面在其终点的投影处显示为 0.3，"
        "它真实的最终损失为 0.04：它实际上并没有停在上坡处"
    )
    assert zh[4] == "SGD  α=0.1（第 5 步发散）"
    assert zh[5] == "SGD  α=0.1（3 个随机种子中有 2 个发散：第 5, 9 步）"
    no_epoch = "no epoch was completed:\nevery run diverged in the first one"
    assert not i18n.english_words(i18n.translate(no_epoch))


def test_each_key_is_translated_in_one_file_only():
    seen: dict[str, str] = {}
    for path in sorted((i18n.LOCALE_DIR / "zh").glob("*.json")):
        if path.name == i18n.CAPTIONS_FILE:
            continue
        for key in json.loads(path.read_text(encoding="utf-8")):
            assert key not in seen, f"{key!r} is in {seen[key]} and {path.name}"
            seen[key] = path.name
    drawn = i18n.drawn_captions("zh")  # the caption table's, in no label file
    assert not set(seen) & set(drawn)
    assert len(seen) + len(drawn) == len(i18n.catalogue("zh"))


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


def test_captions_are_chinese_titles_and_captions():
    captions = i18n.captions("zh")
    assert captions
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


def test_wrapped_chinese_stays_inside_the_figure():
    """A long footnote (centred) and an axes title (left) wrap at characters, a
    character's width clear of the figure's edges."""
    from optviz import recipes

    english = recipes.CAPTIONS["learning-rate"][0]
    fig = Figure(figsize=(6, 3), dpi=100)
    ax = fig.subplots()
    foot = fig.supxlabel(english, fontsize=14, wrap=True)
    title = ax.set_title(english, loc="left", fontsize=12, wrap=True)
    i18n.localize(fig, "zh")
    chinese = recipes.CAPTIONS["learning-rate"][1]
    unbroken = foot.get_text().replace("\n", "").replace(" ", "")
    assert unbroken == chinese.replace(" ", "")  # (a space at a break is dropped)
    rgb(fig)  # draws
    em = 14 * fig.dpi / 72
    for text in (foot, title):
        box = text.get_window_extent()
        lines = text.get_text().split("\n")
        assert len(lines) >= 2
        assert any("2/λmax" in line for line in lines)  # a Latin word is never cut
        assert box.x1 <= fig.bbox.x1 - 0.5 * em, text.get_text()
        assert box.x0 >= fig.bbox.x0 + (0.5 * em if text is foot else 0)


# -- the font -------------------------------------------------------------------------
def catalogue_strings() -> list[str]:
    """Every text a Chinese figure may draw (the drawn captions included; the README's
    captions are not drawn)."""
    return list(i18n.catalogue("zh").values())


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
    from optviz.nn.cnn_lessons import losses
    from optviz.plot.nn_figures import losses_figure

    fig = i18n.localize(losses_figure(losses()), "zh")
    assert i18n.untranslated(fig) == []
    rgb(fig)


def small_run():
    from optviz.optimizers import SGD
    from optviz.run import run_surface
    from optviz.surfaces import get

    surface = get("quadratic")
    return surface, run_surface(surface, {"sgd": SGD(lr=0.1)}, steps=12)


def test_the_animation_counter(only_shipped_font, no_missing_glyphs):
    from optviz.plot.animate import Animation

    surface, run = small_run()
    kw = {"panels": ("trajectory",), "frames": 4, "size": (320, 240)}
    english = Animation(surface, run, **kw)
    chinese = Animation(surface, run, lang="zh", **kw)
    assert english._counter.text(12) == "step 12 / 12"
    assert chinese._counter.text(12) == "第 12 / 12 步"
    assert i18n.untranslated(chinese.fig) == []
    dpi = chinese.fig.dpi
    drawn = chinese._counter.image(dpi, 12)
    other = english._counter.image(dpi, 12)
    assert drawn.shape != other.shape or not np.array_equal(drawn, other)
    assert (drawn[..., 3] > 128).sum() > 50
    counter = chinese._counter
    for k in (0, 7, 12):  # put together digit by digit = the text rendered whole
        whole = counter._render([counter.text(k)], dpi)[0]
        np.testing.assert_array_equal(counter.image(dpi, k), whole)
    # the counter's frame was laid out around the Chinese text: the counter fits in it
    renderer = chinese.fig.canvas.get_renderer()
    frame = chinese._counter_box.get_window_extent(renderer)
    counter = chinese._counter.get_window_extent(renderer)
    pad = chinese._counter.PAD
    assert frame.x0 - 1 <= counter.x0 + pad and counter.x1 - pad <= frame.x1 + 1
    first = next(iter(chinese.iter_frames()))
    assert first.shape[:2] == (240, 320)


def test_localizing_an_animation_afterwards_is_caught():
    """The counter is laid out when the animation is made: ``lang=`` is the way;
    localizing the figure later cannot translate the counter, and says so."""
    from optviz.plot.animate import Animation

    surface, run = small_run()
    anim = Animation(surface, run, panels=("trajectory",), frames=4, size=(320, 240))
    assert "step 0 / 12" in i18n.untranslated(anim.fig)  # the counter is seen
    with pytest.raises(ValueError, match=r"'step 0 / 12' \(StepCounter\) cannot be"):
        i18n.localize(anim.fig, "zh")
    with pytest.raises(ValueError, match="lang must be one of en, zh, got 'fr'"):
        Animation(surface, run, frames=4, lang="fr")


# -- every figure, in Chinese -------------------------------------------------------
@pytest.fixture(scope="module")
def trained():
    from optviz.landscape import (
        random_landscape,
        training_interpolation,
        training_landscape,
    )
    from optviz.nn import default_cnn
    from optviz.nn.data import load_dataset
    from optviz.nn.trainer import train_optimizers

    data = load_dataset("digits", seed=0, limit=120)
    model = default_cnn(data.image_shape, data.n_classes, channels=(4, 8), seed=0)
    runs = [
        train_optimizers(
            data, ["sgd", "adam"], model=model, epochs=2, seed=seed, snapshot_every=2
        )
        for seed in (0, 1)
    ]
    x, y = data.x_train[:40], data.y_train[:40]
    land = training_landscape(runs[0], model, x, y, grid=5)
    line = training_interpolation(runs[0], model, x, y, points=3)
    plane = random_landscape(model, x, y, runs[0]["sgd"].snapshots[-1], grid=3)
    return {"runs": runs, "land": land, "line": line, "plane": plane}


def _lessons():
    from optviz import recipes
    from optviz.recipes.sizes import small_runs

    def quick(recipe, *args, **kwargs):
        with small_runs():
            return recipe(*args, **kwargs).figure

    figures = {
        name: (lambda name=name: quick(getattr(recipes, name.replace("-", "_"))))
        for name in (
            "learning-rate", "momentum-beta", "rate-map",
            "momentum-ravine", "adaptive-lr", "bias-correction", "linear-regression",
        )
    }  # fmt: skip
    for name in recipes.COMPARE_SURFACES:
        caption = recipes.caption(f"compare-{name}")
        figures[f"compare-{name}"] = lambda name=name, caption=caption: quick(
            recipes.compare, name, tune=True, subtitle=caption
        )
    figures["saddle-3d"] = lambda: quick(
        recipes.compare,
        "saddle",
        tune=True,
        view="3d",
        subtitle=recipes.caption("saddle-3d"),
    )
    figures["sweep-rosenbrock"] = lambda: quick(
        recipes.sweep, "rosenbrock", lrs=(1e-5, 10.0, 41), tol=1e-3, figure="lecture"
    )
    figures["sweep-rosenbrock-detailed"] = lambda: quick(
        recipes.sweep, "rosenbrock", lrs=(1e-5, 10.0, 41), tol=1e-3
    )
    figures["startmap-himmelblau"] = lambda: quick(
        recipes.startmap, "himmelblau", metric="basin", explain=True
    )
    return figures


def _cnn():
    from optviz.nn import cnn_lessons as CL
    from optviz.nn import gradient_lessons as GL
    from optviz.nn import network_lessons as NL
    from optviz.nn.data import digits
    from optviz.plot import cnn_gradients as G
    from optviz.plot import cnn_lessons as L
    from optviz.plot import nn_figures as N

    def three():
        x, y = digits(np.float64)
        return x[int(np.flatnonzero(y == 3)[0]), 0]

    def net_and_three():
        return NL.teaching_cnn(), three()

    def cross_entropy():
        net, x = net_and_three()
        return G.cross_entropy_figure(GL.cross_entropy(net.forward(x[None, None])[0], 3))

    return {
        "cnn-architecture": lambda: L.architecture_figure(
            NL.through_network(*net_and_three(), label=3)
        ),
        "rgb-convolution": lambda: L.rgb_convolution_figure(CL.rgb_convolution()),
        "sliding-window": lambda: L.sliding_window_animation(CL.sliding_window()).fig,
        "receptive-field": lambda: L.receptive_field_figure(CL.receptive_field_lesson()),
        "pooling-shift": lambda: L.pooling_shift_figure(CL.pooling_shift()),
        "fully-connected": lambda: L.fully_connected_figure(
            NL.fully_connected(*net_and_three())
        ),
        "nonlinearity": lambda: G.nonlinearity_figure(GL.nonlinearity()),
        "cross-entropy": cross_entropy,
        "ce-vs-mse": lambda: G.ce_vs_mse_figure(GL.ce_vs_mse()),
        "vanishing-gradients": lambda: G.vanishing_gradients_figure(GL.vanishing()),
        "convolution": lambda: N.convolution_figure(CL.convolution(three())),
        "losses": lambda: N.losses_figure(CL.losses()),
        "activations": lambda: N.activations_figure(CL.activations()),
    }


def _rules():
    from optviz.explain import example_steps
    from optviz.lessons.rules import update_rules
    from optviz.plot import rules

    return {
        "update-rules": lambda: rules.update_rules_figure(update_rules()),
        "explain-step": lambda: rules.explain_step_figure(*example_steps()),
    }


def _recipes():
    from optviz import recipes
    from optviz.plot.compare import compare_figure
    from optviz.surfaces import get

    def compare_3d():
        run = recipes.compare("saddle", steps=20).record
        return compare_figure(get("saddle"), run, view="3d")

    return {
        "recipe-compare": lambda: recipes.compare("rosenbrock", steps=20).figure,
        "recipe-compare-3d": compare_3d,
        "recipe-lr": lambda: recipes.lr("beale", steps=20).figure,
        # (1e-4, 1, 5) reaches no tol of 1e-6 in 20 steps: the automatic-tol note
        "recipe-sweep": lambda: (
            recipes.sweep("rosenbrock", steps=20, lrs=(1e-4, 1, 5)).figure
        ),
        "recipe-sweep-default-grid": lambda: recipes.sweep("rosenbrock", steps=20).figure,
        "recipe-startmap": lambda: recipes.startmap("himmelblau", grid=6, steps=20).figure,
        "recipe-startmap-basin": lambda: (
            recipes.startmap("himmelblau", grid=6, steps=20, metric="basin").figure
        ),
    }


def _training(trained):
    from optviz.plot.landscape import (
        interpolation_figure,
        landscape_figure,
        random_plane_figure,
    )
    from optviz.plot.training import curves_figure

    t = trained
    return {
        "curves": lambda: curves_figure(t["runs"][0]),
        "curves-seeds": lambda: curves_figure(t["runs"]),
        "landscape": lambda: landscape_figure(t["land"]),
        "landscape-line": lambda: landscape_figure(t["land"], t["line"]),
        "interpolation": lambda: interpolation_figure(t["line"]),
        "random-plane": lambda: random_plane_figure(t["plane"]),
    }


KINDS = {
    "lessons": _lessons,
    "cnn": _cnn,
    "rules": _rules,
    "recipes": _recipes,
}


# The two largest sweeps render every lesson and CNN figure again (the gallery test
# builds them in English): they run with the slow tests, in CI (`pytest -m slow`).
_SLOW_KINDS = ("lessons", "cnn")


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(k, marks=pytest.mark.slow) if k in _SLOW_KINDS else k
        for k in (*KINDS, "training")
    ],
)
def test_no_english_left_in_any_figure(kind, request, only_shipped_font, no_missing_glyphs):
    """Every figure kind, localized and drawn with the shipped font alone: no English
    word left (formulas and names aside), no glyph missing."""
    if kind == "training":
        figures = _training(request.getfixturevalue("trained"))
    else:
        figures = KINDS[kind]()
    assert figures
    left = {}
    for name, make in figures.items():
        fig = i18n.localize(make(), "zh")
        fig.savefig(io.BytesIO(), format="png", dpi=30)
        texts = i18n.untranslated(fig)
        if texts:
            left[name] = texts
    assert not left, left


def test_no_english_left_in_an_animation_made_in_chinese(trained):
    from optviz import recipes
    from optviz.plot.animate import Animation
    from optviz.plot.landscape import landscape_animation
    from optviz.surfaces import get

    run = recipes.compare("rosenbrock", steps=20).record
    panels = ("trajectory", "loss", "lr")
    anim = Animation(get("rosenbrock"), run, panels=panels, frames=4, size=(480, 240),
                     lang="zh")  # fmt: skip
    assert i18n.untranslated(anim.fig) == []
    land = landscape_animation(trained["land"], frames=3, size=(480, 240), lang="zh")
    assert i18n.untranslated(land.fig) == []
    assert land.axes["trajectory"].get_xlabel().startswith("PCA 方向 1（")
    assert land.axes["loss"].get_xlabel() == "训练步数"


def test_every_frame_of_the_other_animations_in_chinese():
    """The sliding window rewrites its step line each frame; the 3-D rotation draws a
    new figure each frame: both translate every frame."""
    from optviz import recipes
    from optviz.nn.cnn_lessons import sliding_window
    from optviz.plot.cnn_lessons import sliding_window_animation
    from optviz.plot.view3d import Rotation
    from optviz.surfaces import get

    window = sliding_window_animation(sliding_window(), lang="zh")
    for frame in range(len(window)):
        window.update(frame)
        assert i18n.untranslated(window.fig) == [], frame
    assert window._step.get_text().startswith("第 9 个窗口（共 9 个）")
    run = recipes.compare("saddle", steps=12).record
    rotation = Rotation(get("saddle"), run, frames=2, size=(320, 240), lang="zh")
    english = Rotation(get("saddle"), run, frames=2, size=(320, 240))
    assert not np.array_equal(rotation.frame(1), english.frame(1))
    with pytest.raises(ValueError, match="lang must be one of en, zh"):
        sliding_window_animation(sliding_window(), lang="de")
