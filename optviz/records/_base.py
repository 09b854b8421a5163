"""The one contract every record shares, and bounded reading of record files.

A record holds what one or several optimizers did (a run on a surface, a training
history, a sweep, a start map, a landscape, a CNN sweep). Every record type derives
from :class:`Record` and so has:

- ``save(path)``: by extension, ``.csv`` (the tidy frame) or ``.npz`` (the arrays), and
  always a JSON sidecar beside it (``path`` with ``.json``) of the same layout: the
  record's type and file format, its settings (top-level keys, e.g. ``surface``,
  ``steps``), its seed(s), one entry per optimizer under ``optimizers``, ``meta`` and
  ``versions``;
- ``Type.load(path)``: the equal record back (``==`` compares settings, optimizer
  entries and :meth:`~Record.to_frame`);
- ``to_frame()``: a tidy pandas DataFrame;
- access by optimizer label: ``rec["adam"]``, ``iter(rec)``, ``len(rec)``, ``rec.labels``;
- a short ``repr`` (one line per optimizer, never the arrays) and ``_repr_html_``, a
  small table for notebooks.

Loading is bounded: the sidecar's size, every ``.npz`` member's header (shape and dtype,
read without the body) and the sizes the sidecar declares are checked before anything
is allocated; pickled (object) arrays are refused. Every failure is one ``ValueError``
naming the file and what is wrong.
"""

from __future__ import annotations

import html
import json
import math
import platform
import stat
import zipfile
from pathlib import Path
from tokenize import TokenError
from typing import Any, ClassVar, Iterator

import numpy as np

from .._io import atomic_path, check_writable
from .._shared import MAX_MESSAGE, record_sidecar

__all__ = [
    "Record",
    "versions",
    "RECORD_SUFFIXES",
    "FILE_FORMAT",
    "MAX_LOAD_BYTES",
    "MAX_SIDECAR_BYTES",
    "read_sidecar",
    "read_npz",
    "npz_headers",
    "jsonable",
    "item_repr",
]

RECORD_SUFFIXES = (".csv", ".npz")
#: The layout version written into every sidecar (``"format"``).
FILE_FORMAT = 1
#: A record file may hold at most this many bytes of arrays (as declared by its
#: sidecar and its ``.npz`` headers); more is refused before anything is allocated.
MAX_LOAD_BYTES = 1 << 30  # 1 GiB
#: A sidecar (or CSV) larger than this is not read.
MAX_SIDECAR_BYTES = 64 << 20  # 64 MiB
MAX_CSV_BYTES = MAX_LOAD_BYTES
#: A ``.npy`` member's header longer than this is refused (numpy's own limit).
MAX_NPY_HEADER = 10_000


def versions() -> dict:
    """Versions of optviz and what it computes with, for sidecars (read from the
    installed packages' metadata: nothing is imported)."""
    from importlib.metadata import PackageNotFoundError, version

    from .._version import __version__

    def of(name):
        try:
            return version(name)
        except PackageNotFoundError:  # pragma: no cover - depends on the environment
            return None

    return {
        "optviz": __version__,
        "numpy": np.__version__,
        "pandas": of("pandas"),
        "matplotlib": of("matplotlib"),
        "python": platform.python_version(),
    }


def jsonable(value):
    """``json.dumps(default=...)`` for numpy scalars and arrays and paths."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def count(n: int, word: str) -> str:
    """``1 optimizer``, ``3 optimizers``."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def _fail(path, what) -> ValueError:
    return ValueError(_short(f"cannot read {path}: {what}"))


def _gib(nbytes: float) -> str:
    return f"{nbytes / (1 << 30):.3g} GiB"


def item_repr(item) -> str:
    """A dataclass's repr with arrays shown as their dtype and shape, never their
    values: ``Trajectory(optimizer='adam', ..., xy=<float64 (101, 2)>, ...)``."""
    import dataclasses

    parts = []
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        if isinstance(value, np.ndarray) and value.ndim > 0:
            shown = f"<{value.dtype} {value.shape}>"
        elif isinstance(value, dict) and any(
            isinstance(v, np.ndarray) for v in value.values()
        ):
            shown = "{" + ", ".join(f"{k!r}: <{v.shape}>" for k, v in value.items()) + "}"
        else:
            shown = repr(value.item() if isinstance(value, np.ndarray) else value)
            if len(shown) > 80:
                shown = shown[:77] + "..."
        parts.append(f"{f.name}={shown}")
    return f"{type(item).__name__}({', '.join(parts)})"


