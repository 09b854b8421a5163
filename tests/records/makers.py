"""One small record of every type, built fast (the CNN ones by hand, no training).

Registered as the module ``records_makers`` by the conftest files of tests/records and
tests/hostile (the way tests/conftest.py registers ``helpers``).
"""

import numpy as np

from optviz.landscape import landscape
from optviz.optimizers import SGD, Adagrad, Adam
from optviz.records import (
    CnnJob,
    CnnSweep,
    History,
    Lesson,
    LineLoss,
    Panel,
    TrainingRun,
)
from optviz.run import run_surface
from optviz.startmap import start_map
from optviz.surfaces import get
from optviz.sweep import lr_sweep


def make_run():
    # SGD at lr 0.01 diverges from Rosenbrock's default start: NaNs must survive.
    return run_surface(
        get("rosenbrock"),
        {"sgd": SGD(lr=0.01), "adam": Adam(lr=0.05), "adagrad": Adagrad(lr=0.5)},
        steps=30,
        record_state=True,
    )


def make_batch_run():
    starts = np.array([[[-1.5, 2.0], [0.5, 0.5], [1.5, 1.5]], [[0, 0], [1, 2], [-1, -1]]])
    return run_surface(get("rosenbrock"), ["sgd", "adam"], start=starts, steps=12)


def make_training_run():
    rng = np.random.default_rng(0)

    def history(name, diverged_at=-1, snapshots=0):
        steps, epochs = 6, 3
        loss = rng.uniform(0.1, 2.0, steps)
        epoch_values = rng.uniform(0, 1, (4, epochs))
        if diverged_at >= 0:
            loss[diverged_at - 1 :] = np.nan
            epoch_values[:, 1:] = np.nan
        return History(
            name,
            name,
            {"lr": 0.1},
            step_loss=loss,
            step_epoch=np.repeat(np.arange(1, epochs + 1), 2),
            train_loss=epoch_values[0],
            train_accuracy=epoch_values[1],
            val_loss=epoch_values[2],
            val_accuracy=epoch_values[3],
            diverged_at=diverged_at,
            snapshot_steps=np.arange(snapshots, dtype=np.int64) * 2,
            snapshots=rng.normal(size=(snapshots, 7)).astype(np.float32)
            if snapshots
            else np.zeros((0, 0)),
        )

    return TrainingRun(
        "digits",
        [history("sgd", snapshots=3), history("adam", diverged_at=3, snapshots=2)],
        seed=4,
        meta={"batch_size": 2},
    )


def make_sweep():
    return lr_sweep(get("rosenbrock"), ["sgd", "adam"], np.geomspace(1e-4, 1, 7), steps=150)


def make_start_map():
    return start_map(
        get("himmelblau"), {"adam": Adam(lr=0.1), "sgd": SGD(lr=0.01)}, grid=6, steps=60
    )


def make_landscape():
    t = np.linspace(0, 1, 12)[:, None]
    d1, d2 = np.eye(9)[0], np.eye(9)[3]
    paths = {"a": (1 - t) * (2 * d1 + d2), "b": (1 - t) * (2 * d1 + d2) + t * d2}
    land = landscape(lambda th: float(np.sum(th**2)), paths, grid=5)
    land.meta["optimizers"] = {"a": "sgd", "b": "adam"}
    return land


def make_line_loss():
    # the loss of f(theta) = |theta|^2 on the line from (2, 1) to (0, 0), by hand:
    # theta(t) = (1 - t) (2, 1), so f = 5 (1 - t)^2; and a path that diverged (NaN)
    t = np.array([-0.5, 0.0, 0.5, 1.0, 1.5])
    return LineLoss(
        t,
        {"a": 5 * (1 - t) ** 2, "b": np.array([1.0, 0.5, np.nan, np.nan, np.nan])},
        {"a": float(np.sqrt(5)), "b": 3.0},
        meta={"optimizers": {"a": "sgd", "b": "adam"}},
    )


def make_landscape_with_line():
    land = make_landscape()
    land.line = make_line_loss()
    return land


def make_cnn_sweep():
    jobs, results = [], []
    for spec in ("sgd", "adam"):
        for lr in (0.01, 0.1):
            for seed in (0, 1):
                job = CnnJob(spec, spec, lr, seed, epochs=2, limit=60, channels=(2, 4))
                acc = [0.2 + lr + 0.01 * seed, 0.5 + lr]
                diverged = spec == "sgd" and lr == 0.1 and seed == 1
                results.append(
                    {
                        "optimizer": spec,
                        "hyperparameters": {"lr": lr},
                        "train_loss": [2.0, None if diverged else 1.0],
                        "val_loss": [2.1, None if diverged else 1.1],
                        "val_accuracy": [acc[0], None if diverged else acc[1]],
                        "diverged_at": 5 if diverged else -1,
                        "steps": 5 if diverged else 8,
                        "best_val_accuracy": acc[0] if diverged else acc[1],
                        "seconds": 0.25,
                        "data": {"name": "digits", "n_train": 48},
                        "network": ["Conv2D(1, 2, kernel_size=3, padding=1)"],
                    }
                )
                jobs.append(job)
    return CnnSweep(jobs, results, meta={"lr_how": "given", "parallel": "joblib, 1"})


def make_lesson():
    # float, int and bool arrays of several shapes, a NaN, facts of every JSON kind
    grid = np.arange(12.0).reshape(3, 4)
    grid[1, 2] = np.nan
    return Lesson(
        "demo-lesson",
        [
            Panel("left", {"grid": grid, "counts": np.array([3, 0, 7])}, {"best": 0.25}),
            Panel("right", {"alive": np.array([True, False])}, {"words": ["a", "b"]}),
            Panel("empty", {}, {"none": None}),
        ],
        settings={"alpha": 0.1, "steps": 5},
        meta={"figure": {"recipe": "module:function"}},
    )


def make_tuned():
    from optviz.tuning import tune_suite

    # two surfaces, one without a minimum (every search fails there), two budgets
    return tune_suite(
        [get("booth"), get("saddle")],
        ["sgd", "momentum"],
        starts=2,
        budgets=(5, 20),
        seed=0,
        widen=1,
    )


MAKERS = {
    "run": make_run,
    "batch run": make_batch_run,
    "training run": make_training_run,
    "sweep": make_sweep,
    "start map": make_start_map,
    "landscape": make_landscape,
    "line loss": make_line_loss,
    "landscape with line": make_landscape_with_line,
    "cnn sweep": make_cnn_sweep,
    "lesson": make_lesson,
    "tuned": make_tuned,
}


def record_of(kind):
    """A small record of type ``kind`` (a class)."""
    for make in MAKERS.values():
        rec = make()
        if type(rec) is kind:
            return rec
    raise KeyError(kind)
