"""Helpers of the document-rule tests (tests/test_rules_*.py): a Doc with ORG entities set by
hand, and the consistency component's config without some rules."""

from __future__ import annotations

import spacy

import zhnews.components  # noqa: F401  (registers the components)
from zhnews.ner.consistency import CANONICAL_ORDER

NO_LISTS = ("enumerations", "complete_list_items", "cued_lists")


def without_rules(*rules: str, name_forms: bool = True) -> dict:
    """The consistency component's config with ``rules`` left out (all the others in order)."""
    config: dict = {"rules": [r for r in CANONICAL_ORDER if r not in rules]}
    if not name_forms:
        config["name_forms"] = []
    return config


def doc_with_orgs(text: str, orgs: list[str]):
    """A blank pipeline (character tokens) and a Doc of ``text`` whose ORG entities are ``orgs``."""
    nlp = spacy.blank("zh")
    doc = nlp(text)
    doc.ents = [doc.char_span(text.index(o), text.index(o) + len(o), label="ORG") for o in orgs]
    return nlp, doc
