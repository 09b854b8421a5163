"""What the surface recipes share: the surface, its optimizers, one run of them."""

from __future__ import annotations

from typing import Mapping

from .sizes import pick_steps

__all__ = ["get_surface", "build", "run_on", "start_of", "surface_run"]


def get_surface(surface):
    """A surface by name (a formula or ``FILE.py:NAME`` too), or the surface given."""
    if isinstance(surface, str):
        from ..user_surfaces import resolve

        return resolve(surface)
    return surface


def build(specs, surface, steps):
    """(label -> Optimizer, label -> how its lr was chosen) from SPEC strings, or a
    mapping label -> Optimizer given as is."""
    from ..spec import build_optimizers, lr_sources

    if isinstance(specs, Mapping):
        return dict(specs), {label: "given" for label in specs}
    specs = [specs] if isinstance(specs, str) else list(specs)
    optimizers = build_optimizers(specs, surface, steps=steps)
    return optimizers, lr_sources(specs, surface, steps=steps)


def run_on(surface, optimizers, *, start, steps, progress, record_state=False):
    """One run of every optimizer; ``progress(done, total)`` is the stepping loop's own,
    so an ETA counts steps, not optimizers."""
    from ..run import run_surface

    return run_surface(
        surface,
        optimizers,
        start=start,
        steps=steps,
        record_state=record_state,
        progress=progress,
    )


def start_of(surface, start):
    """The start as a list of floats (the surface's own when None)."""
    return [float(v) for v in (surface.start if start is None else start)]


def surface_run(surface, specs, steps, start, progress, choose=build):
    """The surface, the run of ``specs`` on it and the settings that made it.

    ``choose(specs, surface, steps) -> (label -> Optimizer, label -> how its lr was
    chosen)`` picks the settings (:func:`build` reads the SPECs as given; the compare
    recipe's fair settings tune them)."""
    surface = get_surface(surface)
    steps = pick_steps(surface.steps) if steps is None else steps
    optimizers, lr_how = choose(specs, surface, steps)
    run = run_on(surface, optimizers, start=start, steps=steps, progress=progress)
    run.meta["learning_rates"] = dict(lr_how)  # what the footnote says, in the record
    settings = {
        "surface": surface.name,
        "steps": steps,
        "start": start_of(surface, start),
        "learning_rates": lr_how,
    }
    return surface, run, settings
