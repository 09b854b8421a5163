"""The CNN lessons' numbers (optviz.nn.cnn_lessons), checked by hand: what the figures
draw without computing."""

import dataclasses

import numpy as np
import pytest

from optviz.nn import cnn_lessons as CL


def test_pooling_shift_keeps_whether_not_where():
    lesson = CL.pooling_shift()
    assert lesson.names == ("unshifted", "shifted 1 pixel right", "shifted 1 pixel left")
    # the detection 1.0 at (4, 2) is alone in its window (rows 4-5, columns 2-3):
    # max 1.0, mean 1.0 / 4
    assert (lesson.strongest, lesson.mean_there) == (1.0, 0.25)
    assert lesson.cell == (2, 1)
    assert lesson.maxed[0][2, 1] == 1.0 and lesson.averaged[0][2, 1] == 0.25
    # its twin: two detections of 0.5 at (4, 6), (5, 6): max 0.5, mean 1.0 / 4
    assert lesson.twin == (2, 3) and lesson.twin_max == 0.5
    assert lesson.averaged[0][2, 3] == 0.25
    # right: every detection stays inside its window, for both poolings alike
    assert not lesson.max_differs[1].any() and not lesson.average_differs[1].any()
    # left: the 4 detections' 4 windows lose them, 4 others gain them: 8 cells each
    assert lesson.max_differs[2].sum() == 8 and lesson.average_differs[2].sum() == 8
    assert lesson.lost == (0, 0, 0)  # no detection on the map's edge columns
    np.testing.assert_array_equal(lesson.maps[1][:, 1:], CL.DETECTIONS[:, :-1])
    assert lesson.top == 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        lesson.pool = 3


def test_a_shift_says_what_it_pushed_off_the_map():
    x = np.zeros((4, 4))
    x[0, 0], x[1, 3], x[2, 3] = 1.0, 2.0, 3.0
    assert CL.pushed_off(x, 1) == 2  # column 3 holds two values
    assert CL.pushed_off(x, -1) == 1  # column 0 holds one
    assert CL.pushed_off(x, 0) == 0
    assert CL.pooling_shift(x).lost == (0, 2, 1)
    assert CL.pooling_shift(np.ones((4, 4))).twin is None  # every window alike


def test_pooling_shift_takes_a_map_and_refuses_a_batch():
    lesson = CL.pooling_shift(np.ones((4, 4)))
    np.testing.assert_array_equal(lesson.averaged[0], np.ones((2, 2)))
    np.testing.assert_array_equal(lesson.maps[2][:, -1], 0.0)  # zeros come in
    assert CL.pooling_shift(np.zeros((4, 4))).top == 1.0  # a zero map keeps a scale
    with pytest.raises(ValueError, match=r"feature_map must have shape \(H, W\), got"):
        CL.pooling_shift(np.zeros((1, 8, 8)))


def test_rgb_convolution_works_one_cell_out_by_hand():
    lesson = CL.rgb_convolution(cell=(0, 2), bias=-1.5)
    x, w = lesson.x, lesson.w
    assert x.shape == (3, 5, 5) and w.shape == (3, 3, 3) and lesson.y.shape == (3, 3)
    assert set(np.unique(x)) <= {0, 1, 2, 3, 4} and set(np.unique(w)) <= {-1, 0, 1}
    by_hand = [
        sum(x[c, 0 + a, 2 + b] * w[c, a, b] for a in range(3) for b in range(3))
        for c in range(3)
    ]
    np.testing.assert_array_equal(lesson.sums, by_hand)
    assert lesson.y[0, 2] == sum(by_hand) - 1.5
    assert lesson.cell == (0, 2)
    with pytest.raises(ValueError, match=r"cell must be a \(row, column\) in 0..2"):
        CL.rgb_convolution(cell=(0, 3))


def test_the_receptive_field_lesson_measures_1_plus_L_times_F_minus_1():
    lesson = CL.receptive_field_lesson(2, kernel=3, deepest=4)
    assert lesson.sides == (5, 3, 1)  # the input, after conv 1, the unit itself
    assert lesson.measured == (3, 5, 7, 9)  # 1 + L (3 - 1)
    np.testing.assert_array_equal(lesson.depths, [1, 2, 3, 4])
    # inputs of side (3 - 1) * 2 + 5 = 9, the unit at the centre of the 5x5 output
    assert [m.shape for m in lesson.maps] == [(9, 9), (7, 7), (5, 5)]
    assert lesson.starts == (2, 2, 2)
    # paths from each input pixel to the unit: (1, 2, 3, 2, 1) outer itself
    counts = np.array([1, 2, 3, 2, 1.0])
    np.testing.assert_array_equal(lesson.maps[0][2:7, 2:7], np.outer(counts, counts))


