"""What every command shares: argument types, one-line errors, atomic figure output."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from .._io import OutputError, atomic_path, check_writable
from ..run import MAX_STEPS

__all__ = [
    "SurfaceType",
    "PointType",
    "surface_argument",
    "optimizer_option",
    "steps_option",
    "start_option",
    "figure_out_option",
    "csv_option",
    "clean_errors",
    "save_figure",
    "FIGURE_SUFFIXES",
    "progress",
]

FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


class SurfaceType(click.ParamType):
    """A surface by registry name, with a 'did you mean' on a typo."""

    name = "surface"

    def convert(self, value, param, ctx):
        from optviz.surfaces import get

        if not isinstance(value, str):
            return value
        try:
            return get(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class PointType(click.ParamType):
    """``X,Y`` -> (x, y) of finite floats."""

    name = "X,Y"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        try:
            x, y = (float(v) for v in value.split(","))
        except ValueError:
            self.fail(f"{value!r} is not two numbers X,Y (e.g. -1.5,2)", param, ctx)
        if not all(map(lambda v: v == v and abs(v) != float("inf"), (x, y))):
            self.fail(f"{value!r} must be finite", param, ctx)
        return (x, y)


def surface_argument(f):
    return click.argument(
        "surface", type=SurfaceType(), default="rosenbrock", required=False
    )(f)


def optimizer_option(f):
    return click.option(
        "-o",
        "--optimizer",
        "specs",
        multiple=True,
        metavar="SPEC",
        help="NAME or NAME:KEY=VALUE,... e.g. -o sgd -o adam:lr=0.05,betas=0.9/0.99. "
        "Repeat for several; default: sgd, momentum, adagrad, rmsprop, adam.",
    )(f)


def steps_option(f):
    return click.option(
        "--steps",
        type=click.IntRange(1, MAX_STEPS),
        default=None,
        help="Number of steps (default: the surface's).",
    )(f)


def start_option(f):
    return click.option(
        "--start",
        type=PointType(),
        default=None,
        help="Start point (default: the surface's).",
    )(f)


def figure_out_option(default: str, *, sidecar: bool = True):
    """``--out``: the figure's path, PNG/SVG/PDF by extension."""
    beside = " (a .json sidecar is written beside)" if sidecar else ""
    return click.option(
        "--out",
        default=default,
        show_default=True,
        help=f"Figure path: .png, .svg or .pdf{beside}.",
    )


def csv_option(what: str):
    """``--csv``: also save the numbers behind the figure."""
    return click.option("--csv", "csv_path", default=None, help=f"Also {what}.")


def clean_errors(f):
    """Turn ValueError (bad input) into click's one-line ``Error: ...`` (exit 1);
    Ctrl-C into a short message (atomic writes leave nothing behind)."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except (ValueError, OutputError, KeyError) as exc:
            msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            raise click.ClickException(str(msg)) from None
        except KeyboardInterrupt:
            click.echo("interrupted: nothing was written", err=True)
            sys.exit(130)

    return wrapper


def save_figure(fig, path, dpi: int = 150) -> Path:
    """Save ``fig`` atomically as PNG, SVG or PDF (by extension), reproducibly:
    no dates in the metadata, fixed SVG ids."""
    import matplotlib

    path = check_writable(path, FIGURE_SUFFIXES)
    fmt = path.suffix.lower().lstrip(".")
    metadata = {
        "png": {"Software": None},
        "svg": {"Date": None},
        "pdf": {"CreationDate": None, "ModDate": None},
    }[fmt]
    from ..plot.style import style

    # Drawn under the same rc settings it was built with (tick density follows type size).
    with (
        style(),
        matplotlib.rc_context({"svg.hashsalt": "optviz"}),
        atomic_path(path) as tmp,
    ):
        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata)
    return path


def progress(iterable=None, *, length=None, label="", quiet=False):
    """click's progress bar, shown only on a terminal and when not ``quiet``."""
    hidden = quiet or not sys.stderr.isatty()
    return click.progressbar(
        iterable, length=length, label=label, file=sys.stderr, hidden=hidden
    )
