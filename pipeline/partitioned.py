"""Resumable runs: the input in partitions, each written on its own, a journal, one merge.

``zhnews run INPUTS -o OUT`` cuts the input into partitions (``io/partitions.py``). Each
partition's records (and facts rows) are written to ``.OUT.parts/NNNNNN.jsonl`` (write,
then rename), and a line in ``.OUT.parts/journal.jsonl`` records it as finished, with the
sha256 of its files. When every partition is done, the parts are merged, in input order,
into ``OUT`` (write, then rename) and the parts folder is removed: the output is the same
byte for byte as one pass over the input. After an interruption (Ctrl-C, a killed
process, a lost worker) ``--resume`` checks that the input is the one of the journal and
runs only the partitions it does not record.

Where partitions run is an executor's business: this process (``n_process`` 1), a pool of
processes, or a Dask cluster (``cluster.py``, imported only for ``--cluster``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import multiprocessing
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .io.facts import FACT_COLUMNS, facts_from_record
from .io.fs import is_url, write_text_url
from .io.outputs import atomic_output
from .io.partitions import DEFAULT_PARTITION_DOCS, Partition, plan_fingerprint, plan_partitions
from .io.read import DEFAULT_MAX_BYTES, ReadStats
from .io.records import write_record
from .run import DEFAULT_MAX_CHARS, RunSummary, process_documents

JOURNAL = "journal.jsonl"
PLAN = "plan.json"


class ResumeError(ValueError):
    """The journal of an interrupted run cannot be used (input changed, or not asked to resume)."""


@dataclass
class PartitionResult:
    index: int
    documents: int = 0
    failed: int = 0
    warnings: int = 0
    chars: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    records_sha256: str = ""
    facts_sha256: str = ""
    seconds: float = 0.0  # time spent inside the task (reading, analysis, writing)

    def add_to(self, summary: RunSummary) -> None:
        summary.documents += self.documents
        summary.failed += self.failed
        summary.warnings += self.warnings
        summary.chars += self.chars
        summary.failures.extend(tuple(f) for f in self.failures)


def parts_dir_for(output) -> Path:
    """Beside a local output; for an fsspec URL output, in the current directory (named after the URL)."""
    if is_url(output):
        return Path.cwd() / f".zhnews-{hashlib.sha256(str(output).encode()).hexdigest()[:12]}.parts"
    return output.parent / f".{output.name}.parts"


def process_partition(partition: Partition, parts_dir: Path, nlp, *, max_chars: int = DEFAULT_MAX_CHARS,
                      max_bytes: int = DEFAULT_MAX_BYTES, facts: bool = False) -> PartitionResult:
    """Analyse one partition and write its part files (each complete or absent)."""
    started = time.perf_counter()
    result = PartitionResult(partition.index)
    records, rows = io.StringIO(), io.StringIO()
    writer = csv.DictWriter(rows, fieldnames=FACT_COLUMNS, extrasaction="ignore")
    for record in process_documents(partition.read(max_bytes), nlp, max_chars):
        record = write_record(records, record)
        summary = RunSummary()
        summary.add(record)
        result.documents += 1
        result.failed += summary.failed
        result.warnings += summary.warnings
        result.chars += summary.chars
        result.failures.extend(summary.failures)
        if facts:
            for row in facts_from_record(record):
                writer.writerow(row)
    name = f"{partition.index:06d}"
    result.records_sha256 = _write(parts_dir / f"{name}.jsonl", records.getvalue())
    if facts:
        result.facts_sha256 = _write(parts_dir / f"{name}.facts.csv", rows.getvalue())
    result.seconds = round(time.perf_counter() - started, 4)
    return result


def _write(path: Path, text: str) -> str:
    # not fsynced: the journal (which is) records the part's sha256, and a resumed run
    # re-runs a partition whose part file does not match it
    with atomic_output(path, newline="", durable=False) as stream:
        stream.write(text)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class Journal:
    """Finished partitions, one JSON line each, flushed to disk as they finish."""

    def __init__(self, parts_dir: Path):
        self.path = parts_dir / JOURNAL
        self.parts_dir = parts_dir

    def finished(self, facts: bool) -> dict[int, PartitionResult]:
        """Recorded partitions whose part files are still there and unchanged."""
        done: dict[int, PartitionResult] = {}
        if not self.path.exists():
            return done
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by the interruption: that partition runs again
            result = PartitionResult(**entry)
            name = f"{result.index:06d}"
            if _file_sha256(self.parts_dir / f"{name}.jsonl") != result.records_sha256:
                continue
            if facts and _file_sha256(self.parts_dir / f"{name}.facts.csv") != result.facts_sha256:
                continue
            done[result.index] = result
        return done

    def record(self, result: PartitionResult) -> None:
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
            stream.flush()
            os.fsync(stream.fileno())


def prepare(inputs: list[str], output: Path, *, resume: bool, facts: bool, docs_per_partition: int,
            stats: ReadStats, exclude: Iterable[Path], settings: dict) -> tuple[list[Partition], Path, Journal, dict[int, PartitionResult]]:
    """The plan, the parts folder and its journal, and what an interrupted run already finished."""
    partitions = plan_partitions(inputs, docs_per_partition=docs_per_partition, stats=stats, exclude=exclude)
    parts_dir = parts_dir_for(output)
    fingerprint = plan_fingerprint(partitions, {**settings, "facts": facts})
    journal = Journal(parts_dir)
    plan_path = parts_dir / PLAN
    if parts_dir.exists() and (parts_dir / JOURNAL).exists():
        if not resume:
            raise ResumeError(f"an interrupted run left {parts_dir}: pass --resume to finish it, or delete that folder")
        recorded = json.loads(plan_path.read_text(encoding="utf-8")).get("fingerprint") if plan_path.exists() else None
        if recorded != fingerprint:
            raise ResumeError(f"the input or the settings changed since the interrupted run ({parts_dir}): "
                              "delete that folder to start again")
        return partitions, parts_dir, journal, journal.finished(facts)
    shutil.rmtree(parts_dir, ignore_errors=True)
    parts_dir.mkdir(parents=True)
    plan_path.write_text(json.dumps({"fingerprint": fingerprint, "partitions": len(partitions)}) + "\n", encoding="utf-8")
    return partitions, parts_dir, journal, {}


def merge(partitions: list[Partition], parts_dir: Path, output, facts) -> None:
    """Concatenate the part files in input order into the outputs (each written, then renamed;
    an fsspec URL gets the finished file uploaded under a temporary name, then moved)."""
    if is_url(output) or is_url(facts or ""):
        staged_output = parts_dir / "merged.jsonl" if is_url(output) else output
        staged_facts = (parts_dir / "merged.facts.csv" if is_url(facts) else facts) if facts is not None else None
        merge(partitions, parts_dir, staged_output, staged_facts)
        if is_url(output):
            write_text_url(str(output), staged_output)
        if facts is not None and is_url(facts):
            write_text_url(str(facts), staged_facts)
        return
    with atomic_output(output) as stream:
        for partition in partitions:
            with (parts_dir / f"{partition.index:06d}.jsonl").open(encoding="utf-8", newline="") as part:
                shutil.copyfileobj(part, stream)
    if facts is not None:
        with atomic_output(facts, newline="") as stream:
            stream.write("\ufeff")
            csv.DictWriter(stream, fieldnames=FACT_COLUMNS).writeheader()
            for partition in partitions:
                with (parts_dir / f"{partition.index:06d}.facts.csv").open(encoding="utf-8", newline="") as part:
                    shutil.copyfileobj(part, stream)


Executor = Callable[[list[Partition]], Iterator[PartitionResult]]


def local_executor(parts_dir: Path, *, model, n_process: int, max_chars: int, max_bytes: int, facts: bool) -> Executor:
    """Partitions in this process, or in a pool of ``n_process`` processes (each loads the pipeline once)."""
    from .loader import ModelNotFoundError, default_model_path, load_pipeline, verify_model_files

    def run(todo: list[Partition]) -> Iterator[PartitionResult]:
        if n_process <= 1:
            nlp = load_pipeline(model)
            for partition in todo:
                yield process_partition(partition, parts_dir, nlp, max_chars=max_chars, max_bytes=max_bytes, facts=facts)
            return
        path = Path(model) if model else default_model_path()
        if not (path / "config.cfg").exists():
            raise ModelNotFoundError(f"no zhnews pipeline at {path} (config.cfg missing)")
        verify_model_files(path)
        context = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
        settings = (str(path), parts_dir, max_chars, max_bytes, facts)
        with context.Pool(n_process, initializer=_init_worker, initargs=(settings,)) as pool:
            for result in pool.imap_unordered(_in_worker, todo):
                if isinstance(result, str):
                    pool.terminate()
                    raise ModelNotFoundError(result)
                yield result

    return run


_worker: dict[str, Any] = {}


def _init_worker(settings) -> None:
    from .loader import load_pipeline

    model, *_ = settings
    _worker["settings"] = settings
    try:
        _worker["nlp"] = load_pipeline(model)
    except Exception as err:  # noqa: BLE001 (reported through the first task: a pool respawns a failed initializer forever)
        _worker["error"] = f"a worker could not load the pipeline: {err}"


def _in_worker(partition: Partition) -> PartitionResult | str:
    if "error" in _worker:
        return _worker["error"]
    _, parts_dir, max_chars, max_bytes, facts = _worker["settings"]
    return process_partition(partition, parts_dir, _worker["nlp"], max_chars=max_chars, max_bytes=max_bytes, facts=facts)


def run_partitioned(partitions: list[Partition], parts_dir: Path, journal: Journal, finished: dict[int, PartitionResult],
                    execute: Executor, *, output: Path, facts: Path | None, summary: RunSummary,
                    advance: Callable[[int], None] = lambda n: None) -> None:
    """Run what the journal does not record, then merge; ``summary`` counts every document."""
    for result in finished.values():
        result.add_to(summary)
        advance(result.documents)
    todo = [p for p in partitions if p.index not in finished]
    for result in execute(todo):
        journal.record(result)
        result.add_to(summary)
        advance(result.documents)
    merge(partitions, parts_dir, output, facts)
    shutil.rmtree(parts_dir, ignore_errors=True)


__all__ = ["DEFAULT_PARTITION_DOCS", "Journal", "PartitionResult", "ResumeError", "local_executor", "merge",
           "parts_dir_for", "prepare", "process_partition", "run_partitioned"]
