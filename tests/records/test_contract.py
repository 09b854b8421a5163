"""Every record type keeps the one contract: save -> load -> an equal record (CSV and
NPZ), one sidecar layout, access by label, a short repr and an HTML table."""

import io
import json
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from optviz.records import Record, Run, StartMap, Sweep, TrainingRun
from optviz.surfaces import get


@pytest.mark.parametrize("suffix", [".csv", ".npz"])
def test_save_load_gives_an_equal_record(record, tmp_path, suffix):
    path = record.save(tmp_path / f"rec{suffix}")
    back = type(record).load(path)
    pd.testing.assert_frame_equal(back.to_frame(), record.to_frame())
    assert back == record
    assert back.labels == record.labels
    info = json.loads((tmp_path / "rec.json").read_text())
    assert info["record"] == type(record).__name__
    assert not list(tmp_path.glob(".*part"))


def test_equality_sees_a_changed_number(makers):
    a, b = makers["sweep"](), makers["sweep"]()
    assert a == b
    b.curves[1].final_loss[2] += 1e-12
    assert a != b


def test_sidecars_share_one_layout(makers, tmp_path):
    for name, make in makers.items():
        rec = make()
        rec.save(tmp_path / "r.npz")
        info = json.loads((tmp_path / "r.json").read_text())
        keys = list(info)
        assert keys[:2] == ["record", "format"], name
        assert keys[-3:] == ["optimizers", "meta", "versions"], name
        assert [o["label"] for o in info["optimizers"]] == rec.labels, name
        assert {"optviz", "numpy", "pandas", "matplotlib", "python"} <= set(
            info["versions"]
        )


def test_access_by_label(record):
    assert len(record) == len(record.labels) == len(list(record))
    for label, item in zip(record.labels, record):
        assert record[label].label == label == item.label
    with pytest.raises(KeyError, match="it has: " + ", ".join(record.labels[:1])):
        record["no such optimizer"]


def test_repr_is_one_line_per_optimizer_and_never_arrays(record):
    text = repr(record)
    lines = text.splitlines()
    assert len(lines) == 1 + len(record)
    assert lines[0].startswith(type(record).__name__ + "(")
    assert "array" not in text and "[" not in text
    assert max(len(line) for line in lines) < 120


class _Table(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.cells, self._in_td = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_td = tag == "td"

    def handle_data(self, data):
        if self._in_td:
            self.cells.append(data)
            self._in_td = False


def test_repr_html_is_a_table_row_per_optimizer(record):
    parser = _Table()
    parser.feed(record._repr_html_())
    assert parser.tags[0] == "table"
    assert parser.tags.count("tr") == 1 + len(record)  # a header row and the items
    assert parser.cells[::2] == record.labels


def test_every_record_type_derives_from_the_base(makers):
    for make in makers.values():
        assert isinstance(make(), Record)


def test_load_refuses_another_record_type(makers, tmp_path):
    path = makers["run"]().save(tmp_path / "run.npz")
    with pytest.raises(ValueError, match="holds a Run, not a Sweep"):
        Sweep.load(path)


def test_run_record_reads_back_the_batch_shape(makers, tmp_path):
    run = makers["batch run"]()
    back = Run.load(run.save(tmp_path / "b.csv"))
    assert back["adam"].xy.shape == (13, 2, 3, 2)
    np.testing.assert_array_equal(back["adam"].xy, run["adam"].xy)
    np.testing.assert_array_equal(back["sgd"].diverged_at, run["sgd"].diverged_at)


def test_training_run_folder_is_the_three_file_layout(makers, tmp_path):
    run = makers["training run"]()
    path = run.save(tmp_path / "run")
    assert path == tmp_path / "run"
    names = sorted(p.name for p in path.iterdir())
    assert names == [
        ".optviz.json",  # the marker: only such a folder is ever replaced
        "history-snapshots.npz",
        "history-steps.csv",
        "history.csv",
        "settings.json",
    ]
    back = TrainingRun.load(path)
    assert back == run
    np.testing.assert_array_equal(back["sgd"].snapshots, run["sgd"].snapshots)
    assert back["sgd"].snapshots.dtype == np.float32
    assert back["adam"].diverged_at == 3


def test_training_run_without_snapshots_removes_a_stale_snapshot_file(makers, tmp_path):
    run = makers["training run"]()
    run.save(tmp_path / "history.csv")
    for h in run:
        h.snapshot_steps, h.snapshots = np.zeros(0, np.int64), np.zeros((0, 0))
    run.save(tmp_path / "history.csv")
    assert not (tmp_path / "history-snapshots.npz").exists()
    assert TrainingRun.load(tmp_path / "history.csv")["sgd"].snapshots.size == 0


def test_landscape_keeps_its_plane_in_both_formats(makers, tmp_path):
    land = makers["landscape"]()
    for suffix in (".csv", ".npz"):
        back = type(land).load(land.save(tmp_path / f"land{suffix}"))
        for key in ("origin", "directions", "explained"):
            np.testing.assert_array_equal(
                getattr(back.plane, key), getattr(land.plane, key)
            )
        np.testing.assert_array_equal(back.loss, land.loss)
        assert back["b"].xy.shape == (12, 2)


def test_cnn_sweep_reads_back_best_rates_and_curves(makers, tmp_path):
    sweep = makers["cnn sweep"]()
    back = type(sweep).load(sweep.save(tmp_path / "cnn.csv"))
    assert back.best() == sweep.best() == {"sgd": 0.01, "adam": 0.1}
    np.testing.assert_array_equal(back.curves("sgd", 0.1), sweep.curves("sgd", 0.1))
    assert np.isnan(back.curves("sgd", 0.1)[1, 1])


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


@pytest.mark.filterwarnings("ignore:constrained_layout not applied")
def test_a_loaded_sweep_redraws_the_same_figure(makers, tmp_path):
    from optviz.plot.sweep import sweep_figure

    sweep = makers["sweep"]()
    back = Sweep.load(sweep.save(tmp_path / "sweep.npz"))
    surface = get("rosenbrock")
    assert _png(sweep_figure(surface, back)) == _png(sweep_figure(surface, sweep))


def test_a_loaded_start_map_redraws_the_same_figure(makers, tmp_path):
    from optviz.plot.maps import map_figure

    smap = makers["start map"]()
    back = StartMap.load(smap.save(tmp_path / "map.csv"))
    surface = get("himmelblau")
    assert back["adam"].summary() == smap["adam"].summary()
    drawn = [_png(map_figure(surface, m, "basin")) for m in (back, smap)]
    assert drawn[0] == drawn[1]


def test_items_repr_shows_shapes_not_values(makers):
    run = makers["run"]()
    text = repr(run["adam"])
    assert "xy=<float64 (31, 2)>" in text and "loss=<float64 (31,)>" in text
    assert len(text) < 500
    for name in ("training run", "sweep", "start map"):
        rec = makers[name]()
        item = rec[rec.labels[0]]
        assert len(repr(item)) < 600 and "array(" not in repr(item), name
