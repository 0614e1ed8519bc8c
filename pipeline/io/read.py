"""Inputs → documents: text files, directories, JSONL files and stdin.

Every input yields documents, and a document that cannot be read carries an
``error`` instead of text, so one bad file never stops a batch and never goes
missing from the output.

* A ``.txt`` (or any other explicitly named) file is one document; its id is
  the file name without suffix, its source the path as given.
* A directory is read recursively, in sorted order, taking ``*.txt``, ``*.text``,
  ``*.jsonl`` and ``*.ndjson`` files (hidden ones skipped); ids are paths
  relative to the directory, without suffix.
* A ``.jsonl``/``.ndjson`` file holds one ``{"id", "text"}`` object per line; the
  raw text of such a document is the line's ``text``.
* ``-`` is standard input: JSONL when its first non-blank line is a JSON object,
  otherwise one text document with id ``stdin``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from .decode import DecodeError, decode_bytes

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
#: Refuse files larger than this many bytes (a news article is a few tens of kB).
DEFAULT_MAX_BYTES = 8 * 1024 * 1024


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
    """What the reader passed over without making a document of it."""

    skipped_files: list[str]


def iter_documents(
    inputs: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    stats: ReadStats | None = None,
) -> Iterator[Document]:
    """Documents of all ``inputs``, in order (see the module docstring)."""
    for item in inputs:
        if item == "-":
            yield from _read_stdin(stdin or sys.stdin.buffer, max_bytes)
            continue
        path = Path(item)
        if path.is_dir():
            yield from _read_directory(path, max_bytes, stats)
        else:
            yield from _read_path(path, path.stem, max_bytes)


def _read_directory(root: Path, max_bytes: int, stats: ReadStats | None) -> Iterator[Document]:
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix not in TEXT_SUFFIXES | JSONL_SUFFIXES:
            if stats is not None:
                stats.skipped_files.append(str(path))
            continue
        yield from _read_path(path, relative.with_suffix("").as_posix(), max_bytes)


def _read_path(path: Path, doc_id: str, max_bytes: int) -> Iterator[Document]:
    source = path.as_posix()
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _TooLarge(size, max_bytes)
        data = path.read_bytes()
    except _TooLarge as err:
        yield Document(doc_id, source, error=str(err))
        return
    except FileNotFoundError:
        yield Document(doc_id, source, error="no such file or directory")
        return
    except OSError as err:
        yield Document(doc_id, source, error=f"cannot read: {err.strerror or err}")
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _read_jsonl(data, doc_id, source)
    else:
        yield _text_document(data, doc_id, source)


def _read_stdin(stream: BinaryIO, max_bytes: int) -> Iterator[Document]:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Document("stdin", "<stdin>", error=str(_TooLarge(len(data), max_bytes)))
        return
    first = next((line for line in data.splitlines() if line.strip()), b"")
    if first.lstrip().startswith(b"{"):
        yield from _read_jsonl(data, "stdin", "<stdin>")
    else:
        yield _text_document(data, "stdin", "<stdin>")


def _text_document(data: bytes, doc_id: str, source: str) -> Document:
    try:
        decoded = decode_bytes(data)
    except DecodeError as err:
        return Document(doc_id, source, error=str(err))
    return Document(doc_id, source, raw=decoded.text, encoding=decoded.encoding)


def _read_jsonl(data: bytes, stem: str, source: str) -> Iterator[Document]:
    try:
        decoded = decode_bytes(data)
    except DecodeError as err:
        yield Document(stem, source, error=str(err))
        return
    for lineno, line in enumerate(decoded.text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        fallback_id = f"{stem}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield Document(fallback_id, where, error=f"malformed JSON line: {err.msg} (column {err.colno})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield Document(fallback_id, where, error='JSONL line is not an object with a string "text"')
            continue
        doc_id = str(record["id"]) if record.get("id") is not None else fallback_id
        yield Document(doc_id, where, raw=record["text"], encoding=decoded.encoding)


class _TooLarge(Exception):
    def __init__(self, size: int, limit: int):
        super().__init__(f"file too large: {size:,} bytes > limit {limit:,} (raise --max-bytes)")
