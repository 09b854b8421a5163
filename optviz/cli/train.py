"""``optviz train``: the small CNN trained once per optimizer, as curves and a CSV."""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

import click

from ..budget import CNN_MINUTES
from ._budget import budget_options, check_budget, training_cost
from ._common import (
    check_folder_name,
    clean_errors,
    figure_options,
    optimizer_option,
    progress_callback,
    write_figure,
)

__all__ = ["train"]

#: Files written into ``--out``.
HISTORY_CSV = "history.csv"
SETTINGS_JSON = "settings.json"
CURVES_PNG = "curves.png"
#: optviz.nn.trainer.MAX_SEEDS, repeated so that --help imports no numerics.
_MAX_SEEDS = 100
#: What a training run's folder is, in its marker (only such a folder is replaced).
RUN_KIND = "training run"
#: Each further seed's run goes into a subfolder of --out named so.
SEED_FOLDER = re.compile(r"seed-\d+")
#: What ``optviz landscape`` writes into a run's folder by default.
LANDSCAPE_FILE = re.compile(r"landscape(-interpolate|-both|-random)?\.(png|npz|json)")


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


def _strangers(folder: Path) -> str | None:
    """Why a run's folder may not be replaced (None: it may): it holds files that
    neither a training run nor ``optviz landscape`` writes there (a user's own)."""
    from .._io import MARKER
    from ..recipes import TRAINING_FILES

    def foreign(where: Path, top: bool) -> list[str]:
        names = []
        for p in sorted(where.iterdir()):
            if p.name in TRAINING_FILES or LANDSCAPE_FILE.fullmatch(p.name):
                continue
            if top and p.name == MARKER:
                continue
            if top and SEED_FOLDER.fullmatch(p.name) and p.is_dir() and not p.is_symlink():
                names += [f"{p.name}/{n}" for n in foreign(p, False)]
                continue
            names.append(p.name)
        return names

    strangers = foreign(folder, True)
    if strangers:
        shown = ", ".join(strangers[:3]) + (", ..." if len(strangers) > 3 else "")
        return f"it holds files a training run did not write ({shown})"
    return None


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
    "--seeds",
    type=click.IntRange(1, _MAX_SEEDS),
    default=1,
    show_default=True,
    help="Train the whole comparison N times (seeds SEED, SEED+1, ...: initial weights "
    "and batch order); the curves show the median and the seeds' range. Seeds after "
    "the first are written to --out/seed-K/.",
)
@click.option(
    "--out",
    "out_dir",
    default="optviz-train",
    show_default=True,
    callback=check_folder_name,
    help="Folder for history.csv, curves.png and settings.json (created if missing; "
    "a previous run there is replaced whole; any other folder is left alone).",
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
@figure_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@budget_options(minutes=CNN_MINUTES)
@clean_errors
def train(
    dataset,
    specs,
    epochs,
    batch_size,
    seed,
    seeds,
    out_dir,
    limit,
    snapshot_every,
    dtype,
    look,
    quiet,
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
      optviz train --seeds 3 --epochs 10
    """
    from .. import recipes
    from .._folders import check_folder_target

    out = Path(out_dir)

    def check(nbytes):  # after the data and SPECs are checked, before training
        check_folder_target(out, RUN_KIND, nbytes, replace_if=_strangers)
        if dataset.startswith("idx:"):
            source = Path(dataset[4:]).expanduser().resolve()
            if source == out.resolve() or out.resolve() in source.parents:
                raise ValueError(
                    f"the data set {dataset[4:]} is inside --out {out}, which a new run "
                    "replaces; choose another --out"
                )

    run = dict(  # what is trained: the budget estimates it, the recipe runs it
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        seeds=seeds,
        limit=limit,
        snapshot_every=snapshot_every,
        dtype=dtype,
    )
    check_budget(training_cost(dataset, specs, **run))
    started = time.perf_counter()
    with progress_callback("training", quiet) as tick:
        result = recipes.train(dataset, specs, **run, progress=tick, check=check)
    seconds = time.perf_counter() - started
    _write_run(out, result, look)
    _report(result.record, result.extra["runs"], seconds, out)


def _write_run(out: Path, result, look) -> None:
    """The run of every seed, its settings and its curves, written into ``out`` whole."""
    from .._folders import atomic_folder

    runs = result.extra["runs"]
    run = result.record
    with atomic_folder(out, kind=RUN_KIND, replace_if=_strangers) as tmp:
        run.save(tmp / HISTORY_CSV, sidecar=tmp / SETTINGS_JSON)
        for other in runs[1:]:  # each seed's folder can be redrawn or landscaped alone
            sub = tmp / f"seed-{other.meta['settings']['seed']}"
            sub.mkdir()
            other.save(sub / HISTORY_CSV, sidecar=sub / SETTINGS_JSON)
        write_figure(result.figure, tmp / CURVES_PNG, look)


def _report(run, runs: list, seconds: float, out: Path) -> None:
    """One line per optimizer (its final validation accuracy, or where it diverged)
    and the time taken."""
    for h in run:
        ok = []
        for r in runs:
            f = r[h.label]
            if not f.diverged:
                ok.append(f)
                continue
            seed_of = f"(seed {r.meta['settings']['seed']}) " if len(runs) > 1 else ""
            click.echo(
                f"note: {h.label} {seed_of}diverged at step {f.diverged_at}", err=True
            )
        if not ok:
            continue
        accuracy = sorted(100 * f.val_accuracy[-1] for f in ok)
        if len(runs) == 1:
            click.echo(
                f"{h.label:>12s}: validation accuracy {accuracy[0]:.1f}%, "
                f"loss {h.val_loss[-1]:.4f}"
            )
        else:
            median = statistics.median(accuracy)
            click.echo(
                f"{h.label:>12s}: validation accuracy median {median:.1f}% "
                f"({accuracy[0]:.1f} to {accuracy[-1]:.1f}% over {len(ok)} seeds)"
            )
    n = len(run) * len(runs)
    networks = "network" if n == 1 else "networks"
    click.echo(f"trained {n} {networks} in {seconds:.1f} s; wrote {out}/")
