"""The document-consistency rules as data: registered by name, ordered and switched by the config,
each span marked with the rule that made it."""

from __future__ import annotations

import pytest
import spacy

import zhnews.components  # noqa: F401
from zhnews.ner.consistency import CANONICAL_ORDER, DEFAULT_NAME_FORMS, get_rule

TEXT = "天纳克(常州)减振系统有限公司获得资金。天纳克表示,天纳克减振系统将扩产。"


def _doc(nlp, text: str, orgs: list[str]):
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(o), text.index(o) + len(o), label="ORG") for o in orgs]
    return doc


def test_every_rule_is_registered_and_says_what_it_does():
    for name in dict.fromkeys(CANONICAL_ORDER):
        rule = get_rule(name)
        assert rule.__doc__ and len(rule.__doc__.strip()) > 20, name


def test_an_unknown_rule_is_a_clear_error():
    nlp = spacy.blank("zh")
    with pytest.raises(ValueError, match="unknown consistency rule 'no_such_rule'.*repeated_names"):
        nlp.add_pipe("zhnews_org_consistency", config={"rules": ["no_such_rule"]})


def test_each_span_names_the_rule_that_made_it():
    nlp = spacy.blank("zh")
    component = nlp.add_pipe("zhnews_org_consistency")
    doc = component(_doc(nlp, TEXT, ["天纳克(常州)减振系统有限公司"]))
    assert [(e.text, e.id_) for e in doc.ents] == [
        ("天纳克(常州)减振系统有限公司", ""),  # the model's (here: the test's) own
        ("天纳克", "repeated_names"), ("天纳克减振系统", "repeated_names")]


def test_the_config_switches_a_rule_and_a_name_form_alone():
    nlp = spacy.blank("zh")
    without_forms = nlp.add_pipe("zhnews_org_consistency", name="a", config={"name_forms": []})
    assert [e.text for e in without_forms(_doc(nlp, TEXT, ["天纳克(常州)减振系统有限公司"])).ents] == ["天纳克(常州)减振系统有限公司"]
    without_rule = nlp.add_pipe("zhnews_org_consistency", name="b",
                                config={"rules": [r for r in CANONICAL_ORDER if r != "repeated_names"]})
    assert [e.text for e in without_rule(_doc(nlp, TEXT, ["天纳克(常州)减振系统有限公司"])).ents] == ["天纳克(常州)减振系统有限公司"]
    assert list(DEFAULT_NAME_FORMS) == ["company_short_forms", "zone_short_forms"]


def test_the_rules_run_in_the_configured_order():
    # the model ran over a comma into a list of sectors: cut first, and the drop sees the cut name;
    # dropped first, the name with the comma is not a sector item and survives the cut
    text = "重点发展,合成生物、低空经济、工业母机等9个新质生产力"
    nlp = spacy.blank("zh")
    cut_then_drop = nlp.add_pipe("zhnews_org_consistency", name="a", config={"rules": ["cut_at_punctuation", "drop_non_orgs"]})
    drop_then_cut = nlp.add_pipe("zhnews_org_consistency", name="b", config={"rules": ["drop_non_orgs", "cut_at_punctuation"]})
    assert [e.text for e in cut_then_drop(_doc(nlp, text, ["发展,合成生物"])).ents] == []
    assert [e.text for e in drop_then_cut(_doc(nlp, text, ["发展,合成生物"])).ents] == ["合成生物"]


def test_the_committed_config_lists_its_rules_in_the_canonical_order():
    from zhnews.ner.consistency import rules_with
    from zhnews.evaluate.ablation import configured_rules
    from evaluation_runs import COMMITTED_MODEL

    rules, forms = configured_rules(COMMITTED_MODEL)
    assert all(get_rule(r) for r in rules) and forms
    canonical = list(CANONICAL_ORDER)
    for rule in dict.fromkeys(CANONICAL_ORDER):
        if rule == "drop_non_orgs":  # runs twice: put back, it comes once, first place
            assert rules_with([r for r in canonical if r != rule], rule)[canonical.index(rule)] == rule
            continue
        canonical_without = [r for r in canonical if r != rule]
        assert rules_with(canonical_without, rule) == canonical
