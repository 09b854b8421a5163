"""The names the CNN figure modules exported before their numbers moved below them
still resolve, each with a DeprecationWarning naming its new home."""

import importlib

import numpy as np
import pytest

from optviz.nn import cnn_lessons, network_lessons

MOVED = [
    ("optviz.plot.cnn_lessons", "WINDOW_INPUT", cnn_lessons.WINDOW_INPUT),
    ("optviz.plot.cnn_lessons", "WINDOW_KERNEL", cnn_lessons.WINDOW_KERNEL),
    ("optviz.plot.cnn_lessons", "receptive_field", cnn_lessons.receptive_field),
    ("optviz.plot.cnn_lessons", "teaching_cnn", network_lessons.teaching_cnn),
    ("optviz.plot.nn_figures", "KERNELS", cnn_lessons.KERNELS),
    ("optviz.plot.nn_figures", "LEAKY_A", cnn_lessons.LEAKY_A),
    ("optviz.plot.nn_figures", "PRELU_A", cnn_lessons.PRELU_A),
    ("optviz.plot.nn_figures", "SATURATION", cnn_lessons.SATURATION),
    ("optviz.plot.convolution", "KERNELS", cnn_lessons.KERNELS),
    ("optviz.plot.cnn_lessons.common", "DIGITS_SIDE", network_lessons.DIGITS_SIDE),
    ("optviz.plot.cnn_lessons.common", "grey_image", network_lessons.grey_image),
    ("optviz.plot.cnn_lessons.network", "STAGE_NAMES", network_lessons.STAGE_NAMES),
    ("optviz.plot.cnn_lessons.network", "teaching_cnn", network_lessons.teaching_cnn),
]


@pytest.mark.parametrize("module, name, now", MOVED, ids=[f"{m}.{n}" for m, n, _ in MOVED])
def test_a_moved_name_resolves_with_a_warning(module, name, now):
    mod = importlib.import_module(module)
    with pytest.warns(DeprecationWarning, match=f"{module}.{name} is deprecated; use "):
        old = getattr(mod, name)
    assert old is now


@pytest.mark.parametrize("module", ["optviz.plot.cnn_lessons", "optviz.plot.cnn_gradients"])
def test_the_old_captions_dict_is_the_caption_table(module):
    with pytest.warns(DeprecationWarning, match="optviz.recipes.caption"):
        table = importlib.import_module(module).CAPTIONS
    assert table["vanishing-gradients"].endswith("0.25ⁿ")  # drawn without its full stop


def test_an_unknown_name_is_still_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        importlib.import_module("optviz.plot.nn_figures").nothing
    assert np.array_equal(cnn_lessons.WINDOW_KERNEL[:, 0], [1, 1, 1])
