"""Optimizer SPECs: ``NAME`` or ``NAME:KEY=VALUE[,KEY=VALUE...]``, parsed without eval.

Values are numbers (``0.05``, ``1e-3``), booleans (``true``/``false``), tuples written
with slashes (``betas=0.9/0.999``) or words (``form=pytorch``).

>>> parse_spec("adam:lr=0.05,betas=0.9/0.99")
('adam', {'lr': 0.05, 'betas': (0.9, 0.99)})

Every optimizer also takes the learning-rate schedule keys (:data:`SCHEDULE_KEYS`,
see :mod:`optviz.schedules`): ``schedule=constant|step|exponential|cosine``,
``warmup=STEPS`` (linear warm-up, alone or before any schedule), ``gamma=`` (step,
exponential), ``step_size=`` (step), ``min_lr=`` and ``total_steps=`` (cosine; by
default the run's steps minus the warm-up).

>>> build_optimizer("sgd:lr=0.01,schedule=cosine,warmup=20", steps=500)[1]
SGD(lr='warmup(cosine(lr=0.01, total_steps=480, min_lr=0), warmup_steps=20)')
"""

from __future__ import annotations

import difflib
import inspect
from typing import Mapping, Sequence

from ._checks import check_int
from .optimizers import DEFAULT_OPTIMIZERS, OPTIMIZERS, Optimizer
from .schedules import SCHEDULES, make_schedule

__all__ = [
    "parse_spec",
    "build_optimizer",
    "build_optimizers",
    "allowed_keys",
    "SCHEDULE_KEYS",
    "split_schedule",
    "lr_sources",
]

#: The SPEC keys that make a learning-rate schedule (every optimizer takes them).
SCHEDULE_KEYS = ("schedule", "warmup", "gamma", "step_size", "min_lr", "total_steps")


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
    keys = allowed_keys(name) + list(SCHEDULE_KEYS)
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


def split_schedule(kwargs: dict) -> tuple[dict, dict]:
    """Split parsed SPEC keys into the optimizer's and the schedule's."""
    opt = {k: v for k, v in kwargs.items() if k not in SCHEDULE_KEYS}
    sched = {k: v for k, v in kwargs.items() if k in SCHEDULE_KEYS}
    return opt, sched


def _schedule(lr, keys: dict, steps: int | None):
    """The schedule the SPEC's schedule keys describe around base ``lr``."""
    keys = dict(keys)
    name = keys.pop("schedule", "constant")
    if not isinstance(name, str):
        raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}; got {name!r}")
    warmup = keys.pop("warmup", None)
    if warmup is not None:
        warmup = check_int("warmup", warmup, low=1)
    if name == "cosine" and "total_steps" not in keys:
        if steps is None:
            raise ValueError("schedule=cosine needs total_steps=N (no step count known)")
        total = steps - (warmup or 0)
        if total < 1:
            raise ValueError(f"warmup must be < the {steps} steps of the run, got {warmup}")
        keys["total_steps"] = total
    return make_schedule(name, lr, warmup_steps=warmup, **keys)


def build_optimizer(
    spec: str,
    surface=None,
    *,
    steps: int | None = None,
    default_lr: float | None = None,
) -> tuple[str, Optimizer]:
    """(name, optimizer) from a SPEC; ``lr`` defaults to ``default_lr`` if given, else
    to the surface's choice, else to the class's default.

    Schedule keys turn ``lr`` into a schedule; a cosine without ``total_steps`` spans
    ``steps`` (default: the surface's steps) minus any warm-up. In CNN training a step
    is one mini-batch: pass ``steps = epochs * batches per epoch``.
    """
    name, kwargs = parse_spec(spec)
    kwargs, sched = split_schedule(kwargs)
    if "lr" not in kwargs and default_lr is not None:
        kwargs["lr"] = default_lr
    elif "lr" not in kwargs and surface is not None:
        kwargs["lr"] = surface.default_lr(name)
    try:
        if sched:
            if steps is None and surface is not None:
                steps = surface.steps
            base = kwargs.get(
                "lr", inspect.signature(OPTIMIZERS[name]).parameters["lr"].default
            )
            kwargs["lr"] = _schedule(base, sched, steps)
        return name, OPTIMIZERS[name](**kwargs)
    except TypeError as exc:  # a tuple where a number belongs, or the reverse
        raise ValueError(f"in {spec!r}: {exc}") from None
    except ValueError as exc:
        raise ValueError(f"in {spec!r}: {exc}") from None


def build_optimizers(
    specs: Sequence[str],
    surface=None,
    *,
    steps: int | None = None,
    default_lr: Mapping[str, float] | None = None,
) -> dict[str, Optimizer]:
    """Optimizers by legend label, from SPECs (the five defaults when empty).

    Labels are the names; a name given twice is told apart by its keys
    (``"adam (lr=0.1)"``). ``steps`` is the run's length, for schedules that need it.
    ``default_lr`` (name -> lr) overrides the surface's learning rates, e.g. the CNN's.
    """
    specs = list(specs) or list(DEFAULT_OPTIMIZERS)
    default_lr = default_lr or {}
    built = [
        (
            spec,
            *build_optimizer(
                spec, surface, steps=steps, default_lr=default_lr.get(parse_spec(spec)[0])
            ),
        )
        for spec in specs
    ]
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


def lr_sources(
    specs: Sequence[str], surface=None, *, steps: int | None = None
) -> dict[str, str]:
    """How each SPEC's learning rate was chosen, in words, by the labels of
    :func:`build_optimizers` (for sidecars and footnotes)."""
    specs = list(specs) or list(DEFAULT_OPTIMIZERS)
    labels = list(build_optimizers(specs, surface, steps=steps))
    out = {}
    for label, spec in zip(labels, specs):
        name, kwargs = parse_spec(spec)
        if "lr" in kwargs:
            out[label] = "set in the SPEC"
        elif surface is not None:
            out[label] = f"{surface.name}'s default for {name}"
        else:
            out[label] = f"{name}'s default"
    return out
