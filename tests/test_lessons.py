"""The lessons of the notes' last ideas (optviz.lessons): every number a figure states
checked against a closed form or a hand computation, and every claim true of its
record."""

import numpy as np
import pytest
from scipy.linalg import solve_discrete_lyapunov

from optviz import lessons
from optviz.lessons.names import NAMES
from optviz.records import Lesson


@pytest.fixture(scope="module")
def made():
    """Each lesson, computed once."""
    return {
        "lr-decay": lessons.lr_decay(),
        "decay-rates": lessons.decay_rates(),
        "delta-role": lessons.delta_role(),
        "momentum-sum-vs-adam-average": lessons.momentum_sum(),
    }


@pytest.mark.parametrize(
    "name", ["lr-decay", "decay-rates", "delta-role", "momentum-sum-vs-adam-average"]
)
def test_every_claim_holds_for_its_record(made, name):
    found = lessons.check_claims(made[name])
    assert found and all(c.holds for c in found)


def test_a_false_claim_is_named():
    rec = lessons.momentum_sum()
    rec["momentum"].facts["end"] = 3.0  # not what (1 - β^t)/(1 - β) gives
    with pytest.raises(ValueError, match="does not bear out.*momentum's step"):
        lessons.check_claims(rec)
    with pytest.raises(ValueError, match="no claims for lesson 'nope'"):
        lessons.claims(Lesson("nope", []))


def test_the_names_are_the_recipes():
    from optviz import gallery
    from optviz.lessons.names import ANIMATED, NOTES, STILL
    from optviz.recipes.lessons import LESSONS, still_lessons

    assert tuple(LESSONS) == NOTES
    assert set(still_lessons()) == set(STILL)  # every still lesson has its recipe
    assert set(STILL) | set(ANIMATED) == set(NAMES)
    shown = [e.name for e in gallery.entries() if e.name in NAMES]
    assert shown == list(NAMES)  # in the gallery's order


# -- lr-decay ----------------------------------------------------------------------------
def _regression():
    from optviz.surfaces.linear_regression import make_data

    x, y = make_data(40, 0, 0.5)
    design = np.stack([x, np.ones(40)], axis=1)
    fit = np.linalg.lstsq(design, y, rcond=None)[0]
    return x, y, design, fit


def test_lr_decay_halves_alpha_every_100_steps(made):
    rec = made["lr-decay"]
    alpha = rec["decay"].arrays["alpha"]
    assert alpha[0] == alpha[99] == 0.25 and alpha[100] == 0.125
    assert alpha[-1] == 0.25 / 2**5 == rec["decay"].facts["end_alpha"]  # t = 600
    assert np.all(rec["constant"].arrays["alpha"] == 0.25)


def test_lr_decay_starts_where_the_surface_starts(made):
    x, y, design, fit = _regression()
    start = fit + np.array([-3.5, 3.0])
    loss = lambda wb: np.mean((design @ wb - y) ** 2)  # noqa: E731
    gap0 = loss(start) - loss(fit)
    for label in ("constant", "decay"):
        assert rec_gap(made, label)[0] == pytest.approx(gap0, rel=1e-12)
    np.testing.assert_allclose(made["lr-decay"]["minimum"].arrays["star"], fit)


def rec_gap(made, label):
    return made["lr-decay"][label].arrays["gap"]


def test_lr_decay_floor_matches_the_stationary_noise_of_sgd(made):
    # SGD at a constant α near the minimum: δ ← (I - αH) δ + α ξ, ξ the batch's
    # gradient noise (covariance C1/B times the finite-population factor
    # (n - B)/(n - 1)); its stationary covariance Σ solves Σ = AΣAᵀ + α²C, and
    # E[L - L*] = tr(HΣ)/2.
    x, y, design, fit = _regression()
    n, batch, alpha = 40, 8, 0.25
    residual = design @ fit - y
    hessian = 2 * design.T @ design / n
    per_sample = 2 * residual[:, None] * design  # gradients at the fit, mean 0
    noise = per_sample.T @ per_sample / n / batch * (n - batch) / (n - 1)
    a = np.eye(2) - alpha * hessian
    sigma = solve_discrete_lyapunov(a, alpha**2 * noise)
    expected = 0.5 * np.trace(hessian @ sigma)  # 0.040
    floor = made["lr-decay"]["constant"].facts["end_gap"]
    assert floor == pytest.approx(expected, rel=0.25)
    assert floor == pytest.approx(np.mean(rec_gap(made, "constant")[-200:]))


