"""select_news.py --extend: a new train passage that rewrites an evaluation story is skipped."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "select_news.py"
_spec = importlib.util.spec_from_file_location("select_news", SCRIPT)
select_news = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(select_news)

DEV = "常州高新区今年一季度实现地区生产总值385.2亿元，同比增长6.1%，其中工业投资完成120亿元。"


def test_a_rewrite_sharing_a_sentence_with_dev_is_skipped():
    rewrite = "据悉，" + DEV[:30] + "。另外，区内多家企业加快布局新能源赛道，新增项目十余个。"
    assert select_news.shares_evaluation_text(rewrite, select_news.shingles(DEV, select_news.EVALUATION_RUN))


def test_a_passage_sharing_only_a_name_is_kept():
    other = "常州高新区管委会表示，将继续支持合成生物企业发展，引导社会资本投向早期项目。"
    assert not select_news.shares_evaluation_text(other, select_news.shingles(DEV, select_news.EVALUATION_RUN))


def test_cued_amounts_counts_amounts_a_cue_of_the_kind_governs():
    """--cue funding keeps passages where money is received (融资, 补贴), not any dense passage."""
    text = "甲公司完成B轮融资3亿元，并获得政府补贴500万元。该公司去年全年的营收为12亿元。"
    assert select_news.cued_amounts(text, "funding") == 2
    assert select_news.cued_amounts(text, "revenue") == 1
    # a cue counts anywhere in the window before the amount, not only the nearest one
    assert select_news.cued_amounts("补贴之后营收12亿元。", "funding") == 1
    assert select_news.cued_amounts("甲公司全年营收12亿元。", "funding") == 0
