"""The facts table: one row per fact of a document, full names, every statement's raw offsets."""

from __future__ import annotations

import json
import re

from zhnews.io.facts import facts_from_record, full_names

TEXT = "深圳新锂能源科技股份有限公司（以下简称“新锂能源”）2023年营收5亿元。新锂能源2023年营收5亿元，2022年营收3亿元。"


def _record(entities: list[tuple[str, str, int]], relations: list[tuple[int, int, str, float]]) -> dict:
    ents = []
    for i, (text, label, occurrence) in enumerate(entities):
        start = [m.start() for m in re.finditer(re.escape(text), TEXT)][occurrence]
        entity = {"id": i, "label": label, "text": text, "start": start, "end": start + len(text),
                  "raw_start": start + 100, "raw_end": start + len(text) + 100}
        if label == "YEAR":
            entity["value"] = int(text[:4])
        if label == "MONEY":
            entity |= {"value": int(text[0]) * 100_000_000, "currency": "CNY"}
        ents.append(entity)
    return {"id": "d", "source": "s.txt", "text": TEXT, "entities": ents,
            "sentences": [{"start": 0, "end": len(TEXT), "text": TEXT}],
            "relations": [{"head": h, "tail": t, "type": kind, "score": score} for h, t, kind, score in relations]}


RECORD = _record(
    [("深圳新锂能源科技股份有限公司", "ORG", 0), ("2023年", "YEAR", 0), ("5亿元", "MONEY", 0),
     ("新锂能源", "ORG", 2), ("2023年", "YEAR", 1), ("5亿元", "MONEY", 1), ("2022年", "YEAR", 0), ("3亿元", "MONEY", 0)],
    [(0, 2, "REVENUE", 0.9), (2, 1, "IN_YEAR", 0.9), (3, 5, "REVENUE", 0.95), (5, 4, "IN_YEAR", 0.8),
     (3, 7, "REVENUE", 0.7), (7, 6, "IN_YEAR", 0.7)])


def test_a_declared_short_name_has_the_full_name_it_follows():
    assert full_names(RECORD)["新锂能源"] == "深圳新锂能源科技股份有限公司"


def test_the_same_fact_stated_twice_is_one_row_with_both_statements_offsets():
    rows = facts_from_record(RECORD)
    by_year = {row["year"]: row for row in rows}
    assert sorted(by_year) == [2022, 2023] and len(rows) == 2
    twice = by_year[2023]
    assert twice["mentions"] == 2 and twice["score"] == 0.95
    assert twice["org_full_name"] == "深圳新锂能源科技股份有限公司"
    assert json.loads(twice["raw_offsets"]) == [[100, 114, 133, 136], [137, 141, 148, 151]]
    assert (twice["org_raw_start"], twice["other_raw_start"]) == (100, 133)  # the first statement
    once = by_year[2022]
    assert once["mentions"] == 1 and once["org"] == "新锂能源" and once["org_full_name"] == "深圳新锂能源科技股份有限公司"
    assert (once["value"], once["currency"], once["amount"]) == (300_000_000, "CNY", "3亿元")


def test_different_years_or_amounts_stay_different_facts():
    record = _record([("新锂能源", "ORG", 1), ("5亿元", "MONEY", 0), ("5亿元", "MONEY", 1)],
                     [(0, 1, "REVENUE", 0.9), (0, 2, "INVESTMENT", 0.9)])
    assert sorted(r["relation"] for r in facts_from_record(record)) == ["INVESTMENT", "REVENUE"]


def test_a_name_without_a_full_form_in_the_document_has_none():
    record = _record([("新锂能源", "ORG", 1), ("5亿元", "MONEY", 0)], [(0, 1, "REVENUE", 0.9)])
    (row,) = facts_from_record(record)
    assert row["org"] == "新锂能源" and row["org_full_name"] == ""


def test_an_error_record_has_no_facts():
    assert facts_from_record({"id": "x", "source": "s", "error": "boom"}) == []


def test_a_fact_stated_twice_is_as_confident_as_its_surest_statement():
    record = json.loads(json.dumps(RECORD))
    for relation, confidence in zip(record["relations"], (0.6, 0.9, 0.85, 0.8, 0.5, 0.7)):
        relation["confidence"] = confidence
    by_year = {row["year"]: row for row in facts_from_record(record)}
    assert by_year[2023]["confidence"] == 0.85 and by_year[2022]["confidence"] == 0.5
    assert all(row["confidence"] is None for row in facts_from_record(RECORD))  # a pipeline without entity confidence
