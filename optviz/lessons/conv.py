r"""Two lessons on a convolution's sizes: how often each pixel is read, with and without
zero padding, and the output size :math:`H_2 = (H_1 - F_H + 2P)/S + 1` for each stride
and kernel, with the refusal of a size that is not a whole number.

Both use the project's own convolution pieces (:mod:`optviz.nn.im2col`): the count of
reads is :func:`~optviz.nn.im2col.col2im` of all-ones columns (the gradient each pixel
gets from an all-ones kernel), the sizes and the refusal are
:func:`~optviz.nn.im2col.conv_output_size`'s.
"""

from __future__ import annotations

import numpy as np

from ..nn.im2col import col2im, conv_output_size
from ..records import Lesson, Panel
from .claims import Claim, claims_of

__all__ = ["padding_coverage", "stride_kernel", "reads"]


def reads(side: int, kernel: int, padding: int, stride: int = 1) -> np.ndarray:
    """How many windows of a ``kernel`` x ``kernel`` convolution read each pixel of a
    ``side`` x ``side`` input (``padding`` zeros around, ``stride``): ``(side, side)``
    integers."""
    h2 = conv_output_size(side, kernel, padding, stride)
    ones = np.ones((kernel * kernel, h2 * h2))  # every window reads with weight 1
    k, s, p = (kernel, kernel), (stride, stride), (padding, padding)
    counts = col2im(ones, (1, 1, side, side), k, s, p)[0, 0]
    return np.rint(counts).astype(np.int64)


# -- padding-coverage ----------------------------------------------------------------------
def padding_coverage(side: int = 7, kernel: int = 3) -> Lesson:
    r"""How often a ``kernel`` x ``kernel`` convolution (stride 1) reads each pixel of a
    ``side`` x ``side`` input, without padding and with P = 1.

    Without padding a corner pixel is in one window, a central one in FH² = 9: the
    edges count less (the notes' 边缘填充). One ring of zeros puts the corner in 4
    windows and keeps the output as large as the input.
    """
    panels = []
    for padding in (0, 1):
        counts = reads(side, kernel, padding)
        h2 = conv_output_size(side, kernel, padding, 1)
        facts = {
            "padding": padding,
            "output": h2,
            "corner": int(counts[0, 0]),
            "edge": int(counts[0, side // 2]),
            "centre": int(counts[side // 2, side // 2]),
            "total": int(counts.sum()),
        }
        panels.append(Panel(f"P={padding}", {"reads": counts}, facts))
    settings = {"side": side, "kernel": kernel, "stride": 1}
    panels.append(Panel("settings", {}, settings))
    return Lesson("padding-coverage", panels, settings)


@claims_of("padding-coverage")
def _padding_claims(lesson: Lesson) -> list[Claim]:
    k = lesson.settings["kernel"]
    bare, padded = lesson["P=0"].facts, lesson["P=1"].facts
    return [
        Claim(
            "without padding every window reads FH² input pixels: the reads add up to "
            "FH² H2²",
            bare["total"] == k * k * bare["output"] ** 2,
            {"total": bare["total"], "FH² H2²": k * k * bare["output"] ** 2},
        ),
        Claim(
            "without padding a corner is read once, the centre FH² times",
            bare["corner"] == 1 and bare["centre"] == k * k,
            {"corner": bare["corner"], "centre": bare["centre"]},
        ),
        Claim(
            "P = 1 reads the corner more often and keeps the input's size",
            padded["corner"] > bare["corner"]
            and padded["output"] == lesson.settings["side"],
            {"corner": padded["corner"], "output": padded["output"]},
        ),
    ]


# -- stride-kernel -----------------------------------------------------------------------
#: The input of the size table, its kernels and strides; the refused example.
TABLE_H1 = 8
TABLE_KERNELS = (1, 2, 3, 4, 5)
TABLE_STRIDES = (1, 2, 3, 4)
REFUSED = (8, 3, 0, 2)  # H1, FH, P, S: (8 - 3)/2 + 1 = 3.5


def stride_kernel(h1: int = TABLE_H1, padding: int = 0) -> Lesson:
    r"""H2 = (H1 − FH + 2P)/S + 1 for every kernel size FH and stride S of the table
    (``0`` where it is not a whole number: the last window would hang over the edge),
    and :func:`~optviz.nn.im2col.conv_output_size`'s one-line refusal of one such
    case, with the windows that case would place.
    """
    sizes = np.zeros((len(TABLE_KERNELS), len(TABLE_STRIDES)), dtype=np.int64)
    exact = np.zeros(sizes.shape)  # (H1 - FH + 2P)/S + 1, whole or not
    for i, fh in enumerate(TABLE_KERNELS):
        for j, s in enumerate(TABLE_STRIDES):
            exact[i, j] = (h1 - fh + 2 * padding) / s + 1
            try:
                sizes[i, j] = conv_output_size(h1, fh, padding, s)
            except ValueError:
                sizes[i, j] = 0
    r_h1, r_fh, r_p, r_s = REFUSED
    try:
        conv_output_size(r_h1, r_fh, r_p, r_s)
        message = ""
    except ValueError as exc:
        message = f"ValueError: {exc}"
    starts = np.arange(0, r_h1 + 2 * r_p, r_s)  # where the windows would start
    starts = starts[starts < r_h1 + 2 * r_p]
    table = Panel(
        "table",
        {"sizes": sizes, "exact": exact, "kernels": np.array(TABLE_KERNELS)},
        {"h1": h1, "padding": padding, "strides": list(TABLE_STRIDES)},
    )
    refused = Panel(
        "refused",
        {"starts": starts},
        {
            "h1": r_h1,
            "kernel": r_fh,
            "padding": r_p,
            "stride": r_s,
            "h2": (r_h1 - r_fh + 2 * r_p) / r_s + 1,
            "overhang": int(starts[-1] + r_fh - (r_h1 + 2 * r_p)),
            "message": message,
        },
    )
    return Lesson("stride-kernel", [table, refused], {"h1": h1, "padding": padding})


@claims_of("stride-kernel")
def _stride_claims(lesson: Lesson) -> list[Claim]:
    sizes, exact = lesson["table"].arrays["sizes"], lesson["table"].arrays["exact"]
    whole = exact == np.floor(exact)
    refused = lesson["refused"].facts
    return [
        Claim(
            "a size is given exactly where (H1 − FH + 2P)/S + 1 is a whole number",
            bool(np.all((sizes > 0) == whole) and np.all(sizes[whole] == exact[whole])),
            {"refused": int((~whole).sum()), "of": int(whole.size)},
        ),
        Claim(
            "the refusal is one line naming H2's formula and value",
            "\n" not in refused["message"]
            and f"= {refused['h2']:g} is not a whole number" in refused["message"],
            {"message": refused["message"]},
        ),
        Claim(
            "the last window of the refused case hangs over the edge",
            refused["overhang"] > 0,
            {"overhang": refused["overhang"]},
        ),
    ]
