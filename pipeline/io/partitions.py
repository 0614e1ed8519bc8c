"""A run's input cut into partitions: by file, and by line ranges of large JSONL files.

A partition is plain, picklable data (file paths, byte ranges, documents that are already
errors), so it can be read on another process or machine: :func:`read_partition` yields
exactly the documents that :func:`read.iter_documents` yields for that part of the input,
and the partitions in order yield every document once, in input order. The plan's
fingerprint (paths, sizes, modification times, partition bounds) tells a resumed run
whether its input is still the input of the interrupted run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .decode import DecodeError, decode_bytes
from .fs import Location
from .read import DEFAULT_MAX_BYTES, Document, FileSource, ReadStats, is_record_file, iter_sources, read_source, printable

#: Documents per partition (a partition is the unit of scheduling, retry and resumption).
DEFAULT_PARTITION_DOCS = 200


@dataclass(frozen=True)
class Item:
    """One entry of a partition: a whole file, a line range of a JSONL file, or an error document."""

    source: FileSource | None = None
    lines: tuple[int, int, int] | None = None  # (start byte, end byte, first line number)
    error: Document | None = None


@dataclass(frozen=True)
class Partition:
    index: int
    items: tuple[Item, ...] = field(default_factory=tuple)
    documents: int = 0

    def read(self, max_bytes: int = DEFAULT_MAX_BYTES, stats: ReadStats | None = None) -> Iterator[Document]:
        stats = stats if stats is not None else ReadStats()
        for item in self.items:
            if item.error is not None:
                yield item.error
            else:
                yield from read_source(item.source, max_bytes, stats, item.lines)


def plan_partitions(inputs: Iterable[str], *, docs_per_partition: int = DEFAULT_PARTITION_DOCS,
                    stats: ReadStats | None = None, exclude: Iterable[Path] = ()) -> list[Partition]:
    """Partitions of at most ``docs_per_partition`` documents (a text file is one document,
    a JSONL line one), in input order."""
    if docs_per_partition < 1:
        raise ValueError("docs_per_partition must be positive")
    partitions: list[Partition] = []
    items: list[Item] = []
    count = 0

    def close() -> None:
        nonlocal items, count
        if items:
            partitions.append(Partition(len(partitions), tuple(items), count))
        items, count = [], 0

    for source in iter_sources(inputs, stats=stats, exclude=exclude):
        if isinstance(source, Document):
            items.append(Item(error=source))
            count += 1
        elif not source.jsonl:
            items.append(Item(source=source))
            count += 1
        else:
            if _is_record_file(Location(source.path)):
                if stats is not None:
                    stats.skip(source.path, "a file of zhnews records (an earlier run's output), not input")
                continue
            for lines, n in _jsonl_ranges(Location(source.path), docs_per_partition - count, docs_per_partition):
                items.append(Item(source=source, lines=lines))
                count += n
                if count >= docs_per_partition:
                    close()
            continue
        if count >= docs_per_partition:
            close()
    close()
    return partitions


def _is_record_file(path: Location) -> bool:
    try:
        with path.open() as stream:
            return is_record_file(stream.read(1 << 20))
    except OSError:
        return False


def _jsonl_ranges(path: Location, first: int, size: int) -> Iterator[tuple[tuple[int, int, int] | None, int]]:
    """Byte ranges of ``first`` non-blank lines, then of ``size`` each; the whole file as one
    range when it cannot be cut by lines (unreadable, UTF-16/32, or a file of zhnews records,
    which the reader skips)."""
    try:
        with path.open() as stream:
            head = stream.read(1 << 20)
            if is_record_file(head) or head.startswith((b"\xff\xfe", b"\xfe\xff")):
                yield None, 1
                return
            try:
                if head and decode_bytes(head[: head.rfind(b"\n") + 1] or head).encoding.startswith(("utf-16", "utf-32")):
                    yield None, 1
                    return
            except DecodeError:
                yield None, 1
                return
            stream.seek(0)
            start = position = 0
            first_line = lineno = 1
            taken, want = 0, first
            for line in stream:
                position += len(line)
                if line.strip():
                    taken += 1
                if taken == want:
                    yield (start, position, first_line), taken
                    start, first_line, taken, want = position, lineno + 1, 0, size
                lineno += 1
            if position > start:
                yield (start, position, first_line), max(taken, 1)
    except OSError:
        yield None, 1


def plan_fingerprint(partitions: list[Partition], settings: dict) -> str:
    """sha256 over the inputs' paths, sizes and times, the partition bounds and the run's settings."""
    files = {}
    for partition in partitions:
        for item in partition.items:
            if item.source is not None and item.source.path not in files:
                files[item.source.path] = Location(item.source.path).stamp()
    bounds = [[asdict(i) for i in p.items] for p in partitions]
    blob = json.dumps({"files": files, "bounds": bounds, "settings": settings}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8", "backslashreplace")).hexdigest()


def describe(partition: Partition) -> str:
    names = {printable(i.source.path) if i.source else i.error.source for i in partition.items}
    return f"partition {partition.index} ({partition.documents} documents: {', '.join(sorted(names)[:3])}{'…' if len(names) > 3 else ''})"
