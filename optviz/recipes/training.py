"""The small CNN trained once per optimizer: loss and error-rate curves."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping, Sequence

from .result import Progress, Result
from .sizes import pick

__all__ = ["train", "curves", "load_training", "rebuild", "TRAINING_FILES", "CURVES"]

#: The figure ``optviz train`` writes into its folder, beside the run.
CURVES = "curves.png"
#: Files ``optviz train`` writes into its folder (the run's, then its figure).
TRAINING_FILES = (
    "history.csv",
    "history-steps.csv",
    "history-snapshots.npz",
    "settings.json",
    CURVES,
)


def load_training(run):
    """(TrainingRun, model, dataset) rebuilt from what :func:`train` saved: the run's
    folder (as ``optviz train --out`` writes it) or its record file (.npz or .csv with
    its .json sidecar, as ``optviz train --csv`` writes it)."""
    from ..records import TrainingRun
    from ..records.training import HISTORY, SETTINGS

    run = Path(run)
    if run.is_dir():
        history, settings = run / HISTORY, run / SETTINGS
        if not history.is_file() or not settings.is_file():
            raise ValueError(
                f"{run} is not a training run: it needs {HISTORY} and {SETTINGS} "
                "(written by optviz train)"
            )
    else:
        settings = TrainingRun.sidecar_path(run)
    return rebuild(TrainingRun.load(run), source=str(settings))


def rebuild(run, source: str = "the run"):
    """(run, model, dataset): the network a :class:`~optviz.records.TrainingRun`
    trained (from its builder) and the data it trained on (from its settings)."""
    from ..nn.data import load_dataset
    from ..nn.model import model_from_builder

    # bounded: every size is checked against the limits before anything is allocated
    model = model_from_builder(run.meta.get("builder"), source=source)
    s = run.meta.get("settings", {})
    data = load_dataset(
        s.get("dataset", run.dataset),
        seed=s.get("data_seed", s.get("seed", 0)),  # a run of several seeds: the first
        limit=s.get("limit"),
        dtype=model.dtype,
    )
    return run, model, data


#: Room for a training run's figure (curves.png) on disk.
CURVES_BYTES = 2_000_000


def _training_bytes(data, optimizers: int, steps: int, epochs: int, every) -> int:
    """About the most bytes one seed's run of :func:`train` writes (for ``check``)."""
    from ..nn.model import default_cnn
    from ..records.training import estimate_bytes

    snapshots, parameters, itemsize = 0, 0, 8
    if every is not None:
        snapshots = 1 + (epochs if every == "epoch" else steps // int(every))
        net = default_cnn(data.image_shape, data.n_classes, dtype=data.x_train.dtype)
        parameters, itemsize = net.size, data.x_train.dtype.itemsize
    size = estimate_bytes(optimizers, steps, epochs, snapshots, parameters, itemsize)
    return size + CURVES_BYTES


def train(
    dataset: str = "digits",
    specs: Sequence[str] | Mapping = (),
    *,
    epochs: int = 20,
    batch_size: int = 64,
    seed: int = 0,
    seeds: int = 1,
    limit: int | None = None,
    snapshot_every=None,
    dtype: str = "float32",
    progress: Progress | None = None,
    check: Callable[[int], None] | None = None,
) -> Result:
    """The small CNN trained once per optimizer from the same weights on the same
    mini-batches; the figure is the loss and error-rate curves. With ``seeds`` > 1 the
    whole comparison runs once per seed ``seed, seed + 1, ...`` (initial weights and
    batch order; :func:`optviz.nn.trainer.train_seeds`) and the figure draws the median
    and the seeds' range; ``record`` is the first seed's run, ``extra["runs"]`` all.
    ``check(nbytes)`` runs after the data and optimizers are validated, before training,
    with about the most bytes the runs take on disk (a CLI checks its paths there).
    """
    import numpy as np

    from .._checks import check_int
    from ..nn.data import load_dataset
    from ..nn.trainer import DEFAULT_LR, MAX_SEEDS, build_optimizers

    seeds = check_int("seeds", seeds, low=1, high=MAX_SEEDS)
    epochs, limit = pick(epochs, 2), pick(limit, 300)
    snapshot_every = pick(snapshot_every, 2 if snapshot_every else None)
    if seeds > 1 and isinstance(specs, Mapping):
        raise ValueError(
            "seeds > 1 needs SPECs, not optimizer objects (each seed starts afresh)"
        )
    data = load_dataset(dataset, seed=seed, limit=limit, dtype=np.dtype(dtype))
    per_epoch = -(-len(data.y_train) // batch_size)
    per_run = epochs * per_epoch
    if isinstance(specs, Mapping):
        optimizers = dict(specs)
    else:
        optimizers = build_optimizers(list(specs), steps=per_run)  # before any work
    if check is not None:
        one = _training_bytes(data, len(optimizers), per_run, epochs, snapshot_every)
        check(one * seeds)
    follow = _Tally(progress, per_run, per_run * len(optimizers) * seeds)
    runs = _train_runs(
        data,
        specs if seeds > 1 else optimizers,
        range(seed, seed + seeds),
        follow,
        epochs=epochs,
        batch_size=batch_size,
        dtype=np.dtype(dtype),
        snapshot_every=snapshot_every,
    )
    base = {
        "dataset": dataset,
        "optimizers": None if isinstance(specs, Mapping) else (list(specs) or None),
        "epochs": epochs,
        "batch_size": batch_size,
        "seed": seed,
        "limit": limit,
        "snapshot_every": snapshot_every,
        "dtype": dtype,
        "default_lr": DEFAULT_LR,
    }
    _record_settings(runs, base, seed, seeds)
    run = runs[0]
    run.more_seeds = runs[1:]
    run.meta["figure"] = {"recipe": "training:curves"}
    result = curves(record=run)
    result.settings.update(data=data.name, n_train=len(data.y_train))
    result.extra["runs"] = runs
    return result


def curves(*, record) -> Result:
    """The figure of :func:`train`, drawn from its record (a
    :class:`~optviz.records.TrainingRun`; over its seeds, :attr:`~optviz.records.
    TrainingRun.runs`) without training anything."""
    from ..plot.training import curves_figure

    runs = record.runs
    figure = curves_figure(runs if len(runs) > 1 else record)
    return Result(figure, record, dict(record.meta.get("settings", {})), extra={})


def _train_runs(data, optimizers, seeds: range, follow: _Tally, **kwargs) -> list:
    """One training run per seed: one seed trains ``optimizers`` (label -> optimizer);
    several train them afresh from their SPECs, one seed at a time so that ``follow``
    counts across seeds."""
    from ..nn.trainer import train_optimizers, train_seeds

    if len(seeds) == 1:
        return [
            train_optimizers(data, optimizers, seed=seeds[0], callback=follow, **kwargs)
        ]
    runs = []
    for s in seeds:
        runs += train_seeds(data, list(optimizers), seeds=[s], callback=follow, **kwargs)
        follow.next_seed(follow.total // len(seeds))  # each seed trains as many steps
    return runs


class _Tally:
    """The training callback that counts the steps done over every optimizer and seed
    and tells ``progress`` (steps done, ``total``); an optimizer that diverges counts
    as done with its ``per_run`` steps."""

    def __init__(self, progress: Progress | None, per_run: int, total: int):
        self.progress, self.per_run, self.total = progress, per_run, total
        self.done: dict[str, int] = {}
        self.offset = 0  # steps of the seeds already trained
        if progress is not None:
            progress(0, total)

    def __call__(self, event) -> None:
        if event.kind == "step":
            self.done[event.label] = self.done.get(event.label, 0) + 1
        elif event.diverged:  # skip what this optimizer will not run
            self.done[event.label] = self.per_run
        else:
            return
        if self.progress is not None:
            self.progress(self.offset + sum(self.done.values()), self.total)

    def next_seed(self, steps: int) -> None:
        """The seed just trained took ``steps``; the next one counts from there."""
        self.offset += steps
        self.done.clear()


def _record_settings(runs, base: dict, seed: int, seeds: int) -> None:
    """Each run's settings in its meta: ``base`` with the run's own seed, so its
    folder alone can be rebuilt; the data split is the first seed's (one data set for
    all), and a run of several seeds names them all."""
    for i, run in enumerate(runs):
        run.meta["settings"] = dict(base, seed=seed + i, data_seed=seed)
        if seeds > 1:
            run.meta["settings"]["seeds"] = list(range(seed, seed + seeds))
