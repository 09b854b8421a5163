"""``optviz sweep``: each optimizer over a grid of learning rates, at its own best."""

from __future__ import annotations

import functools

import click

from ..budget import CNN_MINUTES
from ._budget import budget_options, check_budget, n_optimizers, point_seconds
from ._common import (
    check_folder_name,
    clean_errors,
    csv_option,
    default_out,
    figure_options,
    figure_out_option,
    optimizer_option,
    output_plan,
    palette_option,
    progress_callback,
    quiet_option,
    start_option,
    steps_option,
    surface_argument,
    write_figure,
    write_record,
)
from .lr import add_schedule_help

__all__ = ["sweep_command", "cnn_sweep_command", "LrRangeType", "lr_range_option"]


class LrRangeType(click.ParamType):
    """``MIN:MAX:N`` -> (MIN, MAX, N): N log-spaced learning rates."""

    name = "MIN:MAX:N"

    def convert(self, value, param, ctx):
        from ..sweep import parse_lr_range

        if isinstance(value, tuple):
            return value
        try:
            return parse_lr_range(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


#: What --lr defaults to, by command.
SURFACE_RATES = (
    "41 rates over whole decades from 100x below the smallest to 10x above the "
    "largest of the surface's default rates"
)
CNN_RATES = (
    "rates over whole decades from 10x below the smallest to 10x above the largest "
    "of each optimizer's default rate for the CNN"
)


def lr_range_option(f=None, *, default: str = SURFACE_RATES):
    """``--lr MIN:MAX:N``; ``default`` says what the grid is when it is not given."""
    if f is None:
        return functools.partial(lr_range_option, default=default)
    return click.option(
        "--lr",
        "lr_range",
        type=LrRangeType(),
        default=None,
        help=f"Learning rates MIN:MAX:N, log-spaced (e.g. 1e-4:1:50). Default: {default}.",
    )(f)


def check_no_lr(specs) -> None:
    """A sweep chooses the learning rate itself: a SPEC's lr= is a mistake."""
    from ..spec import parse_spec

    for spec in specs:
        if "lr" in parse_spec(spec)[1]:
            raise ValueError(
                f"in {spec!r}: a sweep sets lr itself; drop lr= and give the range with "
                "--lr MIN:MAX:N"
            )


@click.command("sweep")
@surface_argument
@optimizer_option
@lr_range_option
@steps_option
@start_option
@click.option(
    "--tol",
    type=click.FloatRange(0, min_open=True),
    default=None,
    help="Converged: f - f* below this from some step to the end [default: 1e-6, "
    "or the first of 1e-4, 1e-3, 1e-2 that half of the optimizers reach; the figure "
    "says which].",
)
@click.option(
    "--criterion",
    type=click.Choice(["steps", "loss"]),
    default="steps",
    show_default=True,
    help="Best α: fewest steps to tol (else lowest final loss), or lowest final loss.",
)
@click.option(
    "--figure",
    "figure",
    type=click.Choice(["detailed", "lecture"]),
    default="detailed",
    show_default=True,
    help="detailed: final loss and steps to tol against α, losses and paths at the "
    "best α; lecture: two panels, few words (where each ends against α; each at its "
    "best α, with what happens written where it happens).",
)
@figure_options
@palette_option
@figure_out_option("sweep")
@csv_option("save the sweep, one row per optimizer and rate (Sweep.load reads it)")
@quiet_option
@budget_options
@clean_errors
def sweep_command(
    surface, specs, lr_range, steps, start, tol, criterion, figure, look, palette, out,
    csv_path, quiet,
):  # fmt: skip
    """Sweep each optimizer over a grid of learning rates on SURFACE (default:
    rosenbrock), all rates in one vectorised batch, and draw final loss and steps to
    converge against the learning rate, then each optimizer at its own best rate.

    Every run starts from the same point (the surface's default unless --start) and
    has the same budget of steps. The best rate is picked by --criterion; runs that
    diverged never count. The figure's .json sidecar records the grid, budget,
    tolerance, criterion and each optimizer's keys and best rate.

    \b
    Examples:
      optviz sweep
      optviz sweep --lr 1e-5:10:60 --steps 1000 --csv sweep.csv
      optviz sweep beale -o adam -o adam:bias_correction=false -o rmsprop
      optviz sweep himmelblau -o sgd:schedule=cosine,warmup=20 -o sgd
      optviz sweep --lr 1e-5:10:41 --tol 1e-3 --figure lecture
    """
    from .. import budget, recipes
    from ..recipes import TOL_LADDER
    from ..sweep import DEFAULT_GRID_POINTS

    out = default_out(out, "sweep", surface.name)
    output_plan(out, csv_path)
    check_no_lr(specs)
    rates = DEFAULT_GRID_POINTS if lr_range is None else lr_range[2]
    n = surface.steps if steps is None else steps
    rounds = 1 if tol is not None else len(TOL_LADDER)
    check_budget(
        budget.lr_sweep(n_optimizers(specs), rates, n, point_seconds(surface), rounds)
    )
    with progress_callback(f"sweeping on {surface.name}", quiet) as tick:
        result = recipes.sweep(
            surface,
            specs,
            lrs=lr_range,
            steps=steps,
            start=start,
            tol=tol,
            criterion=criterion,
            figure=figure,
            progress=tick,
        )
    sweep = result.record
    write_figure(result.figure, out, look, palette=palette)
    click.echo(f"wrote {out}")
    write_record(sweep, out, csv_path)
    if "tol_how" in sweep.meta:
        click.echo(f"note: {sweep.meta['tol_how']}", err=True)
    for c in sweep:
        i = c.best_index(criterion)
        if i is None:
            click.echo(f"{c.label}: every learning rate diverged", err=True)
            continue
        reached = (
            f"f - f* < {sweep.tol:g} from step {int(c.steps_to_tol[i])}"
            if c.steps_to_tol[i] >= 0
            else f"final f - f* = {c.final_gap[i]:.3g} (never within tol)"
        )
        click.echo(f"{c.label:<12} best lr {c.lr[i]:.4g}: {reached}")


add_schedule_help(sweep_command)


def _cnn_grids(ctx, param, values):
    """``--grid KEY=MIN:MAX:N`` for the CNN: key -> values (α is --lr)."""
    from .tune import grid_values

    grids = grid_values(ctx, param, values)
    if "lr" in grids:
        raise click.BadParameter("α is --lr MIN:MAX:N here", ctx, param)
    return {k: [float(f"{v:.4g}") for v in grid] for k, grid in grids.items()}


@click.command("cnn-sweep")
@click.option(
    "--dataset",
    default="digits",
    show_default=True,
    help="digits, shapes[:n=..,size=..,noise=..] or idx:DIR (MNIST-style files).",
)
@optimizer_option
@lr_range_option(default=CNN_RATES)
@click.option(
    "--seeds",
    type=click.IntRange(1, 1000),
    default=3,
    show_default=True,
    help="Seeds per optimizer and learning rate (initial weights and batch "
    "order; seed k is the same for every optimizer).",
)
@click.option("--epochs", type=click.IntRange(1, 10_000), default=10, show_default=True)
@click.option("--batch-size", type=click.IntRange(1), default=64, show_default=True)
@click.option(
    "--limit",
    type=click.IntRange(2),
    default=None,
    help="Use at most this many images (a seeded subset).",
)
@click.option(
    "--jobs",
    "n_jobs",
    type=click.IntRange(-1),
    default=-1,
    show_default=True,
    help="Local worker processes (-1: every core); never more than the runs to train "
    "or than the memory available holds (about 60 MB each). Not with --scheduler, "
    "whose cluster decides.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Train on the Dask cluster whose scheduler is at tcp://HOST:PORT (e.g. "
    "tcp://10.0.0.5:8786) through joblib's Dask backend instead of local processes; "
    "no answer within 10 s is an error. (tls:// and ucx:// need a distributed.Client "
    "from Python.)",
)
@click.option(
    "--cache",
    "cache_dir",
    default=None,
    metavar="DIR",
    help="Folder of finished runs (default: ~/.cache/optviz/cnn-sweep). A rerun "
    "reads them instead of training again; an interrupted sweep resumes.",
)
@click.option(
    "--criterion",
    type=click.Choice(["val_accuracy", "val_loss"]),
    default="val_accuracy",
    show_default=True,
    help="Best α: highest mean final validation accuracy, or lowest loss.",
)
@click.option(
    "--grid",
    "grids",
    multiple=True,
    metavar="KEY=MIN:MAX:N",
    callback=_cnn_grids,
    help="Also search KEY (momentum, rho, rho1, rho2) jointly with α for every "
    "optimizer that has it: N values from MIN to MAX, even in log(1 - β) (e.g. "
    "momentum=0.5:0.99:3; values to 4 significant digits); each value is its own line, "
    "cached like every run.",
)
@click.option(
    "--tables",
    "tables_dir",
    default=None,
    metavar="DIR",
    callback=check_folder_name,
    help="Also write DIR/leaderboard.csv and leaderboard.md (one row per optimizer and "
    "epoch: its best α and β or ρ, the value, best/edge/failed) and DIR/winners.png "
    "(the winner by epoch), as a whole folder.",
)
@figure_options
@figure_out_option("cnn-sweep", what="DATASET")
@csv_option("save the sweep, one row per optimizer, rate and seed (CnnSweep.load)")
@quiet_option
@budget_options(minutes=CNN_MINUTES)
@clean_errors
def cnn_sweep_command(
    dataset,
    specs,
    lr_range,
    seeds,
    epochs,
    batch_size,
    limit,
    n_jobs,
    scheduler,
    cache_dir,
    criterion,
    grids,
    tables_dir,
    look,
    out,
    csv_path,
    quiet,
):
    """Train the NumPy CNN with each optimizer at every learning rate of a grid and
    several seeds, in parallel, and draw accuracy and loss against the learning rate,
    then each optimizer at its own best rate.

    Runs go to joblib's local processes, or with --scheduler to a Dask cluster. Each
    finished run is cached on disk, so redrawing never retrains.

    \b
    Examples:
      optviz cnn-sweep --epochs 5 --seeds 2
      optviz cnn-sweep -o sgd -o momentum -o adam --lr 1e-4:1:13 --csv cnn.csv
      optviz cnn-sweep --scheduler tcp://127.0.0.1:8786
      optviz cnn-sweep -o sgd -o momentum --grid momentum=0.5:0.99:3 --tables cnn-board
    """
    from .. import recipes
    from ._common import progress

    _check_jobs_or_scheduler(scheduler)
    out = default_out(out, "cnn-sweep", dataset.split(":")[0])
    plan = output_plan(out, csv_path)
    if cache_dir:
        plan.read(cache_dir, "the cache")
    if tables_dir:
        from .._folders import check_folder_target

        check_folder_target(tables_dir, CNN_TABLES_KIND, 0)
    jobs, _ = recipes.cnn_sweep_jobs(
        dataset, specs, lrs=lr_range, seeds=seeds, epochs=epochs, batch_size=batch_size,
        limit=limit, grids=grids,
    )  # fmt: skip
    n_runs = len(jobs)
    with progress(length=n_runs, label=f"{n_runs} training runs", quiet=quiet) as bar:
        seen = [0]

        def advance(done, total):
            bar.update(done - seen[0])
            seen[0] = done

        result = recipes.cnn_sweep(
            dataset,
            specs,
            lrs=lr_range,
            seeds=seeds,
            epochs=epochs,
            batch_size=batch_size,
            limit=limit,
            n_jobs=n_jobs,
            scheduler=scheduler,
            cache=cache_dir,
            criterion=criterion,
            progress=advance,
            check=check_budget,
            grids=grids,
        )
    _write_sweep(result, out, csv_path, n_runs, look)
    if tables_dir:
        _write_tables(result.record, tables_dir, batch_size)


#: What a --tables folder is, in its marker (only such a folder is replaced).
CNN_TABLES_KIND = "cnn-leaderboard"


def _write_tables(record, folder, batch_size: int) -> None:
    """leaderboard.csv, leaderboard.md and winners.png, written as a whole folder."""
    from .._folders import atomic_folder
    from ..recipes.cnn_sweep import cnn_tables, winners_figure
    from ._common import save_figure

    board, markdown = cnn_tables(record)
    with atomic_folder(folder, kind=CNN_TABLES_KIND) as tmp:
        board.to_csv(tmp / "leaderboard.csv", index=False, float_format="%.17g")
        (tmp / "leaderboard.md").write_text(markdown, encoding="utf-8")
        save_figure(winners_figure(record, board, batch_size), tmp / "winners.png")
    click.echo(f"wrote {folder}/ (leaderboard.csv, leaderboard.md, winners.png)")


def _check_jobs_or_scheduler(scheduler) -> None:
    """A usage error when --jobs is given with --scheduler (the cluster's workers
    train, not local processes)."""
    source = click.get_current_context().get_parameter_source("n_jobs")
    if scheduler is not None and source is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError(
            "--jobs sets the local processes; with --scheduler the cluster's workers "
            "train: drop one of them"
        )


def _write_sweep(result, out, csv_path, n_runs: int, look) -> None:
    """Save the figure and the sweep behind it; say what was written and each
    optimizer's best learning rate."""
    write_figure(result.figure, out, look)
    sweep, cached = result.record, result.settings["cached_runs"]
    click.echo(f"wrote {out} ({n_runs} runs, {cached} from the cache)")
    write_record(sweep, out, csv_path)
    for label, lr in sweep.best().items():
        click.echo(
            f"{label:<12} best lr "
            + ("none: every lr diverged" if lr is None else f"{lr:.4g}")
        )


add_schedule_help(cnn_sweep_command)
