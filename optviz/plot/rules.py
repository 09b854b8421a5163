r"""The update rules as figures: ``update-rules`` and ``explain-step``.

:func:`update_rules_figure` sets the five rules side by side in the notes' notation,
each with what it adds to the one before, and says where the notes are wrong (Adagrad's
``r`` is a sum; Adam's defaults are 0.9/0.999, read from :class:`~optviz.optimizers.Adam`).

:func:`explain_step_figure` takes one step of each optimizer at a point of a surface and
draws it as vectors (``g``, ``v``, ``ŝ``, the step ``Δw``) with every equation filled in
with its numbers. The numbers come from running the optimizer classes one step and
reading ``opt.state[0]`` (:func:`one_step`), never from the formulas again here.

Both are drawn in English; :func:`optviz.plot.i18n.localize` turns them into Chinese
(their sentences are in ``locale/zh/rules.json``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..optimizers import SGD, Adagrad, Adam, Momentum, RMSprop
from ._figure import Figure
from .contours import draw_surface
from .style import color, style, title

__all__ = [
    "RULES",
    "StepRecord",
    "one_step",
    "update_rules_figure",
    "explain_step_figure",
    "example_figures",
]


def _defaults(cls) -> dict:
    return dict(cls.defaults)


def _rules() -> list[tuple[str, list[str], str, str]]:
    """(name, equations, what it adds, a note) for each of the five, in the notes'
    order; defaults read from the classes."""
    beta = _defaults(Momentum)["momentum"]
    rho = _defaults(RMSprop)["rho"]
    rho1, rho2 = _defaults(Adam)["betas"]
    eps = _defaults(Adam)["eps"]
    return [
        (
            "sgd",
            [r"$w \leftarrow w - \alpha\, g$"],
            "the plain step: the learning rate times the gradient, downhill",
            "",
        ),
        (
            "momentum",
            [r"$v \leftarrow \beta\, v - \alpha\, g$", r"$w \leftarrow w + v$"],
            "a velocity v: past steps keep pushing, so a ravine's zig-zag cancels "
            "and the way along it adds up",
            f"default β = {beta:g}",
        ),
        (
            "adagrad",
            [
                r"$r \leftarrow r + g^2$",
                r"$w \leftarrow w - \dfrac{\alpha}{\sqrt{r} + \delta}\, g$",
            ],
            "a learning rate per coordinate: r accumulates g², and coordinates with "
            "large gradients take smaller steps",
            "r is a running sum, not the moving average the notes say: it only grows, "
            "so the step keeps shrinking",
        ),
        (
            "rmsprop",
            [
                r"$r \leftarrow \rho\, r + (1-\rho)\, g^2$",
                r"$w \leftarrow w - \dfrac{\alpha}{\sqrt{r} + \delta}\, g$",
            ],
            "forgetting: r becomes a moving average of g², so the step no longer "
            "shrinks for ever",
            f"default ρ = {rho:g}",
        ),
        (
            "adam",
            [
                r"$s \leftarrow \rho_1 s + (1-\rho_1)\, g$",
                r"$r \leftarrow \rho_2 r + (1-\rho_2)\, g^2$",
                r"$\hat s = s/(1-\rho_1^t), \quad \hat r = r/(1-\rho_2^t)$",
                r"$w \leftarrow w - \dfrac{\alpha\, \hat s}{\sqrt{\hat r} + \delta}$",
            ],
            "momentum's memory as a moving average s of g, over RMSprop's r; both start "
            "at 0 and are corrected for it",
            f"defaults ρ1 = {rho1:g}, ρ2 = {rho2:g}, δ = {eps:g} (the notes say 0.9 "
            "or 0.99)",
        ),
    ]


#: The rules as drawn: (optimizer, equations, what it adds, note).
RULES = _rules()
#: The colour of a note saying where the notes are wrong.
NOTES_WRONG = "#A0301B"
FOOT = (
    "notation of the notes: g gradient, α learning rate, β momentum factor, v velocity, "
    "r second moment, s first moment, ρ decay rate, δ small constant, t step count"
)


def update_rules_figure(*, figsize=(15, 10)) -> Figure:
    """The five update rules, one row each, with what each adds to the one before."""
    with style():
        fig = Figure(figsize=figsize)
        fig.suptitle("Five update rules, each adding one idea to the one before")
        heights = [max(1, len(eqs)) + 0.6 for _, eqs, _, _ in RULES]
        top, bottom = 0.9, 0.06
        unit = (top - bottom) / sum(heights)
        y = top
        for name, eqs, adds, note in RULES:
            h = (max(1, len(eqs)) + 0.6) * unit
            fig.add_artist(_rule_line(fig, y - h + 0.15 * unit))
            fig.text(0.03, y - 0.5 * unit, title(name), color=color(name), size=17,
                     weight="bold", va="center")  # fmt: skip
            for i, eq in enumerate(eqs):
                fig.text(0.17, y - (i + 0.5) * unit, eq, size=16, va="center")
            fig.text(0.52, y - 0.5 * unit, adds, size=13, va="top", wrap=True)
            if note:
                fig.text(0.52, y - h + 0.35 * unit, note, size=13, va="bottom",
                         color=NOTES_WRONG if "notes" in note else "0.3",
                         wrap=True)  # fmt: skip
            y -= h
        fig.text(0.03, 0.025, FOOT, size=12, color="0.35")
    return fig


def _rule_line(fig, y):
    from matplotlib.lines import Line2D

    return Line2D([0.03, 0.97], [y, y], transform=fig.transFigure, color="0.8", lw=1)


# -- one step, explained ------------------------------------------------------------
@dataclass
class StepRecord:
    """One step of one optimizer at ``w``, as the optimizer itself recorded it."""

    name: str
    hyper: dict
    w: np.ndarray  # (2,) before the step
    g: np.ndarray  # (2,) the gradient at w
    w_new: np.ndarray  # (2,) after the step
    before: dict  # the state's vectors before the step (zeros on a fresh optimizer)
    after: dict  # ... and after it: v; r; s, r, s_hat
    t: int
    effective_lr: np.ndarray  # (2,) what multiplies g (s_hat for Adam)
    divisors: tuple = ()  # Adam: its bias-correction divisors (1 - rho1^t, 1 - rho2^t)

    @property
    def step(self) -> np.ndarray:
        return self.w_new - self.w


_STATE = {"momentum": ("v",), "adagrad": ("r",), "rmsprop": ("r",), "adam": ("s", "r")}


#: The notes' form of each rule: the settings :func:`equations` writes out.
NOTES_FORM = {
    "sgd": {},
    "momentum": {"nesterov": False, "form": "notes"},
    "adagrad": {"initial_accumulator_value": 0.0, "eps_inside_sqrt": False},
    "rmsprop": {"momentum": 0.0, "centered": False, "eps_inside_sqrt": False},
    "adam": {
        "weight_decay": 0.0,
        "amsgrad": False,
        "bias_correction": True,
        "eps_inside_sqrt": False,
    },
}


def _check_notes_form(opt) -> None:
    """``opt`` must be one of the five in the notes' form, with scalar settings."""
    if opt.name not in NOTES_FORM:
        raise ValueError(f"explain-step draws {', '.join(NOTES_FORM)}; got {opt.name}")
    hyper = opt.hyperparameters()
    for key in ("lr", "momentum", "rho", "eps", "betas"):
        if key not in hyper:
            continue
        value = hyper[key]
        numbers = value if key == "betas" else [value]
        if not all(isinstance(v, (int, float)) for v in numbers):
            raise ValueError(
                f"explain-step needs a constant scalar {key} for {opt.name}, got {value!r}"
            )
    for key, want in NOTES_FORM[opt.name].items():
        if hyper[key] != want:
            raise ValueError(
                f"explain-step writes the notes' form: {opt.name} needs {key}={want!r}, "
                f"got {hyper[key]!r}"
            )


