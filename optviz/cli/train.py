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
    palette_option,
    progress_callback,
    write_figure,
)

__all__ = ["train"]

#: optviz.nn.trainer.MAX_SEEDS, repeated so that --help imports no numerics.
_MAX_SEEDS = 100
#: --out names a figure (not a folder) when it ends so (optviz._shared.FIGURE_SUFFIXES,
#: whose module --help does not import).
_FIGURE_END = re.compile(r".*\.(png|svg|pdf)", re.IGNORECASE)
#: Each further seed's run goes into a subfolder of --out named so.
SEED_FOLDER = re.compile(r"seed-\d+")
#: What ``optviz landscape`` writes into a run's folder by default.
LANDSCAPE_FILE = re.compile(
    r"landscape(-interpolate|-both|-random|-own)?\.(png|gif|svg|pdf|npz|json)"
)


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


#: What ``train --help`` says after the options.
_EPILOG = (
    "Muon (-o muon) takes the weights as matrices (each conv kernel flattened to "
    "(out, in x kh x kw) and the step reshaped back) and AdamW with its defaults "
    "(lr=0.001, weight_decay=0.01) the biases, as Muon's reference practice."
)


@click.command(epilog=_EPILOG)
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
    "a previous run there is replaced whole; any other folder is left alone); or a "
    "figure path (.png, .svg, .pdf): the curves alone, the run as its record beside "
    "it (FIGURE-NAME.npz and .json) or where --csv says.",
)
@click.option(
    "--csv",
    "csv_path",
    default=None,
    metavar="PATH",
    help="Also write the run as one record, .npz (every seed) or .csv (one seed), "
    "with a .json sidecar: optviz.records.TrainingRun.load reads it, optviz redraw "
    "and optviz landscape take it.",
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
@palette_option
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
    csv_path,
    limit,
    snapshot_every,
    dtype,
    look,
    palette,
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
      seed-K/        the same for each further seed (--seeds)
    or, with --out FIGURE.png, the curves alone and the run beside them as one
    record (FIGURE.npz and FIGURE.json, or where --csv says).

    \b
    Examples:
      optviz train
      optviz train -o sgd:lr=0.05 -o adam --epochs 10
      optviz train --dataset idx:~/data/mnist --limit 10000 --out mnist-run
      optviz train --seeds 3 --epochs 10
      optviz train --seeds 3 --out curves.png --csv run.npz
    """
    from .. import recipes
    from .._folders import check_folder_target
    from ..records.training import FOLDER_KIND

    out = Path(out_dir)
    figure_only = _FIGURE_END.fullmatch(out.name) is not None
    record = _record_path(out, csv_path, figure_only, seeds, palette)

    def check(nbytes):  # after the data and SPECs are checked, before training
        if not figure_only:
            check_folder_target(out, FOLDER_KIND, nbytes, replace_if=_strangers)
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
    if figure_only:
        write_figure(result.figure, out, look, palette=palette)
    else:
        _write_run(out, result, look, palette)
    if record is not None:
        result.record.save(record)
    wrote = f"{out}" if figure_only else f"{out}/"
    if record is not None:
        wrote += f" and {record}"
    _report(result.record, result.extra["runs"], seconds, wrote)


def _record_path(out: Path, csv_path, figure_only: bool, seeds: int, palette: bool):
    """Where the run's record goes (--csv, or beside a figure --out; None: only the
    folder), every output path checked before the work."""
    from .._io import Plan
    from ..plot._figure import FIGURE_SUFFIXES
    from ..records import RECORD_SUFFIXES, Record

    plan = Plan()
    if figure_only:
        plan.write(out, "the figure (--out)", (".png",) if palette else FIGURE_SUFFIXES)
    elif palette:
        raise click.UsageError("--palette applies only with a .png --out")
    if csv_path is None and not figure_only:
        return None
    record = Path(csv_path) if csv_path else out.with_suffix(".npz")
    if record.suffix.lower() == ".csv" and seeds > 1:
        raise click.UsageError(
            f"--csv {record}: a run of {seeds} seeds is one .npz record, not a .csv"
        )
    inside = out.resolve() in record.resolve().parents
    if not figure_only and inside:
        raise click.UsageError(f"--csv {record} is inside --out {out}, which is replaced")
    what = "the run's record" + (" (--csv)" if csv_path else "")
    plan.write(record, what, RECORD_SUFFIXES)
    plan.write(Record.sidecar_path(record), "the record's sidecar")
    return record


def _write_run(out: Path, result, look, palette: bool) -> None:
    """The run of every seed (each further seed in a subfolder that can be redrawn or
    landscaped alone), its settings and its curves, written into ``out`` whole."""
    from .._folders import atomic_folder
    from ..recipes.training import CURVES
    from ..records.training import FOLDER_KIND

    with atomic_folder(out, kind=FOLDER_KIND, replace_if=_strangers) as tmp:
        result.record.write_folder(tmp)
        write_figure(result.figure, tmp / CURVES, look, palette=palette)


def _report(run, runs: list, seconds: float, wrote: str) -> None:
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
    click.echo(f"trained {n} {networks} in {seconds:.1f} s; wrote {wrote}")
