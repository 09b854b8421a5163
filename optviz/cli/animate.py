"""``optviz animate``: the optimizers' paths growing over a surface, as GIF, MP4 or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from ._budget import budget_options, check_budget, n_optimizers
from ._common import (
    clean_errors,
    csv_option,
    default_out,
    echo_notes,
    figure_options,
    optimizer_option,
    output_plan,
    progress,
    progress_callback,
    resolve_tuned,
    start_option,
    steps_option,
    surface_argument,
    tune_option,
    tune_starts_option,
    write_record,
)

__all__ = ["animate"]

# The numbers live in the library; imported lazily there, repeated here for --help.
_MAX_FRAMES = 2000
_FPS_MAX = 50
_SIZE_RANGE = (128, 4096)
#: optviz.plot.animate's HOLD_SECONDS and SPACINGS, repeated for --help.
_HOLD_SECONDS = 1.5
_MAX_HOLD = 60
_SPACINGS = ("geometric", "linear")
#: Frames by view when --frames is not given; a 3-D frame is a full redraw, so fewer,
#: and at most _MAX_FRAMES_3D (optviz.plot.view3d.Rotation's limit).
_DEFAULT_FRAMES = {"2d": 200, "3d": 48}
_MAX_FRAMES_3D = 400


def _check_3d(panels, pacing, frames, out) -> None:
    """What --view 3d allows: no --panels or --pacing, 2 to _MAX_FRAMES_3D frames, a GIF."""
    for name, value in (("--panels", panels), ("--pacing", pacing)):
        if value is not None:
            raise click.UsageError(f"{name} applies to --view 2d only")
    if frames is not None and not 2 <= frames <= _MAX_FRAMES_3D:
        raise click.UsageError(
            f"--frames must be 2 to {_MAX_FRAMES_3D} with --view 3d, got {frames}"
        )
    if out is not None and Path(out).suffix.lower() != ".gif":
        raise click.UsageError(f"--view 3d writes a GIF; got {out!r} (allowed: .gif)")


@click.command()
@surface_argument
@optimizer_option
@steps_option
@start_option
@click.option(
    "--frames",
    type=click.IntRange(1, _MAX_FRAMES),
    default=None,
    help="At most this many frames, dense at the start (geometric spacing). "
    f"[default: {_DEFAULT_FRAMES['2d']}; {_DEFAULT_FRAMES['3d']} with --view 3d, "
    f"which allows 2 to {_MAX_FRAMES_3D}]",
)
@click.option(
    "--fps",
    type=click.IntRange(1, _FPS_MAX),
    default=20,
    show_default=True,
    help="Frames per second (GIF plays at most 50).",
)
@click.option(
    "--panels",
    default=None,
    metavar="LIST",
    help="Comma-separated panels: trajectory, loss, lr (--view 2d only). "
    "[default: trajectory]",
)
@click.option(
    "--view",
    type=click.Choice(["2d", "3d"]),
    default="2d",
    show_default=True,
    help="2d: paths over the contour map; 3d: the surface in 3-D turning slowly while "
    "the paths grow (GIF only).",
)
@click.option(
    "--hold",
    type=click.FloatRange(0, _MAX_HOLD),
    default=None,
    metavar="SECONDS",
    help="Hold the first and the last frame this long [default: the last frame "
    f"{_HOLD_SECONDS:g} s, the first not held].",
)
@click.option(
    "--pacing",
    type=click.Choice(_SPACINGS),
    default=None,
    help="Which steps the frames show: geometric (every early step, the slow end "
    "sampled sparsely) or linear (evenly spaced steps). --view 2d only. "
    "[default: geometric]",
)
@click.option(
    "--out",
    default=None,
    help="Output: .gif, .mp4 (needs ffmpeg) or .html (self-contained). "
    "[default: animate-SURFACE.gif]",
)
@tune_option
@tune_starts_option
@figure_options(pixels=True)
@csv_option("save the run's records")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no 'wrote' line.")
@budget_options
@clean_errors
def animate(
    surface, specs, steps, start, frames, fps, panels, view, hold, pacing, out, tune,
    tune_starts, look, csv_path, quiet,
):  # fmt: skip
    """Animate optimizers on SURFACE (default: rosenbrock): paths growing over the
    contour map, optionally loss and learning-rate curves, with a step counter.

    \b
    Examples:
      optviz animate
      optviz animate -o adam -o rmsprop:lr=0.01 --panels trajectory,loss,lr
      optviz animate beale --frames 120 --fps 30 --out beale.mp4
      optviz animate --out lecture.html --lang zh
      optviz animate --hold 2 --pacing linear --aspect 16:9 --style talk
      optviz animate saddle --view 3d --out saddle-3d.gif
    """
    from .. import budget, recipes
    from ..plot.animate import ANIMATION_SUFFIXES, check_panels

    if view == "3d":  # everything checked before any work
        _check_3d(panels, pacing, frames, out)
    panels = check_panels("trajectory" if panels is None else panels)
    size = _frame_pixels(look, panels, view)
    frames = _DEFAULT_FRAMES[view] if frames is None else frames
    out = default_out(
        out, "animate", surface.name + ("-3d" if view == "3d" else ""), ".gif"
    )
    output_plan(out, csv_path, what="the animation", suffixes=ANIMATION_SUFFIXES)
    n = surface.steps if steps is None else steps
    cost = budget.surface_runs(
        n_optimizers(specs), n, state=True, frames=frames, frame_size=size
    )
    check_budget(cost)
    tune = resolve_tuned(tune)
    if out.suffix.lower() == ".mp4":
        from ..plot.video import find_ffmpeg

        find_ffmpeg()
    with progress_callback(f"running on {surface.name}", quiet) as tick:
        result = recipes.animate(
            surface,
            specs,
            steps=steps,
            start=start,
            panels=panels,
            frames=frames,
            fps=fps,
            size=size,
            view=view,
            tune=tune,
            starts=tune_starts,
            lang=look.lang,
            spacing=pacing or "geometric",
            hold=None if hold is None else (hold, hold),
            figure_style=look.style,
            progress=tick,
        )
    anim = result.animation
    if "note" in result.settings:  # the tuned settings (--tuned): no footnote in a GIF
        click.echo(f"note: {result.settings['note']}", err=True)
    if view == "3d":  # a 3-D frame is a full redraw: no blitting, no per-frame bar
        anim.save(out)
        if not quiet:
            click.echo(f"wrote {out} ({len(anim)} frames)")
        write_record(result.record, out, csv_path, quiet=quiet)
        echo_notes(result)
        return
    with progress(length=len(anim), label=f"rendering {out.name}", quiet=quiet) as bar:
        anim.save(out, progress=bar.update)
    if not quiet:
        click.echo(f"wrote {out} ({len(anim)} frames)")
    write_record(result.record, out, csv_path, quiet=quiet)
    echo_notes(result)


def _frame_pixels(look, panels, view):
    """The frame size in pixels that ``look`` asks for (None: the default), within
    :data:`_SIZE_RANGE`."""
    from ..plot.animate.layout import layout_size

    drawn = (560, 440) if view == "3d" else layout_size(panels)
    size = look.pixels(drawn)
    lo, hi = _SIZE_RANGE
    if size is not None and not all(lo <= v <= hi for v in size):
        w, h = size
        raise click.BadParameter(
            f"a frame of {w}x{h} pixels; each side must be {lo} to {hi} pixels",
            param_hint="'--size'/'--dpi'",
        )
    return size
