"""The shared word lists (``pipeline/data/words.json``): one spelling of each list for every
module that needs it. A leaf module: it imports nothing of the package."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

WORDS_FILE = Path(__file__).resolve().parent / "data" / "words.json"


@lru_cache(maxsize=1)
def _words() -> dict:
    return json.loads(WORDS_FILE.read_text(encoding="utf-8"))


def words(name: str) -> list[str]:
    """The list ``name`` in its file order (for a mapping, its keys)."""
    try:
        value = _words()[name]
    except KeyError:
        raise KeyError(f"no word list {name!r} in {WORDS_FILE}") from None
    return list(value)


def mapping(name: str) -> dict[str, str]:
    return dict(_words()[name])


def word_groups(name: str) -> dict[str, tuple[str, ...]]:
    """A mapping of word lists (``relation_triggers``: kind -> words), in file order."""
    return {key: tuple(value) for key, value in _words()[name].items()}


def alternation(items: list[str]) -> str:
    """``a|b|c`` of ``items`` escaped, in their order (an alternation's order can matter)."""
    return "|".join(re.escape(item) for item in items)


def place_alternation(name: str) -> str:
    """The places of list ``name``, a final 省/市 optional (江苏省 → 江苏省?)."""
    return "|".join(re.escape(p) + "?" if p[-1] in "省市" and len(p) > 2 else re.escape(p) for p in words(name))


#: a zone's, park's or similar area's type word ending a name (常州经开区, 星湖科技园): the corpora
#: mapper takes such a location as an ORG, the rules strip it to compare names
ZONE_SUFFIX = re.compile(r"(%s)$" % alternation(words("zone_and_park_suffixes")))


#: the separator of a range (3亿—5亿元, 2024至2028年), longest first: the amount rules and the
#: relation features read ranges with the same separators
RANGE_SEPARATOR = "(?:%s)" % alternation(words("range_separators"))
