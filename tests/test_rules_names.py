"""Document rules: repeated names, declared short names and the forms of a name (repeated_names, declared_short_names, name_forms)."""

from __future__ import annotations

from rule_docs import NO_LISTS, doc_with_orgs, without_rules
from zhnews.ner.consistency import short_forms, zone_short_forms


def test_repeated_names_and_short_forms_are_tagged():
    text = "天纳克(常州)减振系统有限公司获得资金。天纳克表示,天纳克减振系统将扩产。"
    nlp, doc = doc_with_orgs(text, ["天纳克(常州)减振系统有限公司"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["天纳克(常州)减振系统有限公司", "天纳克", "天纳克减振系统"]


def test_a_fragment_of_a_known_name_becomes_the_name():
    """东风|农机 (seed LODO error: the model stopped inside the short form of 常州东风农机集团有限公司,
    found earlier in the article): no gold ORG of the seeds and the synthetic sets lies strictly inside
    an occurrence of another ORG name (or short form) of its article. An entity that crosses the
    name's edge is left alone (农机的 is no fragment of 东风农机)."""
    text = "始建于1952年的常州东风农机集团有限公司通过零地增长。东风农机的蝶变;东风农机的车"
    nlp, doc = doc_with_orgs(text, ["常州东风农机集团有限公司"])
    first, second = text.index("东风农机的"), text.rindex("东风农机的")
    doc.ents = list(doc.ents) + [doc.char_span(first, first + 2, label="ORG"), doc.char_span(second + 2, second + 5, label="ORG")]
    doc = nlp.add_pipe("zhnews_org_consistency", config=without_rules(*NO_LISTS))(doc)
    assert [e.text for e in doc.ents] == ["常州东风农机集团有限公司", "东风农机", "农机的"]


def test_a_short_name_declared_after_an_org_is_an_org_and_found_again():
    """（以下简称“新锂能源”）: the 13 declarations in the gold of the synthetic sets all follow a gold ORG and
    declare a gold ORG; generic words declared so (“公司”, 高新区) are not names."""
    text = "近日，深圳新锂能源科技股份有限公司（以下简称“新锂能源”）在仲恺高新区投资。新锂能源表示"
    nlp, doc = doc_with_orgs(text, ["深圳新锂能源科技股份有限公司"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["深圳新锂能源科技股份有限公司", "新锂能源", "新锂能源"]
    for text, org in (("江苏华曜电气股份有限公司（以下简称“公司”）公告", "江苏华曜电气股份有限公司"),
                      ("东莞松山湖高新技术产业开发区（简称高新区）", "东莞松山湖高新技术产业开发区")):
        nlp, doc = doc_with_orgs(text, [org])
        assert [e.text for e in nlp.add_pipe("zhnews_org_consistency")(doc).ents] == [org]


def test_a_long_name_predicted_once_does_not_swallow_the_shorter_ones():
    """On unlabeled finance news (CCF-BDCI), 淳泰光电 grew into 淳泰光电光伏发电, predicted once: a name
    found in the article replaces an ORG inside it by three characters at most, unless it is a
    registered name (…有限公司)."""
    text = "选择淳泰光电光伏发电是首选。淳泰光电光伏发电做太阳能。常州东风农机集团有限公司;常州东风农机集团有限公司"
    nlp, doc = doc_with_orgs(text, ["淳泰光电光伏发电", "常州东风农机集团有限公司"])
    second, last = text.rindex("淳泰光电"), text.rindex("东风农机")
    doc.ents = sorted(list(doc.ents) + [doc.char_span(second, second + 4, label="ORG"), doc.char_span(last, last + 4, label="ORG")],
                      key=lambda e: e.start)
    doc = nlp.add_pipe("zhnews_org_consistency", config=without_rules(*NO_LISTS))(doc)
    assert [e.text for e in doc.ents] == ["淳泰光电光伏发电", "淳泰光电", "常州东风农机集团有限公司", "常州东风农机集团有限公司"]


def test_short_forms():
    assert short_forms("江苏腾奇电力科技股份有限公司") == {"腾奇电力科技", "腾奇科技", "江苏腾奇电力科技"}
    assert short_forms("江苏电力装备有限公司") == {"江苏电力装备"}
    assert short_forms("比亚迪") == set()


def test_zone_short_forms():
    assert zone_short_forms("钟楼经开区") == {"钟经开", "钟楼经开"}
    assert zone_short_forms("常州钟楼经济开发区") == {"钟经开", "钟楼经开"}
    assert zone_short_forms("常州高新区") == {"常高新", "常州高新"}
    assert zone_short_forms("钟楼区") == set()


def test_a_park_is_found_again_without_its_place():
    """常州数字经济产业园 → 数字经济产业园 (the guidelines' example), 常州高铁新城 → 高铁新城; never a bare
    type word (常州新城 → nothing, 新城 alone is generic)."""
    assert zone_short_forms("常州数字经济产业园") == {"数字经济产业园"}
    assert zone_short_forms("常州新城") == set()
    text = "常州数字经济产业园引育企业。行走在数字经济产业园的Hi街"
    nlp, doc = doc_with_orgs(text, ["常州数字经济产业园"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["常州数字经济产业园", "数字经济产业园"]


def test_a_zone_abbreviation_is_found_after_the_full_name():
    text = "钟楼经开区获评先进。钟经开还入选首批名单。"
    nlp, doc = doc_with_orgs(text, ["钟楼经开区"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["钟楼经开区", "钟经开"]
