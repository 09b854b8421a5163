"""Each teaching figure's message, checked from its data, so that a later change cannot
silently turn a figure's lesson around. Closed forms are checked against brute force
and hand-computed values, runs against the closed forms."""

import numpy as np
import pytest
from matplotlib.text import Text

from optviz import ratemap, recipes
from optviz.lessons.learning_rate import REGIMES
from optviz.optimizers import SGD, Adagrad, Adam, Momentum
from optviz.plot.lesson_runs import trajectory_of
from optviz.recipes.compare import COMPARE_DECADES, fair_settings
from optviz.recipes.momentum import RAVINE_KAPPA
from optviz.recipes.sizes import small_runs
from optviz.run import run_surface
from optviz.second_moment import past_weights
from optviz.surfaces.linear_regression import linear_regression, make_data
from optviz.surfaces.quadratic import quadratic
from optviz.sweep import lr_sweep
from optviz.tuning import equal_step, tune

# End-to-end: runs and draws every teaching figure.
# Runs with the slow tests (`pytest -m slow`, as CI does).
pytestmark = pytest.mark.slow

KAPPA = RAVINE_KAPPA


def quick(recipe, *args, **kwargs):
    """A recipe's Result from test-sized runs."""
    with small_runs():
        return recipe(*args, **kwargs)


# -- rate-map ------------------------------------------------------------------------
def test_spectral_radius_is_that_of_the_iteration_matrix(rng):
    for alpha, beta, lam in rng.uniform([0, 0, 0.1], [0.5, 0.99, 20], size=(50, 3)):
        eig = np.linalg.eigvals(ratemap.iteration_matrix(alpha, beta, lam))
        assert ratemap.spectral_radius(alpha, beta, lam) == pytest.approx(np.abs(eig).max())


def test_iteration_matrix_is_one_momentum_step():
    """(v, w) -> M (v, w) is exactly what Momentum does on f = lam w^2 / 2."""
    alpha, beta, lam = 0.07, 0.6, 3.0
    opt = Momentum(lr=alpha, momentum=beta)
    w = np.array([1.0])
    state = np.array([0.0, 1.0])  # (v, w)
    for _ in range(5):
        opt.step(w, lam * w)
        state = ratemap.iteration_matrix(alpha, beta, lam) @ state
        assert w[0] == pytest.approx(state[1])
        assert opt.state[0].v[0] == pytest.approx(state[0])


