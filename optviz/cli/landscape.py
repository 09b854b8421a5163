"""``optviz landscape``: a trained run's paths over the network's loss landscape."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import clean_errors, progress_callback, save_figure

__all__ = ["landscape_command"]

MAX_GRID = 101


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
@click.option("--out", default=None, help="Figure path (default RUN_DIR/landscape.png).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@clean_errors
def landscape_command(run_dir, grid, images, out, quiet):
    """Project a trained run's parameter paths onto one shared plane (the top two
    principal directions of all paths) and draw them over the loss on that plane.

    RUN_DIR is a folder written by `optviz train --snapshot-every N` (default
    optviz-train). Writes RUN_DIR/landscape.png and landscape.npz (the grid and paths).

    \b
    Example:
      optviz train --epochs 10 --snapshot-every 10
      optviz landscape
    """
    from .. import recipes
    from .._io import Plan
    from ..plot._figure import FIGURE_SUFFIXES

    if not run_dir.is_dir():
        raise ValueError(f"no training run at {run_dir}: run `optviz train` first")
    out = Path(out) if out else run_dir / "landscape.png"
    plan = Plan()
    plan.read_all((run_dir / name for name in recipes.TRAINING_FILES), "the training run")
    plan.write(out, "the figure", FIGURE_SUFFIXES)
    plan.write(out.with_suffix(".npz"), "the landscape's numbers")
    plan.write(out.with_suffix(".json"), "the landscape's sidecar")
    with progress_callback("evaluating the plane", quiet) as tick:
        result = recipes.landscape(run_dir, grid=grid, images=images, progress=tick)
    land = result.record
    land.save(out.with_suffix(".npz"))
    save_figure(result.figure, out)
    e = 100 * land.plane.explained
    click.echo(f"wrote {out} (the plane captures {e.sum():.0f}% of the paths' variance)")
