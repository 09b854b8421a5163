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
    result = recipes.momentum_beta()
    lesson, fig = result.record, result.figure
    maps = [ax for ax in fig.axes if ax.get_title(loc="left").startswith("β = ")]
    assert len(maps) == 4
    for ax, panel in zip(maps, lesson.panels):
        traj = trajectory_of(panel)
        beta, alpha = panel.facts["beta"], panel.facts["alpha"]
        arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
        per_step = 3 if beta > 0 else 2  # β v, −α g, new v (no β v at β = 0)
        assert len(arrows) == per_step * len(panel.facts["arrows_at"]) > 0
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        for i, k in enumerate(panel.facts["arrows_at"]):
            group = arrows[per_step * i : per_step * (i + 1)]
            new_v = np.subtract(group[-1].xy, group[-1].xyann)
            # the drawn sum is the update: w_k+1 − w_k = β (w_k − w_k−1) − α g_k
            np.testing.assert_allclose(new_v, traj.xy[k + 1] - traj.xy[k], atol=1e-12)
            np.testing.assert_allclose(
                new_v, beta * (traj.xy[k] - traj.xy[k - 1]) - alpha * traj.grad[k],
                atol=1e-12,
            )  # fmt: skip
            np.testing.assert_allclose(group[-2].xy, group[-1].xy, atol=1e-12)  # tip to tip
            for arrow in group:  # no arrow leaves its panel
                for x, y in (arrow.xy, arrow.xyann):
                    assert x0 <= x <= x1 and y0 <= y <= y1
    # κ = 20: β* = ((√20 − 1)/(√20 + 1))² = 0.634512² = 0.4026; β = 0.5, nearest,
    # alone reaches f − f* < 1e-4; β = 0.9 ends behind no momentum; 0.99 never arrives
    assert lesson.settings["beta_star"] == pytest.approx(0.402605, abs=1e-6)
    by = {p.facts["beta"]: p.facts for p in lesson.panels}
    assert [b for b, f in by.items() if f["steps_to_tol"] >= 0] == [0.5]
    assert by[0.5]["final_gap"] < 1e-4 < by[0.0]["final_gap"] < by[0.9]["final_gap"]
    assert by[0.99]["steps_to_tol"] == -1


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


