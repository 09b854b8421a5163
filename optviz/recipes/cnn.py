"""The CNN's lessons, one figure each: the architecture, convolution and pooling, the
receptive field, nonlinearities, the fully connected layer, the losses and their
gradients. The figures that show a trained network train the small teaching CNN first
(:func:`trained_cnn`)."""

from __future__ import annotations

from .result import Result

__all__ = [
    "trained_cnn",
    "first_three",
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
]


def first_three():
    """The first 3 of the digits data set, one 8x8 image (float64)."""
    import numpy as np

    from ..nn.data import digits

    images, labels = digits(np.float64)
    return images[int(np.flatnonzero(labels == 3)[0]), 0]


def trained_cnn(epochs: int = 5, lr: float = 0.01):
    """The teaching CNN (4 kernels of 3x3, ReLU, 2x2 max pooling, 10 outputs) trained
    with Adam on the digits (float64)."""
    import numpy as np

    from ..nn import load_dataset, train
    from ..nn.network_lessons import teaching_cnn
    from ..optimizers import Adam

    net = teaching_cnn()
    train(net, Adam(lr=lr), load_dataset("digits", dtype=np.float64), epochs=epochs)
    return net


def _result(fig, name: str, record=None, **extra) -> Result:
    return Result(fig, record, {"figure": name}, extra=extra)


def cnn_architecture() -> Result:
    """The trained teaching CNN, layer by layer, on the first 3."""
    from ..nn.network_lessons import through_network
    from ..plot.cnn_lessons import architecture_figure

    net, three = trained_cnn(), first_three()
    fig = architecture_figure(through_network(net, three, label=3))
    return _result(fig, "cnn-architecture", image=three)


def convolution() -> Result:
    """Three 3x3 kernels and 2x2 pooling on the first 3."""
    from ..nn import cnn_lessons
    from ..plot.nn_figures import convolution_figure

    three = first_three()
    fig = convolution_figure(cnn_lessons.convolution(three))
    return _result(fig, "convolution", image=three)


def rgb_convolution() -> Result:
    """One kernel over the three channels of a colour image."""
    from ..nn import cnn_lessons
    from ..plot.cnn_lessons import rgb_convolution_figure

    lesson = cnn_lessons.rgb_convolution()
    return _result(rgb_convolution_figure(lesson), "rgb-convolution")


def sliding_window(padding: int = 1, stride: int = 2, lang: str = "en") -> Result:
    """A 3x3 kernel sliding over a 5x5 input (``result.animation``; ``figure`` is
    None)."""
    from ..nn import cnn_lessons
    from ..plot.cnn_lessons import sliding_window_animation

    lesson = cnn_lessons.sliding_window(padding=padding, stride=stride)
    anim = sliding_window_animation(lesson, lang=lang)
    settings = {"figure": "sliding-window", "padding": padding, "stride": stride}
    return Result(None, None, settings, animation=anim)


def receptive_field(layers: int = 3) -> Result:
    """What one output of ``layers`` stacked 3x3 convolutions sees."""
    from ..nn import cnn_lessons
    from ..plot.cnn_lessons import receptive_field_figure

    lesson = cnn_lessons.receptive_field_lesson(layers)
    return _result(receptive_field_figure(lesson), "receptive-field")


def nonlinearity() -> Result:
    """Why a nonlinearity: stacked linear layers stay linear."""
    from ..nn import gradient_lessons
    from ..plot.cnn_gradients import nonlinearity_figure

    return _result(nonlinearity_figure(gradient_lessons.nonlinearity()), "nonlinearity")


def activations() -> Result:
    """The activation functions and their derivatives."""
    from ..nn import cnn_lessons
    from ..plot.nn_figures import activations_figure

    return _result(activations_figure(cnn_lessons.activations()), "activations")


def pooling_shift(pool: int = 2) -> Result:
    """Max pooling under a shift of the input."""
    from ..nn import cnn_lessons
    from ..plot.cnn_lessons import pooling_shift_figure

    lesson = cnn_lessons.pooling_shift(pool=pool)
    return _result(pooling_shift_figure(lesson), "pooling-shift")


def fully_connected() -> Result:
    """The trained teaching CNN's fully connected layer on the first 3."""
    from ..nn.network_lessons import fully_connected
    from ..plot.cnn_lessons import fully_connected_figure

    net, three = trained_cnn(), first_three()
    fig = fully_connected_figure(fully_connected(net, three))
    return _result(fig, "fully-connected", image=three)


def losses() -> Result:
    """The losses of the notes, side by side."""
    from ..nn import cnn_lessons
    from ..plot.nn_figures import losses_figure

    return _result(losses_figure(cnn_lessons.losses()), "losses")


def cross_entropy() -> Result:
    """Softmax and cross-entropy on the trained network's scores for the first 3."""
    from ..nn import gradient_lessons
    from ..plot.cnn_gradients import cross_entropy_figure

    net, three = trained_cnn(), first_three()
    logits = net.forward(three[None, None])[0]  # the trained network's scores
    lesson = gradient_lessons.cross_entropy(logits, label=3)
    return _result(cross_entropy_figure(lesson), "cross-entropy", logits=logits)


def ce_vs_mse() -> Result:
    """The gradients of cross-entropy and of the squared error through a softmax."""
    from ..nn import gradient_lessons
    from ..plot.cnn_gradients import ce_vs_mse_figure

    return _result(ce_vs_mse_figure(gradient_lessons.ce_vs_mse()), "ce-vs-mse")


def vanishing_gradients(deepest: int = 10) -> Result:
    """Gradients through up to ``deepest`` sigmoid or ReLU layers."""
    from ..nn import gradient_lessons
    from ..plot.cnn_gradients import vanishing_gradients_figure

    lesson = gradient_lessons.vanishing(deepest=deepest)
    return _result(vanishing_gradients_figure(lesson), "vanishing-gradients")
