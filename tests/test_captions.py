"""Captions are stored once: one table per language, from which the figures' titles
and subtitles, the gallery scripts' docstrings, both READMEs and the Chinese
catalogue's drawn captions are written."""

import json
from pathlib import Path

import pytest

from optviz import gallery, recipes
from optviz.plot import i18n
from optviz.recipes.captions import TABLES, table

ROOT = Path(__file__).resolve().parents[1]


def test_the_tables_cover_the_same_entries_as_the_gallery():
    names = [e.name for e in gallery.entries()]
    assert list(table("en")) == names  # in gallery order
    assert list(table("zh")) == names
    for name in names:
        assert set(table("zh")[name]) == {"title", "caption"}, name
        assert set(table("en")[name]) - {"title", "caption"} <= {"drawn"}, name


def test_every_script_docstring_is_written_from_the_tables():
    for e in gallery.entries():
        text = e.script.read_text(encoding="utf-8")
        assert text.split('"""')[1] == gallery.docstring(e), e.name


def test_write_docstrings_rewrites_a_changed_caption(tmp_path, monkeypatch):
    folder = tmp_path / "gallery"
    folder.mkdir()
    script = folder / "plot_10_losses.py"
    script.write_text('"""\nold words\n\n.. files: losses.png\n"""\nprint(1)\n')
    assert gallery.write_docstrings(folder) == [script]
    text = script.read_text(encoding="utf-8")
    title, title_zh = recipes.TITLES["losses"]
    assert text.startswith(f'"""\n{title}\n{"=" * len(title)}\n\n')
    assert f"\n{title_zh}\n" in text and text.endswith(
        '.. files: losses.png\n"""\nprint(1)\n'
    )
    assert gallery.write_docstrings(folder) == []  # now current


def test_the_readmes_say_the_tables_captions():
    page, page_zh = gallery.readme(), gallery.readme_zh()
    for name, entry in table("en").items():
        assert entry["caption"] in page and entry["title"] in page, name
        assert table("zh")[name]["caption"] in page_zh, name
    assert page == (ROOT / "gallery" / "README.md").read_text(encoding="utf-8")
    assert page_zh == (ROOT / "gallery" / "README.zh.md").read_text(encoding="utf-8")


def test_a_drawn_caption_is_translated_from_the_tables_only():
    drawn = i18n.drawn_captions("zh")
    assert drawn[recipes.caption("rate-map")] == recipes.caption("rate-map", "zh")
    assert drawn[recipes.title("rate-map")] == recipes.title("rate-map", "zh")
    assert recipes.title("compare-beale") not in drawn  # the figure draws the surface's
    catalogue = i18n.catalogue("zh")
    for english, chinese in drawn.items():
        assert catalogue[english] == chinese
    for path in (i18n.LOCALE_DIR / "zh").glob("*.json"):  # in no label file again
        if path.name != i18n.CAPTIONS_FILE:
            labels = json.loads(path.read_text(encoding="utf-8"))
            assert not set(labels) & set(drawn), path.name


def test_the_figures_draw_the_tables_title_and_caption():
    from optviz.recipes.sizes import small_runs

    with small_runs():
        fig = recipes.rate_map().figure
    text = fig._suptitle.get_text()
    assert text == f"{recipes.title('rate-map')}\n{recipes.caption('rate-map')}"


def test_an_unknown_name_or_language_is_one_error():
    with pytest.raises(ValueError, match="no caption for 'nope'; known: activations"):
        recipes.caption("nope")
    with pytest.raises(ValueError, match="lang must be one of en, zh, got 'fr'"):
        recipes.title("losses", "fr")
    assert TABLES["en"].name == "captions.json"
