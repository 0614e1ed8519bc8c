"""``--select uncertain N``: the paragraphs the model is least sure about.

The trained pipeline gives a probability per relation candidate it keeps
(``doc._.relations[i]["score"]``); entities carry no score. A paragraph's certainty is
its least certain relation, ``|2·score − 1|`` (0 at a coin toss, 1 when sure); a paragraph
with entities but no kept relation is scored by how many entity pairs were left
unrelated (many candidates, none confident → worth a look). Paragraphs with no entity
are the most certain (nothing to teach). Ties keep document order.
"""

from __future__ import annotations

from ..gold.format import GoldExample


def parse_select(strategy: str, n: int) -> int:
    if strategy != "uncertain" or n < 1:
        raise ValueError(f"--select takes `uncertain N` with N ≥ 1, not {strategy!r} {n}")
    return n


def certainty(example: GoldExample, relation_scores: list[float]) -> float:
    if not example.entities:
        return 2.0
    if relation_scores:
        return min(abs(2 * s - 1) for s in relation_scores)
    pairs = len(example.entities) * (len(example.entities) - 1)
    return 1.0 + 1.0 / (1 + pairs)


def least_certain(examples: list[GoldExample], relation_scores: list[list[float]], n: int) -> list[GoldExample]:
    """The ``n`` least certain of pre-annotated ``examples`` (scores from ``push.pre_annotate``), in input order."""
    scored = [(certainty(ex, scores), i, ex) for i, (ex, scores) in enumerate(zip(examples, relation_scores))]
    chosen = sorted(scored, key=lambda t: (t[0], t[1]))[:n]
    return [example for _, _, example in sorted(chosen, key=lambda t: t[1])]
