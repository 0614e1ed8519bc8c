"""Facts table: one row per relation an analyst reads, from the output records.

A row names the organization, the relation, the amount (text, value,
currency) or the year or the counterpart organization, and the year of the
amount joined through ``IN_YEAR``; plus the sentence, the source and the raw
offsets, so every fact can be checked in the original file. Written as CSV
with a byte-order mark so that spreadsheet programs open the Chinese right.
"""

from __future__ import annotations

import csv
from typing import IO, Any, Iterable

from ..labels import FOUNDED, IN_YEAR, LOCATED_IN, PART_OF

FACT_COLUMNS = (
    "document", "source", "org", "relation", "amount", "value", "currency", "year", "counterpart",
    "score", "sentence", "org_raw_start", "org_raw_end", "other_raw_start", "other_raw_end",
)


def facts_from_record(record: dict[str, Any]) -> list[dict[str, Any]]:
    if "error" in record:
        return []
    entities = {e["id"]: e for e in record["entities"]}
    year_of_money = {}
    for r in record["relations"]:
        if r["type"] == IN_YEAR and r["tail"] in entities:
            year_of_money.setdefault(r["head"], entities[r["tail"]])
    rows = []
    for r in record["relations"]:
        if r["type"] == IN_YEAR:
            continue
        head, tail = entities.get(r["head"]), entities.get(r["tail"])
        if head is None or tail is None:
            continue
        row = {"document": record["id"], "source": record["source"], "org": head["text"], "relation": r["type"],
               "score": r.get("score"), "sentence": _sentence(record, head),
               "org_raw_start": head["raw_start"], "org_raw_end": head["raw_end"],
               "other_raw_start": tail["raw_start"], "other_raw_end": tail["raw_end"]}
        if r["type"] == FOUNDED:
            row["year"] = tail.get("value")
        elif r["type"] in (LOCATED_IN, PART_OF):
            row["counterpart"] = tail["text"]
        else:
            row |= {"amount": tail["text"], "value": tail.get("value"), "currency": tail.get("currency")}
            year = year_of_money.get(tail["id"])
            if year is not None:
                row["year"] = year.get("value")
        rows.append(row)
    return rows


def _sentence(record: dict[str, Any], entity: dict[str, Any]) -> str:
    return next((s["text"] for s in record["sentences"] if s["start"] <= entity["start"] < s["end"]), "")


class FactsWriter:
    """Writes fact rows as CSV, header first."""

    def __init__(self, stream: IO[str]):
        self.writer = csv.DictWriter(stream, fieldnames=FACT_COLUMNS, extrasaction="ignore")
        stream.write("\ufeff")
        self.writer.writeheader()
        self.rows = 0

    def write(self, records: Iterable[dict[str, Any]] | dict[str, Any]) -> None:
        for row in facts_from_record(records):
            self.writer.writerow(row)
            self.rows += 1