def test_lr_decay_clouds_and_means_are_their_arrays(made):
    rec = made["lr-decay"]
    star = rec["minimum"].arrays["star"]
    for label in ("constant", "decay"):
        panel = rec[label]
        assert panel.arrays["cloud"].shape == (100, 2)
        radius = np.abs(panel.arrays["cloud"] - star).max()
        assert panel.facts["radius"] == pytest.approx(radius)
        gap = panel.arrays["gap"]
        assert panel.arrays["gap_mean"][0] == pytest.approx(np.mean(gap[:20]))
    assert rec["decay"].facts["radius"] < 0.01 < 0.1 < rec["constant"].facts["radius"]


# -- decay-rates ---------------------------------------------------------------------------
def _rmsprop_closed_form(rho, steps=5000, switch=100, delta=1e-8):
    """step/α of RMSprop under g = 1 (t ≤ switch), then 0.1: r_t in closed form."""
    t = np.arange(1, steps + 1)
    r_switch = 1 - rho**switch
    k = t - switch
    r = np.where(t <= switch, 1 - rho**t, rho**k * r_switch + (1 - rho**k) * 0.01)
    g = np.where(t <= switch, 1.0, 0.1)
    return g / (np.sqrt(r) + delta)


def _adam_closed_form(rho2, rho1=0.9, steps=5000, switch=100, delta=1e-8):
    t = np.arange(1, steps + 1)
    k = t - switch
    s = np.where(
        t <= switch, 1 - rho1**t, rho1**k * (1 - rho1**switch) + (1 - rho1**k) * 0.1
    )
    r = np.where(
        t <= switch, 1 - rho2**t, rho2**k * (1 - rho2**switch) + (1 - rho2**k) * 0.01
    )
    s_hat, r_hat = s / (1 - rho1**t), r / (1 - rho2**t)
    return s_hat / (np.sqrt(r_hat) + delta)


def _recovered(step, switch=100):
    after = step[switch:]
    low = np.argmax(after < 0.5)
    return int(low + np.argmax(after[low:] >= 0.5)) + 1


def test_decay_rates_follow_the_closed_forms(made):
    rec = made["decay-rates"]
    for j, rho in enumerate((0.9, 0.99)):
        expected = _rmsprop_closed_form(rho)
        np.testing.assert_allclose(rec["rmsprop"].arrays["step"][:, j], expected, rtol=1e-9)
        assert rec["rmsprop"].facts["recovered"][j] == _recovered(expected)
    for j, rho2 in enumerate((0.99, 0.999)):
        expected = _adam_closed_form(rho2)
        np.testing.assert_allclose(rec["adam"].arrays["step"][:, j], expected, rtol=1e-9)
        assert rec["adam"].facts["recovered"][j] == _recovered(expected)


def test_decay_rates_recoveries_by_hand(made):
    # RMSprop, ρ = 0.9: r = 0.9^k (r_100 - 0.01) + 0.01 <= 0.04 when
    # k >= ln(0.03 / 0.99) / ln 0.9 = 33.2: 34 steps. ρ = 0.99: r_100 = 1 - 0.99^100
    # = 0.634; k >= ln(0.03 / 0.624) / ln 0.99 = 302.0: 302 steps.
    assert made["decay-rates"]["rmsprop"].facts["recovered"] == [34, 302]
    assert made["decay-rates"]["adam"].facts["recovered"] == [305, 1398]


# -- delta-role ----------------------------------------------------------------------------
def test_delta_role_first_step_by_hand(made):
    # t = 1: r = (1 - ρ) g² = 0.5, so w1 = 1 - 0.01 / (sqrt(0.5) + δ)
    rec = made["delta-role"]
    for panel in rec.panels[:-1]:
        d = panel.facts["delta"]
        assert panel.arrays["dist"][1] == pytest.approx(1 - 0.01 / (np.sqrt(0.5) + d))


