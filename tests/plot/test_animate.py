"""The animation engine: frames, files read back, pixels against the stills, the CLI."""

import base64
import io
import re

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error, four_optimizers
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from PIL import Image

from optviz.cli import main
from optviz.optimizers import SGD, Adam
from optviz.plot import gif as gifmod
from optviz.plot import video
from optviz.plot.animate import (
    FPS_RANGE,
    MAX_FRAMES,
    PANELS,
    Animation,
    check_panels,
    frame_steps,
)
from optviz.plot.contours import draw_landmarks, draw_start, draw_surface, draw_trajectory
from optviz.plot.style import color, style
from optviz.run import run_surface

SIZE = (320, 240)
STEPS = 40
FRAMES = 12
FPS = 20


@pytest.fixture(scope="module")
def run(surface):
    opts = four_optimizers()
    return run_surface(surface, opts, start=(-1.2, 1.0), steps=STEPS)


@pytest.fixture(scope="module")
def diverged_run(surface):
    return run_surface(
        surface,
        {"sgd": SGD(lr=0.05), "adam": Adam(lr=0.05)},
        start=(-1.2, 1.0),
        steps=STEPS,
    )


@pytest.fixture(scope="module")
def anim(surface, run):
    return Animation(surface, run, frames=FRAMES, fps=FPS, size=SIZE)


@pytest.fixture(scope="module")
def gif_bytes(anim):
    return anim.to_gif()


def gif_frames(data: bytes) -> list[np.ndarray]:
    with Image.open(io.BytesIO(data)) as im:
        out = []
        for i in range(im.n_frames):
            im.seek(i)
            out.append(np.asarray(im.convert("RGB")).astype(int))
    return out


def pixel(ax, xy, height) -> tuple[int, int]:
    """(row, col) of data point ``xy`` on an Agg canvas of ``height`` pixels."""
    x, y = ax.transData.transform(xy)
    return int(height - y), int(x)


# -- frame selection ---------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(
    steps=st.integers(0, 5000),
    frames=st.integers(1, 400),
    spacing=st.sampled_from(["geometric", "linear"]),
)
def test_frame_steps_are_distinct_ascending_and_span_the_run(steps, frames, spacing):
    s = frame_steps(steps, frames, spacing)
    assert len(s) == min(frames, steps + 1)
    assert s[-1] == steps
    if len(s) > 1:
        assert s[0] == 0 and np.all(np.diff(s) >= 1)


def test_geometric_spacing_shows_every_early_step_and_skips_late_ones():
    s = frame_steps(500, 200)
    assert s[:10].tolist() == list(range(10))
    gaps = np.diff(s)
    assert gaps[-10:].min() > 1 and gaps[-10:].mean() > 3 * gaps[:10].mean()


def test_frame_steps_rejects_bad_input():
    with pytest.raises(ValueError, match="spacing"):
        frame_steps(10, 5, "cubic")
    with pytest.raises(ValueError, match="frames"):
        frame_steps(10, 0)


# -- the GIF read back -------------------------------------------------------------
def test_gif_frame_count_durations_loop_and_size(anim, gif_bytes):
    with Image.open(io.BytesIO(gif_bytes)) as im:
        assert im.format == "GIF" and im.size == SIZE
        assert im.n_frames == len(anim) == FRAMES
        assert im.info["loop"] == 0  # forever
        durations = []
        for i in range(im.n_frames):
            im.seek(i)
            durations.append(im.info["duration"])
    assert durations[1:-1] == [1000 / FPS] * (FRAMES - 2)
    assert durations[0] == 1500  # the start is held, to say what is about to happen
    assert durations[-1] == 1500  # the last frame is held before the loop restarts
    assert anim.durations_ms() == durations


def test_first_and_last_frames_show_the_first_and_last_steps(anim):
    assert anim.steps[0] == 0 and anim.steps[-1] == STEPS


