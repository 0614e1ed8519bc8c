"""The rule components around the NER: MONEY/YEAR rules, document consistency, lexicon features."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

from pathlib import Path

import zhnews.components  # noqa: F401
from zhnews.ner.consistency import CANONICAL_ORDER, short_forms, zone_short_forms
from zhnews.ner.lexicon import suffix_kind

REPO = Path(__file__).resolve().parent.parent


def _without(*rules: str, name_forms: bool = True) -> dict:
    """The consistency component's config with ``rules`` left out (all the others in order)."""
    config: dict = {"rules": [r for r in CANONICAL_ORDER if r not in rules]}
    if not name_forms:
        config["name_forms"] = []
    return config


NO_LISTS = ("enumerations", "complete_list_items", "cued_lists")


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


def test_a_fragment_of_a_known_name_becomes_the_name():
    """东风|农机 (seed LODO error: the model stopped inside the short form of 常州东风农机集团有限公司,
    found earlier in the article): no gold ORG of the seeds and the synthetic sets lies strictly inside
    an occurrence of another ORG name (or short form) of its article. An entity that crosses the
    name's edge is left alone (农机的 is no fragment of 东风农机)."""
    text = "始建于1952年的常州东风农机集团有限公司通过零地增长。东风农机的蝶变;东风农机的车"
    nlp, doc = _doc(text, ["常州东风农机集团有限公司"])
    first, second = text.index("东风农机的"), text.rindex("东风农机的")
    doc.ents = list(doc.ents) + [doc.char_span(first, first + 2, label="ORG"), doc.char_span(second + 2, second + 5, label="ORG")]
    doc = nlp.add_pipe("zhnews_org_consistency", config=_without(*NO_LISTS))(doc)
    assert [e.text for e in doc.ents] == ["常州东风农机集团有限公司", "东风农机", "农机的"]