def one_step(opt, surface, w) -> StepRecord:
    """Run ``opt`` one step from ``w`` on ``surface``; read what it did from its state."""
    _check_notes_form(opt)
    w = np.array(w, dtype=float)
    g = np.asarray(surface.grad(w), dtype=float)
    fields = _STATE.get(opt.name, ())
    before = {k: np.zeros(2) for k in fields}
    if opt.state:
        before = {k: np.array(getattr(opt.state[0], k), dtype=float) for k in fields}
    params = w.copy()
    opt.step(params, g.copy())
    state = opt.state[0]
    after = {k: np.array(getattr(state, k), dtype=float) for k in fields}
    divisors = ()
    if opt.name == "adam":
        divisors = tuple(float(d) for d in opt._corrections(state.t))  # Adam's own
        after["s_hat"] = after["s"] / divisors[0]
        after["r_hat"] = after["r"] / divisors[1]
    return StepRecord(
        opt.name, opt.hyperparameters(), w, g, params, before, after, state.t,
        np.asarray(opt.effective_lr(), dtype=float), divisors,
    )  # fmt: skip


def _num(x: float) -> str:
    text = f"{x:.3g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        return rf"{mantissa}\times 10^{{{int(exp)}}}"
    return "0" if text == "-0" else text


def _vec(v) -> str:
    return r"\left(" + ",\\ ".join(_num(float(x)) for x in v) + r"\right)"


