"""Training data for the NER: gold and corpus sentences → spaCy ``DocBin`` files.

Reference docs are tokenized into characters (spaCy's plain ``char`` Chinese
tokenizer, which needs no segmenter); spaCy aligns them with the pipeline's own
character tokens. Only ORG is a label of the statistical NER (MONEY and YEAR
come from exact rules), so gold MONEY/YEAR spans are simply outside for it.
Corpus spans whose label is unknown, and every character of a weakly labelled
sentence outside its known names, are *missing* (no loss), not outside.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import spacy
from spacy.tokens import Doc, DocBin

from ..gold.format import GoldExample
from ..labels import ORG
from .corpora import CorpusSentence

_CHAR_NLP = None


def _char_nlp():
    global _CHAR_NLP
    if _CHAR_NLP is None:
        _CHAR_NLP = spacy.blank("zh")  # segmenter "char"
    return _CHAR_NLP


def _doc_with_orgs(text: str, orgs: Iterable[tuple[int, int]], missing: Iterable[tuple[int, int]] = (), *, partial: bool = False) -> Doc:
    doc = _char_nlp().make_doc(text)
    entities = [s for s in (doc.char_span(a, b, label=ORG) for a, b in orgs) if s is not None]
    missing_spans = [s for s in (doc.char_span(a, b) for a, b in missing) if s is not None]
    entities = spacy.util.filter_spans(entities)
    missing_spans = [m for m in missing_spans if not any(m.start < e.end and e.start < m.end for e in entities)]
    doc.set_ents(entities, missing=missing_spans, default="missing" if partial else "outside")
    return doc


def gold_doc(example: GoldExample) -> Doc:
    """The reference doc of a gold example: its ORG entities, everything else outside."""
    orgs = [(e.start, e.end) for e in example.entities if e.label == ORG]
    return _doc_with_orgs(example.text, orgs)


def silver_doc(example: GoldExample) -> Doc:
    """The reference doc of a silver example: its ORG spans, every other character *missing*.

    Silver is where two pipelines agree; a name both missed would be taught as "not a name" if
    the rest were outside, so only the names found are evidence.
    """
    orgs = [(e.start, e.end) for e in example.entities if e.label == ORG]
    return _doc_with_orgs(example.text, orgs, partial=True)


def corpus_doc(sentence: CorpusSentence) -> Doc:
    return _doc_with_orgs(sentence.text, sentence.orgs, sentence.missing, partial=sentence.partial)


def write_docbin(docs: Iterable[Doc], path: Path) -> int:
    bin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
    count = 0
    for doc in docs:
        bin.add(doc)
        count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    bin.to_disk(path)
    return count
