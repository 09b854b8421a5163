r"""The numbers of the CNN's gradient lessons: why a nonlinearity, what cross-entropy
measures, why it beats MSE at a sigmoid or softmax output, why gradients vanish
through sigmoids.

Every number is computed by :mod:`optviz.nn`'s own layers and losses, their
``forward`` and ``backward``: a gradient drawn is a gradient the network would get.
Each lesson's numbers are one object (:class:`Nonlinearity`, :class:`CrossEntropy`,
:class:`CeVsMse`, :class:`Vanishing`) that :mod:`optviz.plot.cnn_gradients` draws
without computing anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .activations import ReLU, Sigmoid, Softmax, Tanh
from .layers import Dense, Sequential
from .losses import BCELoss, CrossEntropyLoss, MSELoss

__all__ = [
    "Nonlinearity",
    "CrossEntropy",
    "RightAndWrong",
    "right_and_wrong",
    "CeVsMse",
    "Vanishing",
    "nonlinearity",
    "cross_entropy",
    "ce_vs_mse",
    "vanishing",
    "collapse",
    "logit_gradients",
    "softmax_logit_gradients",
    "sigmoid_chain_gradient",
    "layer_gradient_norms",
    "ACTIVATIONS",
    "CONFIDENT_WRONG",
    "WRONG_EDGE",
    "SIGMOID_SLOPE_MAX",
]

#: A logit this far on the wrong side is a confident wrong answer: sigmoid(-8) = 3e-4.
CONFIDENT_WRONG = -8.0
#: The largest slope of the sigmoid, at 0.
SIGMOID_SLOPE_MAX = 0.25


# -- why a nonlinearity --------------------------------------------------------------
def collapse(first: Dense, second: Dense) -> Dense:
    r"""One Dense layer equal to ``second(first(x))``: :math:`W = W_2 W_1`,
    :math:`b = W_2 b_1 + b_2`."""
    one = Dense(first.in_features, second.out_features, dtype=np.float64)
    one.weight[...] = second.weight @ first.weight
    one.bias[...] = second.weight @ first.bias + second.bias
    return one


@dataclass(frozen=True)
class Nonlinearity:
    """Two Dense layers, without and with a ReLU between them, on ``x``."""

    hidden: int
    x: np.ndarray  # (N,) inputs
    stacked: np.ndarray  # (N,) Dense -> Dense
    single: np.ndarray  # (N,) the one collapsed Dense
    bent: np.ndarray  # (N,) Dense -> ReLU -> Dense
    weight: float  # the collapsed layer's W = W2 W1
    bias: float  # and b = W2 b1 + b2
    difference: float  # largest |stacked - single|
    slope: float  # the least-squares line through ``bent``
    intercept: float
    gap: float  # largest distance of ``bent`` from that line
    kinks: np.ndarray  # where hidden units switch on, inside the range


def nonlinearity(*, hidden: int = 6, seed: int = 3) -> Nonlinearity:
    """A Dense(1, ``hidden``) and a Dense(``hidden``, 1), seeded, on x in [-3, 3]."""
    rng = np.random.default_rng(seed)
    first = Dense(1, hidden, rng=rng, dtype=np.float64)
    first.bias[...] = rng.uniform(-2, 2, hidden)  # kinks inside the plotted range
    second = Dense(hidden, 1, rng=rng, dtype=np.float64)
    second.bias[...] = 0.5
    one = collapse(first, second)
    x = np.linspace(-3, 3, 601)[:, None]  # (N, 1)
    stacked = Sequential(first, second).forward(x)[:, 0]
    single = one.forward(x)[:, 0]
    bent = Sequential(first, ReLU(), second).forward(x)[:, 0]
    slope, icpt = np.polyfit(x[:, 0], bent, 1)
    gap = float(np.abs(bent - (slope * x[:, 0] + icpt)).max())
    kinks = -first.bias / first.weight[:, 0]
    kinks = np.sort(kinks[(kinks > -3) & (kinks < 3)])
    return Nonlinearity(
        hidden=hidden,
        x=x[:, 0],
        stacked=stacked,
        single=single,
        bent=bent,
        weight=float(one.weight[0, 0]),
        bias=float(one.bias[0]),
        difference=float(np.abs(stacked - single).max()),
        slope=float(slope),
        intercept=float(icpt),
        gap=gap,
        kinks=kinks,
    )


# -- cross-entropy with one-hot targets ------------------------------------------------
@dataclass(frozen=True)
class CrossEntropy:
    """One image's logits: their softmax, the one-hot target, the loss."""

    label: int
    p: np.ndarray  # (K,) softmax of the logits
    y: np.ndarray  # (K,) one-hot target
    loss: float  # CrossEntropyLoss of the logits and y
    terms: np.ndarray  # (K,) -y_j ln p_j


