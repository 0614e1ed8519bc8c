"""The annotators' tool for the news gold: show the texts, check and convert mention lists.

    python scripts/news_annotate.py show n1032_qipeijun ...        # the examples to annotate
    python scripts/news_annotate.py check --pass pass_a n1032_qipeijun ...
    python scripts/news_annotate.py check --pass pass_a --all       # every mention file of the pass

``check`` turns ``annotations/news/passes/PASS/mentions/DOC.jsonl`` (mention lists: entity
text + occurrence number, relations by key; ``scripts/mentions_to_gold.py``) into gold with
offsets computed by code (``passes/PASS/gold/DOC.jsonl``), validates it against the schema,
and prints each example with its entities bracketed and its relations listed, so the
annotator reads back exactly what the gold will say. Exit 1 if any problem was found.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from mentions_to_gold import convert  # noqa: E402
from zhnews.gold.format import GoldExample, dump_examples, load_gold  # noqa: E402
from zhnews.gold.validate import validate_examples  # noqa: E402

NEWS = ROOT / "annotations" / "news"


def bracketed(example: GoldExample) -> str:
    out, at = [], 0
    for entity in sorted(example.entities, key=lambda e: e.start):
        out.append(example.text[at:entity.start])
        out.append(f"[{example.text[entity.start:entity.end]}|{entity.label}#{entity.id}]")
        at = entity.end
    out.append(example.text[at:])
    return "".join(out)


def show(doc_ids: list[str], root: Path = NEWS) -> None:
    for doc_id in doc_ids:
        print(f"### {doc_id}")
        for example in load_gold(root / "skeleton" / f"{doc_id}.jsonl"):
            print(f"[{example.id}] {example.text}")
        print()


def check(pass_name: str, doc_ids: list[str], quiet: bool, root: Path = NEWS) -> int:
    mentions_dir = root / "passes" / pass_name / "mentions"
    gold_dir = root / "passes" / pass_name / "gold"
    problems = 0
    for doc_id in doc_ids:
        mentions = mentions_dir / f"{doc_id}.jsonl"
        if not mentions.exists():
            print(f"✗ {doc_id}: no mention file {mentions}")
            problems += 1
            continue
        examples = load_gold(root / "skeleton" / f"{doc_id}.jsonl")
        errors = convert(examples, mentions.read_text(encoding="utf-8").splitlines(), str(mentions))
        errors += [f"example {p.example_id}: {p.message}" for p in validate_examples(examples, check_text=False)]
        dump_examples(examples, gold_dir / f"{doc_id}.jsonl")
        problems += len(errors)
        n_ent = sum(len(e.entities) for e in examples)
        n_rel = sum(len(e.relations) for e in examples)
        print(f"{'✗' if errors else '✓'} {doc_id}: {n_ent} entities, {n_rel} relations, {len(errors)} problems")
        for error in errors:
            print(f"    {error}")
        if quiet:
            continue
        for example in examples:
            print(f"  [{example.id}] {bracketed(example)}")
            for relation in example.relations:
                head, tail = example.entity(relation.head), example.entity(relation.tail)
                print(f"      {example.entity_text(head)}#{head.id} -{relation.type}-> {example.entity_text(tail)}#{tail.id}")
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=NEWS,
                        help="directory holding skeleton/ and passes/ (default annotations/news); an independent "
                             "pass works in a copy that holds only the skeletons of its documents")
    sub = parser.add_subparsers(dest="command", required=True)
    p_show = sub.add_parser("show", help="print the examples of documents")
    p_show.add_argument("docs", nargs="+")
    p_check = sub.add_parser("check", help="convert and check mention lists")
    p_check.add_argument("--pass", dest="pass_name", required=True)
    p_check.add_argument("--all", action="store_true", help="every mention file of the pass")
    p_check.add_argument("--quiet", action="store_true", help="only the summary lines and problems")
    p_check.add_argument("docs", nargs="*")
    args = parser.parse_args()
    if args.command == "show":
        show(args.docs, args.root)
        return 0
    docs = args.docs
    if args.all:
        docs = sorted(p.stem for p in (args.root / "passes" / args.pass_name / "mentions").glob("*.jsonl"))
    return check(args.pass_name, docs, args.quiet, args.root)


if __name__ == "__main__":
    sys.exit(main())
