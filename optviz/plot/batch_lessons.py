"""The batch size: the figure of :mod:`optviz.lessons.batches`, drawn from its record
(a :class:`~optviz.records.Lesson`) and nothing else."""

from __future__ import annotations

import numpy as np

from .slides import SMALL, note, slide
from .style import BLUE, GREY_33, VERMILION, style

__all__ = ["batch_size_figure"]

WITH, WITHOUT = VERMILION, BLUE


def batch_size_figure(lesson):
    """The spread of the batch gradient against B, and one epoch's draws."""
    noise, epoch = lesson["noise"], lesson["epoch"]
    f, a = noise.facts, noise.arrays
    n, sigma = f["samples"], f["sigma"]
    fig = slide(
        "A batch of B samples costs B× but cuts the noise only √B×; "
        "without replacement, more"
    )
    with style():
        ax_n, ax_e = fig.subplots(1, 2)
    b = a["size"]
    fine = np.linspace(1, n, 200)
    ax_n.plot(fine, sigma / np.sqrt(fine), color=WITH, lw=1.6, ls="--")
    inner = fine[fine < n]
    ax_n.plot(
        inner,
        sigma / np.sqrt(inner) * np.sqrt((n - inner) / (n - 1)),
        color=WITHOUT,
        lw=1.6,
        ls="--",
    )
    part = b < n  # at B = n the spread without replacement is 0: off a log axis
    ax_n.plot(b, a["with"], "o", color=WITH, ms=10, label="with replacement: σ/√B")
    ax_n.plot(
        b[part],
        a["without"][part],
        "s",
        color=WITHOUT,
        ms=9,
        label="without: σ/√B · √((n − B)/(n − 1))",
    )
    ax_n.set_xscale("log")
    ax_n.set_yscale("log")
    ax_n.set_xticks(b, [str(v) for v in b])
    ax_n.minorticks_off()
    ax_n.set_xlabel("batch size B (= samples read per step)")
    ax_n.set_ylabel("noise: rms of |g(B) − g|")
    ax_n.set_title(
        f"(a) L(w, b) of n = {n} samples, {f['draws']} batches per size", loc="left"
    )
    ax_n.legend(loc="lower left", frameon=False)
    note(
        ax_n,
        0.97,
        0.97,
        f"σ = {sigma:.2g} (one sample)\nB = n = {n} without replacement:\n"
        "the whole data set, spread 0",
        ha="right",
        size=SMALL,
        color=GREY_33,
    )
    e = epoch.facts
    times, samples = epoch.arrays["times"], epoch.arrays["samples"]
    ax_e.bar(times - 0.2, samples, width=0.4, color=WITH, label="with replacement")
    ax_e.bar([1 + 0.2], [n], width=0.4, color=WITHOUT, label="without: each once")
    ax_e.set_xticks(times)
    ax_e.set_xlabel("times a sample is drawn in one epoch")
    ax_e.set_ylabel("samples")
    ax_e.set_title(f"(b) one epoch: {n} draws of one sample", loc="left")
    ax_e.legend(loc="upper right", frameon=False)
    note(
        ax_e,
        0.97,
        0.75,
        f"with replacement:\n{e['unused']} of {n} never drawn\n"
        f"(n (1 − 1/n)ⁿ = {e['expected_unused']:.1f} expected),\n"
        f"one drawn {e['most']} times",
        ha="right",
        size=SMALL,
    )
    return fig
