r"""The gallery: one short example script per idea of the notes, run by ``optviz gallery``.

Every figure of ``gallery/`` is made by a script ``gallery/plot_NN_NAME.py`` that a
reader can copy and run on its own. ``optviz gallery`` runs them (``--only NAME`` picks
some) and writes ``gallery/README.md`` from their docstrings.

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
import re
import runpy
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

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
    "default_jobs",
    "SCRIPT_PATTERN",
]

#: Gallery scripts: ``plot_NN_NAME.py``.
SCRIPT_PATTERN = re.compile(r"^plot_(\d\d)_([a-z0-9_]+)\.py$")

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


# -- the scripts and their docstrings --------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """One script: its name, files, titles and captions (from its docstring)."""

    name: str
    script: Path
    files: tuple[str, ...]
    title: str
    title_zh: str
    caption: str
    caption_zh: str
    command: str = ""


def scripts_folder() -> Path:
    """The ``gallery/`` folder of the source tree, where the scripts live."""
    folder = Path(__file__).resolve().parents[1] / "gallery"
    if not folder.is_dir():
        raise ValueError(
            "the gallery scripts are not installed; run optviz gallery from a clone of "
            "the repository (they live in its gallery/ folder)"
        )
    return folder


def parse_docstring(script: Path) -> Entry:
    """The :class:`Entry` of a script: its name, the files and the command its
    docstring names, its titles and captions from the caption tables
    (:mod:`optviz.recipes.captions`), which the docstring repeats (:func:`docstring`)."""
    import ast

    from .recipes.captions import table

    match = SCRIPT_PATTERN.match(script.name)
    if not match:
        raise ValueError(f"{script.name}: a gallery script is named plot_NN_NAME.py")
    name = match.group(2).replace("_", "-")
    doc = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8")), clean=True)
    meta = dict(re.findall(r"^\.\. (files|command): (.*)$", doc or "", re.M))
    english, chinese = table("en"), table("zh")
    if name not in english or name not in chinese:
        raise ValueError(
            f"{script.name}: no entry {name!r} in the caption tables "
            "(optviz/plot/locale/en/captions.json and zh/captions.json)"
        )
    return Entry(
        name=name,
        script=script,
        files=tuple(f.strip() for f in meta.get("files", "").split(",") if f.strip()),
        title=english[name]["title"],
        title_zh=chinese[name]["title"],
        caption=english[name]["caption"],
        caption_zh=chinese[name]["caption"],
        command=meta.get("command", "").strip(),
    )


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced editor (a CJK character takes two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def docstring(entry: Entry) -> str:
    """The docstring of ``entry``'s script, written from the caption tables: the
    English title and caption, the Chinese ones, the files and the command."""
    import textwrap

    caption = textwrap.fill(
        entry.caption, 88, break_long_words=False, break_on_hyphens=False
    )
    lines = [
        "",
        entry.title,
        "=" * len(entry.title),
        "",
        caption,
        "",
        entry.title_zh,
        "-" * _width(entry.title_zh),
        "",
        entry.caption_zh,
        "",
        f".. files: {', '.join(entry.files)}",
    ]
    if entry.command:
        lines.append(f".. command: {entry.command}")
    return "\n".join(lines) + "\n"


def write_docstrings(folder: str | os.PathLike | None = None) -> list[Path]:
    """Write every script's docstring from the caption tables (after a caption
    changed there); the scripts whose text changed."""
    changed = []
    for entry in entries(folder):
        text = entry.script.read_text(encoding="utf-8")
        _, old, code = text.split('"""', 2)
        new = docstring(entry)
        if new != old:
            entry.script.write_text(f'"""{new}"""{code}', encoding="utf-8")
            changed.append(entry.script)
    return changed


def entries(folder: str | os.PathLike | None = None) -> tuple[Entry, ...]:
    """Every gallery script of ``folder`` (default :func:`scripts_folder`), in order."""
    folder = scripts_folder() if folder is None else Path(folder)
    scripts = sorted(p for p in folder.glob("plot_*.py") if SCRIPT_PATTERN.match(p.name))
    return tuple(parse_docstring(p) for p in scripts)


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


#: The page each language's whole build writes into the gallery's root folder.
README_NAMES = {"en": "README.md", "zh": "README.zh.md"}


def lang_folder(root, lang: str = "en") -> Path:
    """Where the figures of ``lang`` go in a gallery rooted at ``root``: the root for
    English, ``root/zh`` for Chinese."""
    return Path(root) if lang == "en" else Path(root) / lang