def test_a_short_name_declared_after_an_org_is_an_org_and_found_again():
    """（以下简称“新锂能源”）: the 13 declarations in the gold of the synthetic sets all follow a gold ORG and
    declare a gold ORG; generic words declared so (“公司”, 高新区) are not names."""
    text = "近日，深圳新锂能源科技股份有限公司（以下简称“新锂能源”）在仲恺高新区投资。新锂能源表示"
    nlp, doc = _doc(text, ["深圳新锂能源科技股份有限公司"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["深圳新锂能源科技股份有限公司", "新锂能源", "新锂能源"]
    for text, org in (("江苏华曜电气股份有限公司（以下简称“公司”）公告", "江苏华曜电气股份有限公司"),
                      ("东莞松山湖高新技术产业开发区（简称高新区）", "东莞松山湖高新技术产业开发区")):
        nlp, doc = _doc(text, [org])
        assert [e.text for e in nlp.add_pipe("zhnews_org_consistency")(doc).ents] == [org]


def test_a_long_name_predicted_once_does_not_swallow_the_shorter_ones():
    """On unlabeled finance news (CCF-BDCI), 淳泰光电 grew into 淳泰光电光伏发电, predicted once: a name
    found in the article replaces an ORG inside it by three characters at most, unless it is a
    registered name (…有限公司)."""
    text = "选择淳泰光电光伏发电是首选。淳泰光电光伏发电做太阳能。常州东风农机集团有限公司;常州东风农机集团有限公司"
    nlp, doc = _doc(text, ["淳泰光电光伏发电", "常州东风农机集团有限公司"])
    second, last = text.rindex("淳泰光电"), text.rindex("东风农机")
    doc.ents = sorted(list(doc.ents) + [doc.char_span(second, second + 4, label="ORG"), doc.char_span(last, last + 4, label="ORG")],
                      key=lambda e: e.start)
    doc = nlp.add_pipe("zhnews_org_consistency", config=_without(*NO_LISTS))(doc)
    assert [e.text for e in doc.ents] == ["淳泰光电光伏发电", "淳泰光电", "常州东风农机集团有限公司", "常州东风农机集团有限公司"]


def test_enumeration_items_after_an_org_are_tagged():
    text = "伟创、瀚维阀门、主线科技等项目相继落地"
    nlp, doc = _doc(text, ["伟创"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["伟创", "瀚维阀门", "主线科技"]


def test_the_last_item_before_a_distributing_adverb_is_tagged():
    """伟创、瀚维阀门、主线科技|相继落地 (seed LODO error), A、B也分别获得: the 8 such items after an ORG
    item in the gold of the seeds and the synthetic sets are all ORG. A list closed by a comma stays
    open (its last item's end cannot be told)."""
    text = "伟创、瀚维阀门、主线科技相继落地;中北大学、山西大学也分别与园区合作;华辉显示、康锐玻璃获得补助,"
    nlp, doc = _doc(text, ["伟创", "中北大学", "华辉显示"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["伟创", "瀚维阀门", "主线科技", "中北大学", "山西大学", "华辉显示"]


def test_an_enumeration_the_text_calls_companies_is_tagged_with_its_own_boundaries():
    text = "以比亚迪、北汽重卡等整车企业为引领,引育微亿智造、网擎、立卓等一批数字经济企业"
    nlp, doc = _doc(text, ["北汽"])  # the model stopped inside 北汽重卡
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["比亚迪", "北汽重卡", "微亿智造", "网擎", "立卓"]


def test_two_cued_enumerations_in_a_row_do_not_share_items():
    """Regression (a crash, E1010, on unlabeled finance news): the second list's items were read back
    across the first list's 等, so the two lists tagged overlapping spans."""
    text = "来自商务部等相关部委，中国科学院、北京邮电大学等科研院所以及中国风险投资有限公司等投资机构、金融企业代表"
    nlp, doc = _doc(text, [])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["中国科学院", "北京邮电大学", "中国风险投资有限公司"]


def test_enumerations_of_places_and_sectors_are_not_organizations():
    for text in ("与上海、苏州等地12家企业达成合作", "集聚新能源汽车、氢能等领域企业140余家", "用地、人才、融资等方面支持企业"):
        nlp, doc = _doc(text, [])
        assert list(nlp.add_pipe("zhnews_org_consistency")(doc).ents) == [], text


def test_an_org_never_spans_clause_punctuation():
    text = "“数字浪潮”中,钟楼经开区正激流勇进"
    nlp, doc = _doc(text, ["中,钟楼经开区"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["钟楼经开区"]


def test_short_forms():
    assert short_forms("江苏腾奇电力科技股份有限公司") == {"腾奇电力科技", "腾奇科技", "江苏腾奇电力科技"}
    assert short_forms("江苏电力装备有限公司") == {"江苏电力装备"}
    assert short_forms("比亚迪") == set()


def test_suffix_kind():
    assert [suffix_kind(w) for w in ("有限公司", "工业园", "智造园", "园", "时代")] == [2, 2, 1, 0, 0]


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
    nlp, doc = _doc(text, ["常州数字经济产业园"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["常州数字经济产业园", "数字经济产业园"]


def test_a_zone_abbreviation_is_found_after_the_full_name():
    text = "钟楼经开区获评先进。钟经开还入选首批名单。"
    nlp, doc = _doc(text, ["钟楼经开区"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["钟楼经开区", "钟经开"]


def test_an_org_starting_inside_a_word_starts_with_the_word():
    from zhnews.segment.chars import char_doc

    nlp = spacy.blank("zh")
    text = "增长14.77%、奥立斯特微电机净利润增长"
    doc = char_doc(nlp.vocab, text, ["增长", "14.77", "%", "、", "奥立斯特", "微电机", "净利润", "增长"])
    start = text.index("斯特")
    doc.ents = [doc.char_span(start, start + len("斯特微电机"), label="ORG")]  # the model missed 奥立
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["奥立斯特微电机"]


def test_touching_orgs_are_one_name():
    text = "近日,中海油常州环保涂料有限公司成功入选"
    nlp, doc = _doc(text, ["中海油", "常州环保涂料有限公司"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["中海油常州环保涂料有限公司"]


def test_sectors_and_bare_places_predicted_as_org_are_removed():
    text = "合成生物、低空经济、工业母机等9个新质生产力产业;放眼江苏,钟楼经开区成为标杆;消费、民生、治理等各领域"
    nlp, doc = _doc(text, ["低空经济", "江苏", "钟楼经开区", "民生"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["钟楼经开区"]
    nlp, doc = _doc(text, ["低空经济", "江苏", "钟楼经开区", "民生"])
    kept = nlp.add_pipe("zhnews_org_consistency", config=_without("drop_non_orgs"))(doc)
    assert "低空经济" in [e.text for e in kept.ents]  # the rule, not something else, removed them


def test_registered_company_names_the_model_missed_are_added():
    text = "钟楼区江苏电力装备有限公司、常州市英中电气有限公司等5家企业入围,由南康区城市建设投资集团有限公司投资。"
    nlp, doc = _doc(text, ["江苏电力装备有限公司"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    # the clause after "，由" is not a name; the registered name after 、 is
    assert [e.text for e in doc.ents] == ["江苏电力装备有限公司", "常州市英中电气有限公司"]


def test_a_bare_district_is_a_place():
    text = "近年来,钟楼区抢抓机遇,兰州新区加快发展"
    nlp, doc = _doc(text, ["钟楼区", "兰州新区"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["兰州新区"]


def test_what_the_schema_excludes_is_not_an_organization():
    """Events, rankings, roads and programmes end in words no gold ORG ends in (2,894 checked)."""
    text = "第二届江苏省健康医疗大数据创新应用大赛举办;位于江南路西侧、飞龙路南侧的迪力普项目;入围江苏省先进制造业核心信息技术集群"
    orgs = ["江苏省健康医疗大数据创新应用大赛", "江南路西侧", "飞龙路南侧", "迪力普", "江苏省先进制造业核心信息技术集群"]
    nlp, doc = _doc(text, orgs)
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["迪力普"]
    nlp, doc = _doc("南通开发区管委会、宁波市模具行业协会和常州数字经济产业园", ["南通开发区管委会", "宁波市模具行业协会", "常州数字经济产业园"])
    assert len(nlp.add_pipe("zhnews_org_consistency")(doc).ents) == 3  # 会 and 园 endings stay


def test_an_org_cut_short_inside_a_list_item_covers_the_item():
    text = "麦当劳、必胜客、迎桂、霸王茶姬、罗森……会见了市委副书记、南通市委常委、区委书记"
    nlp, doc = _doc(text, ["霸王", "南通市委"])
    doc = nlp.add_pipe("zhnews_org_consistency", config=_without("declared_short_names", name_forms=False))(doc)
    names = [e.text for e in doc.ents]
    assert "霸王茶姬" in names and "霸王" not in names
    assert "南通市委" in names  # a title after the body is not part of its name


def test_a_known_complete_name_run_into_the_next_words_is_trimmed():
    text = "钟楼经开区持续发力。常州数字经济产业园在钟楼经开区踏浪而来;钟楼经开区管委会表示"
    nlp, doc = _doc(text, [])
    spans = [(0, 5), (text.index("钟楼经开区踏浪"), text.index("踏浪") + 2), (text.index("钟楼经开区管委会"), text.index("管委会") + 3)]
    doc.ents = [doc.char_span(a, b, label="ORG") for a, b in spans]
    assert [e.text for e in doc.ents] == ["钟楼经开区", "钟楼经开区踏浪", "钟楼经开区管委会"]
    doc = nlp.add_pipe("zhnews_org_consistency", config=_without(*NO_LISTS))(doc)
    assert "钟楼经开区踏浪" not in [e.text for e in doc.ents]
    assert "钟楼经开区管委会" in [e.text for e in doc.ents]  # a name ending after it: one name


def test_an_org_right_after_a_province_or_city_name_starts_with_it():
    """常州|钟楼经济开发区 (found again by name after 常州) is 常州钟楼经济开发区: none of the
    2,894 gold ORG of the seeds and the synthetic sets is directly preceded by such a name."""
    text = "钟楼经济开发区持续发力。先后编制完成《常州钟楼经济开发区区域能评实施方案》,在常州,钟楼经济开发区表示"
    nlp, doc = _doc(text, ["钟楼经济开发区"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["钟楼经济开发区", "常州钟楼经济开发区", "钟楼经济开发区"]


def test_the_start_of_a_station_or_bridge_name_is_not_an_organization():
    """常州高铁|北站 and 常泰长江|大桥 are places; no gold ORG is followed by such a word."""
    text = "熙熙攘攘的常州高铁北站,与常泰长江大桥、常州港共同构成交通网络,常州高新区路演中心"
    nlp, doc = _doc(text, ["常州高铁", "常泰长江", "常州高新区"])
    doc = nlp.add_pipe("zhnews_org_consistency")(doc)
    assert [e.text for e in doc.ents] == ["常州高新区"]  # 路演 is not a road


def test_airports_metro_lines_and_river_sections_are_not_organizations():
    """常州奔牛国际机场, 常州地铁1号线, 长江常州|段 (seed LODO errors; guidelines: infrastructure is not
    ORG): no gold ORG ends in 国际机场/号线 or is followed by 段, no public-corpus ORG ends in 号线 or
    is followed by 段 (2 of their 45,066 end in 国际机场: airports, which they label ORG)."""
    text = "常州港、常州奔牛国际机场、常州地铁1号线构成交通网络;长江常州段的美;白云机场营收增长"
    nlp, doc = _doc(text, ["常州港", "常州奔牛国际机场", "常州地铁1号线", "长江常州", "白云机场"])
    doc = nlp.add_pipe("zhnews_org_consistency", config=_without(*NO_LISTS))(doc)
    assert [e.text for e in doc.ents] == ["常州港", "白云机场"]


def test_a_figure_or_relation_word_run_into_a_name_is_not_part_of_it():
    """奥立斯特微电机|净利润, 稀有稀土|板块下属, 江苏时代新能源|灯塔工厂 (seed LODO errors): no gold ORG of
    the seeds and the synthetic sets ends with such a word, 32 are directly followed by one."""
    text = "格力博整体销售同比增长、奥立斯特微电机净利润同比增长;是央企中国稀有稀土板块下属的全资子公司;旗下;总投资100亿元的江苏时代新能源灯塔工厂LY9项目"
    nlp, doc = _doc(text, ["奥立斯特微电机净利润", "中国稀有稀土板块下属", "旗下", "江苏时代新能源灯塔工厂"])
    doc = nlp.add_pipe("zhnews_org_consistency", config=_without(*NO_LISTS, "declared_short_names", name_forms=False))(doc)
    # nothing of a name in 旗下 alone; 灯塔工厂 is an award title (guidelines)
    assert [e.text for e in doc.ents] == ["奥立斯特微电机", "中国稀有稀土", "江苏时代新能源"]


def test_a_plant_or_branch_right_after_its_company_is_part_of_the_name():
    """比亚迪|常州基地 (seed LODO error, the guidelines' own example): 88 gold ORG of the seeds and
    the synthetic sets end in 基地/工厂/分公司, none is directly followed by a (place +) such word."""
    text = "比亚迪常州基地,焊接车间火花四射。比亚迪纯电动汽车。江苏时代新能源灯塔工厂LY9项目"
    nlp, doc = _doc(text, ["比亚迪", "江苏时代新能源"])
    doc = nlp.add_pipe("zhnews_org_consistency", config=_without(*NO_LISTS))(doc)
    # the second 比亚迪 is found again by name; 灯塔 is no place (an award: 灯塔工厂)
    assert [e.text for e in doc.ents] == ["比亚迪常州基地", "比亚迪", "江苏时代新能源"]


def test_the_product_a_project_is_named_by_is_not_part_of_the_company():
    """中科摩通|新能源汽车智能装备技术服务项目 (seed LODO error; guidelines: in 西电常变特高压变压器…项目
    only 西电常变): no gold ORG ends in three product words; two (瑞鸿智能装备) stay a name."""
    text = "中科摩通新能源汽车智能装备技术服务项目将新建产线;瑞鸿智能装备项目开工"
    nlp, doc = _doc(text, ["中科摩通新能源汽车智能装备技术服务", "瑞鸿智能装备"])
    doc = nlp.add_pipe("zhnews_org_consistency", config=_without(*NO_LISTS))(doc)
    assert [e.text for e in doc.ents] == ["中科摩通", "瑞鸿智能装备"]
    # no name before the product: nothing to keep, the prediction is left as it is
    nlp, doc = _doc("新能源汽车智能装备技术项目开工", ["新能源汽车智能装备技术"])
    assert [e.text for e in nlp.add_pipe("zhnews_org_consistency")(doc).ents] == ["新能源汽车智能装备技术"]


def test_a_park_written_after_its_zone_is_one_name_with_it():
    """常州经开区|宋剑湖光电科技港 (seed LODO error; the outermost contiguous name wins): 26 gold ORG of
    the seeds and the synthetic sets are a zone + a park or base; a verb after the zone starts a
    clause (南康经开区|建设康居智能家居产业园, 准东经开区|下辖…)."""
    text = "常州经开区宋剑湖光电科技港内,光伏长廊。南康经开区建设康居智能家居产业园。钟楼经开区的数据中心"
    nlp, doc = _doc(text, ["常州经开区", "南康经开区", "钟楼经开区"])
    doc = nlp.add_pipe("zhnews_org_consistency", config=_without(*NO_LISTS))(doc)
    assert [e.text for e in doc.ents] == ["常州经开区宋剑湖光电科技港", "南康经开区", "钟楼经开区"]


def test_a_town_or_subdistrict_right_before_a_name_is_part_of_it():
    """罗溪镇|比亚迪常州基地, 五星街道|合达产业园 (seed LODO errors; guidelines: a place written
    directly before a name is part of the span): 3 gold ORG start so, none is directly preceded by one."""
    text = "截至目前,罗溪镇比亚迪常州基地累计出口汽车。五星街道合达产业园项目位于新昌路"
    nlp, doc = _doc(text, ["比亚迪", "合达产业园"])
    doc = nlp.add_pipe("zhnews_org_consistency", config=_without(*NO_LISTS))(doc)
    assert [e.text for e in doc.ents] == ["罗溪镇比亚迪常州基地", "五星街道合达产业园"]


def test_a_party_organ_before_a_title_belongs_to_the_title():
    """常州东智|党委委员 (seed LODO error; guidelines: titles after a body stay outside): no gold ORG of
    the seeds and the synthetic sets ends in 党委/党支部; a party body that no title follows stays whole."""
    text = "生活非常便利。常州东智党委委员、工会主席表示;常州东智党委召开会议"
    nlp, doc = _doc(text, [])
    doc.ents = [doc.char_span(start, start + 6, label="ORG") for start in (text.index("常州东智"), text.rindex("常州东智"))]
    doc = nlp.add_pipe("zhnews_org_consistency", config=_without(*NO_LISTS, "declared_short_names", name_forms=False))(doc)
    assert [e.text for e in doc.ents] == ["常州东智", "常州东智党委"]


def test_a_class_of_zones_is_not_an_organization():
    """省经济开发区 (seed LODO error): 27 mentions of 省/国家级/省级/市级 + a zone word in the gold texts,
    none inside a gold ORG; a named zone stays (常州国家高新区)."""
    text = "在2024年公布的省经济开发区高质量发展综合考核中,常州国家高新区是全国首批国家级高新区之一"
    nlp, doc = _doc(text, ["省经济开发区", "常州国家高新区", "国家级高新区"])
    doc = nlp.add_pipe("zhnews_org_consistency", config=_without(*NO_LISTS))(doc)
    assert [e.text for e in doc.ents] == ["常州国家高新区"]


def test_consistency_reads_the_text_once_per_doc():
    """Doc.text joins every token; read per entity it made the rules quadratic (48 % of the
    pipeline's time on the seeds, 15.6 s → 0.3 s for the five articles once read once)."""
    from spacy.tokens import Doc

    class CountingDoc(Doc):
        reads = 0

        @property
        def text(self):
            CountingDoc.reads += 1
            return super().text

    text = "钟楼经开区、微亿智造等企业。常州高铁北站。" * 20
    nlp = spacy.blank("zh")
    words = list(text)
    doc = CountingDoc(nlp.vocab, words=words, spaces=[False] * len(words))
    doc.ents = [doc.char_span(a, a + 5, label="ORG") for a in range(0, len(text), len(text) // 20)]
    nlp.add_pipe("zhnews_org_consistency")(doc)
    assert len(doc.ents) >= 20
    assert CountingDoc.reads == 1


def test_the_pipeline_round_trips_through_bytes_with_its_name_lists_and_relation_models():
    """Issue #20: to_bytes()/from_bytes() lost the lexicon's 8,783 names and all four relation models."""
    import spacy.util

    from zhnews.loader import load_pipeline
    from zhnews.normalize import normalize

    nlp = load_pipeline()
    text = normalize((REPO / "seeds" / "000_fc2cae570a148aeb.txt").read_text(encoding="utf-8")).text
    before = nlp(text)
    copy = spacy.util.load_model_from_config(nlp.config, auto_fill=False).from_bytes(nlp.to_bytes())
    after = copy(text)
    assert len(copy.get_pipe("zhnews_lexicon").org_names) == len(nlp.get_pipe("zhnews_lexicon").org_names) > 0
    assert sorted(copy.get_pipe("relation_extractor").classifier.models) == sorted(nlp.get_pipe("relation_extractor").classifier.models)
    assert [(e.start_char, e.end_char, e.label_) for e in after.ents] == [(e.start_char, e.end_char, e.label_) for e in before.ents]
    assert after._.relations == before._.relations and before._.relations
    summary = nlp.analyze_pipes()
    assert summary["problems"] == {name: [] for name in nlp.pipe_names}
    assert summary["summary"]["relation_extractor"]["assigns"] == ["doc._.relations"]
