"""Entity evaluation: any extractor against gold examples, strict and partial."""

from __future__ import annotations

from typing import Callable, Iterable

from ..gold.format import GoldExample
from ..gold.keys import entity_keys, example_key
from ..labels import ENTITY_LABELS
from ..scoring import EntityKey, score_partial, score_strict, scores_to_dict

Extractor = Callable[[str], list[tuple[int, int, str]]]


def predicted_keys(examples: Iterable[GoldExample], extract: Extractor) -> set[EntityKey]:
    keys = set()
    for example in examples:
        key = example_key(example)
        keys.update((key, start, end, label) for start, end, label in extract(example.text))
    return keys


def evaluate_entities(examples: list[GoldExample], predicted: set[EntityKey]) -> dict:
    """``{"strict": {label: prf}, "partial": {...}}`` as plain dicts."""
    gold = entity_keys(examples)
    return {
        "strict": scores_to_dict(score_strict(gold, predicted, labels=ENTITY_LABELS)),
        "partial": scores_to_dict(score_partial(gold, predicted, labels=ENTITY_LABELS)),
    }
