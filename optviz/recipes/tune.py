"""The fair comparison protocol (:func:`optviz.tuning.tune_suite`) as figures: the
winner by budget and, over several surfaces, the performance profiles; and the tuned
settings reused by the other recipes (:func:`tuned_optimizers`)."""

from __future__ import annotations

from typing import Mapping, Sequence

from .result import SEPARATOR, Progress, Result

__all__ = [
    "tune",
    "tuned_optimizers",
    "tuned_choose",
    "tuned_specs",
    "TUNED_RECORD",
    "load_tuned",
    "leaderboard_markdown",
]

#: The record's file inside a ``optviz tune --out DIR``.
TUNED_RECORD = "tuned.npz"


def tune(
    surfaces: Sequence | None = None,
    specs: Sequence[str] = (),
    *,
    grids: Mapping[str, Sequence[float]] | None = None,
    starts: int | None = None,
    budgets: Sequence[int] | None = None,
    objective: str = "steps",
    seed: int = 0,
    record=None,
    progress: Progress | None = None,
    runner=None,
) -> Result:
    """Tune ``specs`` (default: the five) on ``surfaces`` (default: all) by the
    protocol, or draw ``record``. ``Result.figure`` is the winner by budget;
    ``Result.extra["profile"]`` the performance profiles (several surfaces only)."""
    from ..optimizers import DEFAULT_OPTIMIZERS
    from ..plot.tuning import budget_figure, profile_figure
    from ..tuning import DEFAULT_BUDGETS, DEFAULT_STARTS, tune_suite

    if record is None:
        record = tune_suite(
            surfaces,
            list(specs) or list(DEFAULT_OPTIMIZERS),
            grids=grids,
            starts=DEFAULT_STARTS if starts is None else starts,
            budgets=DEFAULT_BUDGETS if budgets is None else budgets,
            objective=objective,
            seed=seed,
            progress=progress,
            runner=runner,
        )
        record.meta["figure"] = {"recipe": "tune"}
    extra = {}
    if len(record.surfaces) > 1:
        extra["profile"] = profile_figure(record)
    return Result(budget_figure(record), record, record.sidecar(), extra=extra)


def load_tuned(path):
    """The :class:`~optviz.records.Tuned` record of ``optviz tune --out DIR`` (``path``
    the folder or the record file)."""
    from pathlib import Path

    from ..records import Tuned

    path = Path(path)
    return Tuned.load(path / TUNED_RECORD if path.is_dir() else path)


def _budget_for(tuned, budget: int | None) -> int:
    """The largest budget tuned that is not above ``budget`` (else the smallest)."""
    fits = [b for b in tuned.budgets if budget is None or b <= budget]
    return max(fits) if fits else tuned.budgets[0]


def _choices(tuned, surface, labels, budget):
    name = getattr(surface, "name", surface)
    if name not in tuned.surfaces:
        raise ValueError(
            f"the tuned settings are for {', '.join(tuned.surfaces)}, not {name}; "
            f"run optviz tune {name} first"
        )
    b = _budget_for(tuned, budget)
    out = {}
    for label in labels:
        try:
            out[label] = tuned.choice(tuned[name, label], b)
        except KeyError:
            out[label] = {"index": None}
    return out, b


def _note(tuned, b, choices) -> str:
    kept = [lb for lb, c in choices.items() if c["index"] is None]
    edges = [lb for lb, c in choices.items() if c.get("status") == "edge"]
    parts = ["Tuned settings (optviz tune)", *tuned.rule_parts(b)]
    if kept:
        parts.append("not tuned there, as given: " + ", ".join(kept))
    if edges:
        parts.append("at a grid edge (not a proven best): " + ", ".join(edges))
    return SEPARATOR.join(parts)


def tuned_optimizers(tuned, surface, optimizers: Mapping, budget: int | None = None):
    """``(optimizers, note)``: each of ``optimizers`` (label -> Optimizer) at its tuned
    settings for ``surface`` and ``budget`` from record ``tuned`` (the largest budget
    tuned not above ``budget``; the smallest when none is). An optimizer the record
    did not tune, or tuned without success, keeps its settings; the note (for a
    footnote) says which, and names one at a grid edge."""
    from ..tuning import with_values

    choices, b = _choices(tuned, surface, list(optimizers), budget)
    out = {}
    for label, opt in optimizers.items():
        c = choices[label]
        out[label] = opt if c["index"] is None else with_values(opt, c["settings"])
    return out, _note(tuned, b, choices)


