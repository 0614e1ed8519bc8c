"""The gold file format: doccano's JSONL export for sequence labelling with relations.

One example per line (``../shared/annotation-schema.md``, "Gold file format")::

    {"id": 17, "text": "…", "entities": [{"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 5}],
     "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "INVESTMENT"}],
     "meta": {"source": "seeds/002_….txt", "raw_start": 120, "raw_end": 388, "doc_id": "002_…"}}

This module is the only place that reads or writes it. Loading is lenient about
content (the validator judges it) but strict about shape: a line that is not an
example of this form raises :class:`GoldFormatError` naming file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable


class GoldFormatError(ValueError):
    pass


@dataclass(frozen=True)
class GoldEntity:
    id: int
    label: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "start_offset": self.start, "end_offset": self.end}


@dataclass(frozen=True)
class GoldRelation:
    id: int
    head: int  # entity id (doccano's from_id)
    tail: int  # entity id (doccano's to_id)
    type: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "from_id": self.head, "to_id": self.tail, "type": self.type}


@dataclass
class GoldExample:
    id: int | str
    text: str
    entities: list[GoldEntity] = field(default_factory=list)
    relations: list[GoldRelation] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    #: where it was read from, for messages; not serialized
    path: str = ""
    line: int = 0

    @property
    def source(self) -> str:
        return str(self.meta.get("source", ""))

    @property
    def doc_id(self) -> str:
        return str(self.meta.get("doc_id") or Path(self.source).stem)

    def entity(self, entity_id: int) -> GoldEntity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def entity_text(self, entity: GoldEntity) -> str:
        return self.text[entity.start:entity.end]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "entities": [e.to_json() for e in sorted(self.entities, key=lambda e: (e.start, e.end, e.id))],
            "relations": [r.to_json() for r in sorted(self.relations, key=lambda r: r.id)],
            "meta": self.meta,
        }


def gold_files(path: str | Path) -> list[Path]:
    """``path`` itself if it is a file, else the ``*.jsonl`` files in it (not in subfolders), sorted."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.glob("*.jsonl") if not p.name.startswith("."))
    if path.exists():
        return [path]
    raise FileNotFoundError(f"no gold file or directory at {path}")


def load_gold(path: str | Path) -> list[GoldExample]:
    """All examples of a gold file or directory, in file and line order.

    Raises :class:`GoldFormatError` for the first malformed line; :func:`load_gold_checked`
    collects every one.
    """
    examples, errors = load_gold_checked(path)
    if errors:
        raise GoldFormatError(errors[0])
    return examples


def load_gold_checked(path: str | Path) -> tuple[list[GoldExample], list[str]]:
    """The examples that parse, and one message per file or line that does not (a file
    with no example at all is one of them). A UTF-8 byte-order mark is allowed."""
    examples, errors = [], []
    for file in gold_files(path):
        found = 0
        try:
            with file.open(encoding="utf-8-sig") as stream:
                for lineno, line in enumerate(stream, start=1):
                    if not line.strip():
                        continue
                    try:
                        examples.append(_parse_example(line, str(file), lineno))
                        found += 1
                    except GoldFormatError as err:
                        errors.append(str(err))
        except UnicodeDecodeError as err:
            errors.append(f"{file}: not UTF-8 text: {err.reason} at byte {err.start}")
            continue
        except OSError as err:
            errors.append(f"{file}: cannot read: {err.strerror or err}")
            continue
        if not found and not any(e.startswith(f"{file}:") for e in errors):
            errors.append(f"{file}: no examples (an empty gold file)")
    return examples, errors


def _int(value: Any, what: str) -> int:
    """An integer field: JSON integers only (not 1.9, "6" or true, which int() would take)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an integer, not {type(value).__name__} {value!r}")
    return value


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, not {type(value).__name__} {value!r}")
    return value


def _parse_example(line: str, path: str, lineno: int) -> GoldExample:
    where = f"{path}:{lineno}"
    try:
        data = json.loads(line)
        if not isinstance(data, dict):
            raise TypeError(f"an example must be an object, not {type(data).__name__}")
        entities_data = data.get("entities", [])
        relations_data = data.get("relations", [])
        if not isinstance(entities_data, list) or not isinstance(relations_data, list):
            raise TypeError("entities and relations must be lists")
        entities = [
            GoldEntity(_int(e["id"], "entity id"), _str(e["label"], "entity label"),
                       _int(e["start_offset"], "start_offset"), _int(e["end_offset"], "end_offset"))
            for e in entities_data
        ]
        relations = [
            GoldRelation(_int(r["id"], "relation id"), _int(r["from_id"], "from_id"), _int(r["to_id"], "to_id"),
                         _str(r["type"], "relation type"))
            for r in relations_data
        ]
        text = _str(data["text"], "text")
        example_id = data["id"]
        if isinstance(example_id, bool) or not isinstance(example_id, (int, str)):
            raise TypeError(f"example id must be an integer or a string, not {example_id!r}")
        meta = data.get("meta") or {}
        if not isinstance(meta, dict):
            raise TypeError(f"meta must be an object, not {type(meta).__name__}")
        return GoldExample(example_id, text, entities, relations, dict(meta), path, lineno)
    except json.JSONDecodeError as err:
        raise GoldFormatError(f"{where}: not JSON: {err.msg}") from None
    except KeyError as err:
        raise GoldFormatError(f"{where}: not a doccano example with entities and relations: missing field {err}") from None
    except (TypeError, ValueError) as err:
        raise GoldFormatError(f"{where}: not a doccano example with entities and relations: {err}") from None


def dumps_example(example: GoldExample) -> str:
    """The canonical one-line serialization (stable key order, entities sorted)."""
    return json.dumps(example.to_json(), ensure_ascii=False, sort_keys=False)


def dump_examples(examples: Iterable[GoldExample], path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as stream:
        for example in examples:
            stream.write(dumps_example(example) + "\n")
