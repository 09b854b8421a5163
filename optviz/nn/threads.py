"""How many BLAS threads each matrix product of the CNN gets, chosen for the user.

The CNN's products are small: on the 8x8 digits the first convolution is a
``(32, 9) @ (9, 4096)`` product, about a million multiply-adds. Handing such a product
to two BLAS threads costs more than it saves (OpenBLAS wakes, splits and joins its
threads, and an idle thread spins), and when the other cores are busy the extra thread
waits for a core: ``optviz train`` took 226 s with OpenBLAS's default threads and 10.6 s
with one thread on a loaded 2-core machine. So every product of the layers goes through
:func:`matmul`, which uses

- one thread below :data:`MIN_WORK` multiply-adds, or when a side of the product is
  thinner than :data:`MIN_SIDE` (``(32, 9) @ (9, N)`` splits badly);
- otherwise every core that looks free (:func:`free_cores`: the cores this process
  may use minus the load of the others, from the 1-minute load average, checked every
  :data:`REFRESH_SECONDS`), never more than the BLAS library was started with (so an
  ``OPENBLAS_NUM_THREADS`` a user sets still caps it).

:func:`blas_threads` wraps a whole training run or evaluation: the thread count the
library had before is restored at the end, so numpy code outside the CNN keeps its own
setting. The thresholds come from ``benchmarks/bench_train_threads.py`` (see
``benchmarks/README.md``).
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from typing import Iterator

import numpy as np

__all__ = [
    "MIN_WORK",
    "MIN_SIDE",
    "REFRESH_SECONDS",
    "matmul",
    "threads_for",
    "big_enough",
    "free_cores",
    "usable_cores",
    "blas_threads",
    "fix_threads",
    "limit_threads",
]

#: Below this many multiply-adds a product runs on one thread: on a 2-core machine a
#: second thread paid off from about 2e7 (a (64, 288) @ (288, 1024) product ran in 0.55x
#: the time) and cost up to 10x below 1e7.
MIN_WORK = 10_000_000
#: A product with a side thinner than this runs on one thread (the first convolution's
#: ``(F, 9) @ (9, N)`` splits badly: 2.2x slower on two threads at 9e6 multiply-adds).
MIN_SIDE = 16
#: How often (seconds) :func:`free_cores` looks at the load again.
REFRESH_SECONDS = 5.0

_state: dict = {
    "libs": None,  # threadpoolctl's BLAS controllers
    "start": None,  # the threads BLAS had when first seen
    "current": None,  # what matmul last set
    "free": None,  # free_cores() and when it was read
    "when": 0.0,
    "fixed": None,  # fix_threads()
}
_depth = 0  # nesting of blas_threads()


def _libs() -> list:
    """threadpoolctl's controllers of the BLAS libraries numpy loaded (made once)."""
    if _state["libs"] is None:
        from threadpoolctl import ThreadpoolController

        libs = [c for c in ThreadpoolController().lib_controllers if c.user_api == "blas"]
        _state["libs"] = libs
        _state["start"] = max((c.num_threads for c in libs), default=1)
        _state["current"] = None
    return _state["libs"]


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def free_cores() -> int:
    """Cores this process may use that other processes leave free (>= 1).

    The 1-minute load average counts runnable processes, this one included, so the
    others' load is about ``load - 1``; the result is ``cores - round(others)``,
    clamped to ``[1, cores]``. Re-read at most every :data:`REFRESH_SECONDS`.
    """
    now = time.monotonic()
    if _state["free"] is None or now - _state["when"] > REFRESH_SECONDS:
        cores = usable_cores()
        try:
            others = max(0.0, os.getloadavg()[0] - 1.0)
        except (AttributeError, OSError):  # no load average: assume idle
            others = 0.0
        _state["free"] = int(min(cores, max(1, cores - round(others))))
        _state["when"] = now
    return _state["free"]


def fix_threads(n: int | None) -> None:
    """Run every product on ``n`` threads from now on (``None``: choose again). For
    benchmarks that compare the choice with a fixed count; users need not call it."""
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise ValueError(f"threads must be a whole number >= 1 or None, got {n!r}")
    _state["fixed"] = n


def limit_threads(n: int) -> None:
    """At most ``n`` BLAS threads in this process from now on, for the CNN's products
    and every other BLAS call: for a worker that shares the cores with others (the
    gallery's), where the load average, a minute behind, would not yet show them."""
    from threadpoolctl import threadpool_limits

    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"threads must be a whole number >= 1, got {n!r}")
    threadpool_limits(n, user_api="blas")
    _state["libs"] = None  # the library's count is read again: it now caps the choice


def big_enough(m: int, k: int, n: int) -> bool:
    """Whether an ``(m, k) @ (k, n)`` product is worth more than one thread: at least
    :data:`MIN_WORK` multiply-adds and no side thinner than :data:`MIN_SIDE`."""
    return m * k * n >= MIN_WORK and min(m, k, n) >= MIN_SIDE


def threads_for(m: int, k: int, n: int) -> int:
    """BLAS threads for an ``(m, k) @ (k, n)`` product (see the module's rules)."""
    if _state["fixed"] is not None:
        return _state["fixed"]
    if not big_enough(m, k, n):
        return 1
    _libs()
    return max(1, min(free_cores(), _state["start"]))


def _set(n: int) -> None:
    if _state["current"] != n:
        for lib in _libs():
            lib.set_num_threads(n)
        _state["current"] = n


def matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``a @ b`` for 2-D ``a``, ``b`` (like :func:`numpy.matmul`), on the number of BLAS
    threads :func:`threads_for` chooses for its size."""
    (m, k), n = a.shape, b.shape[-1]
    if _depth == 0:  # called outside blas_threads(): restore the setting afterwards
        with blas_threads():
            return matmul(a, b, out)
    _set(threads_for(m, k, n))
    return np.matmul(a, b, out=out)


@contextmanager
def blas_threads() -> Iterator[None]:
    """Let :func:`matmul` choose threads inside; restore the BLAS library's thread
    count at the end. Nests; cheap after the first use."""
    global _depth
    libs = _libs()
    before = [lib.num_threads for lib in libs] if _depth == 0 else None
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if before is not None:
            for lib, count in zip(libs, before):
                lib.set_num_threads(count)
            _state["current"] = None
