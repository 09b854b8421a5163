"""``optviz/plot/__init__.py`` states the public plotting API: every ``draw_*`` and
``*_figure`` the plotting modules export, and the core (Figure, save_figure, style,
color, Animation, FigureSettings), each resolving to its module's object; importing
the package loads no figure module. And the dead code issue 18 named is gone."""

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import optviz
import optviz.plot as plot

PLOT = Path(plot.__file__).parent
SOURCE = Path(optviz.__file__).parent


@pytest.mark.parametrize("name", plot.__all__)
def test_every_stated_name_is_its_module_s_object(name):
    home = importlib.import_module(f"optviz.plot.{plot._HOMES[name]}")
    assert getattr(plot, name) is getattr(home, name)


def _exported(path: Path) -> list[str]:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(getattr(t, "id", "") == "__all__" for t in targets):
            try:
                return list(ast.literal_eval(node.value))
            except ValueError:
                return []
    return []


def test_every_draw_and_figure_function_is_stated():
    missing = set()
    for path in PLOT.rglob("*.py"):
        parts = path.relative_to(PLOT).parts
        if any(p.startswith("_") and p != "__init__.py" for p in parts) or path == (
            PLOT / "__init__.py"
        ):
            continue
        for name in _exported(path):
            if name.startswith("draw_") or name.endswith("_figure"):
                if name not in plot.__all__:
                    missing.add(f"{name} ({path.relative_to(PLOT)})")
    assert not missing, f"add to optviz/plot/__init__.py: {sorted(missing)}"


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nothing_figure'"):
        plot.nothing_figure  # noqa: B018


def test_importing_the_package_loads_no_figure_module():
    code = "import sys, optviz.plot; print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_the_dead_code_is_gone():
    assert not (SOURCE / "history.py").exists()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for dead in ("_check_ndim", "def shape_of", "describe_lr", "def as_run"):
            assert dead not in text, (dead, path)
