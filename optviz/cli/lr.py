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
    optimizer_option,
    output_plan,
    progress_callback,
    quiet_option,
    resolve_tuned,
    start_option,
    steps_option,
    surface_argument,
    tuned_option,
    write_figure,
    write_record,
)

__all__ = ["lr_command", "add_schedule_help", "SCHEDULE_HELP"]

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


@click.command("lr")
@surface_argument
@optimizer_option
@steps_option
@start_option
@tuned_option
@figure_options
@figure_out_option("lr")
@csv_option("save the run's records (.npz keeps the state)")
@quiet_option
@budget_options
@clean_errors
def lr_command(surface, specs, steps, start, tuned, look, out, csv_path, quiet):
    """Effective learning rate per coordinate, step length and state (v, r, s, Adam's
    bias correction) of each optimizer on SURFACE (default: rosenbrock).

    Adagrad's r only grows, so its rate alpha/(sqrt(r)+delta) falls for ever;
    RMSprop's moving average forgets; Adam adds momentum (s) and divides both moments
    by 1-rho^t. Overlay conventions by giving one optimizer twice. A third row shows
    what newer ones keep inside: Lion's sign(c), RAdam's rectification q_t, Prodigy's
    distance estimate d, Schedule-Free's averaging weight c_t.

    \b
    Examples:
      optviz lr
      optviz lr -o adagrad -o rmsprop -o adam
      optviz lr -o adam -o adam:bias_correction=false --steps 100
      optviz lr quadratic -o lion:lr=0.01 -o radam -o prodigy -o sfadamw
      optviz lr -o momentum:schedule=step,step_size=50 \\
                -o momentum:schedule=step,step_size=50,form=pytorch
      optviz lr himmelblau -o sgd:lr=0.01,schedule=cosine,warmup=20 --out lr.svg
    """
    from .. import budget, recipes

    out = default_out(out, "lr", surface.name)
    output_plan(out, csv_path)
    n = surface.steps if steps is None else steps
    check_budget(budget.surface_runs(n_optimizers(specs), n, state=True))
    tuned = resolve_tuned(tuned)
    with progress_callback(f"running on {surface.name}", quiet) as tick:
        result = recipes.lr(
            surface, specs, steps=steps, start=start, tuned=tuned, progress=tick
        )
    write_figure(result.figure, out, look)
    click.echo(f"wrote {out}")
    write_record(result.record, out, csv_path)
    echo_notes(result)


add_schedule_help(lr_command)
