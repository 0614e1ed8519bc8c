"""Pipeline predictions on gold examples, run as whole articles and scored per example.

Gold examples are paragraphs, but ``zhnews run`` reads whole articles, and the
document-consistency rules (a name found once is found again, a full name
teaches its short form) work across the article. So the evaluation runs each
article once: its examples (same ``doc_id``, in raw-file order) joined by
``\\n`` — normalized text has exactly one ``\\n`` between paragraphs, and
sentences never cross it — and maps every predicted entity back to the
paragraph that holds it. ``by_article=False`` runs each paragraph alone (the
figure earlier evaluations reported).
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..gold.format import GoldExample
from ..gold.keys import example_key
from ..scoring import EntityKey, RelationKey


def group_articles(examples: Iterable[GoldExample]) -> list[list[GoldExample]]:
    """Examples grouped by article, in the order of the raw file; an example without a document stands alone."""
    groups: dict[object, list[GoldExample]] = {}
    for index, example in enumerate(examples):
        article = example.meta.get("doc_id") or example.meta.get("source")
        groups.setdefault(article or ("example", index), []).append(example)
    return [sorted(group, key=lambda e: (e.meta.get("raw_start") is None, e.meta.get("raw_start") or 0))
            for group in groups.values()]


def article_docs(nlp, examples: list[GoldExample], *, by_article: bool = True) -> Iterator[tuple[Any, list]]:
    """Each article of ``examples`` run as one text (its paragraphs joined by line breaks), as ``zhnews
    run`` does: ``(doc, located)``, where ``located[i]`` is ``(example key, (start, end))`` of
    ``doc.ents[i]`` in its paragraph, or None for an entity across a paragraph break."""
    units = group_articles(examples) if by_article else [[e] for e in examples]
    for unit in units:
        starts, position = [], 0
        for example in unit:
            starts.append(position)
            position += len(example.text) + 1
        doc = nlp("\n".join(e.text for e in unit))

        def locate(start: int, end: int):
            for example, offset in zip(unit, starts):
                if offset <= start and end <= offset + len(example.text):
                    return example_key(example), (start - offset, end - offset)
            return None  # across a paragraph break: no gold entity can match it

        yield doc, [locate(e.start_char, e.end_char) for e in doc.ents]


def predict(nlp, examples: list[GoldExample], *, by_article: bool = True,
            confidences: dict | None = None, fact_confidences: dict | None = None) -> tuple[set[EntityKey], set[RelationKey]]:
    """Predicted entity and relation keys of ``examples`` (offsets into each example's text);
    ``nlp`` is a pipeline or any function from a text to a ``Doc``. ``confidences``, if given, is
    filled with each predicted entity key's ``doc._.ent_confidence`` where the pipeline gives one,
    ``fact_confidences`` with each predicted relation key's ``confidence`` where it has one."""
    entities: set[EntityKey] = set()
    relations: set[RelationKey] = set()
    for doc, located in article_docs(nlp, examples, by_article=by_article):
        ents = list(doc.ents)
        entities |= {(where[0], *where[1], e.label_) for e, where in zip(ents, located) if where}
        scores = doc._.ent_confidence if confidences is not None and doc.has_extension("ent_confidence") else None
        if scores:
            confidences.update({(where[0], *where[1], e.label_): p for e, where, p in zip(ents, located, scores) if where})
        for relation in doc._.relations or []:
            head, tail = located[relation["head"]], located[relation["tail"]]
            if head and tail and head[0] == tail[0]:
                key = (head[0], head[1], tail[1], relation["type"])
                relations.add(key)
                if fact_confidences is not None and "confidence" in relation:
                    fact_confidences[key] = relation["confidence"]
    return entities, relations
