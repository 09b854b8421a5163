"""``optviz sweep``: each optimizer over a grid of learning rates, at its own best."""

from __future__ import annotations

import click

from ._common import (
    clean_errors,
    optimizer_option,
    save_figure,
    start_option,
    steps_option,
    surface_argument,
)
from .lr import SCHEDULE_HELP, SEPARATOR

__all__ = ["sweep_command", "LrRangeType", "lr_range_option"]


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


def lr_range_option(f):
    return click.option(
        "--lr",
        "lr_range",
        type=LrRangeType(),
        default=None,
        help="Learning rates MIN:MAX:N, log-spaced (e.g. 1e-4:1:50). Default: 41 "
        "rates over whole decades from 100x below the smallest to 10x above the largest "
        "of the surface's default rates.",
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
    help="Converged: f - f* below this from some step to the end [default: 1e-6].",
)
@click.option(
    "--criterion",
    type=click.Choice(["steps", "loss"]),
    default="steps",
    show_default=True,
    help="Best α: fewest steps to tol (else lowest final loss), or lowest final loss.",
)
@click.option(
    "--out",
    default="sweep.png",
    show_default=True,
    help="Figure path: .png, .svg or .pdf (a .json sidecar is written beside).",
)
@click.option(
    "--csv",
    "csv_path",
    default=None,
    help="Also write one row per optimizer and learning rate (.csv).",
)
@clean_errors
def sweep_command(surface, specs, lr_range, steps, start, tol, criterion, out, csv_path):
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
    """
    from .._io import check_writable
    from ..plot.sweep import sweep_figure
    from ..run import run_surface
    from ..spec import build_optimizers
    from ..sweep import (
        DEFAULT_GRID_POINTS,
        DEFAULT_TOL,
        best_optimizers,
        default_lr_range,
        figure_sidecar_path,
        lr_grid,
        lr_sweep,
        write_sidecar,
    )
    from ._common import FIGURE_SUFFIXES

    check_writable(out, FIGURE_SUFFIXES)
    check_writable(figure_sidecar_path(out))
    if csv_path:
        check_writable(csv_path, (".csv",))
    check_no_lr(specs)
    steps = surface.steps if steps is None else steps
    tol = DEFAULT_TOL if tol is None else tol
    optimizers = build_optimizers(specs, surface, steps=steps)
    names = [opt.name for opt in optimizers.values()]
    if lr_range is None:
        low, high = default_lr_range(surface, names)
        n = DEFAULT_GRID_POINTS
        how = (
            f"default: whole decades from 100x below the smallest to 10x above the "
            f"largest of {surface.name}'s default rates"
        )
    else:
        low, high, n = lr_range
        how = "given with --lr"
    lrs = lr_grid(low, high, n)
    sweep = lr_sweep(
        surface,
        optimizers,
        lrs,
        steps=steps,
        start=start,
        tol=tol,
        criterion=criterion,
        lr_how=how,
    )
    best = best_optimizers(sweep, optimizers)
    best_run = run_surface(surface, best, start=sweep.start, steps=steps) if best else None
    footnote = (
        f"α grid: {n} log-spaced values in [{low:g}, {high:g}] ({how}){SEPARATOR}"
        "no randomness (full-batch gradients)"
    )
    fig = sweep_figure(surface, sweep, best_run, footnote=footnote)
    save_figure(fig, out)
    info = sweep.sidecar()
    info["csv"] = csv_path
    side = write_sidecar(out, info)
    click.echo(f"wrote {out} and {side}")
    if csv_path:
        sweep.save_csv(csv_path)
        click.echo(f"wrote {csv_path}")
    for c in sweep:
        i = c.best_index(criterion)
        if i is None:
            click.echo(f"{c.label}: every learning rate diverged", err=True)
            continue
        reached = (
            f"f - f* < {tol:g} from step {int(c.steps_to_tol[i])}"
            if c.steps_to_tol[i] >= 0
            else f"final f - f* = {c.final_gap[i]:.3g} (never within tol)"
        )
        click.echo(f"{c.label:<12} best lr {c.lr[i]:.4g}: {reached}")


sweep_command.help = (sweep_command.help or "") + "\n\n" + SCHEDULE_HELP
