"""``optviz list``: what surfaces and optimizers there are, with their defaults."""

from __future__ import annotations

import textwrap

import click

__all__ = ["list_command"]


def _shown(value) -> str:
    """A default as a SPEC writes it (``true``, ``0.9/0.999``, ``notes``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "/".join(_shown(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@click.command("list")
@click.argument("what", type=click.Choice(["surfaces", "optimizers"]), required=False)
def list_command(what):
    """List surfaces and optimizers with their defaults."""
    from optviz.surfaces import SURFACES

    from ..optimizers import OPTIMIZERS
    from ..spec import ALIASES, SCHEDULE_KEYS

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
        click.echo("Optimizers (-o NAME:KEY=VALUE,...), with their defaults:")
        for name, cls in OPTIMIZERS.items():
            summary = (cls.__doc__ or "").strip().splitlines()[0]
            defaults = ", ".join(f"{k}={_shown(v)}" for k, v in cls.defaults.items())
            click.echo(f"  {name:<9} {summary}")
            for line in textwrap.wrap(defaults, 78):
                click.echo(f"  {'':<9} {line}")
        for alias, spec in ALIASES.items():
            click.echo(f"  {alias:<9} = {spec}")
        click.echo(
            "Every optimizer also takes the schedule keys "
            f"{', '.join(SCHEDULE_KEYS)} (e.g. sgd:schedule=cosine,warmup=20)."
        )
        click.echo(
            "On a surface lr defaults to the surface's choice (optviz list surfaces); "
            "in optviz train to each optimizer's CNN rate."
        )
