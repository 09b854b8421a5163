"""The still comparison figure: its artists hold the record, its PNG has the right
pixels where the record says, and the same run gives the same bytes."""

import io

import numpy as np
import pytest
from helpers import four_optimizers
from matplotlib.colors import to_rgb
from PIL import Image

from optviz.cli._common import save_figure
from optviz.optimizers import SGD, Adam
from optviz.plot.compare import compare_figure, legend_label
from optviz.plot.contours import gap
from optviz.plot.style import color, shade
from optviz.run import run_surface

DPI = 150  # save_figure's


@pytest.fixture(scope="module")
def run(surface):
    opts = four_optimizers()
    return run_surface(surface, opts, start=(-1.2, 1.0), steps=60)


@pytest.fixture(scope="module")
def diverged(surface):
    return run_surface(
        surface, {"sgd": SGD(lr=0.05), "adam": Adam(lr=0.05)}, start=(-1.2, 1.0), steps=30
    )


@pytest.fixture(scope="module")
def fig(surface, run):
    return compare_figure(surface, run)


def axes_of(fig):
    ax_map, ax_loss = fig.axes[:2]
    return ax_map, ax_loss


def rgb(name):
    return np.round(np.array(to_rgb(color(name))) * 255)


def line_with(ax, xy):
    """The Line2D of ``ax`` whose data is ``xy`` (NaN equal to NaN), or None."""
    for line in ax.get_lines():
        x, y = (np.asarray(v, float) for v in line.get_data())
        if x.shape == xy[:, 0].shape and np.allclose(
            np.column_stack([x, y]), xy, equal_nan=True
        ):
            return line
    return None


def test_paths_on_the_map_are_the_records_in_their_colours(fig, run):
    ax_map, _ = axes_of(fig)
    for traj in run:
        line = line_with(ax_map, traj.xy)
        assert line is not None, traj.label
        assert line.get_color() == color(traj.optimizer)
        head = line_with(ax_map, traj.last_finite()[None])
        assert head is not None and head.get_markerfacecolor() == color(traj.optimizer)


def test_loss_curves_are_the_records_and_the_legend_names_them(fig, surface, run):
    _, ax_loss = axes_of(fig)
    for traj in run:
        want = np.maximum(gap(surface, traj.loss), np.finfo(float).tiny)
        line = line_with(ax_loss, np.column_stack([np.arange(traj.steps + 1), want]))
        assert line is not None and line.get_color() == color(traj.optimizer)
    # no legend over the data: each curve is named at its end, in its colour
    assert ax_loss.get_legend() is None
    ends = {t.get_text(): t for t in ax_loss.texts}
    for traj in run:
        text = ends[legend_label(traj)]
        assert text.get_color() == color(traj.optimizer)
        # in the margin right of the panel (the x axis ends at the last step)
        assert ax_loss.get_xlim() == (0, traj.steps)
        assert text.get_window_extent().x0 > ax_loss.get_window_extent().x1
    assert ax_loss.get_yscale() == "log"


def test_labels_carry_beta_and_rho_and_repeats_get_their_own_style(surface):
    from optviz.optimizers import Momentum, RMSprop

    run = run_surface(
        surface,
        [
            SGD(lr=1e-3),
            SGD(lr=2e-3),
            Momentum(lr=1e-3, momentum=0.8),
            RMSprop(lr=0.01),
            Adam(lr=0.05, betas=(0.8, 0.99)),
        ],
        start=(-1.2, 1.0),
        steps=20,
    )
    labels = [legend_label(t) for t in run]
    assert labels[2] == "Momentum  α=0.001 β=0.8"
    assert labels[3] == "RMSprop  α=0.01 ρ=0.99"
    assert labels[4] == "Adam  α=0.05 ρ1=0.8 ρ2=0.99"
    fig = compare_figure(surface, run)
    ax_map, ax_loss = axes_of(fig)
    for ax, data in ((ax_map, lambda t: t.xy), (ax_loss, None)):
        if data is None:
            continue
        a, b = (line_with(ax, t.xy) for t in list(run)[:2])
        assert a.get_color() == color("sgd")  # the first in the optimizer's colour ...
        assert b.get_color() == shade(color("sgd"), 1)  # its variant in a shade of it
        assert a.get_linestyle() != b.get_linestyle()  # ... and told apart by style
    # not the surface's defaults, so no "default settings" footnote
    assert "not a ranking" not in fig.get_supxlabel() if fig._supxlabel else True


