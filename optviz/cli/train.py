"""``optviz train``: the small CNN trained once per optimizer, as curves and a CSV."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ._common import clean_errors, optimizer_option, progress, save_figure

__all__ = ["train"]

#: Files written into ``--out``.
HISTORY_CSV = "history.csv"
SETTINGS_JSON = "settings.json"
CURVES_PNG = "curves.png"


class DatasetType(click.ParamType):
    """``digits``, ``shapes[:KEY=VALUE,...]`` or ``idx:DIR``, checked before any work."""

    name = "digits|shapes|idx:DIR"

    def convert(self, value, param, ctx):
        from ..nn.data import check_dataset_spec

        try:
            check_dataset_spec(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        return value.strip()


class SnapshotType(click.ParamType):
    """A whole number of steps >= 1, or ``epoch``."""

    name = "N|epoch"

    def convert(self, value, param, ctx):
        if isinstance(value, int) or value == "epoch":
            return value
        try:
            steps = int(value)
        except ValueError:
            steps = 0
        if steps < 1:
            self.fail(f"{value!r} is not a number of steps >= 1 or 'epoch'", param, ctx)
        return steps


def _prepare(out_dir: str) -> Path:
    """Create ``out_dir`` if missing and check every output can be written there."""
    from .._io import check_writable

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ValueError(f"cannot write into {out}: it is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"cannot create folder {out}: {exc.strerror or exc}") from None
    for name in (HISTORY_CSV, SETTINGS_JSON, CURVES_PNG):
        check_writable(out / name)
    return out


@click.command()
@click.option(
    "--dataset",
    type=DatasetType(),
    default="digits",
    show_default=True,
    help="digits (shipped, 8x8), shapes (generated; e.g. shapes:n=3000,size=20) or "
    "idx:DIR (MNIST or Fashion-MNIST IDX files in folder DIR).",
)
@optimizer_option
@click.option(
    "--epochs",
    type=click.IntRange(1, 10_000),
    default=20,
    show_default=True,
    help="Passes over the training images.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 1_000_000),
    default=64,
    show_default=True,
    help="Images per step.",
)
@click.option(
    "--seed",
    type=click.IntRange(0, 2**32 - 1),
    default=0,
    show_default=True,
    help="Split, initial weights (shared by all optimizers) and batch order.",
)
@click.option(
    "--out",
    "out_dir",
    default="optviz-train",
    show_default=True,
    help="Folder for history.csv, curves.png and settings.json (created if missing).",
)
@click.option(
    "--limit",
    type=click.IntRange(2, None),
    default=None,
    help="Use at most N images (a seeded subset), e.g. for MNIST's 60,000.",
)
@click.option(
    "--snapshot-every",
    type=SnapshotType(),
    default=None,
    help="Also record all parameters every N steps, or every 'epoch' "
    "(history-snapshots.npz).",
)
@click.option(
    "--dtype",
    type=click.Choice(["float32", "float64"]),
    default="float32",
    show_default=True,
    help="Precision of the network.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@clean_errors
def train(
    dataset, specs, epochs, batch_size, seed, out_dir, limit, snapshot_every, dtype, quiet
):
    """Train a small CNN (conv-ReLU-pool x2, dense) once per optimizer, from the
    same initial weights on the same mini-batches; write loss and accuracy curves.

    \b
    Writes into --out:
      history.csv    one row per optimizer and epoch (losses, accuracies)
      history-steps.csv   the loss of every mini-batch
      curves.png     loss and accuracy per epoch, one colour per optimizer
      settings.json  every setting, the network, the data set, versions

    \b
    Examples:
      optviz train
      optviz train -o sgd:lr=0.05 -o adam --epochs 10
      optviz train --dataset idx:~/data/mnist --limit 10000 --out mnist-run
    """
    import numpy as np

    from ..nn.data import load_dataset
    from ..nn.trainer import DEFAULT_LR, build_optimizers, train_optimizers
    from ..plot.training import curves_figure

    data = load_dataset(dataset, seed=seed, limit=limit, dtype=np.dtype(dtype))
    per_epoch = -(-len(data.y_train) // batch_size)
    per_run = epochs * per_epoch
    optimizers = build_optimizers(specs, steps=per_run)  # bad SPECs: before any work
    out = _prepare(out_dir)  # only now: a failure above leaves no folder behind
    done: dict[str, int] = {}
    started = time.perf_counter()
    label = f"training on {data.name} ({len(data.y_train)} images)"
    with progress(length=per_run * len(optimizers), label=label, quiet=quiet) as bar:

        def follow(event):
            if event.kind == "step":
                done[event.label] = done.get(event.label, 0) + 1
                bar.update(1)
            elif event.diverged:  # skip what this optimizer will not run
                bar.update(per_run - done.get(event.label, 0))
                done[event.label] = per_run

        run = train_optimizers(
            data,
            optimizers,
            epochs=epochs,
            batch_size=batch_size,
            seed=seed,
            dtype=np.dtype(dtype),
            snapshot_every=snapshot_every,
            callback=follow,
        )
    seconds = time.perf_counter() - started
    run.meta["settings"] = {
        "dataset": dataset,
        "optimizers": list(specs) or None,
        "epochs": epochs,
        "batch_size": batch_size,
        "seed": seed,
        "limit": limit,
        "snapshot_every": snapshot_every,
        "dtype": dtype,
        "default_lr": DEFAULT_LR,
    }
    run.save(out / HISTORY_CSV, sidecar=out / SETTINGS_JSON)
    save_figure(curves_figure(run), out / CURVES_PNG)
    for h in run:
        if h.diverged:
            click.echo(f"note: {h.label} diverged at step {h.diverged_at}", err=True)
        else:
            click.echo(
                f"{h.label:>12s}: validation accuracy {100 * h.val_accuracy[-1]:.1f}%, "
                f"loss {h.val_loss[-1]:.4f}"
            )
    networks = "network" if len(run) == 1 else "networks"
    click.echo(f"trained {len(run)} {networks} in {seconds:.1f} s; wrote {out}/")
