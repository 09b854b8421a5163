"""``optviz list``: what surfaces and optimizers there are, with their defaults."""

from __future__ import annotations

import re
import textwrap

import click

__all__ = ["list_command", "summary"]

#: A first sentence longer than this is cut at its first clause.
LONG = 130


def _shown(value) -> str:
    """A default as a SPEC writes it (``true``, ``0.9/0.999``, ``notes``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "/".join(_shown(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def summary(doc: str | None) -> str:
    """A docstring's first sentence on one line, without reST markup (its first
    clause if the sentence runs past :data:`LONG` characters)."""
    paragraph = (doc or "").strip().split("\n\n")[0]
    text = " ".join(line.strip() for line in paragraph.splitlines())
    text = re.sub(r":math:`([^`]*)`", lambda m: _plain_math(m.group(1)), text)
    text = text.replace("``", "")
    end = text.find(". ")
    sentence = text[: end + 1] if end >= 0 else text
    clause = sentence.find("; ")
    return sentence[:clause] if len(sentence) > LONG and clause > 0 else sentence


def _plain_math(tex: str) -> str:
    """``\\bar w`` -> ``w̄``; other commands dropped."""
    tex = re.sub(r"\\bar\s*(\w)", "\\1\u0304", tex)
    return re.sub(r"\\[A-Za-z]+\s*", "", tex)


def _entry(name: str, description: str, defaults: str, width: int) -> None:
    """One optimizer or method: its name and description, then its defaults."""
    pad = " " * (width + 3)
    lines = textwrap.wrap(description, 88, initial_indent=f"  {name:<{width}} ",
                          subsequent_indent=pad)  # fmt: skip
    lines += textwrap.wrap(defaults, 88, initial_indent=pad, subsequent_indent=pad)
    for line in lines:
        click.echo(line)


@click.command("list")
@click.argument(
    "what", type=click.Choice(["surfaces", "optimizers", "classical"]), required=False
)
def list_command(what):
    """List surfaces, optimizers and classical methods with their defaults."""
    from optviz.surfaces import SURFACES

    from ..classical import CLASSICAL, SUMMARY
    from ..optimizers import OPTIMIZERS
    from ..spec import ALIASES, SCHEDULE_KEYS

    if what in (None, "surfaces"):
        click.echo("Surfaces (optviz compare SURFACE):")
        for name in sorted(SURFACES):
            s = SURFACES[name]
            lrs = ", ".join(f"{k}={v:g}" for k, v in s.lr.items())
            start = f"({s.start[0]:.3g}, {s.start[1]:.3g})"
            click.echo(f"  {name:<17} {s.title:<26} start {start:<14} lr: {lrs}")
    if what in (None, "optimizers"):
        if what is None:
            click.echo("")
        click.echo("Optimizers (-o NAME:KEY=VALUE,...), with their defaults:")
        for name, cls in OPTIMIZERS.items():
            defaults = ", ".join(f"{k}={_shown(v)}" for k, v in cls.defaults.items())
            _entry(name, summary(cls.__doc__), defaults, 9)
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
    if what in (None, "classical"):
        if what is None:
            click.echo("")
        click.echo("Classical methods (-o NAME:KEY=VALUE,...), with their defaults:")
        for name, (method, options) in CLASSICAL.items():
            by = f"scipy {method}" if method else "scipy's Wolfe line search"
            defaults = ", ".join(f"{k}={_shown(v)}" for k, v in options.items())
            _entry(name, SUMMARY[name], f"{by}; {defaults}", 13)
