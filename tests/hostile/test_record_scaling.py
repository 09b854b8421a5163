"""Loading a record is linear in its number of optimizers.

No clock: the work of a load is counted (every Python and C function call, and every
row a pandas comparison looks at), for a record of N optimizers and one of 4N. A
linear loader does at most about 4 times the work; one that scans every array or row
once per optimizer does about 16 times.
"""

import dataclasses
import sys

import pandas as pd
import pytest
from records_makers import record_of

from optviz.records import CnnSweep, Landscape, Run, StartMap, Sweep, TrainingRun

N = 30
#: Linear plus a constant is under 4; quadratic is near 16. Room for n log n sorting.
MAX_RATIO = 4.4


def widen(rec, n: int):
    """``rec`` with its optimizers repeated to ``n`` of them, each a new label."""
    if isinstance(rec, Landscape):
        first = next(iter(rec.paths))
        labels = [f"p{i}" for i in range(n)]
        paths = {lb: rec.paths[first] for lb in labels}
        losses = {lb: rec.path_loss[first] for lb in labels}
        meta = {"optimizers": {lb: "sgd" for lb in labels}}
        return Landscape(rec.plane, rec.a, rec.b, rec.loss, paths, losses, meta)
    if isinstance(rec, CnnSweep):
        jobs = [
            dataclasses.replace(j, label=f"o{i}", spec="sgd")
            for i in range(n)
            for j in rec.jobs[:2]
        ]
        results = [r for _ in range(n) for r in rec.results[:2]]
        return CnnSweep(jobs, results, meta=dict(rec.meta))
    items = list(rec)
    widened = [dataclasses.replace(items[i % len(items)], label=f"o{i}") for i in range(n)]
    return dataclasses.replace(rec, **{rec._items: widened})


def work_of(load) -> tuple:
    """``load()`` and the work it did: function calls made plus rows looked at by
    pandas comparisons (``frame[frame.label == x]`` is one call but a scan of every
    row)."""
    counted = [0]

    def profile(frame, event, arg):
        if event in ("call", "c_call"):
            counted[0] += 1

    compare = pd.Series._cmp_method

    def counting_compare(self, other, op):
        counted[0] += len(self)
        return compare(self, other, op)

    pd.Series._cmp_method = counting_compare
    sys.setprofile(profile)
    try:
        loaded = load()
    finally:
        sys.setprofile(None)
        pd.Series._cmp_method = compare
    return loaded, counted[0]


CASES = [
    (kind, suffix)
    for kind in (Run, TrainingRun, Sweep, StartMap, Landscape, CnnSweep)
    for suffix in (".csv", ".npz")
]


@pytest.mark.parametrize("kind, suffix", CASES, ids=[f"{k.__name__}{s}" for k, s in CASES])
def test_loading_is_linear_in_the_number_of_optimizers(tmp_path, kind, suffix):
    small = record_of(kind)
    work = []
    first = N if kind is not CnnSweep else N // 3  # its save is slow, not its load
    for n in (first, 4 * first):
        path = widen(small, n).save(tmp_path / f"{n}{suffix}")
        loaded, done = work_of(lambda path=path: kind.load(path))
        assert len(loaded) == n
        work.append(done)
    assert work[1] <= MAX_RATIO * work[0], (
        f"4x the optimizers took {work[1] / work[0]:.1f}x the work"
    )
