"""Counts of entities per label and relations per type, per document."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Callable

from ..labels import ENTITY_LABELS, RELATION_TYPES
from .format import GoldExample

TOTAL = "total"


def gold_stats(examples: list[GoldExample], key: Callable[[GoldExample], str] = lambda ex: ex.doc_id,
               ) -> dict[str, dict[str, int]]:
    """``{key: {"documents": n, "examples": n, "chars": n, label: n, relation type: n}}`` plus a
    ``total`` row; ``key`` groups the examples (by document unless told otherwise)."""
    rows: dict[str, Counter] = defaultdict(Counter)
    documents: dict[str, set] = defaultdict(set)
    for ex in examples:
        for name in (key(ex), TOTAL):
            row = rows[name]
            documents[name].add(ex.doc_id)
            row["examples"] += 1
            row["chars"] += len(ex.text)
            row.update(e.label for e in ex.entities)
            row.update(r.type for r in ex.relations)
    for name, docs in documents.items():
        rows[name]["documents"] = len(docs)
    columns = ["documents", "examples", "chars", *ENTITY_LABELS, *RELATION_TYPES]
    ordered = sorted(k for k in rows if k != TOTAL) + [TOTAL]
    return {doc: {c: rows[doc][c] for c in columns} for doc in ordered if doc in rows}
