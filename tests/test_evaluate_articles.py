"""The evaluation runs whole articles (as ``zhnews run`` does) and scores per gold example."""

from __future__ import annotations

import spacy

import zhnews.components  # noqa: F401  (registers the components and doc._.relations)
from zhnews.evaluate.articles import group_articles, predict
from zhnews.gold.format import GoldExample
from zhnews.gold.keys import example_key

FULL = "天纳克(常州)减振系统有限公司"


def _example(number: int, text: str, raw_start: int | None, doc_id: str | None = "a") -> GoldExample:
    meta = {"source": f"seeds/{doc_id}.txt", "doc_id": doc_id, "raw_start": raw_start, "raw_end": None} if doc_id else {}
    return GoldExample(id=number, text=text, meta=meta)


def _nlp():
    nlp = spacy.blank("zh")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": FULL}])
    nlp.add_pipe("zhnews_org_consistency")
    return nlp


def test_examples_are_grouped_by_article_in_raw_order():
    second, first, alone = _example(1, "乙", 50), _example(2, "甲", 0), _example(3, "丙", None, doc_id=None)
    assert group_articles([second, first, alone]) == [[first, second], [alone]]


def test_entities_map_back_to_their_paragraph_and_consistency_works_across_paragraphs():
    first = _example(1, f"{FULL}落户钟楼经开区。", 0)
    second = _example(2, "今年,天纳克再投资。", 40)
    entities, relations = predict(_nlp(), [second, first])
    assert (example_key(first), 0, len(FULL), "ORG") in entities
    assert (example_key(second), 3, 6, "ORG") in entities  # the short form, taught by paragraph 1
    assert relations == set()
    alone, _ = predict(_nlp(), [second, first], by_article=False)
    assert (example_key(second), 3, 6, "ORG") not in alone
