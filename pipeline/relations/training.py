"""Training data and training of the relation classifier from gold examples.

Candidates are built on the gold entities; a candidate that is a gold
relation gets its type, every other one ``NONE``. The decision thresholds (global and per
type) and the regularization strength are chosen by cross-validation grouped by document (no
document is split between the training and the scoring side), maximising micro F1 over the sweep.

Silver examples (machine-labelled real news, ``scripts/build_silver_relations.py``) are training
data only: they are on the training side of every cross-validation fold and never scored, so
the regularization, the thresholds and the calibration are chosen on gold alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from ..scoring import score_strict
from ..gold.format import GoldExample
from ..gold.keys import example_key
from ..labels import NO_RELATION
from .calibration import Calibration
from .candidates import Entity, candidate_pairs
from .classifier import RelationClassifier
from .features import pair_features
from .functional import keep_best_of_functional

C_VALUES = (0.3, 1.0, 3.0, 10.0)
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
#: a type needs this many gold relations in training for a threshold of its own
MIN_RELATIONS_PER_TYPE = 20
Segment = Callable[[str], list[tuple[int, int]]]


@dataclass
class PairData:
    features: list[dict]
    groups: list[tuple[str, str]]
    labels: list[str]
    documents: list[str]
    keys: list[tuple]  # (example key, head span, tail span) per pair
    #: per pair: from a silver example (always trained on, never scored in cross-validation)
    silver: list[bool] = field(default_factory=list)


def example_entities(example: GoldExample) -> tuple[list[Entity], dict[int, int]]:
    ordered = sorted(example.entities, key=lambda e: (e.start, e.end))
    return [Entity(e.start, e.end, e.label) for e in ordered], {e.id: i for i, e in enumerate(ordered)}


def pair_data(examples: list[GoldExample], segment: Segment, silver: list[GoldExample] = ()) -> PairData:
    data = PairData([], [], [], [], [])
    for example, is_silver in [*((e, False) for e in examples), *((e, True) for e in silver)]:
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
            data.silver.append(is_silver)
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


@dataclass
class ThresholdChoice:
    threshold: float  # global
    thresholds: dict[str, float]  # per type, where cross-validation prefers one of its own
    sweep: dict[float, float]  # global threshold -> smoothed CV micro F1
    f1: float  # smoothed CV micro F1 at ``threshold``
    f1_per_type: float  # CV micro F1 with ``thresholds`` applied (unsmoothed)
    f1_global: float  # CV micro F1 at ``threshold`` alone (unsmoothed)
    calibration: Calibration = field(default_factory=Calibration)  # fitted on the CV predictions


def _cv_predictions(data: PairData, C: float, folds: int) -> list[tuple[list[int], list[tuple[str, float]]]]:
    """Per fold: the scored pairs' indices and the classifier's (type, score) for each,
    from a model fitted on the other folds' documents and on every silver pair."""
    documents = _gold_documents(data)
    out = []
    for fold in range(folds):
        test_docs = set(documents[fold::folds])
        train = [i for i, d in enumerate(data.documents) if data.silver[i] or d not in test_docs]
        test = [i for i, d in enumerate(data.documents) if not data.silver[i] and d in test_docs]
        if not train or not test:
            continue
        model = RelationClassifier(threshold=0.0, C=C).fit(
            [data.features[i] for i in train], [data.groups[i] for i in train], [data.labels[i] for i in train])
        out.append((test, model.predict([data.features[i] for i in test], [data.groups[i] for i in test])))
    return out


def _gold_documents(data: PairData) -> list[str]:
    return sorted({d for d, silver in zip(data.documents, data.silver) if not silver})


def _decided(data: PairData, cv, threshold_for: Callable[[str], float]) -> set[tuple]:
    """The relation keys predicted over all folds under ``threshold_for`` (functional rule applied)."""
    predicted = set()
    for test, predictions in cv:
        pairs = [((data.keys[i][0], data.keys[i][1]), (data.keys[i][0], data.keys[i][2])) for i in test]
        above = [(label, score) if label != NO_RELATION and score >= threshold_for(label) else (NO_RELATION, score)
                 for label, score in predictions]
        for i, (label, _score) in zip(test, keep_best_of_functional(pairs, above)):
            if label != NO_RELATION:
                predicted.add(data.keys[i] + (label,))
    return predicted


