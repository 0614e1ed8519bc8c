"""Gold examples ↔ doccano upload/export rows, and the hashes that tie them together.

An upload row is the gold line without ``id`` (doccano would otherwise export our id
in place of its own) plus a ``zhnews`` column that doccano keeps in ``example.meta``
and exports back at the top level:

* ``key``: hash of source, raw range and text: the same paragraph is never uploaded twice;
* ``base``: hash of the annotations as pushed: a pull compares it with the repo and with
  doccano to tell an annotator's edit from a repo edit, and both from a conflict;
* ``id``: the example id the paragraph had when pushed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..gold.format import GoldEntity, GoldExample, GoldRelation
from ..gold.keys import example_key

ZHNEWS = "zhnews"


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def content_key(example: GoldExample) -> str:
    return _digest([list(example_key(example)), example.text])


def annotation_signature(example: GoldExample) -> tuple:
    """The annotations without ids: entities by offsets and label, relations by their entities' offsets."""
    entities = sorted((e.start, e.end, e.label) for e in example.entities)
    relations = []
    for r in example.relations:
        head, tail = example.entity(r.head), example.entity(r.tail)
        if head and tail:
            relations.append(((head.start, head.end), (tail.start, tail.end), r.type))
    return tuple(entities), tuple(sorted(relations))


def annotation_hash(example: GoldExample) -> str:
    return _digest(annotation_signature(example))


def upload_row(example: GoldExample) -> dict[str, Any]:
    data = example.to_json()
    return {
        "text": data["text"],
        "entities": data["entities"],
        "relations": data["relations"],
        "meta": data["meta"],
        ZHNEWS: {"key": content_key(example), "base": annotation_hash(example), "id": example.id},
    }


def remote_key(meta: dict[str, Any]) -> str | None:
    """The content key of an example as doccano lists it (its ``meta`` holds the upload's extra columns)."""
    info = meta.get(ZHNEWS)
    return info.get("key") if isinstance(info, dict) else None


def example_from_export(row: dict[str, Any], where: str) -> tuple[GoldExample, dict[str, Any]]:
    """A doccano export row → (example with doccano's ids, the row's ``zhnews`` info)."""
    entities = [GoldEntity(int(e["id"]), str(e["label"]), int(e["start_offset"]), int(e["end_offset"]))
                for e in row.get("entities", [])]
    relations = [GoldRelation(int(r["id"]), int(r["from_id"]), int(r["to_id"]), str(r["type"]))
                 for r in row.get("relations", [])]
    example = GoldExample(row["id"], row["text"], entities, relations, dict(row.get("meta") or {}), where, 0)
    info = row.get(ZHNEWS) if isinstance(row.get(ZHNEWS), dict) else {}
    return example, info
