r"""The gallery: one short example script per idea of the notes, run by ``optviz gallery``.

Every figure of ``gallery/`` is made by a script ``gallery/plot_NN_NAME.py`` that a
reader can copy and run on its own. ``optviz gallery`` runs them (``--only NAME`` picks
some) and writes ``gallery/README.md`` from their docstrings.

The script format (the convention of sphinx-gallery, which matplotlib and scikit-learn
use, so a documentation builder can turn the scripts into pages):

- the file name starts with ``plot_`` and a two-digit number that orders the gallery;
  the rest, with ``_`` read as ``-``, is the entry's NAME (``plot_05_compare_beale.py``
  is ``compare-beale``);
- the module docstring comes first: the English title underlined with ``=``, the
  English caption, the Chinese title underlined with ``-``, the Chinese caption, then
  reStructuredText comments (invisible on a page) naming the files the script writes and,
  where there is one, the equivalent command::

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

- then the ten-odd lines that make the figure through the public API, ending in
  ``g.figure(fig, "NAME.png")`` or ``g.animation(...)`` where ``g = output()``.

:func:`output` tells a script where to write and how big: alone, it writes full size,
English labels, into the current folder (or as the environment variables
``OPTVIZ_GALLERY_OUT``, ``OPTVIZ_GALLERY_SMALL=1`` and ``OPTVIZ_GALLERY_LANG=zh`` say);
run by ``optviz gallery``, it writes where the command says.
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
    "scripts_folder",
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

    def steps(self, n: int) -> int:
        """``n`` steps, or a tenth (at least 12) for a small build."""
        return max(12, n // 10) if self.small else n

    def pick(self, full, small):
        """``full`` for the real gallery, ``small`` for a small build."""
        return small if self.small else full

    def figure(self, fig, name: str) -> None:
        """Save ``fig`` as ``name`` (labels in the gallery's language)."""
        from .plot._figure import save_figure
        from .plot.i18n import localize

        save_figure(
            localize(fig, self.lang), self.out / name, dpi=70 if self.small else 150
        )
        self.written.append(name)

    def animation(self, surface, run, name: str, panels, frames: int = 120) -> None:
        """Animate ``run`` over ``surface`` into GIF ``name``."""
        from .plot.animate import Animation

        size = (480, 240) if self.small else None
        frames = 8 if self.small else frames
        anim = Animation(
            surface, run, panels=panels, frames=frames, fps=20, size=size, lang=self.lang
        )
        anim.save(self.out / name)
        self.written.append(name)


_current: list[Gallery] = []


def output() -> Gallery:
    """The :class:`Gallery` a script writes into: the one ``optviz gallery`` set up, or
    one from the environment variables (default: full size, English, this folder)."""
    if _current:
        return _current[-1]
    return Gallery(
        out=Path(os.environ.get(_ENV_OUT, ".")),
        small=os.environ.get(_ENV_SMALL, "") not in ("", "0"),
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


def _underlined(lines: list[str], i: int, char: str) -> bool:
    return (
        i + 1 < len(lines)
        and bool(lines[i].strip())
        and set(lines[i + 1].strip()) == {char}
    )


def parse_docstring(script: Path) -> Entry:
    """The :class:`Entry` a script's docstring describes (see the module's format)."""
    import ast

    match = SCRIPT_PATTERN.match(script.name)
    if not match:
        raise ValueError(f"{script.name}: a gallery script is named plot_NN_NAME.py")
    doc = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8")), clean=True)
    lines = (doc or "").splitlines()
    if not _underlined(lines, 0, "="):
        raise ValueError(f"{script.name}: the docstring must start with a title over ===")
    zh = next((i for i in range(2, len(lines)) if _underlined(lines, i, "-")), None)
    if zh is None:
        raise ValueError(f"{script.name}: no Chinese title (underlined with ---)")
    meta = {}
    body_zh = []
    for line in lines[zh + 2 :]:
        m = re.match(r"^\.\. (files|command): (.*)$", line)
        if m:
            meta[m.group(1)] = m.group(2).strip()
        else:
            body_zh.append(line)

    def para(block: list[str]) -> str:
        return " ".join(x.strip() for x in block if x.strip())

    cjk = "".join(x.strip() for x in body_zh if x.strip())  # no spaces inside Chinese
    return Entry(
        name=match.group(2).replace("_", "-"),
        script=script,
        files=tuple(f.strip() for f in meta.get("files", "").split(",") if f.strip()),
        title=lines[0].strip(),
        title_zh=lines[zh].strip(),
        caption=para(lines[2:zh]),
        caption_zh=cjk,
        command=meta.get("command", ""),
    )


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


def _run_script(script: str, out: str, small: bool, lang: str) -> list[str]:
    """Run one gallery script writing into ``out``; the files it wrote."""
    g = Gallery(Path(out), small=small, lang=lang)
    with _writing_to(g):
        runpy.run_path(script, run_name="__main__")
    return g.written


def default_jobs() -> int:
    """Worker processes for the gallery: two where there are two cores."""
    return max(1, min(2, os.cpu_count() or 1))


def build(
    out,
    *,
    only=(),
    small: bool = False,
    lang: str = "en",
    progress: Callable[[str], None] | None = None,
    state: Progress | None = None,
    jobs: int | None = None,
) -> list[str]:
    """Run the scripts named in ``only`` (all when empty) and put their files into
    folder ``out``, with ``README.md`` when every script ran. Everything is made in a
    temporary folder beside ``out`` and moved in at the end, so a failure or Ctrl-C
    leaves ``out`` as it was. ``jobs`` worker processes run scripts side by side
    (default :func:`default_jobs`; 1 runs them here, one after another); each script
    makes the same bytes either way. Returns the files written."""
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

    def done(entry: Entry, files: list[str]) -> None:
        written[entry.name] = files
        state.built.append(entry.name)
        if progress is not None:
            progress(entry.name)

    try:
        args = [(str(e.script), str(tmp), small, lang) for e in chosen]
        if jobs == 1 or len(chosen) == 1:
            for entry, a in zip(chosen, args):
                done(entry, _run_script(*a))
        else:
            from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

            from . import recipes  # noqa: F401  imported once, before the workers fork
            from .plot import animate, i18n  # noqa: F401

            with ProcessPoolExecutor(max_workers=jobs) as pool:
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
        files = [f for e in chosen for f in written[e.name]]  # in gallery order
        if len(chosen) == len(all_entries):
            (tmp / "README.md").write_text(readme(all_entries), encoding="utf-8")
            files.append("README.md")
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
        "on the same machine); labels switch to Chinese with `optviz gallery --lang zh`.",
        "",
        "教学参考图：笔记中的每个概念各一张。本目录所有文件由 `optviz gallery` 生成；"
        "`optviz gallery --lang zh` 可将图中标签切换为中文。",
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
            made += f"; the same idea as single commands: `{e.command}`"
        lines += [made + ".", ""]
    return "\n".join(lines)
