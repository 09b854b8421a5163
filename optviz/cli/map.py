"""``optviz map``: every optimizer from a whole grid of start points."""

from __future__ import annotations

import click

from ._budget import budget_options, check_budget, n_optimizers, point_seconds
from ._common import (
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
    steps_option,
    surface_argument,
    write_figure,
    write_record,
)
from .lr import add_schedule_help

__all__ = ["map_command"]

DEFAULT_GRID = 100


@click.command("map")
@surface_argument
@optimizer_option
@click.option(
    "--grid",
    type=click.IntRange(2, 2000),
    default=DEFAULT_GRID,
    show_default=True,
    help="Starts per side: GRID x GRID over the domain.",
)
@steps_option
@click.option(
    "--metric",
    type=click.Choice(["steps", "loss", "basin"]),
    default="steps",
    show_default=True,
    help="Colour each start by steps to converge, final f - f*, or which "
    "global minimum it reached.",
)
@click.option(
    "--tol",
    type=click.FloatRange(0, min_open=True),
    default=None,
    help="Converged: f - f* below this from some step to the end [default: 1e-6].",
)
@click.option(
    "--radius",
    type=click.FloatRange(0, min_open=True),
    default=None,
    help="Reached a minimum: final point this close to it [default: 5% of "
    "the domain's larger side].",
)
@click.option(
    "--explain",
    is_flag=True,
    help="The footnote says what the colours mean (the gallery's), not the grid.",
)
@figure_options
@palette_option
@figure_out_option("map")
@csv_option("save the map, one row per optimizer and start (StartMap.load reads it)")
@quiet_option
@budget_options
@clean_errors
def map_command(
    surface, specs, grid, steps, metric, tol, radius, explain, look, palette, out,
    csv_path, quiet,
):  # fmt: skip
    """Run each optimizer from every point of a GRID x GRID grid of starts over SURFACE
    (default: rosenbrock) at once, one panel per optimizer.

    One lucky start flatters any optimizer; a map shows them all. On himmelblau,
    --metric basin shows which of the four minima each start ends in.

    \b
    Examples:
      optviz map
      optviz map himmelblau --metric basin --grid 200
      optviz map beale -o adam -o rmsprop --metric loss --steps 1000
      optviz map himmelblau --grid 50 --csv himmelblau-map.csv
    """
    from .. import budget, recipes

    out = default_out(out, "map", surface.name)
    output_plan(out, csv_path)
    if metric == "basin" and not surface.minima:
        raise ValueError(f"surface {surface.name!r} has no known minima: no basins to show")
    n = surface.steps if steps is None else steps
    cost = budget.start_map(n_optimizers(specs), grid, n, point_seconds(surface))
    check_budget(cost)
    with progress_callback(f"{grid}x{grid} starts on {surface.name}", quiet) as tick:
        result = recipes.startmap(
            surface,
            specs,
            grid=grid,
            steps=steps,
            metric=metric,
            tol=tol,
            radius=radius,
            explain=explain,
            progress=tick,
        )
    write_figure(result.figure, out, look, palette=palette)
    click.echo(f"wrote {out}")
    write_record(result.record, out, csv_path)


add_schedule_help(map_command)
