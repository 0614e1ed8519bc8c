"""Inputs → documents: text files, directories, JSONL files and stdin.

Every input yields documents, and a document that cannot be read carries an
``error`` instead of text, so one bad file never stops a batch and never goes
missing from the output.

* A ``.txt`` (or any other explicitly named) file is one document; its id is
  the file name without suffix, its source the path as given.
* A directory is read recursively, in sorted order, taking ``*.txt``, ``*.text``,
  ``*.jsonl`` and ``*.ndjson`` files (hidden ones skipped); ids are paths
  relative to the directory, without suffix. A subdirectory that cannot be
  listed becomes an error document, not a silent gap.
* A ``.jsonl``/``.ndjson`` file holds one ``{"id", "text"}`` object per line; the
  raw text of such a document is the line's ``text``. The file is read line by
  line, so its size is not limited; ``max_bytes`` applies to each line.
* ``-`` is standard input: JSONL when its first non-blank line is a JSON object,
  otherwise one text document with id ``stdin``.

Files this project wrote are not inputs: a JSONL file of zhnews records (objects
with ``tokens``, ``entities`` and ``relations``) and the hidden partial files of a
run in progress are skipped and reported, and the caller may name further files
to leave out (the run's own outputs).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from .decode import DecodeError, decode_bytes
from .fs import Location, is_url, list_files

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
#: Refuse a document larger than this many bytes (a news article is a few tens of kB).
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
#: Bytes read to decide the encoding of a JSONL file before it is read line by line.
_SNIFF_BYTES = 1 << 20
_RECORD_KEYS = {"tokens", "entities", "relations"}


@dataclass(frozen=True)
class Document:
    """One input document: its raw text, or the reason it could not be read."""

    id: str
    source: str
    raw: str | None = None
    encoding: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class ReadStats:
    """What the reader passed over without making a document of it, and why."""

    skipped_files: list[str] = field(default_factory=list)
    skipped_reasons: dict[str, str] = field(default_factory=dict)

    def skip(self, path: str, reason: str) -> None:
        self.skipped_files.append(path)
        self.skipped_reasons[path] = reason


def printable(text: str) -> str:
    """``text`` with what cannot be written as UTF-8 made visible: bytes of a file name
    that is not UTF-8 (``surrogateescape``) as ``\\xNN``, other lone surrogates as U+FFFD."""
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    out = []
    for c in text:
        if "\udc80" <= c <= "\udcff":
            out.append(f"\\x{ord(c) - 0xDC00:02x}")
        elif "\ud800" <= c <= "\udfff":
            out.append("\ufffd")
        else:
            out.append(c)
    return "".join(out)


@dataclass(frozen=True)
class FileSource:
    """A file to read: one document (text) or one per line (JSONL), with its id or id stem."""

    path: str
    doc_id: str

    @property
    def jsonl(self) -> bool:
        return Path(self.path).suffix.lower() in JSONL_SUFFIXES


def iter_sources(inputs: Iterable[str], *, stats: ReadStats | None = None,
                 exclude: Iterable[Path] = ()) -> Iterator[FileSource | Document]:
    """What ``inputs`` name, in reading order: files to read, or documents that are already
    errors (an unreadable directory). Standard input (``-``) is not a source: see
    :func:`iter_documents`."""
    stats = stats if stats is not None else ReadStats()
    excluded = {_key(Path(p)) for p in exclude if not is_url(p)}
    for item in inputs:
        if is_url(item):
            yield from _url_sources(item, stats)
            continue
        path = Path(item)
        if path.is_dir():
            yield from _directory_sources(path, stats, excluded)
        elif _key(path) in excluded:
            stats.skip(printable(str(path)), "an output of this run")
        else:
            yield FileSource(str(path), printable(path.stem))


def iter_documents(
    inputs: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    stats: ReadStats | None = None,
    exclude: Iterable[Path] = (),
) -> Iterator[Document]:
    """Documents of all ``inputs``, in order (see the module docstring).

    ``exclude``: files never read (a run's own output files).
    """
    stats = stats if stats is not None else ReadStats()
    for item in inputs:
        if item == "-":
            yield from _read_stdin(stdin or sys.stdin.buffer, max_bytes)
            continue
        for source in iter_sources([item], stats=stats, exclude=exclude):
            if isinstance(source, Document):
                yield source
            else:
                yield from read_source(source, max_bytes, stats)


def read_source(source: FileSource, max_bytes: int, stats: ReadStats, lines: tuple[int, int, int] | None = None
                ) -> Iterator[Document]:
    """The documents of one file; ``lines`` = ``(start byte, end byte, number of the first line)``
    reads only that range of a JSONL file (a partition of it)."""
    yield from _read_path(Location(source.path), source.doc_id, max_bytes, stats, lines)


def count_documents(inputs: Iterable[str], *, exclude: Iterable[Path] = ()) -> int:
    """How many documents :func:`iter_documents` will yield (files, JSONL lines), for a
    progress bar: reads JSONL files once more, decodes nothing."""
    total = 0
    excluded = {_key(Path(p)) for p in exclude}
    for item in inputs:
        path = Path(item)
        paths = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in paths:
            if _key(file) in excluded or (path.is_dir() and file.suffix.lower() not in TEXT_SUFFIXES | JSONL_SUFFIXES):
                continue
            if file.suffix.lower() in JSONL_SUFFIXES:
                try:
                    with file.open("rb") as stream:
                        total += sum(1 for line in stream if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total


def _key(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())


def _directory_sources(root: Path, stats: ReadStats, excluded: set[str]) -> Iterator[FileSource | Document]:
    found: list[Path] = []
    unreadable: list[tuple[Path, str]] = []

    def failed(err: OSError) -> None:
        unreadable.append((Path(err.filename), err.strerror or str(err)))

    for directory, subdirs, files in os.walk(root, onerror=failed):
        subdirs[:] = [d for d in subdirs if not d.startswith(".")]
        found.extend(Path(directory) / name for name in files if not name.startswith("."))
    for path, reason in unreadable:
        relative = path.relative_to(root) if path != root else Path(".")
        yield Document(printable(relative.as_posix()), printable(path.as_posix()),
                       error=f"cannot read directory: {reason}")
    for path in sorted(found):
        relative = path.relative_to(root)
        suffix = path.suffix.lower()
        if suffix not in TEXT_SUFFIXES | JSONL_SUFFIXES:
            stats.skip(printable(str(path)), "not .txt/.text/.jsonl/.ndjson")
            continue
        if _key(path) in excluded:
            stats.skip(printable(str(path)), "an output of this run")
            continue
        yield FileSource(str(path), printable(relative.with_suffix("").as_posix()))


def _url_sources(url: str, stats: ReadStats) -> Iterator[FileSource]:
    """The files of an fsspec URL (a file, or a folder read like a local one)."""
    try:
        files = list_files(url)
    except (OSError, ValueError, ImportError):
        yield FileSource(url, printable(Path(url.split("://", 1)[1]).stem))  # its reading reports the error
        return
    if files is None:
        yield FileSource(url, printable(Path(url.split("://", 1)[1]).stem))
        return
    for file_url, relative in files:
        parts = Path(relative).parts
        if any(part.startswith(".") for part in parts):
            continue
        if Path(relative).suffix.lower() not in TEXT_SUFFIXES | JSONL_SUFFIXES:
            stats.skip(file_url, "not .txt/.text/.jsonl/.ndjson")
            continue
        yield FileSource(file_url, printable(Path(relative).with_suffix("").as_posix()))


def _read_path(path: "Location", doc_id: str, max_bytes: int, stats: ReadStats,
               lines: tuple[int, int, int] | None = None) -> Iterator[Document]:
    source = printable(Path(path.name).as_posix()) if not path.url else path.name
    jsonl = path.suffix.lower() in JSONL_SUFFIXES
    try:
        if jsonl:
            yield from _read_jsonl_file(path, doc_id, source, max_bytes, stats, lines)
            return
        size = path.size()
        if size > max_bytes:
            yield Document(doc_id, source, error=_too_large(size, max_bytes))
            return
        data = path.read_bytes()
    except FileNotFoundError:
        yield Document(doc_id, source, error="no such file or directory")
        return
    except IsADirectoryError:
        yield Document(doc_id, source, error="is a directory")
        return
    except OSError as err:
        yield Document(doc_id, source, error=f"cannot read: {err.strerror or err}")
        return
    yield _text_document(data, doc_id, source)


def _read_stdin(stream: BinaryIO, max_bytes: int) -> Iterator[Document]:
    head = stream.read(_SNIFF_BYTES)
    first = next((line for line in head.splitlines() if line.strip()), b"")
    if first.lstrip().startswith(b"{") or first.startswith(b"\xef\xbb\xbf{"):
        yield from _jsonl_lines(_chain(head, stream), "stdin", "<stdin>", max_bytes, head)
        return
    data = head + stream.read(max_bytes + 1 - len(head)) if len(head) <= max_bytes else head
    if len(data) > max_bytes:
        yield Document("stdin", "<stdin>", error=_too_large(len(data), max_bytes, "standard input"))
        return
    yield _text_document(data, "stdin", "<stdin>")


def _chain(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """The lines of ``head`` followed by the rest of ``stream`` (a line cut by ``head`` made whole)."""
    lines = head.splitlines(keepends=True)
    pending = lines.pop() if lines and not lines[-1].endswith(b"\n") else b""
    yield from lines
    for line in stream:
        if pending:
            line, pending = pending + line, b""
        yield line
    if pending:
        yield pending


def _text_document(data: bytes, doc_id: str, source: str) -> Document:
    try:
        decoded = decode_bytes(data)
    except DecodeError as err:
        return Document(doc_id, source, error=str(err))
    return Document(doc_id, source, raw=decoded.text, encoding=decoded.encoding)


def _read_jsonl_file(path: "Location", stem: str, source: str, max_bytes: int, stats: ReadStats,
                     lines: tuple[int, int, int] | None = None) -> Iterator[Document]:
    with path.open() as stream:
        head = stream.read(_SNIFF_BYTES)
        if is_record_file(head):
            if lines is None or lines[0] == 0:
                stats.skip(source, "a file of zhnews records (an earlier run's output), not input")
            return
        if lines is None:
            stream.seek(0)
            yield from _jsonl_lines(stream, stem, source, max_bytes, head)
            return
        start, end, first_line = lines
        stream.seek(start)
        yield from _jsonl_lines(_byte_range(stream, end - start), stem, source, max_bytes, head, first_line)


def _byte_range(stream: BinaryIO, size: int) -> Iterator[bytes]:
    while size > 0:
        line = stream.readline(size)
        if not line:
            return
        size -= len(line)
        yield line


def is_record_file(head: bytes) -> bool:
    """Whether the first lines of a JSONL file are zhnews output records."""
    for line in head.splitlines()[:5]:
        try:
            record = json.loads(line.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(record, dict) and _RECORD_KEYS <= record.keys():
            return True
    return False


def _jsonl_lines(lines: Iterable[bytes], stem: str, source: str, max_bytes: int, head: bytes,
                 first_line: int = 1) -> Iterator[Document]:
    """Documents of a JSONL stream, decoded with the encoding that its first megabyte shows."""
    sample = head[: head.rfind(b"\n") + 1] or head
    try:
        encoding = decode_bytes(sample).encoding if sample else "utf-8"
    except DecodeError as err:
        yield Document(stem, source, error=str(err))
        return
    if encoding.startswith(("utf-16", "utf-32")):  # line breaks are not single bytes: decode whole
        data = b"".join(lines)
        try:
            text = decode_bytes(data).text
        except DecodeError as err:
            yield Document(stem, source, error=str(err))
            return
        lines = (line.encode("utf-8") for line in text.splitlines(keepends=True))
        encoding = "utf-8"
    for lineno, raw_line in enumerate(lines, start=first_line):
        if lineno == 1 and raw_line.startswith(b"\xef\xbb\xbf"):
            raw_line = raw_line[3:]
        if not raw_line.strip():
            continue
        where = f"{source}:{lineno}"
        fallback_id = f"{stem}:{lineno}"
        if len(raw_line) > max_bytes:
            yield Document(fallback_id, where, error=_too_large(len(raw_line), max_bytes, "line"))
            continue
        try:
            record = json.loads(raw_line.decode(encoding))
        except UnicodeDecodeError as err:
            yield Document(fallback_id, where, error=f"line is not {encoding}: {err.reason} at byte {err.start}")
            continue
        except json.JSONDecodeError as err:
            yield Document(fallback_id, where, error=f"malformed JSON line: {err.msg} (column {err.colno})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield Document(fallback_id, where, error='JSONL line is not an object with a string "text"')
            continue
        doc_id = printable(str(record["id"])) if record.get("id") is not None else fallback_id
        yield Document(doc_id, where, raw=record["text"], encoding=encoding)


def _too_large(size: int, limit: int, what: str = "file") -> str:
    return f"{what} too large: {size:,} bytes > limit {limit:,} (raise --max-bytes)"
