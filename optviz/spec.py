"""Optimizer SPECs: ``NAME`` or ``NAME:KEY=VALUE[,KEY=VALUE...]``, parsed without eval.

Values are numbers (``0.05``, ``1e-3``), booleans (``true``/``false``), tuples written
with slashes (``betas=0.9/0.999``) or words (``form=pytorch``). A key given twice is an
error. :data:`ALIASES` name common variants: ``amsgrad`` is ``adam:amsgrad=true``.

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

from typing import Mapping, Sequence

from ._checks import UnknownName, check_int, did_you_mean
from .classical import CLASSICAL, ClassicalMethod
from .optimizers import DEFAULT_OPTIMIZERS, OPTIMIZERS, Optimizer
from .schedules import MAX_STEPS, SCHEDULES, make_schedule

__all__ = [
    "parse_spec",
    "build_optimizer",
    "build_optimizers",
    "allowed_keys",
    "SCHEDULE_KEYS",
    "split_schedule",
    "lr_sources",
    "ALIASES",
    "expand_alias",
    "MAX_SHOWN",
    "surface_lr",
]

#: The SPEC keys that make a learning-rate schedule (every optimizer takes them).
SCHEDULE_KEYS = ("schedule", "warmup", "gamma", "step_size", "min_lr", "total_steps")


#: Other names for an optimizer with keys set: ``-o amsgrad`` is ``-o adam:amsgrad=true``.
ALIASES: dict[str, str] = {"amsgrad": "adam:amsgrad=true"}
#: A SPEC longer than this is shown cut in error messages.
MAX_SHOWN = 80


def _shown(text: str) -> str:
    """``text`` quoted, cut to about :data:`MAX_SHOWN` characters."""
    if len(text) <= MAX_SHOWN:
        return repr(text)
    return repr(text[: MAX_SHOWN - 20]) + f"... ({len(text):,} characters)"


def expand_alias(spec: str) -> str:
    """The SPEC with an alias replaced by what it stands for (``amsgrad:lr=0.1`` ->
    ``adam:amsgrad=true,lr=0.1``); other SPECs unchanged."""
    name, colon, rest = spec.partition(":")
    target = ALIASES.get(name.strip().lower())
    if target is None:
        return spec
    return f"{target},{rest}" if rest.strip() else target


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


#: What people call the SPEC's keys elsewhere (torch, papers, the notes' symbols):
#: the key a "did you mean" offers for each.
KEY_SYNONYMS = {
    "learning_rate": "lr",
    "learningrate": "lr",
    "alpha": "lr",  # the notes' α (never a key: torch's RMSprop alpha means ρ)
    "α": "lr",
    "beta": "momentum",  # the notes' β
    "β": "momentum",
    "beta1": "betas",
    "beta2": "betas",
    "beta_1": "betas",
    "beta_2": "betas",
    "rho1": "betas",
    "rho2": "betas",
    "epsilon": "eps",
    "delta": "eps",  # the notes' δ
    "δ": "eps",
    "decay": "weight_decay",
    "wd": "weight_decay",
    "warm_up": "warmup",
    "warmup_steps": "warmup",
    "scheduler": "schedule",
    "lr_schedule": "schedule",
}


#: A message longer than this names where the allowed names are listed instead of
#: listing them (errors stay one line of at most MAX_MESSAGE characters).
MAX_LISTED = 230


def _unknown(kind: str, name: str, known, aliases=()) -> UnknownName:
    close = did_you_mean(name, list(known) + list(aliases), KEY_SYNONYMS)
    close = [f"{c} (= {ALIASES[c]})" if c in ALIASES else c for c in close]
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    allowed = ", ".join(known)
    also = ""
    if aliases:
        also = "; aliases: " + ", ".join(f"{a} = {ALIASES[a]}" for a in aliases)
    head = f"unknown {kind} {_shown(name)}.{hint}"
    if len(head) + len(allowed) + len(also) + 10 > MAX_LISTED:  # one line: name the list
        where = "optviz list" if kind == "optimizer" else "--help"
        allowed = f"the {len(known)} names of {where}"
    return UnknownName(f"{head} Allowed: {allowed}{also}")


def allowed_keys(name: str) -> list[str]:
    """The keyword hyper-parameters of optimizer ``name`` (its ``defaults``), or a
    classical method's options (:data:`optviz.classical.CLASSICAL`)."""
    if name in CLASSICAL:
        return list(CLASSICAL[name][1])
    return list(OPTIMIZERS[name].defaults)


