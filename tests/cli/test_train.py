"""``optviz train``: the files it writes, and one-line errors for bad input."""

import json
import os

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error
from PIL import Image

from optviz.cli import main
from optviz.plot.style import color


def invoke(*args):
    return CliRunner().invoke(main, ["train", *args], catch_exceptions=False)


def test_default_optimizers_write_history_curves_and_settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("--epochs", "2")
    assert result.exit_code == 0, result.output
    out = tmp_path / "optviz-train"
    history = pd.read_csv(out / "history.csv")
    for column in ("optimizer", "epoch", "train_loss", "val_loss", "val_accuracy"):
        assert column in history.columns
    assert history.optimizer.tolist() == [
        name for name in ("sgd", "momentum", "adagrad", "rmsprop", "adam") for _ in (1, 2)
    ]
    assert history.epoch.tolist() == [1, 2] * 5
    assert history.val_accuracy.iloc[-1] > 0.5
    settings = json.loads((out / "settings.json").read_text())
    assert settings["meta"]["settings"]["epochs"] == 2
    assert settings["meta"]["settings"]["batch_size"] == 64
    assert settings["meta"]["data"]["n_train"] == 1438
    assert settings["meta"]["network"][0] == "Conv2D(1, 32, kernel_size=3, padding=1)"
    assert settings["optimizers"][4]["hyperparameters"]["lr"] == 0.002
    with Image.open(out / "curves.png") as im:
        assert im.format == "PNG" and im.width > 1200
        pixels = np.asarray(im.convert("RGB")).astype(int)
    for name in ("sgd", "adam"):  # each optimizer in its optviz colour
        rgb = [int(color(name)[i : i + 2], 16) for i in (1, 3, 5)]
        assert np.all(np.abs(pixels - rgb) < 12, axis=-1).sum() > 100, name
    assert not [p for p in os.listdir(out) if p.endswith(".part")]


def test_chosen_optimizers_shapes_and_snapshots(tmp_path):
    out = tmp_path / "deep" / "run"
    result = invoke(
        "--dataset",
        "shapes:n=200,size=12",
        "-o",
        "sgd:lr=0.05",
        "-o",
        "adam",
        "--epochs",
        "1",
        "--batch-size",
        "32",
        "--seed",
        "3",
        "--out",
        str(out),
        "--snapshot-every",
        "epoch",
    )
    assert result.exit_code == 0, result.output
    history = pd.read_csv(out / "history.csv")
    assert history.label.tolist() == ["sgd", "adam"]
    settings = json.loads((out / "settings.json").read_text())
    assert settings["optimizers"][0]["hyperparameters"]["lr"] == 0.05
    assert settings["seed"] == 3
    assert (out / "history-snapshots.npz").is_file()


def test_same_seed_same_files(tmp_path):
    for name in ("a", "b"):
        result = invoke("-o", "momentum", "--epochs", "1", "--out", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    for name in ("history.csv", "history-steps.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize(
    "args, fragments",
    [
        (["--dataset", "mnist"], ["unknown dataset 'mnist'", "idx:DIR"]),
        (["--dataset", "idx:/no/such/folder"], ["is not a folder"]),
        (["--epochs", "0"], ["--epochs", "0"]),
        (["--epochs", "100000"], ["--epochs"]),
        (["--batch-size", "0"], ["--batch-size"]),
        (["--batch-size", "-3"], ["--batch-size"]),
        (["-o", "adma"], ["unknown optimizer 'adma'", "Did you mean adam"]),
        (["-o", "sgd:lr=-1"], ["lr must be > 0"]),
        (["--snapshot-every", "0"], ["--snapshot-every"]),
        (["--seed", "-1"], ["--seed"]),
    ],
)
def test_bad_input_is_a_one_line_error(tmp_path, args, fragments):
    result = invoke(*args, "--out", str(tmp_path / "out"))
    assert_one_line_error(result, *fragments, in_last_line=False)
    assert not (tmp_path / "out" / "history.csv").exists()


def test_unwritable_out_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert_one_line_error(
        invoke("--out", str(blocker)), "is a file, not a folder", in_last_line=False
    )
    assert_one_line_error(
        invoke("--out", str(blocker / "sub")), "is a file, not a folder", in_last_line=False
    )
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        assert_one_line_error(
            invoke("--out", str(locked)), "not writable", in_last_line=False
        )


def test_bad_idx_files_are_a_one_line_error(tmp_path):
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"\x00\x00\x08\x03" + b"\x00" * 5)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(
        b"\x00\x00\x08\x01\x00\x00\x00\x01\x00"
    )
    result = invoke("--dataset", f"idx:{tmp_path}", "--out", str(tmp_path / "out"))
    assert_one_line_error(result, "truncated", in_last_line=False)
