"""The house rules that the import contract (``lint-imports``, pyproject.toml) cannot state:
no import cycle anywhere, a command line without SPARQL, small modules, rooms that say what
they own, and tests that use other rooms only through their public names."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import grimp
import pytest

from conftest import REPO

PACKAGE = REPO / "kgtool"
ROOMS = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
MAX_LINES = 420


def strongly_connected(graph: grimp.ImportGraph) -> list[set[str]]:
    """Tarjan's algorithm over the module import graph (lazy imports included)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.find_modules_directly_imported_by(node):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                item = stack.pop()
                component.add(item)
                if item == node:
                    break
            found.append(component)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_module_is_in_an_import_cycle() -> None:
    graph = grimp.build_graph("kgtool")
    cycles = [sorted(c) for c in strongly_connected(graph) if len(c) > 1]
    # a package imports its own modules in __init__, and those modules import siblings, which is
    # not a cycle of meaning; only cycles that pass through two different modules count.
    real = [c for c in cycles if len({m for m in c if not _is_package(m)}) > 1]
    assert real == []


def _is_package(module: str) -> bool:
    return (PACKAGE.parent / module.replace(".", "/") / "__init__.py").is_file()


def test_each_room_says_what_it_owns_may_import_and_offers() -> None:
    assert set(ROOMS) >= {"cli", "engine", "export", "ingest", "query", "validation"}
    for room in ROOMS:
        module = importlib.import_module(f"kgtool.{room}")
        doc = (module.__doc__ or "").strip().splitlines()
        assert len(doc) >= 3 and any(line.startswith("May import") for line in doc), room
        if room != "cli":
            assert module.__all__ and all(hasattr(module, name) for name in module.__all__), room


def test_no_module_passes_about_four_hundred_lines() -> None:
    long = {str(p.relative_to(REPO)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


SPARQL = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b.*\{|\bWHERE\s*\{", re.IGNORECASE | re.S)


def test_the_command_line_holds_no_sparql() -> None:
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef) and n.body
                      and isinstance(n.body[0], ast.Expr)}
        texts = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                 and isinstance(n.value, str) and id(n) not in docstrings]
        assert not [t for t in texts if SPARQL.search(t)], path.name


def _imports(path: Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.module, alias.name) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
            and node.module.startswith("kgtool.") for alias in node.names]


@pytest.mark.parametrize("path", sorted((REPO / "tests").rglob("test_*.py")),
                         ids=lambda p: str(p.relative_to(REPO / "tests")))
def test_tests_use_other_rooms_through_their_public_names(path: Path) -> None:
    """A test of room R (tests/R/) may reach into kgtool.R's modules; any other room only
    through the names its ``__init__`` exports."""
    home = path.parent.name
    for module, name in _imports(path):
        room = module.split(".")[1]
        if room not in ROOMS or room == home or module == f"kgtool.{room}":
            continue
        public = importlib.import_module(f"kgtool.{room}").__all__
        assert name in public, f"{path.name} imports {module}.{name}, private to kgtool.{room}"


def test_test_modules_have_unique_names() -> None:
    """pytest imports test files by their base name (no __init__.py): two test_x.py in two
    folders stop the whole collection with 'import file mismatch'."""
    names = [p.name for p in (REPO / "tests").rglob("test_*.py")]
    assert sorted({n for n in names if names.count(n) > 1}) == []
