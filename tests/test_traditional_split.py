"""The evaluation's traditional-character copy of a split scores what the simplified split scores."""

from __future__ import annotations

from pathlib import Path

import spacy

from zhnews.evaluate.articles import predict
from zhnews.evaluate.splits import predict_traditional
from zhnews.gold.splits import load_split

REPO = Path(__file__).resolve().parent.parent


def test_a_traditional_copy_finds_the_same_entities_and_relations():
    nlp = spacy.load(REPO / "models" / "zhnews-zh")
    examples = load_split(REPO / "annotations" / "news" / "gold", "dev")[:40]
    entities, relations = predict(nlp, examples)
    traditional_entities, traditional_relations, changed = predict_traditional(nlp, examples)
    assert changed > 0, "the conversion changed no text: nothing was tested"
    assert traditional_entities == entities and traditional_relations == relations
