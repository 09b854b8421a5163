"""``optviz list``: what surfaces and optimizers there are."""

from __future__ import annotations

import click

__all__ = ["list_command"]


@click.command("list")
@click.argument("what", type=click.Choice(["surfaces", "optimizers"]), required=False)
def list_command(what):
    """List surfaces and optimizers with their defaults."""
    from optviz.surfaces import SURFACES

    from ..optimizers import OPTIMIZERS
    from ..spec import allowed_keys

    if what in (None, "surfaces"):
        click.echo("Surfaces (optviz compare SURFACE):")
        for name in sorted(SURFACES):
            s = SURFACES[name]
            lrs = ", ".join(f"{k}={v:g}" for k, v in s.lr.items())
            start = f"({s.start[0]:.3g}, {s.start[1]:.3g})"
            click.echo(f"  {name:<17} {s.title:<26} start {start:<14} lr: {lrs}")
    if what is None:
        click.echo("")
    if what in (None, "optimizers"):
        click.echo("Optimizers (-o NAME:KEY=VALUE,...):")
        for name, cls in OPTIMIZERS.items():
            keys = ", ".join(allowed_keys(name))
            summary = (cls.__doc__ or "").strip().splitlines()[0]
            click.echo(f"  {name:<9} {summary}")
            click.echo(f"  {'':<9} keys: {keys}")
