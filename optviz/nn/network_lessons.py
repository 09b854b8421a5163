r"""The numbers of the CNN's network figures: the notes' smallest CNN, one image through
it stage by stage, and its fully connected layer as one matrix-vector product.

Every number is a real forward output of :mod:`optviz.nn`'s layers; each lesson's
numbers are one frozen object (:class:`Through`, :class:`FullyConnected`) that
:mod:`optviz.plot.cnn_lessons` draws without computing anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .activations import ReLU, Softmax
from .im2col import conv_output_size
from .layers import AvgPool2D, Conv2D, Dense, Flatten, MaxPool2D, Sequential

__all__ = [
    "teaching_cnn",
    "grey_image",
    "Stage",
    "Dead",
    "dead_maps",
    "Through",
    "through_network",
    "FullyConnected",
    "fully_connected",
    "STAGE_NAMES",
    "DIGITS_SIDE",
]

DIGITS_SIDE = 8  # the shipped digits are 8x8

#: A stage's name by layer type.
STAGE_NAMES = {
    "Conv2D": "convolution",
    "ReLU": "activation: ReLU",
    "LeakyReLU": "activation: LeakyReLU",
    "Sigmoid": "activation: sigmoid",
    "Tanh": "activation: tanh",
    "MaxPool2D": "max pooling",
    "AvgPool2D": "average pooling",
    "Flatten": "flatten",
    "Dense": "fully connected: class scores",
}


def teaching_cnn(kernels: int = 4, *, side: int = DIGITS_SIDE, seed=0) -> Sequential:
    """The notes' network at its smallest: conv 3x3 (padding 1) -> ReLU -> max pool 2
    -> flatten -> dense 10, in float64, few enough kernels to draw every feature map.

    Untrained (He/Xavier initial weights from ``seed``); train it with
    :func:`optviz.nn.train` before drawing it, e.g.::

        net = teaching_cnn()
        train(net, Adam(lr=0.01), load_dataset("digits"), epochs=5)

    Examples
    --------
    >>> teaching_cnn().output_shape((2, 1, 8, 8))
    (2, 10)
    """
    h = conv_output_size(conv_output_size(side, 3, 1, 1), 2, 0, 2)
    return Sequential(
        Conv2D(1, kernels, 3, padding=1),  # (N, 1, 8, 8) -> (N, F, 8, 8)
        ReLU(),
        MaxPool2D(2),  # -> (N, F, 4, 4)
        Flatten(),  # -> (N, F*16)
        Dense(kernels * h * h, 10, init="xavier"),  # -> (N, 10) class scores
        dtype=np.float64,
        seed=seed,
    )


def grey_image(image: ArrayLike | None, name: str = "image") -> np.ndarray:
    """A grey image as ``(1, 1, H, W)`` float64; default the first 3 of the digits."""
    if image is None:
        from .data import digits

        x, y = digits(np.float64)
        return x[int(np.flatnonzero(y == 3)[0])][None]
    img = np.asarray(image, dtype=np.float64)
    if img.ndim == 2:
        img = img[None, None]
    elif img.ndim == 3 and img.shape[0] == 1:
        img = img[None]
    if img.ndim != 4 or img.shape[:2] != (1, 1):
        raise ValueError(
            f"{name} must be one grey image of shape (H, W), (1, H, W) or (1, 1, H, W), "
            f"got {img.shape}"
        )
    return img


@dataclass(frozen=True)
class Stage:
    """One stage of a network on one image: its name, its output (batch dimension of
    1 kept) and, under a convolution or pooling, its output size worked out:
    ``size = (H1, FH, P, S, H2)`` with :math:`H_2 = (H_1 - F_H + 2P)/S + 1`."""

    name: str
    out: np.ndarray
    size: tuple[int, int, int, int, int] | None = None


@dataclass(frozen=True)
class Dead:
    """The feature maps of a network's first activation that are all 0 for one image
    (``maps``), and of those, the ones all 0 on every one of ``seen`` images
    (``never``: dead kernels, the notes' 神经元死亡, "dead ReLU": their gradient is 0
    for every image, so training cannot revive them). ``never`` is () and ``seen`` 0
    when no images were checked."""

    maps: tuple[int, ...] = ()
    never: tuple[int, ...] = ()
    seen: int = 0


@dataclass(frozen=True)
class Through:
    """One image through a network: every stage, the input first and the softmax of
    the last layer last; ``label`` its true class (or None); ``dead`` the maps its
    first activation leaves all 0."""

    stages: tuple[Stage, ...]
    label: int | None = None
    dead: Dead = Dead()


def _first_activation(model: Sequential) -> int | None:
    """The index of the first layer after a Conv2D that is neither a convolution nor
    pooling (the activation), or None."""
    seen_conv = False
    for k, layer in enumerate(model.layers):
        if isinstance(layer, Conv2D):
            seen_conv = True
        elif seen_conv and not isinstance(layer, (MaxPool2D, AvgPool2D)):
            return k if not isinstance(layer, (Flatten, Dense)) else None
    return None


def dead_maps(model: Sequential, image: ArrayLike | None, images=None) -> Dead:
    """Which maps of ``model``'s first activation are all 0 for ``image``, and which
    of those stay 0 on every one of ``images`` ((N, 1, H, W); optional)."""
    k = _first_activation(model)
    if k is None:
        return Dead()
    x = grey_image(image)
    for layer in model.layers[: k + 1]:
        x = layer.forward(x)
    maps = tuple(int(c) for c in np.flatnonzero(~np.asarray(x[0]).any(axis=(1, 2))))
    if images is None or not maps:
        return Dead(maps)
    out = np.asarray(images, dtype=np.float64)
    for layer in model.layers[: k + 1]:
        out = layer.forward(out)
    alive = np.asarray(out).any(axis=(0, 2, 3))  # (C,): non-zero on some image
    never = tuple(c for c in maps if not alive[c])
    return Dead(maps, never, int(len(out)))


def _size(layer, h1: int) -> tuple[int, int, int, int, int]:
    fh, s = layer.kernel_size[0], layer.stride[0]
    p = layer.padding[0] if isinstance(layer, Conv2D) else 0
    return (h1, fh, p, s, conv_output_size(h1, fh, p, s))


def _run(
    model: Sequential, image: ArrayLike | None
) -> list[tuple[str, object, np.ndarray]]:
    """``(name, layer, output)`` of every stage of ``model`` for one image: the input
    first (layer None), then each layer's forward output, then the softmax of the last.
    """
    x = grey_image(image)
    out = [("input", None, x)]
    for layer in model.layers:
        x = layer.forward(x)
        out.append((STAGE_NAMES.get(type(layer).__name__, type(layer).__name__), layer, x))
    out.append(("softmax", None, Softmax().forward(x)))
    return out


def through_network(
    model: Sequential,
    image: ArrayLike | None = None,
    *,
    label: int | None = None,
    images=None,
) -> Through:
    """``image`` (one grey image; default the first 3 of the shipped digits) through
    ``model`` (a network of Conv2D, activations, pooling, Flatten and Dense layers,
    such as :func:`teaching_cnn`), stage by stage; the maps its first activation
    leaves all 0, checked on ``images`` too when given (:func:`dead_maps`)."""
    stages, h = [], None
    for name, layer, out in _run(model, image):
        size = None
        if isinstance(layer, (Conv2D, MaxPool2D, AvgPool2D)) and h is not None:
            size = _size(layer, h)
        stages.append(Stage(name, out, size))
        if out.ndim == 4:
            h = out.shape[2]
    dead = dead_maps(model, image, images)
    return Through(tuple(stages), None if label is None else int(label), dead)


@dataclass(frozen=True)
class FullyConnected:
    """The fully connected layer on one image: the pooled maps ``(C, H, W)``, their
    flattening ``x``, the weights ``w`` (one row per class), the bias ``b``, the
    scores ``z = w x + b`` and the row worked out."""

    maps: np.ndarray
    x: np.ndarray
    w: np.ndarray
    b: np.ndarray
    z: np.ndarray
    row: int
    dead: Dead = Dead()


def fully_connected(
    model: Sequential,
    image: ArrayLike | None = None,
    *,
    row: int | None = None,
    images=None,
) -> FullyConnected:
    """``model`` (ending in Flatten then Dense, as :func:`teaching_cnn` does) on one
    image; the row worked out is ``row`` (default the highest score); the maps all 0
    (:func:`dead_maps`, checked on ``images`` too when given)."""
    run = _run(model, image)
    flat_at = [k for k, (_, layer, _) in enumerate(run) if isinstance(layer, Flatten)]
    if not flat_at or not isinstance(run[flat_at[0] + 1][1], Dense):
        raise ValueError("model must end in Flatten then Dense, as teaching_cnn() does")
    k = flat_at[0]
    dense = run[k + 1][1]
    z = run[k + 1][2][0]
    return FullyConnected(
        maps=run[k - 1][2][0],  # (C, H, W)
        x=run[k][2][0],  # (C*H*W,)
        w=np.asarray(dense.weight),
        b=np.asarray(dense.bias),
        z=z,
        row=int(np.argmax(z)) if row is None else int(row),
        dead=dead_maps(model, image, images),
    )
