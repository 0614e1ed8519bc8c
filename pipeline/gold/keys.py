"""Gold examples → the hashable keys the scorer compares."""

from __future__ import annotations

from typing import Iterable

from ..scoring import EntityKey, RelationKey
from .format import GoldExample


def example_key(example: GoldExample) -> tuple:
    """Identifies an example across annotation passes and revisions: source + raw range."""
    meta = example.meta
    if meta.get("source") is not None:
        if meta.get("source_id") is not None:  # a record of a corpus file: the file alone does not identify it
            return (meta["source"], meta["source_id"], meta.get("raw_start"), meta.get("raw_end"))
        return (meta["source"], meta.get("raw_start"), meta.get("raw_end"))
    return (example.id,)


def document_numbers(examples: Iterable[GoldExample]) -> tuple[int, dict[tuple, int]]:
    """How many documents ``examples`` come from, and each example key's document number (documents
    in sorted order): what a bootstrap over documents resamples."""
    examples = list(examples)
    documents = sorted({e.doc_id for e in examples})
    number = {doc_id: i for i, doc_id in enumerate(documents)}
    return len(documents), {example_key(e): number[e.doc_id] for e in examples}


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


def disagreements(first: list[GoldExample], second: list[GoldExample]) -> list[str]:
    """One line per entity or relation that only one side has, with its example text around it."""
    texts = {example_key(ex): ex for ex in first + second}
    lines = []
    for name, keys_of in (("entity", entity_keys), ("relation", relation_keys)):
        a, b = keys_of(first), keys_of(second)
        for side, keys in (("only first ", a - b), ("only second", b - a)):
            for key in sorted(keys, key=lambda k: (str(k[0]), str(k[1:]))):
                ex = texts[key[0]]
                if name == "entity":
                    _, start, end, label = key
                    what = f"{label} {ex.text[start:end]!r}"
                else:
                    _, (hs, he), (ts, te), rel = key
                    start, end = min(hs, ts), max(he, te)
                    what = f"{rel} {ex.text[hs:he]!r} -> {ex.text[ts:te]!r}"
                context = ex.text[max(0, start - 25):end + 25]
                lines.append(f"{side} {name} [{ex.id}] {what}  …{context}…")
    return lines
