"""The one scorer: precision, recall and F1 of entity spans and relations.

*Strict* matching counts a prediction as correct when its key (document,
start, end, label — for relations both spans and the type) equals a gold key.
*Partial* matching counts a predicted entity as correct when it overlaps a
still unmatched gold entity of the same label in the same example (each gold
entity is matched once, left to right), the usual "type match with overlap". ``reliability``
scores probabilities: how often a prediction scored p turned out right.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Hashable, Iterable

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
