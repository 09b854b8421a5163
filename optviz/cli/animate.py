"""``optviz animate``: the optimizers' paths growing over a surface, as GIF, MP4 or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from ._budget import budget_options, check_budget, n_optimizers
from ._common import (
    clean_errors,
    default_out,
    echo_notes,
    lang_option,
    optimizer_option,
    progress,
    progress_callback,
    start_option,
    steps_option,
    surface_argument,
    tune_option,
    tune_starts_option,
)

__all__ = ["animate"]

# The numbers live in the library; imported lazily there, repeated here for --help.
_MAX_FRAMES = 2000
_FPS_MAX = 50
_SIZE_RANGE = (128, 4096)
#: Frames by view when --frames is not given; a 3-D frame is a full redraw, so fewer,
#: and at most _MAX_FRAMES_3D (optviz.plot.view3d.Rotation's limit).
_DEFAULT_FRAMES = {"2d": 200, "3d": 48}
_MAX_FRAMES_3D = 400


class SizeType(click.ParamType):
    """``WxH`` in pixels -> (w, h)."""

    name = "WxH"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        try:
            w, h = (int(v) for v in value.lower().split("x"))
        except ValueError:
            self.fail(f"{value!r} is not WIDTHxHEIGHT in pixels (e.g. 640x480)", param, ctx)
        lo, hi = _SIZE_RANGE
        if not (lo <= w <= hi and lo <= h <= hi):
            self.fail(f"{value!r}: each side must be {lo} to {hi} pixels", param, ctx)
        return (w, h)


def _check_3d(panels, frames, out) -> None:
    """What --view 3d allows: no --panels, 2 to _MAX_FRAMES_3D frames, a GIF."""
    if panels is not None:
        raise click.UsageError("--panels applies to --view 2d only")
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
    "--size",
    type=SizeType(),
    default=None,
    help="Pixels, e.g. 800x600 (default 640x480; wider with curves).",
)
@click.option(
    "--out",
    default=None,
    help="Output: .gif, .mp4 (needs ffmpeg) or .html (self-contained). "
    "[default: animate-SURFACE.gif]",
)
@tune_option
@tune_starts_option
@lang_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no 'wrote' line.")
@budget_options
@clean_errors
def animate(
    surface,
    specs,
    steps,
    start,
    frames,
    fps,
    panels,
    view,
    size,
    out,
    tune,
    tune_starts,
    lang,
    quiet,
):
    """Animate optimizers on SURFACE (default: rosenbrock): paths growing over the
    contour map, optionally loss and learning-rate curves, with a step counter.

    \b
    Examples:
      optviz animate
      optviz animate -o adam -o rmsprop:lr=0.01 --panels trajectory,loss,lr
      optviz animate beale --frames 120 --fps 30 --out beale.mp4
      optviz animate --out lecture.html
      optviz animate saddle --view 3d --out saddle-3d.gif
    """
    from .. import budget, recipes
    from .._io import Plan
    from ..plot.animate import ANIMATION_SUFFIXES, check_panels

    # everything checked before any work
    if view == "3d":
        _check_3d(panels, frames, out)
    panels = check_panels("trajectory" if panels is None else panels)
    frames = _DEFAULT_FRAMES[view] if frames is None else frames
    out = default_out(
        out, "animate", surface.name + ("-3d" if view == "3d" else ""), ".gif"
    )
    path = Plan().write(out, "the animation", ANIMATION_SUFFIXES)
    n = surface.steps if steps is None else steps
    cost = budget.surface_runs(
        n_optimizers(specs), n, state=True, frames=frames, frame_size=size
    )
    check_budget(cost)
    if path.suffix.lower() == ".mp4":
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
            lang=lang,
            progress=tick,
        )
    anim = result.animation
    if "note" in result.settings:  # the tuned settings (--tuned): no footnote in a GIF
        click.echo(f"note: {result.settings['note']}", err=True)
    if view == "3d":  # a 3-D frame is a full redraw: no blitting, no per-frame bar
        anim.save(path)
        if not quiet:
            click.echo(f"wrote {out} ({len(anim)} frames)")
        echo_notes(result)
        return
    with progress(length=len(anim), label=f"rendering {path.name}", quiet=quiet) as bar:
        anim.save(path, progress=bar.update)
    if not quiet:
        click.echo(f"wrote {out} ({len(anim)} frames)")
    echo_notes(result)
