"""The dependency rule: cli -> search -> index, never upwards; only cli prints."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "index": {"bahth.search", "bahth.cli", "search", "cli"},
    "search": {"bahth.cli", "cli"},
    "index/analysis": {"bahth.search", "bahth.cli", "bahth.index.indexer", "bahth.index.store"},
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_never_imports_upwards(layer: str) -> None:
    for path in (ROOT / layer).rglob("*.py"):
        for name in _imports(path):
            assert not any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[layer]), (
                f"{path.relative_to(ROOT)} imports {name}")


@pytest.mark.parametrize("layer", ["index", "search"])
def test_library_never_prints(layer: str) -> None:
    for path in (ROOT / layer).rglob("*.py"):
        calls = [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("print", "exit", "input")]
        assert not calls, f"{path.relative_to(ROOT)} calls {calls[0].func.id}() at line {calls[0].lineno}"
