"""The house's floors, checked from the source: numerics never import pictures or the
CLI, nothing but the CLI imports the CLI, no import cycles (lazy imports included),
and ``optviz --help`` / ``optviz list`` start without pandas or matplotlib."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Modules of the numerics (a name covers the module and, for a package, everything
#: in it).
NUMERICS = (
    "optviz.optimizers",
    "optviz.schedules",
    "optviz.surfaces",
    "optviz.run",
    "optviz.sweep",
    "optviz.startmap",
    "optviz.records",
    "optviz.nn",
    "optviz.landscape",
    "optviz.cnn_sweep",
    "optviz.history",
    "optviz.spec",
    "optviz.explain",
    "optviz.plugins",
    "optviz._checks",
    "optviz._io",
)
FORBIDDEN_IN_NUMERICS = ("matplotlib", "optviz.plot", "optviz.cli")


def _modules() -> dict[str, Path]:
    """Every optviz module by dotted name (``surfaces/`` installs as optviz.surfaces)."""
    found = {}
    for base, prefix in (
        (ROOT / "optviz", "optviz"),
        (ROOT / "surfaces", "optviz.surfaces"),
    ):
        for path in base.rglob("*.py"):
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([prefix, *parts])] = path
    return found


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _imports(name: str) -> set[str]:
    """Every module ``name`` imports, anywhere in its source (functions included),
    with relative imports resolved; ``from pkg import sub`` counts as ``pkg.sub``
    when ``sub`` is a module."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if _is_package(name) else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            out.add(target)
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:
                    out.add(f"{target}.{alias.name}")
    return out


def _within(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_module_map_is_complete():
    assert "optviz.cli._common" in MODULES and "optviz.surfaces" in MODULES
    assert "optviz.plot.compare" in MODULES


@pytest.mark.parametrize(
    "name", sorted(n for n in MODULES if _within(n, NUMERICS)), ids=str
)
def test_numerics_import_no_pictures_and_no_cli(name):
    bad = sorted(i for i in _imports(name) if _within(i, FORBIDDEN_IN_NUMERICS))
    assert not bad, f"{name} imports {bad}"


def test_only_the_cli_imports_the_cli():
    # optviz.__main__ (python -m optviz) is the CLI's other entry point.
    offenders = {
        name: sorted(i for i in _imports(name) if _within(i, ("optviz.cli",)))
        for name in MODULES
        if not _within(name, ("optviz.cli",)) and name != "optviz.__main__"
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def _graph() -> dict[str, set[str]]:
    return {
        name: {i for i in _imports(name) if i in MODULES and i != name} for name in MODULES
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles_lazy_ones_included():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


_PROBE = """
import sys
from optviz.cli import main
try:
    main({args!r})
except SystemExit:
    pass
print(sorted(m for m in ("pandas", "matplotlib") if m in sys.modules))
"""


@pytest.mark.parametrize("args", [["--help"], ["list"], ["compare", "--help"]], ids=str)
def test_start_up_imports_neither_pandas_nor_matplotlib(args):
    result = subprocess.run(
        [sys.executable, "-c", _PROBE.format(args=args)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout[-500:]


def test_max_steps_repeated_for_help_matches_the_library():
    from optviz.cli._common import MAX_STEPS
    from optviz.run import MAX_STEPS as LIBRARY

    assert MAX_STEPS == LIBRARY


def test_every_package_is_installed():
    """pyproject.toml lists the packages by hand (surfaces/ is mapped to
    optviz.surfaces); a package missing from the list would be missing from a wheel."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "optviz").rglob("__init__.py")
    } | {"optviz.surfaces"}
    assert set(config["packages"]) == on_disk
