"""The notes' symbols for hyper-parameters, and the one way optviz writes them:
``α=0.05 β=0.9``, ``α=0.01 ρ1=0.9 ρ2=0.999``.

Figure labels (:func:`optviz.plot.style.legend_label`), footnotes and the tuning's
reports all format settings through :func:`assignments`.

>>> assignments({"lr": 0.18, "momentum": 0.6172})
'α=0.18 β=0.617'
>>> assignments(shaping("adam", {"lr": 0.05, "betas": (0.9, 0.999), "eps": 1e-8}))
'α=0.05 ρ1=0.9 ρ2=0.999'
"""

from __future__ import annotations

from typing import Mapping

__all__ = ["SYMBOLS", "SEPARATOR", "number", "assignments", "shaping"]

#: Footnote parts are joined by this; a footnote's lines break between parts.
SEPARATOR = "   ·   "
#: Keyword -> the notes' symbol (``rho1``, ``rho2``: Adam's ``betas``).
SYMBOLS = {"lr": "α", "momentum": "β", "rho": "ρ", "rho1": "ρ1", "rho2": "ρ2", "eps": "δ"}


def number(value) -> str:
    """A setting as written in a label: three significant digits, a list as ``a/b``."""
    if isinstance(value, (list, tuple)):
        return "/".join(number(v) for v in value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.3g}"
    return str(value)


def assignments(settings: Mapping) -> str:
    """``key=value`` pairs in the notes' symbols, in the order given."""
    return " ".join(f"{SYMBOLS.get(k, k)}={number(v)}" for k, v in settings.items())


def _shown(value, lists: bool) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or (lists and isinstance(value, (list, tuple)))


def shaping(family: str, hyper: Mapping, *, lists: bool = True) -> dict:
    """The hyper-parameters that shape the path of an optimizer of ``family``
    (:attr:`optviz.optimizers.Optimizer.family`), as ``{key: value}`` in the notes'
    order (α, β, ρ, ρ1, ρ2): momentum outside the momentum family (RMSprop's optional
    one) only when on; a learning rate given per run (a list) only when ``lists``."""
    out = {}
    lr = hyper.get("lr")
    if _shown(lr, lists):
        out["lr"] = lr
    for key in ("momentum", "rho"):
        value = hyper.get(key)
        if key == "momentum" and family != "momentum" and not value:
            continue  # RMSprop's optional momentum, off
        if _shown(value, False):
            out[key] = value
    betas = hyper.get("betas")
    if isinstance(betas, (list, tuple)) and len(betas) == 2:
        out["rho1"], out["rho2"] = betas
    return out
