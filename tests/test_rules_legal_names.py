"""Document rules: registered company names the model missed (legal_names)."""

from __future__ import annotations

from rule_docs import doc_with_orgs


def test_registered_company_names_the_model_missed_are_added():
    text = "钟楼区江苏电力装备有限公司、常州市英中电气有限公司等5家企业入围,由南康区城市建设投资集团有限公司投资。"
    nlp, doc = doc_with_orgs(text, ["江苏电力装备有限公司"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    # the clause after "，由" is not a name; the registered name after 、 is
    assert [e.text for e in doc.ents] == ["江苏电力装备有限公司", "常州市英中电气有限公司"]
