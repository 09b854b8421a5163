"""Noisy gradients on any surface: the stochastic setting of the notes' mini-batch SGD.

>>> from optviz.surfaces import get
>>> s = with_noise(get("rosenbrock"), 0.5, relative=True, seed=3)
>>> s.name, s.title
('rosenbrock ~ noise 0.5:relative seed 3', 'Rosenbrock, noisy gradients (σ = 0.5 |g|)')
>>> with_noise(get("rosenbrock"), 0.0) is get("rosenbrock")
True
"""

from __future__ import annotations

from dataclasses import replace

from ._surface import Noise, Surface

__all__ = ["with_noise", "split_noise", "parse_noise", "NOISE_MARK"]

#: Between a surface's name and its noise in a noisy surface's name.
NOISE_MARK = " ~ noise "


def parse_noise(text: str) -> tuple[float, bool]:
    """``"SIGMA"`` or ``"SIGMA:relative"`` -> (sigma, relative)."""
    value, _, kind = str(text).partition(":")
    if kind not in ("", "relative", "additive"):
        raise ValueError(
            f"noise {text!r}: after SIGMA: only 'relative' (e.g. 0.1:relative)"
        )
    try:
        sigma = float(value)
    except ValueError:
        raise ValueError(
            f"noise {text!r} is not SIGMA or SIGMA:relative (e.g. 0.1)"
        ) from None
    Noise(sigma)  # the range check
    return sigma, kind == "relative"


def with_noise(surface: Surface, sigma: float, *, relative: bool = False, seed: int = 0):
    """``surface`` whose optimizers see Gaussian gradient noise of scale ``sigma``
    (times the gradient's norm with ``relative``), drawn from ``seed``. σ = 0 gives
    the surface itself: the noiseless runs exactly."""
    noise = Noise(float(sigma), bool(relative), seed)
    if noise.sigma == 0:
        return surface
    if surface.noise is not None:
        raise ValueError(f"surface {surface.name!r} is noisy already")
    kind = ":relative" if relative else ""
    scale = f"{sigma:g} |g|" if relative else f"{sigma:g}"
    return replace(
        surface,
        name=f"{surface.name}{NOISE_MARK}{float(sigma)!r}{kind} seed {seed}",
        title=f"{surface.title}, noisy gradients (σ = {scale})",
        noise=noise,
    )


def split_noise(name: str):
    """``(name, (sigma, relative, seed) or None)`` of a name made by :func:`with_noise`."""
    base, mark, rest = name.rpartition(NOISE_MARK)
    if not mark:
        return name, None
    spec, _, seed = rest.partition(" seed ")
    sigma, relative = parse_noise(spec)
    try:
        return base, (sigma, relative, int(seed))
    except ValueError:
        raise ValueError(f"{name!r}: the seed after 'seed' is not a whole number") from None
