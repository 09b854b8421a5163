r"""The numbers of the CNN's lesson figures: what pooling keeps under a shift of its
input, one kernel on an RGB input, the receptive field of stacked convolutions,
softmax and the losses, the activations and their derivatives, a digit convolved and
pooled, a window sliding over a padded input.

Every number is computed by :mod:`optviz.nn`'s own layers (their ``forward`` and
``backward``): a map or curve drawn is what the network's layer gives. Each lesson's
numbers are one frozen object (:class:`PoolingShift`, :class:`RgbConvolution`,
:class:`ReceptiveField`, :class:`Losses`, :class:`Activations`, :class:`Convolution`,
:class:`Window`) that :mod:`optviz.plot.cnn_lessons` and :mod:`optviz.plot.nn_figures`
draw without computing anything, as :mod:`optviz.nn.gradient_lessons` does for the
gradient lessons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .activations import LeakyReLU, PReLU, ReLU, Sigmoid, Softmax, Tanh
from .im2col import conv_output_size
from .layers import AvgPool2D, Conv2D, MaxPool2D
from .losses import BCELoss, CrossEntropyLoss, MSELoss

__all__ = [
    "PoolingShift",
    "pooling_shift",
    "shift",
    "pushed_off",
    "DETECTIONS",
    "SHIFTS",
    "RgbConvolution",
    "rgb_convolution",
    "RGB_SIDE",
    "ReceptiveField",
    "receptive_field",
    "receptive_field_lesson",
    "Losses",
    "losses",
    "Activation",
    "Activations",
    "activations",
    "SATURATION",
    "LEAKY_A",
    "PRELU_A",
    "X_RANGE",
    "N_POINTS",
    "Convolution",
    "convolution",
    "KERNELS",
    "Window",
    "sliding_window",
    "WINDOW_INPUT",
    "WINDOW_KERNEL",
]

#: A feature map with four detections, each in the left column of its 2x2 window (so
#: a one-pixel shift to the right keeps it inside the window, a shift to the left
#: carries it across the window's edge, and none is on the map's edge, so no shift
#: pushes one off the map). Two windows have the same mean, 0.25, and different
#: strongest responses: one detection of 1.0, two of 0.5.
DETECTIONS = np.zeros((8, 8))
DETECTIONS[0, 2], DETECTIONS[1, 2] = 0.9, 0.3
DETECTIONS[4, 2] = 1.0
DETECTIONS[4, 6], DETECTIONS[5, 6] = 0.5, 0.5
DETECTIONS[6, 4], DETECTIONS[7, 4] = 0.7, 0.1

#: The columns of the pooling lesson: (name, pixels to the right).
SHIFTS = (("unshifted", 0), ("shifted 1 pixel right", 1), ("shifted 1 pixel left", -1))


def shift(x: np.ndarray, right: int) -> np.ndarray:
    """``x`` moved ``right`` pixels to the right (left when negative), zeros coming in."""
    out = np.zeros_like(x)
    if right >= 0:
        out[..., right:] = x[..., : x.shape[-1] - right]
    else:
        out[..., :right] = x[..., -right:]
    return out


def pushed_off(x: np.ndarray, right: int) -> int:
    """How many non-zero values of ``x`` a shift of ``right`` pixels pushes off the
    map (they are lost, not moved)."""
    if right == 0:
        return 0
    edge = x[..., x.shape[-1] - right :] if right > 0 else x[..., :-right]
    return int(np.count_nonzero(edge))


def _pools(x: np.ndarray, pool: int):
    x4 = x[None, None]
    return (
        np.array(MaxPool2D(pool).forward(x4))[0, 0],
        np.array(AvgPool2D(pool).forward(x4))[0, 0],
    )


@dataclass(frozen=True)
class PoolingShift:
    """A feature map, shifted (one entry per :data:`SHIFTS` column), and its max and
    average pooling; which pooled cells differ from the unshifted map's; how many
    values each shift pushed off the map; the unshifted map's strongest pooled
    response and its window's mean; and, when there is one, another window with the
    same mean and a weaker strongest response (what max pooling tells apart and
    average pooling does not)."""

    pool: int
    names: tuple[str, ...]  # the columns
    maps: tuple[np.ndarray, ...]  # (H, W) each
    maxed: tuple[np.ndarray, ...]  # (H / pool, W / pool) each
    averaged: tuple[np.ndarray, ...]
    max_differs: tuple[np.ndarray, ...]  # bool, against the unshifted column
    average_differs: tuple[np.ndarray, ...]
    strongest: float  # the largest max-pooled value of the unshifted map
    mean_there: float  # the average pooling of that window
    top: float  # the colour scale's top: the map's largest value (1 for a zero map)
    lost: tuple[int, ...] = ()  # values pushed off the map, per column
    cell: tuple[int, int] = (0, 0)  # the pooled cell of ``strongest``
    twin: tuple[int, int] | None = None  # a cell with the same mean, a weaker max
    twin_max: float | None = None  # its max pooling (its mean is ``mean_there``)


def _twin(maxed: np.ndarray, averaged: np.ndarray, cell) -> tuple | None:
    """The pooled cell other than ``cell`` whose mean equals ``cell``'s and whose max
    is smallest but not equal (None when there is none)."""
    same = np.isclose(averaged, averaged[cell]) & ~np.isclose(maxed, maxed[cell])
    same &= averaged > 0
    if not same.any():
        return None
    flat = np.flatnonzero(same.ravel())
    best = flat[np.argmin(maxed.ravel()[flat])]
    return tuple(int(v) for v in np.unravel_index(best, maxed.shape))


def pooling_shift(feature_map: ArrayLike | None = None, *, pool: int = 2) -> PoolingShift:
    """Max and average ``pool`` x ``pool`` pooling of ``feature_map`` (default
    :data:`DETECTIONS`), unshifted and shifted one pixel right and left."""
    x = DETECTIONS if feature_map is None else np.asarray(feature_map, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"feature_map must have shape (H, W), got {x.shape}")
    maps = tuple(x if right == 0 else shift(x, right) for _, right in SHIFTS)
    pooled = [_pools(m, pool) for m in maps]
    maxed = tuple(p[0] for p in pooled)
    averaged = tuple(p[1] for p in pooled)
    r, c = (int(v) for v in np.unravel_index(np.argmax(maxed[0]), maxed[0].shape))
    twin = _twin(maxed[0], averaged[0], (r, c))
    return PoolingShift(
        pool=pool,
        names=tuple(name for name, _ in SHIFTS),
        maps=maps,
        maxed=maxed,
        averaged=averaged,
        max_differs=tuple(~np.isclose(m, maxed[0]) for m in maxed),
        average_differs=tuple(~np.isclose(a, averaged[0]) for a in averaged),
        strongest=float(maxed[0][r, c]),
        mean_there=float(averaged[0][r, c]),
        top=float(x.max()) or 1.0,
        lost=tuple(pushed_off(x, right) for _, right in SHIFTS),
        cell=(r, c),
        twin=twin,
        twin_max=None if twin is None else float(maxed[0][twin]),
    )


# -- one kernel on an RGB input ---------------------------------------------------------
RGB_SIDE = 5  # a 5x5 picture: the numbers stay readable


@dataclass(frozen=True)
class RgbConvolution:
    r"""One 3x3 kernel on a 3-channel input and the output cell ``cell`` worked out:
    :math:`y = w_R\cdot x_R + w_G\cdot x_G + w_B\cdot x_B + b`."""

    x: np.ndarray  # (3, RGB_SIDE, RGB_SIDE) pixels
    w: np.ndarray  # (3, 3, 3) weights, one 3x3 per channel
    bias: float
    y: np.ndarray  # (RGB_SIDE - 2, RGB_SIDE - 2): the Conv2D's output
    cell: tuple[int, int]  # the output cell worked out (row, column)
    patch: np.ndarray  # (3, 3, 3): the window of ``cell``
    sums: np.ndarray  # (3,): one inner product per channel


def rgb_convolution(
    *, seed=0, cell: tuple[int, int] = (1, 1), bias: float = 1.0
) -> RgbConvolution:
    """Small whole-number pixels (0-4) and weights (-1, 0, 1) drawn with ``seed``, one
    :class:`~optviz.nn.layers.Conv2D` (stride 1, no padding) with those weights and
    ``bias``, and its output cell ``cell`` (row, column; 0-based) worked out."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 5, size=(3, RGB_SIDE, RGB_SIDE)).astype(np.float64)
    w = rng.integers(-1, 2, size=(3, 3, 3)).astype(np.float64)
    conv = Conv2D(3, 1, 3, dtype=np.float64)
    conv.weight[...] = w[None]  # (3, 3, 3) -> (1, 3, 3, 3): one kernel, 3 channels
    conv.bias[...] = bias
    y = np.array(conv.forward(x[None]))[0, 0]  # (1, 3, 5, 5) -> (3, 3)
    h2 = y.shape[0]
    i, j = (int(v) for v in cell)
    if not (0 <= i < h2 and 0 <= j < h2):
        raise ValueError(f"cell must be a (row, column) in 0..{h2 - 1}, got {cell}")
    patch = x[:, i : i + 3, j : j + 3]
    sums = (patch * w).sum(axis=(1, 2))  # one inner product per channel
    return RgbConvolution(x, w, bias, y, (i, j), patch, sums)


