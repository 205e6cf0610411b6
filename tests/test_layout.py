"""The shape of the code: no import cycles in bot/, small folders, one Alembic head.

The import graph is read from the source (every ``import`` and ``from … import``, also those
inside functions, which would otherwise hide a cycle; only ``if TYPE_CHECKING:`` blocks are
left out, since they never run).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from alembic.script import ScriptDirectory

from bot.config import PROJECT_ROOT
from bot.storage.db import alembic_config

PACKAGE = PROJECT_ROOT / "bot"
MAX_MODULES = 16
# Alembic's migrations are files of a history, not modules anyone imports.
NOT_PACKAGES = {PACKAGE / "storage" / "migrations" / "versions"}


def module_name(path: Path, root: Path = PROJECT_ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for other in child.orelse:
                yield from _imports_of(other)
            continue
        yield from _imports_of(child)


def _imports_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from _imports(node)


def import_graph(package: Path = PACKAGE, root: Path = PROJECT_ROOT) -> dict[str, set[str]]:
    """Module → the modules of the package it imports (``from a import b`` counts a.b if a module)."""
    files = {module_name(p, root): p for p in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in files}

    def known(name: str) -> str | None:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    for name, path in files.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    parent = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join([*parent, *([node.module] if node.module else [])])
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                           for alias in node.names]
            for target in targets:
                found = known(target)
                if found and found != name:
                    graph[name].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), and modules importing themselves."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_among_bot_modules() -> None:
    graph = import_graph()
    assert len(graph) > 50 and graph["bot.cli"]  # the graph was really read
    assert cycles(graph) == []


def test_the_cycle_finder_sees_a_cycle_hidden_in_a_function(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b\n")
    (package / "b.py").write_text("def late():\n    from pkg.a import thing\n")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n")
    graph = import_graph(package, tmp_path)
    assert cycles(graph) == [["pkg.a", "pkg.b"]]
    assert graph["pkg.c"] == set()


def test_no_folder_has_more_than_16_modules() -> None:
    crowded = {}
    for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir())]:
        modules = list(folder.glob("*.py"))
        if folder not in NOT_PACKAGES and len(modules) > MAX_MODULES:
            crowded[str(folder.relative_to(PROJECT_ROOT))] = len(modules)
    actions = list((PROJECT_ROOT / "actions").glob("*.py"))
    assert crowded == {} and len(actions) <= MAX_MODULES


def test_there_is_one_alembic_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()) == 1


def test_the_telegram_prefix_and_the_button_are_defined_once() -> None:
    sources = {p: p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}
    prefixes = [p.name for p, text in sources.items() if '"tg-"' in text]
    buttons = [p.name for p, text in sources.items() if "class Button" in text]
    assert prefixes == ["identity.py"] and buttons == ["replies.py"]
