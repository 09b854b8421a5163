"""The network lessons' numbers (optviz.nn.network_lessons), checked by hand: one image
through a small network, and its fully connected layer."""

import dataclasses

import numpy as np
import pytest

from optviz.nn import Conv2D, ReLU, Sequential
from optviz.nn import network_lessons as NL


def test_one_image_through_the_teaching_cnn_stage_by_stage():
    lesson = NL.through_network(NL.teaching_cnn(), np.ones((8, 8)), label=3)
    names = [s.name for s in lesson.stages]
    assert names == [
        "input",
        "convolution",
        "activation: ReLU",
        "max pooling",
        "flatten",
        "fully connected: class scores",
        "softmax",
    ]
    shapes = [s.out.shape for s in lesson.stages]
    assert shapes == [(1, 1, 8, 8), (1, 4, 8, 8), (1, 4, 8, 8), (1, 4, 4, 4)] + [
        (1, 64),
        (1, 10),
        (1, 10),
    ]
    # H2 = (H1 - FH + 2P) / S + 1: (8 - 3 + 2) / 1 + 1 = 8 and (8 - 2 + 0) / 2 + 1 = 4
    assert [s.size for s in lesson.stages] == [
        None,
        (8, 3, 1, 1, 8),
        None,
        (8, 2, 0, 2, 4),
    ] + [None] * 3
    assert lesson.label == 3
    assert lesson.stages[-1].out.sum() == pytest.approx(1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        lesson.label = 4


def test_a_colour_image_is_refused():
    with pytest.raises(ValueError, match=r"one grey image of shape .*got \(3, 8, 8\)"):
        NL.through_network(NL.teaching_cnn(), np.zeros((3, 8, 8)))


def test_the_fully_connected_layer_is_w_x_plus_b():
    net = NL.teaching_cnn()
    lesson = NL.fully_connected(net, np.ones((8, 8)), row=2)
    assert lesson.maps.shape == (4, 4, 4) and lesson.x.shape == (64,)
    np.testing.assert_array_equal(lesson.x, lesson.maps.ravel())  # map after map
    np.testing.assert_allclose(lesson.z, lesson.w @ lesson.x + lesson.b)
    assert lesson.row == 2
    assert NL.fully_connected(net, np.ones((8, 8))).row == int(np.argmax(lesson.z))
    bare = Sequential(Conv2D(1, 2, 3, padding=1), ReLU(), seed=0, dtype=np.float64)
    with pytest.raises(ValueError, match="must end in Flatten then Dense"):
        NL.fully_connected(bare)
