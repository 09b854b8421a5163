"""The gallery: every script runs (in-process and on its own), its files are
deterministic, README.md and README.zh.md are written from the scripts' docstrings, and
the captions are the figure modules' own."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from optviz import gallery, recipes
from optviz.cli import main
from optviz.plot import i18n

# End-to-end: builds the whole gallery.
# Runs with the slow tests (`pytest -m slow`, as CI does).
pytestmark = pytest.mark.slow

GALLERY = Path(__file__).resolve().parents[1] / "gallery"
ENTRIES = gallery.entries()
LISTED = {f for e in ENTRIES for f in e.files}
MAX_GIF_BYTES = 1_500_000
MAX_GALLERY_BYTES = 25_000_000
#: Quick entries rebuilt to check determinism (a still, an animation, a hand-made run).
QUICK = ("activations", "compare-saddle", "bias-correction")


@pytest.fixture(scope="module")
def small_build(tmp_path_factory):
    """The whole gallery at the small size, built once for this module."""
    out = tmp_path_factory.mktemp("gallery")
    written = gallery.build(out, small=True, jobs=1)
    return out, written


def test_every_listed_file_is_built(small_build):
    out, written = small_build
    built = {p.name for p in out.iterdir()}
    assert built == LISTED | {"README.md"} == set(written)
    for name in LISTED:
        with Image.open(out / name) as im:
            assert im.format == ("GIF" if name.endswith(".gif") else "PNG")
            if im.format == "GIF":
                assert im.n_frames > 1 and im.info["loop"] == 0


def test_a_rebuild_gives_identical_bytes(small_build, tmp_path):
    out, _ = small_build
    gallery.build(tmp_path, only=QUICK, small=True, jobs=2)  # in worker processes
    rebuilt = sorted(p.name for p in tmp_path.iterdir())
    assert rebuilt == sorted(f for e in ENTRIES if e.name in QUICK for f in e.files)
    for name in rebuilt:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


@pytest.mark.slow
def test_two_whole_builds_give_identical_bytes(small_build, tmp_path):
    out, _ = small_build
    gallery.build(tmp_path, small=True, jobs=1)
    for name in sorted(LISTED | {"README.md"}):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_a_script_runs_on_its_own(small_build, tmp_path):
    """Copied out of the repository and run with python, a script makes the same file."""
    out, _ = small_build
    (entry,) = [e for e in ENTRIES if e.name == "losses"]
    script = tmp_path / "losses.py"
    script.write_text(entry.script.read_text(encoding="utf-8"))
    env = dict(os.environ, OPTVIZ_GALLERY_SMALL="1", MPLBACKEND="Agg")
    subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, check=True)
    assert (tmp_path / "losses.png").read_bytes() == (out / "losses.png").read_bytes()


def test_scripts_follow_the_sphinx_gallery_convention():
    names = [e.script.name for e in ENTRIES]
    assert names == sorted(p.name for p in GALLERY.glob("*.py"))  # nothing else there
    assert [int(n[5:7]) for n in names] == list(range(1, len(names) + 1))
    for e in ENTRIES:
        text = e.script.read_text(encoding="utf-8")
        assert text.startswith(f'"""\n{e.title}\n{"=" * len(e.title)}\n'), e.name
        assert e.files and e.caption and e.caption_zh and e.title_zh
        assert re.search(r"[\u4e00-\u9fff]", e.caption_zh)
        code = text.split('"""', 2)[2]
        assert 3 <= len([x for x in code.splitlines() if x.strip()]) <= 40, e.name
        for f in e.files:  # the script writes what its docstring lists
            assert f'"{f}"' in code, (e.name, f)


def test_docstring_parser_reads_each_part(tmp_path):
    script = tmp_path / "plot_10_losses.py"
    script.write_text(
        '"""\nAny title\n=========\n\n.. files: a.png, b.gif\n'
        '.. command: optviz compare\n"""\nprint(1)\n',
        encoding="utf-8",
    )
    e = gallery.parse_docstring(script)
    assert e.name == "losses"
    assert e.files == ("a.png", "b.gif") and e.command == "optviz compare"
    # the titles and captions are the caption tables', whatever the docstring says
    assert (e.title, e.title_zh) == recipes.TITLES["losses"]
    assert (e.caption, e.caption_zh) == recipes.CAPTIONS["losses"]
    bad = tmp_path / "plot_02_no_such_entry.py"
    bad.write_text('"""\n.. files: x.png\n"""\n', encoding="utf-8")
    with pytest.raises(ValueError, match="no entry 'no-such-entry' in the caption tables"):
        gallery.parse_docstring(bad)