def test_defaults_are_labelled_not_a_ranking(surface):
    from optviz import recipes
    from optviz.claims import uses_defaults
    from optviz.spec import build_optimizers

    run = run_surface(surface, build_optimizers([], surface, steps=10), steps=10)
    assert uses_defaults(surface, run)
    fig = recipes.compare(surface, steps=10).figure
    assert "default settings" in fig._supxlabel.get_text()
    assert "not a ranking" in fig._supxlabel.get_text()
    tuned = recipes.compare(surface, ["sgd:lr=0.0123"], steps=10).figure
    assert tuned._supxlabel is None or "not a ranking" not in tuned.get_supxlabel()


def test_a_diverged_run_is_marked_on_both_panels(surface, diverged):
    traj = diverged["sgd"]
    d = int(traj.diverged_at)
    assert d > 0
    ax_map, ax_loss = axes_of(compare_figure(surface, diverged))
    assert any(t.get_text().startswith(f"diverged (step {d})") for t in ax_map.texts)
    # It left the map: the mark says so and stays on the map, at its edge.
    note = next(t for t in ax_map.texts if t.get_text().startswith("diverged"))
    assert note.get_text().endswith("off the map")
    (cross,) = [ln for ln in ax_map.get_lines() if ln.get_marker() == "X"]
    (x0, x1), (y0, y1) = ax_map.get_xlim(), ax_map.get_ylim()
    x, y = cross.get_xydata()[0]
    assert x0 < x < x1 and y0 < y < y1
    crosses = [ln for ln in ax_loss.get_lines() if ln.get_marker() == "X"]
    assert len(crosses) == 1 and crosses[0].get_markerfacecolor() == color("sgd")


def test_a_batch_of_starts_is_refused(surface):
    batch = run_surface(
        surface, {"sgd": SGD(lr=1e-3)}, start=[[-1.2, 1.0], [0.5, 2.0]], steps=3
    )
    with pytest.raises(ValueError, match="single-start"):
        compare_figure(surface, batch)


def test_png_pixels_at_the_heads_start_and_minimum(fig, run, surface, tmp_path):
    path = save_figure(fig, tmp_path / "compare.png")
    with Image.open(path) as im:
        pixels = np.asarray(im.convert("RGB")).astype(int)
        assert im.size == tuple(np.round(fig.get_size_inches() * DPI).astype(int))
    ax_map, _ = axes_of(fig)
    scale = DPI / fig.dpi
    height = pixels.shape[0]

    def at(xy):
        x, y = ax_map.transData.transform(xy) * scale
        r, c = int(round(height - y)), int(round(x))
        return r, c, pixels[r - 1 : r + 2, c - 1 : c + 2].reshape(-1, 3)

    heads = [(t.optimizer, at(t.last_finite())) for t in run]
    checked = 0
    for i, (name, (r, c, patch)) in enumerate(heads):
        if any(abs(r - r2) + abs(c - c2) < 25 for _, (r2, c2, _) in heads[i + 1 :]):
            continue  # hidden under a head drawn later
        assert np.abs(patch - rgb(name)).max(axis=1).min() <= 2, name
        checked += 1
    assert checked >= 3
    *_, start = at(run.start)  # start drawn over the paths' first points
    assert np.abs(start).max(axis=1).min() <= 10  # black
    for p in surface.minima:
        *_, star = at(p.xy)
        assert star.min(axis=1).max() >= 245  # white star


def test_figure_files_are_byte_for_byte_reproducible(surface, run, tmp_path):
    for ext in ("png", "svg", "pdf"):
        a = save_figure(compare_figure(surface, run), tmp_path / f"a.{ext}")
        b = save_figure(compare_figure(surface, run), tmp_path / f"b.{ext}")
        assert a.read_bytes() == b.read_bytes(), ext


def test_png_has_optimizer_colours_and_no_transparency(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)
    with Image.open(buf) as im:
        pixels = np.asarray(im.convert("RGBA")).astype(int)
    assert pixels[..., 3].min() == 255
    for name in ("momentum", "adam"):
        near = np.all(np.abs(pixels[..., :3] - rgb(name)) < 12, axis=-1)
        assert near.sum() > 20, name


def test_a_label_of_its_own_is_kept_whole(surface):
    run = run_surface(
        surface,
        {"full batch": SGD(lr=1e-3), "sgd fast": SGD(lr=2e-3), "sgd #2": SGD(lr=3e-3)},
        steps=3,
    )
    assert [legend_label(t) for t in run] == [
        "full batch  α=0.001",
        "SGD  α=0.002 fast",
        "SGD  α=0.003 #2",
    ]