def choose_thresholds(data: PairData, C: float = 1.0, folds: int = 5, min_relations: int = MIN_RELATIONS_PER_TYPE,
                      calibrate: bool = True) -> ThresholdChoice:
    """Global and per-type thresholds by cross-validation grouped by document, on calibrated scores
    (``calibrate``: each type's map fitted on the same cross-validated predictions).

    The global threshold maximizes micro F1 smoothed over its neighbours. Then each type with at
    least ``min_relations`` gold relations gets the threshold that maximizes that type's own F1
    (smoothed likewise, the other types at the global threshold); the per-type thresholds are kept
    only if they raise the cross-validated micro F1 over the global threshold alone.
    """
    folds = min(folds, len(_gold_documents(data)))
    if folds < 2:
        return ThresholdChoice(0.5, {}, {}, 0.0, 0.0, 0.0)
    gold_keys = {data.keys[i] + (data.labels[i],) for i in range(len(data.labels))
                 if data.labels[i] != NO_RELATION and not data.silver[i]}
    cv = _cv_predictions(data, C, folds)
    calibration = Calibration()
    if calibrate:
        calibration = Calibration.fit([(label, score, data.labels[i] == label)
                                       for test, predictions in cv for i, (label, score) in zip(test, predictions)])
        cv = [(test, [(label, calibration(label, score)) for label, score in predictions]) for test, predictions in cv]
    raw = {t: score_strict(gold_keys, _decided(data, cv, lambda _label, t=t: t))["micro"].f1 for t in THRESHOLDS}
    sweep = _smoothed(raw)
    best = max(sweep, key=lambda t: (sweep[t], -abs(t - 0.5)))
    counts = Counter(key[-1] for key in gold_keys)
    per_type: dict[str, float] = {}
    for relation_type in sorted(counts):
        if counts[relation_type] < min_relations:
            continue
        by_threshold = {}
        for t in THRESHOLDS:
            rule = (lambda label, t=t, rt=relation_type: t if label == rt else best)
            by_threshold[t] = score_strict(gold_keys, _decided(data, cv, rule))[relation_type].f1
        smoothed = _smoothed(by_threshold)
        chosen = max(smoothed, key=lambda t: (smoothed[t], -abs(t - best)))
        if chosen != best:
            per_type[relation_type] = chosen
    f1_per_type = score_strict(gold_keys, _decided(data, cv, lambda label: per_type.get(label, best)))["micro"].f1
    if f1_per_type <= raw[best]:
        per_type = {}
    return ThresholdChoice(best, per_type, sweep, sweep[best], f1_per_type, raw[best], calibration)


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


def train_relation_classifier(examples: list[GoldExample], segment: Segment, *, C: float | None = None,
                              per_type: bool = False, calibrate: bool = True, silver: list[GoldExample] = (),
                              log=print) -> RelationClassifier:
    """Fit on all ``examples`` and ``silver``; regularization ``C`` (unless given) and the thresholds
    by CV grouped by gold document (``per_type=False``: one global threshold), silver always on the
    training side."""
    data = pair_data(examples, segment, silver)
    best: tuple[float, float, ThresholdChoice | None] = (-1.0, 1.0, None)
    for c in ([C] if C else C_VALUES):
        choice = choose_thresholds(data, C=c, min_relations=MIN_RELATIONS_PER_TYPE if per_type else 10**9, calibrate=calibrate)
        if choice.f1 > best[0]:
            best = (choice.f1, c, choice)
    f1, c, choice = best
    assert choice is not None
    pairs = Counter(data.silver)
    relations = Counter(s for label, s in zip(data.labels, data.silver) if label != NO_RELATION)
    log(f"relations: {pairs[False]} candidate pairs, {relations[False]} relations"
        + (f" (and silver: {pairs[True]} pairs, {relations[True]} relations)" if pairs[True] else "") + "; "
        f"C {c}, threshold {choice.threshold} (cross-validated micro F1 {f1:.3f}, averaged with the neighbouring thresholds)"
        + (f"; per type {choice.thresholds} (cross-validated micro F1 {choice.f1_global:.3f} -> {choice.f1_per_type:.3f})"
           if choice.thresholds else "; no per-type threshold raises the cross-validated F1" if per_type else ""))
    classifier = RelationClassifier(threshold=choice.threshold, C=c, thresholds=choice.thresholds).fit(
        data.features, data.groups, data.labels)
    classifier.calibration = choice.calibration
    return classifier
