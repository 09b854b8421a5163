"""Animations of a run: the paths growing over the contour map, loss and learning-rate
curves growing beside it, a step counter; saved as GIF, MP4 or self-contained HTML.

Every frame is drawn by the functions that draw the still figures (``draw_trajectory``,
``draw_loss``, ``draw_lr``), so a frame looks like the still of the same step; a step
counter sits in the corner of the first panel that the paths leave free.

The rooms: :mod:`.frames` (which step each frame shows, the settings' checks),
:mod:`.movers` (one object per moving artist), :mod:`.layout` (the panels, drawn once,
and the layout fixed for every frame), :mod:`.counter` (the step counter and its
corner), :mod:`.blitting` (fast frames), :mod:`.writers` (GIF, MP4, HTML) and
:mod:`.animation` (the :class:`Animation` that ties them together). What makes it fast:

- the static picture (contour map, axes, labels, titles, ticks) is drawn once and
  restored for each frame; only the moving artists, and the static ones above them
  that they can reach (start, minima, a legend a path runs under), are drawn again
  (Agg ``copy_from_bbox`` / ``restore_region``, ``Artist.draw``); the pixels of those
  static ones are reused while nothing under them changed (a legend's text is not
  rendered again, the start marker not drawn again once the paths have left it);
- a growing path and a head are painted by replaying the one drawing call that
  ``Line2D.draw`` makes (recorded once), with the path of the frame: the same pixels
  without Line2D's bookkeeping per draw; the step counter is pasted from digits
  rendered once;
- the layout (constrained layout, ticks, the legend's place) is computed by one draw
  that paints nothing; the background is painted once;
- the GIF has one palette for all frames and stores only the rectangle that changed
  since the previous frame, written as it is rendered (:mod:`optviz.plot.gif`);
  MP4 goes through ffmpeg (:mod:`optviz.plot.video`), HTML embeds the GIF.

The object also follows matplotlib's animation contract (artists made once,
``update(frame) -> artists``), so :meth:`Animation.to_func_animation` gives a
``FuncAnimation`` for any matplotlib writer.

>>> from optviz.surfaces import get
>>> from optviz import Adam, SGD, run_surface
>>> surface = get("rosenbrock")
>>> run = run_surface(surface, {"sgd": SGD(lr=1e-3), "adam": Adam(lr=0.05)}, steps=50)
>>> anim = animate(surface, run, frames=20, size=(320, 240))
>>> len(anim), int(anim.steps[0]), int(anim.steps[-1])
(20, 0, 50)
>>> anim.save("paths.gif")  # doctest: +SKIP
"""

from .animation import Animation, animate
from .frames import (
    DEFAULT_FPS,
    DEFAULT_FRAMES,
    FPS_RANGE,
    HOLD_SECONDS,
    MAX_FRAMES,
    PANELS,
    check_panels,
    frame_steps,
)
from .layout import SIZE_RANGE
from .writers import ANIMATION_SUFFIXES

__all__ = [
    "Animation",
    "animate",
    "frame_steps",
    "check_panels",
    "PANELS",
    "ANIMATION_SUFFIXES",
    "MAX_FRAMES",
    "FPS_RANGE",
    "DEFAULT_FRAMES",
    "DEFAULT_FPS",
    "HOLD_SECONDS",
    "SIZE_RANGE",
]