def equations(rec: StepRecord) -> list[str]:
    """The rule of ``rec``'s optimizer, every symbol replaced by its number."""
    h, g, w = rec.hyper, _vec(rec.g), _vec(rec.w)
    alpha, new = _num(h["lr"]), _vec(rec.w_new)
    lines = [rf"$g = \nabla f(w) = \nabla f{w} = {g}$"]
    if rec.name == "sgd":
        lines.append(rf"$w \leftarrow w - \alpha g = {w} - {alpha}\cdot{g} = {new}$")
    elif rec.name == "momentum":
        v0, v = _vec(rec.before["v"]), _vec(rec.after["v"])
        beta = _num(h["momentum"])
        lines += [
            rf"$v \leftarrow \beta v - \alpha g = {beta}\cdot{v0} - {alpha}\cdot{g} = {v}$",
            rf"$w \leftarrow w + v = {w} + {v} = {new}$",
        ]
    elif rec.name in ("adagrad", "rmsprop"):
        r0, r = _vec(rec.before["r"]), _vec(rec.after["r"])
        eff = _vec(rec.effective_lr)
        if rec.name == "adagrad":
            lines.append(rf"$r \leftarrow r + g^2 = {r0} + {g}^2 = {r}$")
        else:
            rho = _num(h["rho"])
            one = _num(1 - h["rho"])
            lines.append(rf"$r \leftarrow \rho r + (1-\rho) g^2 = {rho}\cdot{r0} + {one}"
                         rf"\cdot{g}^2 = {r}$")  # fmt: skip
        lines += [
            rf"$\alpha/(\sqrt{{r}}+\delta) = {alpha}/(\sqrt{{{r}}} + {_num(h['eps'])})"
            rf" = {eff}$",
            rf"$w \leftarrow w - \dfrac{{\alpha}}{{\sqrt{{r}}+\delta}}\, g = {w} - {eff}"
            rf"\odot{g} = {new}$",
        ]
    elif rec.name == "adam":
        rho1, rho2 = h["betas"]
        s0, s = _vec(rec.before["s"]), _vec(rec.after["s"])
        r0, r = _vec(rec.before["r"]), _vec(rec.after["r"])
        s_hat, r_hat = _vec(rec.after["s_hat"]), _vec(rec.after["r_hat"])
        eff, t = _vec(rec.effective_lr), rec.t
        d1, d2 = (_num(d) for d in rec.divisors)
        lines += [
            rf"$s \leftarrow \rho_1 s + (1-\rho_1) g = {_num(rho1)}\cdot{s0} + "
            rf"{_num(1 - rho1)}\cdot{g} = {s}$",
            rf"$r \leftarrow \rho_2 r + (1-\rho_2) g^2 = {_num(rho2)}\cdot{r0} + "
            rf"{_num(1 - rho2)}\cdot{g}^2 = {r}$",
            rf"$t = {t}: \quad \hat s = s/(1-\rho_1^t) = {s}/{d1} = {s_hat}, \quad "
            rf"\hat r = r/(1-\rho_2^t) = {r}/{d2} = {r_hat}$",
            rf"$\alpha/(\sqrt{{\hat r}}+\delta) = {_num(h['lr'])}/(\sqrt{{{r_hat}}} + "
            rf"{_num(h['eps'])}) = {eff}$",
            rf"$w \leftarrow w - \dfrac{{\alpha}}{{\sqrt{{\hat r}}+\delta}}\,\hat s = "
            rf"{w} - "
            rf"{eff}\odot{s_hat} = {new}$",
        ]
    return lines


#: The vectors each optimizer's panel shows: (what, colour, label).
VECTORS = {
    "g": ("#555555", "gradient $g$ (drawn as $-g$, downhill)"),
    "v": ("#E69F00", "velocity $v$"),
    "s_hat": ("#56B4E9", r"$-\hat s$ (bias-corrected first moment)"),
    "step": ("#000000", r"the step $\Delta w$"),
}
#: What each optimizer's first step teaches.
LESSONS = {
    "sgd": "the step is α times the gradient",
    "momentum": "from rest, v is the SGD step; later steps add β times the last one",
    "adagrad": "dividing by √r leaves the sign of g: both coordinates move about α",
    "rmsprop": (
        "r holds only (1 − ρ) g², so the first step is about α/√(1 − ρ) per coordinate"
    ),
    "adam": "the first ŝ/√r̂ is ±1: Adam's first step moves α in each coordinate",
}


