"""``optviz lr``: the learning rate each coordinate gets, the step and the state."""

from __future__ import annotations

import inspect

import click

from ._common import (
    clean_errors,
    csv_option,
    figure_out_option,
    optimizer_option,
    save_figure,
    start_option,
    steps_option,
    surface_argument,
)

__all__ = ["lr_command", "lr_footnote", "add_schedule_help", "SCHEDULE_HELP"]

#: Footnote parts are joined by this (optviz.plot.lr.SEPARATOR, without importing
#: matplotlib at start-up).
SEPARATOR = "   ·   "

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


def lr_footnote(lr_how: dict[str, str], steps: int, extra: str = "") -> str:
    """One line for a figure: steps, how learning rates were chosen, randomness."""
    if all("default" in v for v in lr_how.values()):
        how = "α: the surface's default per optimizer"
    else:
        how = "α: " + "; ".join(f"{k} {v}" for k, v in lr_how.items())
    parts = [f"{steps} steps", how, "no randomness (full-batch gradients)"]
    if extra:
        parts.insert(1, extra)
    return SEPARATOR.join(parts)


@click.command("lr")
@surface_argument
@optimizer_option
@steps_option
@start_option
@figure_out_option("lr.png")
@csv_option("save the run's records (.csv, or .npz which keeps the state)")
@clean_errors
def lr_command(surface, specs, steps, start, out, csv_path):
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
    from .._io import check_writable
    from ..plot.lr import lr_figure
    from ..records import RECORD_SUFFIXES
    from ..run import run_surface
    from ..spec import build_optimizers, lr_sources
    from ..sweep import figure_sidecar_path, write_sidecar
    from ._common import FIGURE_SUFFIXES

    check_writable(out, FIGURE_SUFFIXES)
    check_writable(figure_sidecar_path(out))
    if csv_path:
        check_writable(csv_path, RECORD_SUFFIXES)
    steps = surface.steps if steps is None else steps
    optimizers = build_optimizers(specs, surface, steps=steps)
    lr_how = lr_sources(specs, surface, steps=steps)
    run = run_surface(surface, optimizers, start=start, steps=steps, record_state=True)
    fig = lr_figure(surface, run, footnote=lr_footnote(lr_how, steps))
    save_figure(fig, out)
    info = run.sidecar()
    info["learning_rates"] = lr_how
    info["kind"] = "learning-rate figure"
    side = write_sidecar(out, info)
    click.echo(f"wrote {out} and {side}")
    if csv_path:
        run.save(csv_path)
        click.echo(f"wrote {csv_path}")
    for traj in run:
        if traj.diverged:
            click.echo(
                f"note: {traj.label} diverged at step {int(traj.diverged_at)}", err=True
            )


add_schedule_help(lr_command)
