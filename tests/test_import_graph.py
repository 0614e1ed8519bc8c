"""Layers: no import cycle between modules or between the package's parts, and the code a
loaded pipeline runs never imports the build-time package (zhnews.training)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
RUN_TIME = ("zhnews.ner", "zhnews.segment.tokenizer", "zhnews.segment.chars", "zhnews.normalize", "zhnews.io",
            "zhnews.run", "zhnews.serve", "zhnews.relations.component", "zhnews.components", "zhnews.loader", "zhnews.words", "zhnews.blas")


def _module(path: Path) -> str:
    parts = ["zhnews", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_graph() -> dict[str, set[str]]:
    """Imports executed when a module is imported (module level, including inside if/try)."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for top in ast.parse(path.read_text(encoding="utf-8")).body:
            for node in ast.walk(top) if isinstance(top, (ast.If, ast.Try)) else [top]:
                if isinstance(node, ast.ImportFrom):
                    base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else [])) \
                        if node.level else (node.module or "")
                    for alias in node.names:
                        target = f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                        if target in modules and target != name:
                            graph[name].add(target)
                elif isinstance(node, ast.Import):
                    graph[name] |= {a.name for a in node.names if a.name in modules and a.name != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_import_cycle():
    assert _cycle(module_graph()) is None


def test_no_cycle_between_the_packages_parts():
    parts: dict[str, set[str]] = {}
    for name, targets in module_graph().items():
        part = ".".join(name.split(".")[:2])
        parts.setdefault(part, set()).update(".".join(t.split(".")[:2]) for t in targets)
        parts[part].discard(part)
    assert _cycle(parts) is None, _cycle(parts)


def test_run_time_code_does_not_import_build_time_code():
    graph = module_graph()
    for name in graph:
        if name.startswith(RUN_TIME):
            reached, todo = set(), [name]
            while todo:
                for nxt in graph[todo.pop()] - reached:
                    reached.add(nxt)
                    todo.append(nxt)
            assert not any(r.startswith("zhnews.training") or r == "zhnews.train" for r in reached), name


def test_the_checker_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
