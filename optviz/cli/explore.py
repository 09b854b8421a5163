"""``optviz explore``: one offline HTML page to play with the optimizers."""

from __future__ import annotations

import click

from ..budget import PAGE_MAX_OPTIMIZER_STEPS, PAGE_MAX_STEPS
from ._common import (
    clean_errors,
    optimizer_option,
    resolve_tuned,
    start_option,
    surface_argument,
    tuned_option,
)

__all__ = ["explore_command"]


@click.command("explore")
@surface_argument
@optimizer_option
@click.option(
    "--steps",
    type=click.IntRange(1, PAGE_MAX_STEPS),
    default=None,
    help=f"Steps per run, 1 to {PAGE_MAX_STEPS:,} (default: the surface's). The page "
    "runs every optimizer in the browser on each change: optimizers x steps must be "
    f"at most {PAGE_MAX_OPTIMIZER_STEPS:,}.",
)
@start_option
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="The page's language.",
)
@click.option(
    "--out",
    default="explore.html",
    show_default=True,
    help="The page: one self-contained .html file (works offline, no server).",
)
@tuned_option
@clean_errors
def explore_command(surface, specs, steps, start, lang, out, tuned):
    """Write an interactive page for SURFACE (default: rosenbrock): drag the start,
    move the sliders, step through the updates with their numbers.

    \b
    Examples:
      optviz explore
      optviz explore himmelblau -o sgd -o adam:lr=0.05 --steps 300 --lang zh
      optviz explore beale --start=-1,1.5 --out beale.html
    """
    from .._io import check_writable
    from ..explore import explore

    check_writable(out, (".html", ".htm"))
    tuned = resolve_tuned(tuned)
    if tuned is not None:
        from ..recipes.tune import tuned_specs

        specs, note = tuned_specs(tuned, surface, specs, steps or surface.steps)
        click.echo(f"note: {note}", err=True)
    page = explore(surface, specs, start=start, steps=steps, lang=lang)
    page.save(out)
    click.echo(f"wrote {out}")
