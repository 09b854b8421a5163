"""A TrainingRun keeps the records contract: ``save(path)`` and ``TrainingRun.load(path)``
as a folder (the layout ``optviz train --out`` writes), as one ``.npz`` holding every
seed, or as ``.csv``; a folder written by the code before this contract still loads."""

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from optviz import recipes
from optviz.records import TrainingRun

#: Written by ``optviz train --limit 40 --epochs 2 --batch-size 16 --seeds 2 --seed 3
#: -o sgd:lr=0.1 -o adam`` of the release before ``TrainingRun.save`` wrote folders
#: (curves.png left out): seed 3 at the top, seed 4 in seed-4/.
OLD_FOLDER = Path(__file__).parents[1] / "data" / "training-run-v1"


def _column(path: Path, label: str, name: str) -> list[float]:
    with open(path, newline="") as fh:
        return [float(row[name]) for row in csv.DictReader(fh) if row["label"] == label]


def test_a_folder_written_before_still_loads_with_its_seeds():
    run = TrainingRun.load(OLD_FOLDER)
    assert [r.seed for r in run.runs] == [3, 4]
    assert run.labels == ["sgd", "adam"] and run.more_seeds[0].labels == run.labels
    for r, folder in zip(run.runs, (OLD_FOLDER, OLD_FOLDER / "seed-4")):
        for label in ("sgd", "adam"):
            h = r[label]
            assert h.epochs == 2 and h.steps == 4  # 32 training images, 16 a batch
            want = _column(folder / "history.csv", label, "val_accuracy")
            np.testing.assert_array_equal(h.val_accuracy, want)
            steps = _column(folder / "history-steps.csv", label, "loss")
            np.testing.assert_array_equal(h.step_loss, steps)
    # a seed's folder alone is that seed's run, with no further seeds
    alone = TrainingRun.load(OLD_FOLDER / "seed-4")
    assert alone.seed == 4 and alone.more_seeds == [] and alone == run.more_seeds[0]


def test_the_old_folder_saved_again_keeps_its_files(tmp_path):
    run = TrainingRun.load(OLD_FOLDER)
    again = run.save(tmp_path / "again")
    for name in ("history.csv", "history-steps.csv", "seed-4/history.csv"):
        assert (again / name).read_bytes() == (OLD_FOLDER / name).read_bytes(), name
    old = json.loads((OLD_FOLDER / "settings.json").read_text())
    new = json.loads((again / "settings.json").read_text())
    assert new.pop("seed_folders") == ["seed-4"]
    assert {k: v for k, v in new.items() if k != "versions"} == {
        k: v for k, v in old.items() if k != "versions"
    }
    assert TrainingRun.load(again) == run


def test_a_run_of_seeds_is_one_npz(tmp_path):
    run = TrainingRun.load(OLD_FOLDER)
    path = run.save(tmp_path / "run.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.json", "run.npz"]
    back = TrainingRun.load(path)
    assert back == run and len(back.runs) == 2
    np.testing.assert_array_equal(
        back.more_seeds[0]["adam"].val_loss, run.more_seeds[0]["adam"].val_loss
    )
    assert json.loads((tmp_path / "run.json").read_text())["more_seeds"][0]["seed"] == 4


def test_a_changed_further_seed_is_not_equal(tmp_path):
    run = TrainingRun.load(OLD_FOLDER)
    other = TrainingRun.load(OLD_FOLDER)
    other.more_seeds[0]["sgd"].val_loss = other.more_seeds[0]["sgd"].val_loss + 1
    assert other != run


def test_a_run_of_seeds_is_not_one_csv(tmp_path):
    run = TrainingRun.load(OLD_FOLDER)
    with pytest.raises(ValueError, match="a run of 2 seeds is saved as .npz or as a fold"):
        run.save(tmp_path / "run.csv")
    assert list(tmp_path.iterdir()) == []
    one = TrainingRun.load(OLD_FOLDER / "seed-4")
    assert TrainingRun.load(one.save(tmp_path / "one.csv")) == one


def test_a_missing_seed_folder_is_named(tmp_path):
    copy = shutil.copytree(OLD_FOLDER, tmp_path / "run")
    shutil.rmtree(copy / "seed-4")
    with pytest.raises(ValueError, match="its seed folder seed-4 is missing"):
        TrainingRun.load(copy)


def test_seeds_that_train_other_optimizers_are_refused(tmp_path):
    copy = shutil.copytree(OLD_FOLDER, tmp_path / "run")
    side = copy / "seed-4" / "settings.json"
    info = json.loads(side.read_text())
    info["optimizers"][1]["label"] = "adam2"
    side.write_text(json.dumps(info))
    for name in ("history.csv", "history-steps.csv"):
        text = (copy / "seed-4" / name).read_text().replace(",adam,", ",adam2,")
        (copy / "seed-4" / name).write_text(text)
    with pytest.raises(ValueError, match="every seed must train the same optimizers"):
        TrainingRun.load(copy)


def test_a_folder_without_a_run_is_named(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="holds history.csv and settings.json"):
        TrainingRun.load(tmp_path / "empty")


def test_the_curves_redraw_from_the_saved_record_with_the_same_bytes(tmp_path):
    from optviz.gallery import palette_png

    run = TrainingRun.load(OLD_FOLDER)
    run.meta["figure"] = {"recipe": "training:curves"}
    first = palette_png(recipes.training.curves(record=run).figure, dpi=40)
    path = run.save(tmp_path / "run.npz")
    loaded = recipes.load_record(path)
    assert isinstance(loaded, TrainingRun) and len(loaded.runs) == 2
    again = palette_png(recipes.redraw(loaded).figure, dpi=40)
    assert again == first
    # over both seeds: the title says so
    title = recipes.redraw(loaded).figure._suptitle.get_text()
    assert "median of 2 seeds" in title


def test_a_run_without_snapshots_of_p_parameters_loads_from_npz(tmp_path):
    # the trainer leaves no snapshots as a (0, P) array: its .npz loads back
    run = TrainingRun.load(OLD_FOLDER / "seed-4")
    for h in run:
        h.snapshots = np.zeros((0, 21386), dtype=np.float32)
    back = TrainingRun.load(run.save(tmp_path / "run.npz"))
    assert back == run and back["sgd"].snapshots.shape == (0, 21386)
