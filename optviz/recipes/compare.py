"""Optimizers from one start on a surface: paths over the contours and losses, as a
figure (:func:`compare`) or growing in an animation (:func:`animate`); each at the
surface's default rates, at the rates given, or tuned (``tune=True``)."""

from __future__ import annotations

from typing import Mapping, Sequence

from .common import build, get_surface, start_of, surface_run
from .result import Progress, Result
from .sizes import pick

__all__ = [
    "compare",
    "animate",
    "fair_settings",
    "protocol_settings",
    "COMPARE_SURFACES",
    "COMPARE_BETAS",
    "COMPARE_DECADES",
    "COMPARE_TOL",
]

#: The surfaces of the gallery's comparisons.
COMPARE_SURFACES = ("rosenbrock", "beale", "saddle", "quadratic", "himmelblau")
#: Momentum's β grid in the comparisons (α is searched around the surface's default).
COMPARE_BETAS = (0.5, 0.8, 0.9, 0.95)
#: The comparison searches α over this many decades below and above the default.
COMPARE_DECADES = (2, 1.5)
COMPARE_TOL = 1e-4
#: The footnote of a comparison where every optimizer runs at one α (and, where
#: momentum runs, its part: the same steady step α/(1 - β)).
SAME_RATE_NOTE = "one α for all, not tuned: α = {lr}"
SAME_STEP_NOTE = (
    "momentum: α = {lr} with β = {beta}, so its steady step α/(1 - β) is {step}"
)


def fair_settings(surface, steps: int, specs=()):
    """The optimizers of ``specs`` (default: the five) at fair settings on ``surface``:
    each tuned (α; α and β for momentum) by :func:`optviz.tuning.tune` within
    ``steps`` where the surface has a minimum; the surface's defaults otherwise.
    Returns ``(optimizers, note)``; the note says how they were chosen, and names an
    optimizer whose best α is an end of its range (a larger or smaller one might do
    better still)."""
    import numpy as np

    from ..claims import DEFAULTS_NOTE
    from ..tuning import tune
    from .result import SEPARATOR

    optimizers, _ = build(specs, surface, steps)
    if surface.min_value is None:
        return optimizers, DEFAULTS_NOTE + " (no minimum to tune towards)"
    n = pick(31, 9)
    low, high = COMPARE_DECADES
    grids = {}
    for label, opt in optimizers.items():
        default = surface.default_lr(opt.name)
        grid = {"lr": np.geomspace(default / 10**low, default * 10**high, n)}
        if opt.name == "momentum":
            grid["momentum"] = np.array(COMPARE_BETAS)
        grids[label] = grid
    tuned = tune(surface, optimizers, grids, steps=steps, tol=COMPARE_TOL)
    note = (
        f"Fair settings: {tuned.rule}; α over {n} log-spaced values from "
        f"{10**-low:.3g}× to {10**high:.3g}× the surface's default"
        f"; momentum's β in {{{', '.join(f'{b:g}' for b in COMPARE_BETAS)}}}."
    )
    for label, chosen in tuned.settings.items():  # say where "best" is only the range's
        lr = grids[label]["lr"]
        end = {lr[0]: "smallest", lr[-1]: "largest"}.get(chosen["lr"])
        if end is not None:
            note += f"{SEPARATOR}{optimizers[label].title}'s best α is the {end} tried"
    return tuned.optimizers, note


#: The fair protocol's seed in the gallery's comparisons, and its footnote.
PROTOCOL_SEED = 0
PROTOCOL_NOTE = (
    "Fair protocol: each optimizer's joint grid (α with β, ρ or ρ1, ρ2) over {k} random "
    "starts (seed {seed}), budget {budget} steps; best: the fewest steps to "
    "f − f* < {tol}, median over the starts"
)


def protocol_settings(surface, steps: int, specs=(), starts: int = 8):
    """The optimizers of ``specs`` (default: the five) tuned on ``surface`` by the
    fair protocol (:func:`optviz.tuning.tune_suite`: joint grids, ``starts`` seeded
    random starts, the budget ``steps``, the median steps to f - f* < COMPARE_TOL;
    a best at the end of its range widened, and if it stays there marked "edge").
    Returns ``(optimizers, note, tuned)``: an optimizer whose best is an edge is
    labelled ``"NAME (edge)"``, and the note says so; it is never called best."""
    from ..claims import title
    from ..notation import SYMBOLS
    from ..tuning import tune_suite
    from ..tuning.teaching import with_values
    from .result import SEPARATOR

    optimizers, _ = build(specs, surface, steps)
    tuned = tune_suite(
        [surface],
        optimizers,
        starts=starts,
        budgets=(steps,),
        seed=PROTOCOL_SEED,
        tol=COMPARE_TOL,
    )
    out = {}
    note = PROTOCOL_NOTE.format(
        k=tuned.n_starts, seed=tuned.seed, budget=steps, tol=f"{COMPARE_TOL:g}"
    )
    for label, proto in optimizers.items():
        c = tuned.choice(tuned[surface.name, label])
        if c["status"] == "failed":
            out[label] = proto
            note += f"{SEPARATOR}{title(proto.name)}: no setting reached tol (untuned)"
            continue
        opt = with_values(proto, c["settings"])
        if c["status"] == "edge":
            keys = ", ".join(SYMBOLS.get(e[:-1], e[:-1]) for e in c["edges"])
            note += f"{SEPARATOR}{title(proto.name)}: {keys} at the end of its range (edge)"
            label = f"{label} (edge)"
        out[label] = opt
    return out, note, tuned


