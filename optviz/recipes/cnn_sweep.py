"""The NumPy CNN trained with each optimizer at every learning rate of a grid and
several seeds: accuracy and loss against the learning rate, then each at its best."""

from __future__ import annotations

from typing import Sequence

from .result import SEPARATOR, Progress, Result

__all__ = ["cnn_sweep", "cnn_sweep_jobs"]


def cnn_sweep_jobs(
    dataset="digits", specs=(), *, lrs=None, seeds=1, epochs=5, batch_size=64, limit=None
):
    """The training runs of a :func:`cnn_sweep` (checked before any training) and its
    grid ``(low, high, n, how it was chosen)``."""
    from ..cnn_sweep import DEFAULT_CNN_GRID_POINTS, default_cnn_lr_range, make_jobs
    from ..optimizers import DEFAULT_OPTIMIZERS
    from ..spec import parse_spec
    from ..sweep import lr_grid

    names = [parse_spec(s)[0] for s in specs] or list(DEFAULT_OPTIMIZERS)
    if lrs is None:
        low, high = default_cnn_lr_range(names)
        n = DEFAULT_CNN_GRID_POINTS
        how = (
            "default: whole decades from 10x below to 10x above the trainer's default rates"
        )
    else:
        low, high, n = lrs
        how = "given with --lr"
    jobs = make_jobs(
        list(specs),
        lr_grid(low, high, n),
        seeds=seeds,
        dataset=dataset,
        epochs=epochs,
        batch_size=batch_size,
        limit=limit,
    )
    return jobs, (low, high, n, how)


def cnn_sweep(
    dataset: str = "digits",
    specs: Sequence[str] = (),
    *,
    lrs: tuple[float, float, int] | None = None,
    seeds: int = 1,
    epochs: int = 5,
    batch_size: int = 64,
    limit: int | None = None,
    n_jobs: int = 1,
    scheduler: str | None = None,
    cache=None,
    criterion: str = "val_accuracy",
    record=None,
    progress: Progress | None = None,
    check=None,
) -> Result:
    """Each optimizer of ``specs`` (default: the five) over ``lrs = (low, high, n)``
    (default: whole decades around the trainer's default rates) and ``seeds`` seeds,
    through joblib (``n_jobs``) or a Dask ``scheduler``; finished runs are cached in
    folder ``cache`` (default :func:`optviz.cnn_sweep.default_cache_dir`). ``record``:
    draw this :class:`~optviz.records.CnnSweep` instead of training. ``check(seconds)``
    sees the estimate before any training (a CLI's budget)."""
    from ..cnn_sweep import cnn_sweep as run_sweep
    from ..cnn_sweep import default_cache_dir
    from ..plot.sweep import cnn_sweep_figure

    jobs, (low, high, n, how) = cnn_sweep_jobs(
        dataset, specs, lrs=lrs, seeds=seeds, epochs=epochs, batch_size=batch_size,
        limit=limit,
    )  # fmt: skip
    cache = cache or default_cache_dir()
    if record is None:
        record = run_sweep(
            jobs,
            n_jobs=n_jobs,
            scheduler=scheduler,
            cache=cache,
            criterion=criterion,
            progress=progress,
            lr_how=how,
            check=check,
        )
    info = record.sidecar()
    data = info["dataset"]
    footnote = SEPARATOR.join(
        [
            f"{data['n_train']} training / {data['n_val']} validation images",
            f"batch {batch_size}",
            f"seeds 0..{seeds - 1}: the same weights and batches for every optimizer",
            f"α grid: {n} log-spaced values in [{low:g}, {high:g}] ({how})",
            record.meta["parallel"],
        ]
    )
    info["cache"] = str(cache)
    return Result(cnn_sweep_figure(record, footnote=footnote), record, info)
