"""Functional relations: an amount has one year, a year founds one organization.

The pairwise classifier scores each candidate alone, so two organizations of
one sentence can both be given the same founding year, or an amount two years.
In the gold (the seeds and the eight synthetic sets) some relation types are
(nearly) functional on one side: an amount has one IN_YEAR year (no exception
in 400 amounts), a year is the FOUNDED year of one organization (none in 179)
and an organization has one (1 exception in 178), an organization is PART_OF
one parent (none in 182) and LOCATED_IN one place (10 in 500), an amount is
invested, earned or received by one organization (31 in 803). Where the
classifier finds several, the best-scored one is kept; threshold selection at
training time applies the same rule (``training.choose_thresholds``).

Measured given gold entities, trained on the seeds + s1–s4: held-out s5–s8
micro F1 .734 → .757 (precision .702 → .772), seeds LODO .763 → .772.
"""

from __future__ import annotations

from typing import Hashable

from ..labels import FOUNDED, FUNDING, IN_YEAR, INVESTMENT, LOCATED_IN, NO_RELATION, PART_OF, REVENUE

#: (the side that has at most one partner, the relation types it applies to)
FUNCTIONAL: tuple[tuple[str, frozenset[str]], ...] = (
    ("head", frozenset({IN_YEAR})),
    ("tail", frozenset({FOUNDED})),
    ("head", frozenset({FOUNDED})),
    ("head", frozenset({PART_OF})),
    ("head", frozenset({LOCATED_IN})),
    ("tail", frozenset({INVESTMENT, REVENUE, FUNDING})),
)


def keep_best_of_functional(pairs: list[tuple[Hashable, Hashable]],
                            predictions: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """``predictions`` with only the best-scored relation kept where a type allows one partner.

    ``pairs`` are ``(head, tail)`` identities, one per prediction: entity indices of
    one document, or spans keyed by their document when pooling several.
    """
    predictions = list(predictions)
    for side, types in FUNCTIONAL:
        best: dict[Hashable, int] = {}
        for i, ((head, tail), (label, score)) in enumerate(zip(pairs, predictions)):
            if label in types:
                anchor = head if side == "head" else tail
                if anchor not in best or score > predictions[best[anchor]][1]:
                    best[anchor] = i
        keep = set(best.values())
        predictions = [(NO_RELATION, score) if label in types and i not in keep else (label, score)
                       for i, (label, score) in enumerate(predictions)]
    return predictions