def test_delta_role_ends_in_the_two_cycle_or_arrives(made):
    # the 2-cycle w = ±c needs the step α c / (c + δ) = 2c: c = α/2 - δ
    rec = made["delta-role"]
    small, middle, large = rec.panels[:-1]
    assert small.facts["hover"] == pytest.approx(0.005 - 1e-8, rel=1e-4)
    assert middle.facts["hover"] == pytest.approx(0.002, rel=1e-4)
    assert large.facts["hover"] is None and large.facts["arrived"] == 187
    dist = large.arrays["dist"]
    assert dist[186] >= 1e-8 > dist[187] and np.all(np.isnan(dist[188:]))
    for panel in (small, middle):  # the rate ends at 2 = 2/λ, the stability limit
        assert panel.arrays["rate"][-1] == pytest.approx(2, rel=1e-3)
    assert (
        np.nanmax(large.arrays["rate"]) <= 0.01 / 0.05 == pytest.approx(large.facts["cap"])
    )


# -- momentum-sum-vs-adam-average ----------------------------------------------------------
def test_momentum_sum_closed_forms(made):
    rec = made["momentum-sum-vs-adam-average"]
    t = np.arange(1, 61)
    np.testing.assert_allclose(rec["momentum"].arrays["step"], (1 - 0.9**t) / 0.1)
    np.testing.assert_allclose(rec["adam"].arrays["s_hat"], 1.0)
    np.testing.assert_allclose(rec["adam"].arrays["s"], 1 - 0.9**t)
    assert rec["momentum"].facts["sum"] == pytest.approx(10)  # 1/(1 - β)
    assert rec["adam"].facts["sum"] == 1
    k = np.arange(40)
    np.testing.assert_allclose(rec["momentum"].arrays["weights"], 0.9**k)
    np.testing.assert_allclose(rec["adam"].arrays["weights"], 0.1 * 0.9**k)


def test_a_lesson_survives_saving(made, tmp_path):
    rec = made["delta-role"]
    rec.save(tmp_path / "d.npz")
    back = Lesson.load(tmp_path / "d.npz")
    assert [p.facts for p in back.panels] == [p.facts for p in rec.panels]
    np.testing.assert_array_equal(
        back.panels[0].arrays["dist"], rec.panels[0].arrays["dist"]
    )


# -- padding-coverage ----------------------------------------------------------------------
def _per_axis(side, kernel, padding):
    """How many windows cover each position along one axis, counted by hand."""
    starts = range(-padding, side + padding - kernel + 1)
    return np.array([sum(s <= x < s + kernel for s in starts) for x in range(side)])


def test_padding_coverage_counts_by_hand():
    rec = lessons.padding_coverage()
    for padding, expected_axis in ((0, [1, 2, 3, 3, 3, 2, 1]), (1, [2, 3, 3, 3, 3, 3, 2])):
        axis = _per_axis(7, 3, padding)
        assert axis.tolist() == expected_axis
        panel = rec[f"P={padding}"]
        np.testing.assert_array_equal(panel.arrays["reads"], np.outer(axis, axis))
    assert (rec["P=0"].facts["corner"], rec["P=0"].facts["edge"]) == (1, 3)
    assert (rec["P=1"].facts["corner"], rec["P=1"].facts["edge"]) == (4, 6)
    assert rec["P=0"].facts["centre"] == rec["P=1"].facts["centre"] == 9
    assert (rec["P=0"].facts["output"], rec["P=1"].facts["output"]) == (5, 7)
    assert lessons.check_claims(rec)


