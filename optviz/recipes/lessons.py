"""The notes' last twelve ideas, one figure each: the record is computed by
:mod:`optviz.lessons`, the figure drawn from it alone, so ``FUNCTION(record=...)``
(what :func:`optviz.recipes.redraw` calls) draws the same figure again without
computing. Each Result carries its claims (``result.extra["claims"]``)."""

from __future__ import annotations

from ..lessons.names import CNN
from .result import Result

__all__ = [
    "LESSONS",
    "lesson_figure",
    "lesson_animation",
    "still_lessons",
    "lr_decay",
    "decay_rates",
    "delta_role",
    "momentum_sum",
    "padding_coverage",
    "stride_kernel",
    "initialisation",
    "zero_mean_zigzag",
    "leaky_prelu",
    "dying_relu",
    "relu_explosion",
    "batch_size",
]


def _made(name: str, function: str, record, compute, draw) -> Result:
    """The Result of lesson ``name``: ``record`` (or ``compute()`` when None), stating
    itself as made by ``lessons:function``, drawn by ``draw(record)``."""
    from .. import lessons

    if record is None:
        record = compute()
        record.meta["figure"] = {"recipe": f"lessons:{function}"}
    if record.name != name:
        raise ValueError(f"{function} draws a {name!r} lesson, not {record.name!r}")
    found = lessons.claims(record)
    return Result(draw(record), record, {"figure": name}, extra={"claims": found})


def lr_decay(*, record=None) -> Result:
    """A constant α against α halved every 100 steps, mini-batch SGD on L(w, b)."""
    from .. import lessons
    from ..plot.step_lessons import lr_decay_figure

    return _made("lr-decay", "lr_decay", record, lessons.lr_decay, lr_decay_figure)


def decay_rates(*, record=None) -> Result:
    """RMSprop's ρ 0.9 vs 0.99 and Adam's ρ2 0.99 vs 0.999 after g shrinks."""
    from .. import lessons
    from ..plot.step_lessons import decay_rates_figure

    return _made(
        "decay-rates", "decay_rates", record, lessons.decay_rates, decay_rates_figure
    )


def delta_role(*, record=None) -> Result:
    """What δ does near a minimum: RMSprop on w²/2 for three δ."""
    from .. import lessons
    from ..plot.step_lessons import delta_role_figure

    return _made("delta-role", "delta_role", record, lessons.delta_role, delta_role_figure)


def momentum_sum(*, record=None) -> Result:
    """Heavy ball's unnormalised sum against Adam's normalised average."""
    from .. import lessons
    from ..plot.step_lessons import momentum_sum_figure

    return _made(
        "momentum-sum-vs-adam-average",
        "momentum_sum",
        record,
        lessons.momentum_sum,
        momentum_sum_figure,
    )


def padding_coverage(*, record=None) -> Result:
    """How often each pixel is read, without and with padding."""
    from .. import lessons
    from ..plot.size_lessons import padding_coverage_figure

    return _made(
        "padding-coverage",
        "padding_coverage",
        record,
        lessons.padding_coverage,
        padding_coverage_figure,
    )


def stride_kernel(*, record=None) -> Result:
    """H2 for each stride and kernel size, and a refused one."""
    from .. import lessons
    from ..plot.size_lessons import stride_kernel_figure

    return _made(
        "stride-kernel",
        "stride_kernel",
        record,
        lessons.stride_kernel,
        stride_kernel_figure,
    )


def initialisation(*, record=None) -> Result:
    """A 2-3-1 tanh network on XOR from equal and from random weights."""
    from .. import lessons
    from ..plot.unit_lessons import initialisation_figure

    return _made(
        "initialisation",
        "initialisation",
        record,
        lessons.initialisation,
        initialisation_figure,
    )


def zero_mean_zigzag(*, record=None) -> Result:
    """One linear unit learning from positive and from centred inputs."""
    from .. import lessons
    from ..plot.unit_lessons import zero_mean_zigzag_figure

    return _made(
        "zero-mean-zigzag",
        "zero_mean_zigzag",
        record,
        lessons.zero_mean_zigzag,
        zero_mean_zigzag_figure,
    )


