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

from .io.read import Document
from .io.records import document_record, error_record
from .normalize import normalize

_worker_nlp = None


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


def process_document(doc: Document, nlp) -> dict[str, Any]:
    """The record of one document; never raises for a bad document."""
    if not doc.ok:
        return error_record(doc)
    try:
        norm = normalize(doc.raw)
        return document_record(doc, norm, nlp(norm.text))
    except Exception as err:  # one bad document must not kill the batch
        return error_record(doc, f"processing failed: {type(err).__name__}: {err}")


def run_documents(
    docs: Iterable[Document],
    *,
    model: str | Path | None = None,
    n_process: int = 1,
) -> Iterator[dict[str, Any]]:
    """Records of ``docs`` in input order, processed on ``n_process`` processes."""
    if n_process <= 1:
        from .model import load_pipeline

        nlp = load_pipeline(model)
        for doc in docs:
            yield process_document(doc, nlp)
        return
    context = multiprocessing.get_context("forkserver" if _has_forkserver() else "spawn")
    with context.Pool(n_process, initializer=_init_worker, initargs=(str(model) if model else None,)) as pool:
        yield from pool.imap(_process_in_worker, docs, chunksize=4)


def _has_forkserver() -> bool:
    return "forkserver" in multiprocessing.get_all_start_methods()


def _init_worker(model: str | None) -> None:
    global _worker_nlp
    from .model import load_pipeline

    _worker_nlp = load_pipeline(model)


def _process_in_worker(doc: Document) -> dict[str, Any]:
    return process_document(doc, _worker_nlp)


def timed(summary: RunSummary, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Pass ``records`` through while adding them to ``summary``."""
    start = time.perf_counter()
    for record in records:
        summary.add(record)
        yield record
    summary.seconds = time.perf_counter() - start