def parse_spec(spec: str) -> tuple[str, dict]:
    """Split a SPEC into the optimizer's name and its keyword values.

    >>> parse_spec("amsgrad:lr=0.1")
    ('adam', {'amsgrad': True, 'lr': 0.1})
    """
    if not isinstance(spec, str):
        kind = type(spec).__name__
        raise ValueError(f"a SPEC is a string NAME[:KEY=VALUE,...], got {kind}")
    name, _, rest = expand_alias(spec).partition(":")
    name = name.strip().lower()
    if name not in OPTIMIZERS and name not in CLASSICAL:
        raise _unknown("optimizer", name, list(OPTIMIZERS) + list(CLASSICAL), list(ALIASES))
    keys = allowed_keys(name) + ([] if name in CLASSICAL else list(SCHEDULE_KEYS))
    kwargs = {}
    for item in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, text = item.partition("=")
        key = key.strip()
        if not eq or not text.strip():
            raise ValueError(f"in {_shown(spec)}: {_shown(item)} is not KEY=VALUE")
        if key not in keys:
            raise _unknown(f"key for {name}", key, keys)
        if key in kwargs:
            raise ValueError(f"in {_shown(spec)}: {key} is given twice")
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
        raise UnknownName(f"schedule must be one of {', '.join(SCHEDULES)}; got {name!r}")
    warmup = keys.pop("warmup", None)
    if warmup is not None:
        warmup = check_int("warmup", warmup, low=1, high=MAX_STEPS)
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
    if name in CLASSICAL:
        try:
            return name, ClassicalMethod(name, **kwargs)
        except ValueError as exc:
            raise ValueError(f"in {_shown(spec)}: {exc}") from None
    kwargs, sched = split_schedule(kwargs)
    cls = OPTIMIZERS[name]
    if "lr" not in kwargs and default_lr is not None:
        kwargs["lr"] = default_lr
    elif "lr" not in kwargs and surface is not None:
        kwargs["lr"] = surface_lr(surface, name)
    try:
        if sched:
            if steps is None and surface is not None:
                steps = surface.steps
            kwargs["lr"] = _schedule(kwargs.get("lr", cls.defaults["lr"]), sched, steps)
        return name, cls(**kwargs)
    except (TypeError, ValueError, OverflowError) as exc:
        # TypeError: a tuple where a number belongs, or the reverse
        kind = UnknownName if isinstance(exc, UnknownName) else ValueError
        raise kind(f"in {_shown(spec)}: {exc}") from None


def surface_lr(surface, name: str) -> float:
    """The surface's learning rate for optimizer ``name``: its own if the surface
    lists one, else its family's (nesterov -> momentum, adamw -> adam)."""
    if name in surface.lr:
        return surface.lr[name]
    return surface.default_lr(OPTIMIZERS[name].family)


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
    specs = [expand_alias(s) for s in specs] or list(DEFAULT_OPTIMIZERS)
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
            raise ValueError(f"optimizer {_shown(spec)} is given twice")
        out[label] = opt
    return out


def lr_sources(
    specs: Sequence[str], surface=None, *, steps: int | None = None
) -> dict[str, str]:
    """How each SPEC's learning rate was chosen, in words, by the labels of
    :func:`build_optimizers` (for sidecars and footnotes)."""
    specs = [expand_alias(s) for s in specs] or list(DEFAULT_OPTIMIZERS)
    labels = list(build_optimizers(specs, surface, steps=steps))
    out = {}
    for label, spec in zip(labels, specs):
        name, kwargs = parse_spec(spec)
        if name in CLASSICAL:
            out[label] = "none (a classical method)"
        elif "lr" in kwargs:
            out[label] = "set in the SPEC"
        elif surface is not None:
            out[label] = f"{surface.name}'s default for {name}"
        else:
            out[label] = f"{name}'s default"
    return out
