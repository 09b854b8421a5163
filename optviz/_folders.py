"""Results written whole: a folder exchanged with the previous one, several files moved
into a folder together, and the checks made before the work that make both safe.

:func:`atomic_folder` writes a result of several files (a training run) into a
temporary folder beside the target, carrying optviz's marker (:data:`~optviz._io.MARKER`)
from the start; only an empty folder or one with the same marker is ever replaced, by
exchanging the two folders (atomically where the system can, else by two renames that
no signal can split), never by deleting the old one first. :func:`move_all` puts
several files in place together or none of them (the gallery). The checks
(:func:`check_folder_target`, :func:`check_files_target`) run before any training or
building: a symbolic link is followed (the temporary goes beside the real folder, on
its file system), a mount point is refused, and so is a target without the free space
the result needs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ._io import (
    NAME_MAX,
    OutputError,
    clean_stale_parts,
    ledger,
    remove_ours,
    replace_refusal,
    temp_folder,
    temp_name,
    write_error,
)
from ._signals import deferred

__all__ = [
    "atomic_folder",
    "move_all",
    "check_folder_target",
    "check_files_target",
]

#: For tests only: seconds to wait between moving the old folder aside and moving the
#: new one in (the exchange is then done with two renames, as where the system has no
#: atomic exchange), so that a test can send a signal inside that window.
_PAUSE_ENV = "OPTVIZ_TEST_SWAP_PAUSE"


def _megabytes(n: float) -> str:
    return f"{n / 1e6:,.0f} MB" if n >= 1e6 else f"{n / 1e6:.1f} MB"


def _check_space(folder: Path, nbytes: int, shown: Path) -> None:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if nbytes > free:
        raise OutputError(
            f"cannot write {shown}: it needs about {_megabytes(nbytes)} and its disk has "
            f"{_megabytes(free)} free"
        )


def _existing_parent(real: Path, shown: Path) -> Path:
    """The nearest existing folder above ``real``, checked to be a writable folder."""
    existing = next((p for p in real.parents if p.exists()), Path("."))
    if not existing.is_dir():
        raise OutputError(f"cannot write into {shown}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK):
        raise OutputError(f"cannot write into {shown}: folder {existing} is not writable")
    return existing


def check_folder_target(
    path: str | os.PathLike,
    kind: str | None = None,
    nbytes: int = 0,
    replace_if: Callable[[Path], str | None] | None = None,
) -> Path:
    """Check, before any work, that folder ``path`` can be written whole as a new
    ``kind`` and return where it really is (symbolic links followed, so that the
    temporary is made beside the real folder, on its file system): no file in the
    way, not a mount point (which cannot be exchanged), an existing folder optviz's own
    (:func:`~optviz._io.replace_refusal`, and what ``replace_if(folder) -> reason``
    accepts) and writable, the folder above writable, and ``nbytes`` free on its
    disk."""
    shown = Path(path)
    real = Path(os.path.realpath(shown))
    if len(os.fsencode(real.name)) > NAME_MAX or not real.name:
        what = str(shown)[:80] + ("..." if len(str(shown)) > 80 else "")
        why = "the name is too long" if real.name else "it is the root folder"
        raise OutputError(f"cannot write into {what}: {why}")
    if real.exists() and not real.is_dir():
        raise OutputError(f"cannot write into {shown}: it is a file, not a folder")
    if real.is_dir():
        if os.path.ismount(real):
            raise OutputError(
                f"cannot write into {shown}: it is a mount point, which cannot be "
                f"replaced whole; choose a folder inside it (e.g. {shown / 'run'})"
            )
        reason = _refusal(real, kind, replace_if)
        if reason:
            raise OutputError(f"will not replace {shown}: {reason}")
        if not os.access(real, os.W_OK | os.X_OK):
            raise OutputError(f"cannot replace {shown}: the folder is not writable")
    existing = _existing_parent(real, shown)
    if nbytes:
        _check_space(existing, nbytes, shown)
    return real


def check_files_target(
    folder: str | os.PathLike, names: Iterable[str], nbytes: int = 0
) -> Path:
    """Check, before any work, that files ``names`` (relative paths) can be moved into
    ``folder`` together (:func:`move_all`): no folder where a file goes, every folder
    they go into on the file system of ``folder`` (where the temporary is made) and
    writable, ``nbytes`` free. Returns ``folder``'s real path."""
    shown = Path(folder)
    real = Path(os.path.realpath(shown))
    if real.exists() and not real.is_dir():
        raise OutputError(f"cannot write into {shown}: it is a file, not a folder")
    existing = real if real.is_dir() else _existing_parent(real, shown)
    device = existing.stat().st_dev
    for name in names:
        dst = real / name
        if dst.is_dir():
            raise OutputError(f"cannot write {shown / name}: it is a folder")
        into = Path(os.path.realpath(dst.parent))
        if not into.is_dir():
            continue  # made inside ``folder``
        if into.stat().st_dev != device:
            raise OutputError(
                f"cannot write {shown / name}: {into} is on another file system than "
                f"{shown}; choose an --out without a mount point inside"
            )
        if not os.access(into, os.W_OK | os.X_OK):
            raise OutputError(f"cannot write {shown / name}: folder {into} is not writable")
    if nbytes:
        _check_space(existing, nbytes, shown)
    return real


# -- folders written whole ---------------------------------------------------------------
def _refusal(folder: Path, kind: str | None, replace_if) -> str | None:
    """Why ``folder`` may not be replaced: not optviz's ``kind`` (see
    :func:`~optviz._io.replace_refusal`), or what ``replace_if(folder)`` says."""
    reason = replace_refusal(folder, kind) if kind else None
    if reason is None and replace_if is not None and any(os.scandir(folder)):
        reason = replace_if(folder)
    return reason


