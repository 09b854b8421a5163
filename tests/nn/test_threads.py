"""BLAS threads chosen per product: the rules, the results, and the user's setting
restored afterwards."""

import subprocess
import sys

import numpy as np
import pytest

threadpoolctl = pytest.importorskip("threadpoolctl")

from optviz.nn import threads  # noqa: E402


@pytest.fixture(autouse=True)
def loaded():
    """The BLAS controllers found before a test patches the module's state."""
    threads._libs()


def blas_counts():
    """Threads of the BLAS libraries optviz steers (numpy's; others loaded later, such
    as scipy's own OpenBLAS, are not used by the CNN)."""
    return [lib.num_threads for lib in threads._libs()]


def test_small_and_thin_products_get_one_thread(monkeypatch):
    monkeypatch.setattr(threads, "free_cores", lambda: 2)
    monkeypatch.setitem(threads._state, "start", 2)
    assert threads.threads_for(32, 9, 4096) == 1  # the digits' first convolution
    assert threads.threads_for(64, 288, 100) == 1  # below MIN_WORK
    assert threads.threads_for(10, 10_000, 10_000) == 1  # a side below MIN_SIDE
    assert threads.threads_for(64, 288, 4096) == 2  # big enough to share


def test_busy_cores_or_a_user_cap_keep_one_thread(monkeypatch):
    monkeypatch.setitem(threads._state, "start", 2)
    monkeypatch.setattr(threads, "free_cores", lambda: 1)
    assert threads.threads_for(512, 512, 512) == 1
    monkeypatch.setattr(threads, "free_cores", lambda: 8)
    monkeypatch.setitem(threads._state, "start", 1)  # OPENBLAS_NUM_THREADS=1
    assert threads.threads_for(512, 512, 512) == 1


def test_free_cores_reads_the_load(monkeypatch):
    monkeypatch.setattr(threads, "usable_cores", lambda: 2)
    for load, free in ((0.1, 2), (1.0, 2), (2.0, 1), (9.0, 1)):
        monkeypatch.setattr(threads.os, "getloadavg", lambda load=load: (load, 0, 0))
        monkeypatch.setitem(threads._state, "free", None)
        assert threads.free_cores() == free


def test_matmul_is_matmul_and_restores_the_setting(rng):
    a = rng.standard_normal((64, 300)).astype(np.float32)
    b = rng.standard_normal((300, 700)).astype(np.float32)
    before = blas_counts()
    np.testing.assert_array_equal(threads.matmul(a, b), np.matmul(a, b))
    out = np.empty((64, 700), dtype=np.float32)
    assert threads.matmul(a, b, out=out) is out
    assert blas_counts() == before
    with threads.blas_threads():
        threads.matmul(a[:, :9], b[:9])  # one thread inside
        assert blas_counts() == [1] * len(before)
    assert blas_counts() == before


def test_fix_threads_is_checked_and_undone():
    with pytest.raises(ValueError, match="whole number >= 1"):
        threads.fix_threads(0)
    threads.fix_threads(1)
    try:
        assert threads.threads_for(4096, 4096, 4096) == 1
    finally:
        threads.fix_threads(None)


def test_limit_threads_caps_every_blas_call_of_the_process():
    """A gallery worker's share of the cores: the CNN's products and any other BLAS
    call get at most that many threads, however idle the machine looks. (In a child
    process: the limit is for the rest of the process.)"""
    code = """
from threadpoolctl import threadpool_info
from optviz.nn import threads
threads.limit_threads(1)
threads.free_cores = lambda: 8  # an idle 8-core machine
print(threads.threads_for(512, 512, 512),
      max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["1", "1"]
    with pytest.raises(ValueError, match="whole number"):
        threads.limit_threads(0)
