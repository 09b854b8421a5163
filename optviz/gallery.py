r"""The gallery: one short example script per idea of the notes, run by ``optviz gallery``.

Every figure of ``gallery/`` is made by a script ``gallery/plot_NN_NAME.py`` that a
reader can copy and run on its own. ``optviz gallery`` runs them (``--only NAME`` picks
some) and writes ``gallery/README.md`` and ``README.zh.md``. This module is the runner;
:mod:`optviz.gallery_readme` holds the scripts' words (entries, docstrings, READMEs),
whose names it re-exports.

The script format (the convention of sphinx-gallery, which matplotlib and scikit-learn
use, so a documentation builder can turn the scripts into pages):

- the file name starts with ``plot_`` and a two-digit number that orders the gallery;
  the rest, with ``_`` read as ``-``, is the entry's NAME (``plot_05_compare_beale.py``
  is ``compare-beale``);
- the module docstring comes first, written from the caption tables
  (:mod:`optviz.recipes.captions`; :func:`write_docstrings` rewrites them after a
  caption changed there): the English title underlined with ``=``, the English
  caption, the Chinese title underlined with ``-``, the Chinese caption, then
  reStructuredText comments (invisible on a page) naming the files the script writes and,
  where there is one, the command line that writes the same files (``; `` between
  commands; a slow test holds their bytes equal)::

      '''
      Activation functions
      ====================

      ReLU, LeakyReLU, ... only tanh is zero-centred.

      激活函数
      --------

      ReLU、LeakyReLU ... 只有 tanh 是零均值的。

      .. files: activations.png
      .. command: optviz ...
      '''

- then the few lines that make the figure through :mod:`optviz.recipes`, ending in
  ``g.figure(result, "NAME.png")`` or ``g.gif(result, "NAME.gif")`` where
  ``g = output()``. A script holds no test switch: a small build
  (``optviz gallery --small``) makes the recipes' runs test-sized itself
  (:mod:`optviz.recipes.sizes`).

:func:`output` tells a script where to write and how big: alone, it writes full size,
English labels, into the current folder (or as the environment variables
``OPTVIZ_GALLERY_OUT``, ``OPTVIZ_GALLERY_SMALL=1`` and ``OPTVIZ_GALLERY_LANG=zh`` say);
run by ``optviz gallery``, it writes where the command says.

Languages: the English gallery is ``gallery/*.png|gif`` with ``gallery/README.md``; the
Chinese one (``optviz gallery --lang zh``) is ``gallery/zh/`` with every figure and
animation drawn in Chinese, and ``gallery/README.zh.md``, the Chinese page
(:func:`readme_zh`). :func:`build` takes the gallery's root folder either way.
"""

from __future__ import annotations

import contextlib
import os
import runpy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .gallery_readme import (
    README_NAMES,
    SCRIPT_PATTERN,
    Entry,
    docstring,
    entries,
    parse_docstring,
    readme,
    readme_zh,
    scripts_folder,
    write_docstrings,
)

__all__ = [
    "Gallery",
    "Entry",
    "output",
    "entries",
    "build",
    "readme",
    "readme_zh",
    "lang_folder",
    "README_NAMES",
    "scripts_folder",
    "docstring",
    "write_docstrings",
    "parse_docstring",
    "default_jobs",
    "SCRIPT_PATTERN",
    "drawn_figures",
]

_ENV_OUT, _ENV_SMALL, _ENV_LANG = (
    "OPTVIZ_GALLERY_OUT",
    "OPTVIZ_GALLERY_SMALL",
    "OPTVIZ_GALLERY_LANG",
)


