"""``optviz landscape``: a trained run's paths over the network's loss landscape."""

from __future__ import annotations

from pathlib import Path

import click

from ..budget import CNN_MINUTES
from ._budget import budget_options, check_budget
from ._common import (
    clean_errors,
    figure_options,
    palette_option,
    progress_callback,
    write_figure,
)

__all__ = ["landscape_command"]

MAX_GRID = 101
MAX_POINTS = 401
#: optviz.recipes.LANDSCAPE_VIEWS / LANDSCAPE_DIRECTIONS, repeated so --help imports no
#: numerics (tests/cli/test_landscape_views.py holds them equal).
VIEWS = ("plane", "interpolate", "both", "own")
DIRECTIONS = ("pca", "random")


@click.command("landscape")
@click.argument(
    "run_dir",
    metavar="RUN",
    type=click.Path(path_type=Path),
    default="optviz-train",
    required=False,
)
@click.option(
    "--grid",
    type=click.IntRange(3, MAX_GRID),
    default=31,
    show_default=True,
    help="Grid points per side of the plane.",
)
@click.option(
    "--images",
    type=click.IntRange(1),
    default=512,
    show_default=True,
    help="Training images the loss is evaluated on.",
)
@click.option(
    "--view",
    type=click.Choice(VIEWS),
    default="plane",
    show_default=True,
    help="plane: the paths over the loss on one plane; interpolate: the loss on the "
    "straight line from the start to each end point; both: the two, three panels; "
    "own: each path on a plane of its own (which holds most of it), the true loss and "
    "the straight lines.",
)
@click.option(
    "--directions",
    type=click.Choice(DIRECTIONS),
    default="pca",
    show_default=True,
    help="The plane's directions: the paths' top two principal directions, or two "
    "filter-normalised random directions around one optimizer's end point (no paths).",
)
@click.option(
    "--around",
    default=None,
    metavar="LABEL",
    help="With --directions random: the optimizer whose end point is the centre "
    "[default: the run's first].",
)
@click.option(
    "--seed",
    type=click.IntRange(0, 2**32 - 1),
    default=None,
    help="With --directions random: the seed of the directions [default: 0].",
)
@click.option(
    "--points",
    type=click.IntRange(3, MAX_POINTS),
    default=None,
    help="With --view interpolate or both: points per straight line [default: 20].",
)
@click.option(
    "--out",
    default=None,
    help="Figure path (.png, .svg, .pdf), or .gif: the flight over the plane (--view "
    "plane or own) [default: landscape.png in RUN's folder; landscape-interpolate.png, "
    "landscape-both.png, landscape-random.png for the other views].",
)
@click.option(
    "--csv",
    "csv_path",
    default=None,
    metavar="PATH",
    help="Where the landscape's record goes, .csv or .npz, with a .json sidecar "
    "[default: beside the figure, FIGURE-NAME.npz and FIGURE-NAME.json].",
)
@click.option(
    "--frames",
    type=click.IntRange(2, 1000),
    default=60,
    show_default=True,
    help="With a .gif --out: frames of the flight.",
)
@figure_options
@palette_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@budget_options(minutes=CNN_MINUTES)
@clean_errors
def landscape_command(
    run_dir,
    grid,
    images,
    view,
    directions,
    around,
    seed,
    points,
    out,
    csv_path,
    frames,
    look,
    palette,
    quiet,
):
    """Project a trained run's parameter paths onto one shared plane (the top two
    principal directions of all paths) and draw them over the loss on that plane.

    RUN is a folder written by `optviz train --snapshot-every N` (default
    optviz-train), or the record `optviz train --csv` wrote (.npz or .csv). Writes
    landscape.png into RUN's folder and the record it is drawn from, landscape.npz
    and .json (`optviz redraw` draws it again).

    \b
    Examples:
      optviz train --epochs 10 --snapshot-every 10
      optviz landscape
      optviz landscape --view both
      optviz landscape --directions random --around adam --seed 1 --out random.png
      optviz train --snapshot-every 10 --out curves.png --csv run.npz
      optviz landscape run.npz --view own --out own.gif
    """
    from .. import budget, recipes

    # every option and path checked before any work
    _check_options(view, directions, around, seed, points)
    _check_run_dir(run_dir)
    out, record, animate = _outputs(run_dir, view, directions, out, csv_path, palette)
    planes = 5 if view == "own" else 1  # one plane per optimizer trained by default
    evaluations = 0 if view == "interpolate" else planes * grid * grid
    check_budget(budget.landscape(evaluations, images))
    what = (
        "evaluating the straight lines" if view == "interpolate" else "evaluating the plane"
    )
    with progress_callback(what, quiet) as tick:
        result = recipes.landscape(
            run_dir,
            grid=grid,
            images=images,
            view=view,
            directions=directions,
            around=around,
            seed=0 if seed is None else seed,
            points=20 if points is None else points,
            animate=animate,
            frames=frames,
            lang=look.lang,
            progress=tick,
        )
    result.record.save(record)
    if animate:
        result.animation.save(out)
    else:
        write_figure(result.figure, out, look, palette=palette)
    _say(out, result, directions, view)


