"""Figure recipes: the only place a figure is made, one module per kind of figure.

Each recipe runs what its figure needs and returns a :class:`Result`: the figure (or
animation), the record it was drawn from, and the settings that made it (what a
figure's ``.json`` sidecar holds). Its teaching variants are parameters (``tune=True``,
a ``subtitle``, ``lang``), never a second code path. The CLI's commands and the
gallery's scripts call these recipes. In a notebook a Result shows its picture.

>>> from optviz import recipes
>>> result = recipes.compare("quadratic", ["sgd", "adam"], steps=20)
>>> result.record
... # doctest: +SKIP
>>> sorted(result.settings)
['learning_rates', 'start', 'steps', 'surface', 'view']

Recipes never write files; save with :func:`save_figure` (figures) or the record's
``save`` (numbers), or let ``optviz COMMAND`` do both.
"""

from __future__ import annotations

from .adaptive import adaptive_lr, bias_correction
from .captions import CAPTIONS, TITLES, caption, title
from .cnn import (
    activations,
    ce_vs_mse,
    cnn_architecture,
    convolution,
    cross_entropy,
    fully_connected,
    losses,
    nonlinearity,
    pooling_shift,
    receptive_field,
    rgb_convolution,
    sliding_window,
    vanishing_gradients,
)
from .cnn_sweep import cnn_sweep, cnn_sweep_jobs
from .compare import COMPARE_SURFACES, animate, compare, fair_settings
from .landscape import LANDSCAPE_DIRECTIONS, LANDSCAPE_VIEWS, landscape
from .learning_rate import learning_rate
from .linear_regression import linear_regression
from .lr import lr
from .maps import startmap
from .momentum import momentum_beta, momentum_ravine, rate_map
from .redraw import load_record, redraw
from .result import SEPARATOR, Result, footnote, save_figure
from .rules import explain_step, optimizer_families, update_rules
from .sweep import SWEEP_FIGURES, TOL_LADDER, sweep
from .training import TRAINING_FILES, load_training, train
from .tune import load_tuned, tune, tuned_optimizers

__all__ = [
    "Result",
    # surfaces
    "compare",
    "animate",
    "lr",
    "sweep",
    "startmap",
    "fair_settings",
    "tune",
    "load_tuned",
    "tuned_optimizers",
    # the CNN
    "train",
    "load_training",
    "landscape",
    "cnn_sweep",
    "cnn_sweep_jobs",
    # the CNN's lessons
    "cnn_architecture",
    "convolution",
    "rgb_convolution",
    "sliding_window",
    "receptive_field",
    "nonlinearity",
    "activations",
    "pooling_shift",
    "fully_connected",
    "losses",
    "cross_entropy",
    "ce_vs_mse",
    "vanishing_gradients",
    # teaching figures
    "update_rules",
    "optimizer_families",
    "explain_step",
    "learning_rate",
    "momentum_beta",
    "rate_map",
    "momentum_ravine",
    "adaptive_lr",
    "bias_correction",
    "linear_regression",
    # a figure again, from its record
    "redraw",
    "load_record",
    # captions, files
    "CAPTIONS",
    "TITLES",
    "caption",
    "title",
    "save_figure",
    "footnote",
    "SEPARATOR",
    "TOL_LADDER",
    "SWEEP_FIGURES",
    "TRAINING_FILES",
    "LANDSCAPE_VIEWS",
    "LANDSCAPE_DIRECTIONS",
    "COMPARE_SURFACES",
]
