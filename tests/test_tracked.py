"""A :class:`optviz.run.Tracked` is the stepping loop's return value, never a figure's
data: the figures draw the records it is put into (Sweep, StartMap, Tuned), which save
and load; no plotting module or recipe takes one."""

from pathlib import Path

import numpy as np

import optviz
from optviz.optimizers import SGD
from optviz.records import Sweep
from optviz.run import track
from optviz.surfaces import get
from optviz.sweep import lr_sweep

ROOT = Path(optviz.__file__).parent


def test_no_plot_or_recipe_takes_a_tracked():
    for folder in ("plot", "recipes", "explore"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            assert "Tracked" not in source and "FinalRecorder" not in source, path


def test_a_sweep_holds_what_track_ended_with_and_saves_it(tmp_path):
    # quadratic from its default start: the sweep's final loss at each rate is the one
    # track() ends with, and it survives a save and a load
    surface, lrs = get("quadratic"), np.array([0.01, 0.1])
    sweep = lr_sweep(surface, ["sgd"], lrs, steps=20)
    back = Sweep.load(sweep.save(tmp_path / "sweep.npz"))
    for i, lr in enumerate(lrs):
        ended = track(surface, SGD(lr=lr), np.asarray(surface.start), 20)
        assert back["sgd"].final_loss[i] == ended.final_loss
