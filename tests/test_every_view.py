"""Every registered optimizer in every view: compare, animate, lr, sweep, map, tune, the
CNN trainer and the explorer page. One parametrised test per view; each runs tiny and
draws without error, and where a view keeps the iterates they equal the class's own
stepping (``opt.step(xy, g, points=True)`` from the same start)."""

import matplotlib
import numpy as np
import pytest

from optviz.optimizers import OPTIMIZERS
from optviz.spec import build_optimizers
from optviz.surfaces import SURFACES

matplotlib.use("Agg")

NAMES = sorted(OPTIMIZERS)
SURFACE = "quadratic"
STEPS = 12


def _own_path(name, surface, start, steps):
    """The class stepped by hand from ``start`` at the view's settings."""
    (opt,) = build_optimizers([name], surface, steps=steps).values()
    xy = np.array(start, dtype=np.float64)
    path = [xy.copy()]
    for _ in range(steps):
        opt.step(xy, surface.grad(xy), points=True)
        path.append(xy.copy())
    return np.array(path)


def _close(fig):
    import matplotlib.pyplot as plt

    assert fig.axes  # drawn
    plt.close(fig)


@pytest.mark.parametrize("name", NAMES)
def test_compare(name):
    from optviz.recipes.compare import compare

    surface = SURFACES[SURFACE]
    result = compare(SURFACE, [name], steps=STEPS)
    (traj,) = result.record.trajectories
    assert traj.optimizer == name
    np.testing.assert_array_equal(traj.xy, _own_path(name, surface, surface.start, STEPS))
    _close(result.figure)


@pytest.mark.parametrize("name", NAMES)
def test_animate(name, tmp_path):
    from optviz.recipes.compare import animate

    result = animate(SURFACE, [name], steps=STEPS, frames=3)
    (traj,) = result.record.trajectories
    surface = SURFACES[SURFACE]
    np.testing.assert_array_equal(traj.xy, _own_path(name, surface, surface.start, STEPS))
    out = tmp_path / "a.gif"
    result.animation.save(out)
    assert out.read_bytes()[:6] == b"GIF89a"


@pytest.mark.parametrize("name", NAMES)
def test_lr(name):
    from optviz.recipes.lr import lr

    result = lr(SURFACE, [name], steps=STEPS)
    (traj,) = result.record.trajectories
    surface = SURFACES[SURFACE]
    np.testing.assert_array_equal(traj.xy, _own_path(name, surface, surface.start, STEPS))
    assert np.all(np.isfinite(traj.lr[1:]))  # an effective rate at every step
    _close(result.figure)


@pytest.mark.parametrize("name", NAMES)
def test_sweep(name):
    from optviz.recipes.sweep import sweep

    result = sweep(SURFACE, [name], lrs=(1e-3, 1e-1, 3), steps=STEPS)
    _close(result.figure)


@pytest.mark.parametrize("name", NAMES)
def test_map(name):
    from optviz.recipes.maps import startmap

    result = startmap(SURFACE, [name], grid=4, steps=STEPS)
    _close(result.figure)


@pytest.mark.parametrize("name", NAMES)
def test_tune(name):
    from optviz.recipes.tune import tune

    # every key a family searches, inside every class's range (Schedule-Free: β > 0)
    grids = {
        "lr": [1e-2, 1e-1],
        "momentum": [0.5],
        "rho": [0.9],
        "rho1": [0.5],
        "rho2": [0.99],
    }
    result = tune([SURFACE], [name], grids=grids, starts=2, budgets=[STEPS])
    assert name in str(result.record.to_frame())


@pytest.mark.parametrize("name", NAMES)
def test_cnn_trainer(name, tmp_path):
    from optviz.recipes.training import train

    result = train("digits", [name], epochs=1, limit=64)
    _close(result.figure)


@pytest.mark.parametrize("name", NAMES)
def test_explorer_page(name, tmp_path):
    from optviz.explore import explore

    other = "adam" if name == "sgd" else "sgd"  # the page runs at least one
    page = explore(SURFACE, [name, other], steps=STEPS)
    out = tmp_path / "page.html"
    page.save(out)
    text = out.read_text("utf-8")
    if OPTIMIZERS[name].whole:  # not run in the browser: the page says so
        assert f'"absent": ["{name}"]' in text
    else:
        assert f'RULES["{name}"]' in text
