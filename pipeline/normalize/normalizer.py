"""Raw news text → the normalized, simplified text that is annotated and analysed.

The steps run in a fixed order, each a rewrite of a :class:`MappedText`, so the
result keeps a raw span for every character (see ``offsets.py``):

1. control and zero-width characters removed, every kind of line break made ``\\n``;
2. mojibake runs detected (reported, never guessed at);
3. pinyin glosses after characters removed (``發(fā)展``, ``發（fā）展``, ``比亞迪(bǐ yà dí)`` → ``發展``, ``比亞迪``);
4. full-width letters and digits made half-width (CJK punctuation kept);
5. traditional → simplified characters (OpenCC ``t2s``);
6. doubled punctuation collapsed (``,,`` → ``,``, ``,。`` → ``。``);
7. lines joined where a break falls inside a sentence (``星巴\\n\\n克`` → ``星巴克``),
   every other break kept as exactly one ``\\n`` between paragraphs.

``normalize(raw[a:b], fragment=True)`` gives the text of the normalized range
whose raw span is ``[a, b)``: a fragment may start in the middle of a line, so
the length of its first line says nothing about where that line was broken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .mojibake import find_mojibake
from .offsets import MappedText
from .sentences import paragraph_spans, sentence_spans

#: A line at least this long (after normalization) that ends without
#: punctuation was cut by the layout, not by the author: join it to the next.
LONG_LINE = 40

_TONED_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_LETTERS = "a-zü" + _TONED_VOWELS + "ńňǹḿ"

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff\ufffe\uffff\ud800-\udfff]")
_LINE_BREAK = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_SPACE = re.compile(r"[\t\u00a0\u3000\u2002-\u200a\u202f\u205f]")
# A gloss: pinyin in parentheses (ASCII or full-width) right after a character, one
# syllable or several separated by spaces (比亚迪(bǐ yà dí)), at least one of them toned.
# In mojibake runs the opening parenthesis is often the lost byte, hence ``?``.
_GLOSS = re.compile(
    r"(?<=\S)[(（?]((?=[%s ]*[%s])[%s]+(?: [%s]+){0,7})[)）]"
    % (_PINYIN_LETTERS, _TONED_VOWELS, _PINYIN_LETTERS, _PINYIN_LETTERS)
)
_FULLWIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ％]+|(?<=[0-9０-９])．(?=[0-9０-９])")
_DOUBLED_PUNCT = re.compile(r"[,，]+(?=[,，、。；;：:？?！!])|([。、；;：:])\1+")
_SPACES = re.compile(r" {2,}")
_BREAK_RUN = re.compile(r"[ ]*\n[\s]*")
_EDGE_SPACE = re.compile(r"^\s+|\s+$")

_SENTENCE_FINAL = set("。！？!?…”’」』）)】]》\"'")
_CONTINUING = set("，,、；;—-")
_OPENING_OR_CONTINUING = set("，,、。；;！？!?”’」』）)")


@dataclass(frozen=True)
class TextWarning:
    """Something odd in the raw text, with its raw ``[raw_start, raw_end)``."""

    code: str
    message: str
    raw_start: int
    raw_end: int

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "raw_start": self.raw_start, "raw_end": self.raw_end}


@dataclass(frozen=True)
class NormalizedText:
    """The normalized text, its map to raw offsets and what normalization noticed."""

    mapped: MappedText
    warnings: list[TextWarning] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.mapped.text

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self.mapped.raw_span(start, end)

    def paragraphs(self) -> list[tuple[int, int]]:
        return paragraph_spans(self.text)

    def sentences(self) -> list[tuple[int, int]]:
        return sentence_spans(self.text)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalize(raw: str, *, fragment: bool = False) -> NormalizedText:
    """Normalize ``raw`` (see the module docstring for the steps)."""
    text = MappedText.from_raw(raw)
    text = text.rewrite(_CONTROL, lambda m: "")
    text = text.rewrite(_LINE_BREAK, lambda m: "\n")
    text = text.rewrite(_SPACE, lambda m: " ")
    warnings = [
        TextWarning(
            "mojibake",
            f"probable mojibake {run.text!r} (kept: it cannot be repaired exactly)",
            *text.raw_span(run.start, run.end),
        )
        for run in find_mojibake(text.text)
    ]
    text = text.rewrite(_GLOSS, lambda m: "")
    text = text.rewrite(_FULLWIDTH_ALNUM, lambda m: _to_halfwidth(m.group()))
    text = text.convert_chars(_t2s().convert)
    text = text.rewrite(_DOUBLED_PUNCT, lambda m: m.group(1) or "")
    text = text.rewrite(_SPACES, lambda m: " ")
    text = text.rewrite(_EDGE_SPACE, lambda m: "")
    text = text.rewrite(_BREAK_RUN, _LineJoiner(fragment))
    return NormalizedText(text, warnings)


def _to_halfwidth(s: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) for c in s)


class _LineJoiner:
    """Decides, break by break from the start, whether to join two lines.

    It remembers where the current output line began, so a line that was
    already joined from several short raw lines counts with its full length.
    """

    def __init__(self, fragment: bool):
        self.fragment = fragment
        self.line_start = 0

    def __call__(self, match: re.Match[str]) -> str:
        """``""`` to join the lines around this break, ``"\\n"`` to keep it."""
        text = match.string
        a, b = match.span()
        if a == 0 or b == len(text):
            return ""
        if self._joins(text[a - 1], text[b], a - self.line_start):
            return ""
        self.line_start = b
        return "\n"

    def _joins(self, before: str, after: str, line_length: int) -> bool:
        if before in _SENTENCE_FINAL:
            return False
        if before in _CONTINUING or after in _OPENING_OR_CONTINUING:
            return True
        first_line = self.line_start == 0
        return (self.fragment and first_line) or line_length >= LONG_LINE
