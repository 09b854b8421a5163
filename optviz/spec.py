"""Optimizer SPECs: ``NAME`` or ``NAME:KEY=VALUE[,KEY=VALUE...]``, parsed without eval.

Values are numbers (``0.05``, ``1e-3``), booleans (``true``/``false``), tuples written
with slashes (``betas=0.9/0.999``) or words (``form=pytorch``).

>>> parse_spec("adam:lr=0.05,betas=0.9/0.99")
('adam', {'lr': 0.05, 'betas': (0.9, 0.99)})
"""

from __future__ import annotations

import difflib
import inspect
from typing import Sequence

from .optimizers import DEFAULT_OPTIMIZERS, OPTIMIZERS, Optimizer

__all__ = ["parse_spec", "build_optimizer", "build_optimizers", "allowed_keys"]


def _value(text: str):
    low = text.strip().lower()
    if low in ("true", "yes", "on"):
        return True
    if low in ("false", "no", "off"):
        return False
    if "/" in text:
        return tuple(_value(part) for part in text.split("/"))
    try:
        return float(text)
    except ValueError:
        return text.strip()


def _unknown(kind: str, name: str, known) -> ValueError:
    close = difflib.get_close_matches(name, known, n=2, cutoff=0.5)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    return ValueError(f"unknown {kind} {name!r}.{hint} Allowed: {', '.join(known)}")


def allowed_keys(name: str) -> list[str]:
    """The keyword hyper-parameters of optimizer ``name``."""
    params = inspect.signature(OPTIMIZERS[name].__init__).parameters
    return [k for k in params if k != "self"]


def parse_spec(spec: str) -> tuple[str, dict]:
    """Split a SPEC into the optimizer's name and its keyword values."""
    name, _, rest = spec.partition(":")
    name = name.strip().lower()
    if name not in OPTIMIZERS:
        raise _unknown("optimizer", name, list(OPTIMIZERS))
    keys = allowed_keys(name)
    kwargs = {}
    for item in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, text = item.partition("=")
        key = key.strip()
        if not eq or not text.strip():
            raise ValueError(f"in {spec!r}: {item!r} is not KEY=VALUE")
        if key not in keys:
            raise _unknown(f"key for {name}", key, keys)
        kwargs[key] = _value(text)
    return name, kwargs


def build_optimizer(spec: str, surface=None) -> tuple[str, Optimizer]:
    """(name, optimizer) from a SPEC; ``lr`` defaults to the surface's choice."""
    name, kwargs = parse_spec(spec)
    if "lr" not in kwargs and surface is not None:
        kwargs["lr"] = surface.default_lr(name)
    try:
        return name, OPTIMIZERS[name](**kwargs)
    except TypeError as exc:  # a tuple where a number belongs, or the reverse
        raise ValueError(f"in {spec!r}: {exc}") from None
    except ValueError as exc:
        raise ValueError(f"in {spec!r}: {exc}") from None


def build_optimizers(specs: Sequence[str], surface=None) -> dict[str, Optimizer]:
    """Optimizers by legend label, from SPECs (the five defaults when empty).

    Labels are the names; a name given twice is told apart by its keys
    (``"adam (lr=0.1)"``).
    """
    specs = list(specs) or list(DEFAULT_OPTIMIZERS)
    built = [(spec, *build_optimizer(spec, surface)) for spec in specs]
    names = [name for _, name, _ in built]
    out: dict[str, Optimizer] = {}
    for spec, name, opt in built:
        label = name
        if names.count(name) > 1:
            extra = spec.partition(":")[2]
            label = f"{name} ({extra.replace(',', ', ')})" if extra else name
        if label in out:
            raise ValueError(f"optimizer {spec!r} is given twice")
        out[label] = opt
    return out
