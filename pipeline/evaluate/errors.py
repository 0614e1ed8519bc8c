"""The model's entity errors on the gold, for the report's error gallery.

Each false positive (a predicted span the gold lacks, strict) and false negative
(a gold span the model missed) is kept with its example's text, so the report can
show it highlighted in its sentence. Plain data, so it goes into the JSON report.
"""

from __future__ import annotations

from ..gold.format import GoldExample
from ..gold.keys import entity_keys, example_key
from ..labels import ENTITY_LABELS, RELATION_TYPES, in_label_order
from ..scoring import EntityKey


def entity_errors(examples: list[GoldExample], predicted: set[EntityKey], *, context: int = 40) -> list[dict]:
    """One dict per FP and FN: kind, label, span text, the sentence window and the span's offsets in it."""
    gold = entity_keys(examples)
    by_key = {example_key(e): e for e in examples}
    errors = []
    for kind, keys in (("FP", predicted - gold), ("FN", gold - predicted)):
        for key, start, end, label in sorted(keys, key=lambda k: (str(k[0]), k[1], k[2], k[3])):
            example = by_key[key]
            left, right = _sentence_window(example.text, start, end, context)
            overlapping = sorted((s - left, e - left, lab) for k, s, e, lab in (gold if kind == "FP" else predicted)
                                 if k == key and s < end and start < e and (s, e, lab) != (start, end, label))
            errors.append({
                "kind": kind, "label": label, "text": example.text[start:end], "example": str(example.id),
                "doc_id": example.doc_id, "context": example.text[left:right], "start": start - left, "end": end - left,
                # what the other side has there (a boundary or label error rather than a pure miss)
                "other": [{"start": s, "end": e, "label": lab} for s, e, lab in overlapping
                          if 0 <= s and e <= right - left],
            })
    return errors


def _sentence_window(text: str, start: int, end: int, context: int) -> tuple[int, int]:
    """The sentence around ``[start, end)``, cut to ``context`` characters on each side."""
    left = max(0, start - context)
    for i in range(start - 1, left - 1, -1):
        if text[i] in "。！？；\n":
            left = i + 1
            break
    right = min(len(text), end + context)
    for i in range(end, right):
        if text[i] in "。！？；\n":
            right = i + 1
            break
    return left, right


ENTITY_ERROR_KINDS = ("boundary", "label", "spurious", "missing")
RELATION_ERROR_KINDS = ("entity wrong", "classifier wrong")


def entity_error_kinds(gold: set[EntityKey], predicted: set[EntityKey]) -> dict[str, dict[str, int]]:
    """Per label, the strict errors by kind (counts only, so they can be shown for test too).

    A false positive or false negative is a *boundary* error when a span of the same label on
    the other side overlaps it, a *label* error when only a span of another label does; else a
    false positive is *spurious* and a false negative *missing*. One boundary slip costs one FP
    and one FN, both counted here as boundary.
    """
    def overlapping(key: EntityKey, others: set[EntityKey]) -> set[str]:
        example, start, end, _label = key
        return {o[3] for o in others if o[0] == example and o[1] < end and start < o[2]}

    by_example_gold: dict = {}
    by_example_pred: dict = {}
    for key in gold:
        by_example_gold.setdefault(key[0], set()).add(key)
    for key in predicted:
        by_example_pred.setdefault(key[0], set()).add(key)
    counts: dict[str, dict[str, int]] = {}
    for side, keys, others_by_example, last in (("fp", predicted - gold, by_example_gold, "spurious"),
                                               ("fn", gold - predicted, by_example_pred, "missing")):
        for key in keys:
            labels = overlapping(key, others_by_example.get(key[0], set()))
            kind = "boundary" if key[3] in labels else "label" if labels else last
            row = counts.setdefault(key[3], {f"{s} {k}": 0 for s in ("fp", "fn") for k in ENTITY_ERROR_KINDS
                                              if (s, k) not in (("fp", "missing"), ("fn", "spurious"))})
            row[f"{side} {kind}"] += 1
    return in_label_order(counts, ENTITY_LABELS)


def relation_error_kinds(gold_relations: set, predicted_relations: set, gold_entities: set[EntityKey],
                         predicted_entities: set[EntityKey]) -> dict[str, dict[str, int]]:
    """End-to-end relation errors split by cause, per type (issue #22).

    A missed gold relation is *entity wrong* when the pipeline did not find its head or its tail
    exactly (span and label), else *classifier wrong*; a false relation is *entity wrong* when its
    head or tail is not a gold entity, else *classifier wrong* (two right entities, wrongly related).
    """
    def spans(entity_keys_: set[EntityKey]) -> set[tuple]:
        return {(k[0], (k[1], k[2])) for k in entity_keys_}

    gold_spans, predicted_spans = spans(gold_entities), spans(predicted_entities)
    counts: dict[str, dict[str, int]] = {}
    for side, keys, found in (("fn", gold_relations - predicted_relations, predicted_spans),
                              ("fp", predicted_relations - gold_relations, gold_spans)):
        for example, head, tail, relation_type in keys:
            cause = "classifier wrong" if (example, head) in found and (example, tail) in found else "entity wrong"
            row = counts.setdefault(relation_type, {f"{s} {k}": 0 for s in ("fn", "fp") for k in RELATION_ERROR_KINDS})
            row[f"{side} {cause}"] += 1
    return in_label_order(counts, RELATION_TYPES)
