"""A trained run's network loss: over a plane, along straight lines."""

from __future__ import annotations

from .result import Progress, Result
from .sizes import pick
from .training import load_training, rebuild

__all__ = [
    "landscape",
    "plane",
    "interpolation",
    "random_plane",
    "own_planes",
    "LANDSCAPE_VIEWS",
    "LANDSCAPE_DIRECTIONS",
]

#: ``landscape(view=...)``: the paths on their PCA plane; the loss on the straight
#: line start -> end of each path; both (three panels); each path on its own PCA plane
#: (small multiples) with the true loss and the straight lines.
LANDSCAPE_VIEWS = ("plane", "interpolate", "both", "own")
#: ``landscape(directions=...)``: the plane of the paths' top principal directions, or
#: of two filter-normalised random directions around one run's end point.
LANDSCAPE_DIRECTIONS = ("pca", "random")


def landscape(
    run_dir="optviz-train",
    *,
    grid: int = 31,
    images: int = 512,
    view: str = "plane",
    directions: str = "pca",
    around: str | None = None,
    seed: int = 0,
    points: int = 20,
    run=None,
    animate: bool = False,
    frames: int = 60,
    lang: str = "en",
    progress: Progress | None = None,
) -> Result:
    """A trained run's network loss, seen three ways (``view``, ``directions``):

    - ``plane``, ``pca``: the parameter paths over the loss on their shared PCA plane;
    - ``interpolate``: the loss on the straight line from the start to each end point
      (``points`` per line); ``both``: the plane and the line, three panels;
    - ``plane``, ``random``: the loss on a plane of two filter-normalised random
      directions (``seed``) around the end point of optimizer ``around`` (default: the
      first); it holds no paths;
    - ``own``: each path on the plane of its own top two principal directions (it
      holds most of the path), with the true loss and the straight lines; the record
      is a :class:`~optviz.records.Lesson` (:func:`own_planes`).

    ``record``: the :class:`~optviz.records.Landscape` (its ``line`` the straight
    lines for ``both``) or, for ``interpolate``, the :class:`~optviz.records.LineLoss`;
    each states its figure, which :func:`optviz.recipes.redraw` draws again from the
    loaded record; ``extra["line"]`` the straight lines, when drawn. ``run``: a
    :class:`~optviz.records.TrainingRun` in memory (e.g. :func:`train`'s record)
    instead of ``run_dir``. ``animate=True`` (plane, pca): ``result.animation`` flies
    over the plane in ``frames`` frames, its texts in ``lang``.
    """
    from ..landscape import training_interpolation, training_landscape

    _check_view(view, directions)
    source = str(run_dir) if run is None else None  # a run in memory: no folder
    run, model, data = load_training(run_dir) if run is None else rebuild(run)
    grid, images = pick(grid, 7), pick(images, 64)
    labels = [h.label for h in run]
    if around is not None and around not in labels:
        raise ValueError(f"around: no optimizer {around!r} in the run; it has {labels}")
    x, y = data.x_train[:images], data.y_train[:images]
    settings = {
        "run": source,
        "grid": grid,
        "images": int(len(y)),
        "view": view,
        "directions": directions,
    }
    row = _RowCounter(progress, grid if view != "interpolate" else 1)
    if directions == "random":
        label = around or labels[0]
        settings.update(around=label, seed=seed)
        snapshots = run[label].snapshots
        return _random_plane(label, snapshots, model, x, y, grid, seed, row, settings)
    if view == "own":
        return _own(run, model, x, y, grid, points, settings, row, animate, frames, lang)
    line = land = None
    if view != "plane":
        line = training_interpolation(run, model, x, y, points=points)
        settings["points"] = points
    if view == "interpolate":
        if progress is not None:
            progress(1, 1)
        line.meta["figure"] = {"recipe": "landscape:interpolation"}
        result = interpolation(record=line)
        result.settings.update(settings)
        return result
    land = training_landscape(run, model, x, y, grid=grid, callback=row)
    land.line = line
    land.meta["figure"] = {"recipe": "landscape:plane"}
    result = plane(record=land)
    result.settings.update(settings)
    if animate:
        result.animation = _flight(land, frames, lang)
    return result


