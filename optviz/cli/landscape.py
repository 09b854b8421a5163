"""``optviz landscape``: a trained run's paths over the network's loss landscape."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import clean_errors, progress, save_figure

__all__ = ["landscape_command"]

MAX_GRID = 101


def load_training(run_dir: Path):
    """(TrainingRun, model, dataset) rebuilt from what ``optviz train`` wrote."""
    import numpy as np

    from ..history import TrainingRun
    from ..nn.data import load_dataset
    from ..nn.model import default_cnn

    history, settings = run_dir / "history.csv", run_dir / "settings.json"
    if not history.is_file() or not settings.is_file():
        raise ValueError(
            f"{run_dir} is not a training run: it needs history.csv and settings.json "
            "(written by optviz train)"
        )
    run = TrainingRun.load(history, sidecar=settings)
    builder = run.meta.get("builder")
    if not builder or builder.get("function") != "optviz.nn.model.default_cnn":
        raise ValueError(f"{run_dir}: only runs of the default network can be rebuilt")
    args = dict(builder["arguments"])
    model = default_cnn(
        args.pop("input_shape"),
        args.pop("n_classes"),
        dtype=np.dtype(args.pop("dtype")),
        **args,
    )
    s = run.meta.get("settings", {})
    data = load_dataset(
        s.get("dataset", run.dataset),
        seed=s.get("seed", 0),
        limit=s.get("limit"),
        dtype=model.dtype,
    )
    return run, model, data


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
    from .._io import check_writable
    from ..landscape import training_landscape
    from ..plot.landscape import landscape_figure
    from ._common import FIGURE_SUFFIXES

    if not run_dir.is_dir():
        raise ValueError(f"no training run at {run_dir}: run `optviz train` first")
    out = Path(out) if out else run_dir / "landscape.png"
    check_writable(out, FIGURE_SUFFIXES)
    run, model, data = load_training(run_dir)
    x, y = data.x_train[:images], data.y_train[:images]
    with progress(length=grid, label="evaluating the plane", quiet=quiet) as bar:
        land = training_landscape(
            run, model, x, y, grid=grid, callback=lambda _: bar.update(1)
        )
    land.save(out.with_suffix(".npz"))
    save_figure(landscape_figure(land), out)
    e = 100 * land.plane.explained
    click.echo(f"wrote {out} (the plane captures {e.sum():.0f}% of the paths' variance)")