# -- the receptive field ----------------------------------------------------------------
def receptive_field(layers: int, *, kernel: int = 3, side: int | None = None):
    """Measure, by back-propagation, which input pixels one output unit of
    ``layers`` stacked ``kernel`` x ``kernel`` convolutions (stride 1, no padding,
    all weights 1) depends on.

    Returns ``(maps, sides)``: ``maps[0]`` is the input's gradient of the centre unit
    of the last layer, ``maps[l]`` the gradient at layer ``l``'s output (the last is
    one-hot); ``sides[l]`` the side of the non-zero square of ``maps[l]``.

    Examples
    --------
    >>> receptive_field(3)[1]
    [7, 5, 3, 1]
    """
    side = side or (kernel - 1) * layers + 5
    convs = [Conv2D(1, 1, kernel, dtype=np.float64) for _ in range(layers)]
    for conv in convs:
        conv.weight[...] = 1.0
        conv.bias[...] = 0.0
    x = np.zeros((1, 1, side, side))
    outs = [x]
    for conv in convs:
        outs.append(np.array(conv.forward(outs[-1])))
    last = outs[-1]
    grad = np.zeros_like(last)
    c = last.shape[-1] // 2
    grad[0, 0, c, c] = 1.0
    maps = [grad[0, 0]]
    for conv in reversed(convs):
        grad = conv.backward(grad)
        maps.append(np.array(grad[0, 0]))
    maps = maps[::-1]
    sides = []
    for m in maps:
        rows = np.flatnonzero(np.abs(m).sum(axis=1) > 0)
        sides.append(int(rows[-1] - rows[0] + 1))
    return maps, sides


