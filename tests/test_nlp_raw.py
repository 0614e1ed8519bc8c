"""`nlp(raw_text)` is the product: normalization inside the pipeline, one function from Doc to record."""

from __future__ import annotations

from pathlib import Path

import opencc
import spacy
from spacy.tokens import Doc

from zhnews.io.read import Document
from zhnews.io.records import doc_record
from zhnews.normalize import normalize
from zhnews.normalize.on_doc import normalized_text
from zhnews.run import process_document, process_documents

MODEL = Path(__file__).resolve().parent.parent / "models" / "zhnews-zh"
TRADITIONAL = opencc.OpenCC("s2t")


def _ents(doc):
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def test_nlp_of_raw_text_gives_the_run_record(committed_nlp, seed_paths):
    for path in seed_paths:
        raw = path.read_text(encoding="utf-8")
        record = process_document(Document(path.stem, str(path), raw=raw), committed_nlp)
        assert doc_record(committed_nlp(raw), path.stem, str(path)) == record


def test_a_seed_in_traditional_characters_gives_the_same_entities(committed_nlp, seed_paths):
    raw = seed_paths[1].read_text(encoding="utf-8")
    simplified, traditional = committed_nlp(raw), committed_nlp(TRADITIONAL.convert(raw))
    assert traditional.text == simplified.text == normalize(raw).text
    # the measurement: 38 entities from nlp(text) against 57 from zhnews run
    assert len(traditional.ents) >= 0.95 * len(simplified.ents)
    record = doc_record(traditional, "t", "t")
    raw_traditional = traditional._.raw_text
    for entity in record["entities"]:
        # offsets into the raw (traditional) text cover the same characters, converted
        assert TRADITIONAL.convert(entity["text"]) == raw_traditional[entity["raw_start"]:entity["raw_end"]] or \
            normalize(raw_traditional[entity["raw_start"]:entity["raw_end"]]).text == entity["text"]


def test_the_raw_map_survives_to_bytes(committed_nlp):
    raw = "常州高新區２０２４年實現地區生產總值1585.37億元。"
    doc = committed_nlp(raw)
    again = Doc(committed_nlp.vocab).from_bytes(doc.to_bytes())
    assert again._.raw_text == raw
    assert normalized_text(again).raw_span(0, len(again.text)) == (0, len(raw))
    assert doc_record(again, "a", "b") == doc_record(doc, "a", "b")


def test_normalization_can_be_switched_off(committed_nlp):
    nlp = spacy.load(MODEL, config={"nlp": {"tokenizer": {"normalize": False}}})
    doc = nlp("發展")
    assert doc.text == "發展" and doc._.raw_text is None
    assert normalized_text(doc).raw_span(0, 2) == (0, 2)


def test_batches_through_nlp_pipe_give_the_records_of_one_document_at_a_time(committed_nlp, seed_paths):
    docs = [Document(p.stem, str(p), raw=p.read_text(encoding="utf-8")[:900]) for p in seed_paths]
    one_by_one = [process_document(d, committed_nlp) for d in docs]
    assert list(process_documents(docs, committed_nlp, max_chars=2_000)) == one_by_one


def test_a_document_that_raises_in_a_batch_costs_only_its_own_record(committed_nlp, monkeypatch):
    docs = [Document(str(i), "<test>", raw=f"常州高新区{i}号企业获得资金600万元。") for i in range(4)]
    make_doc = committed_nlp.make_doc

    def failing(text):
        if "2号" in text:
            raise RuntimeError("broken document")
        return make_doc(text)

    monkeypatch.setattr(committed_nlp, "make_doc", failing)
    records = list(process_documents(docs, committed_nlp))
    assert [r["id"] for r in records] == ["0", "1", "2", "3"]
    assert "broken document" in records[2]["error"]
    assert all("error" not in r for i, r in enumerate(records) if i != 2)


def test_no_more_than_a_batch_of_characters_is_analysed_at_once(committed_nlp, seed_paths, monkeypatch):
    """Memory grows with the characters analysed at once: the pieces of a long document and short
    documents are grouped up to the batch size, never more (a piece longer than it goes alone)."""
    raw = seed_paths[0].read_text(encoding="utf-8")
    docs = [Document("long", "<test>", raw=raw * 3), *(Document(str(i), "<test>", raw="常州高新区获得资金600万元。") for i in range(5))]
    groups = []
    pipe = committed_nlp.pipe

    def recording(texts, **kwargs):
        texts = list(texts)
        groups.append(sum(map(len, texts)))
        return pipe(texts, **kwargs)

    monkeypatch.setattr(committed_nlp, "pipe", recording)
    records = list(process_documents(docs, committed_nlp, max_chars=3_000, batch_chars=1_000))
    assert [r["id"] for r in records] == ["long", "0", "1", "2", "3", "4"] and not any("error" in r for r in records)
    assert len(groups) >= 4 and all(size <= 3_000 for size in groups)
    assert groups[-1] <= 1_000  # the five short ones together
