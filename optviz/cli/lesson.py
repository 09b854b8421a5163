"""``optviz lesson``: one of the notes' teaching figures, made from its own record."""

from __future__ import annotations

from pathlib import Path

import click

from ..lessons.names import ANIMATED, NAMES, STILL
from ._budget import budget_options, check_budget, lesson_cost
from ._common import (
    clean_errors,
    csv_option,
    figure_options,
    palette_option,
    record_sidecar,
    write_figure,
)

__all__ = ["lesson_command"]


@click.command("lesson", epilog="NAME is one of: " + ", ".join(NAMES) + ".")
@click.argument("name", type=click.Choice(NAMES), metavar="NAME")
@click.option(
    "--out",
    required=True,
    help="Figure path: .png, .svg or .pdf; .gif for the animated lessons "
    f"({', '.join(ANIMATED)}).",
)
@figure_options
@palette_option
@csv_option("save the figure's record (.csv or .npz, with a .json sidecar)")
@budget_options
@clean_errors
def lesson_command(name, out, look, palette, csv_path):
    """Draw the teaching figure NAME (a gallery entry): its numbers are computed (by
    optviz's optimizers, layers and surfaces) into a record, and the figure is drawn
    from that record alone (`optviz redraw` draws it again from the --csv file). With
    --out FILE.gif, the lesson's animation.

    \b
    Examples:
      optviz lesson lr-decay --out lr-decay.png
      optviz lesson delta-role --lang zh --csv delta.npz --out delta-role.png
      optviz lesson sliding-window --out sliding-window.gif
    """
    from .._io import Plan
    from ..plot._figure import FIGURE_SUFFIXES
    from ..recipes.lessons import lesson_figure
    from ..records import RECORD_SUFFIXES

    if Path(out).suffix.lower() == ".gif":
        return _animation(name, out, look, palette, csv_path)
    if name not in STILL:
        raise click.UsageError(f"{name} is an animation: --out must be a .gif")
    plan = Plan()
    plan.write(out, "the figure", FIGURE_SUFFIXES)
    if csv_path:
        plan.write(csv_path, "the record (--csv)", RECORD_SUFFIXES)
        plan.write(record_sidecar(csv_path), "the record's sidecar")
    check_budget(lesson_cost(name))
    result = lesson_figure(name)
    write_figure(result.figure, out, look, palette=palette)
    click.echo(f"wrote {out}")
    if csv_path:
        result.record.save(csv_path)
        click.echo(f"wrote {csv_path}")


def _animation(name, out, look, palette, csv_path) -> None:
    """``--out NAME.gif``: the lesson's animation, in ``--lang``."""
    from .._io import Plan
    from ..recipes.lessons import lesson_animation

    if name not in ANIMATED:
        raise click.UsageError(
            f"{name} has no animation; a .gif is made for {', '.join(ANIMATED)}"
        )
    given = [
        ("--palette", palette),
        ("--csv", csv_path),
        ("--dpi", look.dpi is not None),
        ("--size", look.size is not None),
        ("--aspect", look.aspect is not None),
        ("--style", look.style != "paper"),
    ]
    for option, on in given:
        if on:
            raise click.UsageError(f"{option} applies to a still figure, not a .gif")
    Plan().write(out, "the animation", (".gif",))
    check_budget(lesson_cost(name))
    lesson_animation(name, lang=look.lang).animation.save(out)
    click.echo(f"wrote {out}")
