"""``manifest.json``: which gold files, with which content, an evaluation used.

Written by ``zhnews gold manifest``; checked by ``zhnews gold validate`` so a
gold edit without a new manifest is caught; named in every evaluation report.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..labels import SCHEMA_VERSION
from .format import gold_files, load_gold

MANIFEST = "manifest.json"


#: Per-file fields that are decisions, not measurements: kept when the manifest is rewritten.
KEPT_FIELDS = ("split", "source")


def compute_manifest(gold_dir: Path, extra: dict[str, dict] | None = None) -> dict:
    """sha256 and counts of every gold file, plus ``extra`` fields per file (its split and source)."""
    files = {}
    for path in gold_files(gold_dir):
        examples = load_gold(path)
        name = path.relative_to(gold_dir).as_posix()
        files[name] = {
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "examples": len(examples),
            "entities": sum(len(e.entities) for e in examples),
            "relations": sum(len(e.relations) for e in examples),
            **(extra or {}).get(name, {}),
        }
    counted = {name: {k: v for k, v in row.items() if k not in KEPT_FIELDS} for name, row in files.items()}
    digest = hashlib.sha256(json.dumps(counted, sort_keys=True).encode()).hexdigest()
    return {"schema_version": SCHEMA_VERSION, "gold_sha256": digest, "files": files}


def recorded_fields(gold_dir: Path) -> dict[str, dict]:
    """The kept fields (split, source) of each file in the existing manifest."""
    path = gold_dir / MANIFEST
    if not path.exists():
        return {}
    files = json.loads(path.read_text(encoding="utf-8")).get("files", {})
    return {name: {k: v[k] for k in KEPT_FIELDS if k in v} for name, v in files.items()}


def write_manifest(gold_dir: Path, extra: dict[str, dict] | None = None) -> Path:
    """Rewrite ``manifest.json``; the split and source of each file are kept unless ``extra`` gives them."""
    fields = recorded_fields(gold_dir)
    for name, values in (extra or {}).items():
        fields.setdefault(name, {}).update(values)
    path = gold_dir / MANIFEST
    path.write_text(json.dumps(compute_manifest(gold_dir, fields), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def manifest_problems(gold_dir: Path) -> list[str]:
    """Differences between ``manifest.json`` and the gold files as they are."""
    path = gold_dir / MANIFEST
    if not path.exists():
        return [f"{path} is missing: run `zhnews gold manifest {gold_dir}`"]
    recorded = json.loads(path.read_text(encoding="utf-8")).get("files", {})
    current = compute_manifest(gold_dir)["files"]
    problems = []
    for name in sorted(set(recorded) | set(current)):
        if name not in current:
            problems.append(f"{name} is in {MANIFEST} but not in {gold_dir}")
        elif name not in recorded:
            problems.append(f"{name} is not in {MANIFEST}")
        elif recorded[name]["sha256"] != current[name]["sha256"]:
            problems.append(f"{name} changed since {MANIFEST} was written")
    if problems:
        problems.append(f"after reviewing the change, run `zhnews gold manifest {gold_dir}` and record it in annotations/CHANGELOG.md")
    return problems
