"""Noisy gradients on any surface: exactly the seeded draws, the same bytes for the same
seed, and sigma = 0 is the noiseless run exactly."""

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error

from optviz.cli import main
from optviz.optimizers import SGD, Adam
from optviz.run import run_surface
from optviz.surfaces import Noise, get, with_noise
from optviz.user_surfaces import resolve


def test_additive_noise_is_sigma_times_the_seeded_normal_draws():
    s = get("rosenbrock")
    noisy = with_noise(s, 0.3, seed=7).gradient_fn()
    xy = np.array([[-1.2, 1.0], [0.5, 0.5]])
    xi = np.random.default_rng(7).standard_normal((2, 2, 2))  # two calls of (2, 2)
    np.testing.assert_array_equal(noisy(xy), s.grad(xy) + 0.3 * xi[0])
    np.testing.assert_array_equal(noisy(xy), s.grad(xy) + 0.3 * xi[1])


def test_relative_noise_scales_with_the_gradients_norm():
    s = get("quadratic")
    noisy = with_noise(s, 0.5, relative=True, seed=1).gradient_fn()
    xy = np.array([[3.0, 4.0]])  # grad (3, 40): norm sqrt(1609)
    xi = np.random.default_rng(1).standard_normal((1, 2))
    expected = np.array([[3.0, 40.0]]) + 0.5 * np.sqrt(1609.0) * xi
    np.testing.assert_allclose(noisy(xy), expected, rtol=1e-15)
    np.testing.assert_array_equal(
        noisy(np.zeros((1, 2))), [[0.0, 0.0]]
    )  # no slope, no noise


def test_every_optimizer_sees_the_same_stream_and_the_same_seed_the_same_run():
    s = with_noise(get("himmelblau"), 1.0, seed=3)
    opts = {"sgd": SGD(lr=0.01), "adam": Adam(lr=0.1)}
    a = run_surface(s, opts, steps=50)
    b = run_surface(s, opts, steps=50)
    for label in opts:
        np.testing.assert_array_equal(a[label].xy, b[label].xy)
    # both start at the same point, so their first (noisy) gradients are equal
    np.testing.assert_array_equal(a["sgd"].grad[0], a["adam"].grad[0])
    clean = run_surface(get("himmelblau"), opts, steps=50)
    assert not np.array_equal(a["sgd"].xy, clean["sgd"].xy)
    other = run_surface(with_noise(get("himmelblau"), 1.0, seed=4), opts, steps=50)
    assert not np.array_equal(a["sgd"].xy, other["sgd"].xy)


def test_sigma_zero_is_the_noiseless_run_exactly():
    s = get("beale")
    assert with_noise(s, 0.0, seed=5) is s
    from dataclasses import replace

    zero = replace(s, noise=Noise(0.0, seed=5))  # the noise machinery at sigma = 0
    opts = {"adam": Adam(lr=0.1)}
    np.testing.assert_array_equal(
        run_surface(zero, opts, steps=40)["adam"].xy,
        run_surface(s, opts, steps=40)["adam"].xy,
    )


def test_a_noisy_surfaces_name_reads_back():
    s = resolve("x**2 + 10*y**2", noise="0.25:relative", seed=2)
    assert s.name == "x**2 + 10*y**2 ~ noise 0.25:relative seed 2"
    again = resolve(s.name)
    assert again.noise == Noise(0.25, True, 2) and again.title == s.title
    assert "noisy gradients (σ = 0.25 |g|)" in s.title


@pytest.mark.parametrize("sigma", [-1.0, float("nan"), float("inf")])
def test_bad_sigma(sigma):
    with pytest.raises(ValueError, match="noise sigma must be a finite number >= 0"):
        Noise(sigma)


def _compare(tmp_path, name, *extra):
    out = tmp_path / name
    args = ["compare", "himmelblau", "-o", "sgd", "--steps", "60", "--out", str(out)]
    result = CliRunner().invoke(main, args + list(extra))
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_the_cli_same_seed_same_bytes_and_sigma_zero_is_noiseless(tmp_path):
    a = _compare(tmp_path, "a.png", "--noise", "2", "--seed", "1")
    assert a == _compare(tmp_path, "b.png", "--noise", "2", "--seed", "1")
    assert a != _compare(tmp_path, "c.png", "--noise", "2", "--seed", "2")
    assert _compare(tmp_path, "d.png", "--noise", "0", "--seed", "9") == _compare(
        tmp_path, "e.png"
    )


@pytest.mark.parametrize(
    "args, code, fragment",
    [
        (["compare", "--noise", "abc"], 2, "is not SIGMA or SIGMA:relative"),
        (["compare", "--noise", "0.1:loud"], 2, "only 'relative'"),
        (["compare", "--noise", "-1"], 2, "finite number >= 0"),
        (["compare", "--seed", "-1"], 2, "--seed"),
        (["explore", "--noise", "0.1"], 1, "exact gradients"),
    ],
)
def test_bad_noise_is_one_line(args, code, fragment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code
    assert_one_line_error(result, fragment, in_last_line=False)
