"""A user's own optimizer (tests/plugins/toy_optimizer.py: one class and register(),
nothing else) in every view, from Python by importing it and from the command line
through ``optviz --plugin``; entry points; bad plugins are one-line errors."""

import importlib
import json
import re
import sys

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from optviz.cli import main
from optviz.optimizers import OPTIMIZERS
from optviz.plugins import load_entry_points, load_plugin

LION_RGB = (0x11, 0x77, 0x33)


def _cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _pixels_of(path, rgb, frame=None) -> int:
    with Image.open(path) as im:
        if frame is not None:
            im.seek(frame)
        px = np.asarray(im.convert("RGB")).astype(int)
    return int(np.all(np.abs(px - rgb) < 12, axis=-1).sum())


def test_importing_the_module_is_enough(toy_path, monkeypatch):
    import optviz
    from optviz.surfaces import get

    monkeypatch.syspath_prepend(str(toy_path.parent))
    toy = importlib.import_module("toy_optimizer")
    assert OPTIMIZERS["toysign"] is toy.ToySign
    booth = get("booth")
    run = optviz.run_surface(booth, ["toysign:lr=0.1"], start=(1.0, -2.0), steps=2)
    # first step: m = 0, c = (1 - beta1) g, so w moves by lr against sign(g);
    # booth's gradient at (1, -2): (2(x+2y-7)+4(2x+y-5), 4(x+2y-7)+2(2x+y-5)) = (-40, -50)
    np.testing.assert_allclose(run["toysign"].xy[1], [1.1, -1.9], rtol=1e-15)
    # its learning rate in the CNN trainer is its class's cnn_lr
    from optviz.nn.trainer import build_optimizers

    assert build_optimizers(["toysign"])["toysign"].lr == toy.ToySign.cnn_lr == 1e-3
    # its learning rate on a surface is its family's (sgd)
    assert optviz.run_surface(booth, ["toysign"], steps=1)["toysign"].hyperparameters[
        "lr"
    ] == (booth.default_lr("sgd"))


@pytest.mark.parametrize(
    ("command", "args", "check"),
    [
        ("compare", ["booth", "--steps", "60", "--out", "{o}/c.png"], "pixels:c.png"),
        ("animate", ["booth", "--steps", "12", "--out", "{o}/a.gif"], "frames:a.gif"),
        ("lr", ["booth", "--steps", "30", "--out", "{o}/lr.png"], "json:lr.json"),
        ("sweep", ["booth", "--steps", "30", "--out", "{o}/s.png"], "json:s.json"),
        (
            "map",
            ["booth", "--grid", "4", "--steps", "10", "--out", "{o}/m.png"],
            "json:m.json",
        ),  # fmt: skip
        (
            "train",
            ["--epochs", "1", "--limit", "120", "--out", "{o}/run"],
            "csv:run/history.csv",
        ),  # fmt: skip
        ("explore", ["booth", "--steps", "30", "--out", "{o}/e.html"], "html:e.html"),
    ],
)
def test_a_plugin_optimizer_runs_in_every_view(tmp_path, toy_path, command, args, check):
    args = [a.replace("{o}", str(tmp_path)) for a in args]
    toysign = (
        "toysign" if command == "sweep" else "toysign:lr=0.05"
    )  # a sweep sets lr itself
    result = _cli("--plugin", toy_path, command, *args, "-o", toysign, "-o", "sgd")
    assert result.exit_code == 0, result.output
    kind, name = check.split(":")
    out = tmp_path / name
    if kind == "pixels":  # ToySign's own colour is drawn (path, legend)
        assert _pixels_of(out, LION_RGB) > 200
    elif kind == "frames":
        assert _pixels_of(out, LION_RGB, frame=12) > 20
    elif kind == "json":
        assert "toysign" in json.dumps(json.loads(out.read_text()))
    elif kind == "csv":
        rows = [line.split(",")[0] for line in out.read_text().splitlines()[1:]]
        assert set(rows) == {"toysign", "sgd"}
    else:
        assert 'RULES["toysign"]' in out.read_text()


def test_the_plugin_option_takes_a_module_name(toy_path, monkeypatch):
    monkeypatch.syspath_prepend(str(toy_path.parent))
    result = _cli("--plugin", "toy_optimizer", "list", "optimizers")
    assert result.exit_code == 0, result.output
    assert re.search(r"^  toysign +ToySign: a signed step", result.output, re.M)


@pytest.mark.parametrize(
    ("plugin", "message"),
    [
        ("missing.py", "plugin file '{d}/missing.py' does not exist"),
        ("no_such_module_here", "plugin module 'no_such_module_here' is not installed"),
        ("bad name!", "is neither a .py file nor a module name"),
        ("raises.py", "failed to load: RuntimeError: broken on purpose"),
        ("takes_adam.py", "an optimizer named 'adam' is registered already"),
    ],
)
def test_a_bad_plugin_is_a_one_line_error(tmp_path, plugin, message):
    (tmp_path / "raises.py").write_text('raise RuntimeError("broken\\non purpose")\n')
    (tmp_path / "takes_adam.py").write_text(
        "from optviz.optimizers import SGD, register\n\n"
        "class Mine(SGD):\n    name = 'adam'\n\nregister(Mine)\n"
    )
    path = tmp_path / plugin if plugin.endswith(".py") else plugin
    result = _cli("--plugin", path, "list")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    assert message.replace("{d}", str(tmp_path)) in result.output


def test_the_same_file_twice_is_one_optimizer(toy_path, monkeypatch):
    first = load_plugin(str(toy_path))
    assert load_plugin(str(toy_path)) is first
    monkeypatch.syspath_prepend(str(toy_path.parent))
    importlib.import_module("toy_optimizer")  # as a module too: the same file, allowed
    assert OPTIMIZERS["toysign"].__qualname__ == "ToySign"


def test_entry_points_register_classes_and_modules(tmp_path, monkeypatch):
    from importlib.metadata import EntryPoint

    (tmp_path / "entry_point_pkg.py").write_text(
        "from optviz.optimizers import SGD\n"
        "from optviz.surfaces import get\n"
        "import dataclasses\n\n"
        "class Slow(SGD):\n    name, title = 'slowsgd', 'Slow SGD'\n\n"
        "BOWL = dataclasses.replace(get('booth'), name='bowl2', title='Bowl')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    found = {
        "optviz.optimizers": [
            EntryPoint("slowsgd", "entry_point_pkg:Slow", "optviz.optimizers")
        ],
        "optviz.surfaces": [EntryPoint("bowl2", "entry_point_pkg:BOWL", "optviz.surfaces")],
    }
    monkeypatch.setattr(
        "importlib.metadata.entry_points", lambda group: found.get(group, [])
    )
    assert load_entry_points() == ["slowsgd", "bowl2"]
    result = _cli("compare", "bowl2", "-o", "slowsgd", "--steps", "5", "--out",
                  tmp_path / "x.png")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sys.modules["entry_point_pkg"].Slow is OPTIMIZERS["slowsgd"]