def check_input(path, record=None) -> None:
    """Refuse a record file (or its sidecar or companion) that is missing or is not a
    regular file: a folder, a device such as ``/dev/zero`` (even through a symlink)
    or a pipe is never read. ``record``: the record file to name in the message."""
    path = Path(path)
    named = path if record is None else record
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _fail(named, f"{path} does not exist") from None
    except OSError as exc:
        raise _fail(named, f"{path} cannot be opened ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, pipe or socket"
        raise _fail(named, f"{path} is not a regular file (it is {kind})")


def read_sidecar(path, side, record: str | None = None) -> dict:
    """The JSON sidecar ``side`` of record file ``path`` as a dict, checked: it exists,
    is at most :data:`MAX_SIDECAR_BYTES`, is a JSON object, and (when it names its
    record type) is a ``record``."""
    side = Path(side)
    check_input(side, path)
    size = side.stat().st_size
    if size > MAX_SIDECAR_BYTES:
        raise _fail(
            path, f"sidecar {side.name} is {size} bytes; the limit is {MAX_SIDECAR_BYTES}"
        )
    try:
        with open(side, "rb") as fh:  # never more than the limit, whatever it has become
            data = fh.read(MAX_SIDECAR_BYTES + 1)
        if len(data) > MAX_SIDECAR_BYTES:
            raise ValueError(f"it holds more than {MAX_SIDECAR_BYTES} bytes")
        info = json.loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _fail(path, f"sidecar {side.name} is not valid JSON ({exc})") from None
    if not isinstance(info, dict):
        raise _fail(path, f"sidecar {side.name} must hold a JSON object")
    kind = info.get("record")
    if record is not None and kind is not None and kind != record:
        raise _fail(path, f"it holds a {kind}, not a {record}")
    return info


def npz_headers(path) -> dict[str, tuple[tuple[int, ...], np.dtype]]:
    """``name -> (shape, dtype)`` of every array in the ``.npz`` file ``path``, read
    from the members' ``.npy`` headers without reading (or decompressing) their data.
    Refuses members that are not ``.npy`` arrays and object (pickled) arrays."""
    return {name: (shape, dtype) for name, (shape, dtype, _, _) in _members(path).items()}


def _members(path) -> dict[str, tuple]:
    """``name -> (shape, dtype, fortran_order, header bytes)`` of every member (see
    :func:`npz_headers`), each header parsed once."""
    out, parsed = {}, {}
    try:
        with zipfile.ZipFile(path) as zf:
            for member in zf.infolist():
                name = member.filename
                if not name.endswith(".npy"):
                    raise _fail(path, f"member {name!r} is not a .npy array")
                with zf.open(member) as fh:
                    header = _raw_header(fh)
                if header not in parsed:  # most members share a few headers
                    parsed[header] = _parse_header(path, name, header)
                shape, fortran, dtype = parsed[header]
                offset = len(header)
                if dtype.hasobject:
                    raise _fail(path, f"member {name!r} holds Python objects (a pickle)")
                shape = tuple(int(n) for n in shape)
                out[name[: -len(".npy")]] = (shape, dtype, bool(fortran), offset)
    except (ValueError, SyntaxError, TokenError) as exc:  # numpy parses the header
        if str(exc).startswith("cannot read"):
            raise
        raise _fail(path, f"a member's .npy header is malformed ({exc})") from None
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
        raise _fail(path, f"not a readable .npz file ({exc})") from None
    return out


def _raw_header(fh) -> bytes:
    """The magic string, version, length and header dict of a ``.npy`` stream, as
    bytes (the layout of numpy.lib.format: 2 length bytes in version 1, 4 in 2)."""
    start = fh.read(8)
    if len(start) < 8 or not start.startswith(b"\x93NUMPY"):
        return start  # refused by the parser with numpy's own message
    size = 2 if start[6] == 1 else 4
    length = fh.read(size)
    if int.from_bytes(length, "little") > MAX_NPY_HEADER:
        raise ValueError(f"a header of {int.from_bytes(length, 'little')} bytes")
    return start + length + fh.read(int.from_bytes(length, "little"))


def _parse_header(path, name, header: bytes) -> tuple:
    """``(shape, fortran_order, dtype)`` of a raw ``.npy`` header."""
    import io

    from numpy.lib import format as npy

    fh = io.BytesIO(header)
    version = npy.read_magic(fh)
    if version == (1, 0):
        return npy.read_array_header_1_0(fh)
    if version == (2, 0):
        return npy.read_array_header_2_0(fh)
    raise _fail(path, f"member {name!r}: unsupported .npy {version}")


def _nbytes(shape, itemsize=8) -> int:
    """Bytes of an array of ``shape``; a ``None`` (any size, checked from the file's
    header instead) counts as 1."""
    return math.prod(1 if n is None else int(n) for n in shape) * itemsize


def check_declared(path, expected: dict[str, tuple]) -> None:
    """Refuse a record whose sidecar declares more than :data:`MAX_LOAD_BYTES` of
    arrays (``expected``: name -> shape, float64 assumed)."""
    for name, shape in expected.items():
        if any(n is not None and (not isinstance(n, int) or n < 0) for n in shape):
            raise _fail(path, f"the sidecar gives {name} an impossible shape {shape}")
    total = sum(_nbytes(shape) for shape in expected.values())
    if total > MAX_LOAD_BYTES:
        raise _fail(
            path,
            f"its sidecar declares {_gib(total)} of arrays; the limit is "
            f"{_gib(MAX_LOAD_BYTES)} (optviz.records.MAX_LOAD_BYTES)",
        )


def read_npz(path, expected: dict[str, tuple], kinds: dict[str, str] | None = None):
    """The arrays of ``path`` by name, after checking from the headers alone that the
    members are exactly ``expected`` (name -> shape; ``None`` for a size the sidecar
    does not give), of a numeric dtype (``kinds``:
    name -> allowed dtype kinds, default ``"fiub"``), within :data:`MAX_LOAD_BYTES`."""
    check_declared(path, expected)
    members = _members(path)
    headers = {name: (shape, dtype) for name, (shape, dtype, _, _) in members.items()}
    kinds = kinds or {}
    missing = sorted(set(expected) - set(headers))
    if missing:
        raise _fail(path, f"missing arrays: {', '.join(missing)}")
    extra = sorted(set(headers) - set(expected))
    if extra:
        raise _fail(path, f"unexpected arrays: {', '.join(extra)}")
    total = 0
    for name, shape in expected.items():
        got, dtype = headers[name]
        if len(got) != len(shape) or any(
            want is not None and n != want for n, want in zip(got, shape)
        ):
            raise _fail(path, f"array {name} has shape {got}; its sidecar says {shape}")
        if dtype.kind not in kinds.get(name, "fiub"):
            raise _fail(path, f"array {name} has dtype {dtype}, not a number")
        total += _nbytes(got, dtype.itemsize)
    if total > MAX_LOAD_BYTES:
        raise _fail(
            path,
            f"its arrays need {_gib(total)}; the limit is {_gib(MAX_LOAD_BYTES)} "
            "(optviz.records.MAX_LOAD_BYTES)",
        )
    # Each member read by name from the zip's own index (a dict), its header parsed
    # once above: one pass, whatever the number of arrays (an NpzFile of older numpy
    # finds a name in a list).
    try:
        with zipfile.ZipFile(path) as zf:
            return {name: _body(zf, name, *members[name]) for name in expected}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise _fail(path, f"an array is damaged ({exc})") from None


def _body(zf, name, shape, dtype, fortran, offset) -> np.ndarray:
    """The data of member ``name`` whose header (``offset`` bytes) was read."""
    count = math.prod(shape)
    arr = np.empty(count, dtype=dtype)
    with zf.open(f"{name}.npy") as fh:
        fh.read(offset)
        want = arr.nbytes
        got = fh.readinto(memoryview(arr.view(np.uint8))) if want else 0
    if got != want:
        raise ValueError(f"{name} holds {got} bytes of its {want}")
    return arr.reshape(shape[::-1]).T if fortran else arr.reshape(shape)


def read_csv(path):
    """A CSV as a DataFrame, bounded by :data:`MAX_CSV_BYTES`."""
    import pandas as pd

    path = Path(path)
    check_input(path)
    if path.stat().st_size > MAX_CSV_BYTES:
        raise _fail(path, f"it is larger than {_gib(MAX_CSV_BYTES)}")
    try:  # labels as text: an optimizer labelled "1" or "0.10" stays itself
        return pd.read_csv(path, dtype={"label": str, "optimizer": str})
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise _fail(path, f"not a readable CSV ({exc})") from None


class Record:
    """The shared base of every record type (the contract: module docstring).

    A subclass names the attribute that holds its per-optimizer items
    (``_items``) and implements :meth:`to_frame`, :meth:`_settings`,
    :meth:`_item_info`, :meth:`_item_line`, :meth:`_arrays`, :meth:`_expected`,
    :meth:`_from_arrays` and :meth:`_from_frame`.
    """

    _items: ClassVar[str] = "items"
    #: What an item is called in messages ("trajectory", "curve", ...).
    _item_word: ClassVar[str] = "optimizer"

    # -- access by label -------------------------------------------------------------
    def _list(self) -> list:
        return getattr(self, self._items)

    def __iter__(self) -> Iterator:
        return iter(self._list())

    def __len__(self) -> int:
        return len(self._list())

    @property
    def labels(self) -> list[str]:
        return [item.label for item in self._list()]

    def __getitem__(self, label: str):
        for item in self._list():
            if item.label == label:
                return item
        raise KeyError(
            f"no {self._item_word} {label!r} in this {type(self).__name__}; "
            f"it has: {', '.join(self.labels)}"
        )

    # -- what subclasses give ----------------------------------------------------------
    def to_frame(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _settings(self) -> dict:  # pragma: no cover - abstract
        """The record's top-level sidecar keys (settings and seeds)."""
        raise NotImplementedError

    def _item_info(self, item) -> dict:  # pragma: no cover - abstract
        """One optimizer's sidecar entry."""
        raise NotImplementedError

    def _item_line(self, item) -> str:  # pragma: no cover - abstract
        """One optimizer in a few words, for repr."""
        raise NotImplementedError

    def _title(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _meta(self) -> dict:
        return getattr(self, "meta", {})

    # -- sidecar -------------------------------------------------------------------------
    def sidecar(self) -> dict:
        """Everything but the arrays, in the layout every record shares: ``record``,
        ``format``, the settings and seeds, ``optimizers``, ``meta``, ``versions``."""
        return {
            "record": type(self).__name__,
            "format": FILE_FORMAT,
            **self._settings(),
            "optimizers": [self._item_info(item) for item in self],
            "meta": self._meta(),
            "versions": versions(),
        }

    # -- equality, repr --------------------------------------------------------------------
    def _comparable(self) -> str:
        info = self._file_sidecar(Path("record.npz"))
        info.pop("versions", None)
        return json.dumps(info, sort_keys=True, default=jsonable)

    def __eq__(self, other) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._comparable() == other._comparable() and self.to_frame().equals(
            other.to_frame()
        )

    __hash__ = None  # mutable, compared by value

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}({self._title()})"]
        lines += [f"  {item.label}: {self._item_line(item)}" for item in self]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(str(item.label))}</td>"
            f"<td>{html.escape(self._item_line(item))}</td></tr>"
            for item in self
        )
        caption = html.escape(f"{type(self).__name__}: {self._title()}")
        return (
            f"<table><caption>{caption}</caption>"
            "<thead><tr><th>label</th><th>result</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )

    # -- files ---------------------------------------------------------------------------
    @staticmethod
    def sidecar_path(path) -> Path:
        """``run.csv`` -> ``run.json``."""
        return record_sidecar(path)

    def _arrays(self) -> dict[str, np.ndarray]:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def _expected(cls, info: dict) -> dict[str, tuple]:  # pragma: no cover - abstract
        """name -> shape of every array the sidecar ``info`` declares."""
        raise NotImplementedError

    @classmethod
    def _kinds(cls, info: dict) -> dict[str, str]:
        return {}

    @classmethod
    def _from_arrays(cls, info, arrays):  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def _from_frame(cls, info, frame):  # pragma: no cover - abstract
        raise NotImplementedError

    def _check(self) -> None:
        """Raise ``ValueError`` naming the first value outside its range (run by
        :meth:`load` on what a file holds; see :mod:`._valid`)."""

    def save(self, path) -> Path:
        """Write ``path`` (.csv or .npz) and its JSON sidecar (``path`` with .json),
        each atomically; everything is checked before the first write. Returns
        ``path``."""
        path = check_writable(path, RECORD_SUFFIXES)
        side = check_writable(self.sidecar_path(path))
        text = json.dumps(self._file_sidecar(path), indent=2, default=jsonable) + "\n"
        self._write_data(path)
        with atomic_path(side) as tmp:
            tmp.write_text(text)
        return path

    def _file_sidecar(self, path: Path) -> dict:
        """The sidecar written beside ``path`` (a format may need more than
        :meth:`sidecar`)."""
        return self.sidecar()

    def _write_data(self, path: Path) -> None:
        with atomic_path(path) as tmp:
            if path.suffix.lower() == ".npz":
                with open(tmp, "wb") as fh:
                    np.savez_compressed(fh, **self._arrays())
            else:
                self.to_frame().to_csv(tmp, index=False, float_format="%.17g")

    @classmethod
    def load(cls, path):
        """Read a record written by :meth:`save` (its sidecar must sit beside it).
        Raises one ``ValueError`` naming the file and the problem for anything
        malformed, absurdly large or of another record type."""
        path = Path(path)
        if path.suffix.lower() not in RECORD_SUFFIXES:
            raise ValueError(
                f"cannot read {path}: expected one of {', '.join(RECORD_SUFFIXES)}"
            )
        check_input(path)
        info = read_sidecar(path, cls.sidecar_path(path), cls.__name__)
        try:
            expected = cls._expected(info)
            check_declared(path, expected)
            if path.suffix.lower() == ".npz":
                arrays = read_npz(path, expected, cls._kinds(info))
                record = cls._from_arrays(info, arrays)
            else:
                record = cls._from_frame(info, read_csv(path))
            record._check()
            return record
        except ValueError as exc:
            if str(exc).startswith("cannot read"):
                raise
            raise _fail(path, exc) from None
        except (KeyError, TypeError, IndexError, AttributeError, OverflowError) as exc:
            what = f"missing {exc}" if isinstance(exc, KeyError) else exc
            raise _fail(path, f"malformed record or sidecar ({what})") from None


def rows_by(frame, column: str = "label") -> dict:
    """``value -> positions`` of the rows of ``frame`` holding each value of
    ``column``, found in one pass (never one scan of the frame per optimizer)."""
    return frame.groupby(column, sort=False).indices


def rows_of(frame, groups: dict, value):
    """The rows of ``frame`` whose positions ``groups`` (:func:`rows_by`) gives for
    ``value``; none if it has none."""
    return frame.iloc[groups.get(value, np.zeros(0, dtype=np.intp))]


class Parts:
    """A frame's rows grouped by ``label`` and ordered by the columns ``by`` within
    each group, sorted once: ``parts.rows(label)`` is how many rows a label has,
    ``parts.column(name, label)`` its values of one column (a numpy slice)."""

    def __init__(self, frame, by=()):
        import pandas as pd

        codes, labels = pd.factorize(frame["label"])
        self._order = np.lexsort([*(frame[c].to_numpy() for c in reversed(by)), codes])
        codes = codes[self._order]
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else []
        stops = np.r_[starts[1:], len(codes)] if len(codes) else []
        self._slices = {
            labels[codes[a]]: slice(int(a), int(b))
            for a, b in zip(starts, stops)
            if codes[a] >= 0
        }
        self._frame, self._columns = frame, {}

    def rows(self, label) -> int:
        part = self._slices.get(label)
        return 0 if part is None else part.stop - part.start

    def column(self, name: str, label, dtype=np.float64) -> np.ndarray:
        if name not in self._columns:  # each column converted and ordered once
            self._columns[name] = self._frame[name].to_numpy(dtype)[self._order]
        return self._columns[name][self._slices.get(label, slice(0, 0))]


def item_list(info: dict, key: str = "optimizers") -> list[dict]:
    """The sidecar's per-optimizer entries, checked to be a list of objects."""
    items = info[key]
    if not isinstance(items, list) or not all(isinstance(o, dict) for o in items):
        raise TypeError(f"{key!r} in the sidecar must be a list of objects")
    return items


def whole(value, name: str, low: int = 0) -> int:
    """A whole number from a sidecar in ``[low, 2**63)``, checked (booleans and
    floats refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise TypeError(f"{name} in the sidecar must be a whole number >= {low}")
    if value >= 2**63:
        raise TypeError(f"{name} in the sidecar must be a whole number below 2**63")
    return value


def step_or_never(value) -> int:
    """A step number from a sidecar, or -1 for never."""
    if isinstance(value, bool) or not isinstance(value, int) or value < -1:
        raise TypeError("a step in the sidecar must be a whole number >= -1")
    return value


def any_of(value: Any, types, name: str):
    if not isinstance(value, types):
        raise TypeError(f"{name} in the sidecar has the wrong type")
    return value
