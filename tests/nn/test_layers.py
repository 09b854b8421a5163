"""Layers against plain loops, shapes and their errors, dtypes, parameters in place."""

import numpy as np
import pytest

from optviz.nn import (
    AvgPool2D,
    Conv2D,
    CrossEntropyLoss,
    Dense,
    Flatten,
    MaxPool2D,
    PReLU,
    ReLU,
    Sequential,
    Softmax,
    conv_output_size,
    default_cnn,
    lenet,
    softmax,
)
from optviz.nn.model import auto_channels
from optviz.optimizers import SGD, Adam


# -- plain loop versions, the definitions straight from the notes -----------------------
def conv_loop(x, weight, bias, stride, padding):
    """Every kernel, every window, every pixel: sum over channels of <x, W> + b."""
    n, c, h, w = x.shape
    f, _, kh, kw = weight.shape
    (sh, sw), (ph, pw) = stride, padding
    xp = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    xp[:, :, ph : ph + h, pw : pw + w] = x
    h2 = (h - kh + 2 * ph) // sh + 1
    w2 = (w - kw + 2 * pw) // sw + 1
    out = np.zeros((n, f, h2, w2))
    for i in range(n):
        for k in range(f):
            for r in range(h2):
                for s in range(w2):
                    window = xp[i, :, r * sh : r * sh + kh, s * sw : s * sw + kw]
                    out[i, k, r, s] = np.sum(window * weight[k]) + bias[k]
    return out


def pool_loop(x, kernel, stride, reduce):
    n, c, h, w = x.shape
    (kh, kw), (sh, sw) = kernel, stride
    h2, w2 = (h - kh) // sh + 1, (w - kw) // sw + 1
    out = np.zeros((n, c, h2, w2))
    for i in range(n):
        for k in range(c):
            for r in range(h2):
                for s in range(w2):
                    out[i, k, r, s] = reduce(
                        x[i, k, r * sh : r * sh + kh, s * sw : s * sw + kw]
                    )
    return out


@pytest.mark.parametrize(
    "cin, cout, k, s, p, h, w",
    [
        (1, 2, 3, 1, 0, 6, 6),
        (3, 4, 3, 1, 1, 8, 8),
        (2, 3, 5, 2, 2, 9, 7),
        (2, 2, (3, 1), (1, 2), (0, 1), 5, 7),
        (4, 1, 2, 2, 0, 4, 6),
    ],
)
def test_conv_matches_loop(cin, cout, k, s, p, h, w, rng):
    conv = Conv2D(cin, cout, k, stride=s, padding=p, rng=rng, dtype=np.float64)
    conv.bias[...] = rng.standard_normal(cout)
    x = rng.standard_normal((3, cin, h, w))
    expected = conv_loop(x, conv.weight, conv.bias, conv.stride, conv.padding)
    np.testing.assert_allclose(conv.forward(x), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "k, s, h, w", [(2, 2, 6, 8), (3, 2, 7, 5), (2, 1, 4, 5), (3, 3, 6, 9)]
)
def test_pools_match_loops(k, s, h, w, rng):
    x = rng.standard_normal((2, 3, h, w))
    kernel, stride = (k, k), (s, s)
    np.testing.assert_array_equal(
        MaxPool2D(k, stride=s).forward(x), pool_loop(x, kernel, stride, np.max)
    )
    np.testing.assert_allclose(
        AvgPool2D(k, stride=s).forward(x), pool_loop(x, kernel, stride, np.mean), rtol=1e-12
    )


def test_max_pool_gives_a_tie_to_the_first_maximum():
    x = np.zeros((1, 1, 2, 2))  # all four equal: only the first gets the gradient
    pool = MaxPool2D(2)
    pool.forward(x)
    dx = pool.backward(np.ones((1, 1, 1, 1)))
    np.testing.assert_array_equal(dx[0, 0], [[1.0, 0.0], [0.0, 0.0]])


