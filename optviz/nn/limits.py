"""Sizes a data set or a rebuilt network may have, shared by the loaders
(:mod:`optviz.nn.data`) and the networks (:mod:`optviz.nn.model`); both re-export them.

Every loader bounds what it allocates by these before reading a file's body, and every
network rebuilt from settings is checked against them before it is built.
"""

from __future__ import annotations

__all__ = ["MAX_CLASSES", "MAX_INPUT_CHANNELS", "MAX_IMAGE_SIDE", "MAX_SHOWN", "brief"]

#: Most classes a data set may have: a label of 10**7 would ask for a 10**7-wide layer.
MAX_CLASSES = 1000
#: Most input channels of an image (and of a network's first convolution).
MAX_INPUT_CHANNELS = 64
#: Largest image height or width.
MAX_IMAGE_SIDE = 1024
#: Error messages quote at most this many characters of a value.
MAX_SHOWN = 80


def brief(text: str, limit: int = MAX_SHOWN) -> str:
    """``text``, cut to ``limit`` characters (``...`` at the end) for an error message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
