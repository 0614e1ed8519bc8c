"""Paragraph and sentence boundaries of normalized text.

The schema (v1.1, "Clarifications") says sentences end at ``。！？!?`` and at line
breaks, not at ``；`` or ``，``. Closing quotes and brackets that follow the final
punctuation stay with the sentence they close. Normalized text has exactly one
``\\n`` between paragraphs, so paragraphs are its lines.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)\]】\"']*")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every non-empty line of ``text``."""
    spans = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            spans.append((start, end))
        start = end + 1
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every sentence of ``text``, without surrounding spaces."""
    spans = []
    for p_start, p_end in paragraph_spans(text):
        start = p_start
        for match in _SENTENCE_END.finditer(text, p_start, p_end):
            _append_stripped(text, start, match.end(), spans)
            start = match.end()
        _append_stripped(text, start, p_end, spans)
    return spans


def _append_stripped(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