def _flight(land, frames: int, lang: str):
    """The flight over ``land``'s plane, ``frames`` frames, its texts in ``lang``."""
    from ..plot.landscape import landscape_animation

    frames, size = pick(frames, 8), pick(None, (480, 240))
    return landscape_animation(land, frames=frames, size=size, lang=lang)


def plane(*, record) -> Result:
    """The ``plane`` (and ``both``) view's figure, drawn from its
    :class:`~optviz.records.Landscape` (and its straight lines, ``record.line``)."""
    from ..plot.landscape import landscape_figure

    figure = landscape_figure(record, record.line)
    return Result(figure, record, {}, extra={"line": record.line})


def interpolation(*, record) -> Result:
    """The ``interpolate`` view's figure, drawn from its
    :class:`~optviz.records.LineLoss`."""
    from ..plot.landscape import interpolation_figure

    return Result(interpolation_figure(record), record, {}, extra={"line": record})


def random_plane(*, record) -> Result:
    """The random directions' figure, drawn from its :class:`~optviz.records.Landscape`."""
    from ..plot.landscape import random_plane_figure

    return Result(random_plane_figure(record), record, {})


def _check_view(view: str, directions: str) -> None:
    """A ValueError unless ``view`` and ``directions`` are known and go together."""
    if view not in LANDSCAPE_VIEWS:
        raise ValueError(f"view must be one of {', '.join(LANDSCAPE_VIEWS)}; got {view!r}")
    if directions not in LANDSCAPE_DIRECTIONS:
        raise ValueError(
            f"directions must be one of {', '.join(LANDSCAPE_DIRECTIONS)}; "
            f"got {directions!r}"
        )
    if directions == "random" and view != "plane":
        raise ValueError("random directions draw a plane: use them with view 'plane'")


class _RowCounter:
    """The landscape's callback: counts the rows computed and tells ``progress``
    (rows done, ``rows``), starting with (0, ``rows``)."""

    def __init__(self, progress: Progress | None, rows: int):
        self.progress, self.rows, self.done = progress, rows, 0
        if progress is not None:
            progress(0, rows)

    def __call__(self, _) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.rows)


def _random_plane(label, snapshots, model, x, y, grid, seed, row, settings) -> Result:
    """The loss on a plane of two filter-normalised random directions around the
    last of run ``label``'s ``snapshots`` (a ValueError when it has none)."""
    from ..landscape import random_landscape

    if len(snapshots) == 0:
        raise ValueError(
            f"{label} has no parameter snapshots; train with --snapshot-every N"
        )
    land = random_landscape(
        model, x, y, snapshots[-1], grid=grid, seed=seed, callback=row, label=label
    )
    land.meta["figure"] = {"recipe": "landscape:random_plane"}
    result = random_plane(record=land)
    result.settings.update(settings)
    return result


def _own(run, model, x, y, grid, points, settings, row, animate, frames, lang) -> Result:
    """The ``own`` view: one plane per path, the straight lines, the Lesson."""
    from ..landscape import training_interpolation
    from ..own_planes import own_planes as planes_of
    from ..own_planes import own_planes_lesson

    lands = planes_of(run, model, x, y, grid=grid, callback=row)
    line = training_interpolation(run, model, x, y, points=points)
    settings["points"] = points
    record = own_planes_lesson(lands, line, recipe="landscape:own_planes")
    record.settings.update(settings)
    result = own_planes(record=record)
    if animate:
        best = max(lands, key=lambda label: lands[label].meta["captured"][label])
        result.animation = _flight(lands[best], frames, lang)
    return result


def own_planes(*, record) -> Result:
    """The ``own`` view's figure, drawn from its :class:`~optviz.records.Lesson`
    (:func:`optviz.own_planes.own_planes_lesson`) without computing anything."""
    from ..plot.own_planes import own_planes_figure

    return Result(own_planes_figure(record), record, dict(record.settings))
