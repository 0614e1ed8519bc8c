"""The committed pipeline on the seeds, end to end: entities with values, relations, facts."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def run_output(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("seeds")
    out, facts = out_dir / "out.jsonl", out_dir / "facts.csv"
    result = subprocess.run([sys.executable, "-m", "zhnews.cli", "run", "seeds/", "-o", str(out), "--facts", str(facts)],
                            cwd=REPO, capture_output=True, timeout=900)
    assert result.returncode == 0, result.stderr.decode()
    records = {r["id"][:3]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    with facts.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    return records, rows


def _entities(record, label):
    return {e["text"]: e for e in record["entities"] if e["label"] == label}


def test_known_entities_with_offsets_and_values(run_output):
    records, _ = run_output
    raw = (REPO / records["001"]["source"]).read_text(encoding="utf-8")
    money = _entities(records["001"], "MONEY")
    assert money["37.11亿元"]["value"] == 3711000000 and money["37.11亿元"]["currency"] == "CNY"
    assert money["870万元"]["value"] == 8700000
    years = _entities(records["001"], "YEAR")
    assert years["2023年"]["value"] == 2023 and years["1988年"]["value"] == 1988
    orgs = _entities(records["001"], "ORG")
    assert {"常州高新区", "比亚迪常州基地"} <= set(orgs)
    for entity in records["001"]["entities"]:
        assert records["001"]["text"][entity["start"]:entity["end"]] == entity["text"]
        assert raw[entity["raw_start"]:entity["raw_end"]].replace("\n", "") .startswith(entity["text"][:1])
    assert "钟楼经开区" in _entities(records["000"], "ORG")
    assert "天纳克(常州)减振系统有限公司" in _entities(records["002"], "ORG")


def test_known_facts(run_output):
    _, rows = run_output
    facts = {(r["org"], r["relation"], r["amount"], r["year"]) for r in rows}
    assert ("西电常变", "INVESTMENT", "3亿元", "2024") in facts or ("西电常变", "INVESTMENT", "3亿元", "") in facts
    assert any(org.startswith("梅特勒·托利多") and rel == "REVENUE" and amount == "37.11亿元" and year == "2023"
               for org, rel, amount, year in facts), sorted(facts)
    assert all(r["source"].startswith("seeds/") and r["sentence"] for r in rows)


def test_the_same_news_in_traditional_characters_gives_the_same_entities(run_output, tmp_path):
    """Traditional input is normalized to simplified first: same entities, raw offsets into the traditional file."""
    import opencc

    records, _ = run_output
    simplified = (REPO / records["001"]["source"]).read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(simplified)
    assert traditional != simplified
    source = tmp_path / "001-traditional.txt"
    source.write_text(traditional, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = subprocess.run([sys.executable, "-m", "zhnews.cli", "run", str(source), "-o", str(out)],
                            cwd=REPO, capture_output=True, timeout=900)
    assert result.returncode == 0, result.stderr.decode()
    (record,) = map(json.loads, out.read_text(encoding="utf-8").splitlines())
    def key(e):
        return (e["text"], e["label"], e["start"], e["end"])
    assert sorted(map(key, record["entities"])) == sorted(map(key, records["001"]["entities"]))
    for entity in record["entities"]:
        assert opencc.OpenCC("t2s").convert(traditional[entity["raw_start"]:entity["raw_end"]]).replace("\n", "") == entity["text"]
