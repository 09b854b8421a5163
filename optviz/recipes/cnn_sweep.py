"""The NumPy CNN trained with each optimizer at every learning rate of a grid and
several seeds: accuracy and loss against the learning rate, then each at its best."""

from __future__ import annotations

from typing import Sequence

from .result import SEPARATOR, Progress, Result

__all__ = [
    "cnn_sweep",
    "cnn_sweep_jobs",
    "cnn_tables",
    "cnn_leaderboard_markdown",
    "winners_figure",
]


def cnn_sweep_jobs(
    dataset="digits", specs=(), *, lrs=None, seeds=1, epochs=5, batch_size=64,
    limit=None, grids=None,
):  # fmt: skip
    """The training runs of a :func:`cnn_sweep` (checked before any training) and its
    grid ``(low, high, n, how it was chosen)``; ``grids`` (key -> values: momentum,
    rho, rho1, rho2) trains each optimizer that searches a key at each of its values
    (:func:`optviz.cnn_tuning.joint_specs`)."""
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
        _joint(specs, grids),
        lr_grid(low, high, n),
        seeds=seeds,
        dataset=dataset,
        epochs=epochs,
        batch_size=batch_size,
        limit=limit,
    )
    return jobs, (low, high, n, how)


def _joint(specs, grids) -> list[str]:
    if not grids:
        return list(specs)
    from ..cnn_tuning import joint_specs
    from ..optimizers import DEFAULT_OPTIMIZERS

    return [s for s, _ in joint_specs(list(specs) or list(DEFAULT_OPTIMIZERS), grids)]


def _groups(jobs, specs, grids) -> dict[str, str]:
    """label -> the SPEC as given (the optimizer a joint grid's labels belong to)."""
    from ..cnn_tuning import joint_specs
    from ..optimizers import DEFAULT_OPTIMIZERS

    of = dict(joint_specs(list(specs) or list(DEFAULT_OPTIMIZERS), grids or {}))
    return {job.label: of.get(job.spec, job.label) for job in jobs}


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
    grids=None,
) -> Result:
    """Each optimizer of ``specs`` (default: the five) over ``lrs = (low, high, n)``
    (default: whole decades around the trainer's default rates) and ``seeds`` seeds,
    through joblib (``n_jobs``) or a Dask ``scheduler``; finished runs are cached in
    folder ``cache`` (default :func:`optviz.cnn_sweep.default_cache_dir`). ``record``:
    draw this :class:`~optviz.records.CnnSweep` instead of training. ``check(seconds)``
    sees the estimate before any training (a CLI's budget). ``grids``: joint grids
    (:func:`cnn_sweep_jobs`); the result's ``extra["winners"]`` is then the winner by
    epoch (:func:`cnn_tables`)."""
    from ..cnn_sweep import cnn_sweep as run_sweep
    from ..cnn_sweep import default_cache_dir
    from ..plot.sweep import cnn_sweep_figure

    jobs, (low, high, n, how) = cnn_sweep_jobs(
        dataset, specs, lrs=lrs, seeds=seeds, epochs=epochs, batch_size=batch_size,
        limit=limit, grids=grids,
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
        if grids:
            record.meta["grids"] = {k: [float(v) for v in vs] for k, vs in grids.items()}
            record.meta["groups"] = _groups(jobs, specs, grids)
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
    extra = {}
    if record.meta.get("grids"):
        board, _ = cnn_tables(record)
        extra["winners"] = winners_figure(record, board, batch_size)
    return Result(cnn_sweep_figure(record, footnote=footnote), record, info, extra=extra)


def cnn_tables(record):
    """``(leaderboard, markdown)`` of a CNN sweep: one row per optimizer (the SPEC as
    given; a joint grid's labels grouped by ``record.meta["groups"]``) and epoch
    (:func:`optviz.cnn_tuning.cnn_leaderboard`), and the same to read."""
    from ..cnn_tuning import cnn_leaderboard

    board = cnn_leaderboard(record, record.meta.get("groups"))
    return board, cnn_leaderboard_markdown(record, board)


def _grid_text(record) -> str:
    lrs = sorted({j.lr for j in record.jobs})
    parts = [f"α {len(lrs)} values {lrs[0]:g}..{lrs[-1]:g}"]
    for key, values in record.meta.get("grids", {}).items():
        parts.append(f"{key} {len(values)} values {min(values):g}..{max(values):g}")
    return "; ".join(parts)


def winners_figure(record, board, batch_size: int):
    """The winner by epoch of ``board`` (:func:`cnn_tables`), its grids and seeds in
    the footnote."""
    from ..plot.cnn_winners import winner_by_epoch_figure

    seeds = sorted({j.seed for j in record.jobs})
    footnote = SEPARATOR.join(
        [
            f"grid: {_grid_text(record)}",
            f"{len(seeds)} seed{'s' if len(seeds) > 1 else ''}, batch {batch_size}",
            "a configuration where any seed diverged is never best",
            "edge (hollow): its best is at an end of a grid, so it is not called best",
        ]
    )
    return winner_by_epoch_figure(board, footnote=footnote)


def cnn_leaderboard_markdown(record, board) -> str:
    """The leaderboard to read: the grids, the winner by epoch, one row per optimizer
    and epoch."""
    import math

    from ..cnn_tuning import SETTING_COLUMNS, winners_by_epoch

    lines = ["# Leaderboard (CNN)", "", f"Grid: {_grid_text(record)}.  ",
             f"Value: {board.criterion.iloc[0]}, the mean over the seeds.", "",
             "## Winner by epoch", "", "| epoch | winner |", "|---|---|"]  # fmt: skip
    for epoch, who in winners_by_epoch(board):
        lines.append(f"| {epoch} | {who or 'none (no interior best)'} |")
    keys = [k for k in SETTING_COLUMNS if board[k].notna().any()]
    lines += ["", "| optimizer | epoch | " + " | ".join(keys) + " | value | status |"]
    lines.append("|---" * (len(keys) + 4) + "|")
    for row in board.itertuples():
        cells = [getattr(row, k) for k in keys]
        cells = ["" if math.isnan(v) else f"{v:g}" for v in cells]
        value = "" if math.isnan(row.value) else f"{row.value:.4g}"
        status = row.status + (f" ({row.edges})" if row.edges else "")
        lines.append(
            f"| {row.optimizer} | {row.epoch} | " + " | ".join(cells)
            + f" | {value} | {status} |"
        )  # fmt: skip
    return "\n".join(lines) + "\n"
