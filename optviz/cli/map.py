"""``optviz map``: every optimizer from a whole grid of start points."""

from __future__ import annotations

import click

from ._common import (
    clean_errors,
    figure_out_option,
    optimizer_option,
    save_figure,
    steps_option,
    surface_argument,
)
from .lr import SEPARATOR, add_schedule_help, lr_footnote

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
@figure_out_option("map.png")
@clean_errors
def map_command(surface, specs, grid, steps, metric, tol, radius, out):
    """Run each optimizer from every point of a GRID x GRID grid of starts over SURFACE
    (default: rosenbrock) at once, one panel per optimizer.

    One lucky start flatters any optimizer; a map shows them all. On himmelblau,
    --metric basin shows which of the four minima each start ends in.

    \b
    Examples:
      optviz map
      optviz map himmelblau --metric basin --grid 200
      optviz map beale -o adam -o rmsprop --metric loss --steps 1000
    """
    from .._io import check_writable
    from ..plot.maps import map_figure
    from ..spec import build_optimizers, lr_sources
    from ..startmap import start_map
    from ..sweep import DEFAULT_TOL, figure_sidecar_path, write_sidecar
    from ._common import FIGURE_SUFFIXES

    check_writable(out, FIGURE_SUFFIXES)
    check_writable(figure_sidecar_path(out))
    if metric == "basin" and not surface.minima:
        raise ValueError(f"surface {surface.name!r} has no known minima: no basins to show")
    steps = surface.steps if steps is None else steps
    tol = DEFAULT_TOL if tol is None else tol
    optimizers = build_optimizers(specs, surface, steps=steps)
    lr_how = lr_sources(specs, surface, steps=steps)
    smap = start_map(
        surface, optimizers, grid=grid, steps=steps, tol=tol, radius=radius, lr_how=lr_how
    )
    extra = (
        f"{grid}×{grid} starts, edges included{SEPARATOR}"
        f"converged: f − f* < {tol:g} to the end"
    )
    if metric == "basin":
        extra += f"{SEPARATOR}basin: nearest global minimum within {smap.radius:g}"
    fig = map_figure(surface, smap, metric, footnote=lr_footnote(lr_how, steps, extra))
    save_figure(fig, out)
    info = smap.sidecar()
    info["metric"] = metric
    side = write_sidecar(out, info)
    click.echo(f"wrote {out} and {side}")


add_schedule_help(map_command)
