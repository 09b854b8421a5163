"""``optviz redraw``: a figure again from the record it was drawn from."""

from __future__ import annotations

import click

from ._common import clean_errors, figure_options, palette_option, write_figure

__all__ = ["redraw_command"]


@click.command("redraw")
@click.argument("record", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    required=True,
    help="Figure path: .png, .svg or .pdf (it may not be the record or its sidecar).",
)
@click.option(
    "--figure",
    "figure",
    type=click.Choice(["detailed", "lecture"]),
    default=None,
    help="A sweep's other figure [default: the one it was drawn as].",
)
@figure_options
@palette_option
@clean_errors
def redraw_command(record, out, figure, look, palette):
    """Draw the figure RECORD (.npz or .csv with its .json sidecar, as written by
    --csv of compare, sweep and map) was drawn from, from what it holds and states:
    nothing is run again (a sweep runs each optimizer once more at its best rate).

    \b
    Examples:
      optviz compare quadratic --tune --csv run.npz
      optviz redraw run.npz --out compare-quadratic.png
    """
    from .. import recipes
    from .._io import Plan
    from ..plot._figure import FIGURE_SUFFIXES
    from ..records import Record

    plan = Plan()
    plan.read(record, "the record")
    plan.read(Record.sidecar_path(record), "the record's sidecar")
    plan.write(out, "the figure", FIGURE_SUFFIXES)
    loaded = recipes.load_record(record)
    overrides = {} if figure is None else {"figure": figure}
    result = recipes.redraw(loaded, **overrides)
    write_figure(result.figure, out, look, palette=palette)
    click.echo(f"wrote {out}")