def test_conv_output_size_is_the_notes_formula():
    assert conv_output_size(32, 5, 2, 1) == 32
    assert conv_output_size(7, 3, 0, 2) == 3
    assert conv_output_size(28, 5) == 24
    with pytest.raises(ValueError, match=r"\(8 - 3 \+ 2\*0\)/2 \+ 1 = 3.5 is not a whole"):
        conv_output_size(8, 3, 0, 2)
    with pytest.raises(ValueError, match="larger than the padded input"):
        conv_output_size(2, 5, 1, 1)


def test_layers_refuse_shapes_that_do_not_fit():
    conv = Conv2D(1, 4, 3, stride=2)
    with pytest.raises(ValueError) as err:
        conv.forward(np.zeros((2, 1, 8, 8)))
    msg = str(err.value)
    assert "Conv2D(1, 4, kernel_size=3, stride=2)" in msg
    assert "(2, 1, 8, 8)" in msg and "3.5 is not a whole number" in msg
    assert "heights that fit near 8: 7 or 9" in msg
    with pytest.raises(ValueError, match=r"has 3 channels; this layer takes 1"):
        conv.forward(np.zeros((2, 3, 9, 9)))
    with pytest.raises(ValueError, match=r"4-D input \(N, C, H, W\), got shape \(9, 9\)"):
        conv.forward(np.zeros((9, 9)))
    with pytest.raises(ValueError, match=r"MaxPool2D\(2\).*\(1, 1, 5, 4\)"):
        MaxPool2D(2).forward(np.zeros((1, 1, 5, 4)))
    with pytest.raises(
        ValueError, match=r"Dense\(128, 10\): expects input of shape \(N, 128\)"
    ):
        Dense(128, 10).forward(np.zeros((2, 64)))
    with pytest.raises(ValueError, match="kernel_size must be a whole number >= 1"):
        Conv2D(1, 1, 0)
    with pytest.raises(ValueError, match="init must be one of he, xavier"):
        Dense(2, 2, init="zeros")
    with pytest.raises(ValueError, match="dtype must be float32 or float64"):
        Dense(2, 2, dtype=np.int32)


def test_backward_before_forward_is_an_error():
    with pytest.raises(ValueError, match="needs a forward"):
        Conv2D(1, 1, 3).backward(np.zeros((1, 1, 1, 1)))


def test_softmax_and_cross_entropy_are_stable_for_huge_logits():
    z = np.array([[1e4, 0.0, -1e4], [1e4, 1e4, 1e4]])
    p = softmax(z)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[1], 1 / 3)
    layer = Softmax()
    assert np.all(np.isfinite(layer.forward(z)))
    assert np.all(np.isfinite(layer.backward(np.ones_like(z))))
    ce = CrossEntropyLoss()
    assert ce.forward(z, np.array([0, 1])) == pytest.approx(np.log(3) / 2)
    assert ce.forward(z, np.array([2, 1])) == pytest.approx(2e4 / 2 + np.log(3) / 2)
    assert np.all(np.isfinite(ce.backward()))
    z32 = z.astype(np.float32)
    assert np.isfinite(ce.forward(z32, np.array([2, 0])))


def test_cross_entropy_rejects_bad_labels():
    ce = CrossEntropyLoss()
    with pytest.raises(ValueError, match=r"labels must be in 0..2"):
        ce.forward(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="2 score rows but 3 labels"):
        ce.forward(np.zeros((2, 3)), np.array([0, 1, 2]))


def test_parameters_are_the_layers_own_arrays():
    net = default_cnn((1, 8, 8), 10, seed=0, dtype=np.float64)
    params, grads = net.parameters(), net.gradients()
    assert len(params) == len(grads) == 6
    assert [p.shape for p in params] == [g.shape for g in grads]
    assert params[0] is net[0].weight and params[-1] is net[-1].bias
    x, y = np.random.default_rng(0).random((4, 1, 8, 8)), np.arange(4)
    ce = CrossEntropyLoss()
    ce.forward(net.forward(x), y)
    net.backward(ce.backward(), input_grad=False)
    assert all(g is h for g, h in zip(grads, net.gradients()))  # filled in place
    before = net[0].weight.copy()
    SGD(lr=0.1).step(params, grads)
    np.testing.assert_allclose(net[0].weight, before - 0.1 * grads[0])


