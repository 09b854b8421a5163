"""Fuzzed figures: random but valid option sets for compare, animate (a few frames),
lr, sweep and map, each figure checked with the projector rules
(:mod:`optviz.plot.projector`): axes within 15% of their data, no text over text or
over a data line or marker, no text outside the figure, labels unique, every text at
least 20 px high at 1920 px wide.

The default tier runs a few examples (derandomized: the same ones every run); the slow
tier many more. A failing example hypothesis finds is kept below as an ``@example``.
Options of the figure itself (size, style) plug in through :data:`FIGURE_OPTIONS`.
"""

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from optviz import recipes
from optviz.plot.i18n import localize
from optviz.plot.projector import check
from optviz.surfaces import SURFACES

#: The rules every command's figure keeps (issue 24).
RULES = (
    "small-text",
    "text-overlap",
    "text-on-data",
    "text-outside",
    "stretched-axis",
    "duplicate-label",
)
#: Surfaces drawn from a formula (linear_regression needs data).
SURFACE_NAMES = sorted(n for n in SURFACES if n != "linear_regression")
COMMANDS = ("compare", "animate", "lr", "sweep", "map")
#: Keyword -> strategy of a figure option every command takes (size, style, ...): add
#: one here when a command learns it, and every fuzzed figure is drawn with it.
FIGURE_OPTIONS: dict = {}


def _lr():
    return st.sampled_from(["1e-4", "0.001", "0.003", "0.01", "0.05", "0.2"])


#: Optimizer -> strategies of its settings (a SPEC's keys).
SETTINGS = {
    "sgd": {},
    "momentum": {
        "momentum": st.sampled_from(["0.5", "0.9", "0.99"]),
        "nesterov": st.just("true"),
    },
    "nesterov": {"momentum": st.sampled_from(["0.5", "0.95"])},
    "adagrad": {"initial_accumulator_value": st.just("0.1"), "eps": st.just("1e-6")},
    "rmsprop": {
        "centered": st.just("true"),
        "momentum": st.just("0.9"),
        "rho": st.just("0.9"),
    },
    "adam": {
        "bias_correction": st.just("false"),
        "amsgrad": st.just("true"),
        "betas": st.sampled_from(["0.8/0.99", "0.5/0.9"]),
        "weight_decay": st.just("0.1"),
    },
    "adamw": {"amsgrad": st.just("true"), "eps_inside_sqrt": st.just("true")},
}
SCHEDULES = st.sampled_from(
    [
        "",
        "schedule=cosine",
        "schedule=cosine,warmup=5",
        "schedule=step,step_size=10,gamma=0.5",
        "schedule=exponential,gamma=0.99",
        "warmup=5",
    ]
)


@st.composite
def specs(draw, max_size=8):
    """1-8 SPECs, repeats of one optimizer with different settings likely."""
    names = draw(st.lists(st.sampled_from(sorted(SETTINGS)), min_size=1, max_size=max_size))
    out = []
    for name in names:
        keys = [f"lr={draw(_lr())}"] if draw(st.booleans()) else []
        chosen = draw(st.sets(st.sampled_from(sorted(SETTINGS[name]) or [""])))
        keys += [f"{k}={draw(SETTINGS[name][k])}" for k in sorted(chosen) if k]
        schedule = draw(SCHEDULES)
        keys += [schedule] if schedule else []
        spec = name + (":" + ",".join(keys) if keys else "")
        if spec not in out:
            out.append(spec)
    return out


@st.composite
def cases(draw):
    command = draw(st.sampled_from(COMMANDS))
    options = {k: draw(v) for k, v in FIGURE_OPTIONS.items()}
    return {
        "command": command,
        "surface": draw(st.sampled_from(SURFACE_NAMES)),
        "specs": draw(specs(max_size=3 if command in ("sweep", "map") else 8)),
        "steps": draw(st.sampled_from([30, 60])),
        "lang": draw(st.sampled_from(["en", "zh"])),
        "view": draw(st.sampled_from(["2d", "3d"])) if command == "compare" else "2d",
        **options,
    }


def draw_case(case: dict):
    """The figure of one fuzzed option set (an animation's last frame)."""
    c = dict(case)
    command, surface, specs_, steps, lang = (
        c.pop(k) for k in ("command", "surface", "specs", "steps", "lang")
    )
    view = c.pop("view")
    if command == "compare":
        fig = recipes.compare(surface, specs_, steps=steps, view=view, **c).figure
    elif command == "animate":
        result = recipes.animate(surface, specs_, steps=steps, frames=3, lang=lang, **c)
        anim = result.animation
        anim.update(len(anim) - 1)
        return anim.fig
    elif command == "lr":
        fig = recipes.lr(surface, specs_, steps=steps, **c).figure
    elif command == "sweep":
        fig = recipes.sweep(surface, specs_, lrs=(1e-4, 0.3, 5), steps=steps, **c).figure
    else:
        fig = recipes.startmap(surface, specs_, grid=8, steps=steps, **c).figure
    return localize(fig, lang)