def test_the_losses_are_the_closed_forms():
    lesson = CL.losses()
    z, y = lesson.z, lesson.y_hat
    assert (z[0], z[-1], len(z)) == (-6.0, 6.0, 481)
    np.testing.assert_allclose(lesson.probs[:, 0], np.exp(z) / (np.exp(z) + 2))
    np.testing.assert_allclose(lesson.probs.sum(axis=1), 1.0)
    np.testing.assert_allclose(lesson.multi, np.log(np.exp(z) + 2) - z, rtol=1e-6)
    np.testing.assert_allclose(lesson.mse, (1 - y) ** 2, rtol=1e-6)
    np.testing.assert_allclose(lesson.bce1, -np.log(y), rtol=1e-6)
    np.testing.assert_allclose(lesson.bce0, -np.log(1 - y), rtol=1e-6)


def test_the_activations_and_their_derivatives_by_hand():
    lesson = CL.activations(a_leaky=0.2, a_prelu=0.3)
    x = lesson.x
    assert (x[0], x[-1], len(x)) == (-6.0, 6.0, 1201) and 0.0 in x
    curves = {c.name: c for c in lesson.curves}
    assert list(curves) == ["ReLU", "LeakyReLU", "PReLU", "sigmoid", "tanh"]
    np.testing.assert_array_equal(curves["LeakyReLU"].f, np.where(x > 0, x, 0.2 * x))
    np.testing.assert_array_equal(curves["PReLU"].d[x < 0], 0.3)
    assert (curves["LeakyReLU"].slope, curves["ReLU"].slope) == (0.2, None)
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(curves["sigmoid"].d, s * (1 - s), atol=1e-12)
    assert curves["sigmoid"].top == pytest.approx(0.25)  # at x = 0
    assert curves["tanh"].top == pytest.approx(1.0)
    np.testing.assert_array_equal(curves["tanh"].saturating, 1 - np.tanh(x) ** 2 < 0.05)
    # E[max(0, x)] = 1 / sqrt(2 pi) for x ~ N(0, 1); tanh is odd, so its mean is 0
    assert curves["ReLU"].mean == pytest.approx(1 / np.sqrt(2 * np.pi), abs=1e-6)
    assert [c.zero_centred for c in lesson.curves] == [False] * 4 + [True]


def test_the_convolution_lesson_by_hand():
    image = np.arange(16.0).reshape(4, 4)
    lesson = CL.convolution(image, [np.ones((3, 3))], ["sum"], padding=0)
    # valid 3x3 sums of 0..15: 45 54 / 81 90; ReLU keeps them; one 2x2 window
    np.testing.assert_array_equal(lesson.fmaps[0], [[45.0, 54.0], [81.0, 90.0]])
    assert lesson.maxed[0, 0, 0] == 90.0 and lesson.averaged[0, 0, 0] == 67.5
    assert lesson.conv_size == (4, 3, 0, 1, 2)  # (4 - 3 + 0) / 1 + 1 = 2
    assert lesson.pool_size == (2, 2, 0, 2, 1)
    assert lesson.names == ("sum",)
    default = CL.convolution(np.zeros((1, 1, 8, 8)))
    assert default.names == tuple(CL.KERNELS) and default.conv_size[-1] == 8
    assert not default.fmaps.any()  # a blank image has no features
    with pytest.raises(ValueError, match="2 kernels but 1 names"):
        CL.convolution(image, np.zeros((2, 3, 3)), ["one"])


def test_the_sliding_window_by_hand():
    lesson = CL.sliding_window()
    assert lesson.size == (5, 3, 1, 2, 3)  # (5 - 3 + 2) / 2 + 1 = 3
    padded = np.pad(CL.WINDOW_INPUT, 1)
    # output (1, 1): rows 2-4, columns 2-4 of the padded input, times the edge kernel
    by_hand = float((padded[2:5, 2:5] * CL.WINDOW_KERNEL).sum())
    assert lesson.output.shape == (3, 3) and lesson.output[1, 1] == by_hand
    biased = CL.sliding_window(
        np.ones((4, 4)), np.ones((2, 2)), padding=0, stride=2, bias=1
    )
    np.testing.assert_array_equal(biased.output, np.full((2, 2), 5.0))
    with pytest.raises(ValueError, match=r"kernel must have shape \(FH, FW\), got"):
        CL.sliding_window(kernel=np.ones((1, 3, 3)))
