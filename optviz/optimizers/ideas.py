"""The ideas an optimizer adds to SGD, named once: each class lists its own in
``ideas`` (``Adam.ideas == ("momentum", "per-coordinate scaling", "bias correction")``),
and the optimizer-families figure draws them from the classes.

>>> from optviz.optimizers import OPTIMIZERS
>>> OPTIMIZERS["lion"].ideas
('momentum', 'sign', 'decoupled decay')
"""

from __future__ import annotations

__all__ = ["IDEAS", "ideas_of"]

#: Every idea, in the order the families figure shows them: what it does to SGD's step.
IDEAS = (
    "momentum",  # a moving sum or average of past g steps (v, s)
    "look-ahead",  # Nesterov: the momentum step taken from where it will land
    "per-coordinate scaling",  # g divided by √r (or an r-like scale) per coordinate
    "bias correction",  # moments started at 0 divided by 1 − ρᵗ
    "belief",  # AdaBelief: r averages (g − s)², the surprise, not g²
    "sign",  # only the sign of (a mix of) g is stepped
    "rectification",  # RAdam: the scaling switched on when its variance is finite
    "averaging",  # the iterate kept (or evaluated) is an average of the stepped ones
    "orthogonalisation",  # Muon: the step is the nearest orthogonal matrix
    "factored second moment",  # Adafactor: r of a matrix from its row and column sums
    "distance estimate",  # Prodigy: α scaled by d, an estimate of the distance to w*
    "decoupled decay",  # w shrunk by αλ apart from the gradient step (AdamW)
)


def ideas_of(optimizer) -> tuple[str, ...]:
    """The ideas ``optimizer`` (a class, an instance or a registered name) adds to SGD,
    checked against :data:`IDEAS`."""
    if isinstance(optimizer, str):
        from . import OPTIMIZERS

        optimizer = OPTIMIZERS[optimizer]
    ideas = tuple(optimizer.ideas)
    unknown = [i for i in ideas if i not in IDEAS]
    if unknown:
        raise ValueError(
            f"{optimizer.name}: unknown ideas {unknown}; allowed: {', '.join(IDEAS)}"
        )
    return ideas