def leaky_prelu(*, record=None) -> Result:
    """LeakyReLU's fixed a against PReLU's learned a."""
    from .. import lessons
    from ..plot.unit_lessons import leaky_prelu_figure

    return _made(
        "leaky-prelu", "leaky_prelu", record, lessons.leaky_prelu, leaky_prelu_figure
    )


def dying_relu(*, record=None) -> Result:
    """ReLU units dying at a large α."""
    from .. import lessons
    from ..plot.depth_lessons import dying_relu_figure

    return _made("dying-relu", "dying_relu", record, lessons.dying_relu, dying_relu_figure)


def relu_explosion(*, record=None) -> Result:
    """ReLU gradients through 20 layers for three initialisations."""
    from .. import lessons
    from ..plot.depth_lessons import relu_explosion_figure

    return _made(
        "relu-explosion",
        "relu_explosion",
        record,
        lessons.relu_explosion,
        relu_explosion_figure,
    )


def batch_size(*, record=None) -> Result:
    """Gradient noise against the batch size, with and without replacement."""
    from .. import lessons
    from ..plot.batch_lessons import batch_size_figure

    return _made("batch-size", "batch_size", record, lessons.batch_size, batch_size_figure)


#: Gallery entry name -> its recipe (the ``optviz lesson NAME`` command's choices).
LESSONS = {
    "lr-decay": lr_decay,
    "decay-rates": decay_rates,
    "delta-role": delta_role,
    "momentum-sum-vs-adam-average": momentum_sum,
    "padding-coverage": padding_coverage,
    "stride-kernel": stride_kernel,
    "initialisation": initialisation,
    "zero-mean-zigzag": zero_mean_zigzag,
    "leaky-prelu": leaky_prelu,
    "dying-relu": dying_relu,
    "relu-explosion": relu_explosion,
    "batch-size": batch_size,
}


def still_lessons() -> dict:
    """Every still lesson figure of the gallery, name -> its recipe called as the
    gallery's script calls it (:data:`optviz.lessons.names.STILL`)."""
    from . import adaptive, cnn, momentum, rules
    from .learning_rate import learning_rate
    from .linear_regression import linear_regression

    made = {  # the CNN's still lessons: recipes named after them in recipes.cnn
        name: getattr(cnn, name.replace("-", "_"))
        for name in CNN
        if name != "sliding-window"  # a GIF only
    }
    made.update(
        {
            "linear-regression": linear_regression,
            "learning-rate": learning_rate,
            "update-rules": rules.update_rules,
            "optimizer-families": rules.optimizer_families,
            "explain-step": lambda: rules.explain_step(
                "quadratic",
                [
                    "sgd:lr=0.1",
                    "momentum:lr=0.1",
                    "adagrad:lr=0.5",
                    "rmsprop:lr=0.05",
                    "adam:lr=0.5",
                ],
                start=(-3.0, 0.2),
            ),
            "momentum-beta": momentum.momentum_beta,
            "momentum-ravine": momentum.momentum_ravine,
            "rate-map": momentum.rate_map,
            "adaptive-lr": adaptive.adaptive_lr,
            "bias-correction": adaptive.bias_correction,
        }
    )
    return {**made, **LESSONS}


def lesson_figure(name: str) -> Result:
    """The Result of the still lesson figure ``name`` (one of
    :data:`optviz.lessons.names.STILL`), as its gallery script makes it."""
    made = still_lessons()
    if name not in made:
        raise ValueError(f"no lesson figure {name!r}; known: {', '.join(made)}")
    return made[name]()


def lesson_animation(name: str, lang: str = "en") -> Result:
    """The Result (``result.animation``) of the animated lesson ``name`` (one of
    :data:`optviz.lessons.names.ANIMATED`) in ``lang``, as its gallery script makes
    it."""
    from . import adaptive, cnn
    from .linear_regression import linear_regression

    made = {
        "sliding-window": lambda: cnn.sliding_window(lang=lang),
        "linear-regression": lambda: linear_regression(animate=True, lang=lang),
        "adaptive-lr": lambda: adaptive.adaptive_lr(animate=True, lang=lang),
    }
    if name not in made:
        raise ValueError(f"no lesson animation {name!r}; known: {', '.join(made)}")
    return made[name]()
