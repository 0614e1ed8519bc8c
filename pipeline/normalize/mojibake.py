"""Detection of mojibake runs left by a broken re-encoding.

Two of the seed articles carry runs such as ``?!痹摴靖睆S長`` where ``。”该公司副厂长``
was: the bytes of a GBK text were shifted and decoded again, and the first byte
of each run was lost as ``?``. The lost byte makes an exact repair impossible,
so the runs are kept in the text and reported with their raw offsets. The
telltale is an ASCII ``?`` inside Chinese text that is immediately followed by
``!``, ``?``, an ASCII letter or a closing parenthesis (a gloss whose opening
parenthesis was eaten); a genuine question mark is followed by text or a digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: How many characters after the anchor a reported run covers at most: the
#: end of a run cannot be told from the text, so the span is an estimate.
RUN_EXTENT = 6

_RUN = re.compile(
    r"(?<![A-Za-z0-9\s])\?(?=[!?A-Za-z)])[^\s,，。、；;：:“”]{0,%d}" % (RUN_EXTENT + 1)
)


@dataclass(frozen=True)
class MojibakeRun:
    start: int  # offsets into the text that was scanned
    end: int
    text: str


def find_mojibake(text: str) -> list[MojibakeRun]:
    """Runs of probable mojibake in ``text``, left to right, not overlapping."""
    return [MojibakeRun(m.start(), m.end(), m.group()) for m in _RUN.finditer(text)]
