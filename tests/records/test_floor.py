"""The records floor stands on its own: it imports no computing module, no plotting,
no CLI (lazily included), and importing it loads neither pandas nor matplotlib."""

import ast
import subprocess
import sys
from pathlib import Path

import optviz

RECORDS = Path(optviz.__file__).parent / "records"
#: What a records module may import from optviz (besides its own package): floor 0
#: (atomic files, and folders moved into place whole for a training run) and surfaces.
ALLOWED = {
    "optviz._io",
    "optviz._folders",
    "optviz._shared",
    "optviz._version",
    "optviz.surfaces",
}


def _imports(path: Path):
    """Every optviz module ``path`` imports, at the top or inside a function."""
    package = "optviz.records"
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                yield ".".join(parts + ([node.module] if node.module else []))
            else:
                yield node.module


def test_records_import_only_the_floors_below():
    files = sorted(RECORDS.glob("*.py"))
    assert len(files) >= 8
    for path in files:
        for name in _imports(path):
            if name.split(".")[0] in ("matplotlib", "click"):
                raise AssertionError(f"{path.name} imports {name}")
            if name.startswith("optviz") and not name.startswith("optviz.records"):
                assert name in ALLOWED, f"{path.name} imports {name}"


def test_importing_records_and_optimizers_loads_no_pandas_or_matplotlib():
    code = (
        "import sys, optviz.optimizers, optviz.records, optviz.run\n"
        "print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr
