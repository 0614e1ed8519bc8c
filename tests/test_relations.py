"""Relation candidates, features, classifier persistence and the facts table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import spacy

from pipeline.gold import load_gold
from pipeline.relations.candidates import Entity, candidate_pairs
from pipeline.relations.classifier import RelationModelError
from pipeline.relations.training import candidate_recall

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "models" / "zhnews-zh"


def test_candidate_recall_is_complete_on_the_gold():
    found, total = candidate_recall(load_gold(REPO / "annotations" / "gold"))
    assert total >= 50 and found == total


def test_candidates_respect_sentences_and_signatures():
    text = "西电常变投资3亿元。2024年,微亿智造落户钟楼经开区。"
    entities = [Entity(0, 4, "ORG"), Entity(6, 9, "MONEY"), Entity(10, 15, "YEAR"), Entity(16, 20, "ORG"), Entity(22, 27, "ORG")]
    pairs = {(p.head, p.tail) for p in candidate_pairs(text, entities)}
    assert pairs == {(0, 1), (3, 2), (4, 2), (3, 4), (4, 3)}


def test_same_name_is_never_related_to_itself():
    text = "钟楼经开区位于钟楼经开区。"
    assert candidate_pairs(text, [Entity(0, 5, "ORG"), Entity(7, 12, "ORG")]) == []


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(MODEL)


def test_relations_are_on_the_doc(nlp):
    doc = nlp("总投资超3亿元的西电常变特高压变压器项目正式开工。")
    assert isinstance(doc._.relations, list)
    for r in doc._.relations:
        assert {"head", "tail", "type", "score"} <= set(r) and 0 <= r["head"] < len(doc.ents)


def test_tampered_relation_model_fails_cleanly(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(MODEL, copy)
    files = sorted((copy / "relation_extractor" / "model").glob("*.skops"))
    assert files, "the committed pipeline has a trained relation model"
    files[0].write_bytes(b"PK\x03\x04 this is not a skops file" + files[0].read_bytes()[:100])
    with pytest.raises(RelationModelError, match="not a valid relation model"):
        spacy.load(copy)
