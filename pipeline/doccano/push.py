"""``zhnews doccano push``: examples (raw articles or gold) → a doccano project."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..gold.format import GoldEntity, GoldExample, GoldRelation, gold_files, load_gold
from ..gold.paragraphs import paragraph_examples
from ..gold.validate import validate_examples
from ..labels import ENTITY_LABELS, LABEL_COLOURS, RELATION_TYPES
from .client import DoccanoClient, DoccanoError, Project
from .rows import content_key, remote_key, upload_row


class PushError(RuntimeError):
    pass


@dataclass
class PushResult:
    project: str
    created: bool
    uploaded: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)


def load_inputs(inputs: Iterable[Path], *, root: Path) -> tuple[list[GoldExample], list[GoldExample]]:
    """(gold examples, unannotated paragraph examples) from ``*.jsonl`` gold and raw article files/dirs."""
    gold, raw = [], []
    for path in inputs:
        if path.is_dir():
            files = gold_files(path) or sorted(p for p in path.iterdir() if p.suffix == ".txt")
        elif path.exists():
            files = [path]
        else:
            raise PushError(f"no input file or directory at {path}")
        for file in files:
            if file.suffix == ".jsonl":
                gold.extend(load_gold(file))
            else:
                match = re.match(r"(\d+)", file.name)
                number = int(match.group(1)) if match else len(raw)
                raw.extend(paragraph_examples(file, number, root=root))
    return gold, raw


def pre_annotate(examples: list[GoldExample], nlp) -> list[list[float]]:
    """Entities and relations from the trained pipeline, in place (ids from 1 per example).

    Returns each example's relation scores and entity confidences (for ``--select uncertain``)."""
    scores = []
    for example, doc in zip(examples, nlp.pipe(ex.text for ex in examples)):
        example.entities = [GoldEntity(i + 1, ent.label_, ent.start_char, ent.end_char)
                            for i, ent in enumerate(doc.ents) if ent.label_ in ENTITY_LABELS]
        ids = {i: i + 1 for i, ent in enumerate(doc.ents) if ent.label_ in ENTITY_LABELS}
        relations = getattr(doc._, "relations", None) or []
        example.relations = [GoldRelation(n + 1, ids[r["head"]], ids[r["tail"]], r["type"])
                             for n, r in enumerate(rel for rel in relations
                                                   if rel["head"] in ids and rel["tail"] in ids and rel["type"] in RELATION_TYPES)]
        confidence = getattr(doc._, "ent_confidence", None) or []
        scores.append([float(r.get("score", 1.0)) for r in relations]
                      + [float(c) for c, ent in zip(confidence, doc.ents) if ent.label_ in ENTITY_LABELS])
    return scores


def ensure_project(client: DoccanoClient, name: str) -> tuple[Project, bool]:
    """The project ``name``, created if missing, with every schema label and relation type in its colour."""
    project = client.find_project(name)
    created = project is None
    if project is None:
        project = client.create_project(name, "zhnews: ORG/MONEY/YEAR entities and their relations (schema v1.1)")
    elif not project.use_relation:
        raise DoccanoError(f"doccano project {name!r} exists but has relations switched off; use another name")
    for kind, wanted in (("span", ENTITY_LABELS), ("relation", RELATION_TYPES)):
        have = {t.text for t in client.label_types(project, kind)}
        for text in wanted:
            if text not in have:
                client.create_label_type(project, kind, text, LABEL_COLOURS[text])
    return project, created


def push(
    client: DoccanoClient,
    examples: list[GoldExample],
    project_name: str,
    *,
    root: Path,
    log: Callable[[str], None] = lambda message: None,
    batch_size: int = 500,
) -> PushResult:
    problems = [str(p) for p in validate_examples(examples, root=root)]
    if problems:
        raise PushError("examples fail validation; nothing uploaded:\n" + "\n".join(problems))
    project, created = ensure_project(client, project_name)
    result = PushResult(project.name, created)
    existing = {remote_key(ex.meta) for ex in client.examples(project)}
    seen: set[str] = set()
    todo = []
    for example in examples:
        key = content_key(example)
        if key in existing or key in seen:
            result.skipped += 1
        else:
            todo.append(example)
        seen.add(key)
    for start in range(0, len(todo), batch_size):
        batch = todo[start:start + batch_size]
        client.upload_jsonl(project, [upload_row(ex) for ex in batch])
        result.uploaded += len(batch)
        log(f"uploaded {result.uploaded}/{len(todo)}")
    # verify: every pushed key is now in the project exactly once
    counts = Counter(remote_key(ex.meta) for ex in client.examples(project))
    missing = [ex for ex in todo if content_key(ex) not in counts]
    duplicated = sorted(k for k, n in counts.items() if k and n > 1)
    if missing or duplicated:
        raise DoccanoError(
            f"doccano import into {project.name!r} is incomplete: {len(missing)} example(s) missing, "
            f"{len(duplicated)} duplicated; check the project before pushing again"
        )
    return result
