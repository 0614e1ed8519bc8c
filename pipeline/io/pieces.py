"""Long documents in pieces: cut the raw text, analyse each piece, merge the records.

The pipeline's memory grows with the length of a document (the NER's features are held
for every character at once), so a document longer than ``max_chars`` is cut into pieces
of at most that many raw characters and each piece is analysed on its own. A cut falls,
by preference, on a line break after the end of a sentence (where normalization keeps a
paragraph break, so the merged text is the text a single pass would give), else after
the end of a sentence inside a line, else at ``max_chars``. The merged record has every
offset shifted to the whole document, entity ids renumbered and relations remapped; it
carries a ``pieces`` warning, because names found in one piece are not propagated to the
others (the document-consistency rules see one piece at a time).
"""

from __future__ import annotations

import re
from typing import Any

_SENTENCE_END = "。！？!?…”’」』）)】]》\"'"
_LINE_BREAK_AFTER_SENTENCE = re.compile(r"[%s][ \t\u3000]*\n\s*" % re.escape(_SENTENCE_END))
_SENTENCE_END_IN_LINE = re.compile(r"[。！？!?][”’」』]?")


def cut_points(raw: str, max_chars: int) -> list[tuple[int, int, str]]:
    """``(start, end, separator)`` of each piece: pieces cover ``raw`` but for the white space
    at a cut; ``separator`` is what the merged normalized text puts before the piece."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    pieces = []
    start, separator = 0, ""
    while len(raw) - start > max_chars:
        limit = start + max_chars
        window = raw[start:limit + 1]
        breaks = [m for m in _LINE_BREAK_AFTER_SENTENCE.finditer(window) if m.start() > 0]
        if breaks:
            last = breaks[-1]
            end, next_start, next_separator = start + last.start() + 1, start + last.end(), "\n"
        else:
            ends = [m for m in _SENTENCE_END_IN_LINE.finditer(raw, start, limit)]
            end = ends[-1].end() if ends else limit
            next_start, next_separator = end, ""
        pieces.append((start, end, separator))
        start, separator = next_start, next_separator
    pieces.append((start, len(raw), separator))
    return pieces


def merge_records(parts: list[tuple[int, str, dict[str, Any]]], doc_id: str, source: str, *, max_chars: int,
                  raw_length: int) -> dict[str, Any]:
    """One record from the records of the pieces: ``(raw_start, separator, record)`` each."""
    merged: dict[str, Any] = {"id": doc_id, "source": source, "text": "", "tokens": [], "sentences": [],
                              "entities": [], "relations": [], "warnings": []}
    for raw_base, separator, record in parts:
        if merged["text"] and record["text"]:
            merged["text"] += separator
        base = len(merged["text"])
        merged["text"] += record["text"]
        for key in ("tokens", "sentences"):
            merged[key].extend(_shift(item, base, raw_base) for item in record[key])
        first_id = len(merged["entities"])
        ids = {}
        for entity in record["entities"]:
            ids[entity["id"]] = first_id + len(ids)
            merged["entities"].append(_shift(entity, base, raw_base) | {"id": ids[entity["id"]]})
        merged["relations"].extend(
            relation | {"head": ids[relation["head"]], "tail": ids[relation["tail"]]} for relation in record["relations"]
        )
        merged["warnings"].extend(
            warning | {"raw_start": warning["raw_start"] + raw_base, "raw_end": warning["raw_end"] + raw_base}
            for warning in record["warnings"]
        )
    merged["warnings"].append({
        "code": "pieces",
        "message": f"analysed in {len(parts)} pieces of at most {max_chars:,} characters (--max-chars); "
                   "names found in one piece are not carried to the others",
        "raw_start": 0, "raw_end": raw_length,
    })
    return merged


def _shift(item: dict[str, Any], base: int, raw_base: int) -> dict[str, Any]:
    return item | {"start": item["start"] + base, "end": item["end"] + base,
                   "raw_start": item["raw_start"] + raw_base, "raw_end": item["raw_end"] + raw_base}
