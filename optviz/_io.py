"""Atomic file output: write to a temporary name beside the target, then rename.

A crash or Ctrl-C never leaves a half-written file at the target path, and an existing
file there is only replaced once the new one is complete. The same holds for a result
made of several files (:mod:`optviz._folders`): it carries a marker file
(:data:`MARKER`), and only a folder with that marker (or an empty one) is ever replaced.
:class:`Plan` checks, before
anything is written, that no output replaces an input or another output.

Only optviz's own temporaries are ever removed: names of the exact form
``.NAME.PID-RANDOM.part`` that ``mkstemp``/``mkdtemp`` make here, of a process that is
no longer running, and (for a folder) holding the marker or nothing.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterable, Iterator

from ._signals import deferred
from ._version import __version__

__all__ = [
    "atomic_path",
    "check_writable",
    "clean_stale_parts",
    "temp_folder",
    "remove_ours",
    "read_marker",
    "replace_refusal",
    "temp_name",
    "write_error",
    "ledger",
    "OutputError",
    "Plan",
    "NAME_MAX",
    "MARKER",
    "PART_SUFFIX",
]

#: Temporary files and folders end with this; ``.gitignore`` ignores them.
PART_SUFFIX = ".part"

#: Longest file name (bytes) most file systems accept.
NAME_MAX = 255

#: Room for the process id, the random part mkstemp adds and the separators.
_RANDOM = 20

#: A temporary's whole name: ``.NAME.PID-RANDOM.part``, RANDOM the 8 characters
#: mkstemp/mkdtemp choose (lower-case letters, digits, ``_``).
_TEMP = re.compile(r"\.(?P<name>.+)\.(?P<pid>[1-9][0-9]{0,9})-[a-z0-9_]{8}\.part", re.S)
_RANDOM_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"

#: The file inside every folder optviz writes whole: ``{"kind": ..., "version": ...}``.
#: Only a folder holding it (or an empty one) is replaced or removed.
MARKER = ".optviz.json"

#: A marker larger than this is not one of ours.
_MARKER_BYTES = 4096


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


def temp_name(target: Path) -> Path:
    """A fresh temporary name ``.NAME.PID-RANDOM.part`` beside ``target`` (not created)."""
    tail = "".join(random.choices(_RANDOM_CHARS, k=8))
    return target.with_name(f"{_temp_prefix(target.name)}{tail}{PART_SUFFIX}")


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a process id: leave it alone
    return True


def write_error(path: Path, exc: OSError) -> OutputError:
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
        raise write_error(path, exc) from None
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        with deferred():
            os.replace(tmp, path)
            ledger.record(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_error(path, exc) from None
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


# -- what optviz wrote: the ledger, the marker, its temporaries ------------------------
class Ledger:
    """The outputs this process has put in place, so that the message after an
    interrupt can say exactly what is on disk."""

    def __init__(self) -> None:
        self.written: list[Path] = []
        self.left: list[Path] = []  # temporaries an interrupt kept from being removed

    def reset(self) -> None:
        self.written.clear()
        self.left.clear()

    def record(self, path: str | os.PathLike) -> None:
        path = Path(path)
        if not any(_TEMP.fullmatch(p.name) for p in path.parents):
            self.written.append(path)  # files inside a temporary are not outputs

    def summary(self) -> str:
        """``nothing was written`` or ``A and B were written whole; nothing else was
        changed``, and any temporary left behind."""
        if not self.written:
            text = "nothing was written"
        else:
            shown = [str(p) for p in self.written[:3]]
            more = len(self.written) - len(shown)
            names = ", ".join(shown) + (f" and {more} more" if more else "")
            verb = "was" if len(self.written) == 1 else "were"
            text = f"{names} {verb} written whole; nothing else was changed"
        if self.left:
            text += f"; the temporary {self.left[0]} is left (the next write removes it)"
        return text


#: This process's outputs (the CLI resets it when a command starts).
ledger = Ledger()


def read_marker(folder: str | os.PathLike) -> dict | None:
    """The marker of a folder optviz wrote (``{"kind": ..., "version": ...}``), or
    None when ``folder`` holds no (valid) marker."""
    try:
        with open(Path(folder) / MARKER, "rb") as fh:
            data = json.loads(fh.read(_MARKER_BYTES + 1)[: _MARKER_BYTES + 1])
    except (OSError, ValueError, RecursionError):
        return None
    if isinstance(data, dict) and isinstance(data.get("kind"), str):
        return data
    return None


def _write_marker(folder: Path, kind: str) -> None:
    text = json.dumps({"kind": kind, "version": __version__, "by": "optviz"})
    (folder / MARKER).write_text(text + "\n", encoding="utf-8")


def replace_refusal(folder: str | os.PathLike, kind: str) -> str | None:
    """Why the existing folder ``folder`` may not be replaced by a new ``kind``
    (None: it may): only an empty folder or one whose marker says ``kind``."""
    try:
        if not any(os.scandir(folder)):
            return None
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    marker = read_marker(folder)
    if marker is None:
        return (
            f"it has no {MARKER} marker, so optviz did not write it (or an older "
            "optviz did); choose another --out, or delete it yourself"
        )
    if marker["kind"] != kind:
        return f"it holds an optviz {marker['kind']}, not a {kind}"
    return None


def temp_folder(parent: str | os.PathLike, name: str, kind: str) -> Path:
    """A new temporary folder ``parent/.NAME.PID-RANDOM.part`` holding the marker
    (``kind``), so that it can be removed as optviz's own if this process dies."""
    parent = Path(parent)
    try:
        tmp = Path(
            tempfile.mkdtemp(prefix=_temp_prefix(name), suffix=PART_SUFFIX, dir=parent)
        )
    except OSError as exc:
        raise write_error(parent / name, exc) from None
    try:
        _write_marker(tmp, kind)
    except BaseException as exc:
        remove_ours(tmp)
        if isinstance(exc, OSError):
            raise write_error(parent / name, exc) from None
        raise
    return tmp


def remove_ours(folder: str | os.PathLike | None) -> bool:
    """Remove a folder optviz wrote, its marker last (a removal cut short still
    carries it, so the next write can finish the job). True when it is gone."""
    if folder is None:
        return True
    folder = Path(folder)
    try:
        for entry in os.scandir(folder):
            if entry.name == MARKER:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        (folder / MARKER).unlink(missing_ok=True)
        os.rmdir(folder)
    except FileNotFoundError:
        return not folder.exists()
    except OSError:
        return False
    return True


def _stale(entry: os.DirEntry) -> bool:
    """Whether ``entry`` is a temporary optviz left: its exact name, its writer's
    process gone, older than this process and, for a folder, marked or empty."""
    owner = _TEMP.fullmatch(entry.name)
    if not owner:
        return False
    pid = int(owner.group("pid"))
    if pid == os.getpid() or _alive(pid):
        return False
    st = entry.stat(follow_symlinks=False)
    if st.st_mtime >= _STARTED - 1:
        return False  # perhaps another machine's process, writing into a shared folder
    if entry.is_dir(follow_symlinks=False):
        return read_marker(entry.path) is not None or not any(os.scandir(entry.path))
    return entry.is_file(follow_symlinks=False)


def clean_stale_parts(folder: str | os.PathLike) -> list[Path]:
    """Remove the temporaries (``.NAME.PID-RANDOM.part``) in ``folder`` that an
    optviz process killed before it could remove them left (see :func:`_stale`);
    nothing else is ever touched. Returns what was removed."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        try:
            if not _stale(entry):
                continue
            if entry.is_dir(follow_symlinks=False):
                if not remove_ours(entry.path):
                    continue
            else:
                os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


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
