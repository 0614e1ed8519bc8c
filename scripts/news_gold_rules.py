"""Written adjudication rules applied to every document of the news gold (build time).

Each rule enforces a ruling of the schema or of `annotations/guidelines.md` that annotators
applied unevenly, the same way in every document, and reports what it changed, so that the
change is reviewed and counted in `annotations/CHANGELOG.md`. Rules never add an
annotation; they remove relations or entities the written rules exclude.

    python scripts/news_gold_rules.py            # report what the rules would change in pass A
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhnews.gold.format import GoldExample  # noqa: E402

#: schema v1.2: "caps and thresholds (最高1200万元, 1000万美元以上) get no relation"
_CAP_BEFORE = re.compile(r"(?:不超过|不高于|最高|最多|上限为?|不低于|至少|最低)(?:人民币)?$")
_CAP_AFTER = re.compile(r"^(?:以上|以下|以内|上限)")
#: guidelines: a price per unit is MONEY with no relation (28.11元/股). Not 价格 alone: 交易价格为8.5亿元
#: and 中标价格为7.72亿元 are a deal's total, which the annotators related (flagged in round 2)
_PER_UNIT = re.compile(r"^\s*/\s*[\u4e00-\u9fffA-Za-z]")
_PER_UNIT_BEFORE = re.compile(r"(?:每股|每手|每吨|每桶|单价|股价|报价|收于|报)$")
#: guidelines: generic references and markets are not ORG
_NOT_ORG = {"公司", "本公司", "该公司", "集团", "本集团", "该集团", "控股股东", "记者", "本报", "券商", "A股", "港股",
            "美股", "科创板", "创业板", "主板", "新三板", "中小板", "北交所市场", "沪深两市", "两市"}


def _window_before(example: GoldExample, start: int, size: int = 6) -> str:
    return example.text[max(0, start - size):start]


def enforce(examples: list[GoldExample]) -> list[str]:
    """Apply the rules in place; one line per change."""
    changes = []
    for example in examples:
        doomed: set[int] = set()
        for entity in example.entities:
            text = example.text[entity.start:entity.end]
            if entity.label == "ORG" and text in _NOT_ORG:
                doomed.add(entity.id)
                changes.append(f"[{example.id}] not ORG (generic or market): {text}")
        if doomed:
            example.entities = [e for e in example.entities if e.id not in doomed]
            example.relations = [r for r in example.relations if r.head not in doomed and r.tail not in doomed]
        kept = []
        for relation in example.relations:
            money = next((example.entity(i) for i in (relation.head, relation.tail)
                          if example.entity(i) and example.entity(i).label == "MONEY"), None)
            if money is not None:
                before, after = _window_before(example, money.start), example.text[money.end:money.end + 4]
                if _CAP_BEFORE.search(before) or _CAP_AFTER.match(after):
                    changes.append(f"[{example.id}] cap or threshold, no relation: {relation.type} …{before}{example.text[money.start:money.end]}{after}…")
                    continue
                if _PER_UNIT.match(after) or _PER_UNIT_BEFORE.search(before):
                    changes.append(f"[{example.id}] price per unit, no relation: {relation.type} …{before}{example.text[money.start:money.end]}{after}…")
                    continue
            kept.append(relation)
        example.relations = kept
    return changes


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "scripts"))
    from build_news_gold import NEWS, converted

    total = []
    for path in sorted((NEWS / "passes" / "pass_a" / "mentions").glob("*.jsonl")):
        examples, errors = converted("pass_a", path.stem)
        total += enforce(examples)
    for line in total:
        print(line)
    print(f"{len(total)} changes")
