"""``optviz landscape``: a trained run's paths over the network's loss landscape."""

from __future__ import annotations

from pathlib import Path

import click

from ..budget import CNN_MINUTES
from ._budget import budget_options, check_budget
from ._common import clean_errors, figure_options, progress_callback, write_figure

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
    type=click.Path(file_okay=False, path_type=Path),
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
    help="Figure path [default: RUN_DIR/landscape.png; landscape-interpolate.png, "
    "landscape-both.png, landscape-random.png for the other views].",
)
@figure_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@budget_options(minutes=CNN_MINUTES)
@clean_errors
def landscape_command(
    run_dir, grid, images, view, directions, around, seed, points, out, look, quiet
):
    """Project a trained run's parameter paths onto one shared plane (the top two
    principal directions of all paths) and draw them over the loss on that plane.

    RUN_DIR is a folder written by `optviz train --snapshot-every N` (default
    optviz-train). Writes RUN_DIR/landscape.png and landscape.npz (the grid and paths;
    none for --view interpolate).

    \b
    Examples:
      optviz train --epochs 10 --snapshot-every 10
      optviz landscape
      optviz landscape --view both
      optviz landscape --directions random --around adam --seed 1 --out random.png
    """
    from .. import budget, recipes
    from .._io import Plan
    from ..plot._figure import FIGURE_SUFFIXES

    # every option checked before any work
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
    _check_run_dir(run_dir)
    name = "landscape" + ("-random" if random else "" if view == "plane" else f"-{view}")
    out = Path(out) if out else run_dir / f"{name}.png"
    plan = Plan()
    plan.read_all((run_dir / name for name in recipes.TRAINING_FILES), "the training run")
    plan.write(out, "the figure", FIGURE_SUFFIXES)
    if view != "interpolate":
        plan.write(out.with_suffix(".npz"), "the landscape's numbers")
        plan.write(out.with_suffix(".json"), "the landscape's sidecar")
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
            progress=tick,
        )
    land = result.record
    if land is not None:
        land.save(out.with_suffix(".npz"))
    write_figure(result.figure, out, look)
    if random:
        click.echo(f"wrote {out} (random directions around {result.settings['around']})")
    elif land is None:
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
    a device such as /dev/zero is refused by name, never read)."""
    from ..records._base import check_input

    if run_dir.exists() and not run_dir.is_dir():
        raise ValueError(f"{run_dir} is not a folder: give the folder `optviz train` wrote")
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
