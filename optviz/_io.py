"""Atomic file output: write to a temporary name beside the target, then rename.

A crash or Ctrl-C never leaves a half-written file at the target path, and an existing
file there is only replaced once the new one is complete.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

__all__ = ["atomic_path", "check_writable", "OutputError"]


class OutputError(ValueError):
    """The output path cannot be written."""


def check_writable(path: str | os.PathLike, suffixes: tuple[str, ...] = ()) -> Path:
    """Return ``path`` as a Path after checking its folder exists and is writable and,
    when ``suffixes`` is given, that its extension is one of them."""
    path = Path(path)
    if suffixes and path.suffix.lower() not in suffixes:
        raise OutputError(
            f"cannot write {path}: unknown extension {path.suffix or '(none)'!r}; "
            f"allowed: {', '.join(suffixes)}"
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: folder {folder} does not exist")
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"cannot write {path}: folder {folder} is not writable")
    return path


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it to ``path`` on success.

    >>> with atomic_path("figure.png") as tmp:  # doctest: +SKIP
    ...     fig.savefig(tmp, format="png")
    """
    path = check_writable(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".part", dir=path.parent or "."
    )
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