def tuned_choose(tuned, notes: list):
    """A ``choose(specs, surface, steps)`` for :func:`.common.surface_run`: the SPECs
    built, then set to their tuned settings for the run's steps; the note is appended
    to ``notes``."""
    from .common import build

    def choose(specs, surface, steps):
        optimizers, _ = build(specs, surface, steps)
        optimizers, note = tuned_optimizers(tuned, surface, optimizers, steps)
        notes.append(note)
        return optimizers, {label: "tuned (optviz tune)" for label in optimizers}

    return choose


def _spec_text(value) -> str:
    """A SPEC's value: a float exactly (repr), a pair as ``a/b``, a word as it is."""
    if isinstance(value, (tuple, list)):
        return "/".join(_spec_text(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return repr(float(value))
    return str(value)


def tuned_specs(tuned, surface, specs: Sequence[str], budget: int | None = None):
    """``(specs, note)``: SPEC strings (``momentum:lr=0.177,momentum=0.369``) of
    ``specs`` (default: the five) at their tuned settings, for the explorer page."""
    from ..optimizers import DEFAULT_OPTIMIZERS
    from ..spec import parse_spec

    specs = list(specs) or list(DEFAULT_OPTIMIZERS)
    labels = [parse_spec(s)[0] for s in specs]
    choices, b = _choices(tuned, surface, labels, budget)
    out = []
    for spec, label in zip(specs, labels):
        c = choices[label]
        if c["index"] is None:
            out.append(spec)
            continue
        given = dict(parse_spec(spec)[1])
        settings = dict(c["settings"])
        if "rho1" in settings or "rho2" in settings:
            betas = list(given.get("betas", (0.9, 0.999)))
            betas[0] = settings.pop("rho1", betas[0])
            betas[1] = settings.pop("rho2", betas[1])
            given["betas"] = tuple(betas)
        given.update(settings)
        text = ",".join(f"{k}={_spec_text(v)}" for k, v in given.items())
        out.append(f"{label}:{text}")
    return out, _note(tuned, b, choices)


def _cell(value) -> str:
    return str(value).replace("|", "/")


def leaderboard_markdown(tuned) -> str:
    """The leaderboard to read: the protocol, the winner by budget, then one row per
    surface, optimizer and budget (settings in the notes' symbols)."""
    import math

    from ..notation import assignments
    from ..plot.tuning import value_text

    lines = ["# Leaderboard", "", tuned.rule().replace("; ", "  \n") + "", ""]
    lines += [
        "## Winner by budget",
        "",
        "| surface | " + " | ".join(str(b) for b in tuned.budgets) + " |",
        "|---" * (len(tuned.budgets) + 1) + "|",
    ]
    winners = tuned.winners()
    for surface in tuned.surfaces:
        rows = winners[winners.surface == surface]
        cells = []
        for row in rows.itertuples():
            who = row.winner or "none"
            if row.winner == "tie":
                who = "tie: " + row.tied
            elif row.winner:
                who += f" ({value_text(tuned.objective, row.value)})"
            cells.append(_cell(who))
        lines.append(f"| {surface} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Every optimizer",
        "",
        "| surface | optimizer | budget | settings | value | solved | status "
        "| ties | failed starts | diverged starts |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in tuned.leaderboard().itertuples():
        settings = {k: getattr(row, k) for k in tuned.hyper_columns()}
        shown = assignments({k: v for k, v in settings.items() if not math.isnan(v)})
        status = row.status + (f" ({row.edge})" if row.edge else "")
        lines.append(
            f"| {row.surface} | {_cell(row.label)} | {row.budget} | {shown or '-'} | "
            f"{value_text(tuned.objective, row.value)} | {'yes' if row.solved else 'no'} "
            f"| {status} | {row.ties} | {row.failures} | {row.diverged} |"
        )
    return "\n".join(lines) + "\n"
