"""Document rules: enumerations (cued_lists, enumerations, complete_list_items)."""

from __future__ import annotations

from rule_docs import doc_with_orgs, without_rules


def test_enumeration_items_after_an_org_are_tagged():
    text = "伟创、瀚维阀门、主线科技等项目相继落地"
    nlp, doc = doc_with_orgs(text, ["伟创"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["伟创", "瀚维阀门", "主线科技"]


def test_the_last_item_before_a_distributing_adverb_is_tagged():
    """伟创、瀚维阀门、主线科技|相继落地 (seed LODO error), A、B也分别获得: the 8 such items after an ORG
    item in the gold of the seeds and the synthetic sets are all ORG. A list closed by a comma stays
    open (its last item's end cannot be told)."""
    text = "伟创、瀚维阀门、主线科技相继落地;中北大学、山西大学也分别与园区合作;华辉显示、康锐玻璃获得补助,"
    nlp, doc = doc_with_orgs(text, ["伟创", "中北大学", "华辉显示"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["伟创", "瀚维阀门", "主线科技", "中北大学", "山西大学", "华辉显示"]


def test_an_enumeration_the_text_calls_companies_is_tagged_with_its_own_boundaries():
    text = "以比亚迪、北汽重卡等整车企业为引领,引育微亿智造、网擎、立卓等一批数字经济企业"
    nlp, doc = doc_with_orgs(text, ["北汽"])  # the model stopped inside 北汽重卡
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["比亚迪", "北汽重卡", "微亿智造", "网擎", "立卓"]


def test_two_cued_enumerations_in_a_row_do_not_share_items():
    """Regression (a crash, E1010, on unlabeled finance news): the second list's items were read back
    across the first list's 等, so the two lists tagged overlapping spans."""
    text = "来自商务部等相关部委，中国科学院、北京邮电大学等科研院所以及中国风险投资有限公司等投资机构、金融企业代表"
    nlp, doc = doc_with_orgs(text, [])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["中国科学院", "北京邮电大学", "中国风险投资有限公司"]


def test_enumerations_of_places_and_sectors_are_not_organizations():
    for text in ("与上海、苏州等地12家企业达成合作", "集聚新能源汽车、氢能等领域企业140余家", "用地、人才、融资等方面支持企业"):
        nlp, doc = doc_with_orgs(text, [])
        assert list(nlp.add_pipe("zhnews_org_consistency")(doc).ents) == [], text


def test_an_org_cut_short_inside_a_list_item_covers_the_item():
    text = "麦当劳、必胜客、迎桂、霸王茶姬、罗森……会见了市委副书记、南通市委常委、区委书记"
    nlp, doc = doc_with_orgs(text, ["霸王", "南通市委"])
    doc = nlp.add_pipe("zhnews_org_consistency", config=without_rules("declared_short_names", name_forms=False))(doc)
    names = [e.text for e in doc.ents]
    assert "霸王茶姬" in names and "霸王" not in names
    assert "南通市委" in names  # a title after the body is not part of its name
