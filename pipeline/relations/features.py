"""Features of a candidate pair, as a ``{name: value}`` dict for a ``DictVectorizer``.

Kept small and readable so the evaluation can show which ones carry each
relation type: the labels and order of the pair, its distance, the words and
punctuation between, a little context on both sides, trigger words, and
whether the pair are each other's nearest partners.
"""

from __future__ import annotations

import bisect
import re

from .candidates import Candidate, Entity

TRIGGERS: dict[str, tuple[str, ...]] = {
    "invest": ("投资", "总投资", "投入", "注资", "增资", "计划投资", "拟投资", "固定资产投资", "利用外资", "签约"),
    "revenue": ("产值", "营收", "营业收入", "销售额", "销售收入", "收入", "利润", "净利润", "利税", "生产总值", "GDP",
                "规模", "出口", "进出口", "交易额", "订单", "实现", "达到", "突破", "产量", "贸易额"),
    "funding": ("获得", "获", "资金", "补贴", "补助", "奖励", "奖补", "扶持", "融资", "专项", "支持", "授信", "贷款", "募集"),
    "founded": ("成立", "始建", "创建", "创立", "建于", "落户", "注册", "获批", "投产", "开业", "设立", "组建", "挂牌"),
    "located": ("位于", "落户", "入驻", "坐落", "园区", "区内", "企业", "引进", "落地", "集聚", "在"),
    "part": ("子公司", "旗下", "分公司", "控股", "全资", "下属", "隶属", "分厂", "基地", "板块", "持股"),
    "year": ("年", "年度", "全年", "至", "到", "从", "增长", "同比"),
}
#: what may stand between a list and its noun (A、B等8家控股子公司, A等一批企业)
_QUANTIFIER = re.compile(r"^等?(?:[0-9一二两三四五六七八九十百几多]+[家个户]|一批)?(?:控股|全资|核心|龙头|重点)?")
PUNCTUATION = "，,、；;：:（）()“”\"—"


def _bucket(n: int) -> str:
    for limit in (0, 2, 5, 10, 20, 40):
        if n <= limit:
            return f"<={limit}"
    return ">40"


def _words_in(words: list[tuple[int, int]], text: str, start: int, end: int) -> list[str]:
    lo = bisect.bisect_left(words, (start, -1))
    out = []
    for a, b in words[lo:]:
        if a >= end:
            break
        if b <= end:
            out.append(text[a:b])
    return out