def _check_options(view, directions, around, seed, points) -> None:
    """A usage error for options that do not go with ``view`` and ``directions``."""
    random = directions == "random"
    if random and view != "plane":
        raise click.UsageError(
            "--directions random draws a plane: use it with --view plane"
        )
    for name, value, allowed in (("--around", around, random), ("--seed", seed, random),
                                 ("--points", points, view != "plane")):  # fmt: skip
        if value is not None and not allowed:
            needs = (
                "--directions random" if name != "--points" else "--view interpolate/both"
            )
            raise click.UsageError(f"{name} applies only with {needs}")


def _outputs(run_dir: Path, view, directions, out, csv_path, palette):
    """(figure or .gif path, record path, whether to animate), checked against each
    other and the run's files before any work."""
    from .. import recipes
    from .._io import Plan
    from ..plot._figure import FIGURE_SUFFIXES
    from ..records import RECORD_SUFFIXES, Record

    random = directions == "random"
    name = "landscape" + ("-random" if random else "" if view == "plane" else f"-{view}")
    folder = run_dir if run_dir.is_dir() else run_dir.parent
    out = Path(out) if out else folder / f"{name}.png"
    animate = out.suffix.lower() == ".gif"
    if animate and (random or view not in ("plane", "own")):
        raise click.UsageError("a .gif --out flies over a plane: --view plane or own")
    if palette and out.suffix.lower() != ".png":
        raise click.UsageError("--palette applies only with a .png --out")
    plan = Plan()
    if run_dir.is_dir():
        plan.read_all((run_dir / n for n in recipes.TRAINING_FILES), "the training run")
    else:
        plan.read(run_dir, "the training run")
        plan.read(Record.sidecar_path(run_dir), "the training run's sidecar")
    plan.write(out, "the figure", (*FIGURE_SUFFIXES, ".gif"))
    record = Path(csv_path) if csv_path else out.with_suffix(".npz")
    plan.write(record, "the figure's record", RECORD_SUFFIXES)
    plan.write(Record.sidecar_path(record), "the record's sidecar")
    return out, record, animate


def _say(out: Path, result, directions: str, view: str) -> None:
    """What was written, and what the plane holds."""
    land = result.record
    if directions == "random":
        click.echo(f"wrote {out} (random directions around {result.settings['around']})")
    elif view == "interpolate":
        click.echo(f"wrote {out}")
    elif view == "own":
        click.echo(f"wrote {out} (each path on its own plane)")
    else:
        e = 100 * land.plane.explained
        click.echo(
            f"wrote {out} (the plane captures {e.sum():.0f}% of the paths' variance)"
        )


def _check_run_dir(run_dir: Path) -> None:
    """A folder whose training files, where present, are regular files (a symlink to
    a device such as /dev/zero is refused by name, never read), or a record file."""
    from ..records import RECORD_SUFFIXES
    from ..records._base import check_input

    if run_dir.exists() and not run_dir.is_dir():
        if run_dir.suffix.lower() not in RECORD_SUFFIXES:
            raise ValueError(
                f"{run_dir} is not a folder or a record: give the folder `optviz "
                "train` wrote, or its record (.npz or .csv, from optviz train --csv)"
            )
        check_input(run_dir)
        return
    if not run_dir.is_dir():
        raise ValueError(f"no training run at {run_dir}: run `optviz train` first")
    for name in (
        "history.csv",
        "history-steps.csv",
        "history-snapshots.npz",
        "settings.json",
    ):
        path = run_dir / name
        if path.exists() or path.is_symlink():
            check_input(path)
