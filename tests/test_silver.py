"""Silver data for self-training: it never holds text of the gold, and bad silver never trains."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

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
