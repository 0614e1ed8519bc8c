"""scripts/entity_diff.py: entities that differ between two checkouts on unlabeled news."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "entity_diff.py"
_spec = importlib.util.spec_from_file_location("entity_diff", SCRIPT)
entity_diff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(entity_diff)


def test_changes_lists_what_each_side_has_alone_and_errors():
    text = "近日,安信金控成立。"
    assert entity_diff.changes(text, [[3, 5, "ORG"]], [[3, 7, "ORG"]], context=2) == [
        "- ORG 安信 | 日,[安信]金控", "+ ORG 安信金控 | 日,[安信金控]成立"]
    assert entity_diff.changes(text, "ValueError('E1010')", [[3, 7, "ORG"]]) == ["- error: ValueError('E1010')"]
    assert entity_diff.changes(text, [[3, 7, "ORG"]], [[3, 7, "ORG"]]) == []


def test_the_same_checkout_changes_nothing(tmp_path):
    for name, text in (("a.txt", "总投资超3亿元的西电常变项目开工。西电常变出口增长。"), ("b.txt", "常州高新区实现地区生产总值1585.37亿元。")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    run = subprocess.run([sys.executable, str(SCRIPT), "--before", str(REPO), "--texts", str(tmp_path), "--min-chars", "5"],
                         capture_output=True, text=True, check=True)
    assert run.stdout == ""
    assert "2 texts" in run.stderr and "0 of 2 texts changed" in run.stderr
