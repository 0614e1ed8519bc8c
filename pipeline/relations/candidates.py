"""Candidate entity pairs: same sentence, in a direction the schema's relation table allows.

Every gold relation joins two entities of one sentence whose labels match a
signature (ORG→MONEY, ORG→YEAR, MONEY→YEAR, ORG→ORG); candidates are all such
pairs, ORG→ORG in both directions (but not between two mentions of the same
name), so candidate recall is 100 % for same-sentence relations (measured in
the evaluation). An amount that names a class of projects or firms
(超3亿元龙头企业项目, 10亿元以上项目) is nobody's amount: it takes part in no
candidate (71 such amounts in the seeds and the synthetic sets, none in a
relation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..labels import MONEY, RELATION_SIGNATURES
from ..normalize import sentence_spans

#: (head label, tail label) -> relation types possible for it
GROUPS: dict[tuple[str, str], tuple[str, ...]] = {}
for _type, _signature in RELATION_SIGNATURES.items():
    GROUPS.setdefault(_signature, ())
    GROUPS[_signature] += (_type,)


#: what follows an amount that names a class (超3亿元龙头企业项目, 亿元以上项目, 10亿元级)
_CATEGORY_AMOUNT = re.compile(r"(?:以上|及以上)?的?(?:龙头|重点|重大|产业|制造|工业|项目|企业|级)")


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
        if entity.label == MONEY and is_category_amount(text, entity):
            continue
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


def is_category_amount(text: str, entity: Entity) -> bool:
    """Does the amount name a class of projects or firms rather than someone's money?"""
    return _CATEGORY_AMOUNT.match(text, entity.end) is not None


def _same_name(text: str, a: Entity, b: Entity) -> bool:
    """Two mentions of one name: an organization is neither in nor part of itself."""
    return text[a.start:a.end] == text[b.start:b.end]
