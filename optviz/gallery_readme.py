"""The gallery's words: each script's entry (name, files, command; titles and captions
from the caption tables, :mod:`optviz.recipes.captions`), the scripts' docstrings
written from those tables, and the two READMEs (``gallery/README.md``, the Chinese
``gallery/README.zh.md``). :mod:`optviz.gallery` runs the scripts.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Entry",
    "SCRIPT_PATTERN",
    "README_NAMES",
    "scripts_folder",
    "parse_docstring",
    "entries",
    "docstring",
    "write_docstrings",
    "readme",
    "readme_zh",
]

#: Gallery scripts: ``plot_NN_NAME.py``.
SCRIPT_PATTERN = re.compile(r"^plot_(\d\d)_([a-z0-9_]+)\.py$")


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


#: The page each language's whole build writes into the gallery's root folder.
README_NAMES = {"en": "README.md", "zh": "README.zh.md"}


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