@dataclass
class Gallery:
    """Where and how big: what every script gets from :func:`output`."""

    out: Path = Path(".")
    small: bool = False
    lang: str = "en"
    written: list[str] = field(default_factory=list)
    #: Where to save the record each figure was drawn from (``NAME.npz``), if anywhere.
    records: Path | None = None

    def figure(self, fig, name: str) -> None:
        """Save ``fig`` (a Figure, or a recipe's Result) as PNG ``name`` (labels in the
        gallery's language), as a palette image (:func:`palette_png`)."""
        from ._io import atomic_path, check_writable
        from .plot.i18n import localize

        self._save_record(getattr(fig, "record", None), name)
        fig = getattr(fig, "figure", fig)  # a recipe's Result
        path = check_writable(self.out / name, (".png",))
        data = palette_png(localize(fig, self.lang), dpi=70 if self.small else DPI)
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
        self.written.append(name)

    def _save_record(self, record, name: str) -> None:
        """The record a figure states itself from (``meta["figure"]``), saved as
        ``NAME.npz`` into :attr:`records`, for ``optviz redraw``."""
        if self.records is None or not getattr(record, "meta", {}).get("figure"):
            return
        record.save(Path(self.records) / (Path(name).stem + ".npz"))

    def gif(self, anim, name: str) -> None:
        """Save ``anim`` (anything with ``save(path)`` that writes a GIF: an
        :class:`~optviz.plot.animate.Animation`, a sliding window, a 3-D rotation) as
        ``name``. Make it with ``lang=g.lang``: an animation lays its texts out once, in
        its own language. A recipe's Result gives its ``animation``."""
        anim = getattr(anim, "animation", None) or anim
        lang = getattr(anim, "lang", self.lang)  # a sliding window keeps no lang
        if lang != self.lang:
            raise ValueError(
                f"{name}: the animation is in {lang!r}, the gallery in {self.lang!r}; "
                f"make it with lang={self.lang!r}"
            )
        anim.save(self.out / name)
        self.written.append(name)


#: Pixels per inch of a gallery PNG (a 15-inch figure is 2250 pixels wide). 120 would
#: save only 6% of the build's time.
DPI = 150

#: Colours of a gallery PNG: a palette image is about a third of the size of the RGBA
#: one matplotlib writes, and a figure of flat colours and a few shaded fields looks the
#: same (the English and Chinese galleries must fit in 25 MB together).
PNG_COLORS = 256


def palette_png(fig, dpi: float) -> bytes:
    """``fig`` drawn at ``dpi`` as a PNG of :data:`PNG_COLORS` colours (median cut, no
    dithering: deterministic, and no date in it)."""
    import io

    from PIL import Image

    from .plot.style import style

    raw = io.BytesIO()
    with style():  # drawn under the rc settings it was built with
        fig.savefig(raw, format="raw", dpi=dpi)
    data = raw.getvalue()
    inches = fig.get_figwidth() * dpi
    width = next(  # the renderer's width: inches x dpi, truncated (or rounded)
        (w for w in (int(inches), round(inches)) if len(data) % (4 * w) == 0), None
    )
    if width is None:
        raise ValueError(f"cannot read a raw image {inches:g} pixels wide")
    height = len(data) // (4 * width)
    rgb = Image.frombuffer("RGBA", (width, height), data, "raw", "RGBA", 0, 1)
    small = rgb.convert("RGB").quantize(
        PNG_COLORS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    small.save(out, format="PNG")
    return out.getvalue()


_current: list[Gallery] = []


def output() -> Gallery:
    """The :class:`Gallery` a script writes into: the one ``optviz gallery`` set up, or
    one from the environment variables (default: full size, English, this folder)."""
    if _current:
        return _current[-1]
    from .recipes.sizes import set_small

    small = os.environ.get(_ENV_SMALL, "") not in ("", "0")
    set_small(small)  # the recipes' test-sized runs, for the rest of this script
    return Gallery(
        out=Path(os.environ.get(_ENV_OUT, ".")),
        small=small,
        lang=os.environ.get(_ENV_LANG, "en"),
    )


@contextlib.contextmanager
def _writing_to(g: Gallery) -> Iterator[Gallery]:
    _current.append(g)
    try:
        yield g
    finally:
        _current.pop()


class _Drawing(Gallery):
    """A gallery that keeps each figure (in its language) instead of saving it."""

    def __init__(self, lang: str) -> None:
        super().__init__(Path("."), small=False, lang=lang)
        self.figures: dict = {}

    def figure(self, fig, name: str) -> None:
        from .plot.i18n import localize

        self.figures[name] = localize(getattr(fig, "figure", fig), self.lang)

    def gif(self, anim, name: str) -> None:
        pass  # the stills only


def drawn_figures(name: str, *, small: bool = True, lang: str = "en") -> dict:
    """The still figures gallery entry ``name`` makes, ``{"NAME.png": Figure}`` in
    ``lang``, drawn but not saved: for tests that inspect them (the projector rules,
    :mod:`optviz.plot.projector`). ``small``: the test-sized runs."""
    from .recipes.sizes import small_runs

    entry = next((e for e in entries() if e.name == name), None)
    if entry is None:
        raise ValueError(f"unknown gallery entry {name!r}")
    g = _Drawing(lang)
    g.small = small
    with _writing_to(g), small_runs(small):
        runpy.run_path(str(entry.script), run_name="__main__")
    return g.figures


# -- building ----------------------------------------------------------------------------
@dataclass
class Progress:
    """What a build has done so far (for an honest message after Ctrl-C)."""

    built: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)


