"""Atomic file output: write to a temporary name beside the target, then rename.

A crash or Ctrl-C never leaves a half-written file at the target path, and an existing
file there is only replaced once the new one is complete. The same holds for a result
made of several files (:func:`atomic_folder`). :class:`Plan` checks, before anything is
written, that no output replaces an input or another output.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterable, Iterator

__all__ = [
    "atomic_path",
    "atomic_folder",
    "check_writable",
    "check_folder_target",
    "clean_stale_parts",
    "OutputError",
    "Plan",
    "PART_SUFFIX",
]

#: Temporary files and folders end with this; ``.gitignore`` ignores them.
PART_SUFFIX = ".part"

#: Longest file name (bytes) most file systems accept.
NAME_MAX = 255

#: Room for the process id, the random part mkstemp adds and the separators.
_RANDOM = 20

#: A temporary name's tail: ``.PID-RANDOM.part`` (RANDOM from mkstemp/mkdtemp).
_TAIL = re.compile(r"\.(\d+)-[A-Za-z0-9_]+\.part$")


class OutputError(ValueError):
    """The output path cannot be written."""


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def check_writable(path: str | os.PathLike, suffixes: tuple[str, ...] = ()) -> Path:
    """Return ``path`` as a Path after checking its folder exists and is writable and,
    when ``suffixes`` is given, that its extension is one of them."""
    path = Path(path)
    if suffixes and path.suffix.lower() not in suffixes:
        raise OutputError(
            f"cannot write {path}: unknown extension {path.suffix or '(none)'!r}; "
            f"allowed: {', '.join(suffixes)}"
        )
    if len(os.fsencode(path.name)) > NAME_MAX:
        raise OutputError(
            f"cannot write {str(path)[:80]}...: the file name is longer than "
            f"{NAME_MAX} bytes"
        )
    folder = _folder(path)
    if not folder.is_dir():
        blocker = next((p for p in (folder, *folder.parents) if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            raise OutputError(f"cannot write {path}: {blocker} is a file, not a folder")
        raise OutputError(f"cannot write {path}: folder {folder} does not exist")
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"cannot write {path}: folder {folder} is not writable")
    return path


def _temp_prefix(name: str) -> str:
    """``.NAME.PID-`` with NAME cut so that ``.NAME.PID-XXXXXXXX.part`` fits in
    :data:`NAME_MAX` bytes; the process id tells a live writer from a dead one."""
    room = NAME_MAX - _RANDOM - len(PART_SUFFIX) - 2
    raw = os.fsencode(name)[:room].decode(errors="ignore")
    return f".{raw}.{os.getpid()}-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a process id: leave it alone
    return True


def _write_error(path: Path, exc: OSError) -> OutputError:
    if exc.errno == errno.ENOSPC:
        why = "the disk is full"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "permission denied"
    else:
        why = exc.strerror or str(exc)
    return OutputError(f"cannot write {path}: {why}")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it to ``path`` on success.

    >>> with atomic_path("figure.png") as tmp:  # doctest: +SKIP
    ...     fig.savefig(tmp, format="png")
    """
    path = check_writable(path)
    clean_stale_parts(_folder(path))
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=_temp_prefix(path.name), suffix=PART_SUFFIX, dir=_folder(path)
        )
    except OSError as exc:
        raise _write_error(path, exc) from None
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _write_error(path, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _process_start() -> float:
    """When this process started (seconds since the epoch), or now if unknown."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return time.time() - uptime + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.time()


_STARTED = _process_start()


def clean_stale_parts(folder: str | os.PathLike) -> list[Path]:
    """Remove optviz's temporary ``.*.part`` files and folders in ``folder`` left by a
    killed process: older than this process and, where the name carries the writer's
    process id, that process is gone (a live writer's are never touched). Returns what
    was removed."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(PART_SUFFIX)):
            continue
        owner = _TAIL.search(entry.name)
        if owner and (int(owner.group(1)) == os.getpid() or _alive(int(owner.group(1)))):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_mtime >= _STARTED - 1:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def check_folder_target(path: str | os.PathLike) -> Path:
    """Check that folder ``path`` can be created or replaced: no file in its way, and
    the nearest existing folder above it is writable."""
    path = Path(path)
    if len(os.fsencode(path.name)) > NAME_MAX:
        raise OutputError(f"cannot write {str(path)[:80]}...: the name is too long")
    if path.exists() and not path.is_dir():
        raise OutputError(f"cannot write into {path}: it is a file, not a folder")
    existing = next((p for p in path.parents if p.exists()), Path("."))
    if not existing.is_dir():
        raise OutputError(f"cannot write into {path}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK):
        raise OutputError(f"cannot write into {path}: folder {existing} is not writable")
    return path


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike, *, replace_if=None) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; on success it becomes ``path`` whole.

    Whatever a previous result left at ``path`` is gone afterwards (files this run did
    not write included); if two processes write the same target, one complete result
    wins. ``replace_if(existing_folder) -> str | None`` may refuse to replace an
    existing folder: it returns the reason.
    """
    path = check_folder_target(path)
    if path.is_dir() and replace_if is not None:
        reason = replace_if(path)
        if reason:
            raise OutputError(f"will not replace {path}: {reason}")
    parent = _folder(path)
    if not parent.is_dir():
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _write_error(path, exc) from None
    check_writable(path.with_name("x"))  # the parent folder takes new entries
    clean_stale_parts(parent)
    try:
        tmp = Path(
            tempfile.mkdtemp(prefix=_temp_prefix(path.name), suffix=PART_SUFFIX, dir=parent)
        )
    except OSError as exc:
        raise _write_error(path, exc) from None
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        _swap_in(tmp, path)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _write_error(path, exc) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap_in(tmp: Path, path: Path, tries: int = 50) -> None:
    """Rename folder ``tmp`` to ``path``, moving an existing ``path`` aside first."""
    for _ in range(tries):
        try:
            os.rename(tmp, path)  # fails while a (non-empty) folder is there
            return
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.EISDIR):
                raise
        old = Path(
            tempfile.mkdtemp(
                prefix=_temp_prefix(path.name), suffix=PART_SUFFIX, dir=_folder(path)
            )
        )
        try:
            os.rename(path, old / "old")
        except FileNotFoundError:
            pass  # another process moved it first
        finally:
            shutil.rmtree(old, ignore_errors=True)
    raise OSError(errno.EBUSY, "another process keeps writing there")


def _key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


class Plan:
    """Every path a command reads and writes, checked before the first write.

    >>> plan = Plan()
    >>> plan.read("run/settings.json", "the run's settings")
    >>> plan.write("run/settings.json", "the figure's sidecar")
    Traceback (most recent call last):
    ...
    optviz._io.OutputError: the figure's sidecar run/settings.json would replace \
the run's settings (an input); choose another --out
    """

    def __init__(self) -> None:
        self.reads: dict[str, tuple[Path, str]] = {}
        self.writes: dict[str, tuple[Path, str]] = {}

    def read(self, path: str | os.PathLike, what: str) -> None:
        path = Path(path)
        self.reads.setdefault(_key(path), (path, what))

    def read_all(self, paths: Iterable[str | os.PathLike], what: str) -> None:
        for p in paths:
            self.read(p, what)

    def write(
        self, path: str | os.PathLike, what: str, suffixes: tuple[str, ...] = ()
    ) -> Path:
        path = Path(path)
        key = _key(path)
        if key in self.reads:
            other, other_what = self.reads[key]
            raise OutputError(
                f"{what} {path} would replace {other_what} (an input); choose another --out"
            )
        if key in self.writes:
            other, other_what = self.writes[key]
            raise OutputError(
                f"{what} {path} and {other_what} {other} are the same file; "
                "give them different names"
            )
        check_writable(path, suffixes)
        self.writes[key] = (path, what)
        return path

    @property
    def outputs(self) -> list[Path]:
        return [p for p, _ in self.writes.values()]
