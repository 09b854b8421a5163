"""What every command shares: argument types, one-line errors, atomic figure output."""

from __future__ import annotations

import contextlib
import functools
import sys
from pathlib import Path

import click

from .._checks import UnknownName
from .._io import OutputError
from .._shared import (
    FIGURE_SUFFIXES,
    MAX_MESSAGE,
    MAX_STEPS,
    record_sidecar,
)
from ._look import (  # noqa: F401 (the figure options, one import for the commands)
    ANIMATION_DPI,
    ASPECTS,
    DPI_RANGE,
    MIN_PIXELS,
    SIZE_RANGE_INCHES,
    STYLES,
    SizeType,
    figure_options,
)

#: Exit codes: 2 for a usage error (bad option, argument, command), 1 for any other
#: error, 130 after Ctrl-C (128 + the signal: 143 after SIGTERM, 129 after SIGHUP).
EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130


__all__ = [
    "SurfaceType",
    "PointType",
    "surface_argument",
    "optimizer_option",
    "steps_option",
    "start_option",
    "figure_out_option",
    "default_out",
    "csv_option",
    "record_path",
    "output_plan",
    "write_record",
    "check_folder_name",
    "clean_errors",
    "interrupted",
    "save_figure",
    "write_figure",
    "figure_options",
    "FIGURE_SUFFIXES",
    "progress",
    "progress_callback",
    "quiet_option",
    "one_line",
    "record_sidecar",
    "echo_notes",
    "tuned_option",
    "load_tuned_dir",
    "resolve_tuned",
    "TunedDir",
    "MAX_STEPS",
    "EXIT_ERROR",
    "EXIT_USAGE",
    "EXIT_INTERRUPTED",
]


class SurfaceType(click.ParamType):
    """A surface by registry name, with a 'did you mean' on a typo; anything else (a
    formula, ``FILE.py:NAME``) is passed on as text, for :func:`surface_argument` to
    build with its ``--domain``."""

    name = "surface"

    def convert(self, value, param, ctx):
        from optviz.surfaces import SURFACES

        if not isinstance(value, str):
            return value
        return SURFACES.get(value, value)


def _user_surface(value, domain, noise, seed):
    """The surface of ``value`` (a Surface, or a formula or ``FILE.py:NAME``) on
    ``domain`` (text ``X0:X1,Y0:Y1`` or None), with ``noise`` (``SIGMA[:relative]``)
    seeded by ``seed``; a usage error (exit 2) in one line."""
    from optviz.surfaces.noise import parse_noise
    from optviz.user_surfaces import resolve

    try:
        if noise is not None:
            parse_noise(noise)
    except ValueError as exc:
        raise click.BadParameter(one_line(str(exc)), param_hint="--noise") from None
    try:
        if not isinstance(value, str) and domain is not None:
            value = value.name  # a registered surface: resolve says it has its own
        return resolve(value, domain, noise=noise, seed=seed)
    except ValueError as exc:
        raise click.BadParameter(one_line(str(exc)), param_hint="SURFACE") from None


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
    """The SURFACE argument (a name, a formula such as "x**2 + 10*y**2", or
    FILE.py:NAME) and its ``--domain``."""

    @functools.wraps(f)
    def wrapper(*args, surface, domain, noise, seed, **kwargs):
        surface = _user_surface(surface, domain, noise, seed)
        return f(*args, surface=surface, **kwargs)

    wrapper = click.option(
        "--seed",
        type=click.IntRange(0),
        default=0,
        show_default=True,
        help="The seed of --noise.",
    )(wrapper)
    wrapper = click.option(
        "--noise",
        default=None,
        metavar="SIGMA[:relative]",
        help="Gaussian noise on every gradient the optimizers see: g + SIGMA*xi, or "
        "g + SIGMA*|g|*xi with :relative (xi ~ N(0, I), seeded by --seed; the same "
        "noise stream for every optimizer). 0: the noiseless run.",
    )(wrapper)
    wrapper = click.option(
        "--domain",
        default=None,
        metavar="X0:X1,Y0:Y1",
        help="The window of a formula or FILE.py:NAME surface (e.g. -2:2,-1:3; "
        "default: around the minima found in [-5, 5]^2).",
    )(wrapper)
    return click.argument(
        "surface", type=SurfaceType(), default="rosenbrock", required=False
    )(wrapper)