@dataclass(frozen=True)
class ReceptiveField:
    """What one unit of ``layers`` stacked convolutions sees (:func:`receptive_field`),
    and the side it sees for 1 .. ``deepest`` layers."""

    layers: int
    kernel: int
    maps: tuple[np.ndarray, ...]  # the gradient at the input and each layer's output
    sides: tuple[int, ...]  # the side of each map's non-zero square
    starts: tuple[int, ...]  # the first row (and column) of that square
    depths: np.ndarray  # 1 .. deepest
    measured: tuple[int, ...]  # the input's side for each depth


def receptive_field_lesson(
    layers: int = 3, *, kernel: int = 3, deepest: int = 8
) -> ReceptiveField:
    """:func:`receptive_field` of ``layers`` stacked ``kernel`` x ``kernel``
    convolutions, and of 1 .. ``deepest`` of them."""
    maps, sides = receptive_field(layers, kernel=kernel)
    starts = tuple(int(np.flatnonzero(m.sum(axis=1) > 0)[0]) for m in maps)
    depths = np.arange(1, deepest + 1)
    measured = tuple(receptive_field(int(d), kernel=kernel)[1][0] for d in depths)
    return ReceptiveField(
        layers, kernel, tuple(maps), tuple(sides), starts, depths, measured
    )