@pytest.mark.parametrize("kappa", [4.0, 20.0, 100.0])
def test_rate_map_optimum_matches_the_closed_form(kappa):
    alphas = np.linspace(1e-4, 4 / kappa, 1201)
    betas = np.linspace(0, 0.99, 991)
    rates = ratemap.rate_map(alphas, betas, 1.0, kappa)
    i, j = np.unravel_index(np.argmin(rates), rates.shape)
    a_star, b_star, r_star = ratemap.momentum_optimum(1.0, kappa)
    assert a_star == pytest.approx((2 / (np.sqrt(kappa) + 1)) ** 2)
    assert b_star == pytest.approx(((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2)
    assert alphas[j] == pytest.approx(a_star, rel=0.02)
    assert betas[i] == pytest.approx(b_star, abs=0.01)
    assert rates.min() == pytest.approx(r_star, abs=0.01)
    # SGD (beta = 0 row): best at 2/(L + mu) with rate (kappa-1)/(kappa+1)
    a_sgd, r_sgd = ratemap.sgd_optimum(1.0, kappa)
    assert alphas[np.argmin(rates[0])] == pytest.approx(2 / (kappa + 1), rel=0.01)
    assert rates[0].min() == pytest.approx((kappa - 1) / (kappa + 1), abs=1e-3)
    # the speed-up is about sqrt(kappa)
    assert ratemap.speedup(1.0, kappa) == pytest.approx(np.sqrt(kappa), rel=0.15)


def test_measured_rates_agree_with_the_map():
    m = quick(recipes.rate_map).record["measured"].arrays
    theory = ratemap.rate(m["alpha"], m["beta"], [1.0, KAPPA])
    ok = np.isfinite(m["rate"])
    assert ok.sum() >= 10
    # every real run that diverged is where the map says rate >= 1, and vice versa
    assert np.all(theory[~ok] >= 1)
    assert np.all(ok[theory < 0.999])
    # where it converged, the measured shrink factor is the spectral radius
    np.testing.assert_allclose(
        m["rate"][ok & (theory < 0.99)], theory[ok & (theory < 0.99)], atol=0.02
    )


# -- momentum-ravine -----------------------------------------------------------------
def test_tuned_momentum_beats_sgd_by_the_predicted_factor():
    result = recipes.momentum_ravine()
    fig, lesson = result.figure, result.record
    run = [trajectory_of(p) for p in lesson.panels]
    # tuned momentum reaches the tolerance; tuned SGD needs several times more steps
    assert 0 < lesson["momentum"].facts["steps_to_tol"] <= 30
    got = {t.label: float(ratemap.measured_rate(t.xy, (0.0, 0.0))) for t in run}
    predicted = {p.label: p.facts["predicted"] for p in lesson.panels}
    factor = np.log(got["momentum"]) / np.log(got["sgd"])
    theory = np.log(predicted["momentum"]) / np.log(predicted["sgd"])
    assert factor > 3
    assert factor == pytest.approx(theory, rel=0.15)
    # and the tuned settings are near the closed-form optima
    a_mom, b_mom, _ = ratemap.momentum_optimum(1.0, KAPPA)
    settings = {p.label: p.facts["hyperparameters"] for p in lesson.panels}
    assert settings["sgd"]["lr"] == pytest.approx(2 / (1 + KAPPA), rel=0.1)
    assert settings["momentum"]["momentum"] == pytest.approx(b_mom, abs=0.1)
    # the figure states beta
    texts = " ".join(t.get_text() for t in fig.findobj(Text))
    assert f"β={settings['momentum']['momentum']:.3g}" in texts
    assert f"Momentum needs {factor:.1f}× fewer steps" in texts  # as measured, not 1/it


def test_tune_finds_sgd_best_rate_on_a_quadratic():
    """A hand-checkable case: SGD's best rate on 0.5 (x^2 + 10 y^2) is 2/11."""
    surface = quadratic(kappa=10)
    tuned = tune(
        surface,
        {"sgd": SGD(), "mom": Momentum()},
        {
            "sgd": {"lr": np.linspace(0.05, 0.25, 81)},
            "mom": {"lr": np.linspace(0.05, 0.4, 36), "momentum": np.linspace(0, 0.9, 19)},
        },
        steps=200,
        tol=1e-10,
    )
    assert tuned.settings["sgd"]["lr"] == pytest.approx(2 / 11, abs=0.01)
    assert tuned.steps_to_tol["mom"] < tuned.steps_to_tol["sgd"] / 2
    assert "fewest steps" in tuned.rule and "200 steps" in tuned.rule


def test_tune_refuses_an_unknown_key():
    with pytest.raises(ValueError, match="cannot tune 'rho' of sgd"):
        tune(quadratic(), [SGD()], {"sgd": {"rho": [0.9]}}, steps=5)


def test_equal_step():
    assert equal_step(0.1, 0.9) == pytest.approx(0.01)


# -- momentum-beta -------------------------------------------------------------------
def test_momentum_beta_arrows_are_the_update_and_mid_beta_wins():
    data = recipes.momentum_beta().extra
    run = data["run"]
    for traj in run:
        a, b = traj.hyperparameters["lr"], traj.hyperparameters["momentum"]
        for k in (1, 2, 3):  # the steps the figure draws as vectors
            new_v = traj.xy[k + 1] - traj.xy[k]
            np.testing.assert_allclose(
                new_v, b * (traj.xy[k] - traj.xy[k - 1]) - a * traj.grad[k], atol=1e-12
            )
    final = {t.hyperparameters["momentum"]: t.loss[-1] for t in run}
    # "larger beta builds speed, too large swings past": 0.5 beats 0 and 0.99
    assert final[0.5] < final[0.0] < final[0.99]


# -- learning-rate -------------------------------------------------------------------
def test_largest_stable_rate_is_two_over_lambda_max():
    surface = linear_regression()
    x, _ = make_data(**surface.params)
    design = np.stack([x, np.ones_like(x)], axis=-1)
    hess = 2 * design.T @ design / len(x)  # of mean((w x + b - y)^2)
    limit = 2 / np.linalg.eigvalsh(hess).max()
    assert ratemap.largest_stable_lr(surface) == pytest.approx(limit, rel=1e-6)
    sweep = lr_sweep(surface, [SGD()], limit * np.array([0.9, 0.98, 1.02, 1.1]), steps=600)
    assert sweep.curves[0].diverged.tolist() == [False, False, True, True]


def test_learning_rate_regimes_do_what_they_are_called():
    lesson = quick(recipes.learning_rate).record
    p = {
        panel.facts["regime"]: panel.arrays["xy"][:, 0]
        for panel in lesson.panels
        if panel.label.startswith("parabola")
    }
    small, right, large, div = (p[n] for n in REGIMES)
    assert np.all(np.diff(small) > 0) and abs(small[-1]) > 1  # crawls, one side
    assert abs(right[-1]) < 1e-2
    assert np.all(np.sign(large[1:]) != np.sign(large[:-1]))  # zig-zags ...
    assert abs(large[-1]) < abs(large[0])  # ... yet converges
    assert np.all(np.abs(div[1:]) > np.abs(div[:-1]))  # every step lands further out


# -- adaptive-lr (sum against average) ---------------------------------------------
def test_adagrads_r_is_a_sum_rmsprops_an_average():
    surface = quadratic()
    run = run_surface(surface, [Adagrad(lr=0.1)], steps=30, record_state=True)
    traj = run.trajectories[0]
    g2 = traj.grad[:-1] ** 2  # g_1 ... g_30
    np.testing.assert_allclose(traj.state["r"][1:], np.cumsum(g2, axis=0), rtol=1e-12)
    assert past_weights("adagrad", 30).sum() == 30
    assert past_weights("rmsprop", 30, 0.9).sum() == pytest.approx(1 - 0.9**30)
    assert past_weights("adam", 30, 0.999).sum() == pytest.approx(1.0)


def test_adagrads_effective_rate_keeps_falling_and_it_falls_behind():
    lesson = recipes.adaptive_lr().record
    ada, rms, adam = (trajectory_of(lesson[k]) for k in ("adagrad", "rmsprop", "adam"))
    assert np.all(np.diff(ada.lr[1:], axis=0) <= 0)  # never rises
    assert np.all(ada.lr[-1] < ada.lr[10] / 2)
    # RMSprop's and Adam's rates rise again as the gradients shrink
    assert np.all(rms.lr[-1] > rms.lr[1:].min(axis=0) * 1.5)
    assert np.all(adam.lr[-1] > adam.lr[1:].min(axis=0) * 1.5)
    # same first step for all three (the stated rule)
    steps1 = [np.abs(t.xy[1] - t.xy[0]) for t in (ada, rms, adam)]
    np.testing.assert_allclose(steps1[0], steps1[1], rtol=1e-6)
    np.testing.assert_allclose(steps1[0], steps1[2], rtol=1e-6)
    # Adagrad ends last
    assert ada.loss[-1] > max(rms.loss[-1], adam.loss[-1])


# -- bias-correction -----------------------------------------------------------------
def test_uncorrected_adam_ratio_is_316_at_step_one_and_falls_to_one():
    rho1, rho2 = 0.9, 0.999
    opt = Adam(lr=0.1, betas=(rho1, rho2))
    w, ratios = np.zeros(1), []
    for _ in range(3000):
        opt.step(w, np.full(1, 0.5))
        st = opt.state[0]
        ratios.append(st.s[0] / np.sqrt(st.r[0]))
    # s/sqrt(r) = (1 - rho1) g / (sqrt(1 - rho2) |g|) at t = 1
    assert ratios[0] == pytest.approx((1 - rho1) / np.sqrt(1 - rho2))
    assert ratios[0] == pytest.approx(3.162, abs=1e-3)
    # (1 - rho1^t)/sqrt(1 - rho2^t): first it grows (s forgets its 0 faster than r),
    # peaking near t = 20, then falls to 1 as both corrections vanish
    t = np.arange(1, 3001)
    np.testing.assert_allclose(ratios, (1 - rho1**t) / np.sqrt(1 - rho2**t), rtol=1e-9)
    assert 6 < max(ratios) < 7 and 10 < int(np.argmax(ratios)) + 1 < 40
    assert ratios[-1] == pytest.approx(1.0, abs=0.05)


# -- compare-* -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def compares():
    return {
        name: recipes.compare(name, tune=True, subtitle=recipes.caption(f"compare-{name}"))
        for name in recipes.COMPARE_SURFACES
    }


def test_comparisons_state_their_settings(compares):
    for name, result in compares.items():
        foot = result.figure._supxlabel.get_text()
        if name == "saddle":  # no minimum to tune towards
            assert "default settings" in foot and "not a ranking" in foot
        else:
            assert "tuned" in foot and "fewest steps" in foot


def test_per_surface_notes_are_true_of_the_runs(compares):
    from optviz.claims import surface_notes
    from optviz.surfaces import get

    # Rosenbrock: the spike is a real 100x rise within 10 steps of an adaptive method
    run = compares["rosenbrock"].record
    spike = [n for n in surface_notes(get("rosenbrock"), run) if "spike" in n["text"]]
    assert len(spike) == 1
    traj = run[spike[0]["label"]]
    k = spike[0]["xy"][0]
    assert traj.optimizer in ("rmsprop", "adam", "adagrad")
    assert traj.loss[k] > 100 * traj.loss[k - 10 : k].min()
    # Saddle: the adaptive methods are below f = -1 before SGD and momentum
    run = compares["saddle"].record

    def escaped(label):
        below = np.flatnonzero(run[label].loss < -1)
        return below[0] if len(below) else np.inf

    assert max(escaped(lb) for lb in ("adagrad", "adam")) < min(
        escaped(lb) for lb in ("sgd", "momentum")
    )
    # Himmelblau: a run said to overshoot ends at a minimum other than the start's
    surface = get("himmelblau")
    run = compares["himmelblau"].record
    minima = np.array([m.xy for m in surface.minima])
    home = np.argmin(np.linalg.norm(minima - run.start, axis=-1))
    notes = [n for n in surface_notes(surface, run) if "overshoot" in n["text"]]
    assert notes
    for note in notes:
        there = np.argmin(np.linalg.norm(minima - np.array(note["xy"]), axis=-1))
        assert there != home
    # Quadratic: tuned momentum reaches the floor in fewer steps than tuned SGD
    run = compares["quadratic"].record
    first = {t.label: np.flatnonzero(t.loss < 1e-12)[0] for t in run if t.loss[-1] < 1e-12}
    assert first["momentum"] < 0.7 * first["sgd"]


# -- 3-D -----------------------------------------------------------------------------
def test_3d_paths_lie_on_the_surface_and_the_rotation_turns():
    from mpl_toolkits.mplot3d import Axes3D

    from optviz.plot.animate import animate
    from optviz.plot.compare import compare_figure
    from optviz.plot.view3d import LIFT, height
    from optviz.surfaces import get

    surface = get("saddle")
    run = run_surface(surface, {"sgd": SGD(lr=0.02), "adam": Adam(lr=0.02)}, steps=30)
    fig = compare_figure(surface, run, view="3d")
    (ax,) = [a for a in fig.axes if isinstance(a, Axes3D)]
    lines = [ln for ln in ax.get_lines() if len(ln.get_data_3d()[0]) > 1]
    assert len(lines) == 2
    for line in lines:
        x, y, z = (np.asarray(v) for v in line.get_data_3d())
        lift = z - height(surface, np.stack([x, y], axis=-1))
        assert np.allclose(lift, lift[0]) and lift[0] > 0
        assert lift[0] == pytest.approx(LIFT * 8, rel=0.05)  # f spans [-4, 4] here
    rot = animate(surface, run, view="3d", frames=3, size=(200, 160))
    assert list(rot.steps) == [0, 15, 30]
    a, b = rot.frame(0), rot.frame(2)
    assert a.shape == (160, 200, 4) and np.any(a != b)
    with pytest.raises(ValueError, match="view must be one of"):
        compare_figure(surface, run, view="4d")


# -- start map -----------------------------------------------------------------------
def test_basin_map_colours_exactly_the_converged_starts():
    from optviz.plot.maps import BASIN_COLORS, map_image
    from optviz.plot.style import COLORS
    from optviz.startmap import start_map
    from optviz.surfaces import get

    surface = get("himmelblau")
    smap = start_map(surface, [SGD(lr=0.01), Adagrad(lr=0.5)], grid=16, steps=60)
    for panel in smap:
        codes, _, _ = map_image(panel, "basin")
        coloured = np.mean(codes >= 2)  # a basin colour, not grey or black
        assert coloured == pytest.approx(panel.summary()["converged"])
    # no basin colour is an optimizer's colour
    assert not set(c.lower() for c in BASIN_COLORS) & set(
        c.lower() for c in COLORS.values()
    )


# -- the Chinese catalogue -----------------------------------------------------------
def test_teach_catalogue_is_flat_and_keeps_its_placeholders():
    import json
    import re
    from pathlib import Path

    import optviz

    path = Path(optviz.__file__).parent / "plot" / "locale" / "zh" / "teach.json"
    table = json.loads(path.read_text(encoding="utf-8"))
    names = re.compile(r"\{(\w+)\}")
    for en, zh in table.items():
        assert isinstance(zh, str) and zh.strip(), en
        assert sorted(names.findall(en)) == sorted(names.findall(zh)), en
    # every title and caption the caption tables say a figure draws ("drawn") has its
    # Chinese in what localize reads, and no label file translates it differently
    from optviz.plot.i18n import catalogue, drawn_captions

    merged, drawn = catalogue("zh"), drawn_captions("zh")
    pairs = list(recipes.CAPTIONS.values()) + list(recipes.TITLES.values())
    shown = [(en, zh) for en, zh in pairs if en in drawn]
    assert len(shown) >= 10  # the teaching figures draw theirs
    for en, zh in shown:
        assert merged[en] == zh == drawn[en], en
        assert table.get(en, zh) == zh, en


# -- projector-ready -----------------------------------------------------------------
#: The teaching figures, each made from test-sized runs.
TEACHING = {
    "learning-rate": recipes.learning_rate,
    "momentum-beta": recipes.momentum_beta,
    "rate-map": recipes.rate_map,
    "momentum-ravine": recipes.momentum_ravine,
    "adaptive-lr": recipes.adaptive_lr,
    "bias-correction": recipes.bias_correction,
    "linear-regression": recipes.linear_regression,
    "startmap-himmelblau": lambda: recipes.startmap(
        "himmelblau", metric="basin", explain=True
    ),
    "sweep-rosenbrock": lambda: recipes.sweep(
        "rosenbrock", lrs=(1e-5, 10.0, 41), tol=1e-3, figure="lecture"
    ),
    **{
        f"compare-{name}": (lambda name=name: recipes.compare(name, tune=True))
        for name in recipes.COMPARE_SURFACES
    },
}


@pytest.mark.parametrize("name", sorted(TEACHING))
def test_every_text_is_12_pt_or_larger(name):
    fig = quick(TEACHING[name]).figure
    fig.draw_without_rendering()
    small = [
        (t.get_text(), t.get_fontsize())
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_fontsize() < 12
    ]
    assert not small


def test_gradient_arrows_are_minus_g_on_equal_axes():
    fig = quick(recipes.learning_rate).figure
    (ax,) = [a for a in fig.axes if a.get_title(loc="left").startswith("L(w, b): arrows")]
    assert ax.get_aspect() == 1.0  # equal scales: perpendicular looks perpendicular
    (quiver,) = [c for c in ax.collections if hasattr(c, "U")]
    g = linear_regression().grad(quiver.XY)
    norm = np.linalg.norm(g, axis=-1)
    steep = norm > 1e-9  # at the minimum itself there is no direction to draw
    assert steep.sum() >= len(norm) - 1
    want = -g[steep] / norm[steep, None]
    got = np.column_stack([quiver.U, quiver.V])[steep]
    np.testing.assert_allclose(got, want, atol=1e-12)


def test_a_best_alpha_at_the_end_of_its_range_is_named():
    """On the axis-aligned quadratic the sign-like steps of Adagrad and RMSprop do best
    with the largest α tried; the footnote says so rather than calling it their best.
    On Rosenbrock every best α lies inside its range: nothing is named."""
    from optviz.surfaces import get

    bowl = get("quadratic")
    chosen, note = fair_settings(bowl, bowl.steps)
    top = 10 ** COMPARE_DECADES[1]
    at_top = sorted(
        opt.title
        for opt in chosen.values()
        if np.isclose(opt.lr, bowl.default_lr(opt.name) * top)
    )
    assert at_top == ["Adagrad", "RMSprop"]
    for name in at_top:
        assert f"{name}'s best α is the largest tried" in note
    assert note.count("best α is the") == 2
    rosenbrock = get("rosenbrock")
    _, note = fair_settings(rosenbrock, rosenbrock.steps)
    assert "best α is the" not in note
