"""The comparison figures' claims (optviz.compare_claims), held to hand-computed values,
and the gallery's own claims held true on the gallery's runs."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from optviz import compare_claims as cc
from optviz.optimizers import SGD, Adagrad, Adam, Momentum, RMSprop
from optviz.run import run_surface
from optviz.surfaces import get

GALLERY = Path(__file__).resolve().parents[1] / "gallery"


def himmelblau_run(steps=1):
    opts = {
        "sgd": SGD(lr=0.01),
        "momentum": Momentum(lr=0.01, momentum=0.5),
        "adagrad": Adagrad(lr=0.1),
        "rmsprop": RMSprop(lr=0.01),
        "adam": Adam(lr=0.1),
    }
    return run_surface(get("himmelblau"), opts, start=(1.0, -1.0), steps=steps)


def test_descent_at_the_himmelblau_start_is_54_2():
    # f = (x² + y - 11)² + (x + y² - 7)²; at (1, -1): a = -11, b = -5;
    # df/dx = 4xa + 2b = -44 - 10 = -54; df/dy = 2a + 4yb = -22 + 20 = -2
    assert cc.descent_at_start(himmelblau_run()) == pytest.approx([54.0, 2.0])


def test_first_steps_sgd_along_minus_g_adaptive_on_the_diagonal():
    run = himmelblau_run()
    angles = {t.optimizer: cc.first_step_angle(t) for t in run}
    along = math.degrees(math.atan2(2, 54))  # 2.1210963...
    assert angles["sgd"] == pytest.approx(along) and along == pytest.approx(2.1211, 1e-4)
    assert angles["momentum"] == pytest.approx(along)  # v = -αg at t = 1
    for name in ("adagrad", "rmsprop", "adam"):  # g/√r = sign g: (1, 1)
        assert angles[name] == pytest.approx(45.0, abs=1e-4)
    # Adagrad's first step is α sign(-g) = (0.1, 0.1); RMSprop's α/√(1-ρ) = 10α
    by = {t.optimizer: t for t in run}
    assert by["adagrad"].xy[1] - by["adagrad"].xy[0] == pytest.approx([0.1, 0.1])
    assert by["rmsprop"].xy[1] - by["rmsprop"].xy[0] == pytest.approx([0.1, 0.1])
    claim = cc.claims(get("himmelblau"), run)[0]
    assert claim.holds and claim.numbers["neg_grad"] == pytest.approx([54, 2])


def test_the_turn_claim_is_false_when_an_adaptive_step_is_not_diagonal():
    run = himmelblau_run()
    by = {t.optimizer: t for t in run}
    by["adam"].xy[1] = by["adam"].xy[0] + (0.2, 0.01)  # along x instead
    turn, _ = cc.claims(get("himmelblau"), run)
    assert not turn.holds
    assert cc.failing({"claims": [turn.as_dict()]}) == [turn.text]


def test_ends_at_names_the_minimum_within_reach():
    s = get("himmelblau")
    run = run_surface(s, {"sgd": SGD(lr=0.01)}, start=(3.1, 2.1), steps=200)
    assert cc.ends_at(s, run.trajectories[0]) == "A"  # (3, 2), listed first
    short = run_surface(s, {"sgd": SGD(lr=1e-6)}, start=(1.0, -1.0), steps=2)
    assert cc.ends_at(s, short.trajectories[0]) is None  # nowhere near one


def test_escape_steps_by_hand():
    # SGD, α = 0.25 on x² - y² from (0, 0.5): y grows 1 + 2α = 1.5 per step;
    # f = -y²: -0.25, -0.5625, -1.265625: below -1 at step 2
    run = run_surface(get("saddle"), {"sgd": SGD(lr=0.25)}, start=(0.0, 0.5), steps=5)
    assert cc.escape_steps(run) == {"sgd": 2}
    assert cc.escape_steps(run, below=-10.0) == {"sgd": 5}  # y5 = 3.8: f = -14.4
    run = run_surface(get("saddle"), {"sgd": SGD(lr=0.25)}, start=(0.0, 0.5), steps=4)
    assert cc.escape_steps(run, below=-10.0) == {"sgd": None}  # y4 = 2.53: f = -6.4


def test_exits_where_a_path_leaves_the_map_for_good():
    # the same run: y = 0.5, 0.75, 1.125, 1.6875, 2.53125 leaves y <= 2 at step 4,
    # crossing the top edge at (0, 2), going up
    run = run_surface(get("saddle"), {"sgd": SGD(lr=0.25)}, start=(0.0, 0.5), steps=4)
    (e,) = cc.exits(get("saddle"), run)
    assert e["step"] == 4 and e["at"] == pytest.approx([0.0, 2.0])
    assert e["direction"] == pytest.approx([0.0, 1.0])
    assert e["ended"] == e["out"] == pytest.approx([0.0, 2.53125]) and not e["back"]
    inside = run_surface(get("saddle"), {"sgd": SGD(lr=0.25)}, start=(0.0, 0.5), steps=3)
    assert cc.exits(get("saddle"), inside) == []


def test_same_rate_counts_momentum_at_its_steady_step():
    s = get("saddle")
    one = {"sgd": SGD(lr=0.02), "momentum": Momentum(lr=0.002, momentum=0.9)}
    assert cc.same_rate(run_surface(s, one, steps=2)) == pytest.approx(0.02)
    two = {"sgd": SGD(lr=0.03), "momentum": Momentum(lr=0.002, momentum=0.9)}
    assert cc.same_rate(run_surface(s, two, steps=2)) is None
    rate, order = cc.claims(s, run_surface(s, two, steps=2))
    assert not rate.holds and not order.holds  # nobody escapes in 2 steps


def test_spike_finds_a_100x_rise_and_no_less():
    class T:
        loss = np.r_[np.ones(20), 1.0, 50.0, 200.0, np.ones(10)]

    assert cc.spike(T) == (22, pytest.approx(200.0))
    T.loss = np.r_[np.ones(20), 1.0, 50.0, np.ones(10)]
    assert cc.spike(T) is None


def test_free_corner_avoids_paths_landmarks_and_the_legend():
    s = get("saddle")  # domain [-2, 2]²
    run = run_surface(s, {"sgd": SGD(lr=1e-9)}, start=(-1.8, 1.8), steps=30)
    assert cc.free_corner(s, run) == "upper right"  # every point upper left
    run = run_surface(s, {"sgd": SGD(lr=1e-9)}, start=(0.0, 0.0), steps=3)
    assert cc.free_corner(s, run, points=[(-1.8, 1.8)]) == "upper right"
    assert cc.free_corner(s, run) == "upper left"  # the first of the free ones
    # a box as wide as the map would cover the legend wherever it is low
    wide = "x" * 80
    assert cc.box_size(wide)[0] == pytest.approx(0.0125 * 80 + 0.015)
    assert cc.free_corner(s, run, text=wide) == "upper left"


# -- the gallery's animations: a teacher can narrate them -----------------------------
ANIMATIONS = ("quadratic", "rosenbrock", "beale", "saddle", "himmelblau")


@pytest.mark.parametrize("lang", ["", "zh"])
@pytest.mark.parametrize("surface", ANIMATIONS)
def test_gallery_animation_runs_8_s_with_its_ends_held(surface, lang):
    path = GALLERY / lang / f"animate-{surface}.gif"
    with Image.open(path) as im:
        durations = []
        for i in range(im.n_frames):
            im.seek(i)
            durations.append(im.info["duration"])
    assert sum(durations) >= 8000, path
    assert durations[0] >= 1500 and durations[-1] >= 1500, path
    assert path.stat().st_size < 400_000  # a GIF a page loads quickly


def test_the_saddle_3d_gif_is_gone_from_the_gallery():
    assert not (GALLERY / "saddle-3d.gif").exists()
    assert not (GALLERY / "zh" / "saddle-3d.gif").exists()
    for readme in ("README.md", "README.zh.md"):
        assert "saddle-3d.gif" not in (GALLERY / readme).read_text(encoding="utf-8")


# -- the gallery's claims hold for its runs -------------------------------------------
def _statement(name):
    """The comparison the gallery script ``name`` makes, at full size."""
    import runpy

    from optviz import gallery
    from optviz.recipes.sizes import small_runs

    g = gallery.Gallery(out=Path("."), small=False)
    made = {}
    g.figure = lambda result, fname: made.setdefault(fname, result)  # keep, not write
    g.gif = lambda anim, fname: None
    script = next(GALLERY.glob(f"plot_*_{name.replace('-', '_')}.py"))
    with gallery._writing_to(g), small_runs(False):
        runpy.run_path(str(script))
    result = made[f"{name}.png"]
    return result.record, result.record.meta["figure"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["compare-himmelblau", "compare-saddle", "compare-beale", "compare-rosenbrock"]
)
def test_every_claim_of_a_gallery_comparison_holds(name):
    _, statement = _statement(name)
    assert statement["claims"], name
    assert cc.failing(statement) == [], name


@pytest.mark.slow
def test_the_himmelblau_caption_states_the_records_numbers():
    from optviz.recipes import caption

    _, statement = _statement("compare-himmelblau")
    gx, gy = statement["claims"][0]["numbers"]["neg_grad"]
    assert f"−g = ({gx:.0f}, {gy:.0f})" in caption("compare-himmelblau")
    assert f"−g = ({gx:.0f}, {gy:.0f})" in caption("compare-himmelblau", "zh")
    ends = statement["claims"][1]["numbers"]["ends"]
    assert ends["sgd"] == ends["momentum"] == statement["claims"][1]["numbers"]["nearest"]


@pytest.mark.slow
def test_the_saddle_captions_state_the_records_numbers():
    from optviz.recipes import caption

    run, statement = _statement("compare-saddle")
    rate = statement["claims"][0]["numbers"]["lr"]
    text = caption("saddle-3d")
    assert f"α = {rate:g}" in text and f"after {run.steps} steps" in text
    escaped = statement["claims"][1]["numbers"]["escaped"]
    assert escaped["adagrad"] is None  # "it has not escaped"
    json.dumps(statement)  # JSON-ready, as the sidecar stores it


def test_a_results_claims_are_its_records_statement():
    """Result.claims reads what the record states (one Claim type for every figure)."""
    from optviz.lessons.claims import Claim
    from optviz.recipes import Result

    stated = {"figure": {"claims": [{"text": "a", "holds": False, "numbers": {"k": 1}}]}}
    record = type("R", (), {"meta": stated})()
    assert Result(None, record, {}).claims == [Claim("a", False, {"k": 1})]
    old = {"figure": {"claims": [{"name": "b", "holds": True, "numbers": {}}]}}
    assert Result(None, type("R", (), {"meta": old})(), {}).claims == [Claim("b", True, {})]
    assert (
        Result(None, None, {}, extra={"claims": [Claim("c", True)]}).claims[0].text == "c"
    )
