"""Every gallery figure drawn from a record redraws from that record, saved and loaded,
with the same bytes (test-sized, as ``optviz gallery --small`` builds it)."""

import pytest

from optviz import gallery, recipes
from optviz.lessons.names import NAMES as LESSONS
from optviz.plot.i18n import localize

# End-to-end: builds part of the gallery.
# Runs with the slow tests (`pytest -m slow`, as CI does).
pytestmark = pytest.mark.slow

#: The sliding window: a GIF (its redraw from its record is tested in
#: tests/test_lessons.py).
NOT_YET = {"sliding-window"}

#: The entries whose figures state themselves in a record: the surfaces' runs, and
#: every lesson of ``optviz lesson`` (optviz.lessons.names) but those above.
FROM_RECORDS = (
    "compare-quadratic",
    "compare-rosenbrock",
    "compare-beale",
    "compare-saddle",
    "compare-himmelblau",
    "compare-modern",
    "saddle-3d",
    "sweep-rosenbrock",
    "startmap-himmelblau",
    *(name for name in LESSONS if name not in NOT_YET),
    # the CNN trained over three seeds (a TrainingRun) and its paths (a Lesson)
    "cnn-training",
)


def test_every_figure_with_a_record_redraws_from_it(tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    out = tmp_path / "gallery"
    written = gallery.build(out, only=FROM_RECORDS, small=True, records=records, jobs=1)
    pngs = sorted(f for f in written if f.endswith(".png"))
    saved = sorted(p.stem for p in records.glob("*.npz"))
    assert saved == sorted(p[: -len(".png")] for p in pngs)  # one record per figure
    for name in saved:
        loaded = recipes.load_record(records / f"{name}.npz")
        fig = localize(recipes.redraw(loaded).figure, "en")
        assert gallery.palette_png(fig, dpi=70) == (out / f"{name}.png").read_bytes(), name