# -- stride-kernel -----------------------------------------------------------------------
def test_stride_kernel_table_by_hand():
    rec = lessons.stride_kernel()
    sizes = rec["table"].arrays["sizes"]
    for i, fh in enumerate(range(1, 6)):
        for j, s in enumerate(range(1, 5)):
            span = 8 - fh
            assert sizes[i, j] == (span // s + 1 if span % s == 0 else 0), (fh, s)
    assert (sizes == 0).sum() == 10 and sizes.size == 20
    refused = rec["refused"]
    assert refused.arrays["starts"].tolist() == [0, 2, 4, 6]
    assert refused.facts["overhang"] == 1  # the window at 6 needs pixels 6, 7, 8
    assert refused.facts["message"] == (
        "ValueError: H2 = (H1 - FH + 2P)/S + 1 = (8 - 3 + 2*0)/2 + 1 = 3.5 "
        "is not a whole number"
    )
    assert lessons.check_claims(rec)


# -- initialisation ----------------------------------------------------------------------
def test_initialisation_equal_units_stay_equal_and_random_ones_part():
    rec = lessons.initialisation()
    equal, random = rec["equal"], rec["random"]
    w = equal.arrays["weights"]  # (steps + 1, units, inputs)
    assert w.shape == (151, 3, 2)
    np.testing.assert_array_equal(w[0], 0.5)
    # by symmetry the three rows are identical at every step, to the last bit
    assert np.array_equal(w[:, 0], w[:, 1]) and np.array_equal(w[:, 0], w[:, 2])
    assert equal.facts["spread"] == 0.0
    assert random.facts["spread"] > 0.5
    # the first loss by hand: every hidden output is tanh(0.5 (x1 + x2)), the output
    # 3 * 0.5 * tanh(...), on XOR's four points with targets ±1
    x = np.array([[-1, -1], [-1, 1], [1, -1], [1, 1]], dtype=float)
    y = np.array([-1, 1, 1, -1], dtype=float)
    out = 1.5 * np.tanh(0.5 * x.sum(axis=1))
    assert equal.arrays["loss"][0] == pytest.approx(np.mean((out - y) ** 2))
    assert equal.facts["end_loss"] > 0.5 > 1e-6 > random.facts["end_loss"]
    assert lessons.check_claims(rec)


# -- zero-mean-zigzag ---------------------------------------------------------------------
def test_zigzag_updates_are_minus_alpha_error_times_x():
    rec = lessons.zero_mean_zigzag()
    x = np.random.default_rng(0).uniform(0, 1, size=(200, 2))
    for label, inputs in (("positive", x), ("centred", x - 0.5)):
        path, updates = rec[label].arrays["path"], rec[label].arrays["updates"]
        assert path.shape == (61, 2) and np.all(path[0] == 0)
        for i in (0, 1, 30):  # Δw = -α (w·x - y) x, y = w*·x; MSE's 2 absorbed: 2α
            xi = inputs[i]
            err = path[i] @ xi - np.array([1.0, -1.0]) @ xi
            np.testing.assert_allclose(updates[i], -2 * 0.5 * err * xi, atol=1e-12)
    pos, cen = rec["positive"].facts, rec["centred"].facts
    assert pos["same_sign"] == 1.0 and cen["same_sign"] == pytest.approx(25 / 60)
    assert pos["length"] > 2 * cen["length"] > np.sqrt(2)  # the straight line is √2
    assert lessons.check_claims(rec)


# -- leaky-prelu -------------------------------------------------------------------------
def test_prelu_a_follows_its_closed_form():
    # a_{t+1} - a* = (1 - α c)(a_t - a*), c = (2/n) Σ_{x ≤ 0} x², a* = 0.1
    rec = lessons.leaky_prelu()
    x = np.linspace(-2, 2, 41)
    c = 2 / 41 * np.sum(x[x <= 0] ** 2)
    t = np.arange(81)
    expected = 0.1 + (1 - 0.05 * c) ** t * (0.25 - 0.1)
    np.testing.assert_allclose(rec["prelu"].arrays["a"], expected, rtol=1e-12)
    np.testing.assert_array_equal(rec["leaky"].arrays["a"], 0.01)
    # LeakyReLU's loss by hand: only x <= 0 misses, by (0.1 - 0.01) x
    leaky_loss = np.mean(np.where(x <= 0, (0.09 * x) ** 2, 0.0))
    assert rec["leaky"].facts["loss"] == pytest.approx(leaky_loss)
    assert lessons.check_claims(rec)


# -- dying-relu ----------------------------------------------------------------------------
def test_dying_relu_units_stay_dead():
    rec = lessons.dying_relu()
    small, large = rec.panels[0], rec.panels[1]
    assert (small.facts["alpha"], large.facts["alpha"]) == (0.05, 0.1)
    assert small.facts["dead"] == 0 and small.facts["end_loss"] < 0.2
    assert large.facts["dead_early"] == 45 and large.facts["dead"] == 50
    assert (
        large.facts["peak"] > 100 and large.facts["end_loss"] > 2 * small.facts["end_loss"]
    )
    died = large.arrays["died_at"]
    assert (died >= 0).sum() == 50 and died.max() <= 200
    assert np.all(np.diff(large.arrays["dead"]) >= 0)  # none comes back
    assert large.facts["unchanged"] is True
    assert lessons.check_claims(rec)


def test_a_dead_unit_gets_no_gradient():
    # the claim's reason, by hand on the project's layers: a unit whose input is <= 0
    # for every sample gets a zero row in dL/dW and a zero bias gradient
    from optviz.nn import Dense, MSELoss, ReLU, Sequential

    net = Sequential(Dense(2, 3), ReLU(), Dense(3, 1), seed=0, dtype=np.float64)
    net[0].weight[1] = [1.0, 1.0]
    net[0].bias[1] = -10.0  # unit 2: w·x + b < 0 for the inputs below
    x = np.random.default_rng(1).uniform(-1, 1, size=(16, 2))
    loss = MSELoss()
    loss(net.forward(x), np.ones((16, 1)))
    net.backward(loss.backward())
    assert np.all(net[0].grad_weight[1] == 0) and net[0].grad_bias[1] == 0


# -- relu-explosion ------------------------------------------------------------------------
def test_relu_explosion_factors_match_the_variance_rule():
    # E|g_{l-1}|^2 = (σ² n / 2) E|g_l|^2: the factor per layer is sqrt(σ² n / 2)
    rec = lessons.relu_explosion()
    expected = {"N(0, 1)": np.sqrt(32), "He: N(0, 2/n)": 1.0, "N(0, 0.01)": np.sqrt(0.32)}
    for label, factor in expected.items():
        f = rec[label].facts
        assert f["theory"] == pytest.approx(factor)
        assert f["factor"] == pytest.approx(factor, rel=0.1)
        norm = rec[label].arrays["norm"]
        assert f["growth"] == pytest.approx(norm[0] / norm[-1])
        assert f["growth"] == pytest.approx(factor**19, rel=0.7)  # 19 layers down
    assert rec["N(0, 1)"].facts["growth"] > 1e13
    assert lessons.check_claims(rec)


# -- batch-size ----------------------------------------------------------------------------
def test_batch_size_spread_and_epoch():
    from optviz.surfaces.linear_regression import linear_regression, make_data

    rec = lessons.batch_size()
    x, y = make_data(40, 0, 0.5)
    start = np.asarray(linear_regression().start)
    residual = start[0] * x + start[1] - y
    per_sample = np.stack([2 * residual * x, 2 * residual], axis=1)  # by hand
    full = per_sample.mean(axis=0)
    sigma = np.sqrt(np.mean(np.sum((per_sample - full) ** 2, axis=1)))
    noise = rec["noise"]
    assert noise.facts["sigma"] == pytest.approx(sigma)
    b = noise.arrays["size"]
    np.testing.assert_allclose(noise.arrays["with"], sigma / np.sqrt(b), rtol=0.05)
    fpc = np.sqrt((40 - b) / 39)
    np.testing.assert_allclose(
        noise.arrays["without"], sigma / np.sqrt(b) * fpc, rtol=0.05, atol=1e-9
    )
    epoch = rec["epoch"]
    assert epoch.arrays["samples"].sum() == 40  # every sample counted once
    assert (epoch.arrays["times"] * epoch.arrays["samples"]).sum() == 40  # 40 draws
    assert epoch.facts["expected_unused"] == pytest.approx(40 * (39 / 40) ** 40)
    assert epoch.facts["unused"] == 12 and epoch.facts["most"] == 4
    assert lessons.check_claims(rec)


def test_the_sliding_window_redraws_from_its_saved_record(tmp_path):
    from optviz import recipes

    made = recipes.sliding_window()
    made.record.save(tmp_path / "w.npz")
    loaded = recipes.load_record(tmp_path / "w.npz")
    assert loaded.meta["figure"] == {"recipe": "cnn:sliding_window"}
    made.animation.save(tmp_path / "made.gif")
    recipes.redraw(loaded).animation.save(tmp_path / "again.gif")
    assert (tmp_path / "again.gif").read_bytes() == (tmp_path / "made.gif").read_bytes()