def _arrows(ax, rec: StepRecord):
    """-g, v, -s_hat and the step from w, on one scale: the longest fills the panel."""
    vecs = {"g": -rec.g, "step": rec.step}
    if "v" in rec.after:
        vecs["v"] = rec.after["v"]
    if "s_hat" in rec.after:
        vecs["s_hat"] = -rec.after["s_hat"]
    # -g and -s_hat are not displacements: drawn at the length of the step's scale
    longest = max(float(np.hypot(*v)) for k, v in vecs.items() if k in ("step", "v"))
    for key in ("g", "s_hat"):
        if key in vecs:
            n = float(np.hypot(*vecs[key]))
            vecs[key] = vecs[key] / n * longest * 1.3 if n > 0 else vecs[key]
    for key in ("g", "s_hat", "v", "step"):
        if key not in vecs:
            continue
        c, label = VECTORS[key]
        ax.annotate(
            "", xy=rec.w + vecs[key], xytext=rec.w,
            arrowprops={"arrowstyle": "-|>", "color": c, "lw": 5 if key == "v" else 2,
                        "shrinkA": 0, "shrinkB": 0, "mutation_scale": 16},
        )  # fmt: skip
        ax.plot([], [], color=c, lw=2, label=label)
    reach = 1.45 * longest
    ax.set_xlim(rec.w[0] - reach, rec.w[0] + reach)
    ax.set_ylim(rec.w[1] - reach, rec.w[1] + reach)
    ax.set_aspect("equal")
    ax.plot(*rec.w, "o", color="k", ms=5, zorder=5)


class _Window:
    """A surface seen through a square window (draw_surface draws over a domain)."""

    def __init__(self, surface, centre, half):
        self._surface = surface
        self.domain = (
            (centre[0] - half, centre[0] + half),
            (centre[1] - half, centre[1] + half),
        )

    def __getattr__(self, name):
        return getattr(self._surface, name)


def explain_step_figure(surface, point, optimizers=None, *, figsize=(13, 17)) -> Figure:
    """One step of each optimizer from ``point`` on ``surface``, drawn and written out.

    ``optimizers``: optimizer instances (fresh, or carrying state to show a later step);
    by default the five at the surface's own learning rates.
    """
    point = np.asarray(point, dtype=float)
    if point.shape != (2,) or not np.all(np.isfinite(point)):
        raise ValueError(f"point must be two finite numbers (x, y), got {point.tolist()}")
    if optimizers is None:
        optimizers = [
            SGD(lr=surface.lr.get("sgd", 0.01)),
            Momentum(lr=surface.lr.get("momentum", 0.01)),
            Adagrad(lr=surface.lr.get("adagrad", 0.1)),
            RMSprop(lr=surface.lr.get("rmsprop", 0.01)),
            Adam(lr=surface.lr.get("adam", 0.01)),
        ]
    records = [one_step(opt, surface, point) for opt in optimizers]
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        fig.suptitle(
            f"One step of each optimizer from w = ({point[0]:g}, {point[1]:g}) on "
            f"{surface.title}"
        )
        rows = fig.subfigures(len(records), 1)
        handles = {}
        for sub, rec in zip(np.atleast_1d(rows), records):
            ax, text = sub.subplots(1, 2, width_ratios=[1, 3.4])
            reach = 1.45 * max(float(np.hypot(*rec.step)), 1e-12)
            draw_surface(ax, _Window(surface, rec.w, 3 * reach), lines=True)
            _arrows(ax, rec)
            handles.update(zip(*reversed(ax.get_legend_handles_labels())))
            ax.set_title(title(rec.name), color=color(rec.name), weight="bold", loc="left")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel("")
            ax.set_ylabel("")
            text.axis("off")
            text.set_title(LESSONS[rec.name], loc="left", size=13, color="0.3")
            lines = equations(rec)
            for i, line in enumerate(lines):
                y = 1 - (i + 0.5) / max(len(lines), 6)
                text.text(0, y, line, va="center", size=14, transform=text.transAxes)
        order = [VECTORS[k][1] for k in ("g", "v", "s_hat", "step")]
        labels = [label for label in order if label in handles]
        fig.legend([handles[label] for label in labels], labels, loc="outside lower center",
                   ncols=len(labels), frameon=False)  # fmt: skip
    return fig


def example_figures() -> dict[str, Figure]:
    """The two figures as the gallery draws them (quadratic bowl, κ = 10)."""
    from optviz.surfaces import get

    surface = get("quadratic")
    opts = [SGD(lr=0.1), Momentum(lr=0.1), Adagrad(lr=0.5), RMSprop(lr=0.05), Adam(lr=0.5)]
    return {
        "update-rules.png": update_rules_figure(),
        "explain-step.png": explain_step_figure(surface, (-3.0, 0.2), opts),
    }
