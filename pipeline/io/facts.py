"""Facts table: one row per fact of a document, from the output records.

A row names the organization (and its full name where the document declares it for
the short form it uses, or cites it in full elsewhere), the relation, the amount
(text, value, currency) or the year or the counterpart organization, and the year
of the amount joined through ``IN_YEAR``; plus the sentence, the source and the raw
offsets, so every fact can be checked in the original file. ``score`` is the relation
classifier's probability given the two entities, ``confidence`` the probability that the
whole fact is right (entities included; ``relations/component.py``). The same fact stated
twice in a document (the same organization, relation, normalized value and year)
is one row: ``mentions`` counts its statements and ``raw_offsets`` lists the raw
offsets of each; the first-statement columns stay for spreadsheet users. Written as
CSV with a byte-order mark so that spreadsheet programs open the Chinese right.
"""

from __future__ import annotations

import csv
import json
from typing import IO, Any, Iterable

from ..labels import FOUNDED, IN_YEAR, LOCATED_IN, ORG, PART_OF
from ..ner.consistency import declared_short_names, short_forms

FACT_COLUMNS = (
    "document", "source", "org", "org_full_name", "relation", "amount", "value", "currency", "year", "counterpart",
    "score", "confidence", "mentions", "sentence", "org_raw_start", "org_raw_end", "other_raw_start", "other_raw_end", "raw_offsets",
)


def full_names(record: dict[str, Any]) -> dict[str, str]:
    """Short name -> full name, for the ORG names of ``record`` whose full name the document gives.

    A short name the document declares (…有限公司（以下简称“新锂能源”）) takes the name it follows;
    otherwise a name that is a short form (:func:`short_forms`) of exactly one full company name
    of the document takes that one.
    """
    text = record["text"]
    orgs = [e for e in record["entities"] if e["label"] == ORG]
    names: dict[str, str] = {}
    for (a, b), (c, d) in declared_short_names(text, [(e["start"], e["end"]) for e in orgs]):
        names.setdefault(text[a:b], text[c:d])
    candidates: dict[str, set[str]] = {}
    for full in {e["text"] for e in orgs}:
        for form in short_forms(full):
            candidates.setdefault(form, set()).add(full)
    for form, fulls in candidates.items():
        if len(fulls) == 1:
            names.setdefault(form, next(iter(fulls)))
    return names


def full_name(name: str, names: dict[str, str]) -> str:
    """The full name of ``name`` (itself when it is a registered company name), else ""."""
    return names.get(name) or (name if short_forms(name) else "")


def facts_from_record(record: dict[str, Any]) -> list[dict[str, Any]]:
    if "error" in record:
        return []
    entities = {e["id"]: e for e in record["entities"]}
    names = full_names(record)

    def canonical(entity: dict[str, Any]) -> str:
        return names.get(entity["text"], entity["text"])

    year_of_money = {}
    for r in record["relations"]:
        if r["type"] == IN_YEAR and r["tail"] in entities:
            year_of_money.setdefault(r["head"], entities[r["tail"]])
    rows: dict[tuple, dict[str, Any]] = {}
    for r in record["relations"]:
        if r["type"] == IN_YEAR:
            continue
        head, tail = entities.get(r["head"]), entities.get(r["tail"])
        if head is None or tail is None:
            continue
        row = {"document": record["id"], "source": record["source"], "org": head["text"],
               "org_full_name": full_name(head["text"], names), "relation": r["type"],
               "score": r.get("score"), "confidence": r.get("confidence"), "sentence": _sentence(record, head),
               "org_raw_start": head["raw_start"], "org_raw_end": head["raw_end"],
               "other_raw_start": tail["raw_start"], "other_raw_end": tail["raw_end"]}
        if r["type"] == FOUNDED:
            row["year"] = tail.get("value")
            what: tuple = (tail.get("value") or tail["text"],)
        elif r["type"] in (LOCATED_IN, PART_OF):
            row["counterpart"] = tail["text"]
            what = (canonical(tail),)
        else:
            row |= {"amount": tail["text"], "value": tail.get("value"), "currency": tail.get("currency")}
            year = year_of_money.get(tail["id"])
            if year is not None:
                row["year"] = year.get("value")
            amount = (tail.get("value"), tail.get("currency")) if tail.get("value") is not None else (tail["text"],)
            what = amount + (row.get("year"),)
        offsets = [head["raw_start"], head["raw_end"], tail["raw_start"], tail["raw_end"]]
        key = (canonical(head), r["type"]) + what
        if key in rows:
            fact = rows[key]
            fact["mentions"] += 1
            fact["_offsets"].append(offsets)
            for column in ("score", "confidence"):  # a fact is as sure as its surest statement
                if (r.get(column) or 0) > (fact[column] or 0):
                    fact[column] = r.get(column)
        else:
            rows[key] = row | {"mentions": 1, "_offsets": [offsets]}
    out = []
    for row in rows.values():
        row["raw_offsets"] = json.dumps(row.pop("_offsets"))
        out.append(row)
    return out


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
