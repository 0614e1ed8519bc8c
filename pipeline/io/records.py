"""Output records: one JSON object per document, in the shape other tools consume.

A record has ``id``, ``source``, ``text`` (normalized), ``tokens``, ``sentences``,
``entities``, ``relations`` and ``warnings``; a document that failed has
``error`` instead of the analysis. Every span carries offsets into the
normalized text (``start``/``end``) and into the raw input
(``raw_start``/``raw_end``: code points of the decoded file, after any
byte-order mark; for JSONL input, of the line's ``text``).
"""

from __future__ import annotations

import json
from typing import IO, Any

from ..ner.rules import entity_values
from ..normalize import NormalizedText
from ..normalize.on_doc import normalized_text
from ..segment.chars import words
from .read import Document, printable

def error_record(doc: Document, error: str | None = None) -> dict[str, Any]:
    return {"id": doc.id, "source": doc.source, "error": error or doc.error}


def doc_record(spacy_doc: Any, doc_id: str, source: str) -> dict[str, Any]:
    """The record of a ``Doc`` the pipeline made from raw text (``nlp(raw)``): normalized text,
    tokens, sentences, entities and relations, every span with normalized and raw offsets."""
    norm = normalized_text(spacy_doc)
    return {
        "id": doc_id,
        "source": source,
        "text": norm.text,
        "tokens": [_span(norm, a, b) | {"text": norm.text[a:b]} for a, b in words(spacy_doc)],
        "sentences": [_span(norm, a, b) | {"text": norm.text[a:b]} for a, b in norm.sentences()],
        "entities": entity_records(norm, spacy_doc),
        "relations": relation_records(spacy_doc),
        "warnings": [w.to_dict() for w in norm.warnings],
    }


def entity_records(norm: NormalizedText, spacy_doc: Any) -> list[dict[str, Any]]:
    records = []
    confidence = spacy_doc._.ent_confidence if spacy_doc.has_extension("ent_confidence") else None
    for i, ent in enumerate(spacy_doc.ents):
        record = {"id": i, "label": ent.label_, "text": ent.text}
        record |= _span(norm, ent.start_char, ent.end_char)
        record |= entity_values(ent.label_, ent.text)
        if confidence is not None:
            record["confidence"] = confidence[i]
        records.append(record)
    return records


def relation_records(spacy_doc: Any) -> list[dict[str, Any]]:
    if not spacy_doc.has_extension("relations"):
        return []
    return [dict(r) for r in (spacy_doc._.relations or [])]


def _span(norm: NormalizedText, start: int, end: int) -> dict[str, int]:
    raw_start, raw_end = norm.raw_span(start, end)
    return {"start": start, "end": end, "raw_start": raw_start, "raw_end": raw_end}


def write_record(stream: IO[str], record: dict[str, Any]) -> dict[str, Any]:
    """Write ``record`` as one JSON line and return it.

    A string that UTF-8 cannot encode (a lone surrogate from a JSON id or a file name)
    is written visibly escaped (``printable``) rather than failing the run; a record
    that still cannot be serialized is replaced by its error record, which is returned.
    """
    try:
        line = json.dumps(record, ensure_ascii=False)
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:
            record = _printable_strings(record)
            line = json.dumps(record, ensure_ascii=False)
    except (TypeError, ValueError) as err:
        record = {"id": printable(str(record.get("id"))), "source": printable(str(record.get("source"))),
                  "error": f"record could not be written: {type(err).__name__}: {err}"}
        line = json.dumps(record, ensure_ascii=False)
    stream.write(line + "\n")
    return record


def _printable_strings(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(str(k)): _printable_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable_strings(v) for v in value]
    return value
