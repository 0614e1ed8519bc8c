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


def compute_manifest(gold_dir: Path) -> dict:
    files = {}
    for path in gold_files(gold_dir):
        examples = load_gold(path)
        files[path.relative_to(gold_dir).as_posix()] = {
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "examples": len(examples),
            "entities": sum(len(e.entities) for e in examples),
            "relations": sum(len(e.relations) for e in examples),
        }
    digest = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
    return {"schema_version": SCHEMA_VERSION, "gold_sha256": digest, "files": files}


def write_manifest(gold_dir: Path) -> Path:
    path = gold_dir / MANIFEST
    path.write_text(json.dumps(compute_manifest(gold_dir), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
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
