"""optviz's plotting: records in, artists out. Nothing here computes what it draws.

The public plotting API, each name importable from ``optviz.plot`` (resolved lazily,
so ``import optviz.plot`` loads no figure module until a name is used):

- ``draw_*(ax, record, ...)``: one Axes in, its artists out, as matplotlib's own
  functions do (:data:`DRAW`);
- ``*_figure(record, ...)``: a whole figure composed of them, a
  :class:`~optviz.plot._figure.Figure` not attached to pyplot (:data:`FIGURES`);
- :class:`Figure`, :func:`save_figure` (atomic, by extension), :func:`color` (an
  optimizer's colour; :func:`optviz.plot.style.style`: the rc settings every figure
  is drawn under),
  :class:`Animation` (the animation engine), :class:`FigureSettings` (language, dpi,
  size, style of a saved figure).

Figures are made by :mod:`optviz.recipes` (the only place a figure is made), which
computes the record and calls these; :func:`optviz.recipes.redraw` draws a saved record
again. Colours are named in :mod:`optviz.plot.style`; the texts' translations live in
``optviz/plot/locale/``.
"""

from __future__ import annotations

import importlib

#: ``draw_*`` -> the module of optviz.plot that defines it.
DRAW = {
    "draw_epoch_lines": "cnn_winners",
    "draw_epoch_winners": "cnn_winners",
    "draw_inner_panel": "inner_state",
    "draw_notes": "compare",
    "draw_landmarks": "contours",
    "draw_minima": "contours",
    "draw_start": "contours",
    "draw_surface": "contours",
    "draw_trajectory": "contours",
    "draw_loss": "curves",
    "draw_lr": "curves",
    "draw_interpolation": "landscape",
    "draw_landscape": "landscape",
    "draw_band": "lr",
    "draw_map": "maps",
    "draw_own_plane": "own_planes",
    "draw_sweep_loss": "sweep",
    "draw_sweep_steps": "sweep",
    "draw_accuracy_curves": "training",
    "draw_error_counts": "training",
    "draw_error_curves": "training",
    "draw_loss_curves": "training",
    "draw_budget_lines": "tuning",
    "draw_profile": "tuning",
    "draw_winners": "tuning",
}
#: ``*_figure`` -> the module of optviz.plot that defines it.
FIGURES = {
    "adaptive_lr_figure": "adaptive",
    "bias_correction_figure": "adaptive",
    "batch_size_figure": "batch_lessons",
    "ce_vs_mse_figure": "cnn_gradients",
    "cross_entropy_figure": "cnn_gradients",
    "nonlinearity_figure": "cnn_gradients",
    "vanishing_gradients_figure": "cnn_gradients",
    "architecture_figure": "cnn_lessons",
    "fully_connected_figure": "cnn_lessons",
    "pooling_shift_figure": "cnn_lessons",
    "receptive_field_figure": "cnn_lessons",
    "rgb_convolution_figure": "cnn_lessons",
    "winner_by_epoch_figure": "cnn_winners",
    "compare_figure": "compare",
    "convolution_figure": "convolution",
    "dying_relu_figure": "depth_lessons",
    "relu_explosion_figure": "depth_lessons",
    "interpolation_figure": "landscape",
    "landscape_figure": "landscape",
    "random_plane_figure": "landscape",
    "learning_rate_figure": "learning_rate",
    "linear_regression_figure": "linear_regression",
    "lr_figure": "lr",
    "map_figure": "maps",
    "momentum_beta_figure": "momentum",
    "rate_map_figure": "momentum",
    "ravine_figure": "momentum",
    "activations_figure": "nn_figures",
    "losses_figure": "nn_figures",
    "own_planes_figure": "own_planes",
    "explain_step_figure": "rules",
    "update_rules_figure": "rules",
    "optimizer_families_figure": "families",
    "padding_coverage_figure": "size_lessons",
    "stride_kernel_figure": "size_lessons",
    "decay_rates_figure": "step_lessons",
    "delta_role_figure": "step_lessons",
    "lr_decay_figure": "step_lessons",
    "momentum_sum_figure": "step_lessons",
    "cnn_sweep_figure": "sweep",
    "sweep_figure": "sweep",
    "sweep_lecture_figure": "sweep",
    "curves_figure": "training",
    "budget_figure": "tuning",
    "profile_figure": "tuning",
    "initialisation_figure": "unit_lessons",
    "leaky_prelu_figure": "unit_lessons",
    "zero_mean_zigzag_figure": "unit_lessons",
    "surface3d_figure": "view3d",
}
#: The rest of the public API -> its module.
CORE = {
    "Figure": "_figure",
    "save_figure": "_figure",
    "color": "style",
    "Animation": "animate",
    "FigureSettings": "look",
}
_HOMES = {**DRAW, **FIGURES, **CORE}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'optviz.plot' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"optviz.plot.{home}"), name)
    globals()[name] = value  # resolved once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
