"""The model's entity errors on the gold, for the report's error gallery.

Each false positive (a predicted span the gold lacks, strict) and false negative
(a gold span the model missed) is kept with its example's text, so the report can
show it highlighted in its sentence. Plain data, so it goes into the JSON report.
"""

from __future__ import annotations

from ..gold.format import GoldExample
from ..gold.keys import entity_keys, example_key
from .scorer import EntityKey


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