def test_readme_lists_every_file_of_the_committed_gallery():
    text = (GALLERY / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text))
    on_disk = {p.name for p in GALLERY.iterdir() if p.suffix in (".png", ".gif")}
    assert linked == on_disk == LISTED
    assert text == gallery.readme()  # the committed README is what the builder writes
    for entry in ENTRIES:
        assert entry.caption in text and entry.caption_zh in text
        assert f"optviz gallery --only {entry.name}" in text
        assert f"]({entry.script.name})" in text


def test_the_chinese_gallery_has_every_file_and_its_page():
    text = (GALLERY / "README.zh.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text))
    on_disk = {f"zh/{p.name}" for p in (GALLERY / "zh").iterdir()}
    assert linked == on_disk == {f"zh/{f}" for f in LISTED}
    assert text == gallery.readme_zh()
    for entry in ENTRIES:
        assert "## " in text and entry.title_zh in text and entry.caption_zh in text
        assert entry.caption not in text  # the Chinese page holds no English caption
        assert f"]({entry.script.name})" in text
    for name in LISTED:  # the same kind of file as the English one, not a copy of it
        zh, en = GALLERY / "zh" / name, GALLERY / name
        with Image.open(zh) as a, Image.open(en) as b:
            assert a.format == b.format
        assert zh.read_bytes() != en.read_bytes(), name


def test_captions_are_the_figure_modules_own():
    """A caption in a script's docstring is the one its figure module keeps (so the
    gallery says what the module draws); an entry may add a sentence after it."""
    sources = dict(recipes.CAPTIONS.items())
    checked = 0
    for e in ENTRIES:
        if e.name not in sources:
            continue
        en, zh = (" ".join(x.split()) for x in sources[e.name])
        assert e.caption.startswith(en.rstrip(".")), e.name
        assert e.caption_zh.replace(" ", "").startswith(zh.replace(" ", "").rstrip("。"))
        checked += 1
    assert checked >= 25


def test_committed_gallery_sizes():
    files = [p for p in GALLERY.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < MAX_GALLERY_BYTES
    for p in files:
        if p.suffix == ".gif":
            assert p.stat().st_size < MAX_GIF_BYTES, p.name


def test_cli_only_and_bad_names(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        main, ["gallery", "--small", "--only", "losses", "--out", str(tmp_path), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["losses.png"]  # no README
    result = runner.invoke(main, ["gallery", "--only", "nope", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("Error: unknown gallery")


def test_chinese_without_a_font_says_what_to_install(tmp_path, monkeypatch):
    def no_font():
        raise i18n.NoCJKFontError(i18n.INSTALL_HINT)

    monkeypatch.setattr(i18n, "cjk_font", no_font)
    result = CliRunner().invoke(main, ["gallery", "--lang", "zh", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "fonts-noto-cjk" in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_chinese_build_writes_into_zh(tmp_path):
    written = gallery.build(
        tmp_path, only=["losses", "sliding-window"], small=True, lang="zh"
    )
    assert written == ["zh/sliding-window.gif", "zh/losses.png"]  # in gallery order
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zh"]  # no page: not all built
    assert sorted(p.name for p in (tmp_path / "zh").iterdir()) == [
        "losses.png",
        "sliding-window.gif",
    ]


def test_chinese_labels(tmp_path):
    # never skipped: without a system CJK font, the font shipped with optviz draws it
    from optviz.nn.cnn_lessons import activations
    from optviz.plot.nn_figures import activations_figure

    fig = i18n.localize(activations_figure(activations()), "zh")
    texts = " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))
    assert "导数" in texts and "饱和区" in texts
    gallery.build(tmp_path, only=["losses"], small=True, lang="zh")
    assert (tmp_path / "zh" / "losses.png").stat().st_size > 0
