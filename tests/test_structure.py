"""The house's floors, checked from the source: numerics never import pictures or the
CLI, nothing but the CLI imports the CLI, no import cycles (lazy imports included),
and ``optviz --help`` / ``optviz list`` start without pandas or matplotlib."""

from __future__ import annotations

import ast
import re
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
    "optviz.spec",
    "optviz.explain",
    "optviz.plugins",
    "optviz.user_surfaces",
    "optviz.curvature",
    "optviz.tuning",
    "optviz.ratemap",
    "optviz.second_moment",
    "optviz.lessons",
    "optviz.notation",
    "optviz._shared",
    "optviz._checks",
    "optviz._io",
    "optviz._folders",
    "optviz._signals",
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


def test_shared_constants_are_defined_once():
    """``MAX_STEPS``, ``MAX_MESSAGE``, ``FIGURE_SUFFIXES``, ``LANGS`` live in
    optviz._shared, ``SEPARATOR`` and the notes' ``SYMBOLS`` in optviz.notation; no
    other module assigns them (importing them is how they are shared)."""
    homes = {
        "MAX_MESSAGE": "optviz._shared",
        "FIGURE_SUFFIXES": "optviz._shared",
        "LANGS": "optviz._shared",
        "SEPARATOR": "optviz.notation",
    }
    # optviz.schedules' and the explorer page's MAX_STEPS are other limits (a
    # schedule's length, the page's live recomputation), so only the run's is shared.
    run_limit = {"optviz._shared"}
    found: dict[str, set[str]] = {name: set() for name in [*homes, "MAX_STEPS"]}
    for module, path in MODULES.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Name) and target.id in found:
                    found[target.id].add(module)
    assert {k: v for k, v in found.items() if k != "MAX_STEPS"} == {
        k: {v} for k, v in homes.items()
    }
    assert found["MAX_STEPS"] - {"optviz.schedules", "optviz.explore.page"} == run_limit


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


# -- rooms that show what they hold (issue 18) --------------------------------------------
#: What the plotting layer must not import: everything that computes. Plots take
#: records (``optviz.records``) and styles; the floor below them (``_io``, ``_checks``,
#: ``_shared``, ``notation``) is no computation either.
PLOT_MAY_NOT_IMPORT = (
    "optviz.optimizers",
    "optviz.schedules",
    "optviz.surfaces",
    "optviz.run",
    "optviz.sweep",
    "optviz.startmap",
    "optviz.nn",
    "optviz.landscape",
    "optviz.cnn_sweep",
    "optviz.spec",
    "optviz.tuning",
    "optviz.ratemap",
    "optviz.second_moment",
    "optviz.explain",
    "optviz.plugins",
    "optviz.claims",
    "optviz.budget",
    "optviz.lessons",
)
#: The optimizer registry is where each optimizer's presentation facts live (title,
#: colour, symbol): plots may read it, by these names only.
PLOT_MAY_READ_FROM_OPTIMIZERS = {
    "OPTIMIZERS",
    "DEFAULT_OPTIMIZERS",
    "Optimizer",
    "get",
    "family_of",
}
MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80

# The allowlists below name what is still wrong in files other work is rewriting
# (issue 18). They can only shrink: an entry that no longer violates fails its test.
PLOT_IMPORTS_ALLOWED: dict[str, set[str]] = {}
PRIVATE_IMPORTS_ALLOWED: set[tuple[str, str, str]] = set()
LONG_FILES_ALLOWED: set[str] = set()
LONG_FUNCTIONS_ALLOWED: set[tuple[str, str]] = set()


def _tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"))


def _plot_numerics(name: str) -> set[str]:
    """The numerics modules plot module ``name`` imports (names read from the
    optimizer registry's facts aside)."""
    out = {i for i in _imports(name) if _within(i, PLOT_MAY_NOT_IMPORT)}
    package = name if _is_package(name) else name.rpartition(".")[0]
    facts_only = True
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            if (
                target == "optviz.optimizers"
                and not {a.name for a in node.names} <= PLOT_MAY_READ_FROM_OPTIMIZERS
            ):
                facts_only = False
        elif isinstance(node, ast.Import) and any(
            _within(a.name, ("optviz.optimizers",)) for a in node.names
        ):
            facts_only = False
    if facts_only:
        out.discard("optviz.optimizers")
    return out


PLOT_MODULES = sorted(n for n in MODULES if _within(n, ("optviz.plot",)))


