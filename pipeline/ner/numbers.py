"""Chinese and Arabic numerals → numbers (``37.11亿`` → 3711000000, ``一千万`` → 10000000)."""

from __future__ import annotations

import re
from decimal import Decimal

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
          "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10**4, "亿": 10**8, "兆": 10**12}
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)

_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def parse_number(text: str) -> int | float | None:
    """The value of a numeral such as ``1,549.2亿``, ``3.5万``, ``三亿五千万``, ``亿`` (an implied one).

    Returns ``None`` for vague numerals (``数十亿``, ``几百万``). ``多`` inside a
    numeral (``500多亿``) is ignored: the value is the stated lower bound.
    """
    text = text.replace("多", "").replace("余", "")
    if not text or any(c in text for c in "数几"):
        return None
    match = _ARABIC.match(text)
    if match:
        head = Decimal(match.group().replace(",", ""))
        multiplier = _unit_multiplier(text[match.end():])
        return None if multiplier is None else _plain(head * multiplier)
    value = _parse_chinese(text)
    return None if value is None else _plain(Decimal(value))


def _plain(value: Decimal) -> int | float:
    """An ``int`` when the value is whole (3711000000, not 3711000000.0000005)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _unit_multiplier(units: str) -> int | None:
    multiplier = 1
    for char in units:
        if char in SMALL_UNITS:
            multiplier *= SMALL_UNITS[char]
        elif char in BIG_UNITS:
            multiplier *= BIG_UNITS[char]
        else:
            return None
    return multiplier


def _parse_chinese(text: str) -> int | None:
    total, section, number = 0, 0, 0
    pending_digit = False
    for char in text:
        if char in DIGITS:
            number = number * 10 + DIGITS[char] if pending_digit and _is_digit_string(text) else DIGITS[char]
            pending_digit = True
        elif char in SMALL_UNITS:
            section += (number if pending_digit else 1) * SMALL_UNITS[char]
            number, pending_digit = 0, False
        elif char in BIG_UNITS:
            unit = BIG_UNITS[char]
            section += number
            if section == 0:
                section = 1
            if unit > 10**4 and total:
                total = (total + section) * unit
            else:
                total += section * unit
            section, number, pending_digit = 0, 0, False
        else:
            return None
    return total + section + number


def _is_digit_string(text: str) -> bool:
    """``二〇二四`` style: digits only, read positionally."""
    return all(c in DIGITS for c in text)