def _check(case):
    fig = draw_case(case)
    found = [str(v) for v in check(fig, rules=RULES)]
    assert found == [], f"{case}:\n" + "\n".join(found)


FUZZ = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)


# -- regression cases: failing examples found by the fuzzing, kept ------------------------
#: SGD and Momentum leave Rosenbrock's map at step 2, at one corner.
DIVERGING = [
    "sgd:lr=0.2",
    "adam:lr=0.2",
    "momentum:lr=0.05,momentum=0.99",
    "rmsprop:lr=0.2",
]


@example(  # the lr figure's footnote ran off the figure (one part longer than a line)
    {
        "command": "lr",
        "surface": "ackley",
        "specs": [
            "adagrad:lr=0.001,eps=1e-6,initial_accumulator_value=0.1",
            "sgd",
            "adagrad:schedule=exponential,gamma=0.99",
            "nesterov:lr=0.2,momentum=0.5",
            "nesterov",
            "rmsprop",
            "adamw:lr=1e-4,schedule=cosine",
            "adamw:lr=0.05,amsgrad=true,eps_inside_sqrt=true",
        ],
        "steps": 30,
        "lang": "en",
        "view": "2d",
    }
)
@example(
    {
        "command": "compare",
        "surface": "rosenbrock",
        "specs": ["adam", "adam:bias_correction=false"],
        "steps": 60,
        "lang": "en",
        "view": "2d",
    }
)
@example(  # a 3-D panel's z tick labels ran off the figure's right edge
    {
        "command": "compare",
        "surface": "bukin6",
        "specs": [
            "adam:schedule=exponential,gamma=0.99",
            "nesterov:lr=0.2,schedule=exponential,gamma=0.99",
            "rmsprop:centered=True,momentum=0.9,rho=0.9",
        ],
        "steps": 30,
        "lang": "en",
        "view": "3d",
    }
)
@example(  # 3-D tick labels ran into each other on a slanted axis (too many ticks)
    {
        "command": "compare",
        "surface": "six_hump_camel",
        "specs": [
            "nesterov:momentum=0.5,schedule=cosine",
            "momentum:lr=0.003,nesterov=True,schedule=step,step_size=10,gamma=0.5",
        ],
        "steps": 30,
        "lang": "en",
        "view": "3d",
    }
)
@example(  # 3-D tick labels ran into each other where the x and y axes meet
    {
        "command": "compare",
        "surface": "rosenbrock",
        "specs": [
            "sgd:schedule=exponential,gamma=0.99",
            "adam:betas=0.8/0.99,warmup=5",
            "adam:lr=1e-4,warmup=5",
        ],
        "steps": 30,
        "lang": "en",
        "view": "3d",
    }
)
@example(  # a 3-D tick label over another (Chinese)
    {
        "command": "compare",
        "surface": "monkey_saddle",
        "specs": ["rmsprop:lr=0.05,momentum=0.9,rho=0.9,schedule=cosine,warmup=5"],
        "steps": 60,
        "lang": "zh",
        "view": "3d",
    }
)
@example(  # seven 3-D panels: long labels over each other and off the figure
    {
        "command": "compare",
        "surface": "quadratic",
        "specs": [
            "sgd:schedule=exponential,gamma=0.99",
            "sgd:schedule=cosine,warmup=5",
            "rmsprop:schedule=cosine",
            "nesterov:lr=0.2,momentum=0.5,warmup=5",
            "rmsprop:lr=0.01,centered=True,momentum=0.9,rho=0.9,warmup=5",
            "rmsprop:centered=True,momentum=0.9,rho=0.9",
            "adam:amsgrad=True,betas=0.5/0.9,bias_correction=false,schedule=step,step_size=10,gamma=0.5",
        ],
        "steps": 30,
        "lang": "en",
        "view": "3d",
    }
)
@example(  # one 3-D panel with nine ticks a side: the labels ran into each other
    {
        "command": "compare",
        "surface": "six_hump_camel",
        "specs": ["adagrad"],
        "steps": 30,
        "lang": "en",
        "view": "3d",
    }
)
@example(  # eight 3-D panels (Chinese): panel titles over tick labels and each other
    {
        "command": "compare",
        "surface": "styblinski_tang",
        "specs": [
            "rmsprop:schedule=cosine",
            "sgd:warmup=5",
            "sgd:schedule=step,step_size=10,gamma=0.5",
            "adamw:lr=1e-4,schedule=cosine,warmup=5",
            "adamw:lr=0.01,schedule=cosine,warmup=5",
            "nesterov:lr=0.2,momentum=0.5",
            "momentum:nesterov=True,schedule=step,step_size=10,gamma=0.5",
            "adagrad:schedule=cosine,warmup=5",
        ],
        "steps": 60,
        "lang": "zh",
        "view": "3d",
    }
)
@example(  # a 3-D panel's long label (AMSGrad, schedule) over its neighbour's
    {
        "command": "compare",
        "surface": "six_hump_camel",
        "specs": [
            "adam:amsgrad=True,betas=0.8/0.99,schedule=cosine,warmup=5",
            "adagrad:lr=0.05,eps=1e-6,initial_accumulator_value=0.1,schedule=step,step_size=10,gamma=0.5",
            "sgd:schedule=cosine,warmup=5",
        ],
        "steps": 30,
        "lang": "en",
        "view": "3d",
    }
)
@example(  # a schedule on quadratic: its claims read the rate as a number (crashed)
    {
        "command": "compare",
        "surface": "quadratic",
        "specs": ["sgd:schedule=step,step_size=10,gamma=0.5"],
        "steps": 30,
        "lang": "en",
        "view": "3d",
    }
)
@example(  # one narrow start map: its title ran off the figure
    {
        "command": "map",
        "surface": "ackley",
        "specs": ["adagrad"],
        "steps": 30,
        "lang": "en",
        "view": "2d",
    }
)
@example(  # 3-D: the x axis' last tick label over the y axis' first
    {
        "command": "compare",
        "surface": "booth",
        "specs": ["adagrad"],
        "steps": 30,
        "lang": "en",
        "view": "3d",
    }
)
@example(  # an animation of one panel: its formula title ran off the figure
    {
        "command": "animate",
        "surface": "ackley",
        "specs": ["adagrad"],
        "steps": 30,
        "lang": "zh",
        "view": "2d",
    }
)
@example(  # an animation's legend: two momentum variants read alike
    {
        "command": "animate",
        "surface": "ackley",
        "specs": [
            "adagrad",
            "momentum:lr=0.05,momentum=0.9,schedule=step,step_size=10,gamma=0.5",
            "momentum:lr=0.05,schedule=step,step_size=10,gamma=0.5",
        ],
        "steps": 30,
        "lang": "en",
        "view": "2d",
    }
)
@example(  # an animation's legend label wider than its one panel
    {
        "command": "animate",
        "surface": "ackley",
        "specs": [
            "adagrad",
            "adam:amsgrad=true,betas=0.8/0.99,bias_correction=false,weight_decay=0.1",
        ],
        "steps": 30,
        "lang": "en",
        "view": "2d",
    }
)
@example(  # two runs off the map: their "diverged" notes over each other and a path
    {
        "command": "animate",
        "surface": "rosenbrock",
        "specs": DIVERGING,
        "steps": 30,
        "lang": "en",
        "view": "2d",
    }
)
@example(  # the same on compare's map
    {
        "command": "compare",
        "surface": "rosenbrock",
        "specs": DIVERGING,
        "steps": 30,
        "lang": "zh",
        "view": "2d",
    }
)
@example(  # eight SPECs: the lr footnote's packed line wider than the figure as drawn
    {
        "command": "lr",
        "surface": "ackley",
        "specs": [
            "sgd:schedule=step,step_size=10,gamma=0.5",
            "rmsprop:centered=true,momentum=0.9,rho=0.9,schedule=cosine",
            "momentum:momentum=0.5",
            "rmsprop:momentum=0.9,schedule=cosine,warmup=5",
            "adam:amsgrad=true,bias_correction=false,schedule=cosine",
            "sgd:lr=0.003,schedule=cosine",
            "sgd:lr=1e-4,schedule=cosine",
            "adagrad:lr=0.01,schedule=cosine,warmup=5",
        ],
        "steps": 60,
        "lang": "en",
        "view": "2d",
    }
)
@example(  # sweep: the tol label over a curve; "how fast" from -1 with one point at 22
    {
        "command": "sweep",
        "surface": "matyas",
        "specs": [
            "adam:amsgrad=true,betas=0.8/0.99,bias_correction=false,weight_decay=0.1",
            "adagrad",
        ],
        "steps": 30,
        "lang": "en",
        "view": "2d",
    }
)
@example(  # sweep: no rate reaches tol; "how fast" ran 2095% past the budget line
    {
        "command": "sweep",
        "surface": "beale",
        "specs": ["momentum"],
        "steps": 30,
        "lang": "en",
        "view": "2d",
    }
)
@settings(
    max_examples=5,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking in the default tier
    **FUZZ,
)
@given(cases())
def test_fuzzed_figures_keep_the_projector_rules(case):
    _check(case)


@pytest.mark.slow
@settings(max_examples=80, **FUZZ)
@given(cases())
def test_many_fuzzed_figures_keep_the_projector_rules(case):
    _check(case)