def _run_script(
    script: str, out: str, small: bool, lang: str, records: str | None = None
) -> list[str]:
    """Run one gallery script writing into ``out``; the files it wrote."""
    from .recipes.sizes import small_runs

    g = Gallery(Path(out), small=small, lang=lang, records=records and Path(records))
    with _writing_to(g), small_runs(small):
        runpy.run_path(script, run_name="__main__")
    return g.written


def lang_folder(root, lang: str = "en") -> Path:
    """Where the figures of ``lang`` go in a gallery rooted at ``root``: the root for
    English, ``root/zh`` for Chinese."""
    return Path(root) if lang == "en" else Path(root) / lang


def _share_cores(jobs: int, parent: int | None = None) -> None:
    """A worker's start: its share of the cores for BLAS, so that ``jobs`` workers
    training CNNs side by side do not ask for more threads than there are cores; and
    its end with the ``parent`` process, however that ends."""
    from ._signals import die_with_parent
    from .nn.threads import limit_threads, usable_cores

    if parent is not None:
        die_with_parent(parent)
    limit_threads(max(1, usable_cores() // jobs))


def default_jobs() -> int:
    """Worker processes for the gallery: two where there are two cores."""
    return max(1, min(2, os.cpu_count() or 1))


def build(
    out,
    *,
    only=(),
    small: bool = False,
    lang: str = "en",
    records=None,
    progress: Callable[[str], None] | None = None,
    state: Progress | None = None,
    jobs: int | None = None,
) -> list[str]:
    """Run the scripts named in ``only`` (all when empty) and put their files into
    the gallery rooted at folder ``out``: into ``out`` itself in English, into
    ``out/zh`` in Chinese (:func:`lang_folder`), with the language's page
    (:data:`README_NAMES`) in ``out`` when every script ran. Everything is made in a
    temporary folder inside ``out`` and moved in at the end, all files or (after an
    error) none, so a failure or Ctrl-C leaves ``out`` as it was; ``out`` is checked
    (writable, free space, no mount point below it) before any work. ``jobs`` worker
    processes run scripts side by side (default :func:`default_jobs`; 1 runs them here,
    one after another); each script makes the same bytes either way. ``records``: a
    folder where each figure's record is saved as ``NAME.npz`` (for ``optviz redraw``;
    written as the scripts run). Returns the files written, as paths relative to
    ``out`` (``zh/losses.png``)."""
    from ._folders import check_files_target
    from ._io import remove_ours

    all_entries = entries()
    chosen, jobs = _chosen(all_entries, only, lang, jobs)
    state = Progress() if state is None else state
    written: dict[str, list[str]] = {}
    sub = lang_folder(".", lang)  # "." or "zh"
    planned = [(sub / f).as_posix() for e in chosen for f in e.files]
    planned += [README_NAMES[lang]] if len(chosen) == len(all_entries) else []
    room = len(chosen) * ENTRY_BYTES // (10 if small else 1)
    shown, out = Path(out), check_files_target(out, planned, room)  # before any work
    tmp = _build_folder(out)

    def done(entry: Entry, files: list[str]) -> None:
        written[entry.name] = files
        state.built.append(entry.name)
        if progress is not None:
            progress(entry.name)

    try:
        (tmp / sub).mkdir(parents=True, exist_ok=True)
        keep = None if records is None else str(records)
        args = [(str(e.script), str(tmp / sub), small, lang, keep) for e in chosen]
        _run_entries(chosen, args, jobs, done)
        # in gallery order, relative to out
        files = [(sub / f).as_posix() for e in chosen for f in written[e.name]]
        if len(chosen) == len(all_entries):
            page = readme(all_entries) if lang == "en" else readme_zh(all_entries)
            (tmp / README_NAMES[lang]).write_text(page, encoding="utf-8")
            files.append(README_NAMES[lang])
        _move_in(tmp, out, files, shown)
        state.moved += files
    finally:
        remove_ours(tmp)
    return files


def _chosen(all_entries: list[Entry], only, lang: str, jobs: int | None):
    """(the entries to build, the worker count), after checking every argument, before
    any work."""
    from .plot.i18n import LANGS, cjk_font

    names = [e.name for e in all_entries]
    unknown = sorted(set(only) - set(names))
    if unknown:
        raise ValueError(
            f"unknown gallery entry {', '.join(unknown)}; known: {', '.join(names)}"
        )
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    if lang != "en":
        cjk_font()  # fail before any work when no font can draw the labels
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be >= 1, got {jobs}")
    return [e for e in all_entries if not only or e.name in only], jobs


def _run_entries(chosen: list[Entry], args: list[tuple], jobs: int, done) -> None:
    """Run each entry's script (here, or in ``jobs`` worker processes), calling
    ``done(entry, files)`` as each finishes; on any error or signal the workers are
    stopped, not waited for."""
    if jobs == 1 or len(chosen) == 1:
        for entry, a in zip(chosen, args):
            done(entry, _run_script(*a))
    else:
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        from . import recipes  # noqa: F401  imported once, before the fork
        from ._signals import raise_pending, stop_workers
        from .plot import animate, i18n  # noqa: F401

        pool = ProcessPoolExecutor(
            max_workers=jobs, initializer=_share_cores, initargs=(jobs, os.getpid())
        )
        try:
            # the later entries are the heavier ones: start them first
            pending = {
                pool.submit(_run_script, *a): e
                for e, a in reversed(list(zip(chosen, args)))
            }
            while pending:
                finished, _ = wait(pending, WAKE, FIRST_COMPLETED)
                raise_pending()  # a signal the waiting kept from raising
                for future in finished:
                    done(pending.pop(future), future.result())
        except BaseException:  # a running script is not waited for
            stop_workers(pool)
            raise
        pool.shutdown()


#: Seconds between two looks at the signals while the workers run.
WAKE = 0.5

#: Room on disk for one entry's files (the committed gallery's average is 0.2 MB, the
#: largest entry 1 MB); a small build needs a tenth.
ENTRY_BYTES = 2_000_000


def _build_folder(out: Path) -> Path:
    """A temporary folder inside ``out`` (on its file system) to build into."""
    from ._io import clean_stale_parts, temp_folder

    out.mkdir(parents=True, exist_ok=True)
    clean_stale_parts(out)
    return temp_folder(out, "gallery", "gallery build")


def _move_in(tmp: Path, out: Path, files: list[str], shown: Path) -> None:
    """Move ``files`` from ``tmp`` into ``out``: all of them, or after an error none."""
    from ._folders import move_all

    scratch = tmp / ".replaced"  # where the files they replace wait
    scratch.mkdir()
    move_all([(tmp / name, out / name) for name in files], scratch, shown)
