"""Candidate entity pairs: same sentence, in a direction the schema's relation table allows.

Every gold relation joins two entities of one sentence whose labels match a
signature (ORG→MONEY, ORG→YEAR, MONEY→YEAR, ORG→ORG); candidates are all such
pairs, ORG→ORG in both directions (but not between two mentions of the same
name), so candidate recall is 100 % for same-sentence relations (measured in
the evaluation).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..labels import RELATION_SIGNATURES
from ..normalize import sentence_spans

#: (head label, tail label) -> relation types possible for it
GROUPS: dict[tuple[str, str], tuple[str, ...]] = {}
for _type, _signature in RELATION_SIGNATURES.items():
    GROUPS.setdefault(_signature, ())
    GROUPS[_signature] += (_type,)


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Candidate:
    head: int  # index into the entity list
    tail: int
    sentence: tuple[int, int]

    def group(self, entities: list[Entity]) -> tuple[str, str]:
        return (entities[self.head].label, entities[self.tail].label)


def candidate_pairs(text: str, entities: list[Entity]) -> list[Candidate]:
    """All allowed ordered pairs of ``entities`` within one sentence of ``text``."""
    sentences = sentence_spans(text)
    by_sentence: dict[tuple[int, int], list[int]] = {}
    for index, entity in enumerate(entities):
        sentence = next(((a, b) for a, b in sentences if a <= entity.start < b), None)
        if sentence is not None:
            by_sentence.setdefault(sentence, []).append(index)
    pairs = []
    for sentence, members in by_sentence.items():
        for head in members:
            for tail in members:
                if head != tail and (entities[head].label, entities[tail].label) in GROUPS and not _same_name(text, entities[head], entities[tail]):
                    pairs.append(Candidate(head, tail, sentence))
    return pairs


def _same_name(text: str, a: Entity, b: Entity) -> bool:
    """Two mentions of one name: an organization is neither in nor part of itself."""
    return text[a.start:a.end] == text[b.start:b.end]
