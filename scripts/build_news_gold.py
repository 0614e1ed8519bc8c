"""Assemble the news gold from the annotation passes (build time).

    python scripts/build_news_gold.py agreement      # pass A vs pass B on the doubly annotated documents, per split
    python scripts/build_news_gold.py build          # write annotations/news/gold/ and its manifest

Every offset is computed by code from the annotators' mention lists
(``annotations/news/passes/PASS/mentions/DOC.jsonl``, ``scripts/mentions_to_gold.py``). A document's
gold is its adjudicated mention list when there is one (``passes/adjudicated/mentions/``:
the documents both passes annotated, with every disagreement decided by the rules in
``annotations/guidelines.md``), else pass A's. ``build`` writes nothing when any document's
mentions do not convert and validate cleanly, or its adjudication dropped an item both passes
have or added one neither has: bad gold never reaches the gold folder, and the folder never mixes
this build's documents with a failed one's previous version.
The manifest records each file's sha256, split, source and counts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from mentions_to_gold import convert  # noqa: E402
from news_gold_rules import enforce  # noqa: E402
from zhnews.scoring import score_strict  # noqa: E402
from zhnews.gold.format import GoldExample, dump_examples, load_gold  # noqa: E402
from zhnews.gold.keys import disagreements, entity_keys, relation_keys  # noqa: E402
from zhnews.gold.manifest import write_manifest  # noqa: E402
from zhnews.gold.validate import validate_examples  # noqa: E402
from zhnews.labels import ENTITY_LABELS, RELATION_TYPES  # noqa: E402

NEWS = ROOT / "annotations" / "news"


def converted(pass_name: str, doc_id: str) -> tuple[list[GoldExample], list[str]]:
    examples = load_gold(NEWS / "skeleton" / f"{doc_id}.jsonl")
    mentions = NEWS / "passes" / pass_name / "mentions" / f"{doc_id}.jsonl"
    if not mentions.exists():
        return examples, [f"{mentions.relative_to(ROOT)} is missing"]
    errors = convert(examples, mentions.read_text(encoding="utf-8").splitlines(), str(mentions.relative_to(ROOT)))
    errors += [f"{doc_id}: example {p.example_id}: {p.message}" for p in validate_examples(examples, check_text=False)]
    return examples, errors


def selection() -> list[dict]:
    return json.loads((NEWS / "selection.json").read_text(encoding="utf-8"))["documents"]


def doubly_annotated() -> list[str]:
    batches = json.loads((NEWS / "batches.json").read_text(encoding="utf-8"))
    return [doc for docs in batches["pass_b"].values() for doc in docs]


def agreement(show_diff: bool, diff_dir: Path | None = None) -> int:
    """Pass A vs pass B per split (pass A as reference), before adjudication."""
    split_of = {d["doc_id"]: d["split"] for d in selection()}
    both = [d for d in doubly_annotated()
            if all((NEWS / "passes" / p / "mentions" / f"{d}.jsonl").exists() for p in ("pass_a", "pass_b"))]
    if len(both) < len(doubly_annotated()):
        print(f"{len(doubly_annotated()) - len(both)} of the {len(doubly_annotated())} doubly assigned documents lack a pass: "
              "agreement over the others", file=sys.stderr)
    problems, result = [], {}
    for split in sorted({split_of[d] for d in both}, key=("train", "dev", "test").index):
        first, second = [], []
        docs = [d for d in both if split_of[d] == split]
        for doc_id in docs:
            a, errors_a = converted("pass_a", doc_id)
            b, errors_b = converted("pass_b", doc_id)
            problems += errors_a + errors_b
            first += a
            second += b
            if diff_dir is not None:
                lines = disagreements(a, b)
                if lines:
                    diff_dir.mkdir(parents=True, exist_ok=True)
                    (diff_dir / f"{doc_id}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        entities = score_strict(entity_keys(first), entity_keys(second), labels=ENTITY_LABELS)
        relations = score_strict(relation_keys(first), relation_keys(second), labels=RELATION_TYPES)
        chars = sum(len(e.text) for e in first)
        result[split] = {"documents": len(docs), "chars": chars,
                         "entities": {k: v.to_dict() for k, v in entities.items()},
                         "relations": {k: v.to_dict() for k, v in relations.items()}}
        print(f"\n{split}: {len(docs)} documents, {chars:,} characters annotated by both passes")
        print("| | strict F1 | only A | only B | both |\n|---|---|---|---|---|")
        for scores in (entities, relations):
            for label, prf in scores.items():
                print(f"| {label} | {prf.f1:.3f} | {prf.fn} | {prf.fp} | {prf.tp} |")
        if show_diff:
            for line in disagreements(first, second):
                print(line)
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    (NEWS / "agreement.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 1 if problems else 0


def adjudication_problems(doc_id: str, adjudicated: list[GoldExample]) -> list[str]:
    """An adjudicated document keeps everything both passes agree on and adds nothing neither has
    (adjudication decides disagreements; it is not a third pass)."""
    (a, errors_a), (b, errors_b) = converted("pass_a", doc_id), converted("pass_b", doc_id)
    problems = errors_a + errors_b
    for keys_of in (entity_keys, relation_keys):
        first, second, decided = keys_of(a), keys_of(b), keys_of(adjudicated)
        problems += [f"{doc_id}: adjudication dropped {key} that both passes have" for key in sorted(first & second - decided, key=str)]
        problems += [f"{doc_id}: adjudication added {key} that neither pass has" for key in sorted(decided - (first | second), key=str)]
    return problems


def build() -> int:
    """Rebuild ``gold/`` from the passes: every annotated document or none.

    A document whose mentions do not convert (or whose adjudication breaks its rule) stops the
    build before anything is written, so the gold never mixes this build's documents with a failed
    document's previous version.
    """
    gold_dir = NEWS / "gold"
    adjudicated = NEWS / "passes" / "adjudicated" / "mentions"
    failed, missing, built, changes = [], [], [], []
    for doc in selection():
        doc_id = doc["doc_id"]
        pass_name = "adjudicated" if (adjudicated / f"{doc_id}.jsonl").exists() else "pass_a"
        if not (NEWS / "passes" / pass_name / "mentions" / f"{doc_id}.jsonl").exists():
            missing.append(doc_id)  # not annotated (yet): not in the gold
            continue
        examples, errors = converted(pass_name, doc_id)
        if pass_name == "adjudicated":
            errors += adjudication_problems(doc_id, examples)
        if errors:
            failed.append(doc_id)
            for error in errors:
                print(f"✗ {doc_id} ({pass_name}): {error}", file=sys.stderr)
            continue
        changes += enforce(examples)
        built.append((doc, examples))
    if failed:
        print(f"{len(failed)} document(s) with problems ({', '.join(failed[:10])}{', …' if len(failed) > 10 else ''}): "
              f"nothing written, {gold_dir} is unchanged", file=sys.stderr)
        return 1
    gold_dir.mkdir(exist_ok=True)
    for doc, examples in built:
        dump_examples(examples, gold_dir / f"{doc['doc_id']}.jsonl")
    splits = {f"{doc['doc_id']}.jsonl": {"split": doc["split"], "source": doc["source"]} for doc, _ in built}
    path = write_manifest(gold_dir, extra=splits)
    (NEWS / "rule_changes.txt").write_text("\n".join(changes) + "\n", encoding="utf-8")
    print(f"wrote {len(built)} documents to {gold_dir} and {path.name}; {len(missing)} not annotated; "
          f"the written rules changed {len(changes)} annotations (rule_changes.txt)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_agree = sub.add_parser("agreement")
    p_agree.add_argument("--diff", action="store_true", help="list every disagreement in context")
    p_agree.add_argument("--diff-dir", type=Path, default=None,
                         help="also write each document's disagreements to DIR/DOC.txt (the adjudicators' worklist)")
    sub.add_parser("build")
    args = parser.parse_args()
    return agreement(args.diff, args.diff_dir) if args.command == "agreement" else build()


if __name__ == "__main__":
    sys.exit(main())
