"""CNN sweeps: local and Dask paths agree, the cache resumes, the CLI writes its files."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import optviz.cnn_sweep as cs
from optviz.cli import main
from optviz.cnn_sweep import RunCache, cnn_sweep, make_jobs

# A tiny problem: 60 digits, 1 epoch, a network of 2 and 4 kernels.
TINY = dict(dataset="digits", epochs=1, batch_size=16, limit=60, channels=(2, 4))
NUMBERS = ["final_val_accuracy", "final_val_loss", "final_train_loss", "diverged"]


def _jobs(seeds=2):
    return make_jobs(["sgd", "adam:schedule=cosine"], [0.01, 0.1], seeds=seeds, **TINY)


def test_jobs_are_checked_before_training():
    jobs = _jobs()
    assert len(jobs) == 2 * 2 * 2
    assert {j.label for j in jobs} == {"sgd", "adam"}
    with pytest.raises(ValueError, match="a sweep sets lr itself"):
        make_jobs(["adam:lr=0.1"], [0.01], **TINY)
    with pytest.raises(ValueError, match="unknown dataset"):
        make_jobs(["sgd"], [0.01], dataset="digitz")
    with pytest.raises(ValueError, match="warmup must be <"):
        make_jobs(["sgd:schedule=cosine,warmup=1000"], [0.01], **TINY)


def test_local_and_dask_paths_give_the_same_results(tmp_path):
    distributed = pytest.importorskip("distributed")
    jobs = _jobs()
    local = cnn_sweep(jobs, n_jobs=2, cache=None).frame
    with (
        distributed.LocalCluster(
            n_workers=2, processes=False, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = cnn_sweep(jobs, scheduler=client, cache=None)
    assert remote.meta["parallel"].startswith("joblib's Dask backend on")
    pd.testing.assert_frame_equal(local[NUMBERS], remote.frame[NUMBERS], rtol=1e-6)
    # different seeds really differ; the same seed gives the same start for every lr
    assert not np.allclose(local["final_val_loss"][0], local["final_val_loss"][1])


def test_cache_resumes_and_redraws_without_training(tmp_path, monkeypatch):
    jobs = _jobs()
    first = cnn_sweep(jobs[:3], n_jobs=1, cache=tmp_path)  # an "interrupted" sweep
    assert len(list(tmp_path.glob("*.json"))) == 3
    seen = []
    full = cnn_sweep(jobs, n_jobs=1, cache=tmp_path, progress=lambda d, n: seen.append(d))
    assert full.frame["cached"].tolist() == [True] * 3 + [False] * 5
    assert seen[0] == 3 and seen[-1] == len(jobs)
    pd.testing.assert_frame_equal(first.frame[NUMBERS], full.frame[NUMBERS].iloc[:3])

    def no_training(job):
        raise AssertionError("trained a cached run")

    monkeypatch.setattr(cs, "train_job", no_training)
    again = cnn_sweep(jobs, n_jobs=1, cache=tmp_path)
    assert again.frame["cached"].all()
    pd.testing.assert_frame_equal(again.frame[NUMBERS], full.frame[NUMBERS])


def test_cache_ignores_a_corrupt_file(tmp_path):
    job = _jobs(seeds=1)[0]
    store = RunCache(tmp_path)
    store.path(job).write_text("{not json")
    assert store.get(job) is None


def test_best_and_summary():
    sweep = cnn_sweep(_jobs(), n_jobs=1, cache=None)
    summary = sweep.summary()
    assert len(summary) == 4 and set(summary["seeds"]) == {2}
    best = sweep.best()
    assert set(best) == {"sgd", "adam"}
    for label, lr in best.items():
        part = summary[summary["label"] == label]
        assert lr == part.loc[part["acc_mean"].idxmax(), "lr"]
    assert sweep.curves("sgd", 0.01).shape == (2, 1)
    json.dumps(sweep.sidecar())


def test_cli_cnn_sweep(tmp_path):
    out, csv, cache = tmp_path / "cnn.png", tmp_path / "cnn.csv", tmp_path / "cache"
    args = [
        "cnn-sweep",
        "-o",
        "sgd",
        "-o",
        "adam",
        "--lr",
        "0.01:0.1:2",
        "--seeds",
        "1",
        "--epochs",
        "1",
        "--limit",
        "60",
        "--batch-size",
        "32",
        "--jobs",
        "1",
        "--cache",
        str(cache),
        "--out",
        str(out),
        "--csv",
        str(csv),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 10_000
    frame = pd.read_csv(csv)
    assert {"optimizer", "lr", "seed", "final_val_accuracy", "diverged"} <= set(
        frame.columns
    )
    assert len(frame) == 4
    side = json.loads(csv.with_suffix(".json").read_text())  # the record's sidecar
    assert side["epochs"] == 1 and side["seeds"] == [0]
    assert not (tmp_path / "cnn.npz").exists()  # --csv says where the record goes
    assert side["learning_rates"]["how"] == "given with --lr"
    assert side["dataset"]["n_train"] == 48
    again = CliRunner().invoke(main, args)
    assert "4 from the cache" in again.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--dataset", "digitz"], "unknown dataset"),
        (["-o", "sgd:lr=0.1"], "a sweep sets lr itself"),
        (["--seeds", "0"], "Invalid value for '--seeds'"),
        (["--scheduler", "tcp://127.0.0.1:9"], "cannot reach the Dask scheduler"),
    ],
)
def test_cli_cnn_sweep_bad_input_is_one_line(tmp_path, monkeypatch, args, message):
    monkeypatch.setattr(cs, "SCHEDULER_TIMEOUT", "0.5s")
    base = [
        "cnn-sweep",
        "--epochs",
        "1",
        "--limit",
        "30",
        "--lr",
        "0.1:0.1:1",
        "--seeds",
        "1",
        "-o",
        "sgd",
        "--cache",
        str(tmp_path / "c"),
        "--out",
        str(tmp_path / "x.png"),
    ]
    if args[0] == "-o":
        base = [a for a in base if a not in ("-o", "sgd")]
    result = CliRunner().invoke(main, base + args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.png").exists()
