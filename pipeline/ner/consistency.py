"""``zhnews_org_consistency``: an organization found once is found again in the same article.

News names a company once in full and then by its short name, and repeats
names. After the NER, this component

* tags every further occurrence of a predicted ORG name in the document, and
* tags the following items of an enumeration that starts with an ORG
  (微亿智造、网擎、立卓等 → 网擎, 立卓),
* derives the usual short forms of a full company name (place and legal suffix
  dropped: 天纳克(常州)减振系统有限公司 → 天纳克减振系统, 天纳克; 江苏腾奇电力科技股份有限公司
  → 腾奇电力科技, 腾奇科技) and tags their occurrences,

wherever the occurrence overlaps no other entity. Its effect is measured in the
evaluation report (with and without it).
"""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from ..labels import ORG

DEFAULT_CONFIG = {"min_length": 2, "short_forms": True, "lists": True}
#: separators of an enumeration (A、B和C等); an item is at most this long
_LIST_SEPARATORS = "、"
_LIST_ITEM = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·()（）]{2,10}?(?=[、等])")

_LEGAL_SUFFIX = re.compile(r"(集团股份有限公司|集团有限公司|股份有限公司|有限责任公司|有限公司|集团公司|股份公司|公司)$")
_BRACKETED = re.compile(r"[(（][^)）]{1,8}[)）]")
_PLACE_PREFIX = re.compile(
    r"^(?:中国|江苏省?|浙江省?|上海市?|北京市?|广东省?|山东省?|安徽省?|常州市?|无锡市?|苏州市?|南京市?|深圳市?|"
    r"[\u4e00-\u9fff]{2}(?:省|市)|[\u4e00-\u9fff]{1,3}(?:区|县|镇))"
)
_INDUSTRY_TAIL = re.compile(r"(科技|电气|电子|电力|材料|新材|能源|智能|装备|机械|汽车|生物|医药|环保|光电|信息|网络|数字|精密|技术)$")


_ONLY_INDUSTRY = re.compile(r"(?:%s|装备|设备|制造|工业|产业|实业|发展|投资|控股)+" % _INDUSTRY_TAIL.pattern[1:-2])


@Language.factory("zhnews_org_consistency", default_config=DEFAULT_CONFIG)
def make_org_consistency(nlp: Language, name: str, min_length: int, short_forms: bool, lists: bool) -> "OrgConsistency":
    return OrgConsistency(name, min_length=min_length, short_forms=short_forms, lists=lists)


def short_forms(name: str) -> set[str]:
    """Short names a full company name is commonly cited by in the same article."""
    if not _LEGAL_SUFFIX.search(name):
        return set()
    core = _LEGAL_SUFFIX.sub("", name)
    without_suffix = _BRACKETED.sub("", core)
    bracket = _BRACKETED.search(core)
    head = core[: bracket.start()] if bracket else core
    core = _BRACKETED.sub("", core)
    core = _PLACE_PREFIX.sub("", core) or core
    forms = {core, without_suffix}
    if bracket and len(head) >= 2:
        forms.add(_PLACE_PREFIX.sub("", head) or head)
    tail = _INDUSTRY_TAIL.search(core)
    if tail and len(core) - len(tail.group()) >= 4:
        forms.add(core[:2] + tail.group())
    return {f for f in forms if len(f) >= 2 and f != name and not _ONLY_INDUSTRY.fullmatch(f)}


class OrgConsistency:
    """Adds ORG entities for repeated names, short forms of full names and enumerations."""

    def __init__(self, name: str = "zhnews_org_consistency", *, min_length: int = 2, short_forms: bool = True, lists: bool = True):
        self.name = name
        self.min_length = min_length
        self.short_forms = short_forms
        self.lists = lists

    def __call__(self, doc: Doc) -> Doc:
        if self.lists:
            self._enumerations(doc)
        names = {e.text for e in doc.ents if e.label_ == ORG and len(e.text) >= self.min_length}
        if self.short_forms:
            names |= {form for n in list(names) for form in short_forms(n)}
        if not names:
            return doc
        taken = sorted((e.start_char, e.end_char) for e in doc.ents)
        starts = [a for a, _ in taken]
        added = []
        # one pass over the text: the alternation tries longer names first
        pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
        for match in pattern.finditer(doc.text):
            a, b = match.span()
            i = bisect.bisect_left(starts, b)
            if i and taken[i - 1][1] > a:  # the nearest entity starting before b overlaps
                continue
            span = doc.char_span(a, b, label=ORG)
            if span is not None:
                added.append(span)
        if added:
            doc.ents = filter_spans(list(doc.ents) + added)
        return doc

    def _enumerations(self, doc: Doc) -> None:
        """In ``A、B、C等``, an item next to an ORG item is an ORG too.

        Only items closed by a separator on both sides are taken (the first item of a
        list has no left delimiter: where it starts cannot be told from the text).
        """
        text = doc.text
        taken = [(e.start_char, e.end_char) for e in doc.ents]
        added = []
        for ent in [e for e in doc.ents if e.label_ == ORG]:
            position = ent.end_char
            while position < len(text) and text[position] in _LIST_SEPARATORS:
                item = _LIST_ITEM.match(text, position + 1)
                if item is None:
                    break
                a, b = item.span()
                if any(s < b and a < e for s, e in taken):
                    break
                span = doc.char_span(a, b, label=ORG)
                if span is None:
                    break
                added.append(span)
                taken.append((a, b))
                position = b
        if added:
            doc.ents = filter_spans(list(doc.ents) + added)
