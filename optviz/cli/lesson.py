"""``optviz lesson``: one of the notes' teaching figures, made from its own record."""

from __future__ import annotations

import click

from ..lessons.names import NAMES
from ._common import (
    clean_errors,
    csv_option,
    figure_options,
    palette_option,
    record_sidecar,
    write_figure,
)

__all__ = ["lesson_command"]


@click.command("lesson")
@click.argument("name", type=click.Choice(NAMES))
@click.option("--out", required=True, help="Figure path: .png, .svg or .pdf.")
@figure_options
@palette_option
@csv_option("save the figure's record (.csv or .npz, with a .json sidecar)")
@clean_errors
def lesson_command(name, out, look, palette, csv_path):
    """Draw the teaching figure NAME: its numbers are computed (by optviz's optimizers,
    layers and surfaces) into a record, and the figure is drawn from that record
    alone (`optviz redraw` draws it again from the --csv file).

    \b
    Examples:
      optviz lesson lr-decay --out lr-decay.png
      optviz lesson delta-role --lang zh --csv delta.npz --out delta-role.png
    """
    from .._io import Plan
    from ..plot._figure import FIGURE_SUFFIXES
    from ..recipes.lessons import lesson_figure
    from ..records import RECORD_SUFFIXES

    plan = Plan()
    plan.write(out, "the figure", FIGURE_SUFFIXES)
    if csv_path:
        plan.write(csv_path, "the record (--csv)", RECORD_SUFFIXES)
        plan.write(record_sidecar(csv_path), "the record's sidecar")
    result = lesson_figure(name)
    write_figure(result.figure, out, look, palette=palette)
    click.echo(f"wrote {out}")
    if csv_path:
        result.record.save(csv_path)
        click.echo(f"wrote {csv_path}")
