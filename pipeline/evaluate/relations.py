"""Relation evaluation: given gold entities, and end to end from predicted entities.

Strict matching: head span, tail span and type must all equal the gold's.
Given gold entities the classifier is evaluated leave-one-document-out (it is
trained without the document it predicts); end-to-end figures come from the
LODO pipelines (``lodo.py``). The rule baseline (nearest pair + trigger words)
is scored the same two ways.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable

from ..gold.format import GoldExample
from ..gold.keys import example_key, relation_keys
from ..labels import NO_RELATION, RELATION_TYPES, in_label_order
from ..relations.baseline import baseline_relations
from ..relations.candidates import Entity
from ..relations.component import RelationExtractor
from ..relations.training import example_entities, train_relation_classifier
from ..scoring import RelationKey, score_strict, scores_to_dict

Segment = Callable[[str], list[tuple[int, int]]]


def _keys(example: GoldExample, entities: list[Entity], triples) -> set[RelationKey]:
    key = example_key(example)
    return {(key, (entities[h].start, entities[h].end), (entities[t].start, entities[t].end), rel) for h, t, rel in triples}


def gold_entity_lodo(examples: list[GoldExample], segment: Segment, *, train_only: list[GoldExample] = (), log=print) -> tuple[set, dict]:
    """Pooled LODO relation predictions on gold entities, and the top features of the last fold."""
    predicted: set[RelationKey] = set()
    top: dict = {}
    for doc_id in sorted({e.doc_id for e in examples}):
        training = [e for e in examples if e.doc_id != doc_id] + list(train_only)
        extractor = RelationExtractor()
        extractor.classifier = train_relation_classifier(training, segment, log=lambda m: None)
        top = extractor.classifier.top_features()
        for example in (e for e in examples if e.doc_id == doc_id):
            entities, _ = example_entities(example)
            found = extractor.predict(example.text, segment(example.text), entities)
            predicted |= _keys(example, entities, ((r["head"], r["tail"], r["type"]) for r in found))
    log(f"relations given gold entities: {len(predicted)} predicted")
    return predicted, top


def baseline_on_gold_entities(examples: list[GoldExample]) -> set[RelationKey]:
    predicted = set()
    for example in examples:
        entities, _ = example_entities(example)
        predicted |= _keys(example, entities, baseline_relations(example.text, entities))
    return predicted


def baseline_end_to_end(examples: list[GoldExample], extract) -> set[RelationKey]:
    """Baseline relations over the entities of an entity extractor (e.g. the rules baseline)."""
    predicted = set()
    for example in examples:
        entities = [Entity(a, b, label) for a, b, label in sorted(extract(example.text))]
        predicted |= _keys(example, entities, baseline_relations(example.text, entities))
    return predicted


def relation_scores(examples: list[GoldExample], predicted: set[RelationKey]) -> dict:
    return scores_to_dict(score_strict(relation_keys(examples), predicted, labels=RELATION_TYPES))


def confusion(examples: list[GoldExample], predicted: set[RelationKey]) -> dict[str, dict[str, int]]:
    """Gold type (rows, ``NONE`` = not a gold relation) × predicted type, over pairs either side has."""
    gold: dict[tuple, set[str]] = {}
    pred: dict[tuple, set[str]] = {}
    for keys, types in ((relation_keys(examples), gold), (predicted, pred)):
        for key in keys:
            types.setdefault(key[:3], set()).add(key[3])
    table: dict[str, Counter] = {t: Counter() for t in (*RELATION_TYPES, NO_RELATION)}
    # a pair may carry two gold types (an amount both invested and received): each is a row, matched
    # to the same predicted type if there is one, else to the pair's other prediction (or NONE)
    for pair in set(gold) | set(pred):
        wanted, got = gold.get(pair, set()), pred.get(pair, set())
        wrong = sorted(got - wanted)
        for g in sorted(wanted):
            table[g][g if g in got else (wrong[0] if wrong else NO_RELATION)] += 1
        if not wanted:
            for t in wrong:
                table[NO_RELATION][t] += 1
    return {g: in_label_order(c, (*RELATION_TYPES, NO_RELATION)) for g, c in table.items() if c}