def pair_features(text: str, words: list[tuple[int, int]], entities: list[Entity], pair: Candidate) -> dict[str, float]:
    head, tail = entities[pair.head], entities[pair.tail]
    first, second = (head, tail) if head.start < tail.start else (tail, head)
    between = text[first.end:second.start]
    between_words = _words_in(words, text, first.end, second.start)
    s_start, s_end = pair.sentence
    f: dict[str, float] = {
        "bias": 1.0,
        f"pair={head.label}>{tail.label}": 1.0,
        f"order={'head_first' if head is first else 'tail_first'}|{head.label}>{tail.label}": 1.0,
        f"dist={_bucket(len(between))}": 1.0,
        f"words_between={_bucket(len(between_words))}": 1.0,
    }
    inside = [e for e in entities if first.end <= e.start and e.end <= second.start]
    f[f"ents_between={_bucket(len(inside))}"] = 1.0
    for label in {e.label for e in inside}:
        f[f"between_has={label}"] = 1.0
    order = "head_first" if head is first else "tail_first"
    for word in between_words[:12]:
        f[f"bw={word}"] = 1.0
        if head.label == tail.label:  # ORG→ORG: which side a cue (旗下, 子公司, 位于) sits on decides the direction
            f[f"bw|{order}={word}"] = 1.0
    for char in set(between) & set(PUNCTUATION):
        f[f"punct_between={char}"] = 1.0
    if not between.strip():
        f["adjacent"] = 1.0
    if "、" in between and len(between) <= 12 and not set(between) & set("，,。；;"):
        f["same_enumeration"] = 1.0
    for role, entity in (("head", head), ("tail", tail)):
        before = text[max(s_start, entity.start - 2):entity.start]
        # the noun an entity is apposed to, past a list's quantifier (A、B等8家控股子公司)
        after = _QUANTIFIER.sub("", text[entity.end:min(s_end, entity.end + 10)])[:3]
        if before.endswith(("在", "于", "落户", "入驻", "位于", "落地", "扎根", "进驻")):
            f[f"{role}_after_in"] = 1.0
        if text[max(s_start, entity.start - 3):entity.start].endswith(("子公司", "旗下", "下属", "分公司")):
            f[f"{role}_after_subsidiary_cue"] = 1.0
        if after.startswith(("企业", "公司", "集团", "子公司", "旗下")):
            f[f"{role}_before_{after[:2]}"] = 1.0
        if _in_title(text, entity, s_start, s_end):
            f[f"{role}_in_title"] = 1.0
    left = _words_in(words, text, max(s_start, first.start - 8), first.start)[-2:]
    right = _words_in(words, text, second.end, min(s_end, second.end + 8))[:2]
    for i, word in enumerate(reversed(left)):
        f[f"left{i}={word}"] = 1.0
    for i, word in enumerate(right):
        f[f"right{i}={word}"] = 1.0
    window = text[max(s_start, first.start - 12):min(s_end, second.end + 12)]
    for kind, triggers in TRIGGERS.items():
        if any(t in between for t in triggers):
            f[f"trigger_between={kind}"] = 1.0
        elif any(t in window for t in triggers):
            f[f"trigger_near={kind}"] = 1.0
    f.update(_nearest(entities, pair, head, tail))
    for role, entity in (("head", head), ("tail", tail)):
        if entity.label == "MONEY" and _is_unit_price(text, entity, s_start):
            f[f"{role}_unit_price"] = 1.0
    head_text, tail_text = text[head.start:head.end], text[tail.start:tail.end]
    for role, span in (("head", head_text), ("tail", tail_text)):
        if span.endswith(("区", "园", "城", "港", "谷", "基地", "园区")):
            f[f"{role}_zone_like"] = 1.0
        if span.endswith(("公司", "集团")):
            f[f"{role}_company_suffix"] = 1.0
    return f


#: what marks an amount as a price per unit or share, not a sum a year or an organization has
#: (派2元, 每股收益0.41元, 股价0.17元, 4900美元/盎司, 100美元/兆瓦时)
_UNIT_PRICE_BEFORE = ("派", "每股", "每10股", "股价", "价格", "估值", "单价", "售价", "报价", "每股收益", "现金红利", "发行价", "转让价")
_UNIT_PRICE_AFTER = re.compile(r"^(?:（含税）)?\s*(?:/|每)")


def _is_unit_price(text: str, entity: Entity, sentence_start: int) -> bool:
    before = text[max(sentence_start, entity.start - 8):entity.start]
    return any(cue in before for cue in _UNIT_PRICE_BEFORE) or bool(_UNIT_PRICE_AFTER.match(text[entity.end:entity.end + 8]))


def _in_title(text: str, entity: Entity, sentence_start: int, sentence_end: int) -> bool:
    """Inside a 《title》 (《常州钟楼经济开发区区域能评实施方案》): part of a document's name, not an
    actor of the sentence. No such entity is in a relation in the seeds and the synthetic sets (37 candidates)."""
    opened = text.rfind("《", sentence_start, entity.start)
    if opened == -1 or text.rfind("》", opened, entity.start) != -1:
        return False
    closed = text.find("》", entity.end, sentence_end)
    return closed != -1 and text.find("《", entity.end, closed) == -1


def _nearest(entities: list[Entity], pair: Candidate, head: Entity, tail: Entity) -> dict[str, float]:
    """Is each side the closest entity of its label to the other, within the sentence?"""
    a, b = pair.sentence
    same = [e for e in entities if a <= e.start < b]

    def distance(x: Entity, y: Entity) -> int:
        return max(x.start - y.end, y.start - x.end, 0)

    f = {}
    rivals_of_head = [e for e in same if e.label == head.label and e != head]
    if all(distance(e, tail) > distance(head, tail) for e in rivals_of_head):
        f["head_nearest_to_tail"] = 1.0
    rivals_of_tail = [e for e in same if e.label == tail.label and e != tail]
    if all(distance(e, head) > distance(tail, head) for e in rivals_of_tail):
        f["tail_nearest_to_head"] = 1.0
    if "head_nearest_to_tail" in f and "tail_nearest_to_head" in f:
        f["mutual_nearest"] = 1.0
    return f
