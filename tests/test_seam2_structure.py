"""Issue 8, item 3, measured by the code: no import circle anywhere in the package, and the
engine's jobs in their own small modules."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"index": "bahth.index", "search": "bahth.search", "cli": "bahth.cli"}


def _modules() -> dict[str, Path]:
    found = {"bahth": ROOT / "bahth" / "__init__.py"}
    for folder, package in PACKAGES.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = [p for p in path.relative_to(ROOT / folder).with_suffix("").parts if p != "__init__"]
            found[".".join([package, *parts])] = path
    return found


def _top_level_imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The bahth modules `name` imports when it is imported (not inside functions, not under
    TYPE_CHECKING); `from package import module` counts as the module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    todo: list[ast.AST] = list(ast.parse(path.read_text(encoding="utf-8")).body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names)
        else:
            todo.extend(ast.iter_child_nodes(node))
    return {m for m in found if m in modules and m != name}


def _circles() -> list[list[str]]:
    modules = _modules()
    graph = {name: _top_level_imports(name, path, modules) for name, path in modules.items()}
    circles, done = [], set()

    def visit(name: str, stack: list[str]) -> None:
        if name in stack:
            circles.append(stack[stack.index(name):] + [name])
            return
        if name in done:
            return
        for other in sorted(graph[name]):
            visit(other, stack + [name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    return circles


def test_no_module_imports_itself_back_at_import_time() -> None:
    assert _circles() == []


def test_the_circle_finder_finds_a_circle(tmp_path: Path, monkeypatch) -> None:
    """The check above can fail: two modules importing each other are reported."""
    for folder in PACKAGES:
        (tmp_path / folder).mkdir()
    (tmp_path / "bahth").mkdir()
    (tmp_path / "bahth" / "__init__.py").write_text("")
    (tmp_path / "search" / "__init__.py").write_text("")
    (tmp_path / "search" / "a.py").write_text("from . import b\n")
    (tmp_path / "search" / "b.py").write_text("from bahth.search.a import x\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert _circles() == [["bahth.search.a", "bahth.search.b", "bahth.search.a"]]


def test_the_engine_is_split_by_job() -> None:
    """Time limit, caller's arguments and filters, verification and highlight spans each have
    their own module; engine.py keeps the life cycle and the steps of one search."""
    for module, defines in (("clock", "class Clock"), ("filters", "def filters_plan"),
                            ("verify", "class Verifier"), ("spans", "def highlight_spans")):
        assert defines in (ROOT / "search" / f"{module}.py").read_text(encoding="utf-8")
        assert defines not in (ROOT / "search" / "engine.py").read_text(encoding="utf-8")
    assert len((ROOT / "search" / "engine.py").read_text(encoding="utf-8").splitlines()) < 450
