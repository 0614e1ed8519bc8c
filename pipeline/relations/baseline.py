"""The rule baseline for relations: nearest pair + trigger words.

For each MONEY, the nearest ORG before it in the sentence gets INVESTMENT,
FUNDING or REVENUE by the first trigger word found between them (投资…,
资金/补贴…, 产值/营收…); each MONEY gets IN_YEAR to the nearest YEAR in its
sentence; an ORG followed by 成立/始建/落户… and a YEAR gets FOUNDED; an ORG
pair with 位于/落户/入驻 between gets LOCATED_IN, with 子公司/旗下 PART_OF.
"""

from __future__ import annotations

from ..labels import FOUNDED, FUNDING, IN_YEAR, INVESTMENT, LOCATED_IN, MONEY, ORG, PART_OF, REVENUE, YEAR
from ..normalize import sentence_spans
from .candidates import Entity

_MONEY_TRIGGERS = ((INVESTMENT, ("投资", "投入", "注资")), (FUNDING, ("资金", "补贴", "补助", "奖励", "获得", "融资")),
                   (REVENUE, ("产值", "营收", "收入", "销售", "利润", "生产总值", "规模", "出口", "交易额")))


def baseline_relations(text: str, entities: list[Entity]) -> list[tuple[int, int, str]]:
    found = []
    for a, b in sentence_spans(text):
        members = [i for i, e in enumerate(entities) if a <= e.start < b]
        for i in members:
            e = entities[i]
            if e.label == MONEY:
                orgs = [j for j in members if entities[j].label == ORG and entities[j].end <= e.start]
                if orgs:
                    j = max(orgs, key=lambda k: entities[k].end)
                    between = text[entities[j].end:e.start]
                    for relation, triggers in _MONEY_TRIGGERS:
                        if any(t in between for t in triggers):
                            found.append((j, i, relation))
                            break
                years = [j for j in members if entities[j].label == YEAR]
                if years:
                    j = min(years, key=lambda k: abs(entities[k].start - e.start))
                    found.append((i, j, IN_YEAR))
            if e.label == ORG:
                for j in members:
                    other = entities[j]
                    if other.label == YEAR and other.start > e.end and any(t in text[e.end:other.end + 4] for t in ("成立", "始建", "落户", "创建")):
                        found.append((i, j, FOUNDED))
                    if other.label == ORG and other.start > e.end:
                        between = text[e.end:other.start]
                        if any(t in between for t in ("位于", "落户", "入驻")):
                            found.append((i, j, LOCATED_IN))
                        elif any(t in between for t in ("子公司", "旗下", "分公司")):
                            found.append((j, i, PART_OF))
    return found
