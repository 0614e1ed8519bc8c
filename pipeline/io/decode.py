"""Bytes of a text file → ``str``, with the encoding detected, not guessed blindly.

Order of evidence: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16 without a
mark, when the NUL bytes of its ASCII characters all fall on one side of the
code units or when it decodes to nothing but common Chinese characters; strict
UTF-8; then the Chinese legacy encodings that decode the bytes without error, ranked by
how much of the result is ordinary Chinese text (charset-normalizer's verdict
breaks ties). Bytes that look binary (NUL bytes, many control codes)
are refused rather than decoded into garbage.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LEGACY = ("gb18030", "big5")
_CONTROL_BYTES = set(range(0x00, 0x09)) | {0x0B} | set(range(0x0E, 0x1B)) | set(range(0x1C, 0x20))


class DecodeError(ValueError):
    """The bytes are not text in any encoding we read."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    bom: bool


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` (see the module docstring); raise :class:`DecodeError`."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(encoding), encoding, True)
            except UnicodeDecodeError as err:
                raise DecodeError(f"starts with a {encoding} byte-order mark but is not {encoding}: {err}") from None
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if _looks_binary(data):
        raise DecodeError("binary data (NUL or control bytes), not a text file")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in _LEGACY:
        try:
            candidates.append((encoding, data.decode(encoding)))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise DecodeError("not valid UTF-8, GB18030 or Big5 text, and no byte-order mark")
    if len(candidates) == 1:
        encoding, text = candidates[0]
        return Decoded(text, encoding, False)
    encoding, text = max(candidates, key=lambda c: (_chinese_score(c[1], c[0]), c[0] == _normalizer_guess(data)))
    return Decoded(text, encoding, False)


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 text with no byte-order mark: its ASCII characters (digits, spaces, line breaks)
    carry a NUL byte, always the high byte of the code unit, so all NULs are at odd offsets
    (little-endian) or all at even ones (big-endian), and the decoded text is printable."""
    sample = data[:8192]
    if len(data) % 2 or not data:
        return None
    if b"\x00" not in sample:
        return _utf16_all_chinese(data)
    odd = sum(1 for i in range(1, len(sample), 2) if sample[i] == 0)
    even = sum(1 for i in range(0, len(sample), 2) if sample[i] == 0)
    if odd and not even:
        encoding = "utf-16-le"
    elif even and not odd:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\t\n\r")
    if "\x00" in text or controls > len(text[:4096]) * 0.02:
        return None
    return Decoded(text, encoding, False)


def _utf16_all_chinese(data: bytes) -> Decoded | None:
    """UTF-16 text without a mark and without ASCII: nearly all common Chinese characters,
    which no UTF-8 or GB18030 text decoded as UTF-16 gives."""
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        head = text[:4096]
        cjk = sum(1 for c in head if "\u4e00" <= c <= "\u9fff")
        if cjk >= 0.9 * len(head) and _chinese_score(head, encoding) >= 0.8:
            return Decoded(text, encoding, False)
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b in _CONTROL_BYTES)
    return bool(sample) and controls / len(sample) > 0.02


def _chinese_score(text: str, encoding: str) -> float:
    """Share of CJK characters that are common in text of that script.

    GB18030 wrongly applied to Big5 bytes (and the reverse) yields rare
    characters; the right decoding yields characters of the common sets:
    GB2312 for simplified text, Big5's level-1 range for traditional text.
    """
    cjk = [c for c in text[:20000] if "\u4e00" <= c <= "\u9fff"]
    if not cjk:
        return 0.0
    common = sum(1 for c in cjk if _is_common(c))
    return common / len(cjk)


def _is_common(char: str) -> bool:
    try:
        if 0xB0 <= char.encode("gb2312")[0] <= 0xD7:  # GB2312 level 1: the 3,755 most used
            return True
    except UnicodeEncodeError:
        pass
    try:
        code = char.encode("big5")
        return 0xA440 <= int.from_bytes(code, "big") <= 0xC67E  # Big5 frequently used
    except UnicodeEncodeError:
        return False


def _normalizer_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536], cp_isolation=list(_LEGACY)).best()
    return None if best is None else codecs.lookup(best.encoding).name
