"""scripts/pretrain_tok2vec.py: the masking hides what would give a character away, and the weights
it writes load into the trained pipeline's tok2vec (what ``zhnews train --init-tok2vec`` does)."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path

import pytest
import spacy

import zhnews.components  # noqa: F401
from zhnews.segment.chars import word_spans

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "models" / "zhnews-zh"
SCRIPT = REPO / "scripts" / "pretrain_tok2vec.py"
_spec = importlib.util.spec_from_file_location("pretrain_tok2vec", SCRIPT)
pretrain = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pretrain)


def test_a_masked_character_loses_its_word_but_keeps_its_position():
    nlp = spacy.load(MODEL, exclude=["ner", "relation_extractor", "zhnews_entity_confidence"])
    doc = nlp.get_pipe("zhnews_lexicon")(nlp.make_doc("常州高新区今年实现地区生产总值385亿元。"))
    masked, hidden = pretrain.masked_doc(doc, random.Random(3), ["甲", "乙"], rate=0.3)
    assert hidden and len(masked) == len(doc)
    for i in hidden:
        assert masked[i].tag_ == doc[i].tag_
        start, end = next(span for span in word_spans(doc) if span[0] <= i < span[1])  # one token per character
        assert all(masked[j].lemma_ == pretrain.MASK for j in range(start, end))
    untouched = [i for i in range(len(doc)) if all(not (s <= i < e) for s, e in
                 word_spans(doc) if any(s <= h < e for h in hidden))]
    assert untouched and all(masked[i].text == doc[i].text and masked[i].lemma_ == doc[i].lemma_ for i in untouched)


@pytest.mark.slow
def test_pretrained_weights_load_into_the_pipelines_tok2vec(tmp_path):
    text = tmp_path / "text.jsonl"
    paragraphs = ["常州高新区今年实现地区生产总值385亿元，同比增长6%。", "比亚迪常州基地年产值突破100亿元。"] * 10
    text.write_text("".join(json.dumps({"text": p}, ensure_ascii=False) + "\n" for p in paragraphs), encoding="utf-8")
    out, again = tmp_path / "tok2vec.bin", tmp_path / "again.bin"
    # the committed pipeline holds the vectors it was trained with: pretrain against the same
    for path in (out, again):
        assert pretrain.main(["--text", str(text), "--vectors", str(MODEL), "--out", str(path), "--max-steps", "3",
                              "--batch-chars", "60"]) == 0
    info = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert info["steps"] == 3 and info["hidden_chars"] > 0
    assert out.read_bytes() == again.read_bytes(), "pretraining is deterministic for a seed and a number of steps"
    nlp = spacy.load(MODEL)
    nlp.get_pipe("tok2vec").model.from_bytes(out.read_bytes())  # raises on any shape mismatch


def test_training_refuses_pretrained_weights_without_their_vectors(tmp_path):
    from zhnews.train import TrainSettings, check_init_tok2vec, pretraining_section, vectors_sha256

    weights = tmp_path / "tok2vec.bin"
    weights.write_bytes(b"weights")
    settings = TrainSettings(gold=tmp_path, output=tmp_path / "out", init_tok2vec=weights)
    with pytest.raises(ValueError, match="needs --vectors"):
        check_init_tok2vec(settings)
    weights.with_suffix(".json").write_text(json.dumps({"vectors_sha256": "0" * 64}), encoding="utf-8")
    settings.vectors = MODEL
    with pytest.raises(ValueError, match="other vectors"):
        check_init_tok2vec(settings)
    weights.with_suffix(".json").write_text(json.dumps({"vectors_sha256": vectors_sha256(MODEL)}), encoding="utf-8")
    check_init_tok2vec(settings)
    settings.init_tok2vec = tmp_path / "missing.bin"
    with pytest.raises(FileNotFoundError):
        check_init_tok2vec(settings)
    assert pretraining_section()["component"] == "tok2vec" and pretraining_section()["layer"] == ""
