"""Every layer and loss against central finite differences, in float64.

The analytic gradient (``backward``) must agree with
(f(x + eps) - f(x - eps)) / (2 eps) to a relative error below GRAD_RTOL.
"""

import numpy as np
import pytest

from optviz.nn import (
    AvgPool2D,
    BCELoss,
    Conv2D,
    CrossEntropyLoss,
    Dense,
    Flatten,
    LeakyReLU,
    MaxPool2D,
    MSELoss,
    PReLU,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
    default_cnn,
)

GRAD_RTOL = 1e-6
EPS = 1e-6


def numeric_grad(f, x, eps=EPS):
    """Central differences of the scalar f() with respect to every entry of x
    (x is changed in place and restored)."""
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    assert np.shares_memory(flat, x)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = f()
        flat[i] = old - eps
        down = f()
        flat[i] = old
        gflat[i] = (up - down) / (2 * eps)
    return grad


def rel_error(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else np.linalg.norm(a - b) / scale


def check_layer(layer, x, rng):
    """Loss = sum(layer(x) * R) for a random R: dL/dout = R."""
    out = layer.forward(x)
    r = rng.standard_normal(out.shape)
    dx = layer.backward(r)
    analytic = [g.copy() for g in layer.gradients()]

    def loss():
        return float(np.sum(layer.forward(x) * r))

    assert dx.shape == x.shape
    assert rel_error(dx, numeric_grad(loss, x)) < GRAD_RTOL
    for name, p, g in zip(layer.parameter_names(), layer.parameters(), analytic):
        err = rel_error(g, numeric_grad(loss, p))
        assert err < GRAD_RTOL, (name, err)


# (in, out, kernel, stride, padding, H, W)
CONVS = [
    (1, 1, 3, 1, 0, 5, 5),
    (2, 3, 3, 1, 1, 6, 6),
    (3, 2, 3, 2, 1, 7, 7),
    (2, 4, 2, 2, 0, 6, 8),
    (1, 2, (3, 2), (2, 1), (1, 0), 7, 6),
    (2, 2, 5, 1, 2, 5, 5),
    (3, 2, 1, 1, 0, 4, 4),
    (2, 3, 3, 3, 0, 9, 6),
    (4, 2, 4, 2, 1, 6, 6),
]


@pytest.mark.parametrize("cin, cout, k, s, p, h, w", CONVS)
def test_conv2d(cin, cout, k, s, p, h, w, rng):
    conv = Conv2D(cin, cout, k, stride=s, padding=p, rng=rng, dtype=np.float64)
    conv.bias[...] = rng.standard_normal(cout)
    check_layer(conv, rng.standard_normal((2, cin, h, w)), rng)


POOLS = [
    (2, None, 4, 6),
    (3, 2, 7, 5),
    (2, 1, 5, 4),
    ((2, 3), (2, 3), 6, 9),
    (3, 3, 6, 3),
    (2, 3, 5, 8),  # gaps between windows
]


@pytest.mark.parametrize("pool", [MaxPool2D, AvgPool2D])
@pytest.mark.parametrize("k, s, h, w", POOLS)
def test_pools(pool, k, s, h, w, rng):
    check_layer(pool(k, stride=s), rng.standard_normal((2, 3, h, w)), rng)


@pytest.mark.parametrize(
    "layer",
    [ReLU(), LeakyReLU(0.1), Sigmoid(), Tanh(), Softmax(), Flatten()],
    ids=repr,
)
@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 4, 4)])
def test_activations(layer, shape, rng):
    check_layer(layer, rng.standard_normal(shape) * 2, rng)


@pytest.mark.parametrize("channels", [1, 3])
def test_prelu(channels, rng):
    layer = PReLU(channels, dtype=np.float64)
    layer.a[...] = rng.uniform(0.05, 0.5, channels)
    check_layer(layer, rng.standard_normal((4, 3, 2, 2)), rng)


@pytest.mark.parametrize("i, o", [(1, 1), (6, 4), (20, 3)])
def test_dense(i, o, rng):
    dense = Dense(i, o, rng=rng, dtype=np.float64)
    dense.bias[...] = rng.standard_normal(o)
    check_layer(dense, rng.standard_normal((5, i)), rng)


@pytest.mark.parametrize("shape", [(1, 6, 6), (2, 7, 5), (3, 8, 8)])
def test_whole_network(shape, rng):
    net = default_cnn(shape, 4, channels=(3, 4), seed=rng, dtype=np.float64)
    for p in net.parameters():
        p += 0.1 * rng.standard_normal(p.shape)  # non-zero biases too
    check_layer(net, rng.standard_normal((3, *shape)), rng)


def test_sequential_with_prelu_and_tanh(rng):
    net = Sequential(
        Conv2D(2, 3, 3, padding=1, init="xavier"),
        PReLU(3),
        AvgPool2D(2),
        Flatten(),
        Dense(12, 5),
        Tanh(),
        Dense(5, 3),
        seed=rng,
        dtype=np.float64,
    )
    check_layer(net, rng.standard_normal((2, 2, 4, 4)), rng)


def check_loss(loss, prediction, target):
    value = loss.forward(prediction, target)
    grad = loss.backward().copy()
    assert grad.shape == prediction.shape
    assert np.isfinite(value)
    num = numeric_grad(lambda: loss.forward(prediction, target), prediction)
    assert rel_error(grad, num) < GRAD_RTOL


def test_mse(rng):
    check_loss(MSELoss(), rng.standard_normal((5, 3)), rng.standard_normal((5, 3)))


def test_bce_probabilities(rng):
    p = rng.uniform(0.05, 0.95, (6, 2))
    check_loss(BCELoss(), p, rng.integers(0, 2, (6, 2)).astype(float))


def test_bce_logits(rng):
    z = rng.standard_normal((7,)) * 3
    check_loss(BCELoss(from_logits=True), z, rng.uniform(0, 1, 7))


@pytest.mark.parametrize("kind", ["labels", "one-hot", "soft"])
def test_cross_entropy(kind, rng):
    z = rng.standard_normal((6, 4)) * 2
    labels = rng.integers(0, 4, 6)
    if kind == "labels":
        target = labels
    elif kind == "one-hot":
        target = np.eye(4)[labels]
    else:
        target = rng.dirichlet(np.ones(4), 6)
    check_loss(CrossEntropyLoss(), z, target)