# -- softmax and the losses -------------------------------------------------------------
def _per_point(loss, predictions: np.ndarray, target) -> np.ndarray:
    """``loss`` at each prediction on its own (the losses average over a batch)."""
    return np.array([loss.forward(np.array([p]), np.array([target])) for p in predictions])


@dataclass(frozen=True)
class Losses:
    """Softmax of the logits ``(z, 0, 0)``, and the losses as functions of the
    prediction, each computed by its own class."""

    z: np.ndarray  # (N,) the logit of class 1
    probs: np.ndarray  # (N, 3) softmax of (z, 0, 0)
    multi: np.ndarray  # (N,) cross-entropy of (z, 0, 0) for true class 1
    y_hat: np.ndarray  # (M,) predictions in (0, 1)
    mse: np.ndarray  # (M,) squared error for y = 1
    bce1: np.ndarray  # (M,) binary cross-entropy for y = 1
    bce0: np.ndarray  # (M,) and for y = 0


def losses() -> Losses:
    r""":class:`~optviz.nn.activations.Softmax`, :class:`~optviz.nn.losses.MSELoss`,
    :class:`~optviz.nn.losses.BCELoss` and :class:`~optviz.nn.losses.CrossEntropyLoss`
    over z in [-6, 6] and :math:`\hat y` in [0.001, 0.999]."""
    z = np.linspace(-6.0, 6.0, 481)
    y_hat = np.linspace(0.001, 0.999, 999)
    logits = np.stack([z, np.zeros_like(z), np.zeros_like(z)], axis=1)  # (N, 3)
    probs = np.asarray(Softmax().forward(logits), dtype=float)
    ce = CrossEntropyLoss()
    return Losses(
        z=z,
        probs=probs,
        multi=np.array([ce.forward(row[None], np.array([0])) for row in logits]),
        y_hat=y_hat,
        mse=_per_point(MSELoss(), y_hat, 1.0),
        bce1=_per_point(BCELoss(), y_hat, 1.0),
        bce0=_per_point(BCELoss(), y_hat, 0.0),
    )


# -- the activations --------------------------------------------------------------------
#: A derivative below this counts as saturating (the gradient all but vanishes).
SATURATION = 0.05
#: LeakyReLU's fixed slope, larger than the usual 0.01 so that it shows.
LEAKY_A = 0.1
#: An example of a learned PReLU slope (PReLU's initial value).
PRELU_A = 0.25
#: The inputs x of the activation curves.
X_RANGE = (-6.0, 6.0)
N_POINTS = 1201  # includes x = 0
#: A mean output this close to 0 counts as zero-centred.
ZERO_CENTRED = 1e-6


def _mean_output(layer) -> float:
    """:math:`E[f(x)]` for :math:`x \\sim N(0, 1)`, by quadrature on a fine grid."""
    x = np.linspace(-10.0, 10.0, 4001)
    weight = np.exp(-0.5 * x * x)
    return float(np.sum(np.asarray(layer.forward(x), dtype=float) * weight) / weight.sum())


@dataclass(frozen=True)
class Activation:
    """One activation on the lesson's inputs: ``f`` by its ``forward``, ``d`` =
    :math:`f'` by its ``backward`` with ``grad = 1``; ``kind`` is "dead", "leaky" or
    "saturating"."""

    name: str
    kind: str
    f: np.ndarray
    d: np.ndarray
    slope: float | None  # a leaky activation's slope for x <= 0
    saturating: np.ndarray  # bool: where d < SATURATION
    top: float  # the largest derivative
    mean: float  # E[f(x)] for x ~ N(0, 1)
    zero_centred: bool  # |mean| < ZERO_CENTRED


