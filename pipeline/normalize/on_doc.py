"""The normalization a ``Doc`` was made from, kept on the ``Doc``.

The tokenizer (``[nlp.tokenizer] normalize = true``) normalizes the raw text it is given and
tokenizes the normalized text, so ``doc.text`` is normalized and every offset the pipeline
produces is into it. What maps those offsets back to the raw input travels with the ``Doc``
as plain values (they survive ``Doc.to_bytes`` and ``nlp.pipe(n_process=…)``):

* ``doc._.raw_text``: the text ``nlp`` was called with;
* ``doc._.raw_starts`` / ``doc._.raw_ends``: per character of ``doc.text``, its raw span;
* ``doc._.text_warnings``: what normalization noticed (mojibake), with raw offsets.

:func:`normalized_text` gives them back as a :class:`NormalizedText`; a ``Doc`` made without
normalization maps each character to itself.
"""

from __future__ import annotations

import numpy as np
from spacy.tokens import Doc

from .normalizer import NormalizedText, TextWarning
from .offsets import MappedText

for _name in ("raw_text", "raw_starts", "raw_ends", "text_warnings"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def attach(doc: Doc, raw: str, norm: NormalizedText) -> Doc:
    """Record on ``doc`` (made from ``norm.text``) the raw text and the map to it."""
    if doc.text != norm.text:
        raise ValueError("the Doc was not made from this normalized text")
    doc._.raw_text = raw
    doc._.raw_starts = norm.mapped.starts.tolist()
    doc._.raw_ends = norm.mapped.ends.tolist()
    doc._.text_warnings = [w.to_dict() for w in norm.warnings]
    return doc


def normalized_text(doc: Doc) -> NormalizedText:
    """The normalized text of ``doc`` with its map to the raw text."""
    if doc._.raw_starts is None:
        return NormalizedText(MappedText.from_raw(doc.text), [])
    mapped = MappedText(doc.text, np.asarray(doc._.raw_starts, dtype=np.int64),
                        np.asarray(doc._.raw_ends, dtype=np.int64), len(doc._.raw_text))
    return NormalizedText(mapped, [TextWarning(**w) for w in doc._.text_warnings or []])
