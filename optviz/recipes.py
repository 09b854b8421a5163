"""Figure recipes: one function per kind of figure, used by the CLI and the gallery.

Each recipe runs what the figure needs and returns a :class:`Result`: the figure (or
animation), the record it was drawn from, and the settings that made it (what a
figure's ``.json`` sidecar holds). In a notebook a Result shows its picture.

>>> from optviz import recipes
>>> result = recipes.compare("quadratic", ["sgd", "adam"], steps=20)
>>> result.record
... # doctest: +SKIP
>>> sorted(result.settings)
['learning_rates', 'start', 'steps', 'surface', 'view']

Recipes never write files; save with :func:`save_figure` (figures) or the record's
``save`` (numbers), or let ``optviz COMMAND`` do both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from .notation import SEPARATOR

__all__ = [
    "Result",
    "compare",
    "animate",
    "lr",
    "sweep",
    "startmap",
    "landscape",
    "train",
    "save_figure",
    "footnote",
    "SEPARATOR",
    "TOL_LADDER",
    "TRAINING_FILES",
    "LANDSCAPE_VIEWS",
    "LANDSCAPE_DIRECTIONS",
]

#: When no tolerance is given and nothing reaches the first, a sweep tries the next.
TOL_LADDER = (1e-6, 1e-4, 1e-3, 1e-2)

#: Files ``optviz train`` writes into its folder.
TRAINING_FILES = (
    "history.csv",
    "history-steps.csv",
    "history-snapshots.npz",
    "settings.json",
    "curves.png",
)

Progress = Callable[[int, int], None]


@dataclass
class Result:
    """What a recipe made: ``figure`` (a Figure; an animation's first frame's figure
    for :func:`animate`), ``record``, ``settings`` (JSON-ready), and for some recipes
    an ``animation`` or a second run (``best_run`` of a sweep)."""

    figure: Any
    record: Any
    settings: dict
    animation: Any = None
    extra: dict = field(default_factory=dict)

    @property
    def notes(self) -> list[str]:
        """One line per optimizer that diverged."""
        import numpy as np

        out = []
        for item in self.record if hasattr(self.record, "__iter__") else ():
            diverged, at = (
                getattr(item, "diverged", None),
                getattr(item, "diverged_at", None),
            )
            if not isinstance(diverged, (bool, np.bool_)) or not diverged or at is None:
                continue  # a sweep's or a map's divergence is per rate or start
            out.append(f"{item.label} diverged at step {int(at)}")
        return out

    def _repr_png_(self):
        if self.animation is None and hasattr(self.figure, "_repr_png_"):
            return self.figure._repr_png_()
        return None

    def _repr_html_(self):
        if hasattr(self.animation, "_repr_html_"):
            return self.animation._repr_html_()
        return None

    def __repr__(self) -> str:
        kind = "animation" if self.animation is not None else "figure"
        return f"<optviz Result: {kind} of {type(self.record).__name__}>"


def save_figure(fig, path, dpi: int = 150) -> Path:
    """Save ``fig`` atomically and reproducibly (PNG, SVG or PDF by extension)."""
    from .plot._figure import save_figure as _save

    return _save(fig, path, dpi=dpi)


def footnote(lr_how: Mapping[str, str], steps: int, extra: str = "") -> str:
    """One line for a figure: steps, how learning rates were chosen, randomness."""
    if all("default" in v for v in lr_how.values()):
        how = "α: the surface's default per optimizer"
    else:
        how = "α: " + "; ".join(f"{k} {v}" for k, v in lr_how.items())
    parts = [f"{steps} steps", how, "no randomness (full-batch gradients)"]
    if extra:
        parts.insert(1, extra)
    return SEPARATOR.join(parts)


# -- helpers ---------------------------------------------------------------------------
def _surface(surface):
    if isinstance(surface, str):
        from optviz.surfaces import get

        return get(surface)
    return surface


def _optimizers(specs, surface, steps):
    """(label -> Optimizer, label -> how its lr was chosen) from SPEC strings, or a
    mapping label -> Optimizer given as is."""
    from .spec import build_optimizers, lr_sources

    if isinstance(specs, Mapping):
        return dict(specs), {label: "given" for label in specs}
    specs = [specs] if isinstance(specs, str) else list(specs)
    optimizers = build_optimizers(specs, surface, steps=steps)
    return optimizers, lr_sources(specs, surface, steps=steps)


def _run(surface, optimizers, *, start, steps, progress, record_state=False):
    """One run of every optimizer; ``progress(done, total)`` is the stepping loop's own,
    so an ETA counts steps, not optimizers."""
    from .run import run_surface

    return run_surface(
        surface,
        optimizers,
        start=start,
        steps=steps,
        record_state=record_state,
        progress=progress,
    )


def _start(surface, start):
    return [float(v) for v in (surface.start if start is None else start)]


# -- the recipes -----------------------------------------------------------------------
def _surface_run(surface, specs, steps, start, progress):
    """The surface, the run of ``specs`` on it and the settings that made it."""
    surface = _surface(surface)
    steps = surface.steps if steps is None else steps
    optimizers, lr_how = _optimizers(specs, surface, steps)
    run = _run(surface, optimizers, start=start, steps=steps, progress=progress)
    settings = {
        "surface": surface.name,
        "steps": steps,
        "start": _start(surface, start),
        "learning_rates": lr_how,
    }
    return surface, run, settings


def compare(
    surface="rosenbrock",
    specs: Sequence[str] | Mapping = (),
    *,
    steps: int | None = None,
    start=None,
    view: str = "2d",
    progress: Progress | None = None,
) -> Result:
    """Optimizers from one start on ``surface``: paths over the contours and losses
    (``view="3d"``: the paths on the surface in 3-D)."""
    from .plot.compare import VIEWS, compare_figure

    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}; got {view!r}")
    surface, run, settings = _surface_run(surface, specs, steps, start, progress)
    settings["view"] = view
    return Result(compare_figure(surface, run, view=view), run, settings)


def animate(
    surface="rosenbrock",
    specs: Sequence[str] | Mapping = (),
    *,
    steps: int | None = None,
    start=None,
    panels="trajectory",
    frames: int | None = None,
    fps: int = 20,
    size: tuple[int, int] | None = None,
    view: str = "2d",
    progress: Progress | None = None,
) -> Result:
    """Optimizers' paths growing over ``surface``. Schedules are sized by ``steps``.
    Save with ``result.animation.save(path)`` (.gif, .mp4, .html). ``view="3d"``: the
    surface in 3-D turning slowly while the paths grow
    (:class:`~optviz.plot.view3d.Rotation`, saved as .gif only; ``panels`` unused).
    ``frames`` defaults to 200 in 2-D and 48 in 3-D (every 3-D frame is a full redraw)."""
    from .plot.compare import VIEWS

    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}; got {view!r}")
    if view == "2d":
        from .plot.animate import check_panels

        panels = check_panels(panels)
    elif frames is not None and not 2 <= frames <= 400:  # Rotation's limits, before work
        raise ValueError(f"frames must be in [2, 400] for a 3-D view, got {frames!r}")
    surface, run, settings = _surface_run(surface, specs, steps, start, progress)
    settings["view"] = view
    if view == "3d":
        from .plot.view3d import Rotation, surface3d_figure

        kwargs = {} if size is None else {"size": size}
        frames = 48 if frames is None else frames
        anim = Rotation(surface, run, frames=frames, fps=fps, **kwargs)
        settings.update(frames=len(anim), fps=fps)
        return Result(surface3d_figure(surface, run), run, settings, animation=anim)
    from .plot.animate import Animation

    frames = 200 if frames is None else frames
    anim = Animation(surface, run, panels=panels, frames=frames, fps=fps, size=size)
    settings.update(panels=list(panels), frames=len(anim), fps=fps)
    return Result(anim.fig, run, settings, animation=anim)


def lr(
    surface="rosenbrock",
    specs: Sequence[str] | Mapping = (),
    *,
    steps: int | None = None,
    start=None,
    progress: Progress | None = None,
) -> Result:
    """Effective learning rate per coordinate, step length and state of each optimizer."""
    from .plot.lr import lr_figure

    surface = _surface(surface)
    steps = surface.steps if steps is None else steps
    optimizers, lr_how = _optimizers(specs, surface, steps)
    run = _run(
        surface, optimizers, start=start, steps=steps, progress=progress, record_state=True
    )
    fig = lr_figure(surface, run, footnote=footnote(lr_how, steps))
    info = run.sidecar()
    info["learning_rates"] = lr_how
    info["kind"] = "learning-rate figure"
    return Result(fig, run, info)


def sweep(
    surface="rosenbrock",
    specs: Sequence[str] | Mapping = (),
    *,
    lrs: tuple[float, float, int] | None = None,
    steps: int | None = None,
    start=None,
    tol: float | None = None,
    criterion: str = "steps",
    lr_how: str = "given",
    progress: Progress | None = None,
) -> Result:
    """Each optimizer over a log-spaced grid of learning rates ``lrs = (low, high, n)``
    (default: whole decades around the surface's default rates), then each at its own
    best rate. Without ``tol``, the first of :data:`TOL_LADDER` that at least half of
    the optimizers reach is used (else the first any reaches), and the figure says so.
    """
    from .plot.sweep import sweep_figure
    from .run import scaled_progress
    from .sweep import (
        DEFAULT_GRID_POINTS,
        best_optimizers,
        default_lr_range,
        lr_grid,
        lr_sweep,
    )

    surface = _surface(surface)
    steps = surface.steps if steps is None else steps
    optimizers, _ = _optimizers(specs, surface, steps)
    if lrs is None:
        low, high = default_lr_range(surface, [o.name for o in optimizers.values()])
        n = DEFAULT_GRID_POINTS
        how = (
            "default: whole decades from 100x below the smallest to 10x above the "
            f"largest of {surface.name}'s default rates"
        )
    else:
        low, high, n = lrs
        how = lr_how
    grid = lr_grid(low, high, n)
    ladder = TOL_LADDER if tol is None else (tol,)
    whole: dict = {}  # the job's total, for a ladder that stops early

    def report(done, total):
        whole["total"] = total
        progress(done, total)

    def one_tol(k, t):
        # the stepping loop's own progress; rung k of the ladder is part k of the job
        # (a ladder that stops early jumps to the end)
        return lr_sweep(
            surface,
            optimizers,
            grid,
            steps=steps,
            start=start,
            tol=t,
            criterion=criterion,
            lr_how=how,
            progress=scaled_progress(progress and report, k, len(ladder)),
        )

    tol_note = ""
    need = -(-len(optimizers) // 2)  # at least half of the optimizers
    fallback = None
    for k, t in enumerate(ladder):
        record = one_tol(k, t)
        reached = sum(bool((c.steps_to_tol >= 0).any()) for c in record)
        if reached and fallback is None:
            fallback = (t, record)
        if reached >= need:
            break
    else:
        if fallback is not None:
            t, record = fallback
    if tol is None and t != ladder[0]:
        tol_note = (
            f"tol {t:g} chosen automatically (the first of "
            f"{', '.join(f'{x:g}' for x in ladder)} that at least half of the optimizers "
            f"reach in {steps} steps)"
        )
        record.meta["tol_how"] = tol_note
    if whole:
        progress(whole["total"], whole["total"])
    best = best_optimizers(record, optimizers)
    best_run = None
    if best:
        best_run = _run(surface, best, start=record.start, steps=steps, progress=None)
    parts = [
        f"α grid: {n} log-spaced values in [{low:g}, {high:g}] ({how})",
        "no randomness (full-batch gradients)",
    ]
    if tol_note:
        parts.insert(1, tol_note)
    fig = sweep_figure(surface, record, best_run, footnote=SEPARATOR.join(parts))
    return Result(fig, record, record.sidecar(), extra={"best_run": best_run})


def startmap(
    surface="rosenbrock",
    specs: Sequence[str] | Mapping = (),
    *,
    grid: int = 100,
    steps: int | None = None,
    metric: str = "steps",
    tol: float | None = None,
    radius: float | None = None,
    progress: Progress | None = None,
) -> Result:
    """Each optimizer from every start of a ``grid x grid`` grid over the domain."""
    from .plot.maps import map_figure
    from .startmap import start_map
    from .sweep import DEFAULT_TOL

    surface = _surface(surface)
    if metric == "basin" and not surface.minima:
        raise ValueError(f"surface {surface.name!r} has no known minima: no basins to show")
    steps = surface.steps if steps is None else steps
    tol = DEFAULT_TOL if tol is None else tol
    optimizers, lr_how = _optimizers(specs, surface, steps)

    smap = start_map(
        surface,
        optimizers,
        grid=grid,
        steps=steps,
        tol=tol,
        radius=radius,
        lr_how=lr_how,
        progress=progress,
    )
    extra = (
        f"{grid}×{grid} starts, edges included{SEPARATOR}"
        f"converged: f − f* < {tol:g} to the end"
    )
    if metric == "basin":
        extra += f"{SEPARATOR}basin: nearest global minimum within {smap.radius:g}"
    fig = map_figure(surface, smap, metric, footnote=footnote(lr_how, steps, extra))
    info = smap.sidecar()
    info["metric"] = metric
    return Result(fig, smap, info)


def load_training(run_dir):
    """(TrainingRun, model, dataset) rebuilt from what :func:`train` saved."""
    from .nn.data import load_dataset
    from .nn.model import model_from_builder
    from .records import TrainingRun

    run_dir = Path(run_dir)
    history, settings = run_dir / "history.csv", run_dir / "settings.json"
    if not history.is_file() or not settings.is_file():
        raise ValueError(
            f"{run_dir} is not a training run: it needs history.csv and settings.json "
            "(written by optviz train)"
        )
    run = TrainingRun.load(history, sidecar=settings)
    # bounded: every size is checked against the limits before anything is allocated
    model = model_from_builder(run.meta.get("builder"), source=str(settings))
    s = run.meta.get("settings", {})
    data = load_dataset(
        s.get("dataset", run.dataset),
        seed=s.get("data_seed", s.get("seed", 0)),  # a run of several seeds: the first
        limit=s.get("limit"),
        dtype=model.dtype,
    )
    return run, model, data


#: ``landscape(view=...)``: the paths on their PCA plane; the loss on the straight
#: line start -> end of each path; both (three panels).
LANDSCAPE_VIEWS = ("plane", "interpolate", "both")
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
    progress: Progress | None = None,
) -> Result:
    """A trained run's network loss, seen three ways (``view``, ``directions``):

    - ``plane``, ``pca``: the parameter paths over the loss on their shared PCA plane;
    - ``interpolate``: the loss on the straight line from the start to each end point
      (``points`` per line); ``both``: the plane and the line, three panels;
    - ``plane``, ``random``: the loss on a plane of two filter-normalised random
      directions (``seed``) around the end point of optimizer ``around`` (default: the
      first); it holds no paths.

    ``record`` is the :class:`~optviz.records.Landscape` (``None`` for
    ``interpolate``); ``extra["line"]`` the straight lines, when drawn.
    """
    from .landscape import random_landscape, training_interpolation, training_landscape
    from .plot.landscape import interpolation_figure, landscape_figure, random_plane_figure

    if view not in LANDSCAPE_VIEWS:
        raise ValueError(f"view must be one of {', '.join(LANDSCAPE_VIEWS)}; got {view!r}")
    if directions not in LANDSCAPE_DIRECTIONS:
        raise ValueError(
            f"directions must be one of {', '.join(LANDSCAPE_DIRECTIONS)}; "
            f"got {directions!r}"
        )
    if directions == "random" and view != "plane":
        raise ValueError("random directions draw a plane: use them with view 'plane'")
    run, model, data = load_training(run_dir)
    labels = [h.label for h in run]
    if around is not None and around not in labels:
        raise ValueError(f"around: no optimizer {around!r} in the run; it has {labels}")
    x, y = data.x_train[:images], data.y_train[:images]
    settings = {
        "run": str(run_dir),
        "grid": grid,
        "images": int(len(y)),
        "view": view,
        "directions": directions,
    }
    done = [0]
    rows = grid if view != "interpolate" else 1
    if progress is not None:
        progress(0, rows)

    def row(_):
        done[0] += 1
        if progress is not None:
            progress(done[0], rows)

    if directions == "random":
        label = around or labels[0]
        snapshots = run[label].snapshots
        if len(snapshots) == 0:
            raise ValueError(
                f"{label} has no parameter snapshots; train with --snapshot-every N"
            )
        land = random_landscape(
            model, x, y, snapshots[-1], grid=grid, seed=seed, callback=row, label=label
        )
        settings.update(around=label, seed=seed)
        return Result(random_plane_figure(land), land, settings)
    line = land = None
    if view != "plane":
        line = training_interpolation(run, model, x, y, points=points)
        settings["points"] = points
    if view == "interpolate":
        if progress is not None:
            progress(1, 1)
        return Result(interpolation_figure(line), None, settings, extra={"line": line})
    land = training_landscape(run, model, x, y, grid=grid, callback=row)
    return Result(landscape_figure(land, line), land, settings, extra={"line": line})


def train(
    dataset: str = "digits",
    specs: Sequence[str] | Mapping = (),
    *,
    epochs: int = 20,
    batch_size: int = 64,
    seed: int = 0,
    seeds: int = 1,
    limit: int | None = None,
    snapshot_every=None,
    dtype: str = "float32",
    progress: Progress | None = None,
    check: Callable[[], None] | None = None,
) -> Result:
    """The small CNN trained once per optimizer from the same weights on the same
    mini-batches; the figure is the loss and error-rate curves. With ``seeds`` > 1 the
    whole comparison runs once per seed ``seed, seed + 1, ...`` (initial weights and
    batch order; :func:`optviz.nn.trainer.train_seeds`) and the figure draws the median
    and the seeds' range; ``record`` is the first seed's run, ``extra["runs"]`` all.
    ``check`` runs after the data and optimizers are validated, before training (a CLI
    checks its paths there).
    """
    import numpy as np

    from ._checks import check_int
    from .nn.data import load_dataset
    from .nn.trainer import (
        DEFAULT_LR,
        MAX_SEEDS,
        build_optimizers,
        train_optimizers,
        train_seeds,
    )
    from .plot.training import curves_figure

    seeds = check_int("seeds", seeds, low=1, high=MAX_SEEDS)
    if seeds > 1 and isinstance(specs, Mapping):
        raise ValueError(
            "seeds > 1 needs SPECs, not optimizer objects (each seed starts afresh)"
        )
    data = load_dataset(dataset, seed=seed, limit=limit, dtype=np.dtype(dtype))
    per_epoch = -(-len(data.y_train) // batch_size)
    per_run = epochs * per_epoch
    if isinstance(specs, Mapping):
        optimizers = dict(specs)
    else:
        optimizers = build_optimizers(list(specs), steps=per_run)  # before any work
    if check is not None:
        check()
    total = per_run * len(optimizers) * seeds
    done: dict[str, int] = {}
    offset = [0]  # steps of the seeds already trained
    if progress is not None:
        progress(0, total)

    def follow(event):
        if event.kind == "step":
            done[event.label] = done.get(event.label, 0) + 1
        elif event.diverged:  # skip what this optimizer will not run
            done[event.label] = per_run
        else:
            return
        if progress is not None:
            progress(offset[0] + sum(done.values()), total)

    kwargs = dict(
        epochs=epochs,
        batch_size=batch_size,
        dtype=np.dtype(dtype),
        snapshot_every=snapshot_every,
        callback=follow,
    )
    if seeds == 1:
        runs = [train_optimizers(data, optimizers, seed=seed, **kwargs)]
    else:
        runs = []
        for s in range(seed, seed + seeds):  # one at a time: progress across seeds
            runs += train_seeds(data, list(specs), seeds=[s], **kwargs)
            offset[0] += per_run * len(optimizers)
            done.clear()
    base = {
        "dataset": dataset,
        "optimizers": None if isinstance(specs, Mapping) else (list(specs) or None),
        "epochs": epochs,
        "batch_size": batch_size,
        "seed": seed,
        "limit": limit,
        "snapshot_every": snapshot_every,
        "dtype": dtype,
        "default_lr": DEFAULT_LR,
    }
    for i, run in enumerate(runs):
        # each run's own seed, so its folder alone can be rebuilt; the data split is
        # the first seed's (one data set for all)
        run.meta["settings"] = dict(base, seed=seed + i, data_seed=seed)
        if seeds > 1:
            run.meta["settings"]["seeds"] = list(range(seed, seed + seeds))
    run = runs[0]
    settings = dict(run.meta["settings"], data=data.name, n_train=len(data.y_train))
    figure = curves_figure(runs if seeds > 1 else run)
    return Result(figure, run, settings, extra={"runs": runs})
