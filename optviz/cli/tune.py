"""``optviz tune``: the fair comparison protocol, as a folder of tables and figures."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ._budget import TUNE_MINUTES, budget_options, check_budget
from ._common import SurfaceType, check_folder_name, clean_errors, optimizer_option

__all__ = ["tune_command", "TUNE_KIND", "grid_values"]

#: What a tuning folder is, in its marker (only such a folder is replaced).
TUNE_KIND = "tuning"
#: The files of --out.
LEADERBOARD_CSV, LEADERBOARD_MD = "leaderboard.csv", "leaderboard.md"
PROFILE_PNG, BUDGET_PNG = "profile.png", "budget.png"
#: Repeated here so that --help imports no numerics (a test holds them equal).
_DEFAULT_BUDGETS = "10,30,100,300,1000"
_DEFAULT_STARTS = 16
_GRIDS_HELP = (
    "α: 20 values log-spaced from 10^-2 to 10^2 × the surface's default α for the "
    "optimizer; β (momentum, Nesterov), ρ (RMSprop), ρ1 (Adam): 6 values from 0 to 0.99 "
    "evenly in log(1 - β); ρ2 (Adam): 3 values from 0.9 to 0.999; a best at an end of "
    "its range widened up to 3 times, then 2 zooms each halving the spacing around "
    "each budget's best"
)


def grid_values(ctx, param, values):
    """``--grid KEY=MIN:MAX:N`` (repeatable): key -> values, each key once."""
    from ..tuning import parse_grid

    out = {}
    for text in values:
        try:
            key, grid = parse_grid(text)
        except ValueError as exc:
            raise click.BadParameter(str(exc), ctx, param) from None
        if key in out:
            raise click.BadParameter(f"{key} is given twice", ctx, param)
        out[key] = grid
    return out


def _budgets(ctx, param, value):
    from .._shared import MAX_STEPS

    try:
        budgets = [int(v) for v in value.split(",")]
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not whole numbers N[,N...] (e.g. 10,100,1000)", ctx, param
        ) from None
    bad = [b for b in budgets if not 1 <= b <= MAX_STEPS]
    if bad:
        raise click.BadParameter(
            f"a budget must be in [1, {MAX_STEPS}], got {bad[0]}", ctx, param
        )
    return sorted(set(budgets))


@click.command("tune")
@click.argument("surfaces", nargs=-1, type=SurfaceType())
@optimizer_option
@click.option(
    "--grid",
    "grids",
    multiple=True,
    metavar="KEY=MIN:MAX:N",
    callback=grid_values,
    help="Replace the default values of KEY (lr, momentum, rho, rho1, rho2) for every "
    "optimizer that searches it: N values from MIN to MAX, even in log α or in "
    f"log(1 - β). Default grids: {_GRIDS_HELP}.",
)
@click.option(
    "--starts",
    type=click.IntRange(1, 100_000),
    default=_DEFAULT_STARTS,
    show_default=True,
    help="K random starts per surface, uniform in its domain (the same for every "
    "optimizer).",
)
@click.option(
    "--budget",
    "budgets",
    default=_DEFAULT_BUDGETS,
    show_default=True,
    callback=_budgets,
    metavar="N[,N...]",
    help="Budgets in steps (gradient evaluations per start); the winner is found at each.",
)
@click.option(
    "--objective",
    type=click.Choice(["steps", "final", "auc"]),
    default="steps",
    show_default=True,
    help="steps: steps to f - f* < 1e-6 (a start that fails or diverges counts +inf); "
    "final: the final f - f*; auc: the mean log10 f - f* over the steps. Each the "
    "median over the starts.",
)
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0, show_default=True,
              help="Seeds the random starts.")  # fmt: skip
@click.option("--all", "everything", is_flag=True, help="Every built-in surface.")
@click.option(
    "--out",
    "out_dir",
    default="optviz-tune",
    show_default=True,
    callback=check_folder_name,
    help="Folder for tuned.npz (+ .json), leaderboard.csv, leaderboard.md, budget.png "
    "and profile.png (several surfaces), written whole; a previous tuning folder there "
    "is replaced, any other folder is left alone.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Run one task per surface and optimizer on the Dask cluster whose scheduler "
    "is at tcp://HOST:PORT (the same numbers as the local run).",
)
@click.option(
    "--jobs",
    "n_jobs",
    type=click.IntRange(-1, 256),
    default=-1,
    show_default=True,
    help="Local processes, one task (surface x optimizer) each at a time; -1: every "
    "core. Not with --scheduler.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@budget_options(minutes=TUNE_MINUTES)
@clean_errors
def tune_command(
    surfaces, specs, grids, starts, budgets, objective, seed, everything, out_dir,
    scheduler, n_jobs, quiet,
):  # fmt: skip
    """Tune every optimizer's hyper-parameters jointly on each SURFACE (or --all),
    over K seeded random starts and several budgets, and say who wins when.

    \b
    Writes into --out:
      tuned.npz, tuned.json  the record: every setting tried, per budget
      leaderboard.csv   one row per surface, optimizer and budget: the tuned
                        settings (lr, momentum, rho, rho1, rho2), the objective's
                        value, solved, status (best, edge, failed), ties, failures
      leaderboard.md    the same to read, with the winner by budget
      budget.png        the winner by budget
      profile.png       performance profiles (Dolan and Moré 2002), several surfaces

    A best at an end of its grid is widened; if it stays there it is marked "edge"
    and never called best.

    \b
    Examples:
      optviz tune quadratic
      optviz tune rosenbrock -o sgd -o momentum --grid momentum=0:0.99:8
      optviz tune --all --out suite
      optviz tune --all --scheduler tcp://127.0.0.1:8786
    """
    from .. import recipes
    from .._folders import check_folder_target
    from ._common import progress_callback

    if everything and surfaces:
        raise click.UsageError("give SURFACE... or --all, not both")
    if not everything and not surfaces:
        raise click.UsageError("give one or more SURFACEs (see optviz list) or --all")
    out = Path(out_dir)
    check_folder_target(out, TUNE_KIND, 0)
    from ..tuning.parallel import joblib_runner

    if scheduler is not None and n_jobs != -1:
        raise click.UsageError(
            "--jobs sets the local processes; with --scheduler the cluster's workers run"
        )
    check_budget(_cost(surfaces, everything, specs, grids, starts, budgets, n_jobs))
    runner = joblib_runner(n_jobs, scheduler)
    started = time.perf_counter()
    with progress_callback("tuning", quiet) as tick:
        result = recipes.tune(
            None if everything else list(surfaces), specs, grids=grids, starts=starts,
            budgets=budgets, objective=objective, seed=seed, progress=tick,
            runner=runner,
        )  # fmt: skip
    seconds = time.perf_counter() - started
    _write(out, result)
    _report(result.record, seconds, out)


def _cost(surfaces, everything, specs, grids, starts, budgets, n_jobs):
    """The search's estimate (:func:`~._budget.tune_cost`) on ``n_jobs`` local
    processes (-1, and with --scheduler: every local core)."""
    import os

    from ..surfaces import SURFACES
    from ._budget import tune_cost

    chosen = list(SURFACES.values()) if everything else list(surfaces)
    workers = (os.cpu_count() or 1) if n_jobs == -1 else n_jobs
    return tune_cost(chosen, specs, grids, starts, budgets, workers)


def _write(out: Path, result) -> None:
    from .._folders import atomic_folder
    from ..recipes.tune import TUNED_RECORD, leaderboard_markdown
    from ._common import save_figure

    record = result.record
    with atomic_folder(out, kind=TUNE_KIND) as tmp:
        record.save(tmp / TUNED_RECORD)
        record.leaderboard().to_csv(
            tmp / LEADERBOARD_CSV, index=False, float_format="%.17g"
        )
        (tmp / LEADERBOARD_MD).write_text(leaderboard_markdown(record), encoding="utf-8")
        save_figure(result.figure, tmp / BUDGET_PNG)
        if "profile" in result.extra:
            save_figure(result.extra["profile"], tmp / PROFILE_PNG)


def _report(record, seconds: float, out: Path) -> None:
    """The winner at the largest budget on each surface, and the time taken."""
    winners = record.winners()
    last = winners[winners.budget == record.budgets[-1]]
    for row in last.itertuples():
        who = row.winner or "none (every optimizer failed or sits at a grid edge)"
        if row.winner == "tie":
            who = "tie: " + row.tied
        click.echo(f"{row.surface}: {who} at {row.budget} steps")
    n = len(record)
    click.echo(f"tuned {n} searches in {seconds:.1f} s; wrote {out}/")