def _check_view(view: str) -> None:
    from ..plot.compare import VIEWS

    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}; got {view!r}")


def _runs(surface, specs, steps, start, tune, progress, starts=None):
    """(surface, run, settings, note) of ``specs`` on ``surface``, tuned or not
    (``starts``: by the fair protocol over that many random starts)."""
    notes = []

    def tuned(specs, surface, steps):
        if starts is not None:
            optimizers, note, _ = protocol_settings(surface, steps, specs, starts)
        else:
            optimizers, note = fair_settings(surface, steps, specs)
        notes.append(note)
        return optimizers, {label: "tuned" for label in optimizers}

    choose = tuned if (tune or starts is not None) else build
    if tune is not None and not isinstance(tune, bool):  # a Tuned record (optviz tune)
        from .tune import tuned_choose

        choose = tuned_choose(tune, notes)
    surface, run, settings = surface_run(surface, specs, steps, start, progress, choose)
    if starts is not None:
        settings["tuned"] = {"starts": starts}
    elif tune:
        settings["tuned"] = True if isinstance(tune, bool) else "optviz tune"
    return surface, run, settings, notes[0] if notes else None


def compare(
    surface="rosenbrock",
    specs: Sequence[str] | Mapping = (),
    *,
    steps: int | None = None,
    start=None,
    view: str = "2d",
    tune: bool = False,
    starts: int | None = None,
    subtitle: str | None = None,
    footnote: str | None = None,
    record=None,
    progress: Progress | None = None,
) -> Result:
    """Optimizers from one start on ``surface``: paths over the contours and losses
    (``view="3d"``: the paths on the surface in 3-D). ``tune=True``: each at fair
    settings (:func:`fair_settings`), said in the footnote; ``tune=`` a
    :class:`~optviz.records.Tuned` record: each at its settings tuned by the protocol
    (``optviz tune``) for this surface and the budget nearest below ``steps``, said in
    the footnote; ``starts``: tuned here by the protocol over that many random starts
    (:func:`protocol_settings`); ``subtitle``: the figure's one message, under its
    title; ``footnote``: how the settings were chosen, when the caller chose them
    (e.g. a sweep's best rates). What the figure states (footnote, subtitle, the notes
    found in the run, its claims) is kept in ``record.meta["figure"]``; ``record``:
    draw that :class:`~optviz.records.Run` (e.g. a loaded one) again, nothing run
    anew."""
    from ..plot.compare import compare_figure

    if record is not None:
        return _redraw_compare(record)
    _check_view(view)
    surface, run, settings, note = _runs(
        surface, specs, steps, start, tune, progress, starts
    )
    note = footnote if footnote is not None else note
    settings["view"] = view
    run.meta["figure"] = _statement(surface, run, view, note, subtitle)
    fig = compare_figure(surface, run, view=view, **_drawn(run.meta["figure"]))
    return Result(fig, run, settings)


def _statement(surface, run, view, note, subtitle) -> dict:
    """What a comparison states: its footnote, subtitle, notes and claims (the
    predicates of :mod:`optviz.compare_claims`, with their numbers; JSON-ready)."""
    from ..claims import DEFAULTS_NOTE, surface_notes, uses_defaults
    from ..compare_claims import claims, same_rate

    rate = same_rate(run)
    if note is None and rate is not None and len(run.trajectories) > 1:
        note = _same_rate_note(run, rate)
    if note is None and uses_defaults(surface, run):
        note = DEFAULTS_NOTE
    notes = surface_notes(surface, run) if view == "2d" else []
    return {
        "recipe": "compare",
        "view": view,
        "note": note,
        "subtitle": subtitle,
        "notes": [_plain(n) for n in notes],
        "claims": [_json(c.as_dict()) for c in claims(surface, run)],
    }


