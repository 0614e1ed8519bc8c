"""The gold validator, stats and manifest, on copies of the seed gold broken on purpose."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhnews.cli import app
from zhnews.gold import load_gold
from zhnews.gold.validate import validate_examples

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "annotations" / "gold"
runner = CliRunner()


def _gold_lines() -> list[dict]:
    return [json.loads(line) for f in sorted(GOLD.glob("*.jsonl")) for line in f.read_text(encoding="utf-8").splitlines()]


def _first_with(lines, predicate) -> dict:
    return next(line for line in lines if predicate(line))


def _write(tmp_path: Path, lines: list[dict]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    return path


def _validate(path: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["gold", "validate", str(path), "--root", str(REPO)])
    return result.exit_code, result.output


def test_committed_gold_is_valid():
    code, output = _validate(GOLD)
    assert code == 0, output


def test_committed_gold_has_the_expected_size():
    examples = load_gold(GOLD)
    labels = [e.label for ex in examples for e in ex.entities]
    assert labels.count("ORG") >= 150 and labels.count("MONEY") >= 30 and labels.count("YEAR") >= 25
    assert sum(len(ex.relations) for ex in examples) >= 50


def test_overlap_is_reported(tmp_path):
    lines = _gold_lines()
    line = _first_with(lines, lambda x: len(x["entities"]) >= 2)
    first, second = sorted(line["entities"], key=lambda e: e["start_offset"])[:2]
    second["start_offset"] = first["end_offset"] - 1
    code, output = _validate(_write(tmp_path, [line]))
    assert code == 1 and "overlap" in output


def test_offset_out_of_range_is_reported(tmp_path):
    line = _first_with(_gold_lines(), lambda x: x["entities"])
    line["entities"][0]["end_offset"] = len(line["text"]) + 3
    code, output = _validate(_write(tmp_path, [line]))
    assert code == 1 and "out of range" in output


def test_wrong_relation_head_label_is_reported(tmp_path):
    line = _first_with(_gold_lines(), lambda x: any(r["type"] == "INVESTMENT" or r["type"] == "REVENUE" for r in x["relations"]))
    relation = next(r for r in line["relations"] if r["type"] in ("INVESTMENT", "REVENUE"))
    head = next(e for e in line["entities"] if e["id"] == relation["from_id"])
    head["label"] = "YEAR"
    code, output = _validate(_write(tmp_path, [line]))
    assert code == 1 and "the schema says ORG→MONEY" in output


def test_text_drift_is_reported(tmp_path):
    line = _first_with(_gold_lines(), lambda x: x["entities"])
    line["text"] = "X" + line["text"][1:]
    code, output = _validate(_write(tmp_path, [line]))
    assert code == 1 and "text drift" in output


def test_unknown_label_and_duplicate_ids_are_reported(tmp_path):
    line = _first_with(_gold_lines(), lambda x: len(x["entities"]) >= 2)
    line["entities"][0]["label"] = "PERSON"
    line["entities"][1]["id"] = line["entities"][0]["id"]
    code, output = _validate(_write(tmp_path, [line]))
    assert code == 1 and "'PERSON' is not one of" in output and "used 2 times" in output


def test_malformed_line_is_a_clear_error(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": 1, "text": "x", "entities": [{"id": 1}]}\n', encoding="utf-8")
    result = runner.invoke(app, ["gold", "validate", str(path)])
    assert result.exit_code == 1 and "gold.jsonl:1" in result.output and "missing field" in result.output


@pytest.mark.parametrize("bad", [1.9, "6", True, None])
def test_offsets_of_the_wrong_type_are_problems_not_coerced(tmp_path, bad):
    """Issue #18 (11): 1.9, "6" and true were read as 1, 6 and 1 and passed."""
    line = _first_with(_gold_lines(), lambda x: len(x["entities"]) >= 1)
    line["entities"][0]["start_offset"] = bad
    code, output = _validate(_write(tmp_path, [line]))
    assert code == 1 and "start_offset must be an integer" in output


def test_every_file_is_checked_and_an_empty_file_is_a_problem(tmp_path):
    """Issue #18 (11): an empty file passed; a BOM stopped the check at the first file."""
    folder = tmp_path / "gold"
    folder.mkdir()
    lines = _gold_lines()
    (folder / "a.jsonl").write_bytes(b"\xef\xbb\xbf" + (json.dumps(lines[0], ensure_ascii=False) + "\n").encode())
    (folder / "b.jsonl").write_text("", encoding="utf-8")
    bad = dict(lines[1], entities=[{"id": 1, "label": "ORG", "start_offset": "0", "end_offset": 2}])
    (folder / "c.jsonl").write_text(json.dumps(bad, ensure_ascii=False) + "\n", encoding="utf-8")
    code, output = _validate(folder)
    assert code == 1
    assert "b.jsonl: no examples" in output and "c.jsonl:1" in output and "a.jsonl" not in output


def test_validate_from_another_directory_finds_the_sources(tmp_path, monkeypatch):
    """Issue #18 (11): run from elsewhere, it printed "cannot read meta.source" once per article, no hint."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["gold", "validate", str(REPO / "annotations" / "gold")])
    assert result.exit_code == 0, result.output
    copy = tmp_path / "elsewhere.jsonl"
    copy.write_text((REPO / "annotations/gold/000_fc2cae570a148aeb.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["gold", "validate", str(copy)])
    assert result.exit_code == 1 and result.output.count("cannot find meta.source") == 1 and "--root" in result.output


def test_skeleton_never_overwrites_gold(tmp_path):
    """Issue #18 (2): a skeleton written over annotated gold erased 107 entities, exit 0."""
    target = tmp_path / "000_fc2cae570a148aeb.jsonl"
    gold = (REPO / "annotations/gold/000_fc2cae570a148aeb.jsonl").read_bytes()
    target.write_bytes(gold)
    result = runner.invoke(app, ["gold", "skeleton", str(REPO / "seeds/000_fc2cae570a148aeb.txt"), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "exists" in result.output
    assert target.read_bytes() == gold


def test_stale_manifest_is_reported(tmp_path):
    copy = tmp_path / "gold"
    shutil.copytree(GOLD, copy)
    target = sorted(copy.glob("*.jsonl"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, output = _validate(copy)
    assert code == 1 and "changed since manifest.json was written" in output
    assert runner.invoke(app, ["gold", "manifest", str(copy)]).exit_code == 0
    assert _validate(copy)[0] == 0


def test_stats_counts_labels_per_document():
    result = runner.invoke(app, ["gold", "stats", str(GOLD), "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)["per document"]
    examples = load_gold(GOLD)
    assert rows["total"]["ORG"] == sum(e.label == "ORG" for ex in examples for e in ex.entities)
    assert rows["total"]["examples"] == len(examples) == sum(r["examples"] for d, r in rows.items() if d != "total")


def test_validator_accepts_unannotated_skeleton():
    examples = load_gold(REPO / "annotations" / "passes" / "skeleton")
    assert validate_examples(examples, root=REPO) == []


def test_synthetic_training_gold_is_valid():
    for path in sorted((REPO / "annotations" / "synthetic").glob("*/gold")):
        problems = validate_examples(load_gold(path), root=REPO)
        assert problems == [], [str(p) for p in problems[:5]]
