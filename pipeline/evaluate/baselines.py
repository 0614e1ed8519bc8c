"""Baseline extractors that every evaluation report shows beside the model.

* ``rules``: MONEY/YEAR by the exact rules, ORG by suffix rules — a name is up
  to three pkuseg words ending in a word with an organization suffix.
* ``jieba``: jieba ``posseg`` words tagged ``nt`` (organization) as ORG, MONEY/YEAR
  by the same exact rules (jieba has no money/year tags).
"""

from __future__ import annotations

import re
from typing import Callable

from ..labels import ORG
from ..ner.rules import find_money_and_years

Span = tuple[int, int, str]

ORG_SUFFIX = re.compile(
    r"(有限公司|有限责任公司|股份公司|集团|公司|银行|大学|学院|研究院|研究所|研究中心|实验室|医院|协会|联盟|委员会|"
    r"经开区|经济开发区|高新区|开发区|产业园|工业园|科技园|园区|厅|局|中心)$"
)


def _rule_money_year(text: str) -> list[Span]:
    return [(e.start, e.end, e.label) for e in find_money_and_years(text)]


def _overlaps(span: Span, spans: list[Span]) -> bool:
    return any(span[0] < b and a < span[1] for a, b, _ in spans)


def rules_extractor(segment: Callable[[str], list[str]]) -> Callable[[str], list[Span]]:
    """Suffix-rule ORG + exact MONEY/YEAR; ``segment`` splits text into words."""

    def extract(text: str) -> list[Span]:
        spans = _rule_money_year(text)
        words, position = [], 0
        for word in segment(text):
            start = text.index(word, position)
            words.append((start, start + len(word), word))
            position = start + len(word)
        for i, (start, end, word) in enumerate(words):
            if ORG_SUFFIX.search(word) and len(word) >= 1:
                first = i
                while first > 0 and i - first < 3 and re.fullmatch(r"[\u4e00-\u9fffA-Za-z()（）·]+", words[first - 1][2]):
                    first -= 1
                span = (words[first][0], end, ORG)
                if span[1] - span[0] >= 3 and not _overlaps(span, spans):
                    spans.append(span)
        return sorted(spans)

    return extract


def jieba_extractor() -> Callable[[str], list[Span]]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)

    def extract(text: str) -> list[Span]:
        spans = _rule_money_year(text)
        position = 0
        for pair in jieba.posseg.cut(text):
            start = text.index(pair.word, position)
            position = start + len(pair.word)
            span = (start, position, ORG)
            if pair.flag == "nt" and not _overlaps(span, spans):
                spans.append(span)
        return sorted(spans)

    return extract
