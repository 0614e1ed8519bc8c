"""Training data and training of the relation classifier from gold examples.

Candidates are built on the gold entities; a candidate that is a gold
relation gets its type, every other one ``NONE``. The decision threshold
and the regularization strength are chosen by cross-validation grouped by document (no document is split between
the training and the scoring side), maximising micro F1 over the sweep.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..evaluate.scorer import score_strict
from ..gold.format import GoldExample
from ..gold.keys import example_key
from ..labels import NO_RELATION
from .candidates import Entity, candidate_pairs
from .classifier import RelationClassifier
from .features import pair_features
from .functional import keep_best_of_functional

C_VALUES = (0.3, 1.0, 3.0, 10.0)
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
Segment = Callable[[str], list[tuple[int, int]]]


@dataclass
class PairData:
    features: list[dict]
    groups: list[tuple[str, str]]
    labels: list[str]
    documents: list[str]
    keys: list[tuple]  # (example key, head span, tail span) per pair


def example_entities(example: GoldExample) -> tuple[list[Entity], dict[int, int]]:
    ordered = sorted(example.entities, key=lambda e: (e.start, e.end))
    return [Entity(e.start, e.end, e.label) for e in ordered], {e.id: i for i, e in enumerate(ordered)}


def pair_data(examples: list[GoldExample], segment: Segment) -> PairData:
    data = PairData([], [], [], [], [])
    for example in examples:
        entities, index_of = example_entities(example)
        gold = {(index_of[r.head], index_of[r.tail]): r.type for r in example.relations
                if r.head in index_of and r.tail in index_of}
        pairs = candidate_pairs(example.text, entities)
        if not pairs:
            continue
        word_spans = segment(example.text)
        key = example_key(example)
        for pair in pairs:
            head, tail = entities[pair.head], entities[pair.tail]
            data.features.append(pair_features(example.text, word_spans, entities, pair))
            data.groups.append(pair.group(entities))
            data.labels.append(gold.get((pair.head, pair.tail), NO_RELATION))
            data.documents.append(example.doc_id)
            data.keys.append((key, (head.start, head.end), (tail.start, tail.end)))
    return data


def candidate_recall(examples: list[GoldExample]) -> tuple[int, int]:
    """(gold relations that are candidates, gold relations)."""
    found = total = 0
    for example in examples:
        entities, index_of = example_entities(example)
        pairs = {(p.head, p.tail) for p in candidate_pairs(example.text, entities)}
        for r in example.relations:
            total += 1
            found += (index_of.get(r.head), index_of.get(r.tail)) in pairs
    return found, total


def choose_threshold(data: PairData, C: float = 1.0, folds: int = 5) -> tuple[float, dict[float, float]]:
    """The threshold with the best cross-validated micro F1 (grouped by document), smoothed over its neighbours."""
    documents = sorted(set(data.documents))
    folds = min(folds, len(documents))
    if folds < 2:
        return 0.5, {}
    scores: dict[float, list] = {t: [set(), set()] for t in THRESHOLDS}
    gold_keys = {data.keys[i] + (data.labels[i],) for i in range(len(data.labels)) if data.labels[i] != NO_RELATION}
    for fold in range(folds):
        test_docs = set(documents[fold::folds])
        train = [i for i, d in enumerate(data.documents) if d not in test_docs]
        test = [i for i, d in enumerate(data.documents) if d in test_docs]
        if not train or not test:
            continue
        model = RelationClassifier(threshold=0.0, C=C).fit(
            [data.features[i] for i in train], [data.groups[i] for i in train], [data.labels[i] for i in train])
        predictions = model.predict([data.features[i] for i in test], [data.groups[i] for i in test])
        pairs = [((data.keys[i][0], data.keys[i][1]), (data.keys[i][0], data.keys[i][2])) for i in test]
        for threshold in THRESHOLDS:
            above = [(label, score) if score >= threshold else (NO_RELATION, score) for label, score in predictions]
            above = keep_best_of_functional(pairs, above)
            for i, (label, score) in zip(test, above):
                if label != NO_RELATION:
                    scores[threshold][0].add(data.keys[i] + (label,))
    result = _smoothed({t: score_strict(gold_keys, predicted)["micro"].f1 for t, (predicted, _) in scores.items()})
    best = max(result, key=lambda t: (result[t], -abs(t - 0.5)))
    return best, result


def _smoothed(sweep: dict[float, float]) -> dict[float, float]:
    """Each threshold's F1 averaged with its neighbours'.

    The sweep is flat near its top, and its argmax jumps between folds (C 1 at
    .55 vs C 3 at .45 for one seed fold, flipping a whole list's relations);
    a threshold whose neighbours are good too is the safer choice.
    """
    thresholds = sorted(sweep)
    smoothed = {}
    for i, threshold in enumerate(thresholds):
        window = [sweep[t] for t in thresholds[max(0, i - 1):i + 2]]
        smoothed[threshold] = sum(window) / len(window)
    return smoothed


def train_relation_classifier(examples: list[GoldExample], segment: Segment, *, C: float | None = None, log=print) -> RelationClassifier:
    """Fit on all ``examples``; regularization ``C`` (unless given) and the threshold by grouped CV."""
    data = pair_data(examples, segment)
    best = (-1.0, 1.0, 0.5)
    for c in ([C] if C else C_VALUES):
        threshold, sweep = choose_threshold(data, C=c)
        if sweep.get(threshold, 0.0) > best[0]:
            best = (sweep.get(threshold, 0.0), c, threshold)
    f1, c, threshold = best
    log(f"relations: {len(data.labels)} candidate pairs, {sum(l != NO_RELATION for l in data.labels)} relations; "
        f"C {c}, threshold {threshold} (cross-validated micro F1 {f1:.3f}, averaged with the neighbouring thresholds)")
    return RelationClassifier(threshold=threshold, C=c).fit(data.features, data.groups, data.labels)
