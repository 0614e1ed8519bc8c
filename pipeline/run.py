"""Batch runner: documents → records, on one or several processes.

Reading happens in the calling process; normalization and the spaCy pipeline
run in workers that each load the pipeline once. Records come back in input
order. A document whose processing raises gets an error record; the batch
goes on.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from .io.pieces import cut_points, merge_records
from .io.read import Document
from .io.records import document_record, error_record
from .normalize import normalize

#: The longest text analysed in one piece (see ``io/pieces.py``): peak memory of one
#: process stays near 610 MiB (about 470 MiB for the loaded pipeline + 14 kB a character).
DEFAULT_MAX_CHARS = 10_000

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


def process_document(doc: Document, nlp, max_chars: int = DEFAULT_MAX_CHARS) -> dict[str, Any]:
    """The record of one document; never raises for a bad document.

    A document longer than ``max_chars`` is analysed in pieces and their records merged.
    """
    if not doc.ok:
        return error_record(doc)
    try:
        if len(doc.raw) <= max_chars:
            norm = normalize(doc.raw)
            return document_record(doc, norm, nlp(norm.text))
        parts = []
        for start, end, separator in cut_points(doc.raw, max_chars):
            norm = normalize(doc.raw[start:end])
            parts.append((start, separator, document_record(doc, norm, nlp(norm.text))))
        return merge_records(parts, doc.id, doc.source, max_chars=max_chars, raw_length=len(doc.raw))
    except Exception as err:  # one bad document must not kill the batch
        return error_record(doc, f"processing failed: {type(err).__name__}: {err}")


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
    from .model import ModelNotFoundError, default_model_path, verify_model_files

    if n_process <= 1:
        from .model import load_pipeline

        nlp = load_pipeline(model)
        for doc in docs:
            yield process_document(doc, nlp, max_chars)
        return
    model_path = Path(model) if model else default_model_path()
    if not (model_path / "config.cfg").exists():
        raise ModelNotFoundError(f"no zhnews pipeline at {model_path} (config.cfg missing)")
    verify_model_files(model_path)  # here, once, rather than as n worker failures
    context = multiprocessing.get_context("forkserver" if _has_forkserver() else "spawn")
    with context.Pool(n_process, initializer=_init_worker, initargs=(str(model_path), max_chars)) as pool:
        for record in pool.imap(_process_in_worker, docs, chunksize=4):
            if _WORKER_FAILED in record:
                pool.terminate()
                raise ModelNotFoundError(record[_WORKER_FAILED])
            yield record


def _has_forkserver() -> bool:
    return "forkserver" in multiprocessing.get_all_start_methods()


def _init_worker(model: str, max_chars: int) -> None:
    """Load the pipeline once per worker. A failure is kept and reported through the first
    task, not raised: a pool replaces a worker whose initializer raises, forever."""
    global _worker_nlp, _worker_max_chars, _worker_error
    from .model import load_pipeline

    _worker_max_chars = max_chars
    try:
        _worker_nlp = load_pipeline(model)
    except Exception as err:  # noqa: BLE001 (reported to the parent, which stops the run)
        _worker_error = f"a worker could not load the pipeline: {err}"


def _process_in_worker(doc: Document) -> dict[str, Any]:
    if _worker_error is not None:
        return {_WORKER_FAILED: _worker_error}
    return process_document(doc, _worker_nlp, _worker_max_chars)


def timed(summary: RunSummary, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Pass ``records`` through while adding them to ``summary``."""
    start = time.perf_counter()
    for record in records:
        summary.add(record)
        yield record
    summary.seconds = time.perf_counter() - start
