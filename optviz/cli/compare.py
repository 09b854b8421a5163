"""``optviz compare``: the five optimizers on one surface, as one figure."""

from __future__ import annotations

import click

from ._budget import budget_options, check_budget, n_optimizers
from ._common import (
    caption_option,
    clean_errors,
    csv_option,
    default_out,
    echo_notes,
    figure_options,
    figure_out_option,
    optimizer_option,
    output_plan,
    palette_option,
    progress_callback,
    quiet_option,
    resolve_tuned,
    start_option,
    steps_option,
    surface_argument,
    tune_option,
    tune_starts_option,
    write_figure,
    write_record,
)

__all__ = ["compare"]


@click.command()
@surface_argument
@optimizer_option
@steps_option
@start_option
@click.option(
    "--view",
    type=click.Choice(["2d", "3d"]),
    default="2d",
    show_default=True,
    help="2d: paths over the contour map and losses; 3d: the paths on the surface.",
)
@tune_option
@tune_starts_option
@click.option(
    "--footnote",
    default=None,
    metavar="TEXT",
    help="How the settings were chosen, said under the figure (e.g. where the rates "
    "given with -o come from).",
)
@caption_option
@figure_options
@palette_option
@figure_out_option("compare", sidecar=False)
@csv_option("save the run's records")
@quiet_option
@budget_options
@clean_errors
def compare(
    surface,
    specs,
    steps,
    start,
    view,
    tune,
    tune_starts,
    footnote,
    caption,
    look,
    palette,
    out,
    csv_path,
    quiet,
):
    """Run optimizers on SURFACE (default: rosenbrock) and draw their paths and losses.

    \b
    Examples:
      optviz compare
      optviz compare beale -o adam -o rmsprop:lr=0.01 --steps 300
      optviz compare himmelblau --start -1,1 --out himmelblau.pdf
      optviz compare saddle --view 3d
      optviz compare quadratic --tune --caption compare-quadratic
    """
    from .. import budget, recipes

    subtitle = None if caption is None else recipes.caption(caption)  # checked first
    out = default_out(out, "compare", surface.name + ("-3d" if view == "3d" else ""))
    output_plan(out, csv_path)
    n = surface.steps if steps is None else steps
    check_budget(budget.surface_runs(n_optimizers(specs), n))
    tune = resolve_tuned(tune)
    with progress_callback(f"running on {surface.name}", quiet) as tick:
        result = recipes.compare(
            surface,
            specs,
            steps=steps,
            start=start,
            view=view,
            tune=tune,
            starts=tune_starts,
            subtitle=subtitle,
            footnote=footnote,
            progress=tick,
        )
    write_figure(result.figure, out, look, palette=palette)
    click.echo(f"wrote {out}")
    write_record(result.record, out, csv_path)
    echo_notes(result)
