"""``zhnews doccano pull``: a doccano project's export → a new gold revision.

Nothing is written unless the whole export passes the gold validator. Each exported
example finds its gold example by :func:`example_key` (meta source + raw range; doccano's
ids change on export). Then, with ``base`` the annotations as pushed:

* doccano == repo: nothing to do;
* doccano == base (only the repo changed since the push): the repo's version stays;
* repo == base (only doccano changed): the example is replaced, keeping the gold's
  example id and meta and the ids of entities and relations that are still there
  (new ones get the file's next free ids) — deterministic, so a re-pull is a no-op;
* otherwise (both changed, or no base): a conflict, reported and left alone.

Examples with no gold counterpart are appended to ``<doc_id>.jsonl``. Only files with
a change are rewritten; the manifest is rewritten and ``CHANGELOG.md`` gets an entry.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..gold.format import GoldEntity, GoldExample, GoldRelation, dump_examples, gold_files, load_gold
from ..gold.keys import example_key
from ..gold.manifest import write_manifest
from ..gold.validate import validate_examples
from .client import DoccanoClient
from .rows import annotation_hash, example_from_export


class PullError(RuntimeError):
    pass


@dataclass
class ExampleChange:
    file: str
    doc_id: str
    example_id: object
    kind: str  # "changed" | "added"
    lines: list[str]


@dataclass
class PullResult:
    project: str
    exported: int = 0
    unchanged: int = 0
    kept_repo: int = 0
    changes: list[ExampleChange] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    revision: int | None = None

    def summary(self) -> str:
        changed = sum(c.kind == "changed" for c in self.changes)
        added = sum(c.kind == "added" for c in self.changes)
        return (f"{self.exported} exported: {changed} changed, {added} added, {self.unchanged} unchanged, "
                f"{self.kept_repo} newer in the repo, {len(self.conflicts)} conflict(s)")


def _describe_entity(ex: GoldExample, e: GoldEntity) -> str:
    return f"{e.label} {ex.text[e.start:e.end]!r} [{e.start},{e.end})"


def _describe_relation(ex: GoldExample, r: GoldRelation) -> str:
    head, tail = ex.entity(r.head), ex.entity(r.tail)
    h = ex.text[head.start:head.end] if head else "?"
    t = ex.text[tail.start:tail.end] if tail else "?"
    return f"{r.type} {h!r} -> {t!r}"


def diff_lines(old: GoldExample | None, new: GoldExample) -> list[str]:
    """Entities and relations added, removed and changed (same label, overlapping span), id-free."""
    old = old or GoldExample(new.id, new.text)
    key = lambda e: (e.start, e.end, e.label)  # noqa: E731
    old_e = {key(e): e for e in old.entities}
    new_e = {key(e): e for e in new.entities}
    removed = [old_e[k] for k in sorted(set(old_e) - set(new_e))]
    added = [new_e[k] for k in sorted(set(new_e) - set(old_e))]
    lines = []
    for r in list(removed):
        match = next((a for a in added if a.label == r.label and a.start < r.end and r.start < a.end), None)
        if match:
            lines.append(f"~ entity {_describe_entity(old, r)} → {old.text[match.start:match.end]!r} [{match.start},{match.end})")
            removed.remove(r)
            added.remove(match)
    lines += [f"- entity {_describe_entity(old, e)}" for e in removed]
    lines += [f"+ entity {_describe_entity(new, e)}" for e in added]
    old_r = {_describe_relation(old, r) for r in old.relations}
    new_r = {_describe_relation(new, r) for r in new.relations}
    lines += [f"- relation {d}" for d in sorted(old_r - new_r)]
    lines += [f"+ relation {d}" for d in sorted(new_r - old_r)]
    return lines


def renumber(remote: GoldExample, old: GoldExample | None, *, example_id, meta: dict,
             next_entity: int, next_relation: int) -> tuple[GoldExample, int, int]:
    """``remote`` with gold ids: kept where the entity/relation is still there, else the next free ones."""
    old_entities = list(old.entities) if old else []
    mapping: dict[int, int] = {}
    free = {(e.start, e.end, e.label): e for e in old_entities}
    pending = []
    for e in sorted(remote.entities, key=lambda e: (e.start, e.end, e.label, e.id)):
        hit = free.pop((e.start, e.end, e.label), None)
        if hit is not None:
            mapping[e.id] = hit.id
        else:
            pending.append(e)
    unused = sorted(free.values(), key=lambda e: (e.start, e.end))
    for e in pending:  # same label, overlapping: the same entity with a corrected span
        hit = next((o for o in unused if o.label == e.label and o.start < e.end and e.start < o.end), None)
        if hit is not None:
            unused.remove(hit)
            mapping[e.id] = hit.id
        else:
            mapping[e.id] = next_entity
            next_entity += 1
    entities = [GoldEntity(mapping[e.id], e.label, e.start, e.end) for e in remote.entities]
    old_relations = {(r.head, r.tail, r.type): r.id for r in (old.relations if old else [])}
    relations = []
    for r in sorted(remote.relations, key=lambda r: (mapping[r.head], mapping[r.tail], r.type, r.id)):
        head, tail = mapping[r.head], mapping[r.tail]
        rid = old_relations.pop((head, tail, r.type), None)
        if rid is None:
            rid, next_relation = next_relation, next_relation + 1
        relations.append(GoldRelation(rid, head, tail, r.type))
    new = GoldExample(example_id, remote.text, entities, relations, meta,
                      old.path if old else "", old.line if old else 0)
    return new, next_entity, next_relation


def _next_ids(examples: list[GoldExample]) -> tuple[int, int]:
    return (max((e.id for ex in examples for e in ex.entities), default=0) + 1,
            max((r.id for ex in examples for r in ex.relations), default=0) + 1)


def pull(
    client: DoccanoClient,
    project_name: str,
    gold_dir: Path,
    *,
    root: Path,
    changelog: Path | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> PullResult:
    project = client.get_project(project_name)
    rows = client.export_jsonl(project)
    remote = [example_from_export(row, f"doccano:{project.name}:{row.get('id')}") for row in rows]
    result = PullResult(project.name, exported=len(remote))
    problems = [str(p) for p in validate_examples([ex for ex, _ in remote], root=root)]
    keys = [example_key(ex) for ex, _ in remote]
    problems += [f"doccano example {ex.id}: no meta.source/raw_start/raw_end" for ex, _ in remote if len(example_key(ex)) < 3]
    if problems:
        raise PullError(f"the export of {project.name!r} fails validation; gold not changed:\n" + "\n".join(problems))
    if len(set(keys)) != len(keys):
        raise PullError(f"the export of {project.name!r} has the same source range twice (a duplicated import?); gold not changed")

    gold_dir.mkdir(parents=True, exist_ok=True)
    files: dict[Path, list[GoldExample]] = {path: load_gold(path) for path in gold_files(gold_dir)}
    index = {example_key(ex): (path, i) for path, exs in files.items() for i, ex in enumerate(exs)}
    used_ids = {ex.id for exs in files.values() for ex in exs}
    counters = {path: _next_ids(exs) for path, exs in files.items()}
    touched: set[Path] = set()

    for ex, info in remote:
        key = example_key(ex)
        theirs = annotation_hash(ex)
        base = info.get("base")
        if key in index:
            path, i = index[key]
            current = files[path][i]
            ours = annotation_hash(current)
            if ours == theirs:
                result.unchanged += 1
                continue
            where = f"{path.name}:{i + 1} example {current.id} ({current.doc_id})"
            if current.text != ex.text:
                result.conflicts.append(f"{where}: the text differs between the repo and doccano")
                continue
            if base == theirs:
                result.kept_repo += 1
                continue
            if base != ours:
                detail = "; ".join(diff_lines(current, ex)) or "annotations differ"
                result.conflicts.append(
                    f"{where}: changed in the repo and in doccano since the push "
                    f"({'no push record' if base is None else 'repo ≠ pushed'}); doccano vs repo: {detail}")
                continue
            next_e, next_r = counters[path]
            new, next_e, next_r = renumber(ex, current, example_id=current.id, meta=current.meta,
                                           next_entity=next_e, next_relation=next_r)
            counters[path] = (next_e, next_r)
            files[path][i] = new
            touched.add(path)
            result.changes.append(ExampleChange(path.name, current.doc_id, current.id, "changed", diff_lines(current, new)))
        else:
            path = gold_dir / f"{ex.doc_id}.jsonl"
            files.setdefault(path, [])
            counters.setdefault(path, _next_ids(files[path]))
            wanted = info.get("id")
            example_id = wanted if wanted is not None and wanted not in used_ids else (
                max((x for x in used_ids if isinstance(x, int)), default=-1) + 1)
            used_ids.add(example_id)
            next_e, next_r = counters[path]
            new, next_e, next_r = renumber(ex, None, example_id=example_id, meta=ex.meta,
                                           next_entity=next_e, next_relation=next_r)
            counters[path] = (next_e, next_r)
            files[path].append(new)
            index[key] = (path, len(files[path]) - 1)
            touched.add(path)
            result.changes.append(ExampleChange(path.name, new.doc_id, example_id, "added", diff_lines(None, new)))

    if not touched:
        return result
    for path in sorted(touched):
        tmp = path.with_name("." + path.name + ".tmp")
        dump_examples(files[path], tmp)
        os.replace(tmp, path)
        result.written.append(path)
    manifest = write_manifest(gold_dir)
    result.written.append(manifest)
    changelog = changelog or gold_dir.parent / "CHANGELOG.md"
    result.revision = _append_changelog(changelog, result, manifest)
    result.written.append(changelog)
    return result


def _append_changelog(path: Path, result: PullResult, manifest: Path) -> int:
    import json

    text = path.read_text(encoding="utf-8") if path.exists() else "# Gold changelog\n"
    numbers = [int(n) for n in re.findall(r"^## Revision (\d+)", text, flags=re.M)]
    revision = max(numbers, default=0) + 1
    sha = json.loads(manifest.read_text(encoding="utf-8"))["gold_sha256"]
    by_doc: dict[str, list[ExampleChange]] = {}
    for change in result.changes:
        by_doc.setdefault(change.doc_id, []).append(change)
    lines = [f"## Revision {revision} — {_dt.date.today().isoformat()} — doccano pull from project `{result.project}`", ""]
    lines.append(f"- {result.summary()}.")
    for doc, changes in sorted(by_doc.items()):
        lines.append(f"- {doc}: " + "; ".join(
            f"example {c.example_id} {c.kind} ({', '.join(c.lines) or 'no annotations'})" for c in changes))
    for conflict in result.conflicts:
        lines.append(f"- conflict, left as in the repo: {conflict}")
    lines.append(f"- gold_sha256 {sha}")
    path.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return revision
