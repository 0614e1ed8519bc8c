"""Gold examples → the hashable keys the scorer compares."""

from __future__ import annotations

from typing import Iterable

from ..evaluate.scorer import EntityKey, RelationKey
from .format import GoldExample


def example_key(example: GoldExample) -> tuple:
    """Identifies an example across annotation passes and revisions: source + raw range."""
    meta = example.meta
    if meta.get("source") is not None:
        return (meta["source"], meta.get("raw_start"), meta.get("raw_end"))
    return (example.id,)


def entity_keys(examples: Iterable[GoldExample]) -> set[EntityKey]:
    return {(example_key(ex), e.start, e.end, e.label) for ex in examples for e in ex.entities}


def relation_keys(examples: Iterable[GoldExample]) -> set[RelationKey]:
    keys = set()
    for ex in examples:
        for r in ex.relations:
            head, tail = ex.entity(r.head), ex.entity(r.tail)
            if head and tail:
                keys.add((example_key(ex), (head.start, head.end), (tail.start, tail.end), r.type))
    return keys
