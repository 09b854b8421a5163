"""The gallery: every listed file is built, deterministically, and documented."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from optviz import gallery
from optviz.cli import main
from optviz.plot import i18n

GALLERY = Path(__file__).resolve().parents[1] / "gallery"
LISTED = {f for e in gallery.ENTRIES for f in e.files}
MAX_GIF_BYTES = 1_500_000
MAX_GALLERY_BYTES = 25_000_000


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    outs = [tmp_path_factory.mktemp(f"gallery{i}") for i in range(2)]
    for out in outs:
        gallery.build(out, small=True)
    return outs


def test_every_listed_file_is_built(two_builds):
    built = {p.name for p in two_builds[0].iterdir()}
    assert built == LISTED | {"README.md"}
    for name in LISTED:
        path = two_builds[0] / name
        with Image.open(path) as im:
            assert im.format == ("GIF" if name.endswith(".gif") else "PNG")
            if im.format == "GIF":
                assert im.n_frames > 1 and im.info["loop"] == 0


def test_two_builds_give_identical_bytes(two_builds):
    a, b = two_builds
    for name in sorted(LISTED | {"README.md"}):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_readme_lists_every_file_of_the_committed_gallery():
    text = (GALLERY / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text))
    on_disk = {p.name for p in GALLERY.iterdir()} - {"README.md"}
    assert linked == on_disk == LISTED
    assert text == gallery.readme()  # the committed README is what the builder writes
    for entry in gallery.ENTRIES:
        assert entry.caption in text and entry.caption_zh in text
        assert f"optviz gallery --only {entry.name}" in text


def test_committed_gallery_sizes():
    sizes = {p.name: p.stat().st_size for p in GALLERY.iterdir()}
    assert sum(sizes.values()) < MAX_GALLERY_BYTES
    for name, size in sizes.items():
        if name.endswith(".gif"):
            assert size < MAX_GIF_BYTES, name


def test_cli_only_and_bad_names(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        main, ["gallery", "--small", "--only", "losses", "--out", str(tmp_path), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["losses.png"]  # no README
    result = runner.invoke(main, ["gallery", "--only", "nope", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert result.output.strip().splitlines()[-1].startswith("Error: unknown gallery")


def test_chinese_without_a_font_says_what_to_install(tmp_path, monkeypatch):
    def no_font():
        raise i18n.NoCJKFontError(i18n.INSTALL_HINT)

    monkeypatch.setattr(i18n, "cjk_font", no_font)
    result = CliRunner().invoke(main, ["gallery", "--lang", "zh", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "fonts-noto-cjk" in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_chinese_labels(tmp_path):
    try:
        i18n.cjk_font()
    except i18n.NoCJKFontError:
        pytest.skip("no CJK font installed")
    from optviz.plot.nn_figures import activations_figure

    fig = i18n.localize(activations_figure(), "zh")
    texts = " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))
    assert "导数" in texts and "饱和区" in texts
    gallery.build(tmp_path, only=["losses"], small=True, lang="zh")
    assert (tmp_path / "losses.png").stat().st_size > 0