def cross_entropy(logits: ArrayLike, label: int) -> CrossEntropy:
    """The cross-entropy of one image's ``logits`` against class ``label``."""
    z = np.asarray(logits, dtype=np.float64).reshape(1, -1)  # (1, K)
    k = z.shape[1]
    label = int(label)
    if not 0 <= label < k:
        raise ValueError(f"label must be a class in 0..{k - 1}, got {label}")
    p = Softmax().forward(z)[0]
    y = np.zeros(k)
    y[label] = 1.0
    loss = CrossEntropyLoss().forward(z, y[None])
    return CrossEntropy(label=label, p=p, y=y, loss=float(loss), terms=-y * np.log(p))


@dataclass(frozen=True)
class RightAndWrong:
    """Cross-entropy on two images of a data set: one the network gets right
    (``right``) and the one it gets most confidently wrong (``wrong``: the lowest
    probability of its true class; ``guess`` the class it gave). ``images``: the two
    images ``(2, H, W)``; ``indices``: their places in the data set."""

    right: CrossEntropy
    wrong: CrossEntropy
    guess: int
    images: np.ndarray
    indices: tuple[int, int]


def right_and_wrong(
    model, images: ArrayLike, labels: ArrayLike, index: int
) -> RightAndWrong:
    """Image ``index`` of ``images`` ((N, 1, H, W)) with its ``labels``, and the image
    whose true class ``model`` gives the lowest probability, each with its
    :func:`cross_entropy`."""
    x = np.asarray(images, dtype=np.float64)
    y = np.asarray(labels).astype(np.int64)
    logits = np.asarray(model.forward(x))  # (N, K)
    p = Softmax().forward(logits)
    worst = int(np.argmin(p[np.arange(len(y)), y]))
    index = int(index)
    return RightAndWrong(
        right=cross_entropy(logits[index], int(y[index])),
        wrong=cross_entropy(logits[worst], int(y[worst])),
        guess=int(np.argmax(logits[worst])),
        images=np.stack([x[index, 0], x[worst, 0]]),
        indices=(index, worst),
    )