def _same_rate_note(run, rate: float) -> str:
    from .result import SEPARATOR

    note = SAME_RATE_NOTE.format(lr=f"{rate:g}")
    for t in run:
        if t.optimizer == "momentum":
            h = t.hyperparameters
            part = SAME_STEP_NOTE.format(
                lr=f"{h['lr']:g}", beta=f"{h['momentum']:g}", step=f"{rate:g}"
            )
            note += SEPARATOR + part
    return note


def _json(value):
    """``value`` with numpy scalars and tuples made plain (as a sidecar reads back)."""
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


def _plain(note: dict) -> dict:
    """A note with plain floats and lists (as it reads back from a sidecar)."""
    out = dict(note)
    out["xy"] = [float(v) for v in note["xy"]]
    if "target" in note:
        out["target"] = [float(v) for v in note["target"]]
    if "offset" in note:
        out["offset"] = [float(v) for v in note["offset"]]
    return out


def _drawn(statement: dict) -> dict:
    keys = ("note", "subtitle", "notes")
    return {k: statement[k] for k in keys}


def _redraw_compare(run) -> Result:
    from ..plot.compare import compare_figure

    statement = run.meta.get("figure") or {}
    if statement.get("recipe") != "compare":
        raise ValueError("the run holds no comparison to redraw (made by another recipe)")
    view = statement["view"]
    surface = get_surface(run.surface)
    fig = compare_figure(surface, run, view=view, **_drawn(statement))
    settings = {"surface": surface.name, "steps": run.steps, "view": view}
    return Result(fig, run, settings)


def animate(
    surface="rosenbrock",
    specs: Sequence[str] | Mapping = (),
    *,
    steps: int | None = None,
    start=None,
    panels="trajectory",
    frames: int | None = None,
    fps: int | None = None,
    size: tuple[int, int] | None = None,
    view: str = "2d",
    tune: bool = False,
    starts: int | None = None,
    record=None,
    lang: str = "en",
    spacing: str = "geometric",
    hold: float | tuple[float, float] | None = None,
    figure_style: str = "paper",
    progress: Progress | None = None,
) -> Result:
    """Optimizers' paths growing over ``surface``. Schedules are sized by ``steps``.
    Save with ``result.animation.save(path)`` (.gif, .mp4, .html). ``view="3d"``: the
    surface in 3-D turning slowly while the paths grow
    (:class:`~optviz.plot.view3d.Rotation`, saved as .gif only; ``panels`` unused).
    ``frames`` defaults to 200 in 2-D and 48 in 3-D (every 3-D frame is a full redraw),
    ``fps`` to 20 in 2-D and 12 in 3-D. ``record``: animate this
    :class:`~optviz.records.Run` (e.g. a :func:`compare` result's) instead of running
    anew; ``lang``: the language of its texts (en, zh); ``spacing``, ``hold`` (seconds
    the last frame, or (first, last) frames, stay) and ``figure_style`` ("talk":
    larger text and lines) as for :class:`~optviz.plot.animate.Animation`."""
    timing = {} if hold is None else {"hold": hold}
    _check_view(view)
    if view == "2d":
        from ..plot.animate import check_panels

        panels = check_panels(panels)
    elif frames is not None and not 2 <= frames <= 400:  # Rotation's limits, before work
        raise ValueError(f"frames must be in [2, 400] for a 3-D view, got {frames!r}")
    if record is None:
        surface, run, settings, note = _runs(
            surface, specs, steps, start, tune, progress, starts
        )
        if settings.get("tuned") == "optviz tune":
            settings["note"] = note  # an animation has no footnote: the CLI says it
    else:
        surface, run = get_surface(surface), record
        settings = {
            "surface": surface.name,
            "steps": run.steps,
            "start": start_of(surface, run.start),
        }
    settings["view"] = view
    if view == "3d":
        from ..plot.view3d import Rotation, surface3d_figure

        frames = pick(48 if frames is None else frames, 8)
        size = pick(size, (320, 240))
        fps = 12 if fps is None else fps
        kwargs = {} if size is None else {"size": size}
        anim = Rotation(
            surface, run, frames=frames, fps=fps, lang=lang, figure_style=figure_style,
            **kwargs, **timing,
        )  # fmt: skip
        settings.update(frames=len(anim), fps=fps)
        return Result(surface3d_figure(surface, run), run, settings, animation=anim)
    from ..plot.animate import Animation

    frames = pick(200 if frames is None else frames, 8)
    size = pick(size, (480, 240))
    fps = 20 if fps is None else fps
    anim = Animation(
        surface, run, panels=panels, frames=frames, fps=fps, size=size, lang=lang,
        spacing=spacing, figure_style=figure_style, **timing,
    )  # fmt: skip
    settings.update(panels=list(panels), frames=len(anim), fps=fps)
    return Result(anim.fig, run, settings, animation=anim)
