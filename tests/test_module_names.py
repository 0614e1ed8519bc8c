"""A module-level name is bound once: a second binding silently replaces the first.

Regression: a new rule in ``pipeline/ner/consistency.py`` defined ``_TITLE`` a second
time, and the list-item rule that used the first one changed behaviour without a
failing figure (a4e1f9f).
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for folder in ("pipeline", "scripts", "benchmarks") for p in (ROOT / folder).rglob("*.py"))


def _top_level_names(tree: ast.Module) -> Counter:
    names: Counter = Counter()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] += 1
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] += 1
    return names


def test_the_check_sees_a_rebinding():
    tree = ast.parse('_TITLE = "a"\ndef f(): pass\n_TITLE = "b"\n')
    assert [n for n, c in _top_level_names(tree).items() if c > 1] == ["_TITLE"]


def test_module_level_names_are_bound_once():
    assert len(SOURCES) > 50
    rebound = {}
    for path in SOURCES:
        names = _top_level_names(ast.parse(path.read_text(encoding="utf-8")))
        twice = [n for n, c in names.items() if c > 1]
        if twice:
            rebound[str(path.relative_to(ROOT))] = twice
    assert not rebound


def test_no_module_level_name_shadows_a_builtin():
    """Regression (issue #20): ``normalize.Warning`` shadowed the builtin ``Warning`` for every
    module that imported it; ``except Warning`` or ``warnings.warn(..., Warning)`` there would
    have meant our dataclass."""
    import builtins

    shadowing = {}
    for path in SOURCES:
        names = set(_top_level_names(ast.parse(path.read_text(encoding="utf-8")))) & set(dir(builtins))
        if names:
            shadowing[str(path.relative_to(ROOT))] = sorted(names)
    assert not shadowing