# -- cross-entropy against MSE: the gradient at the logit ----------------------------
def logit_gradients(z: ArrayLike, y: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    r"""Per-sample :math:`\partial L/\partial z` for a sigmoid output
    :math:`p = \sigma(z)` with label ``y``: (MSE through the sigmoid, binary
    cross-entropy), each by the library's ``backward``.

    MSE: :math:`2(p - y)\,p(1 - p)`, which vanishes as :math:`p \to 0` or 1;
    cross-entropy: :math:`p - y`.

    >>> mse, ce = logit_gradients([-8.0])
    >>> bool(abs(mse[0]) < 1e-3 and abs(ce[0]) > 0.9)
    True
    """
    z = np.asarray(z, dtype=np.float64).ravel()
    target = np.full_like(z, y)
    sig = Sigmoid()
    p = sig.forward(z)
    mse = MSELoss()
    mse.forward(p, target)
    d_mse = sig.backward(mse.backward() * z.size)  # the loss is a mean: undo the 1/n
    bce = BCELoss(from_logits=True)
    bce.forward(z, target)
    d_ce = bce.backward() * z.size
    return np.asarray(d_mse), np.asarray(d_ce)


def softmax_logit_gradients(s: ArrayLike, k: int = 3) -> tuple[np.ndarray, np.ndarray]:
    r"""Per-sample :math:`\partial L/\partial z_0` of the true class 0 for logits
    :math:`(0, s, 0, \dots)` over ``k`` classes (class 1 wrongly scored ``s``): (MSE
    of the softmax against the one-hot row, through
    :class:`~optviz.nn.activations.Softmax`'s backward; cross-entropy of the logits,
    :math:`p_0 - 1`)."""
    s = np.asarray(s, dtype=np.float64).ravel()
    z = np.zeros((s.size, k))
    z[:, 1] = s
    y = np.zeros_like(z)
    y[:, 0] = 1.0
    soft = Softmax()
    p = soft.forward(z)
    mse = MSELoss()
    mse.forward(p, y)
    d_mse = soft.backward(mse.backward() * s.size)[:, 0]  # per sample: undo the 1/n
    ce = CrossEntropyLoss()
    ce.forward(z, np.zeros(s.size, dtype=np.int64))
    d_ce = ce.backward()[:, 0] * s.size
    return np.asarray(d_mse), np.asarray(d_ce)


#: Where the figure's "confidently wrong" region starts: a sigmoid logit below -4, a
#: wrong class's softmax logit above 4.
WRONG_EDGE = 4.0


@dataclass(frozen=True)
class CeVsMse:
    r"""The logit's gradient under MSE and cross-entropy, sigmoid and softmax outputs.
    The softmax's MSE is the mean over its ``classes`` outputs,
    :math:`\frac1K \sum_k (p_k - y_k)^2` (as :class:`~optviz.nn.losses.MSELoss`
    averages); ``edge_p``: the sigmoid's p at logit ``-edge``, ``edge_q``: the wrong
    class's softmax p at logit ``edge``."""

    wrong: float  # the confidently wrong logit marked
    z: np.ndarray  # sigmoid logits
    d_mse: np.ndarray
    d_ce: np.ndarray
    at_wrong: tuple  # (MSE's, cross-entropy's) gradient at ``wrong``
    s: np.ndarray  # the wrong class's softmax logit
    s_mse: np.ndarray
    s_ce: np.ndarray
    classes: int = 3  # K, the softmax's outputs (the MSE's mean is over them)
    edge: float = WRONG_EDGE
    edge_p: float = 0.0  # sigmoid(-edge)
    edge_q: float = 0.0  # softmax((0, edge, 0))[1]


def ce_vs_mse(*, wrong: float = CONFIDENT_WRONG, classes: int = 3) -> CeVsMse:
    """:func:`logit_gradients` over z in [-12, 12] (and at ``wrong``),
    :func:`softmax_logit_gradients` over s in [-4, 14] for ``classes`` classes."""
    if int(classes) != classes or classes < 3:
        raise ValueError(f"classes must be a whole number of at least 3, got {classes}")
    z = np.linspace(-12, 12, 481)
    d_mse, d_ce = logit_gradients(z)
    w_mse, w_ce = logit_gradients([wrong])
    s = np.linspace(-4, 14, 451)
    s_mse, s_ce = softmax_logit_gradients(s, k=classes)
    edge = WRONG_EDGE
    edge_p = float(Sigmoid().forward(np.array([-edge]))[0])
    row = np.zeros((1, classes))
    row[0, 1] = edge
    edge_q = float(Softmax().forward(row)[0, 1])
    return CeVsMse(
        wrong,
        z,
        d_mse,
        d_ce,
        (float(w_mse[0]), float(w_ce[0])),
        s,
        s_mse,
        s_ce,
        classes,
        edge,
        edge_p,
        edge_q,
    )


# -- vanishing gradients ----------------------------------------------------------------
def sigmoid_chain_gradient(n: int, x0: float = 0.0) -> float:
    r""":math:`\partial f_n/\partial x` at ``x0`` through ``n`` stacked
    :class:`~optviz.nn.activations.Sigmoid` layers (weights 1, biases 0), by the
    :class:`~optviz.nn.layers.Sequential`'s backward. At most
    :math:`0.25^n`, since :math:`\sigma' \le 0.25`.

    >>> sigmoid_chain_gradient(1)
    0.25
    """
    net = Sequential(*[Sigmoid() for _ in range(int(n))])
    out = net.forward(np.array([[x0]]))
    return float(net.backward(np.ones_like(out))[0, 0])


ACTIVATIONS = {"sigmoid": Sigmoid, "tanh": Tanh, "ReLU": ReLU}


def layer_gradient_norms(
    activation: str, *, depth: int = 10, width: int = 32, batch: int = 64, seed: int = 0
) -> np.ndarray:
    r""":math:`\lVert\partial L/\partial W_l\rVert` for each hidden Dense layer
    :math:`l = 1 .. depth` of an MLP on the shipped digits (flattened, ``batch``
    images), ``activation`` after each hidden layer, He initialisation for ReLU and
    Xavier otherwise, cross-entropy loss; one forward and backward, no training."""
    from .digits import digits

    x, y = digits(np.float64)
    x, y = x[:batch].reshape(batch, -1), y[:batch]
    init = "he" if activation == "ReLU" else "xavier"
    layers = []
    n_in = x.shape[1]
    for _ in range(depth):
        layers += [Dense(n_in, width, init=init), ACTIVATIONS[activation]()]
        n_in = width
    layers.append(Dense(width, 10, init="xavier"))
    net = Sequential(*layers, seed=seed, dtype=np.float64)
    loss = CrossEntropyLoss()
    loss.forward(net.forward(x), y)
    net.backward(loss.backward())
    return np.array([np.linalg.norm(layer.grad_weight) for layer in net.layers[:-1:2]])


@dataclass(frozen=True)
class Vanishing:
    """Gradients through n sigmoids, and per layer of a deep MLP."""

    n: np.ndarray  # 1 .. deepest
    chain: np.ndarray  # sigmoid_chain_gradient(n)
    norms: dict  # activation -> (deepest,) layer gradient norms


def vanishing(*, deepest: int = 10) -> Vanishing:
    """:func:`sigmoid_chain_gradient` for n = 1 .. ``deepest`` and
    :func:`layer_gradient_norms` of a ``deepest``-layer MLP per activation."""
    n = np.arange(1, deepest + 1)
    chain = np.array([sigmoid_chain_gradient(int(k)) for k in n])
    norms = {name: layer_gradient_norms(name, depth=deepest) for name in ACTIVATIONS}
    return Vanishing(n, chain, norms)
