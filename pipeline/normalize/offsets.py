"""Text that remembers where each of its characters came from.

Every normalization step rewrites a :class:`MappedText` into another one, so the
final text keeps, for each character, the ``[start, end)`` span of the raw input
it was made from. A character inserted by a rewrite (a simplified form, a
half-width digit, the one comma left of ``,,``) maps to the raw span of the
whole match it replaced; deleted characters belong to no output character but
stay inside the raw span of any output range that surrounds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

_INDEX = np.int64


@dataclass(frozen=True)
class MappedText:
    """A string plus, per character, its raw span ``[starts[i], ends[i])``."""

    text: str
    starts: np.ndarray
    ends: np.ndarray
    raw_length: int

    @classmethod
    def from_raw(cls, raw: str) -> "MappedText":
        n = len(raw)
        return cls(raw, np.arange(n, dtype=_INDEX), np.arange(1, n + 1, dtype=_INDEX), n)

    def __len__(self) -> int:
        return len(self.text)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``[start, end)`` covering the normalized range ``[start, end)``.

        An empty range maps to an empty raw span at the raw position where the
        character ``start`` begins (or the end of the raw text).
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"range [{start}, {end}) outside text of length {len(self.text)}")
        if start == end:
            pos = int(self.starts[start]) if start < len(self.text) else self.raw_length
            return pos, pos
        return int(self.starts[start]), int(self.ends[end - 1])

    def from_raw_span(self, raw_start: int, raw_end: int) -> tuple[int, int] | None:
        """The normalized range of the characters made from inside raw ``[raw_start, raw_end)``.

        ``None`` if normalization removed all of them (e.g. a span of spaces).
        """
        start = int(np.searchsorted(self.starts, raw_start, side="left"))
        end = int(np.searchsorted(self.ends, raw_end, side="right"))
        return (start, end) if start < end else None

    def rewrite(self, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> "MappedText":
        """Replace every match of ``pattern`` with ``replace(match)``.

        A replacement of the same length as its match maps character by
        character; any other replacement maps each new character to the raw
        span of the whole match.
        """
        pieces: list[str] = []
        starts: list[np.ndarray] = []
        ends: list[np.ndarray] = []
        last = 0
        changed = False
        for match in pattern.finditer(self.text):
            a, b = match.span()
            new = replace(match)
            if new == match.group():
                continue
            changed = True
            pieces.append(self.text[last:a])
            starts.append(self.starts[last:a])
            ends.append(self.ends[last:a])
            if len(new) == b - a:
                starts.append(self.starts[a:b])
                ends.append(self.ends[a:b])
            elif new:
                starts.append(np.full(len(new), self.starts[a], dtype=_INDEX))
                ends.append(np.full(len(new), self.ends[b - 1], dtype=_INDEX))
            pieces.append(new)
            last = b
        if not changed:
            return self
        pieces.append(self.text[last:])
        starts.append(self.starts[last:])
        ends.append(self.ends[last:])
        return MappedText(
            "".join(pieces),
            np.concatenate(starts) if starts else np.zeros(0, dtype=_INDEX),
            np.concatenate(ends) if ends else np.zeros(0, dtype=_INDEX),
            self.raw_length,
        )

    def convert_chars(self, convert: Callable[[str], str]) -> "MappedText":
        """Apply a length-preserving conversion (e.g. OpenCC) to the whole text.

        Where the conversion changes the length of the text, it is applied
        character by character instead, which always preserves it.
        """
        converted = convert(self.text)
        if len(converted) != len(self.text):
            converted = "".join(c if len(c := convert(ch)) == 1 else ch for ch in self.text)
        if converted == self.text:
            return self
        return MappedText(converted, self.starts, self.ends, self.raw_length)
