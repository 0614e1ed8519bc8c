"""The shared word lists: one file, one spelling, read by every module that needs them."""

from __future__ import annotations

import re
from pathlib import Path

from zhnews.words import WORDS_FILE, ZONE_SUFFIX, mapping, place_alternation, words

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"


def test_each_list_is_non_empty_and_without_repeats():
    import json

    data = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    for name, value in data.items():
        if name.startswith("_"):
            continue
        items = list(value)
        assert items, name
        assert len(items) == len(set(items)), f"{name} repeats a word"


def test_zone_types_are_spelled_in_one_place():
    zone_alternation = "|".join(mapping("zone_types"))
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert zone_alternation not in source, f"{path} spells the zone types itself: use zhnews.words"
        assert "经济技术开发区|经济开发区" not in source or path.name == "baselines.py", path


def test_place_names_keep_their_optional_province_or_city_word():
    pattern = re.compile(f"^(?:{place_alternation('provinces_and_cities')})$")
    assert pattern.match("江苏") and pattern.match("江苏省") and pattern.match("中国")
    assert not pattern.match("中国省")


def test_zone_suffix_strips_a_zone_or_park_type():
    assert ZONE_SUFFIX.sub("", "钟楼经济开发区") == "钟楼"
    assert ZONE_SUFFIX.sub("", "星湖科技园") == "星湖"
    assert set(words("park_types")) & set(words("zone_and_park_suffixes"))
