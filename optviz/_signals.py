"""Signals: SIGTERM and SIGHUP end a command the way Ctrl-C does, and a few renames that
must happen together are never split by one.

A command run under :func:`terminate_like_interrupt` turns SIGTERM (``kill PID``, a
job scheduler's stop) and SIGHUP (a closed terminal) into :class:`Terminated`, a
:class:`KeyboardInterrupt`: every ``except KeyboardInterrupt`` and ``finally`` that
cleans up after Ctrl-C runs for them too (temporaries removed, worker processes
stopped), and the command exits with ``128 + signal`` after saying what is on disk.
:func:`deferred` holds these signals back for the few renames that swap a result into
place, so that an interrupt lands before the swap or after it, never inside.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from typing import Iterator

__all__ = [
    "Terminated",
    "terminate_like_interrupt",
    "deferred",
    "raise_pending",
    "take_pending",
    "stop_workers",
    "die_with_parent",
]

#: The signals that end a command cleanly (those that exist on this system).
ENDING = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP")
    if hasattr(signal, name)
)


#: How long to wait for a killed worker process to be gone.
JOIN_SECONDS = 30


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: handled as Ctrl-C (``signum`` says which)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


#: Signals whose exception was raised but may have been lost: Python runs a handler
#: at any point of the main thread, finalizers and fork hooks included, which only
#: print what it raises. :func:`raise_pending` raises it again.
_pending: list[int] = []


def _interrupt(signum: int) -> KeyboardInterrupt:
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum)


def _raise_interrupt(signum, frame):
    _pending.append(signum)
    raise _interrupt(signum)


def raise_pending() -> None:
    """Raise the interrupt of a signal whose exception did not get through (a loop that
    waits on other threads or processes calls this between its waits)."""
    if _pending:
        raise _interrupt(_pending[0])


def take_pending() -> int | None:
    """The signal that has interrupted the command, if any; forget it."""
    signum = _pending[0] if _pending else None
    _pending.clear()
    return signum


@contextlib.contextmanager
def terminate_like_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated` and Ctrl-C its
    :class:`KeyboardInterrupt` as usual, each remembered for :func:`raise_pending` (in
    the main thread; elsewhere nothing changes). The previous handlers come back
    afterwards."""
    if not _main_thread():
        yield
        return
    previous = {}
    for signum in ENDING:
        handler = signal.getsignal(signum)
        if handler == signal.SIG_IGN or (
            signum == signal.SIGINT and handler != signal.default_int_handler
        ):
            continue  # nohup stays nohup; a caller's own Ctrl-C handler stays
        previous[signum] = signal.signal(signum, _raise_interrupt)
    _pending.clear()
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back until the block ends; one that arrived in
    between is then handled by the handler it would have met (it raises right after
    the block, or ends the process as it would have). Python runs handlers in the main
    thread only, between two of its instructions, so a block of renames made there
    cannot be split by a signal, whichever thread the system delivered it to."""
    if not _main_thread():
        yield  # signals are handled in the main thread: nothing can split the block
        return
    caught: list[int] = []
    previous = {}
    for signum in ENDING:
        if signal.getsignal(signum) not in (signal.SIG_IGN, None):
            previous[signum] = signal.signal(signum, lambda s, f: caught.append(s))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if caught:
            _replay(caught[0], previous[caught[0]])


def _replay(signum: int, handler) -> None:
    if callable(handler):
        handler(signum, None)  # raises, as it would have
    elif handler == signal.SIG_DFL:
        signal.raise_signal(signum)  # the system's default: end the process


def stop_workers(pool) -> None:
    """End the worker processes of a ``concurrent.futures.ProcessPoolExecutor`` at once
    (a running task is not waited for) and shut it down. They are killed: a forked
    worker shares its parent's handlers, which would turn SIGTERM into an exception
    that the worker reports and then carries on with the next task; whatever a worker
    was writing is in its parent's temporary folder, which the parent removes."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()
    for process in processes:  # gone before their parent removes what they wrote into
        with contextlib.suppress(Exception):
            process.join(JOIN_SECONDS)
    pool.shutdown(wait=True, cancel_futures=True)


def die_with_parent(parent: int) -> None:
    """In a worker process started by process ``parent``: be killed when the parent
    ends, however it ends (Linux; elsewhere :func:`stop_workers` is all there is)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before the line above
        os._exit(1)
