#!/usr/bin/env python
"""Silver relations for the relation classifier (issue #22): unlabeled real news, labelled by a
trained pipeline where it is confident, for self-training.

    python scripts/build_silver_relations.py --corpora ../shared/corpora \\
        --out ~/.cache/zhnews/silver-relations.jsonl [--model models/zhnews-zh] \\
        [--entity-confidence 0.7] [--relation-score 0.7] [--negative-score 0.3] [--paragraphs 0]
    python ../shared/heldout/overlap.py ~/.cache/zhnews/silver-relations.jsonl
    zhnews train --relations-only -o models/zhnews-zh --news-gold annotations/news/gold \\
        --relation-silver ~/.cache/zhnews/silver-relations.jsonl

Build time only. The pipeline runs over every paragraph of ``corpora/news`` that shares no
13-character run with any gold document (``build_silver.paragraphs``: dev and test text, and
reposts of it, are never labelled). A sentence becomes silver when the pipeline is sure of all of
it: every entity's confidence is at least ``--entity-confidence``, every relation found scores at
least ``--relation-score`` (its classifier score, given the entities) and every other candidate
pair of the sentence at most ``--negative-score``. A paragraph keeps its sure sentences' entities
and relations; the candidate pairs of the other sentences are not built (their entities are left
out), so nothing unsure is taught as "no relation". The relation classifier trains on silver
beside the gold; its cross-validation scores gold only (``relations/training.py``).

The output is gold-format JSONL with each paragraph's source, id and raw offsets in ``meta``; it
holds corpus text, so it is written outside the repository (never commit it). A sidecar
``OUT.json`` records the settings, the model's manifest sha256 and the counts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_silver import gold_shingles, paragraphs  # noqa: E402

DEFAULT_MODEL = ROOT / "models" / "zhnews-zh"
#: chosen on the news dev split (relations given gold entities) and the train split's
#: cross-validation; docs/HISTORY.md, session 23, has the comparison
ENTITY_CONFIDENCE, RELATION_SCORE, NEGATIVE_SCORE = 0.7, 0.7, 0.3


def sure_sentences(sentences: list[tuple[int, int]], entities: list[tuple[int, int, str]], confidence: list[float],
                   pairs: list[tuple[int, int, tuple[int, int], float]], found: dict[tuple[int, int], tuple[str, float]],
                   *, entity_confidence: float, relation_score: float, negative_score: float):
    """The entities (indices) and relations ``(head, tail, type)`` of the sentences the pipeline is sure of.

    ``pairs`` are the candidate pairs ``(head, tail, sentence, score)`` with the classifier's best
    score; ``found`` the relations the pipeline reports, ``(head, tail) -> (type, score)``.
    """
    by_sentence: dict[tuple[int, int], list[tuple[int, int, float]]] = {}
    for head, tail, sentence, score in pairs:
        by_sentence.setdefault(tuple(sentence), []).append((head, tail, score))
    kept, relations = [], []
    for start, end in sentences:
        members = [i for i, (a, _b, _label) in enumerate(entities) if start <= a < end]
        if not members or any(confidence[i] < entity_confidence for i in members):
            continue
        sure, chosen = True, []
        for head, tail, score in by_sentence.get((start, end), []):
            relation = found.get((head, tail))
            if relation is not None:
                sure = sure and relation[1] >= relation_score
                chosen.append((head, tail, relation[0]))
            elif score > negative_score:
                sure = False
        if sure:
            kept += members
            relations += chosen
    return kept, relations


def silver_example(n: int, paragraph: dict, doc, extractor, settings: dict) -> dict | None:
    """One paragraph's silver record in the gold format, or None when no sentence is sure.

    ``doc`` comes from the pipeline without its relation extractor: the pairs are scored and
    decoded here once, with every pair's score kept (the component keeps only the relations)."""
    from zhnews.normalize import sentence_spans
    from zhnews.relations.candidates import candidate_pairs
    from zhnews.relations.component import doc_entities
    from zhnews.segment.chars import words

    text, entities = doc.text, doc_entities(doc)
    confidence = doc._.ent_confidence
    if not entities or confidence is None:
        return None
    candidates = candidate_pairs(text, entities)
    scores = extractor.score_pairs(text, words(doc), entities, candidates) if candidates else []
    found = {(r["head"], r["tail"]): (r["type"], r["score"]) for r in extractor.decode(text, entities, candidates, scores)}
    kept, relations = sure_sentences(
        sentence_spans(text), [(e.start, e.end, e.label) for e in entities], confidence,
        [(p.head, p.tail, p.sentence, score) for p, (_label, score) in zip(candidates, scores)], found, **settings)
    if not kept:
        return None
    ids = {index: number + 1 for number, index in enumerate(kept)}
    return {"id": f"silver-{n}", "text": text,
            "entities": [{"id": ids[i], "label": entities[i].label, "start_offset": entities[i].start,
                          "end_offset": entities[i].end} for i in kept],
            "relations": [{"id": number + 1, "from_id": ids[head], "to_id": ids[tail], "type": kind}
                          for number, (head, tail, kind) in enumerate(relations)],
            "meta": {"source": paragraph["source"], "source_id": paragraph["source_id"], "raw_start": paragraph["raw_start"],
                     "raw_end": paragraph["raw_end"], "silver": True, "doc_id": f"silver-{n}"}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, required=True, help="the public corpora folder (../shared/corpora)")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="the trained pipeline that labels (default: the committed one)")
    parser.add_argument("--out", type=Path, required=True, help="silver JSONL to write (outside the repository)")
    parser.add_argument("--entity-confidence", type=float, default=ENTITY_CONFIDENCE, help="least confidence of every entity of a sure sentence")
    parser.add_argument("--relation-score", type=float, default=RELATION_SCORE, help="least score of every relation of a sure sentence")
    parser.add_argument("--negative-score", type=float, default=NEGATIVE_SCORE, help="highest score of a sure sentence's other candidate pairs")
    parser.add_argument("--paragraphs", type=int, default=0, help="paragraphs sampled (0 = all)")
    parser.add_argument("--seed", type=int, default=0, help="order of the sample")
    args = parser.parse_args()
    if args.out.resolve().is_relative_to(ROOT):
        parser.error(f"{args.out} is inside the repository: silver holds corpus text, keep it outside")
    if not (args.model / "meta.json").exists():
        parser.error(f"no trained pipeline at {args.model}")
    for name in ("entity_confidence", "relation_score", "negative_score"):
        if not 0.0 <= getattr(args, name) <= 1.0:
            parser.error(f"--{name.replace('_', '-')} must be between 0 and 1")

    import spacy

    import zhnews.components  # noqa: F401

    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    started = time.perf_counter()
    pool = paragraphs(args.corpora, gold_shingles(), log)
    random.Random(args.seed).shuffle(pool)
    sample = pool[: args.paragraphs] if args.paragraphs else pool
    nlp = spacy.load(args.model)
    if nlp.get_pipe("zhnews_entity_confidence").model is None:
        parser.error(f"{args.model} has no fitted entity confidence (zhnews train --confidence-only fits it)")
    extractor = nlp.get_pipe("relation_extractor")
    settings = {"entity_confidence": args.entity_confidence, "relation_score": args.relation_score,
                "negative_score": args.negative_score}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    partial = args.out.with_name(args.out.name + ".partial")
    kept = relations = 0
    with partial.open("w", encoding="utf-8") as out:
        docs = nlp.pipe((p["text"] for p in sample), batch_size=64, disable=["relation_extractor"])
        for n, (paragraph, doc) in enumerate(zip(sample, docs)):
            record = silver_example(n, paragraph, doc, extractor, settings)
            if record is not None:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                kept += 1
                relations += len(record["relations"])
            if (n + 1) % 2000 == 0:
                log(f"{n + 1} of {len(sample)} paragraphs: {kept} kept, {relations} relations "
                    f"({time.perf_counter() - started:.0f} s)")
    manifest = args.model / "manifest.json"
    summary = {"paragraphs": len(sample), "kept": kept, "relations": relations, **settings, "seed": args.seed,
               "model": str(args.model), "model_manifest_sha256": hashlib.sha256(manifest.read_bytes()).hexdigest()
               if manifest.exists() else None, "silver_sha256": hashlib.sha256(partial.read_bytes()).hexdigest()}
    args.out.with_name(args.out.name + ".json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    partial.replace(args.out)
    log(f"wrote {kept} of {len(sample)} paragraphs ({relations} relations) to {args.out} in "
        f"{time.perf_counter() - started:.0f} s; now run ../shared/heldout/overlap.py {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