class _Swap:
    """Where a swap stands: ``done`` once the new folder is in place, ``old`` the
    previous one (now under a temporary name) or None."""

    done: bool = False
    old: Path | None = None


@contextlib.contextmanager
def atomic_folder(
    path: str | os.PathLike,
    *,
    kind: str = "result",
    nbytes: int = 0,
    replace_if: Callable[[Path], str | None] | None = None,
) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; on success it becomes ``path`` whole.

    The temporary holds the marker (:data:`~optviz._io.MARKER`, saying ``kind``) from
    the start, so the result does too. Only an empty folder or an earlier ``kind`` (that
    ``replace_if`` accepts) is replaced (:func:`check_folder_target`), files this run
    did not write included; the two folders are exchanged (atomically where the system
    can, else by two renames with signals held back), and the old one is removed
    afterwards. If two processes write the same target, one complete result wins.
    """
    shown = Path(path)
    target = check_folder_target(shown, kind, nbytes, replace_if)
    parent = target.parent
    if not parent.is_dir():
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise write_error(shown, exc) from None
    clean_stale_parts(parent)
    tmp = temp_folder(parent, target.name, kind)
    swap = _Swap()
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        _swap_in(tmp, target, lambda p: _refusal(p, kind, replace_if), shown, swap)
        if not remove_ours(swap.old):
            ledger.left.append(swap.old)
    except BaseException as exc:
        leftover = swap.old if swap.done else tmp
        if not remove_ours(leftover):
            ledger.left.append(leftover)
        if isinstance(exc, OSError):
            raise write_error(shown, exc) from None
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Exchange ``a`` and ``b`` atomically (Linux's ``renameat2(RENAME_EXCHANGE)``);
    False where the system or file system cannot."""
    if not sys.platform.startswith("linux") or os.environ.get(_PAUSE_ENV):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange):
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            return False
        raise OSError(code, os.strerror(code), str(b))
    return True


def _swap_in(tmp: Path, target: Path, refuse, shown: Path, swap: _Swap) -> None:
    """Put folder ``tmp`` at ``target``, the folder there (if any) moving to a
    temporary name (``swap.old``), with no moment at which ``target`` is missing
    except between two renames that no signal can split."""
    for _ in range(50):
        with deferred():
            try:
                os.rename(tmp, target)  # fails while a non-empty folder is there
                swap.done = True
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.EISDIR):
                    raise
            if not swap.done:
                _replace(tmp, target, refuse, shown, swap)
            if swap.done:
                ledger.record(shown)
                return
    raise OSError(errno.EBUSY, "another process keeps writing there")


def _replace(tmp: Path, target: Path, refuse, shown: Path, swap: _Swap) -> None:
    try:
        exchanged = _exchange(tmp, target)
    except FileNotFoundError:
        return  # another process moved it away: try again
    if exchanged:
        old = tmp
        back = lambda: _exchange(tmp, target)  # noqa: E731
    else:
        old = temp_name(target)
        try:
            os.rename(target, old)
        except FileNotFoundError:
            return  # another process moved it first: try again
        back = lambda: os.rename(old, target)  # noqa: E731
    reason = refuse(old)  # what was there at the very moment of the swap
    if reason:
        back()
        raise OutputError(f"will not replace {shown}: {reason}")
    if old is not tmp:
        if os.environ.get(_PAUSE_ENV):
            time.sleep(float(os.environ[_PAUSE_ENV]))
        try:
            os.rename(tmp, target)
        except BaseException:
            os.rename(old, target)
            raise
    swap.done, swap.old = True, old


def move_all(moves: list[tuple[Path, Path]], scratch: Path, shown: Path) -> None:
    """Rename every ``(src, dst)`` of ``moves``: all of them or, after an error, none
    (the files they replace wait in folder ``scratch`` until all are in place, and go
    back if one fails). Signals are held back meanwhile. ``shown`` names the result in
    messages."""
    done: list[tuple[Path, Path, Path | None]] = []
    made: list[Path] = []  # folders made for the files, removed again after an error
    with deferred():
        try:
            for i, (src, dst) in enumerate(moves):
                failed, aside = dst, None
                if os.path.lexists(dst):
                    aside = scratch / f"replaced-{i}"
                    os.rename(dst, aside)
                done.append((src, dst, aside))
                if not dst.parent.is_dir():
                    made += [p for p in (dst.parent, *dst.parent.parents) if not p.exists()]
                    dst.parent.mkdir(parents=True)
                os.rename(src, dst)
        except OSError as exc:
            kept = _undo(done)
            for folder in sorted(made, key=lambda p: len(p.parts), reverse=True):
                with contextlib.suppress(OSError):
                    folder.rmdir()
            why = write_error(failed, exc)
            tail = (
                f"nothing in {shown} was changed"
                if not kept
                else f"{len(kept)} file(s) could not be put back: {', '.join(kept[:3])}"
            )
            raise OutputError(f"{why}; {tail}") from None
        for _, dst, _ in done:
            ledger.record(dst)


def _undo(done: list[tuple[Path, Path, Path | None]]) -> list[str]:
    """Put back what :func:`move_all` replaced; the files it could not."""
    failed = []
    for src, dst, aside in reversed(done):
        try:
            if not os.path.lexists(src) and os.path.lexists(dst):
                os.rename(dst, src)
            if aside is not None and os.path.lexists(aside):
                os.rename(aside, dst)
        except OSError:
            failed.append(str(dst))
    return failed