def test_the_comparisons_claims_are_true_of_their_runs(compares):
    from optviz.compare_claims import claims
    from optviz.surfaces import get

    # Himmelblau from (1, −1): x² + y − 11 = −11, x + y² − 7 = −5, so
    # g = (4·(−11) + 2·(−5), 2·(−11) + 4·(−1)·(−5)) = (−54, −2)
    run = compares["himmelblau"].record
    np.testing.assert_array_equal(run.start, [1.0, -1.0])
    for t in run:
        np.testing.assert_allclose(t.grad[0], [-54.0, -2.0], rtol=1e-12)
        step = t.xy[1] - t.xy[0]
        if t.optimizer in ("adagrad", "rmsprop", "adam"):  # g/√r = sign g at t = 1
            assert step[0] == pytest.approx(step[1], rel=1e-6) and step[0] > 0
        else:  # along −g = (54, 2)
            assert step[1] / step[0] == pytest.approx(2 / 54, rel=1e-9)
    # (1, −1) is nearest D = (3.584428, −1.848126) (2.72 away; A = (3, 2) is 3.61):
    # SGD and momentum end at D, the three adaptive methods at A
    ends = {t.optimizer: t.xy[-1] for t in run}
    for name in ("sgd", "momentum"):
        np.testing.assert_allclose(ends[name], [3.584428, -1.848126], atol=1e-3)
    for name in ("adagrad", "rmsprop", "adam"):
        np.testing.assert_allclose(ends[name], [3.0, 2.0], atol=1e-3)
    assert all(c.holds for c in claims(get("himmelblau"), run))
    # Rosenbrock: RMSprop's loss rises 100x within 10 steps after its first tenth
    (rms,) = [t for t in compares["rosenbrock"].record if t.optimizer == "rmsprop"]
    loss = rms.loss
    rises = [
        loss[k + 1 : k + 11].max() / loss[k]
        for k in range(max(10, len(loss) // 10), len(loss) - 1)
    ]
    assert max(rises) > 100


def test_the_saddle_escape_order_of_the_gallery_figure():
    from optviz.compare_claims import claims
    from optviz.surfaces import get

    specs = [
        "sgd:lr=0.02",
        "momentum:lr=0.002,momentum=0.9",  # α/(1 − β) = 0.02
        "adagrad:lr=0.02",
        "rmsprop:lr=0.02",
        "adam:lr=0.02",
    ]  # as plot_26's command
    run = recipes.compare("saddle", specs, steps=200).record
    first = {}
    for t in run:
        below = np.flatnonzero(t.loss < -1)
        first[t.optimizer] = int(below[0]) if len(below) else None
    # SGD on x² − y² from (−1.8, 0.01): x_t = −1.8·0.96ᵗ, y_t = 0.01·1.04ᵗ; f < −1
    # first at t = 118 (y = 1.0232, x² = 2.1e-4; at 117 y² = 0.968)
    t = np.arange(201)
    f = (1.8 * 0.96**t) ** 2 - (0.01 * 1.04**t) ** 2
    assert first["sgd"] == int(np.flatnonzero(f < -1)[0]) == 118
    assert max(first["rmsprop"], first["adam"]) < min(first["sgd"], first["momentum"])
    assert first["adagrad"] is None  # r sums every g²: still on the ridge at 200
    assert all(c.holds for c in claims(get("saddle"), run))


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
    axes = [a for a in fig.axes if isinstance(a, Axes3D)]
    assert len(axes) == 2  # one panel per optimizer, named in its title
    assert ["SGD" in axes[0].get_title(), "Adam" in axes[1].get_title()] == [True, True]
    for ax, traj in zip(axes, run):
        (line,) = [ln for ln in ax.get_lines() if len(ln.get_data_3d()[0]) > 1]
        x, y, z = (np.asarray(v) for v in line.get_data_3d())
        np.testing.assert_allclose(np.stack([x, y], axis=-1), traj.xy)  # its own path
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
def test_basin_map_colours_every_start_by_where_it_ended():
    from optviz.plot.maps import BASIN_COLORS, map_image
    from optviz.plot.style import COLORS
    from optviz.records.startmap import DIVERGED, NONE
    from optviz.startmap import start_map
    from optviz.surfaces import get

    # Himmelblau's four minima, A to D (Himmelblau 1972)
    minima = np.array(
        [[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]]
    )
    surface = get("himmelblau")
    smap = start_map(surface, [SGD(lr=0.01), Adagrad(lr=0.5)], grid=16, steps=60)
    for panel in smap:
        codes, cmap, _ = map_image(panel, "basin")
        n = int(panel.basin.max()) + 1
        reached = panel.basin >= 0
        # black: diverged; grey: ended near no minimum; a basin's colour where it
        # is within tol, its lighter shade where it ended there still moving
        assert np.array_equal(codes == 0, panel.basin == DIVERGED)
        assert np.array_equal(codes == 1, panel.basin == NONE)
        done = reached & (panel.steps_to_tol >= 0)
        moving = reached & (panel.steps_to_tol < 0)
        np.testing.assert_array_equal(codes[done], panel.basin[done] + 2)
        np.testing.assert_array_equal(codes[moving], panel.basin[moving] + 2 + n)
        assert np.all(reached[panel.steps_to_tol >= 0])  # converged: at a minimum
        # the basin is the minimum nearest the end (hand-listed minima)
        ends = panel.final_xy[reached]
        nearest = np.argmin(np.linalg.norm(ends[:, None] - minima, axis=-1), axis=1)
        np.testing.assert_array_equal(panel.basin[reached], nearest)
        assert len(cmap.colors) == 2 + 2 * n
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
