"""``optviz compare``: the five optimizers on one surface, as one figure."""

from __future__ import annotations

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

__all__ = ["compare"]


@click.command()
@surface_argument
@optimizer_option
@steps_option
@start_option
@figure_out_option("compare.png", sidecar=False)
@csv_option("save the run's records (.csv or .npz, with a .json sidecar)")
@clean_errors
def compare(surface, specs, steps, start, out, csv_path):
    """Run optimizers on SURFACE (default: rosenbrock) and draw their paths and losses.

    \b
    Examples:
      optviz compare
      optviz compare beale -o adam -o rmsprop:lr=0.01 --steps 300
      optviz compare himmelblau --start -1,1 --out himmelblau.pdf
    """
    from .._io import check_writable
    from ..plot.compare import compare_figure
    from ..records import RECORD_SUFFIXES
    from ..run import run_surface
    from ..spec import build_optimizers
    from ._common import FIGURE_SUFFIXES

    check_writable(out, FIGURE_SUFFIXES)
    if csv_path:
        check_writable(csv_path, RECORD_SUFFIXES)
    optimizers = build_optimizers(specs, surface, steps=steps)
    run = run_surface(surface, optimizers, start=start, steps=steps)
    fig = compare_figure(surface, run)
    save_figure(fig, out)
    click.echo(f"wrote {out}")
    if csv_path:
        run.save(csv_path)
        click.echo(f"wrote {csv_path}")
    for traj in run:
        if traj.diverged:
            click.echo(
                f"note: {traj.label} diverged at step {int(traj.diverged_at)}", err=True
            )
