"""Silver data for self-training: it never holds text of the gold, and bad silver never trains."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhnews.cli import app

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("build_silver", REPO / "scripts" / "build_silver.py")
build_silver = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_silver)


def test_paragraphs_sharing_a_run_with_the_gold_are_left_out(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    seen = "常州天合光能股份有限公司2024年实现营业收入800亿元，同比增长百分之十二，创历史新高。"
    fresh = "杭州微亿智造科技有限公司完成5000万元B轮融资，由深圳市创新投资集团领投，资金用于研发。"
    (news / "x.jsonl").write_text("".join(json.dumps({"id": f"x:{i}", "text": t}, ensure_ascii=False) + "\n"
                                          for i, t in enumerate([seen, fresh])), encoding="utf-8")
    excluded = build_silver._shingles("导语：" + seen[:20] + "……")
    kept = build_silver.paragraphs(tmp_path, excluded, log=lambda _m: None)
    assert [p["text"] for p in kept] == [fresh] and kept[0]["source_id"] == "x:1"


def test_the_committed_gold_is_excluded_from_silver():
    grams = build_silver.gold_shingles()
    first = next((REPO / "annotations" / "news" / "gold").glob("n*.jsonl")).read_text(encoding="utf-8")
    text = json.loads(first.splitlines()[0])["text"]
    assert build_silver._shingles(text) <= grams


def test_invalid_silver_stops_training_before_it_starts(tmp_path):
    silver = tmp_path / "silver.jsonl"
    silver.write_text(json.dumps({"id": "silver-0", "text": "华为", "relations": [], "meta": {},
                                  "entities": [{"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 9}]}) + "\n",
                      encoding="utf-8")
    output = tmp_path / "model"
    result = CliRunner().invoke(app, ["train", "--output", str(output), "--silver", str(silver)])
    assert result.exit_code == 2, result.output
    assert "silver" in result.output and "out of range" in result.output
    assert not output.exists()


spec_rel = importlib.util.spec_from_file_location("build_silver_relations", REPO / "scripts" / "build_silver_relations.py")
build_silver_relations = importlib.util.module_from_spec(spec_rel)
spec_rel.loader.exec_module(build_silver_relations)
SURE = {"entity_confidence": 0.7, "relation_score": 0.7, "negative_score": 0.3}


def test_a_sentence_is_silver_only_when_every_entity_and_pair_is_sure():
    sentences = [(0, 10), (10, 20), (20, 30)]
    entities = [(0, 2, "ORG"), (4, 6, "MONEY"), (10, 12, "ORG"), (14, 16, "MONEY"), (20, 22, "ORG"), (24, 26, "MONEY")]
    confidence = [0.9, 0.99, 0.9, 0.99, 0.5, 0.99]
    pairs = [(0, 1, (0, 10), 0.95), (2, 3, (10, 20), 0.5), (4, 5, (20, 30), 0.1)]
    found = {(0, 1): ("REVENUE", 0.95)}
    kept, relations = build_silver_relations.sure_sentences(sentences, entities, confidence, pairs, found, **SURE)
    # the second sentence has an undecided pair, the third a doubtful entity
    assert kept == [0, 1] and relations == [(0, 1, "REVENUE")]
    weak = {(0, 1): ("REVENUE", 0.6)}
    assert build_silver_relations.sure_sentences(sentences[:1], entities, confidence, pairs[:1], weak, **SURE) == ([], [])
    none_found = build_silver_relations.sure_sentences(sentences[:1], entities, confidence, [(0, 1, (0, 10), 0.05)], {}, **SURE)
    assert none_found == ([0, 1], [])  # a sure "no relation" is silver too


def test_silver_relations_train_but_are_never_scored_in_cross_validation():
    from zhnews.gold.format import GoldEntity, GoldExample, GoldRelation
    from zhnews.relations.training import _cv_predictions, pair_data

    def example(i, meta=None):
        return GoldExample(i, "甲公司营收3亿元。", [GoldEntity(1, "ORG", 0, 3), GoldEntity(2, "MONEY", 5, 8)],
                           [GoldRelation(1, 1, 2, "REVENUE")], {"doc_id": f"d{i}", **(meta or {})})

    gold = [example(i) for i in range(6)]
    silver = [example(100 + i, {"silver": True}) for i in range(4)]
    data = pair_data(gold, lambda text: [(0, 3), (3, 5), (5, 8)], silver)
    assert data.silver == [False] * 6 + [True] * 4
    scored = [i for test, _predictions in _cv_predictions(data, C=1.0, folds=3) for i in test]
    assert sorted(scored) == list(range(6))


def test_relation_silver_must_be_marked_silver_and_valid(tmp_path):
    from zhnews.train import GoldInvalidError, load_valid_silver

    record = {"id": "silver-0", "text": "甲公司营收3亿元。", "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "REVENUE"}],
              "entities": [{"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 3},
                           {"id": 2, "label": "MONEY", "start_offset": 5, "end_offset": 8}],
              "meta": {"silver": True, "doc_id": "silver-0"}}
    path = tmp_path / "silver.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert load_valid_silver(path)[0].relations[0].type == "REVENUE"
    path.write_text(json.dumps({**record, "meta": {}}, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(GoldInvalidError, match="not silver data"):
        load_valid_silver(path)
    path.write_text(json.dumps({**record, "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "OWNS"}]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(GoldInvalidError, match="problem"):
        load_valid_silver(path)


def test_the_silver_relation_builder_refuses_to_write_into_the_repository():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(REPO / "scripts" / "build_silver_relations.py"), "--corpora", "x",
                             "--out", str(REPO / "silver.jsonl")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "inside the repository" in result.stderr
    assert not (REPO / "silver.jsonl").exists()