def _share_cores(jobs: int) -> None:
    """A worker's start: its share of the cores for BLAS, so that ``jobs`` workers
    training CNNs side by side do not ask for more threads than there are cores."""
    from .nn.threads import limit_threads, usable_cores

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
    temporary folder beside ``out`` and moved in at the end, so a failure or Ctrl-C
    leaves ``out`` as it was. ``jobs`` worker processes run scripts side by side
    (default :func:`default_jobs`; 1 runs them here, one after another); each script
    makes the same bytes either way. ``records``: a folder where each figure's record
    is saved as ``NAME.npz`` (for ``optviz redraw``; written as the scripts run).
    Returns the files written, as paths relative to ``out`` (``zh/losses.png``)."""
    from ._io import PART_SUFFIX, _temp_prefix, check_folder_target, clean_stale_parts
    from .plot.i18n import LANGS, cjk_font

    all_entries = entries()
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
    out = check_folder_target(out)
    state = Progress() if state is None else state
    out.mkdir(parents=True, exist_ok=True)
    clean_stale_parts(out.parent)
    tmp = Path(
        tempfile.mkdtemp(prefix=_temp_prefix(out.name), suffix=PART_SUFFIX, dir=out.parent)
    )
    chosen = [e for e in all_entries if not only or e.name in only]
    written: dict[str, list[str]] = {}
    sub = lang_folder(".", lang)  # "." or "zh"

    def done(entry: Entry, files: list[str]) -> None:
        written[entry.name] = files
        state.built.append(entry.name)
        if progress is not None:
            progress(entry.name)

    try:
        (tmp / sub).mkdir(parents=True, exist_ok=True)
        keep = None if records is None else str(records)
        args = [(str(e.script), str(tmp / sub), small, lang, keep) for e in chosen]
        if jobs == 1 or len(chosen) == 1:
            for entry, a in zip(chosen, args):
                done(entry, _run_script(*a))
        else:
            from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

            from . import recipes  # noqa: F401  imported once, before the fork
            from .plot import animate, i18n  # noqa: F401

            with ProcessPoolExecutor(
                max_workers=jobs, initializer=_share_cores, initargs=(jobs,)
            ) as pool:
                # the later entries are the heavier ones: start them first
                pending = {
                    pool.submit(_run_script, *a): e
                    for e, a in reversed(list(zip(chosen, args)))
                }
                try:
                    while pending:
                        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                        for future in finished:
                            done(pending.pop(future), future.result())
                except BaseException:
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
        # in gallery order, relative to out
        files = [(sub / f).as_posix() for e in chosen for f in written[e.name]]
        if len(chosen) == len(all_entries):
            page = readme(all_entries) if lang == "en" else readme_zh(all_entries)
            (tmp / README_NAMES[lang]).write_text(page, encoding="utf-8")
            files.append(README_NAMES[lang])
        (out / sub).mkdir(parents=True, exist_ok=True)
        for name in files:  # each file replaced atomically
            os.replace(tmp / name, out / name)
            state.moved.append(name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return files


def readme(all_entries: tuple[Entry, ...] | None = None) -> str:
    """``gallery/README.md``: every file with its captions, the script and command."""
    all_entries = entries() if all_entries is None else all_entries
    lines = [
        "# The optviz gallery",
        "",
        "Reference figures for teaching, one for every idea of the notes. Every file "
        "here is made by `optviz gallery` (deterministic: the same bytes on every run "
        "on the same machine) from the short script named under it, which runs on its "
        "own. The same figures with every text in Chinese are in `zh/`, made by "
        "`optviz gallery --lang zh`, on the Chinese page [README.zh.md](README.zh.md).",
        "",
        "教学参考图：笔记中的每个概念各一张。图中文字为中文的版本见 "
        "[README.zh.md](README.zh.md)（`zh/` 目录，由 `optviz gallery --lang zh` 生成）。",
        "",
    ]
    for i, e in enumerate(all_entries, 1):
        lines += [f"## {i}. {e.title} / {e.title_zh}", ""]
        for f in e.files:
            lines += [f"![{e.title}]({f})", ""]
        lines += [e.caption, "", e.caption_zh, ""]
        made = (
            f"Made by [`{e.script.name}`]({e.script.name}) "
            f"(`optviz gallery --only {e.name}`)"
        )
        if e.command:
            made += f"; the same files from the command line: `{e.command}`"
        lines += [made + ".", ""]
    return "\n".join(lines)


def readme_zh(all_entries: tuple[Entry, ...] | None = None) -> str:
    """``gallery/README.zh.md``: the Chinese page, every file of ``zh/`` with its
    Chinese title and caption, the script and the command."""
    all_entries = entries() if all_entries is None else all_entries
    lines = [
        "# optviz 图库",
        "",
        "教学参考图：笔记中的每个概念各一张，图中所有文字均为中文。"
        "本目录中的每个文件都由 `optviz gallery --lang zh` 生成"
        "（结果确定：在同一台机器上每次运行得到相同的字节）；"
        "每张图都由下面注明的简短脚本绘制，脚本可以单独运行。"
        "英文版见 [README.md](README.md)。",
        "",
    ]
    for i, e in enumerate(all_entries, 1):
        lines += [f"## {i}. {e.title_zh}", ""]
        for f in e.files:
            lines += [f"![{e.title_zh}](zh/{f})", ""]
        lines += [e.caption_zh, ""]
        made = (
            f"绘图脚本：[`{e.script.name}`]({e.script.name})"
            f"（`optviz gallery --lang zh --only {e.name}`）"
        )
        if e.command:
            made += f"；用命令行生成同样的文件：`{e.command}`"
        lines += [made + "。", ""]
    return "\n".join(lines)
