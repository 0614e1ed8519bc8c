"""Checks that gold is what the schema and the current normalizer say it must be.

Every problem is reported (not only the first), each naming the file, line and
example, so a broken revision can be fixed in one pass. The text-drift check
re-normalizes ``meta.source`` at ``[raw_start, raw_end)``: a change of the
normalizer that would silently shift gold offsets fails here first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..labels import ENTITY_LABELS, RELATION_SIGNATURES
from ..normalize import normalize, sentence_spans
from .corpus import CorpusUnavailable, corpus_record_text, default_corpora, is_corpus_source
from .format import GoldExample
from .paragraphs import read_raw


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    example_id: object
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: example {self.example_id}: {self.message}"


def validate_examples(examples: list[GoldExample], *, root: Path | None = None, check_text: bool = True,
                      corpora: Path | None = None) -> list[Problem]:
    """All problems of ``examples``.

    ``root`` resolves ``meta.source`` paths (default: the current directory, then the
    directories above the gold file); ``corpora`` (default ``$ZHNEWS_CORPORA``) holds the
    records behind news examples (``corpora/…`` sources), whose text is checked only when given.
    """
    corpora = corpora if corpora is not None else default_corpora()
    problems: list[Problem] = []
    raw_cache: dict[str, str | None] = {}
    for example in examples:
        report = lambda message, ex=example: problems.append(Problem(ex.path, ex.line, ex.id, message))  # noqa: E731
        _check_entities(example, report)
        _check_relations(example, report)
        if check_text:
            _check_text(example, report, root, raw_cache, corpora)
    _check_unique_ids(examples, problems)
    return problems


def _check_entities(example: GoldExample, report) -> None:
    n = len(example.text)
    spans = []
    for entity in example.entities:
        if entity.label not in ENTITY_LABELS:
            report(f"entity {entity.id}: label {entity.label!r} is not one of {', '.join(ENTITY_LABELS)}")
        if not 0 <= entity.start < entity.end <= n:
            report(f"entity {entity.id}: offsets [{entity.start}, {entity.end}) out of range for text of length {n}")
            continue
        span_text = example.text[entity.start:entity.end]
        if span_text != span_text.strip():
            report(f"entity {entity.id}: span {span_text!r} starts or ends with whitespace")
        spans.append(entity)
    spans.sort(key=lambda e: (e.start, e.end))
    for left, right in zip(spans, spans[1:]):
        if right.start < left.end:
            report(
                f"entities {left.id} {example.entity_text(left)!r} [{left.start}, {left.end}) and "
                f"{right.id} {example.entity_text(right)!r} [{right.start}, {right.end}) overlap"
            )
    for entity_id, count in Counter(e.id for e in example.entities).items():
        if count > 1:
            report(f"entity id {entity_id} used {count} times")


def _check_relations(example: GoldExample, report) -> None:
    sentences = sentence_spans(example.text)
    seen = set()
    for relation in example.relations:
        head, tail = example.entity(relation.head), example.entity(relation.tail)
        if relation.type not in RELATION_SIGNATURES:
            report(f"relation {relation.id}: type {relation.type!r} is not one of {', '.join(RELATION_SIGNATURES)}")
            continue
        if head is None or tail is None:
            missing = relation.head if head is None else relation.tail
            report(f"relation {relation.id}: entity {missing} does not exist")
            continue
        if head.id == tail.id:
            report(f"relation {relation.id}: head and tail are the same entity")
        want_head, want_tail = RELATION_SIGNATURES[relation.type]
        if (head.label, tail.label) != (want_head, want_tail):
            report(
                f"relation {relation.id} {relation.type}: head/tail are {head.label}→{tail.label}, "
                f"the schema says {want_head}→{want_tail}"
            )
        if _sentence_of(head.start, sentences) != _sentence_of(tail.start, sentences):
            report(f"relation {relation.id} {relation.type}: head and tail are not in the same sentence")
        key = (relation.head, relation.tail, relation.type)
        if key in seen:
            report(f"relation {relation.id}: duplicate of another {relation.type} between the same entities")
        seen.add(key)
    for relation_id, count in Counter(r.id for r in example.relations).items():
        if count > 1:
            report(f"relation id {relation_id} used {count} times")


def _sentence_of(offset: int, sentences: list[tuple[int, int]]) -> int:
    return next((i for i, (a, b) in enumerate(sentences) if a <= offset < b), -1)


def _check_text(example: GoldExample, report, root: Path | None, cache: dict[str, str | None],
                corpora: Path | None = None) -> None:
    meta = example.meta
    source, raw_start, raw_end = meta.get("source"), meta.get("raw_start"), meta.get("raw_end")
    if (not isinstance(source, str) or not source or isinstance(raw_start, bool) or isinstance(raw_end, bool)
            or not isinstance(raw_start, int) or not isinstance(raw_end, int)):
        report("meta must have source (a string), raw_start and raw_end (integers)")
        return
    key = f"{source}#{meta.get('source_id', '')}"
    if key not in cache:
        cache[key] = _read_source(example, source, root, corpora, report)
    raw = cache[key]
    if raw is None:
        return
    if not 0 <= raw_start <= raw_end <= len(raw):
        report(f"meta raw span [{raw_start}, {raw_end}) outside {source} (length {len(raw)})")
        return
    expected = normalize(raw[raw_start:raw_end]).text
    if expected != example.text:
        at = next((i for i, (a, b) in enumerate(zip(expected, example.text)) if a != b), min(len(expected), len(example.text)))
        report(
            f"text drift: the normalizer now gives {expected[max(0, at - 10):at + 10]!r} where the gold has "
            f"{example.text[max(0, at - 10):at + 10]!r} (at offset {at}); gold offsets may have shifted"
        )


def _read_source(example: GoldExample, source: str, root: Path | None, corpora: Path | None, report) -> str | None:
    """The raw text of ``source`` (read once per source, so a problem is reported once)."""
    if is_corpus_source(source):
        if corpora is None:
            return None  # the shared corpora are optional: the text check needs them
        try:
            return corpus_record_text(corpora, source, str(example.meta.get("source_id", "")))
        except CorpusUnavailable as err:
            report(f"cannot check the text: {err}")
            return None
    candidates = [root / source] if root else [Path(source)] + [
        parent / source for parent in Path(example.path).resolve().parents]
    for path in candidates:
        if path.is_file():
            try:
                return read_raw(path)
            except (OSError, ValueError) as err:
                report(f"cannot read meta.source {source}: {err}")
                return None
    where = root if root else "the current directory and the folders above the gold file"
    report(f"cannot find meta.source {source} in {where}: pass --root DIR, the directory that "
           "meta.source paths are relative to (the repository)")
    return None


def _check_unique_ids(examples: list[GoldExample], problems: list[Problem]) -> None:
    first: dict[object, GoldExample] = {}
    ranges: dict[tuple, GoldExample] = {}
    for example in examples:
        if example.id in first:
            other = first[example.id]
            problems.append(Problem(example.path, example.line, example.id, f"example id also used at {other.path}:{other.line}"))
        first.setdefault(example.id, example)
        key = (example.meta.get("source"), example.meta.get("source_id"), example.meta.get("raw_start"),
               example.meta.get("raw_end"))
        if key[0] and key in ranges:
            other = ranges[key]
            problems.append(Problem(example.path, example.line, example.id, f"same source range as example {other.id} at {other.path}:{other.line}"))
        ranges.setdefault(key, example)
