"""Entity confidence: a calibrated probability per entity, on the Doc, in the records, in doccano's selection."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import spacy

from zhnews.gold.format import GoldEntity, GoldExample
from zhnews.gold.splits import load_split
from zhnews.ner.confidence import ConfidenceModelError, EntityConfidence

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "models" / "zhnews-zh"
TEXT = "常州西电变压器有限责任公司2023年投资3亿元，西电常变落户钟楼经开区。"


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(MODEL)


def test_every_entity_has_a_probability(nlp):
    doc = nlp(TEXT)
    assert doc.ents and len(doc._.ent_confidence) == len(doc.ents)
    assert all(0.0 <= p <= 1.0 for p in doc._.ent_confidence)


def test_the_confidence_survives_serialization(nlp, tmp_path):
    component = nlp.get_pipe("zhnews_entity_confidence")
    copy = EntityConfidence().from_bytes(component.to_bytes())
    component.to_disk(tmp_path / "c")
    again = EntityConfidence().from_disk(tmp_path / "c")
    doc = nlp(TEXT)
    features = __import__("zhnews.ner.confidence", fromlist=["doc_features"]).doc_features(doc)
    assert copy.scores(features) == again.scores(features) == doc._.ent_confidence


def test_a_damaged_confidence_model_is_refused(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(MODEL, copy)
    (copy / "zhnews_entity_confidence" / "model.npz").write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(ConfidenceModelError, match="not a valid"):
        EntityConfidence().from_disk(copy / "zhnews_entity_confidence")


def test_an_unfitted_component_leaves_no_score():
    nlp = spacy.blank("zh")
    component = nlp.add_pipe("zhnews_entity_confidence")
    doc = nlp.make_doc("比亚迪")
    assert component(doc)._.ent_confidence is None


def test_records_carry_the_confidence(nlp):
    from zhnews.io.records import doc_record

    record = doc_record(nlp(TEXT), "a", "<test>")
    assert record["entities"] and all(0.0 <= e["confidence"] <= 1.0 for e in record["entities"])


def test_fitting_on_a_split_gives_a_model_that_ranks_right_entities_higher(nlp):
    from zhnews.train import dev_output, fit_entity_confidence

    examples = load_split(REPO / "annotations" / "news" / "gold", "dev")[:120]
    output = dev_output(nlp, examples)
    model, info, out_of_fold = fit_entity_confidence(output, log=lambda m: None)
    assert info["entities"] > 100 and 0 < info["right"] < info["entities"]
    assert info["C"] in (0.1, 0.3, 1.0, 3.0) and info["cv_log_loss"] < 0.69  # better than a coin
    assert len(out_of_fold) == info["entities"]
    right = [p for p, r in zip(out_of_fold, output.right) if r]
    wrong = [p for p, r in zip(out_of_fold, output.right) if not r]
    assert sum(right) / len(right) > sum(wrong) / len(wrong)


def test_uncertain_entities_make_a_paragraph_worth_annotating():
    from zhnews.doccano.selection import certainty, least_certain

    sure = GoldExample(1, "比亚迪", [GoldEntity(1, "ORG", 0, 3)], [])
    unsure = GoldExample(2, "比亚迪", [GoldEntity(1, "ORG", 0, 3)], [])
    assert certainty(unsure, [0.55]) < certainty(sure, [0.97])
    assert least_certain([sure, unsure], [[0.97], [0.55]], 1) == [unsure]
