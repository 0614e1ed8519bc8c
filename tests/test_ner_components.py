"""The rule components around the NER: MONEY/YEAR rules, document consistency, lexicon features."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

import pipeline.components  # noqa: F401
from pipeline.ner.consistency import short_forms
from pipeline.ner.lexicon import suffix_kind


def _doc(text: str, orgs: list[str]):
    nlp = spacy.blank("zh")  # character tokens
    doc = nlp(text)
    doc.ents = [doc.char_span(text.index(o), text.index(o) + len(o), label="ORG") for o in orgs]
    return nlp, doc


def test_money_year_rules_own_their_labels_and_keep_org():
    nlp, doc = _doc("总投资超3亿元的西电常变项目于2024年开工,2024年度", ["西电常变"])
    doc.ents = list(doc.ents) + [Span(doc, 4, 6, label="MONEY")]  # a wrong model MONEY: replaced
    doc = nlp.add_pipe("zhnews_money_year")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("3亿元", "MONEY"), ("西电常变", "ORG"), ("2024年", "YEAR"), ("2024年", "YEAR")]


def test_repeated_names_and_short_forms_are_tagged():
    text = "天纳克(常州)减振系统有限公司获得资金。天纳克表示,天纳克减振系统将扩产。"
    nlp, doc = _doc(text, ["天纳克(常州)减振系统有限公司"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["天纳克(常州)减振系统有限公司", "天纳克", "天纳克减振系统"]


def test_enumeration_items_after_an_org_are_tagged():
    text = "引育微亿智造、网擎、立卓等一批数字经济企业"
    nlp, doc = _doc(text, ["微亿智造"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["微亿智造", "网擎", "立卓"]


def test_short_forms():
    assert short_forms("江苏腾奇电力科技股份有限公司") == {"腾奇电力科技", "腾奇科技", "江苏腾奇电力科技"}
    assert short_forms("江苏电力装备有限公司") == {"江苏电力装备"}
    assert short_forms("比亚迪") == set()


def test_suffix_kind():
    assert [suffix_kind(w) for w in ("有限公司", "工业园", "智造园", "园", "时代")] == [2, 2, 1, 0, 0]
