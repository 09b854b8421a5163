"""Ready-made networks: the default CNN that adapts to the images, and a small LeNet.

Both are the notes' layout, input -> (convolution -> ReLU -> pooling) x 2 -> fully
connected, and end in class scores (logits) for
:class:`~optviz.nn.losses.CrossEntropyLoss`.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import DTypeLike

from .activations import ReLU
from .im2col import conv_output_size
from .layers import Conv2D, Dense, Flatten, Layer, MaxPool2D, Sequential
from .limits import MAX_CLASSES, MAX_IMAGE_SIDE, MAX_INPUT_CHANNELS

__all__ = [
    "default_cnn",
    "lenet",
    "CHANNEL_CHOICES",
    "WORK_BUDGET",
    "auto_channels",
    "check_architecture",
    "model_from_builder",
    "MAX_CHANNELS",
    "MAX_INPUT_CHANNELS",
    "MAX_IMAGE_SIDE",
    "MAX_PARAMETERS",
    "MAX_ACTIVATIONS",
]

#: Kernels in the default CNN's two convolutions, widest first: the first one whose
#: work fits :data:`WORK_BUDGET` is used (the last one in any case).
CHANNEL_CHOICES = ((32, 64), (16, 32), (8, 16))
#: Multiply-adds per image the default CNN's convolutions may cost: about the work of
#: the 8x8 digits with 32 and 64 kernels, so MNIST-sized images stay as quick.
WORK_BUDGET = 400_000
#: Limits of a network rebuilt from settings (a run folder's ``settings.json``): kernels
#: per convolution, scalar parameters, and numbers one image's activations may take (the
#: largest layer output); input channels, image sides and classes are in :mod:`.limits`.
#: The largest default network within them needs about 0.4 GB for its parameters and
#: snapshots.
MAX_CHANNELS = 1024
MAX_PARAMETERS = 20_000_000
MAX_ACTIVATIONS = 5_000_000


def _input_shape(input_shape: Sequence[int]) -> tuple[int, int, int]:
    shape = tuple(int(v) for v in input_shape)
    if len(shape) != 3 or min(shape) < 1:
        raise ValueError(f"input_shape must be (C, H, W) of sizes >= 1, got {input_shape}")
    return shape


def _check_classes(n_classes: int) -> int:
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)):
        raise ValueError(f"n_classes must be a whole number, got {_short(n_classes)}")
    if not 2 <= n_classes <= MAX_CLASSES:
        raise ValueError(
            f"n_classes must be in [2, {MAX_CLASSES}] (MAX_CLASSES), got {n_classes}"
        )
    return int(n_classes)


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _whole(name: str, value, low: int, high: int, limit_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number, got {_short(value)}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be in [{low}, {high}] ({limit_name}), got {value}")
    return int(value)


def check_architecture(input_shape, n_classes, channels=None, dtype="float32") -> dict:
    """Check the arguments of :func:`default_cnn` against the limits before anything
    is built; return them cleaned (``input_shape`` and ``channels`` as tuples).

    Every size is bounded (:data:`MAX_INPUT_CHANNELS`, :data:`MAX_IMAGE_SIDE`,
    :data:`MAX_CHANNELS`, ``MAX_CLASSES``), and so are the network's parameters
    (:data:`MAX_PARAMETERS`) and one image's largest activation
    (:data:`MAX_ACTIVATIONS`), counted from the sizes without allocating.

    >>> check_architecture((1, 8, 8), 10, (32, 64))["channels"]
    (32, 64)
    >>> check_architecture((1, 8, 8), 10, (32, 100000))
    Traceback (most recent call last):
    ...
    ValueError: channels[1] must be in [1, 1024] (MAX_CHANNELS), got 100000
    """
    if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (C, H, W), got {_short(input_shape)}")
    c = _whole(
        "input_shape[0] (channels)",
        input_shape[0],
        1,
        MAX_INPUT_CHANNELS,
        "MAX_INPUT_CHANNELS",
    )
    h = _whole(
        "input_shape[1] (height)", input_shape[1], 1, MAX_IMAGE_SIDE, "MAX_IMAGE_SIDE"
    )
    w = _whole(
        "input_shape[2] (width)", input_shape[2], 1, MAX_IMAGE_SIDE, "MAX_IMAGE_SIDE"
    )
    k = _check_classes(n_classes)
    if channels is None:
        c1, c2 = auto_channels((c, h, w))
    else:
        if not isinstance(channels, (list, tuple)) or len(channels) != 2:
            raise ValueError(f"channels must be two numbers, got {_short(channels)}")
        c1, c2 = (
            _whole(f"channels[{i}]", v, 1, MAX_CHANNELS, "MAX_CHANNELS")
            for i, v in enumerate(channels)
        )
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {_short(dtype)}")
    h2, w2 = _pooled(h), _pooled(w)
    h4, w4 = _pooled(h2), _pooled(w2)
    parameters = 9 * c * c1 + c1 + 9 * c1 * c2 + c2 + c2 * h4 * w4 * k + k
    if parameters > MAX_PARAMETERS:
        raise ValueError(
            f"this network would have {parameters} parameters, more than "
            f"{MAX_PARAMETERS} (MAX_PARAMETERS)"
        )
    largest = max(9 * c * h * w, c1 * h * w, 9 * c1 * h2 * w2, c2 * h2 * w2)
    if largest > MAX_ACTIVATIONS:
        raise ValueError(
            f"one image would need {largest} numbers in one layer, more than "
            f"{MAX_ACTIVATIONS} (MAX_ACTIVATIONS); use smaller images or fewer channels"
        )
    return {
        "input_shape": (c, h, w),
        "n_classes": k,
        "channels": (c1, c2),
        "dtype": dt,
    }


def _pooled(size: int) -> int:
    k, s = _pool_window(size)
    return conv_output_size(size, k, 0, s)


#: The builder a training run records for its network (see ``train_optimizers``).
BUILDER_FUNCTION = "optviz.nn.model.default_cnn"


def model_from_builder(builder, source: str = "settings") -> Sequential:
    """Rebuild the network a training run recorded (its ``meta["builder"]``), after
    :func:`check_architecture`; every error is a one-line ValueError naming
    ``source`` (e.g. the run folder's settings.json).

    >>> b = {"function": BUILDER_FUNCTION, "arguments": {"input_shape": [1, 8, 8],
    ...      "n_classes": 10, "channels": [4, 8], "dtype": "float32"}}
    >>> model_from_builder(b).size
    666
    """
    if not isinstance(builder, dict) or builder.get("function") != BUILDER_FUNCTION:
        raise ValueError(
            f"{source}: only runs of the default network ({BUILDER_FUNCTION}) can be "
            "rebuilt"
        )
    args = builder.get("arguments")
    if not isinstance(args, dict):
        raise ValueError(f"{source}: builder arguments must be a mapping")
    known = {"input_shape", "n_classes", "channels", "dtype"}
    extra = sorted(set(args) - known)
    missing = sorted({"input_shape", "n_classes"} - set(args))
    if extra or missing:
        what = f"unknown {', '.join(map(_short, extra))}" if extra else ""
        what += ("; " if extra and missing else "") + (
            f"missing {', '.join(missing)}" if missing else ""
        )
        raise ValueError(
            f"{source}: builder arguments: {what} (allowed: {', '.join(sorted(known))})"
        )
    try:
        clean = check_architecture(**args)
    except ValueError as exc:
        raise ValueError(f"{source}: {exc}") from None
    return default_cnn(
        clean["input_shape"],
        clean["n_classes"],
        channels=clean["channels"],
        dtype=clean["dtype"],
    )


def _pool_window(size: int) -> tuple[int, int]:
    """(kernel, stride) that halves ``size``: 2/2 when even, 3/2 (overlapping windows)
    when odd, so H2 = (H1 - FH)/S + 1 is always whole; 1/1 (no pooling) at size 1."""
    if size == 1:
        return 1, 1
    return (2, 2) if size % 2 == 0 else (3, 2)


def _conv_work(c: int, h: int, w: int, c1: int, c2: int) -> int:
    """Multiply-adds of the default CNN's two 3x3 convolutions for one image."""
    return 9 * (h * w * c * c1 + (h // 2) * (w // 2) * c1 * c2)


def auto_channels(input_shape: Sequence[int]) -> tuple[int, int]:
    """The widest of :data:`CHANNEL_CHOICES` within :data:`WORK_BUDGET` for images of
    ``input_shape``: (32, 64) for the 8x8 digits, (8, 16) for 28x28 MNIST.

    >>> auto_channels((1, 8, 8)), auto_channels((1, 16, 16)), auto_channels((1, 28, 28))
    ((32, 64), (16, 32), (8, 16))
    """
    c, h, w = _input_shape(input_shape)
    for c1, c2 in CHANNEL_CHOICES:
        if _conv_work(c, h, w, c1, c2) <= WORK_BUDGET:
            return c1, c2
    return CHANNEL_CHOICES[-1]


def default_cnn(
    input_shape: Sequence[int],
    n_classes: int,
    *,
    channels: Sequence[int] | None = None,
    seed=0,
    dtype: DTypeLike = np.float32,
) -> Sequential:
    """conv 3x3 -> ReLU -> max pool -> conv 3x3 -> ReLU -> max pool -> dense.

    The convolutions pad by 1 so they keep the image size; each pooling halves it
    (2x2 windows on an even size, overlapping 3x3 windows with stride 2 on an odd one),
    so any image size fits: 8x8 digits go 8 -> 4 -> 2, 28x28 MNIST 28 -> 14 -> 7.

    Parameters
    ----------
    input_shape : (C, H, W)
        One image's shape.
    n_classes : int
        Number of classes (outputs of the last layer).
    channels : (int, int), optional
        Kernels in the first and second convolution; default :func:`auto_channels`,
        (32, 64) for the digits, fewer for larger images so that an image costs about
        the same work.
    seed : int or Generator
        Initial weights (He for the convolutions, Xavier for the output layer).
    dtype : float32 or float64

    Examples
    --------
    >>> net = default_cnn((1, 8, 8), 10)
    >>> net.output_shape((5, 1, 8, 8))
    (5, 10)
    """
    c, h, w = _input_shape(input_shape)
    n_classes = _check_classes(n_classes)
    # Within the limits (MAX_CHANNELS, MAX_PARAMETERS, ...) before anything is built.
    clean = check_architecture(
        [c, h, w],
        n_classes,
        None if channels is None else list(channels),
        np.dtype(dtype) if dtype in (np.float32, np.float64) else dtype,
    )
    c1, c2 = clean["channels"]
    layers: list[Layer] = []
    for c_in, c_out in ((c, c1), (c1, c2)):
        (kh, sh), (kw, sw) = _pool_window(h), _pool_window(w)
        layers += [
            Conv2D(c_in, c_out, 3, padding=1),  # (N, C, H, W) -> (N, c_out, H, W)
            ReLU(),
            MaxPool2D((kh, kw), stride=(sh, sw)),  # -> (N, c_out, H/2, W/2)
        ]
        h, w = conv_output_size(h, kh, 0, sh), conv_output_size(w, kw, 0, sw)
    layers += [Flatten(), Dense(c2 * h * w, n_classes, init="xavier")]
    return Sequential(*layers, dtype=dtype, seed=seed)


def lenet(
    input_shape: Sequence[int] = (1, 28, 28),
    n_classes: int = 10,
    *,
    seed=0,
    dtype: DTypeLike = np.float32,
) -> Sequential:
    """A LeNet-like network for MNIST-sized images (the speed benchmark's second one).

    conv 8@5x5 -> ReLU -> max pool 2 -> conv 16@5x5 -> ReLU -> max pool 2 -> dense 64
    -> ReLU -> dense ``n_classes``. For 28x28: 28 -> 24 -> 12 -> 8 -> 4.

    Examples
    --------
    >>> lenet().output_shape((2, 1, 28, 28))
    (2, 10)
    """
    c, h, w = _input_shape(input_shape)
    n_classes = _check_classes(n_classes)
    h2 = conv_output_size(conv_output_size(h, 5), 2, 0, 2)
    h2 = conv_output_size(conv_output_size(h2, 5), 2, 0, 2)
    w2 = conv_output_size(conv_output_size(w, 5), 2, 0, 2)
    w2 = conv_output_size(conv_output_size(w2, 5), 2, 0, 2)
    return Sequential(
        Conv2D(c, 8, 5),  # (N, C, 28, 28) -> (N, 8, 24, 24)
        ReLU(),
        MaxPool2D(2),  # -> (N, 8, 12, 12)
        Conv2D(8, 16, 5),  # -> (N, 16, 8, 8)
        ReLU(),
        MaxPool2D(2),  # -> (N, 16, 4, 4)
        Flatten(),  # -> (N, 256)
        Dense(16 * h2 * w2, 64),
        ReLU(),
        Dense(64, n_classes, init="xavier"),
        dtype=dtype,
        seed=seed,
    )
