"""The one scorer: precision, recall and F1 of entity spans and relations.

*Strict* matching counts a prediction as correct when its key (document,
start, end, label — for relations both spans and the type) equals a gold key.
*Partial* matching counts a predicted entity as correct when it overlaps a
still unmatched gold entity of the same label in the same example (each gold
entity is matched once, left to right), the usual "type match with overlap". ``reliability``
scores probabilities: how often a prediction scored p turned out right. ``bootstrap_interval``
says how far a strict F1 could move on another sample of documents like these.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Hashable, Iterable

import numpy as np

#: (example key, start, end, label)
EntityKey = tuple[Hashable, int, int, str]
#: (example key, (head start, head end), (tail start, tail end), type)
RelationKey = tuple[Hashable, tuple[int, int], tuple[int, int], str]

MICRO = "micro"


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, other: "PRF") -> "PRF":
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    def to_dict(self) -> dict[str, float | int]:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4), "f": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def score_strict(gold: Iterable[tuple], predicted: Iterable[tuple], *, labels: Iterable[str] = ()) -> dict[str, PRF]:
    """Per-label and micro P/R/F of exact key matches; the label is each key's last item."""
    gold_set, pred_set = set(gold), set(predicted)
    scores: dict[str, PRF] = defaultdict(PRF)
    for label in labels:
        scores[label] = PRF()
    for key in pred_set:
        scores[key[-1]].tp += key in gold_set
        scores[key[-1]].fp += key not in gold_set
    for key in gold_set - pred_set:
        scores[key[-1]].fn += 1
    return _with_micro(scores)


def score_partial(gold: Iterable[EntityKey], predicted: Iterable[EntityKey], *, labels: Iterable[str] = ()) -> dict[str, PRF]:
    """Per-label and micro P/R/F where same-label overlap counts as a match."""
    gold_by_example: dict[tuple, list[EntityKey]] = defaultdict(list)
    for key in sorted(set(gold), key=_order):
        gold_by_example[key[0], key[3]].append(key)
    scores: dict[str, PRF] = defaultdict(PRF)
    for label in labels:
        scores[label] = PRF()
    matched: set[EntityKey] = set()
    for key in sorted(set(predicted), key=_order):
        example, start, end, label = key
        hit = next((g for g in gold_by_example[example, label] if g not in matched and g[1] < end and start < g[2]), None)
        if hit is None:
            scores[label].fp += 1
        else:
            matched.add(hit)
            scores[label].tp += 1
    for keys in gold_by_example.values():
        for g in keys:
            if g not in matched:
                scores[g[3]].fn += 1
    return _with_micro(scores)


def _order(key: EntityKey) -> tuple:
    return (str(key[0]), key[1], key[2], key[3])


def _with_micro(scores: dict[str, PRF]) -> dict[str, PRF]:
    micro = PRF()
    for prf in scores.values():
        micro += prf
    result = dict(sorted(scores.items()))
    result[MICRO] = micro
    return result


def scores_to_dict(scores: dict[str, PRF]) -> dict[str, dict]:
    return {label: prf.to_dict() for label, prf in scores.items()}


def reliability(scored: list[tuple[float, bool]], bins: int = 10) -> dict:
    """Reliability of scores: per bin of the score, how many, the mean score and how many were right;
    and the expected calibration error (the bins' |accuracy - mean score|, weighted by size)."""
    rows = []
    total = len(scored)
    error = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [(s, r) for s, r in scored if low <= s < high or (b == bins - 1 and s == 1.0)]
        if not members:
            continue
        mean = sum(s for s, _ in members) / len(members)
        accuracy = sum(r for _, r in members) / len(members)
        error += len(members) / total * abs(accuracy - mean)
        rows.append({"bin": f"{low:.1f}-{high:.1f}", "n": len(members), "mean_score": round(mean, 3),
                     "accuracy": round(accuracy, 3)})
    return {"bins": rows, "ece": round(error, 4) if total else None, "n": total}


def document_counts(gold: set[tuple], predicted: set[tuple], document_of: dict[Hashable, int], documents: int,
                    *, label: str | None = None) -> np.ndarray:
    """True positives, false positives and false negatives of strict matching per document, as a
    ``(3, documents)`` array; a key's document is ``document_of[key[0]]`` (its example key's), and
    ``label`` keeps only the keys of that label."""
    counts = np.zeros((3, documents))
    if label is not None:
        gold = {k for k in gold if k[-1] == label}
        predicted = {k for k in predicted if k[-1] == label}
    for key in predicted:
        counts[0 if key in gold else 1, document_of[key[0]]] += 1
    for key in gold - predicted:
        counts[2, document_of[key[0]]] += 1
    return counts


def bootstrap_weights(documents: int, resamples: int, seed: int = 0) -> np.ndarray:
    """``(1 + resamples, documents)``: row 0 weighs every document once (the sample itself), each
    other row counts how often a resample drawn with replacement took each document."""
    draws = np.random.default_rng(seed).integers(0, documents, (resamples, documents))
    return np.vstack([np.ones(documents)] + [np.bincount(row, minlength=documents) for row in draws])


def weighted_f1(counts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Micro F1 under each row of ``weights`` (``bootstrap_weights``) of per-document ``counts``."""
    tp, fp, fn = (weights @ counts.T).T
    denominator = 2 * tp + fp + fn
    return np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=denominator > 0)


def bootstrap_interval(gold: set[tuple], predicted: set[tuple], document_of: dict[Hashable, int], documents: int, *,
                       label: str | None = None, resamples: int = 1000, level: float = 0.95, seed: int = 0) -> tuple[float, float]:
    """The ``level`` percentile interval of strict F1 over ``resamples`` bootstrap resamples of the
    documents: errors cluster in documents (one writer, one table), so documents are the unit drawn."""
    f1 = weighted_f1(document_counts(gold, predicted, document_of, documents, label=label),
                     bootstrap_weights(documents, resamples, seed))[1:]
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(f1, [tail, 100 - tail])
    return round(float(low), 4), round(float(high), 4)