@dataclass(frozen=True)
class Activations:
    """ReLU, LeakyReLU, PReLU, sigmoid and tanh on ``x``."""

    x: np.ndarray
    x_range: tuple[float, float]
    saturation: float
    a_leaky: float
    a_prelu: float
    curves: tuple[Activation, ...]


def activations(*, a_leaky: float = LEAKY_A, a_prelu: float = PRELU_A) -> Activations:
    """The five activations of the notes, with ``a_leaky`` LeakyReLU's fixed slope and
    ``a_prelu`` an example of PReLU's learned one."""
    x = np.linspace(*X_RANGE, N_POINTS)
    layers = [
        ("ReLU", ReLU(), "dead", None),
        ("LeakyReLU", LeakyReLU(a_leaky), "leaky", a_leaky),
        ("PReLU", PReLU(init=a_prelu, dtype=np.float64), "leaky", a_prelu),
        ("sigmoid", Sigmoid(), "saturating", None),
        ("tanh", Tanh(), "saturating", None),
    ]
    curves = []
    for name, layer, kind, slope in layers:
        f = np.asarray(layer.forward(x), dtype=float)
        d = np.asarray(layer.backward(np.ones_like(x)), dtype=float)
        mean = _mean_output(layer)
        curves.append(
            Activation(
                name,
                kind,
                f,
                d,
                slope,
                d < SATURATION,
                float(d.max()),
                mean,
                abs(mean) < ZERO_CENTRED,
            )
        )
    return Activations(x, X_RANGE, SATURATION, a_leaky, a_prelu, tuple(curves))


# -- convolution and pooling ------------------------------------------------------------
#: 3x3 kernels for the convolution lesson: Prewitt edge detectors and a box blur.
KERNELS: dict[str, np.ndarray] = {
    "vertical edge": np.array([[-1.0, 0.0, 1.0]] * 3),
    "horizontal edge": np.array([[-1.0, 0.0, 1.0]] * 3).T.copy(),
    "blur": np.full((3, 3), 1.0 / 9.0),
}


def _conv_inputs(image, kernels, names) -> tuple[np.ndarray, np.ndarray, list]:
    """(image (H, W), kernels (F, FH, FW), names), checked; the default kernels
    when none are given."""
    if kernels is None:
        kernels, names = np.stack(list(KERNELS.values())), list(KERNELS)
    kernels = np.asarray(kernels, dtype=np.float64)
    if kernels.ndim == 2:
        kernels = kernels[None]
    if kernels.ndim != 3:
        raise ValueError(f"kernels must have shape (F, FH, FW), got {kernels.shape}")
    names = [f"kernel {i + 1}" for i in range(len(kernels))] if names is None else names
    names = list(names)
    if len(names) != len(kernels):
        raise ValueError(f"{len(kernels)} kernels but {len(names)} names")
    img = np.asarray(image, dtype=np.float64)
    img = img.reshape(img.shape[-2:]) if img.ndim == 4 and img.shape[:2] == (1, 1) else img
    if img.ndim != 2:
        raise ValueError(f"image must have shape (H, W) or (1, 1, H, W), got {img.shape}")
    return img, kernels, names


def _conv_maps(img, kernels, padding: int, pool: int) -> tuple:
    """(feature maps after ReLU, max-pooled, average-pooled), each ``(F, H, W)``."""
    n_k, fh, fw = kernels.shape
    conv = Conv2D(1, n_k, (fh, fw), stride=1, padding=padding, dtype=np.float64)
    conv.weight[...] = kernels[:, None]  # (F, FH, FW) -> (F, 1, FH, FW)
    conv.bias[...] = 0
    x = img[None, None]  # (H, W) -> (1, 1, H, W)
    fmaps = np.array(ReLU().forward(conv.forward(x)))  # (1, F, H2, W2)
    maxed = np.array(MaxPool2D(pool).forward(fmaps))[0]  # (F, H3, W3)
    averaged = np.array(AvgPool2D(pool).forward(fmaps))[0]
    return fmaps[0], maxed, averaged