def test_each_head_has_its_optimizers_colour_in_the_last_frame(anim, run, gif_bytes):
    last = gif_frames(gif_bytes)[-1]
    ax = anim.axes["trajectory"]
    heads = [(traj.optimizer, pixel(ax, traj.last_finite(), SIZE[1])) for traj in run]
    checked = 0
    for i, (name, (r, c)) in enumerate(heads):
        # a head drawn later (above) within a marker's width hides this one
        if any(abs(r - r2) + abs(c - c2) < 14 for _, (r2, c2) in heads[i + 1 :]):
            continue
        want = np.round(np.array(to_rgb(color(name))) * 255)
        patch = last[r - 1 : r + 2, c - 1 : c + 2].reshape(-1, 3)
        assert np.abs(patch - want).max(axis=1).min() <= 2, (name, patch, want)
        checked += 1
    assert checked >= 3


def test_first_frame_matches_the_still_drawn_by_the_plotting_functions(
    anim, run, surface, gif_bytes
):
    """Frame 0 against a figure of the same size drawn from scratch with the still
    figures' functions (no blitting): same pixels inside the map, up to the palette."""
    first = gif_frames(gif_bytes)[0]
    ax_anim = anim.axes["trajectory"]
    with style():
        fig = Figure(figsize=anim.fig.get_size_inches(), dpi=anim.fig.dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_axes(ax_anim.get_position())
        draw_surface(ax, surface)
        draw_landmarks(ax, surface)
        for traj in run:
            draw_trajectory(ax, traj, upto=0)
        draw_start(ax, run.start)
        ax.set_xlim(ax_anim.get_xlim())
        ax.set_ylim(ax_anim.get_ylim())
        fig.canvas.draw()
    still = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)
    x0, y0, x1, y1 = np.round(ax_anim.bbox.extents).astype(int)
    inside = np.zeros(first.shape[:2], bool)
    inside[SIZE[1] - y1 + 2 : SIZE[1] - y0 - 2, x0 + 2 : x1 - 2] = True
    renderer = anim.fig.canvas.get_renderer()
    assert ax_anim.get_legend() is None  # the legend sits under the panels
    for extra in (anim._counter,):  # not in the still
        bx0, by0, bx1, by1 = np.round(extra.get_window_extent(renderer).extents).astype(int)
        inside[SIZE[1] - by1 - 8 : SIZE[1] - by0 + 8, bx0 - 8 : bx1 + 8] = False
    diff = np.abs(first - still).max(axis=2)[inside]
    assert inside.sum() > 0.5 * SIZE[0] * SIZE[1] * 0.5
    assert diff.mean() < 1.5
    assert np.percentile(diff, 99) < 24


def test_the_legend_covers_no_panel_and_momentum_moves_alpha_over_one_minus_beta(surface):
    from optviz.optimizers import Momentum

    run = run_surface(
        surface,
        {"sgd": SGD(lr=1e-3), "momentum": Momentum(lr=1e-3, momentum=0.9)},
        start=(-1.2, 1.0),
        steps=STEPS,
    )
    anim = Animation(surface, run, panels="trajectory,loss,lr", frames=4, size=SIZE)
    renderer = anim.fig.canvas.get_renderer()
    (legend,) = anim.fig.legends
    box = legend.get_window_extent(renderer)
    for ax in anim.axes.values():
        assert ax.get_legend() is None
        assert not box.overlaps(ax.bbox)
    # the lr panel: SGD at alpha, momentum at alpha/(1-beta) = 10 alpha
    anim.update(len(anim) - 1)
    lines = [ln for ln in anim.axes["lr"].get_lines() if len(ln.get_xdata()) > 1]
    levels = sorted(float(np.nanmax(ln.get_ydata())) for ln in lines)
    assert levels == pytest.approx([1e-3, 1e-2])
    assert "α/(1-β)" in anim.axes["lr"].get_ylabel()