@pytest.mark.parametrize("name", PLOT_MODULES, ids=str)
def test_plots_import_no_numerics(name):
    """Plots take records and return artists: they import no module that computes."""
    bad = _plot_numerics(name)
    allowed = PLOT_IMPORTS_ALLOWED.get(name, set())
    assert bad <= allowed, f"{name} imports {sorted(bad - allowed)}"
    assert allowed <= bad, (
        f"stale allowlist entry: {name} no longer imports {allowed - bad}"
    )


def test_the_plot_rule_sees_numerics_and_allows_facts(tmp_path, monkeypatch):
    fake = tmp_path / "fake.py"
    fake.write_text(
        "from ..optimizers import OPTIMIZERS\nfrom ..records import Run\n"
        "def f():\n    from ..tuning import tune\n"
    )
    monkeypatch.setitem(MODULES, "optviz.plot.fake", fake)
    assert _plot_numerics("optviz.plot.fake") == {"optviz.tuning"}
    fake.write_text("from ..optimizers import Adam\n")
    assert _plot_numerics("optviz.plot.fake") == {"optviz.optimizers"}


def _private_imports() -> set[tuple[str, str, str]]:
    """(importer, module, name) of every ``from module import _name`` where
    ``module`` is another module and ``_name`` is not itself a module."""
    out = set()
    for name in MODULES:
        package = name if _is_package(name) else name.rpartition(".")[0]
        for node in ast.walk(_tree(name)):
            if not isinstance(node, ast.ImportFrom):
                continue
            target = node.module or ""
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private and f"{target}.{alias.name}" not in MODULES and target != name:
                    out.add((name, target, alias.name))
    return out


def test_no_module_imports_another_modules_private_names():
    found = _private_imports()
    assert found - PRIVATE_IMPORTS_ALLOWED == set()
    assert PRIVATE_IMPORTS_ALLOWED - found == set(), "stale allowlist entries"


def _lines(name: str) -> int:
    return len(MODULES[name].read_text(encoding="utf-8").splitlines())


def test_no_source_file_over_600_lines():
    long = {name for name in MODULES if _lines(name) > MAX_FILE_LINES}
    assert long - LONG_FILES_ALLOWED == set(), {n: _lines(n) for n in long}
    assert LONG_FILES_ALLOWED - long == set(), "stale allowlist entries"


def _long_functions() -> dict[tuple[str, str], int]:
    """(module, function) -> lines, for every function (methods and nested functions
    included) longer than the limit."""
    out = {}
    for name in MODULES:
        for node in ast.walk(_tree(name)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    out[(name, node.name)] = lines
    return out


def test_no_function_over_80_lines():
    long = _long_functions()
    assert set(long) - LONG_FUNCTIONS_ALLOWED == set(), long
    assert LONG_FUNCTIONS_ALLOWED - set(long) == set(), "stale allowlist entries"


def test_the_size_rules_measure_what_they_claim(tmp_path, monkeypatch):
    fake = tmp_path / "fake.py"
    fake.write_text(
        "class A:\n    def f(self):\n" + "        x = 1\n" * 80 + "\n\ndef g():\n    pass\n"
    )
    monkeypatch.setitem(MODULES, "optviz.fake", fake)
    assert _long_functions()[("optviz.fake", "f")] == 81
    assert ("optviz.fake", "g") not in _long_functions()
    assert _lines("optviz.fake") == 86


#: Plot modules that still write colours as hex literals (none left: every colour has
#: its name in plot/style.py).
HEX_COLORS_ALLOWED: set[str] = set()
_HEX = re.compile(r"""["']#[0-9A-Fa-f]{6}["']""")


def test_colours_are_named_in_style_only():
    """A figure's colours are names from optviz.plot.style (its palette), never a hex
    literal of their own."""
    found = {
        name
        for name in PLOT_MODULES
        if name != "optviz.plot.style" and _HEX.search(MODULES[name].read_text("utf-8"))
    }
    assert found - HEX_COLORS_ALLOWED == set()
    assert HEX_COLORS_ALLOWED - found == set(), "stale allowlist entries"


def test_the_palette_names_every_colour_the_figures_use():
    from optviz.plot import style

    named = {
        v.upper() for k, v in vars(style).items() if k.isupper() and isinstance(v, str)
    }
    used = {
        m.group(0)[1:-1].upper()
        for name in PLOT_MODULES
        for m in _HEX.finditer(MODULES[name].read_text("utf-8"))
    }
    assert used <= named