@dataclass(frozen=True)
class Convolution:
    """A grey image, kernels and their feature maps (convolution, then ReLU), max and
    average pooled; the output sizes as ``(H1, FH, P, S, H2)``."""

    image: np.ndarray  # (H, W)
    kernels: np.ndarray  # (F, FH, FW)
    names: tuple[str, ...]
    padding: int
    pool: int
    fmaps: np.ndarray  # (F, H2, W2)
    maxed: np.ndarray  # (F, H3, W3)
    averaged: np.ndarray
    conv_size: tuple[int, int, int, int, int]
    pool_size: tuple[int, int, int, int, int]


def convolution(
    image: ArrayLike,
    kernels: ArrayLike | None = None,
    names: Sequence[str] | None = None,
    *,
    padding: int = 1,
    pool: int = 2,
) -> Convolution:
    """Each kernel (default the three of :data:`KERNELS`) as one filter of a
    :class:`~optviz.nn.layers.Conv2D` (stride 1, zero padding ``padding``, bias 0) on
    ``image`` ((H, W) or (1, 1, H, W)), then ReLU, then
    :class:`~optviz.nn.layers.MaxPool2D` and :class:`~optviz.nn.layers.AvgPool2D`
    (``pool`` x ``pool`` windows, stride ``pool``)."""
    img, kernels, names = _conv_inputs(image, kernels, names)
    fmaps, maxed, averaged = _conv_maps(img, kernels, padding, pool)
    h1, fh = img.shape[0], kernels.shape[1]
    h2 = fmaps.shape[-2]
    return Convolution(
        img,
        kernels,
        tuple(names),
        padding,
        pool,
        fmaps,
        maxed,
        averaged,
        (h1, fh, padding, 1, conv_output_size(h1, fh, padding, 1)),
        (h2, pool, 0, pool, conv_output_size(h2, pool, 0, pool)),
    )


# -- the sliding window -----------------------------------------------------------------
#: The sliding window's default input (5x5, small whole numbers) and kernel.
WINDOW_INPUT = np.array(
    [
        [0, 1, 2, 1, 0],
        [1, 3, 1, 0, 2],
        [2, 1, 0, 3, 1],
        [0, 2, 3, 1, 0],
        [1, 0, 1, 2, 3],
    ],
    dtype=np.float64,
)
WINDOW_KERNEL = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]], dtype=np.float64)


@dataclass(frozen=True)
class Window:
    """A kernel sliding over a zero-padded input with a stride: the input, the kernel,
    the :class:`~optviz.nn.layers.Conv2D`'s forward output and its size worked out
    ``(H1, FH, P, S, H2)``."""

    input: np.ndarray  # (H, W)
    kernel: np.ndarray  # (FH, FW)
    padding: int
    stride: int
    bias: float
    output: np.ndarray  # (H2, W2)
    size: tuple[int, int, int, int, int]


def sliding_window(
    image: ArrayLike | None = None,
    kernel: ArrayLike | None = None,
    *,
    padding: int = 1,
    stride: int = 2,
    bias: float = 0.0,
) -> Window:
    """``kernel`` (default :data:`WINDOW_KERNEL`) as one Conv2D filter over ``image``
    (one grey image; default :data:`WINDOW_INPUT`) with ``padding``, ``stride`` and
    ``bias``: by default :math:`H_2 = (5 - 3 + 2)/2 + 1 = 3`."""
    from .network_lessons import grey_image

    x = grey_image(WINDOW_INPUT if image is None else image)
    k = np.asarray(WINDOW_KERNEL if kernel is None else kernel, dtype=np.float64)
    if k.ndim != 2:
        raise ValueError(f"kernel must have shape (FH, FW), got {k.shape}")
    conv = Conv2D(1, 1, k.shape, stride=stride, padding=padding, dtype=np.float64)
    conv.weight[...] = k[None, None]
    conv.bias[...] = bias
    output = np.array(conv.forward(x))[0, 0]  # (H2, W2)
    h1, fh, p, s = x.shape[2], k.shape[0], int(padding), int(stride)
    size = (h1, fh, p, s, conv_output_size(h1, fh, p, s))
    return Window(x[0, 0], k, p, s, float(bias), output, size)