def optimizer_option(f):
    return click.option(
        "-o",
        "--optimizer",
        "specs",
        multiple=True,
        metavar="SPEC",
        help="NAME or NAME:KEY=VALUE,... e.g. -o sgd -o adam:lr=0.05,betas=0.9/0.99. "
        "Repeat for several; default: sgd, momentum, adagrad, rmsprop, adam. Classical "
        "methods (compare, animate): bfgs, lbfgs, cg, newton, nelder-mead, gd-linesearch.",
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


def figure_out_option(command: str, *, sidecar: bool = True, what: str = "SURFACE"):
    """``--out``: the figure's path, PNG/SVG/PDF by extension; by default named after
    the command and the surface (``compare-beale.png``), so figures of different
    surfaces never replace each other."""
    beside = " (a .json sidecar is written beside)" if sidecar else ""
    return click.option(
        "--out",
        default=None,
        help=f"Figure path: .png, .svg or .pdf{beside}. [default: {command}-{what}.png]",
    )


def default_out(out, command: str, name: str, suffix: str = ".png") -> Path:
    """``out`` as a Path, or ``COMMAND-NAME.png`` when not given (a formula's name
    made safe for a file: ``compare-x_2_10_y_2-1a2b3c.png``)."""
    return Path(out) if out else Path(f"{command}-{file_safe(name)}{suffix}")


def file_safe(name: str) -> str:
    """``name`` itself if it is safe in a file name, else its safe characters and a
    short hash of the whole (two formulas never share a file)."""
    import hashlib
    import re

    if re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        return name
    kept = re.sub(r"[^A-Za-z0-9.]+", "_", name).strip("_.")[:40]
    return f"{kept}-{hashlib.sha1(name.encode()).hexdigest()[:6]}"


def check_folder_name(ctx, param, value):
    """A click callback for an output folder: a folder of its own, never ``.``,
    ``..`` or ``/`` (which name no folder that a run could replace whole)."""
    if value is not None and Path(value).name in ("", ".", ".."):
        raise click.BadParameter(
            f"{value!r} is the current, parent or root folder, not a folder of its own: "
            "give a new or previous run's folder (e.g. --out optviz-train)",
            ctx,
            param,
        )
    return value


def csv_option(what: str):
    """``--csv``: where the record behind the figure goes (default: beside it)."""
    return click.option(
        "--csv",
        "csv_path",
        default=None,
        metavar="PATH",
        help=f"Where to {what}, .csv or .npz, with a .json sidecar [default: beside "
        "the figure, FIGURE-NAME.npz and FIGURE-NAME.json].",
    )


# -- the data behind every figure: its record beside it ----------------------------------
#: A figure's record, unless --csv says where: beside it, under its name, as .npz.
RECORD_BESIDE = ".npz"


def record_path(out, csv_path=None) -> Path:
    """Where the record behind figure ``out`` goes: ``csv_path`` if given, else beside
    the figure with its name (``compare-beale.png`` -> ``compare-beale.npz``, whose
    sidecar is ``compare-beale.json``: one naming scheme for every command)."""
    return Path(csv_path) if csv_path else Path(out).with_suffix(RECORD_BESIDE)


def output_plan(out, csv_path=None, *, what="the figure", suffixes=FIGURE_SUFFIXES):
    """A :class:`~optviz._io.Plan` of figure (or animation) ``out``, its record and
    the record's sidecar (:func:`record_path`): refused before any work if two
    coincide or one is an input."""
    from .._io import Plan
    from ..records import RECORD_SUFFIXES

    plan = Plan()
    plan.write(out, what, suffixes)
    record = record_path(out, csv_path)
    plan.write(record, "its record" + (" (--csv)" if csv_path else ""), RECORD_SUFFIXES)
    plan.write(record_sidecar(record), "its record's sidecar")
    return plan


def write_record(record, out, csv_path=None, *, quiet: bool = False) -> Path:
    """Save ``record`` (where :func:`record_path` says) and say so."""
    path = record.save(record_path(out, csv_path))
    if not quiet:
        click.echo(f"wrote {path} and {record_sidecar(path)} (the data behind {out})")
    return path


def interrupted(exc: BaseException | None, what: str | None = None):
    """End the command after Ctrl-C, SIGTERM or SIGHUP (``exc``): one line saying which
    and ``what`` is on disk (default: what the ledger of outputs says; atomic writes
    leave nothing half-written), exit 128 + the signal's number."""
    from .._io import ledger
    from .._signals import take_pending

    take_pending()  # this is its message
    signum = getattr(exc, "signum", None)
    head = "interrupted" if signum is None else f"terminated ({exc.name})"
    click.echo(f"Error: {head}; {what or ledger.summary()}", err=True)
    sys.exit(EXIT_INTERRUPTED if signum is None else 128 + signum)


def clean_errors(f):
    """Turn a user error (ValueError, an unwritable output) into click's one-line
    ``Error: ...`` (exit 1), an unknown name (:class:`~optviz._checks.UnknownName`:
    optimizer, surface, key, schedule, data set) into a usage error (exit 2);
    Ctrl-C, SIGTERM and SIGHUP into one line saying what is on
    disk (:func:`interrupted`)."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except UnknownName as exc:  # a name none of the known ones: a usage error
            raise click.UsageError(one_line(str(exc))) from None
        except (ValueError, OutputError, KeyError) as exc:
            msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            raise click.ClickException(one_line(str(msg))) from None
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(
                one_line(where + (exc.strerror or str(exc)))
            ) from None
        except KeyboardInterrupt as exc:
            interrupted(exc)

    return wrapper


def one_line(message: str, limit: int = MAX_MESSAGE) -> str:
    """``message`` on one line, cut to ``limit`` characters between words (a list of
    names is never cut inside a name).

    >>> one_line("known: alpha, beta, gamma", 20)
    'known: alpha, ...'
    """
    text = " ".join(str(message).split())
    if len(text) <= limit:
        return text
    head = text[: limit - 4]
    cut = len(head) if text[limit - 4] == " " else head.rfind(" ")
    return head[:cut] + " ..." if cut > 0 else head + "..."


def save_figure(fig, path, dpi: int = 150) -> Path:
    """Save ``fig`` atomically (see :func:`optviz.plot._figure.save_figure`)."""
    from ..plot._figure import save_figure as _save

    return _save(fig, path, dpi=dpi)


def tune_option(f):
    """``--tune``: each optimizer at fair settings (the gallery's comparisons); or
    ``--tuned DIR``: at the settings ``optviz tune`` found (the recipe's ``tune=`` is
    then the :class:`~optviz.records.Tuned` record)."""
    f = click.option(
        "--tuned",
        "tuned_dir",
        default=None,
        metavar="DIR",
        expose_value=False,
        callback=_tuned_into_tune,
        help="Each optimizer at the settings `optviz tune --out DIR` found for this "
        "surface and the largest budget not above the steps; the footnote says so.",
    )(f)
    return click.option(
        "--tune",
        is_flag=True,
        callback=_tune_flag,
        help="Each optimizer at fair settings: its α (and momentum's β) tuned on a grid "
        "around the surface's default for the fewest steps to f - f* < 1e-4 (where the "
        "surface has a minimum); the footnote says how.",
    )(f)


class TunedDir(str):
    """A ``--tuned DIR`` not read yet: a command reads it (:func:`resolve_tuned`)
    once its budget is checked, so that the budget is checked first."""


def load_tuned_dir(ctx, param, value):
    """A click callback: ``--tuned DIR`` -> a :class:`TunedDir` (None if not given),
    read by :func:`resolve_tuned` after the budget check."""
    return None if value is None else TunedDir(value)


def resolve_tuned(value):
    """The Tuned record of a :class:`TunedDir` (anything else as it is); a bad folder
    is a usage error of ``--tuned`` naming what is wrong."""
    if not isinstance(value, TunedDir):
        return value
    from ..recipes.tune import load_tuned

    try:
        return load_tuned(value)
    except (ValueError, OSError) as exc:
        raise click.BadParameter(one_line(str(exc)), param_hint="'--tuned'") from None


def _tuned_into_tune(ctx, param, value):
    record = load_tuned_dir(ctx, param, value)
    if record is not None:
        if ctx.params.get("tune") is True:
            raise click.BadParameter("give --tune or --tuned DIR, not both", ctx, param)
        ctx.params["tune"] = record
    return record


def _tune_flag(ctx, param, value):
    held = ctx.params.get("tune")
    if held is not None and not isinstance(held, bool):  # --tuned DIR came first
        if value:
            raise click.BadParameter("give --tune or --tuned DIR, not both", ctx, param)
        return held
    return value


def tuned_option(f):
    """``--tuned DIR``: the optimizers at the settings ``optviz tune`` found."""
    return click.option(
        "--tuned",
        "tuned",
        default=None,
        metavar="DIR",
        callback=load_tuned_dir,
        help="Each optimizer at the settings `optviz tune --out DIR` found for this "
        "surface and the largest budget not above the steps; the figure says so.",
    )(f)


def tune_starts_option(f):
    """``--tune-starts K``: each optimizer tuned by the fair protocol over K starts."""
    return click.option(
        "--tune-starts",
        "tune_starts",
        type=click.IntRange(1, 64),
        default=None,
        metavar="K",
        help="Each optimizer tuned by the fair protocol (optviz tune): its joint grid "
        "over K seeded random starts, budget --steps, the median steps to f - f* < "
        "1e-4; a best at an edge of its range is labelled (edge). The footnote says how.",
    )(f)


def caption_option(f):
    """``--caption NAME``: a gallery figure's caption under the title."""
    return click.option(
        "--caption",
        default=None,
        metavar="NAME",
        help="Under the title, the caption of gallery figure NAME (e.g. compare-beale), "
        "the figure's one message.",
    )(f)


def lang_option(f):
    """``--lang``: the language of every text of the figure."""
    return click.option(
        "--lang",
        type=click.Choice(["en", "zh"]),
        default="en",
        show_default=True,
        help="The language of every text (zh: Chinese, with the shipped font).",
    )(f)


def palette_option(f):
    """``--palette``: a PNG of 256 colours, as the gallery writes its figures."""
    return click.option(
        "--palette",
        is_flag=True,
        help="Write the .png with 256 colours, as the gallery does (about a third of "
        "the size, the same look).",
    )(f)


def write_figure(fig, path, look=None, *, palette: bool = False) -> Path:
    """Save ``fig`` as ``look`` (a :class:`~optviz.plot.look.FigureSettings`: language,
    dpi, size, style; default: as drawn, in English) says: as :func:`save_figure` does,
    or with ``palette`` as a gallery PNG (:func:`optviz.gallery.palette_png`)."""
    from .._io import atomic_path, check_writable
    from ..plot.look import FigureSettings

    look = FigureSettings() if look is None else look
    if not palette:
        return look.save(fig, path)
    from ..gallery import DPI, palette_png
    from ..recipes.sizes import pick

    path = check_writable(path, (".png",))
    dpi = pick(DPI, 70) if look.dpi is None else look.dpi
    data = palette_png(look.finish(fig), dpi=dpi)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def progress(iterable=None, *, length=None, label="", quiet=False):
    """click's progress bar, shown only on a terminal and when not ``quiet``."""
    hidden = quiet or not sys.stderr.isatty()
    return click.progressbar(
        iterable, length=length, label=label, file=sys.stderr, hidden=hidden
    )


@contextlib.contextmanager
def progress_callback(label: str, quiet: bool = False):
    """A ``(done, total)`` callback for the recipes, drawing a progress bar on a
    terminal (none with ``quiet`` or off a terminal)."""
    from .._signals import raise_pending

    state = {"bar": None, "seen": 0}
    hidden = quiet or not sys.stderr.isatty()

    def update(done: int, total: int) -> None:
        raise_pending()  # an interrupt lost in a finalizer ends the work here
        if hidden:
            return
        if state["bar"] is None:
            state["bar"] = click.progressbar(
                length=total, label=label, file=sys.stderr
            ).__enter__()
        state["bar"].update(done - state["seen"])
        state["seen"] = done

    try:
        yield update
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)


def quiet_option(f):
    return click.option("-q", "--quiet", is_flag=True, help="No progress bar.")(f)


def echo_notes(result) -> None:
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
