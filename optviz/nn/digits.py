"""The UCI handwritten digits: 1,797 images of 8x8 pixels, shipped inside optviz
(``optviz/nn/data/digits.csv.gz``), so they load offline.

Creators: E. Alpaydin and C. Kaynak, "Optical Recognition of Handwritten Digits", UCI
Machine Learning Repository, 1998, https://doi.org/10.24432/C50P49, licensed CC BY 4.0
(the test part, as distributed with scikit-learn).
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import DTypeLike

from .base import float_dtype

__all__ = ["digits", "DIGITS_SOURCE", "DIGITS_MAX"]

#: Where the digits come from (for sidecars and figure captions).
DIGITS_SOURCE = {
    "name": "UCI ML handwritten digits (optical recognition), test part",
    "creators": "E. Alpaydin, C. Kaynak",
    "url": "https://doi.org/10.24432/C50P49",
    "license": "CC BY 4.0",
    "via": "scikit-learn, sklearn/datasets/data/digits.csv.gz",
}
#: Largest value of a digits pixel (4x4 blocks of a 32x32 bitmap: 0..16 pixels on).
DIGITS_MAX = 16.0


@lru_cache(maxsize=1)
def _digits_raw() -> tuple[np.ndarray, np.ndarray]:
    source = resources.files("optviz.nn").joinpath("data", "digits.csv.gz")
    with source.open("rb") as raw, gzip.open(raw, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.float64)  # (1797, 64 + 1)
    images, labels = table[:, :-1], table[:, -1].astype(np.int64)
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def digits(dtype: DTypeLike = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """The UCI handwritten digits: 1,797 grey images of 8x8 pixels, classes 0-9.

    Each pixel counts the ink in a 4x4 block of a 32x32 bitmap (0..16); here it is
    divided by 16 into [0, 1]. Shipped with optviz, no download needed.

    Returns
    -------
    images : ndarray, shape (1797, 1, 8, 8)
    labels : ndarray of int64, shape (1797,)

    References
    ----------
    E. Alpaydin, C. Kaynak, "Optical Recognition of Handwritten Digits", UCI Machine
    Learning Repository, 1998, https://doi.org/10.24432/C50P49 (CC BY 4.0). The file
    is the copy scikit-learn distributes (its test part).

    Examples
    --------
    >>> x, y = digits()
    >>> x.shape, y[:5]
    ((1797, 1, 8, 8), array([0, 1, 2, 3, 4]))
    """
    images, labels = _digits_raw()
    x = (images / DIGITS_MAX).reshape(-1, 1, 8, 8)  # (1797, 64) -> (1797, 1, 8, 8)
    return x.astype(float_dtype(dtype)), labels.copy()
