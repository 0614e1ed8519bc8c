"""Gold examples cut from a raw article: one per paragraph of its normalized text.

Each example records where its text came from (``meta.source``, ``raw_start``,
``raw_end``) so that the validator can check it against the current normalizer
and so that a re-annotated example finds its place again.
"""

from __future__ import annotations

from pathlib import Path

from ..io.decode import decode_bytes
from ..normalize import normalize
from .format import GoldExample

#: Example ids are ``document number * ID_STRIDE + paragraph number``.
ID_STRIDE = 1000


def read_raw(path: str | Path) -> str:
    """The raw text of a source file, decoded as ``zhnews run`` decodes it."""
    return decode_bytes(Path(path).read_bytes()).text


def paragraph_examples(source: str | Path, doc_number: int, *, root: Path | None = None) -> list[GoldExample]:
    """Unannotated examples for every paragraph of ``source``.

    ``meta.source`` is the path relative to ``root`` (the repository), in POSIX form.
    """
    source = Path(source)
    raw = read_raw(source)
    norm = normalize(raw)
    relative = source.resolve().relative_to(root.resolve()) if root else source
    examples = []
    for number, (start, end) in enumerate(norm.paragraphs()):
        raw_start, raw_end = norm.raw_span(start, end)
        examples.append(GoldExample(
            id=doc_number * ID_STRIDE + number,
            text=norm.text[start:end],
            meta={"source": relative.as_posix(), "doc_id": source.stem, "paragraph": number,
                  "raw_start": raw_start, "raw_end": raw_end},
        ))
    return examples
