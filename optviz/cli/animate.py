"""``optviz animate``: the optimizers' paths growing over a surface, as GIF, MP4 or HTML."""

from __future__ import annotations

import click

from ._common import (
    clean_errors,
    default_out,
    echo_notes,
    optimizer_option,
    progress,
    progress_callback,
    start_option,
    steps_option,
    surface_argument,
)

__all__ = ["animate"]

# The numbers live in the library; imported lazily there, repeated here for --help.
_MAX_FRAMES = 2000
_FPS_MAX = 50
_SIZE_RANGE = (128, 4096)


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


@click.command()
@surface_argument
@optimizer_option
@steps_option
@start_option
@click.option(
    "--frames",
    type=click.IntRange(1, _MAX_FRAMES),
    default=200,
    show_default=True,
    help="At most this many frames, dense at the start (geometric spacing).",
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
    default="trajectory",
    show_default=True,
    metavar="LIST",
    help="Comma-separated panels: trajectory, loss, lr.",
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
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no 'wrote' line.")
@clean_errors
def animate(surface, specs, steps, start, frames, fps, panels, size, out, quiet):
    """Animate optimizers on SURFACE (default: rosenbrock): paths growing over the
    contour map, optionally loss and learning-rate curves, with a step counter.

    \b
    Examples:
      optviz animate
      optviz animate -o adam -o rmsprop:lr=0.01 --panels trajectory,loss,lr
      optviz animate beale --frames 120 --fps 30 --out beale.mp4
      optviz animate --out lecture.html
    """
    from .. import recipes
    from .._io import Plan
    from ..plot.animate import ANIMATION_SUFFIXES, check_panels

    # everything checked before any work
    panels = check_panels(panels)
    out = default_out(out, "animate", surface.name, ".gif")
    path = Plan().write(out, "the animation", ANIMATION_SUFFIXES)
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
            progress=tick,
        )
    anim = result.animation
    with progress(length=len(anim), label=f"rendering {path.name}", quiet=quiet) as bar:
        anim.save(path, progress=bar.update)
    if not quiet:
        click.echo(f"wrote {out} ({len(anim)} frames)")
    echo_notes(result)
