"""How a figure is shown, one set of options for every figure command: ``--lang``,
``--dpi``, ``--size``/``--aspect``, ``--style`` (:func:`figure_options`), given to the
command as one :class:`~optviz.plot.look.FigureSettings`."""

from __future__ import annotations

import functools

import click

__all__ = [
    "figure_options",
    "SizeType",
    "DPI_RANGE",
    "SIZE_RANGE_INCHES",
    "STYLES",
    "ASPECTS",
    "MIN_PIXELS",
    "ANIMATION_DPI",
]

# -- how a figure is shown: one set of options for every figure command -----------------
#: optviz.plot.look's limits, repeated so that --help imports no matplotlib
#: (tests/cli/test_figure_options.py holds them equal).
DPI_RANGE = (50, 600)
SIZE_RANGE_INCHES = (2.0, 40.0)
STYLES = ("paper", "talk")
ASPECTS = {"16:9": (16, 9), "4:3": (4, 3)}
#: An animation's --size in pixels, as before (each side at least this).
MIN_PIXELS = 128
ANIMATION_DPI = 100


class SizeType(click.ParamType):
    """``WxH`` -> (w, h) of positive finite floats (inches; pixels for an animation
    whose sides are both at least :data:`MIN_PIXELS`)."""

    name = "WxH"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        try:
            w, h = (float(v) for v in value.lower().split("x"))
        except ValueError:
            self.fail(f"{value!r} is not WIDTHxHEIGHT (e.g. 8x4.5)", param, ctx)
        if not all(0 < v < float("inf") for v in (w, h)):
            self.fail(f"{value!r}: both sides must be positive numbers", param, ctx)
        return (w, h)


def figure_options(f=None, *, pixels: bool = False):
    """``--lang``, ``--dpi``, ``--size``/``--aspect`` and ``--style`` of every figure
    command, given to the command as one ``look``
    (:class:`~optviz.plot.look.FigureSettings`). ``pixels``: an animation, whose
    ``--size`` may also be pixels (as it always was) and whose ``--dpi`` turns inches
    into pixels."""
    if f is None:
        return functools.partial(figure_options, pixels=pixels)
    lo, hi = SIZE_RANGE_INCHES
    size_help = (
        f"Figure size in inches, WxH ({lo:g} to {hi:g} each), e.g. 13.33x7.5 for a "
        "16:9 slide [default: the figure's own]."
    )
    dpi_help = "Dots per inch of a .png (the text's size in pixels grows with it)."
    if pixels:
        size_help = (
            "Frame size WxH in inches at --dpi (e.g. 8x4.5), or in pixels when both "
            f"sides are {MIN_PIXELS} or more (e.g. 800x600) [default 640x480 pixels; "
            "wider with curves]."
        )
        dpi_help = "Pixels per inch of --size in inches [default: 100]."
    options = [
        click.option(
            "--lang",
            type=click.Choice(["en", "zh"]),
            default="en",
            show_default=True,
            help="The language of every text (zh: Chinese, with the shipped font).",
        ),
        click.option(
            "--dpi",
            type=click.IntRange(*DPI_RANGE),
            default=None,
            help=dpi_help + ("" if pixels else " [default: 150]"),
        ),
        click.option(
            "--size", type=SizeType(), default=None, metavar="WxH", help=size_help
        ),
        click.option(
            "--aspect",
            type=click.Choice(list(ASPECTS)),
            default=None,
            help="Width:height of the figure, its width kept (not with --size).",
        ),
        click.option(
            "--style",
            "style",
            type=click.Choice(STYLES),
            default="paper",
            show_default=True,
            help="talk: larger text and thicker lines, for a projector.",
        ),
    ]

    @functools.wraps(f)
    def wrapper(*args, lang, dpi, size, aspect, style, **kwargs):
        if size is not None and aspect is not None:
            raise click.UsageError("give --size or --aspect, not both")
        look = _figure_settings(lang, dpi, size, aspect, style, pixels)
        return f(*args, look=look, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def _figure_settings(lang, dpi, size, aspect, style, pixels: bool):
    """The :class:`~optviz.plot.look.FigureSettings` of the options (an animation's
    --size in pixels turned into inches at its dpi)."""
    from ..plot.look import FigureSettings

    if size is not None and not (pixels and min(size) >= MIN_PIXELS):
        lo, hi = SIZE_RANGE_INCHES
        if not all(lo <= v <= hi for v in size):
            w, h = size
            raise click.BadParameter(
                f"{w:g}x{h:g}: each side must be {lo:g} to {hi:g} inches",
                param_hint="'--size'",
            )
    if size is not None and pixels and min(size) >= MIN_PIXELS:
        per_inch = ANIMATION_DPI if dpi is None else dpi
        size = (size[0] / per_inch, size[1] / per_inch)  # pixels, as --size was
    ratio = None if aspect is None else ASPECTS[aspect]
    return FigureSettings(lang=lang, dpi=dpi, size=size, aspect=ratio, style=style)
