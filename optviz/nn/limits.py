"""Sizes a data set or a rebuilt network may have, shared by the loaders
(:mod:`optviz.nn.data`) and the networks (:mod:`optviz.nn.model`); both re-export them.

Every loader bounds what it allocates by these before reading a file's body, and every
network rebuilt from settings is checked against them before it is built.
"""

from __future__ import annotations

__all__ = ["MAX_CLASSES", "MAX_INPUT_CHANNELS", "MAX_IMAGE_SIDE"]

#: Most classes a data set may have: a label of 10**7 would ask for a 10**7-wide layer.
MAX_CLASSES = 1000
#: Most input channels of an image (and of a network's first convolution).
MAX_INPUT_CHANNELS = 64
#: Largest image height or width.
MAX_IMAGE_SIDE = 1024
