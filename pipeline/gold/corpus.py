"""The raw text behind a gold example whose source is a record of the shared corpora.

News gold examples name their source as ``corpora/<file>`` plus ``meta.source_id`` (the
record's id, or the CSV row's id): the corpora are read through a path option
(``--corpora`` or ``ZHNEWS_CORPORA``) and never copied into the repository.
"""

from __future__ import annotations

import csv
import json
import os
from functools import lru_cache
from pathlib import Path

PREFIX = "corpora/"
CCF_PREFIX = "ccf_bdci_test:"


class CorpusUnavailable(LookupError):
    """The corpora folder is not given or does not hold the record."""


def is_corpus_source(source: str) -> bool:
    return source.startswith(PREFIX)


def default_corpora() -> Path | None:
    value = os.environ.get("ZHNEWS_CORPORA")
    return Path(value) if value else None


@lru_cache(maxsize=16)
def _index(path: Path) -> dict[str, str]:
    if path.suffix == ".csv":
        csv.field_size_limit(1 << 30)
        with path.open(encoding="utf-8", newline="") as stream:
            return {f"{CCF_PREFIX}{row['id']}": row["text"] for row in csv.DictReader(stream) if row.get("text")}
    texts = {}
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            texts[record["id"]] = record["text"]
    return texts


def corpus_record_text(corpora: Path | None, source: str, source_id: str) -> str:
    """The text of record ``source_id`` of ``corpora/<file>``; :class:`CorpusUnavailable` if absent."""
    if corpora is None:
        raise CorpusUnavailable(f"{source} is in the shared corpora: give --corpora or set ZHNEWS_CORPORA")
    path = Path(corpora) / source[len(PREFIX):]
    if not path.is_file():
        raise CorpusUnavailable(f"{path} not found (is --corpora/ZHNEWS_CORPORA the shared corpora folder?)")
    try:
        return _index(path.resolve())[source_id]
    except KeyError:
        raise CorpusUnavailable(f"{path} has no record {source_id!r}") from None
