"""Notebooks: a figure shows itself with no %matplotlib magic, an animation plays
inline, and the example notebook runs."""

from pathlib import Path

import numpy as np
import pytest

from optviz import recipes
from optviz.optimizers import Adam

# End-to-end: executes the example notebook in a kernel.
# Runs with the slow tests (`pytest -m slow`, as CI does).
pytestmark = pytest.mark.slow

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "quickstart.ipynb"


def _formatter():
    IPython = pytest.importorskip("IPython")
    return IPython.core.interactiveshell.InteractiveShell.instance().display_formatter


def test_a_figure_displays_as_png_without_magic():
    import io

    from PIL import Image

    fig = recipes.compare("quadratic", ["adam"], steps=10).figure
    data, _ = _formatter().format(fig)
    assert "image/png" in data
    png = data["image/png"]
    with Image.open(io.BytesIO(png)) as im:
        pixels = np.asarray(im.convert("RGB"))
    assert im.width > 300 and im.height > 150
    # Adam's own colour is drawn: the picture is the figure, not a blank.
    rgb = [int(Adam.color[i : i + 2], 16) for i in (1, 3, 5)]
    assert np.all(np.abs(pixels.astype(int) - rgb) < 12, axis=-1).sum() > 20


def test_an_animation_displays_as_html():
    result = recipes.animate("quadratic", ["sgd"], steps=20, frames=3, size=(200, 160))
    data, _ = _formatter().format(result.animation)
    assert "text/html" in data and "<img" in data["text/html"]


def test_the_example_notebook_runs(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) >= 2  # both figures shown as pictures