@pytest.mark.parametrize("panels", ["trajectory", "loss,lr", "trajectory,loss,lr"])
def test_blitted_frames_equal_full_redraws(surface, diverged_run, panels):
    """Restoring the background and drawing only the moving artists gives exactly the
    picture a full draw of the same frame gives (a diverged run included)."""
    anim = Animation(surface, diverged_run, panels=panels, frames=6, size=(480, 320))
    canvas = anim.fig.canvas
    for frame, image in enumerate(anim.iter_frames()):
        if frame not in (0, 2, len(anim) - 1):
            continue
        blitted = image.copy()
        anim.update(frame)
        canvas.draw()
        np.testing.assert_array_equal(blitted, np.asarray(canvas.buffer_rgba()))
        # (the generator restores its own background on the next frame)


@pytest.mark.parametrize("steps", [60, 1200])
def test_replayed_paths_and_heads_paint_what_the_artists_draw(surface, steps):
    """Growing lines and heads are painted by replaying the drawing call a draw of
    the artist makes; at every step that gives the pixels ``Artist.draw`` gives (also
    past 1000 points, where Line2D cuts a sorted line to the view itself), on a
    linear and on a log axis."""
    from optviz.plot.animate.movers import Grow, Head

    t = np.arange(steps + 1.0)
    xy = np.column_stack([-1.5 + 2.5 * t / steps, 1.0 + 0.6 * np.sin(t / 40)])
    with style():
        fig = Figure(figsize=(4, 3), dpi=100)
        canvas = FigureCanvasAgg(fig)
        ax, log = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
        draw_surface(ax, surface)
        (line,) = ax.plot(xy[:, 0], xy[:, 1], "-", lw=2.2, solid_capstyle="round")
        (head,) = ax.plot(*xy[0], "o", ms=9, mfc="C1", mec="white", mew=1.5)
        (curve,) = log.semilogy(t, np.exp(-t / 300) + 1e-3, lw=2)
        log.set_xlim(0, steps)
        for artist in (line, head, curve):
            artist.set_animated(True)  # not in the background
        canvas.draw()
    movers = [Grow(line), Head(head, xy), Grow(curve)]
    renderer = canvas.get_renderer()
    painters = [m.painter(renderer) for m in movers]
    assert all(p is not None for p in painters)  # the fast path is the one tested
    pixels = np.asarray(canvas.buffer_rgba())
    empty, background = canvas.copy_from_bbox(fig.bbox), pixels.copy()
    for k in (0, 1, 37, steps // 2, steps):
        canvas.restore_region(empty)
        for paint in painters:
            paint(k)
        painted = pixels.copy()
        canvas.restore_region(empty)
        for mover in movers:
            mover(k)
            mover.artist.draw(renderer)
        np.testing.assert_array_equal(painted, pixels, err_msg=f"step {k}")
        assert np.any(painted != background)


def test_the_counter_keeps_one_width():
    """Counts are right-aligned in as many places as the total has digits, so the
    text does not change width (nor jump) as the count grows."""
    from optviz.plot.animate.counter import FIGURE_SPACE, StepCounter

    counter = StepCounter(500, color="black")
    assert counter.text(7) == f"step {FIGURE_SPACE * 2}7 / 500"
    assert counter.text(500) == "step 500 / 500"
    widths = {counter.image(100.0, k).shape for k in (0, 9, 10, 99, 100, 500)}
    assert len(widths) == 1


def test_the_counter_is_pixel_for_pixel_the_rendered_text(anim):
    """The counter pastes digits rendered once; that must equal rendering the text."""
    counter, dpi = anim._counter, anim.fig.dpi
    for k in (0, 7, 10, 38, 40):
        composed = counter.image(dpi, k)
        rendered = counter._render([counter.text(k)], dpi)[0]
        np.testing.assert_array_equal(composed, rendered)
    big = type(counter)(123456, color="black")
    for k in (9, 1234, 98765, 123456):
        np.testing.assert_array_equal(big.image(dpi, k), big._render([big.text(k)], dpi)[0])


def test_a_diverged_optimizer_stops_where_it_left_and_is_marked(surface, diverged_run):
    traj = diverged_run["sgd"]
    d = int(traj.diverged_at)
    assert d > 0
    anim = Animation(surface, diverged_run, frames=STEPS + 1, size=SIZE)
    ax = anim.axes["trajectory"]
    before = ax.texts[:]  # the divergence note is a text of the map
    anim.update(d - 1)
    assert not any(t.get_visible() for t in before if "diverged" in t.get_text())
    anim.update(len(anim) - 1)
    notes = [t for t in before if "diverged" in t.get_text()]
    assert notes and all(t.get_visible() for t in notes)
    head = next(
        a
        for a in ax.get_lines()
        if a.get_marker() == "o" and a.get_markerfacecolor() == color("sgd")
    )
    np.testing.assert_allclose(np.ravel(head.get_data()), traj.last_finite())


def test_every_panel_combination_builds(surface, run):
    for panels in [("loss",), ("lr",), ("trajectory", "lr"), PANELS]:
        anim = Animation(surface, run, panels=panels, frames=3, size=(400, 300))
        assert set(anim.axes) == set(panels)
        assert np.asarray(next(anim.iter_frames())).shape == (300, 400, 4)


# -- determinism, atomicity, formats ---------------------------------------------------
def test_same_input_same_bytes(surface, run, tmp_path, gif_bytes):
    again = Animation(surface, run, frames=FRAMES, fps=FPS, size=SIZE)
    path = again.save(tmp_path / "again.gif")
    assert path.read_bytes() == gif_bytes


def test_an_interrupted_render_leaves_no_file(surface, run, tmp_path, monkeypatch):
    calls = []

    def failing_write(self, image, duration_ms):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(self, image, duration_ms)

    original = gifmod.GifWriter.write
    monkeypatch.setattr(gifmod.GifWriter, "write", failing_write)
    from optviz.plot.animate import player

    png = player._png

    def failing_png(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return png(*args, **kwargs)

    monkeypatch.setattr(player, "_png", failing_png)
    anim = Animation(surface, run, frames=FRAMES, size=SIZE)
    for name in ("a.gif", "a.html"):
        calls.clear()
        with pytest.raises(KeyboardInterrupt):
            anim.save(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_html_is_self_contained_and_shows_inline(anim, gif_bytes, tmp_path):
    page = anim.save(tmp_path / "a.html").read_text()  # a player (tests/explore)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.findall(r'(?:src|href)="([^"]*)"', page)  # nothing to load
    frames = re.findall(r'"(data:image/png;base64,[^"]*)"', page)
    assert len(frames) == len(anim)
    sources = re.findall(r'src="([^"]*)"', anim.to_html(standalone=True))
    assert base64.b64decode(sources[0].partition(",")[2]) == gif_bytes
    tag = anim._repr_html_()
    assert tag.startswith("<img") and "data:image/gif;base64," in tag


def test_func_animation_contract(anim, tmp_path):
    from matplotlib.animation import FuncAnimation, PillowWriter

    artists = anim.update(1)
    assert artists and all(a.axes is not None for a in artists)
    assert anim.init() == artists  # made once, moved by update
    small = Animation(anim.surface, anim.run, frames=3, size=(200, 150))
    func = small.to_func_animation()
    assert isinstance(func, FuncAnimation)
    func.save(tmp_path / "func.gif", writer=PillowWriter(fps=5))
    with Image.open(tmp_path / "func.gif") as im:
        assert im.n_frames == 3


def test_mp4(anim, tmp_path):
    try:
        video.find_ffmpeg()
    except video.FFmpegNotFound:
        pytest.skip("no ffmpeg (pip install imageio-ffmpeg)")
    path = anim.save(tmp_path / "a.mp4")
    data = path.read_bytes()
    assert data[4:8] == b"ftyp" and len(data) > 1000
    assert not [p for p in tmp_path.iterdir() if p.name != "a.mp4"]


def test_missing_ffmpeg_says_how_to_get_it(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_imageio(name, *args, **kwargs):
        if name == "imageio_ffmpeg":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_imageio)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(video.FFmpegNotFound, match=r'pip install "optviz\[mp4\]"'):
        video.find_ffmpeg()


def test_gif_writer_keeps_palette_colours_exact():
    colours = np.array([[0, 114, 178], [213, 94, 0], [255, 255, 255]], np.uint8)
    frame = np.repeat(colours[None], 4, axis=0)  # (4, 3, 3)
    palette = gifmod.build_palette([frame], keep=[tuple(c) for c in colours.tolist()])
    np.testing.assert_array_equal(palette.colors[palette.indices(frame)], frame)


# -- library validation ----------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"frames": 0}, "frames"),
        ({"frames": MAX_FRAMES + 1}, "frames"),
        ({"fps": FPS_RANGE[1] + 1}, "fps"),
        ({"fps": 0}, "fps"),
        ({"panels": "trajectory,speed"}, "unknown panel 'speed'"),
        ({"colors": 100}, "colors"),
    ],
)
def test_bad_arguments_raise_value_error(surface, run, kwargs, message):
    with pytest.raises(ValueError, match=message):
        Animation(surface, run, **kwargs)


def test_cli_limits_are_the_librarys():
    from optviz.cli import animate as command
    from optviz.plot.animate import SIZE_RANGE

    assert command._MAX_FRAMES == MAX_FRAMES
    assert command._FPS_MAX == FPS_RANGE[1]
    assert command._SIZE_RANGE == SIZE_RANGE


def test_check_panels():
    assert check_panels("loss, trajectory,loss") == ("loss", "trajectory")
    with pytest.raises(ValueError, match="allowed: trajectory, loss, lr"):
        check_panels("map")


# -- the command -------------------------------------------------------------------------
def invoke(*args):
    return CliRunner().invoke(main, ["animate", *args], catch_exceptions=False)


@pytest.mark.parametrize(
    "args, fragments",
    [
        (["--out", "a.avi"], [".gif", ".mp4", ".html"]),
        (["--frames", "0"], ["--frames"]),
        (["--frames", "-3"], ["--frames"]),
        (["--fps", "0"], ["--fps"]),
        (["--fps", "500"], ["--fps"]),
        (["--panels", "trajectory,surface"], ["unknown panel", "trajectory, loss, lr"]),
        (["--size", "big"], ["--size"]),
        (["-o", "adamm"], ["adam"]),
    ],
)
def test_cli_bad_input_is_one_line_error(tmp_path, monkeypatch, args, fragments):
    monkeypatch.chdir(tmp_path)
    assert_one_line_error(invoke("--steps", "5", *args), *fragments)
    assert list(tmp_path.iterdir()) == []


def test_cli_mp4_without_ffmpeg_is_one_line_error(tmp_path, monkeypatch):
    def missing():
        raise video.FFmpegNotFound('writing .mp4 needs ffmpeg: pip install "optviz[mp4]"')

    monkeypatch.setattr(video, "find_ffmpeg", missing)
    monkeypatch.chdir(tmp_path)
    assert_one_line_error(invoke("--steps", "5", "--out", "a.mp4"), "optviz[mp4]")


def test_cli_writes_the_gif(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(
        "-o",
        "sgd",
        "-o",
        "adam",
        "--steps",
        "30",
        "--frames",
        "8",
        "--fps",
        "10",
        "--panels",
        "trajectory,loss",
        "--size",
        "400x240",
    )
    assert result.exit_code == 0, result.output
    assert "wrote animate-rosenbrock.gif" in result.output
    with Image.open(tmp_path / "animate-rosenbrock.gif") as im:
        assert im.n_frames == 8 and im.size == (400, 240)
        assert im.info["duration"] == 1500  # the first frame held
        im.seek(1)
        assert im.info["duration"] == 100  # 1/fps
    quiet = invoke("-o", "sgd", "--steps", "5", "--out", "b.html", "--quiet")
    assert quiet.exit_code == 0 and quiet.output == ""
    assert (tmp_path / "b.html").read_text().startswith("<!DOCTYPE html>")
