"""The facts the CNN figures state, against hand computations: dead kernels, the
confidently wrong image, where "confidently wrong" starts, the own planes."""

import numpy as np
import pytest

from optviz.nn import gradient_lessons as GL
from optviz.nn import network_lessons as NL


def _net_with_a_dead_kernel():
    net = NL.teaching_cnn(kernels=2)
    conv = net.layers[0]
    conv.weight[0] = -1.0  # all negative: on pixels >= 0 the output is < 0
    conv.bias[0] = -0.1
    conv.weight[1] = 1.0
    conv.bias[1] = 0.0
    return net


def test_a_kernel_zero_on_every_image_is_named_dead():
    net = _net_with_a_dead_kernel()
    images = np.zeros((3, 1, 8, 8))
    images[0, 0, 2:5, 2:5] = 1.0
    images[1, 0, 0, 0] = 0.5  # image 2 is all zero: kernel 1 gives 0 there too
    dead = NL.dead_maps(net, images[0, 0], images)
    assert dead == NL.Dead(maps=(0,), never=(0,), seen=3)
    blank = NL.dead_maps(net, images[2, 0], images)
    # on the blank image both maps are 0; only kernel 0 is 0 on every image
    assert blank == NL.Dead(maps=(0, 1), never=(0,), seen=3)
    assert NL.dead_maps(net, images[0, 0]) == NL.Dead(maps=(0,))  # no images checked
    through = NL.through_network(net, images[0, 0], label=1, images=images)
    assert through.dead.never == (0,)
    assert NL.fully_connected(net, images[0, 0], images=images).dead.seen == 3


class _Logits:
    """A stand-in network: the same logits whatever the images."""

    def __init__(self, logits):
        self.logits = np.asarray(logits, dtype=float)

    def forward(self, x):
        return self.logits[: len(x)]


def test_the_confidently_wrong_image_is_the_lowest_p_of_its_true_class():
    logits = [[5.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 1.0]]
    labels = [0, 2, 2]
    lesson = GL.right_and_wrong(_Logits(logits), np.zeros((3, 1, 2, 2)), labels, 0)
    assert lesson.indices == (0, 1) and lesson.guess == 1
    # image 1: p of class 2 = 1 / (e^4 + 2), its loss ln(e^4 + 2)
    assert lesson.wrong.p[2] == pytest.approx(1 / (np.exp(4) + 2))
    assert lesson.wrong.loss == pytest.approx(np.log(np.exp(4) + 2))
    # image 0: p of class 0 = e^5 / (e^5 + 2)
    assert lesson.right.loss == pytest.approx(-np.log(np.exp(5) / (np.exp(5) + 2)))
    assert lesson.images.shape == (2, 2, 2)


def test_where_confidently_wrong_starts_is_computed_not_written():
    lesson = GL.ce_vs_mse()
    assert lesson.classes == 3 and lesson.edge == 4.0
    assert lesson.edge_p == pytest.approx(1 / (1 + np.exp(4)))  # 0.018: "p < 0.02"
    assert lesson.edge_q == pytest.approx(np.exp(4) / (np.exp(4) + 2))  # 0.965
    # the softmax's MSE is the mean over K = 3 outputs: at s = 0, p = 1/3 each,
    # dL/dz0 = (2/3) sum_k (p_k - y_k) dp_k/dz0 = (2/3)((-2/3)(2/9) + 2 (1/3)(-1/9))
    #        = -4/27 (with a mean over K; a sum would give -4/9)
    k = int(np.argmin(np.abs(lesson.s)))
    assert lesson.s[k] == 0.0
    assert lesson.s_mse[k] == pytest.approx(-4 / 27)
    with pytest.raises(ValueError, match="classes must be a whole number of at least 3"):
        GL.ce_vs_mse(classes=2)