def test_input_grad_false_skips_only_the_input_gradient(rng):
    net = default_cnn((1, 6, 6), 3, channels=(2, 3), seed=1, dtype=np.float64)
    x = rng.random((2, 1, 6, 6))
    out = net.forward(x)
    g = rng.standard_normal(out.shape)
    dx = net.backward(g)
    full = [a.copy() for a in net.gradients()]
    assert dx.shape == x.shape
    assert net.backward(g, input_grad=False) is None
    for a, b in zip(full, net.gradients()):
        np.testing.assert_array_equal(a, b)


def test_get_flat_and_set_flat_round_trip():
    net = lenet(seed=3)
    vec = net.get_flat()
    assert vec.shape == (net.size,) and vec.dtype == np.float32
    params = net.parameters()
    net.set_flat(np.zeros_like(vec))
    assert all(np.all(p == 0) for p in params)  # written in place
    net.set_flat(vec)
    np.testing.assert_array_equal(net.get_flat(), vec)
    assert net.parameter_names()[:2] == ["0.weight", "0.bias"]
    with pytest.raises(ValueError, match=f"1-D vector of {net.size} parameters"):
        net.set_flat(vec[:-1])


def test_same_seed_same_network_and_float32_is_float64_rounded():
    a = default_cnn((1, 8, 8), 10, seed=5, dtype=np.float64)
    b = default_cnn((1, 8, 8), 10, seed=5, dtype=np.float32)
    c = default_cnn((1, 8, 8), 10, seed=6, dtype=np.float64)
    np.testing.assert_array_equal(a.get_flat().astype(np.float32), b.get_flat())
    assert not np.array_equal(a.get_flat(), c.get_flat())
    x = np.random.default_rng(0).random((5, 1, 8, 8))
    out64, out32 = a.forward(x), b.forward(x)
    assert out32.dtype == np.float32 and out64.dtype == np.float64
    np.testing.assert_allclose(out32, out64, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    "shape, classes",
    [((1, 8, 8), 10), ((1, 28, 28), 10), ((3, 13, 9), 4), ((1, 1, 5), 2), ((2, 2, 2), 3)],
)
def test_default_cnn_fits_any_image_size(shape, classes):
    net = default_cnn(shape, classes, seed=0)
    assert net.output_shape((2, *shape)) == (2, classes)
    assert net.forward(np.zeros((2, *shape))).shape == (2, classes)


def test_default_cnn_width_follows_the_image_size():
    assert auto_channels((1, 8, 8)) == (32, 64)
    assert auto_channels((1, 28, 28)) == (8, 16)
    assert default_cnn((1, 8, 8), 10)[0].out_channels == 32


def test_sequential_trains_a_tiny_problem_with_prelu():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(int)  # XOR-like: needs the non-linearity
    net = Sequential(Dense(2, 16), PReLU(), Dense(16, 2, init="xavier"), seed=0)
    opt, ce = Adam(lr=0.05), CrossEntropyLoss()
    first = ce.forward(net.forward(x), y)
    for _ in range(200):
        ce.forward(net.forward(x), y)
        net.backward(ce.backward(), input_grad=False)
        opt.step(net.parameters(), net.gradients())
    assert ce.forward(net.forward(x), y) < 0.3 * first


def test_repr_reads_like_the_constructor():
    net = Sequential(Conv2D(1, 8, 5), ReLU(), MaxPool2D(3, stride=2), Flatten())
    assert "Conv2D(1, 8, kernel_size=5)" in repr(net)
    assert "MaxPool2D(3, stride=2)" in repr(net)
    assert repr(Conv2D(2, 3, (3, 1), stride=2, padding=1)) == (
        "Conv2D(2, 3, kernel_size=(3, 1), stride=2, padding=1)"
    )
