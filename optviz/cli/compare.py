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
    figure_out_option,
    lang_option,
    optimizer_option,
    palette_option,
    progress_callback,
    quiet_option,
    record_sidecar,
    start_option,
    steps_option,
    surface_argument,
    tune_option,
    tune_starts_option,
    write_figure,
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
@lang_option
@palette_option
@figure_out_option("compare", sidecar=False)
@csv_option("save the run's records (.csv or .npz, with a .json sidecar)")
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
    lang,
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
    from .._io import Plan
    from ..plot._figure import FIGURE_SUFFIXES
    from ..records import RECORD_SUFFIXES

    subtitle = None if caption is None else recipes.caption(caption)  # checked first
    out = default_out(out, "compare", surface.name + ("-3d" if view == "3d" else ""))
    plan = Plan()
    plan.write(out, "the figure", FIGURE_SUFFIXES)
    if csv_path:
        plan.write(csv_path, "the records (--csv)", RECORD_SUFFIXES)
        plan.write(record_sidecar(csv_path), "the records' sidecar")
    n = surface.steps if steps is None else steps
    check_budget(budget.surface_runs(n_optimizers(specs), n))
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
    write_figure(result.figure, out, lang=lang, palette=palette)
    click.echo(f"wrote {out}")
    if csv_path:
        result.record.save(csv_path)
        click.echo(f"wrote {csv_path}")
    echo_notes(result)
