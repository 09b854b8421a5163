"""The trainer's optimizer hook-up: Muon on the weights as matrices (conv kernels
flattened), AdamW with its defaults on the biases; every other optimizer as it is."""

import math

import numpy as np
import pandas as pd
from click.testing import CliRunner

from optviz.cli import main
from optviz.nn.stepping import optimizer_step, split_matrices
from optviz.optimizers import SGD, Muon

A, B, C = 3.4445, -4.7750, 2.0315  # Muon's Newton-Schulz coefficients


def quintic(sigma, steps=5):
    """What NS_5 does to each singular value (all equal here): s <- a s + b s^3 + c s^5."""
    for _ in range(steps):
        sigma = A * sigma + B * sigma**3 + C * sigma**5
    return sigma


def test_muon_steps_a_flattened_kernel_a_dense_weight_and_biases_by_adamw():
    kernel = np.arange(8.0).reshape(2, 1, 2, 2) / 10  # (F, C, FH, FW) -> (2, 4)
    bias = np.array([0.5, -0.2])
    dense = np.ones((3, 2))  # tall: Muon scales its step by sqrt(3/2)
    g_kernel = 3 * np.array([[1.0, 1, 0, 0], [0, 0, 1, -1]]).reshape(2, 1, 2, 2)
    g_bias = np.array([2.0, -1e-3])
    g_dense = 2 * np.array([[1.0, 0], [0, 1], [0, 0]])
    start = [kernel.copy(), bias.copy(), dense.copy()]
    step = optimizer_step(Muon(lr=0.1), [kernel, bias, dense], [g_kernel, g_bias, g_dense])
    step()
    # both matrices have two equal singular values: after X = G/||G||_F each is 1/sqrt(2)
    sigma = quintic(1 / math.sqrt(2))
    q_kernel = np.array([[1.0, 1, 0, 0], [0, 0, 1, -1]]) / math.sqrt(2)  # rows orthonormal
    expect_kernel = (1 - 0.1 * 0.1) * start[0].reshape(2, 4) - 0.1 * sigma * q_kernel
    np.testing.assert_allclose(kernel.reshape(2, 4), expect_kernel, rtol=0, atol=1e-13)
    assert kernel.shape == (2, 1, 2, 2)
    q_dense = g_dense / 2
    expect_dense = (1 - 0.1 * 0.1) * start[2] - 0.1 * math.sqrt(1.5) * sigma * q_dense
    np.testing.assert_allclose(dense, expect_dense, rtol=0, atol=1e-13)
    # AdamW's first step with torch's defaults: s_hat = g, r_hat = g^2
    expect_bias = start[1] * (1 - 1e-3 * 1e-2) - 1e-3 * g_bias / (np.abs(g_bias) + 1e-8)
    np.testing.assert_allclose(bias, expect_bias, rtol=0, atol=1e-16)


def test_the_matrices_are_views_and_other_optimizers_step_everything_as_it_is():
    kernel, bias = np.zeros((4, 2, 3, 3)), np.zeros(4)
    mats, _, others, _ = split_matrices([kernel, bias], [kernel * 0, bias * 0])
    assert mats[0].shape == (4, 18) and np.shares_memory(mats[0], kernel)
    assert others[0] is bias
    w, g = np.ones((2, 1, 2, 2)), np.full((2, 1, 2, 2), 2.0)
    optimizer_step(SGD(lr=0.25), [w], [g])()
    assert np.all(w == 0.5)


def test_optviz_train_with_muon_runs_one_epoch(tmp_path):
    out = tmp_path / "run"
    args = ["train", "-o", "muon", "--epochs", "1", "--limit", "200", "--out", str(out)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    history = pd.read_csv(out / "history.csv")
    assert history.optimizer.tolist() == ["muon"]
    assert not history.diverged.iloc[0]
    assert np.isfinite(history.val_loss.iloc[0])


def test_help_and_list_say_how_muon_trains_the_cnn():
    text = CliRunner().invoke(main, ["train", "--help"]).output
    assert "Muon (-o muon) takes the weights as matrices" in " ".join(text.split())
    listing = CliRunner().invoke(main, ["list"]).output
    assert "CNN biases: AdamW" in " ".join(listing.split())
