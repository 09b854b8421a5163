"""A user's own surface wherever a surface's name is accepted: a formula
(``"x**2 + 10*y**2"``) or a function in the user's file (``my_loss.py:bowl``).

:func:`resolve` reads the name: a registered surface, else ``FILE.py:NAME`` or
``MODULE:NAME``, else a formula (:mod:`optviz.surfaces.formula`). A formula's or
function's default learning rates come from a quick sweep (:func:`tuned_lr`): each of
the five optimizers at a log grid of rates, all in one vectorised run, the rate that
ends lowest inside the domain. The surface's name reads back to the same surface, so
a record redraws.

>>> s = resolve("(x - 1)**2 + 10*y**2")
>>> s.name, s.minima[0].xy
('(x - 1)**2 + 10*y**2', (1.0, 0.0))
"""

from __future__ import annotations

import functools
import re

import numpy as np

from .surfaces import OPTIMIZER_KEYS, SURFACES, Surface, get

__all__ = ["resolve", "formula", "from_module", "tuned_lr", "is_user_surface", "LR_GRID"]

#: The rates the quick sweep tries (log-spaced, 1e-4 to 3).
LR_GRID = tuple(float(v) for v in np.geomspace(1e-4, 3.0, 19))
#: Steps of the quick sweep.
SWEEP_STEPS = 100
#: A text longer than this is read as a formula (whose error says how long), not a name.
MAX_NAME = 64
#: ``FILE.py:NAME`` or ``dotted.module:NAME``.
_MODULE_SPEC = re.compile(r"^(?P<where>[^:]+?\.py|[A-Za-z_][\w.]*):(?P<attr>[A-Za-z_]\w*)$")


def is_user_surface(name: str) -> bool:
    """Whether ``name`` is not a registered surface (so a formula or a function)."""
    return name not in SURFACES


def resolve(name, domain=None, *, noise=None, seed: int = 0) -> Surface:
    """The surface ``name`` names: a registered surface, a ``FILE.py:NAME`` or
    ``MODULE:NAME`` of the user's, or a formula. ``domain`` (``((x0, x1), (y0, y1))``
    or ``"X0:X1,Y0:Y1"``) sets a user surface's window; a ValueError for a
    registered one (it has its own). ``noise`` (``"SIGMA"`` or ``"SIGMA:relative"``)
    and ``seed`` give its optimizers noisy gradients (:func:`~optviz.surfaces.noise.
    with_noise`); a name made so reads back with its noise."""
    from .surfaces.noise import parse_noise, split_noise, with_noise

    if isinstance(name, Surface):
        if noise is None and domain is None:
            return name
        if domain is None and name.noise is None:
            return with_noise(name, *parse_noise(noise)[:1], relative=parse_noise(noise)[1],
                              seed=seed)  # fmt: skip
        name = name.name
    name, spec = split_noise(str(name))
    if noise is not None:
        if spec is not None:
            raise ValueError(f"surface {name!r} has its noise already")
        spec = (*parse_noise(noise), seed)
    surface = _resolve(name, domain)
    return (
        surface
        if spec is None
        else with_noise(surface, spec[0], relative=spec[1], seed=spec[2])
    )


def _resolve(name: str, domain) -> Surface:
    from .surfaces.formula import parse_domain, split_name

    if domain is None:
        name, domain = split_name(name)
    elif isinstance(domain, str):
        domain = parse_domain(domain)
    if name in SURFACES:
        if domain is not None:
            raise ValueError(
                f"--domain sets the window of a formula or a FILE.py:NAME surface; "
                f"{name} has its own"
            )
        return SURFACES[name]
    if _MODULE_SPEC.match(name.strip()):
        return from_module(name.strip(), domain)
    from .surfaces.formula import looks_like_formula

    if not looks_like_formula(name) and len(name) <= MAX_NAME:
        get(name)  # the registry's "unknown surface ... did you mean" error
    return formula(name, domain)


@functools.lru_cache(maxsize=32)
def _formula(text: str, domain) -> Surface:
    from .surfaces.formula import formula_surface

    surface = formula_surface(text, domain)
    return _with_lr(surface, tuned_lr(surface))


def formula(text: str, domain=None) -> Surface:
    """The surface of the formula ``text`` (see
    :func:`optviz.surfaces.formula.formula_surface`), its learning rates from
    :func:`tuned_lr`; made once per formula and domain."""
    domain = None if domain is None else tuple(tuple(map(float, d)) for d in domain)
    return _formula(" ".join(str(text).split()), domain)


def from_module(spec: str, domain=None) -> Surface:
    """The surface of ``FILE.py:NAME`` or ``MODULE:NAME``: ``NAME`` is a
    :class:`Surface` (used as it is) or a function ``f(x, y)`` (through
    :meth:`Surface.from_function`, with ``grad`` from the same module's
    ``NAME_grad`` if it has one)."""
    from .plugins import load_plugin
    from .surfaces.formula import formula_name

    where, _, attr = spec.rpartition(":")
    module = load_plugin(where)
    if not hasattr(module, attr):
        raise ValueError(f"{where} has no {attr!r}")
    obj = getattr(module, attr)
    if isinstance(obj, Surface):
        return obj
    if not callable(obj):
        raise ValueError(f"{spec} is neither a Surface nor a function f(x, y)")
    grad = getattr(module, f"{attr}_grad", None)
    kwargs = {} if domain is None else {"domain": domain}
    try:
        surface = Surface.from_function(
            obj, grad, name=formula_name(spec, domain), title=attr, **kwargs
        )
    except ValueError:
        raise
    except Exception as exc:  # the user's function failed: one line
        raise ValueError(f"{spec} failed: {type(exc).__name__}: {exc}") from None
    return _with_lr(surface, tuned_lr(surface))


def _with_lr(surface: Surface, lr) -> Surface:
    from dataclasses import replace

    return replace(surface, lr=lr)


def tuned_lr(surface: Surface, steps: int = SWEEP_STEPS) -> dict[str, float]:
    """Each of the five optimizers' learning rate on ``surface`` from a quick sweep:
    the rates of :data:`LR_GRID` run together from the surface's start for ``steps``
    steps; of those whose path stays inside the domain and ends below its start, the
    one with the lowest mean log10(f - f_low) over the run (f_low: the lowest f seen or
    f*), so fast, steady descent wins over a lucky last step. The surface's own rate
    where none qualifies."""
    from .optimizers import OPTIMIZERS
    from .run import run_one

    grid = np.array(LR_GRID)
    starts = np.broadcast_to(np.asarray(surface.start, dtype=np.float64), (len(grid), 2))
    runs = {
        key: run_one(surface, OPTIMIZERS[key](lr=grid[:, None]), starts, steps)
        for key in OPTIMIZER_KEYS
    }
    losses = np.stack([r.loss for r in runs.values()])  # (optimizers, steps + 1, rates)
    with np.errstate(invalid="ignore"):
        low = np.nanmin(losses) if surface.min_value is None else surface.min_value
        scale = max(1.0, float(np.nanmax(np.abs(losses[:, 0]))))
        out = {}
        for key, run in runs.items():
            (x0, x1), (y0, y1) = surface.domain
            x, y = run.xy[..., 0], run.xy[..., 1]
            inside = np.all((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1), axis=0)
            ok = inside & (run.loss[-1] < run.loss[0])
            score = np.mean(np.log10(run.loss - low + 1e-12 * scale), axis=0)
            score = np.where(ok & np.isfinite(score), score, np.inf)
            found = np.isfinite(score).any()
            out[key] = float(grid[np.argmin(score)]) if found else surface.lr[key]
    return out
