"""The CNN's lessons, one figure each: the architecture, convolution and pooling, the
receptive field, nonlinearities, the fully connected layer, the losses and their
gradients. The figures that show a trained network train the small teaching CNN first
(:func:`trained_cnn`).

Each recipe computes its lesson (:mod:`optviz.nn.cnn_lessons`,
:mod:`optviz.nn.gradient_lessons`, :mod:`optviz.nn.network_lessons`), keeps it as a
:class:`~optviz.records.Lesson` (``result.record``, :mod:`optviz.nn.lesson_records`)
and draws the figure from that record; given ``record=`` (e.g. saved and loaded) it
computes nothing and draws the same figure: ``optviz.recipes.redraw(record)``."""

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


def _digits():
    """Every image of the digits data set, (N, 1, 8, 8) float64."""
    import numpy as np

    from ..nn.data import digits

    return digits(np.float64)[0]


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


def _result(record, draw, name: str, **extra) -> Result:
    """The figure ``draw(lesson)`` of the lesson ``record`` holds."""
    from ..nn.lesson_records import from_record

    settings = {"figure": name, **record.settings}
    return Result(draw(from_record(record)), record, settings, extra=extra)


def _record(lesson, name: str, function: str, **settings):
    from ..nn.lesson_records import to_record

    return to_record(lesson, name, recipe=f"cnn:{function}", settings=settings)


def cnn_architecture(*, record=None) -> Result:
    """The trained teaching CNN, layer by layer, on the first 3 (dead kernels checked
    on every digit)."""
    from ..plot.cnn_lessons import architecture_figure

    if record is None:
        from ..nn.network_lessons import through_network

        net, three = trained_cnn(), first_three()
        lesson = through_network(net, three, label=3, images=_digits())
        record = _record(lesson, "cnn-architecture", "cnn_architecture")
    return _result(record, architecture_figure, "cnn-architecture")


def convolution(*, record=None) -> Result:
    """Three 3x3 kernels and 2x2 pooling on the first 3."""
    from ..plot.nn_figures import convolution_figure

    if record is None:
        from ..nn import cnn_lessons

        lesson = cnn_lessons.convolution(first_three())
        record = _record(lesson, "convolution", "convolution")
    return _result(record, convolution_figure, "convolution")


def rgb_convolution(*, record=None) -> Result:
    """One kernel over the three channels of a colour image."""
    from ..plot.cnn_lessons import rgb_convolution_figure

    if record is None:
        from ..nn import cnn_lessons

        record = _record(
            cnn_lessons.rgb_convolution(), "rgb-convolution", "rgb_convolution"
        )
    return _result(record, rgb_convolution_figure, "rgb-convolution")


def sliding_window(
    padding: int = 1, stride: int = 2, lang: str = "en", *, record=None
) -> Result:
    """A 3x3 kernel sliding over a 5x5 input (``result.animation``; ``figure`` is
    None)."""
    from ..nn.lesson_records import from_record
    from ..plot.cnn_lessons import sliding_window_animation

    if record is None:
        from ..nn import cnn_lessons

        lesson = cnn_lessons.sliding_window(padding=padding, stride=stride)
        record = _record(
            lesson, "sliding-window", "sliding_window", padding=padding, stride=stride
        )
    anim = sliding_window_animation(from_record(record), lang=lang)
    settings = {"figure": "sliding-window", **record.settings}
    return Result(None, record, settings, animation=anim)


def receptive_field(layers: int = 3, *, record=None) -> Result:
    """What one output of ``layers`` stacked 3x3 convolutions sees."""
    from ..plot.cnn_lessons import receptive_field_figure

    if record is None:
        from ..nn import cnn_lessons

        lesson = cnn_lessons.receptive_field_lesson(layers)
        record = _record(lesson, "receptive-field", "receptive_field", layers=layers)
    return _result(record, receptive_field_figure, "receptive-field")


def nonlinearity(*, record=None) -> Result:
    """Why a nonlinearity: stacked affine layers stay affine."""
    from ..plot.cnn_gradients import nonlinearity_figure

    if record is None:
        from ..nn import gradient_lessons

        record = _record(gradient_lessons.nonlinearity(), "nonlinearity", "nonlinearity")
    return _result(record, nonlinearity_figure, "nonlinearity")


def activations(*, record=None) -> Result:
    """The activation functions and their derivatives."""
    from ..plot.nn_figures import activations_figure

    if record is None:
        from ..nn import cnn_lessons

        record = _record(cnn_lessons.activations(), "activations", "activations")
    return _result(record, activations_figure, "activations")


def pooling_shift(pool: int = 2, *, record=None) -> Result:
    """Max and average pooling under a shift of the input."""
    from ..plot.cnn_lessons import pooling_shift_figure

    if record is None:
        from ..nn import cnn_lessons

        lesson = cnn_lessons.pooling_shift(pool=pool)
        record = _record(lesson, "pooling-shift", "pooling_shift", pool=pool)
    return _result(record, pooling_shift_figure, "pooling-shift")


def fully_connected(*, record=None) -> Result:
    """The trained teaching CNN's fully connected layer on the first 3 (dead kernels
    checked on every digit)."""
    from ..plot.cnn_lessons import fully_connected_figure

    if record is None:
        from ..nn.network_lessons import fully_connected as lesson_of

        net, three = trained_cnn(), first_three()
        lesson = lesson_of(net, three, images=_digits())
        record = _record(lesson, "fully-connected", "fully_connected")
    return _result(record, fully_connected_figure, "fully-connected")


def losses(*, record=None) -> Result:
    """The losses of the notes, side by side."""
    from ..plot.nn_figures import losses_figure

    if record is None:
        from ..nn import cnn_lessons

        record = _record(cnn_lessons.losses(), "losses", "losses")
    return _result(record, losses_figure, "losses")


def cross_entropy(*, record=None) -> Result:
    """Softmax and cross-entropy of the trained network on the first 3 (confidently
    right) and on the digit it gets most confidently wrong."""
    from ..plot.cnn_gradients import cross_entropy_figure

    if record is None:
        import numpy as np

        from ..nn import gradient_lessons
        from ..nn.data import digits

        net = trained_cnn()
        images, labels = digits(np.float64)
        first = int(np.flatnonzero(labels == 3)[0])
        lesson = gradient_lessons.right_and_wrong(net, images, labels, first)
        record = _record(lesson, "cross-entropy", "cross_entropy")
    return _result(record, cross_entropy_figure, "cross-entropy")


def ce_vs_mse(*, record=None) -> Result:
    """The gradients of cross-entropy and of the squared error through a softmax."""
    from ..plot.cnn_gradients import ce_vs_mse_figure

    if record is None:
        from ..nn import gradient_lessons

        record = _record(gradient_lessons.ce_vs_mse(), "ce-vs-mse", "ce_vs_mse")
    return _result(record, ce_vs_mse_figure, "ce-vs-mse")


def vanishing_gradients(deepest: int = 10, *, record=None) -> Result:
    """Gradients through up to ``deepest`` sigmoid or ReLU layers."""
    from ..plot.cnn_gradients import vanishing_gradients_figure

    if record is None:
        from ..nn import gradient_lessons

        lesson = gradient_lessons.vanishing(deepest=deepest)
        record = _record(
            lesson, "vanishing-gradients", "vanishing_gradients", deepest=deepest
        )
    return _result(record, vanishing_gradients_figure, "vanishing-gradients")
