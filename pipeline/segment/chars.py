"""Character tokens that remember the word segmentation.

The NER runs on characters: every gold entity boundary is a token boundary
(pkuseg words cross 2.8 % of corpus ORG spans, and 超3亿元 is one word), and
character models found more ORG mentions. The pkuseg segmentation is not lost:
each character token carries its word in ``token.lemma_`` and its position in
that word in ``token.tag_`` (``B``/``M``/``E``/``S`` plus the word length, capped),
which the NER uses as features and :func:`word_spans` turns back into words.
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.vocab import Vocab

#: Word lengths above this share one feature value.
MAX_LENGTH_FEATURE = 6


def position_tag(index: int, length: int) -> str:
    """``S1`` for a one-character word, else ``B``/``M``/``E`` with the (capped) length."""
    size = min(length, MAX_LENGTH_FEATURE)
    if length == 1:
        return "S1"
    if index == 0:
        return f"B{size}"
    if index == length - 1:
        return f"E{size}"
    return f"M{size}"


def char_doc(vocab: Vocab, text: str, words: list[str]) -> Doc:
    """A Doc with one token per non-space character of ``text``.

    ``words`` is the segmentation of ``text`` without its whitespace, in order
    (as pkuseg returns it). Whitespace runs become the ``whitespace`` of the
    preceding token or, at the start, a space token.
    """
    chars: list[str] = []
    spaces: list[bool] = []
    tags: list[str] = []
    lemmas: list[str] = []

    def add_space(gap: str) -> None:
        """A single space becomes the previous token's whitespace, other runs a space token."""
        if not gap:
            return
        if chars and gap == " ":
            spaces[-1] = True
            return
        chars.append(gap)
        spaces.append(False)
        tags.append("_SP")
        lemmas.append(gap)

    position = 0
    for word in words:
        start = position if text.startswith(word, position) else text.index(word, position)
        add_space(text[position:start])
        for i, char in enumerate(word):
            chars.append(char)
            spaces.append(False)
            tags.append(position_tag(i, len(word)))
            lemmas.append(word)
        position = start + len(word)
    add_space(text[position:])
    doc = Doc(vocab, words=chars, spaces=spaces, tags=tags, lemmas=lemmas)
    return doc


def word_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character offsets ``[start, end)`` of the words of a :func:`char_doc`, spaces excluded."""
    spans = []
    start = None
    for token in doc:
        tag = token.tag_
        if tag == "_SP" or token.is_space:
            continue
        if tag.startswith(("B", "S")) or start is None:
            start = token.idx
        if tag.startswith(("E", "S")):
            spans.append((start, token.idx + len(token.text)))
            start = None
    return spans


def words(doc: Doc) -> list[tuple[int, int]]:
    """The word segmentation of any doc of our tokenizer: from the position tags of a
    character-token doc, or the (non-space) tokens of a word-token doc."""
    first = next((t for t in doc if not t.is_space and t.tag_ != "_SP"), None)
    if first is not None and len(first.tag_) == 2 and first.tag_[0] in "BMES" and first.tag_[1].isdigit():
        return word_spans(doc)
    return [(t.idx, t.idx + len(t.text)) for t in doc if not t.is_space]


def token_spans(tokens: list[str]) -> set[tuple[int, int]]:
    """Character spans of consecutive tokens (a segmentation of a text without gaps).

    Two segmentations of the same text are compared by these spans: a word of one that
    the other does not have is a span missing from the other's set.
    """
    spans, start = set(), 0
    for token in tokens:
        spans.add((start, start + len(token)))
        start += len(token)
    return spans
