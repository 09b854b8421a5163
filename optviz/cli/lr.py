"""``optviz lr``: the learning rate each coordinate gets, the step and the state."""

from __future__ import annotations

import inspect

import click

from ._budget import budget_options, check_budget, n_optimizers
from ._common import (
    clean_errors,
    csv_option,
    default_out,
    echo_notes,
    figure_options,
    figure_out_option,
    figure_sidecar,
    optimizer_option,
    progress_callback,
    quiet_option,
    record_sidecar,
    start_option,
    steps_option,
    surface_argument,
    tuned_option,
    write_figure,
)

__all__ = ["lr_command", "add_schedule_help", "SCHEDULE_HELP", "figure_plan"]

#: The SPEC's schedule keys, for every command's help.
SCHEDULE_HELP = (
    "Schedules are SPEC keys too: schedule=constant|step|exponential|cosine, "
    "warmup=STEPS (linear warm-up, alone or before a schedule), gamma= (step, "
    "exponential), step_size= (step), min_lr= and total_steps= (cosine; default: the "
    "run's steps minus the warm-up)."
)


def add_schedule_help(command):
    """Append :data:`SCHEDULE_HELP` to a command's help text."""
    command.help = inspect.cleandoc(command.help or "") + "\n\n" + SCHEDULE_HELP
    return command


def figure_plan(out, csv_path=None, csv_suffixes=(".csv", ".npz")):
    """A :class:`~optviz._io.Plan` of a figure, its ``.json`` sidecar and, with
    ``csv_path``, a record and its sidecar: refused before any work if two coincide."""
    from .._io import Plan
    from ..plot._figure import FIGURE_SUFFIXES

    plan = Plan()
    plan.write(out, "the figure", FIGURE_SUFFIXES)
    plan.write(figure_sidecar(out), "the figure's sidecar")
    if csv_path:
        plan.write(csv_path, "the numbers (--csv)", csv_suffixes)
        plan.write(record_sidecar(csv_path), "the numbers' sidecar")
    return plan


@click.command("lr")
@surface_argument
@optimizer_option
@steps_option
@start_option
@tuned_option
@figure_options
@figure_out_option("lr")
@csv_option("save the run's records (.csv, or .npz which keeps the state)")
@quiet_option
@budget_options
@clean_errors
def lr_command(surface, specs, steps, start, tuned, look, out, csv_path, quiet):
    """Effective learning rate per coordinate, step length and state (v, r, s, Adam's
    bias correction) of each optimizer on SURFACE (default: rosenbrock).

    Adagrad's r only grows, so its rate alpha/(sqrt(r)+delta) falls for ever;
    RMSprop's moving average forgets; Adam adds momentum (s) and divides both moments
    by 1-rho^t. Overlay conventions by giving one optimizer twice.

    \b
    Examples:
      optviz lr
      optviz lr -o adagrad -o rmsprop -o adam
      optviz lr -o adam -o adam:bias_correction=false --steps 100
      optviz lr -o momentum:schedule=step,step_size=50 \\
                -o momentum:schedule=step,step_size=50,form=pytorch
      optviz lr himmelblau -o sgd:lr=0.01,schedule=cosine,warmup=20 --out lr.svg
    """
    from .. import budget, recipes
    from ..sweep import write_sidecar

    out = default_out(out, "lr", surface.name)
    figure_plan(out, csv_path)
    n = surface.steps if steps is None else steps
    check_budget(budget.surface_runs(n_optimizers(specs), n, state=True))
    with progress_callback(f"running on {surface.name}", quiet) as tick:
        result = recipes.lr(
            surface, specs, steps=steps, start=start, tuned=tuned, progress=tick
        )
    write_figure(result.figure, out, look)
    side = write_sidecar(out, result.settings)
    click.echo(f"wrote {out} and {side}")
    if csv_path:
        result.record.save(csv_path)
        click.echo(f"wrote {csv_path}")
    echo_notes(result)


add_schedule_help(lr_command)
