"""``zhnews_money_year``: MONEY and YEAR entities from exact rules (see ``rules.py``).

It runs after the statistical NER and owns these two labels: it removes any
MONEY/YEAR the model predicted and adds the rule spans. Where a rule span
overlaps an ORG, the ORG wins only if it contains the rule span entirely
(``2024福布斯…`` stays a YEAR, ``…2025年…有限公司`` stays one ORG).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from ..labels import MONEY, YEAR
from .rules import find_money_and_years

DEFAULT_CONFIG: dict = {}


@Language.factory("zhnews_money_year", default_config=DEFAULT_CONFIG, assigns=["doc.ents"], requires=["doc.ents"])
def make_money_year(nlp: Language, name: str) -> "MoneyYearRecognizer":
    return MoneyYearRecognizer(name)


class MoneyYearRecognizer:
    """Sets MONEY and YEAR entities by rule, keeping the other labels' entities."""

    labels = (MONEY, YEAR)

    def __init__(self, name: str = "zhnews_money_year"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        kept = [e for e in doc.ents if e.label_ not in self.labels]
        added = []
        for found in find_money_and_years(doc.text):
            span = doc.char_span(found.start, found.end, label=found.label)
            if span is None:  # not on token boundaries (word tokens); never with character tokens
                continue
            if any(e.start <= span.start and span.end <= e.end for e in kept):
                continue
            added.append(span)
        kept = [e for e in kept if not any(e.start < s.end and s.start < e.end for s in added)]
        doc.ents = filter_spans(kept + added)
        return doc
