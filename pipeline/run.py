"""Batch runner: documents → records, on one or several processes.

Reading happens in the calling process; the spaCy pipeline, which normalizes
the raw text itself (``nlp(raw)``), runs through ``nlp.pipe`` in this process or
in workers that each load it once. Records come back in input order. A document
whose processing raises gets an error record; the batch goes on.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .io.pieces import cut_points, merge_records
from .io.read import Document
from .io.records import doc_record, error_record

#: The longest text analysed in one piece (see ``io/pieces.py``): peak memory of one
#: process stays near 610 MiB (about 470 MiB for the loaded pipeline + 14 kB a character).
DEFAULT_MAX_CHARS = 10_000
#: Short documents go through ``nlp.pipe`` together up to this many characters: batching
#: measured no faster on the seeds' 3,400-character articles, and a larger batch only raises the
#: peak memory (557 MiB with 10,000-character batches against 478 MiB one article at a time)
BATCH_CHARS = 4_000

#: Documents a worker is handed at a time (spaCy's own ``nlp.pipe(n_process=…)`` is not used:
#: when one document of its batch raises, the whole batch is lost, where every input here
#: must get its record or an error record).
WORKER_CHUNK = 8

_worker_nlp = None
_worker_max_chars = DEFAULT_MAX_CHARS
_worker_error: str | None = None
#: Key of the marker a worker returns instead of a record when its pipeline did not load.
_WORKER_FAILED = "__worker_could_not_load__"


@dataclass
class RunSummary:
    documents: int = 0
    failed: int = 0
    warnings: int = 0
    chars: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def add(self, record: dict[str, Any]) -> None:
        self.documents += 1
        if "error" in record:
            self.failed += 1
            self.failures.append((record["source"], record["error"]))
        else:
            self.warnings += len(record["warnings"])
            self.chars += len(record["text"])


def _pieces(doc: Document, max_chars: int) -> list[tuple[int, str, str]]:
    """``(raw start, separator, raw text)`` of the pieces a document is analysed in."""
    if len(doc.raw) <= max_chars:
        return [(0, "", doc.raw)]
    return [(start, separator, doc.raw[start:end]) for start, end, separator in cut_points(doc.raw, max_chars)]


def _record(doc: Document, pieces: list[tuple[int, str, str]], spacy_docs: list, max_chars: int) -> dict[str, Any]:
    if len(doc.raw) <= max_chars:
        return doc_record(spacy_docs[0], doc.id, doc.source)
    parts = [(start, separator, doc_record(spacy_doc, doc.id, doc.source))
             for (start, separator, _), spacy_doc in zip(pieces, spacy_docs)]
    return merge_records(parts, doc.id, doc.source, max_chars=max_chars, raw_length=len(doc.raw))


def _failed(doc: Document, err: Exception) -> dict[str, Any]:
    return error_record(doc, f"processing failed: {type(err).__name__}: {err}")


def process_document(doc: Document, nlp, max_chars: int = DEFAULT_MAX_CHARS) -> dict[str, Any]:
    """The record of one document (``nlp(raw)`` per piece); never raises for a bad document.

    A document longer than ``max_chars`` is analysed in pieces and their records merged.
    """
    if not doc.ok:
        return error_record(doc)
    try:
        pieces = _pieces(doc, max_chars)
        return _record(doc, pieces, [nlp(text) for _, _, text in pieces], max_chars)
    except Exception as err:  # one bad document must not kill the batch
        return _failed(doc, err)


def process_documents(docs: Iterable[Document], nlp, max_chars: int = DEFAULT_MAX_CHARS,
                      batch_chars: int = BATCH_CHARS) -> Iterator[dict[str, Any]]:
    """Records of ``docs`` in input order, their texts going through ``nlp.pipe`` together while
    they add up to at most ``batch_chars`` characters (memory grows with the characters analysed
    at once; a longer document, or piece of one, goes alone). If a batch raises, its documents are
    done again one by one, so that only the bad one gets an error record."""
    for batch in _groups(docs, lambda doc: len(doc.raw) if doc.ok else 0, batch_chars):
        yield from _process_batch(batch, nlp, max_chars, batch_chars)


def _groups(items: Iterable, length: Callable[[Any], int], limit: int) -> Iterator[list]:
    """``items`` in order, in consecutive groups whose lengths add up to at most ``limit`` (an
    item longer than that alone)."""
    group: list = []
    size = 0
    for item in items:
        if group and size + length(item) > limit:
            yield group
            group, size = [], 0
        group.append(item)
        size += length(item)
    if group:
        yield group


def _analyse(nlp, texts: list[str], batch_chars: int) -> list:
    """``nlp`` over ``texts`` in order, through ``nlp.pipe`` in groups of at most ``batch_chars``."""
    return [doc for group in _groups(texts, len, batch_chars) for doc in nlp.pipe(group, batch_size=len(group))]


def _process_batch(batch: list[Document], nlp, max_chars: int, batch_chars: int) -> list[dict[str, Any]]:
    try:
        pieces = [_pieces(doc, max_chars) if doc.ok else [] for doc in batch]
        spacy_docs = iter(_analyse(nlp, [text for doc_pieces in pieces for _, _, text in doc_pieces], batch_chars))
        records = []
        for doc, doc_pieces in zip(batch, pieces):
            analysed = [next(spacy_docs) for _ in doc_pieces]
            records.append(_record(doc, doc_pieces, analysed, max_chars) if doc.ok else error_record(doc))
        return records
    except Exception:  # find the document that raised: the others still get their records
        return [process_document(doc, nlp, max_chars) for doc in batch]


def run_documents(
    docs: Iterable[Document],
    *,
    model: str | Path | None = None,
    n_process: int = 1,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[dict[str, Any]]:
    """Records of ``docs`` in input order, processed on ``n_process`` processes.

    Raises :class:`ModelNotFoundError` (before any record) when the pipeline cannot be
    loaded, in this process or in a worker.
    """
    from .loader import ModelNotFoundError, default_model_path, verify_model_files

    if n_process <= 1:
        from .loader import load_pipeline

        yield from process_documents(docs, load_pipeline(model), max_chars)
        return
    model_path = Path(model) if model else default_model_path()
    if not (model_path / "config.cfg").exists():
        raise ModelNotFoundError(f"no zhnews pipeline at {model_path} (config.cfg missing)")
    verify_model_files(model_path)  # here, once, rather than as n worker failures
    context = multiprocessing.get_context("forkserver" if _has_forkserver() else "spawn")
    with context.Pool(n_process, initializer=_init_worker, initargs=(str(model_path), max_chars)) as pool:
        for records in pool.imap(_process_in_worker, _groups(docs, lambda _: 1, WORKER_CHUNK)):
            if records and _WORKER_FAILED in records[0]:
                pool.terminate()
                raise ModelNotFoundError(records[0][_WORKER_FAILED])
            yield from records


def _has_forkserver() -> bool:
    return "forkserver" in multiprocessing.get_all_start_methods()


def _init_worker(model: str, max_chars: int) -> None:
    """Load the pipeline once per worker. A failure is kept and reported through the first
    task, not raised: a pool replaces a worker whose initializer raises, forever."""
    global _worker_nlp, _worker_max_chars, _worker_error
    from .loader import load_pipeline

    _worker_max_chars = max_chars
    try:
        _worker_nlp = load_pipeline(model)
    except Exception as err:  # noqa: BLE001 (reported to the parent, which stops the run)
        _worker_error = f"a worker could not load the pipeline: {err}"


def _process_in_worker(docs: list[Document]) -> list[dict[str, Any]]:
    if _worker_error is not None:
        return [{_WORKER_FAILED: _worker_error}]
    return list(process_documents(docs, _worker_nlp, _worker_max_chars))


def timed(summary: RunSummary, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Pass ``records`` through while adding them to ``summary``."""
    start = time.perf_counter()
    for record in records:
        summary.add(record)
        yield record
    summary.seconds = time.perf_counter() - start
