"""``optviz explore``: one offline HTML page to play with the optimizers."""

from __future__ import annotations

import click

from ._common import (
    clean_errors,
    optimizer_option,
    start_option,
    steps_option,
    surface_argument,
)

__all__ = ["explore_command"]


@click.command("explore")
@surface_argument
@optimizer_option
@steps_option
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
@clean_errors
def explore_command(surface, specs, steps, start, lang, out):
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
    page = explore(surface, specs, start=start, steps=steps, lang=lang)
    page.save(out)
    click.echo(f"wrote {out}")
