"""Counts of entities per label and relations per type, per document."""

from __future__ import annotations

from collections import Counter, defaultdict

from ..labels import ENTITY_LABELS, RELATION_TYPES
from .format import GoldExample

TOTAL = "total"


def gold_stats(examples: list[GoldExample]) -> dict[str, dict[str, int]]:
    """``{doc_id: {"examples": n, "chars": n, label: n, relation type: n}}`` plus a ``total`` row."""
    rows: dict[str, Counter] = defaultdict(Counter)
    for ex in examples:
        for row in (rows[ex.doc_id], rows[TOTAL]):
            row["examples"] += 1
            row["chars"] += len(ex.text)
            row.update(e.label for e in ex.entities)
            row.update(r.type for r in ex.relations)
    columns = ["examples", "chars", *ENTITY_LABELS, *RELATION_TYPES]
    ordered = sorted(k for k in rows if k != TOTAL) + [TOTAL]
    return {doc: {c: rows[doc][c] for c in columns} for doc in ordered if doc in rows}
