r"""The CNN half of the notes as figures: the network, convolution, pooling, the
fully connected layer.

Every number drawn comes from :mod:`optviz.nn` itself: feature maps are a real
:class:`~optviz.nn.layers.Conv2D`'s output, shapes are the layers' forward shapes,
output sizes come from :func:`~optviz.nn.im2col.conv_output_size`, receptive fields
are measured by back-propagation. Nothing here trains or steps an optimizer: a figure
that shows a trained network takes it as an argument (see
:func:`optviz.nn.network_lessons.teaching_cnn`).

The gradient lessons (nonlinearity, cross-entropy, vanishing gradients) are in
:mod:`optviz.plot.cnn_gradients`. The English caption of every figure of both modules,
from the one caption table (``optviz/plot/locale/en/captions.json``), is drawn as the
figure's title; the Chinese of every string drawn is in
``optviz/plot/locale/zh/cnn.json``.

The rooms: :mod:`.network` (the teaching CNN, one image through it), :mod:`.rgb` (an
RGB convolution), :mod:`.sliding` (the sliding window, an animation),
:mod:`.receptive` (the receptive field), :mod:`.pooling`, :mod:`.dense` (the fully
connected layer); :mod:`.common` holds their captions and colours.
"""

from .._moved import moved
from .dense import fully_connected_figure
from .network import architecture_figure
from .pooling import pooling_shift_figure
from .receptive import receptive_field_figure
from .rgb import rgb_convolution_figure
from .sliding import SlidingWindow, sliding_window_animation

__all__ = [
    "architecture_figure",
    "rgb_convolution_figure",
    "SlidingWindow",
    "sliding_window_animation",
    "receptive_field_figure",
    "pooling_shift_figure",
    "fully_connected_figure",
]


#: Names this module exported before the lessons' numbers moved (deprecated).
__getattr__ = moved(
    "optviz.plot.cnn_lessons",
    {
        "CAPTIONS": "captions",
        "WINDOW_INPUT": "optviz.nn.cnn_lessons",
        "WINDOW_KERNEL": "optviz.nn.cnn_lessons",
        "receptive_field": "optviz.nn.cnn_lessons",
        "teaching_cnn": "optviz.nn.network_lessons",
    },
)
