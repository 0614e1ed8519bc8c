"""``--select uncertain N``: the paragraphs the model is least sure about.

The trained pipeline gives a calibrated probability per relation it keeps
(``doc._.relations[i]["score"]``) and per entity (``doc._.ent_confidence``). A paragraph's
certainty is its least certain entity or relation, ``|2·p − 1|`` (0 at a coin toss, 1 when
sure); a paragraph with entities but no score at all (a pipeline without entity confidence and
no kept relation) is scored by how many entity pairs were left unrelated (many candidates,
none confident → worth a look). Paragraphs with no entity are the most certain (nothing to
teach). Ties keep document order.
"""

from __future__ import annotations

from ..gold.format import GoldExample


def parse_select(strategy: str, n: int) -> int:
    if strategy != "uncertain" or n < 1:
        raise ValueError(f"--select takes `uncertain N` with N ≥ 1, not {strategy!r} {n}")
    return n


def certainty(example: GoldExample, scores: list[float]) -> float:
    """``scores``: the paragraph's relation scores and entity confidences."""
    if not example.entities:
        return 2.0
    if scores:
        return min(abs(2 * s - 1) for s in scores)
    pairs = len(example.entities) * (len(example.entities) - 1)
    return 1.0 + 1.0 / (1 + pairs)


def least_certain(examples: list[GoldExample], scores: list[list[float]], n: int) -> list[GoldExample]:
    """The ``n`` least certain of pre-annotated ``examples`` (scores from ``push.pre_annotate``), in input order."""
    scored = [(certainty(ex, s), i, ex) for i, (ex, s) in enumerate(zip(examples, scores))]
    chosen = sorted(scored, key=lambda t: (t[0], t[1]))[:n]
    return [example for _, _, example in sorted(chosen, key=lambda t: t[1])]
